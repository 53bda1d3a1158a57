/** The fitted model and its objective as math (KaTeX, rendered into elements, never as HTML strings). */
import katex from 'katex';
import type { TrainReport } from '../../../src/core/report/report';
import { el } from '../dom';
import { modelFormulaTex, objectiveTex } from '../../tex';

function math(tex: string, display: boolean, className: string): HTMLElement {
  const node = el('div', { class: className });
  const target = display ? node : node.appendChild(el('span'));
  try {
    katex.render(tex, target, { displayMode: display, throwOnError: true, strict: 'ignore', trust: false, maxExpand: 200 });
  } catch (e) {
    node.textContent = `(formula not shown: ${(e as Error).message})`;
  }
  return node;
}

export function formulaView(report: TrainReport): HTMLElement {
  const model = report.model;
  const f = modelFormulaTex(model);
  const s = model.settings;
  const objective = objectiveTex({ kind: model.kind, penalty: s.penalty, C: s.C, lambda: s.lambda, l1Ratio: s.l1Ratio, classWeight: s.classWeight, nTrain: report.data.nTrain });
  return el(
    'section',
    { class: 'll-card ll-formula', attrs: { 'data-view': 'formula' } },
    el('header', { class: 'll-card-head' }, el('h3', null, 'The model')),
    el('p', { class: 'll-note' }, `Coefficients in original units of the features${model.preprocessor.standardize ? ' (the solver fitted standardized features; see the table for both)' : ''}.`),
    math(f.main, true, 'll-math ll-math-main'),
    ...f.definitions.map((d) => math(d, false, 'll-math ll-math-def')),
    el('h4', null, 'Objective minimized'),
    ...objective.map((t, i) => math(t, i === 0, 'll-math ll-math-objective')),
  );
}
