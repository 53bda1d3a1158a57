/** The fitted model and its objective as math (KaTeX, rendered into elements, never as HTML strings). */
import type { TrainReport } from '../../../src/core/report/report';
import { el } from '../dom';
import { modelFormulaTex, objectiveTex } from '../../tex';
import { math } from '../../math';
import { t } from '../../l10n';

export function formulaView(report: TrainReport): HTMLElement {
  const model = report.model;
  const f = modelFormulaTex(model);
  const s = model.settings;
  const objective = objectiveTex({ kind: model.kind, penalty: s.penalty, C: s.C, lambda: s.lambda, l1Ratio: s.l1Ratio, classWeight: s.classWeight, nTrain: report.data.nTrain });
  return el(
    'section',
    { class: 'll-card ll-formula', attrs: { 'data-view': 'formula' } },
    el('header', { class: 'll-card-head' }, el('h3', null, t('The model'))),
    el('p', { class: 'll-note' }, model.preprocessor.standardize ? t('Coefficients in original units of the features (the solver fitted standardized features; see the table for both).') : t('Coefficients in original units of the features.')),
    math(f.main, 'll-math ll-math-main', true),
    ...f.definitions.map((d) => math(d, 'll-math ll-math-def', false)),
    el('h4', null, t('Objective minimized')),
    ...objective.map((tex, i) => math(tex, 'll-math ll-math-objective', i === 0)),
  );
}
