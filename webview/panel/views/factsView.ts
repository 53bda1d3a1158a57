/**
 * Textbook facts shown on the user's own fit:
 * - weight norm against iterations (Training tab) when the data are separable or no penalty is used:
 *   without a penalty it grows without bound; runs on the same features are overlaid, so an L2 run
 *   shows the penalty stopping it;
 * - a two-class target fitted as multinomial beside the sigmoid at C' = 2C (Model tab);
 * - shift invariance of the softmax: adding c to every logit changes no probability (Model tab).
 */
import type { RunRecord } from '../../../src/protocol/panel';
import { preprocessRows, probaFromDecision } from '../../../src/core/model/model';
import { weightNorms } from '../../../src/core/run/snapshots';
import { el, table } from '../dom';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { fmt } from '../viewModel/format';
import { lineLegend } from './lossPlot';
import { t } from '../../l10n';

/** ‖w‖₂ against iterations, for a run with no penalty or separable classes (null otherwise). */
export function weightNormView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement | null {
  const r = run.report;
  const separable = r.warnings.some((w) => w.code === 'fit.separable');
  if (!r.replay || !(separable || r.model.settings.penalty === 'none')) return null;
  const names = r.model.featureNames.join('\u0000');
  const runs = ctx.data.runs.filter((o) => o.report.replay && o.report.model.featureNames.join('\u0000') === names && o.report.model.kind === r.model.kind);
  const rows = runs.flatMap((o, k) => {
    const w = weightNorms(o.report.replay!);
    const s = o.settings;
    const label = `${o.label}${s.penalty === 'none' ? '' : ` (${s.penalty.toUpperCase()})`}`;
    return w.iterations.map((it, i) => ({ it, norm: w.norm[i], label, k }));
  });
  const plot = renderPlot(
    {
      width: plotWidth(container, 280, 900),
      height: 260,
      marginLeft: 56,
      x: { label: t('iteration'), grid: true },
      y: { label: t('‖w‖₂ (standardized weights)'), grid: true },
      marks: [Plot.line(rows, { x: 'it', y: 'norm', z: 'label', stroke: (d: { k: number }) => classColor(ctx.theme, d.k), strokeWidth: 2, title: (d: { label: string }) => d.label })],
    },
    ctx.theme,
  );
  const legend = lineLegend(runs.map((o, k) => ({ label: o.label, color: classColor(ctx.theme, k) })), t('Runs'));
  const note = separable
    ? t('The training classes are linearly separable (see the warning “fit.separable” below): with no penalty the loss keeps falling as the weights grow, so their norm rises without bound and no finite optimum exists. An L2 penalty makes the optimum finite: train again with penalty L2 and its norm levels off on this plot beside this run’s.')
    : t('With no penalty the weights are only held by the data: on separable classes their norm would grow without bound. Runs on the same features are overlaid; an L2 run levels off.');
  const card = plotCard(plot, { name: 'weight-norm', title: t('Weight norm'), note, exporter: ctx.exportPlot, controls: [legend] });
  card.setAttribute('data-view', 'weight-norm');
  return card;
}

/** A two-class softmax fit beside the sigmoid at C' = 2C (null unless the report has it). */
export function softmaxSigmoidView(run: RunRecord): HTMLElement | null {
  const s = run.report.softmaxAsSigmoid;
  if (!s) return null;
  const names = [...run.report.model.featureNames, t('intercept')];
  const numbers = table(
    [t('standardized'), t('softmax: w₁ − w₀'), t('sigmoid at C′ = {0}', Number.isFinite(s.sigmoidC) ? fmt(s.sigmoidC, 4) : '∞')],
    names.map((n, j) => [n, fmt(s.softmaxDifference[j], 6), fmt(s.sigmoid[j], 6)]),
  );
  const penalty = Number.isFinite(s.C)
    ? t('The softmax’s penalty (‖w₀‖² + ‖w₁‖²)/(2C) is smallest, for a given difference v = w₁ − w₀, at w₁ = −w₀ = v/2, where it is ‖v‖²/(2·2C): the sigmoid’s penalty at C′ = 2C = {0}.', fmt(s.sigmoidC, 4))
    : t('Without a penalty the two problems are the same.');
  return el(
    'section',
    { class: 'll-card', attrs: { 'data-view': 'softmax-sigmoid' } },
    el('header', { class: 'll-card-head' }, el('h3', null, t('Two classes: softmax = sigmoid'))),
    el('p', { class: 'll-note' }, t('This two-class target was fitted as a softmax. Its probabilities depend only on w₁ − w₀ (shift invariance), and they are those of the sigmoid model: the largest difference over the {0} training rows is {1}.', s.rows, fmt(s.maxProbabilityDifference, 2)), ' ', penalty),
    numbers,
  );
}

/** Adding c to every logit of the fitted model changes no probability: a slider and the largest change. */
export function shiftInvarianceView(run: RunRecord): HTMLElement | null {
  const model = run.report.model;
  if (model.kind !== 'multinomial' && model.kind !== 'binary') return null;
  const d = model.featureNames.length;
  const m = run.report.points.y.length;
  const Xs = preprocessRows(model, Float64Array.from(run.report.points.X), m);
  const W = model.coefStandardized;
  const b = model.interceptStandardized;
  // Logits of each class: binary as the softmax of (0, z).
  const K = model.kind === 'binary' ? 2 : W.length;
  const logits = new Float64Array(m * K);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < W.length; k++) {
      let z = b[k];
      for (let j = 0; j < d; j++) z += W[k][j] * Xs[i * d + j];
      logits[i * K + (model.kind === 'binary' ? 1 : k)] = z;
    }
  }
  const base = probaFromDecision('multinomial', logits, m, K);
  const out = el('output', { attrs: { for: 'shift-c', 'data-shift-result': '' } });
  const slider = el('input', { class: 'll-replay-slider', attrs: { id: 'shift-c', type: 'range', min: -20, max: 20, step: 0.5, value: 5, 'aria-label': t('Constant added to every logit') } });
  const update = () => {
    const c = Number(slider.value);
    const shifted = probaFromDecision('multinomial', logits.map((z) => z + c), m, K);
    let worst = 0;
    for (let i = 0; i < base.length; i++) worst = Math.max(worst, Math.abs(shifted[i] - base[i]));
    out.textContent = t('c = {0}: largest change of a probability over the {1} sampled rows = {2} (rounding only).', fmt(c, 3), m, worst === 0 ? '0' : fmt(worst, 2));
    out.dataset.maxChange = String(worst);
  };
  slider.addEventListener('input', update);
  update();
  return el(
    'section',
    { class: 'll-card', attrs: { 'data-view': 'shift-invariance' } },
    el('header', { class: 'll-card-head' }, el('h3', null, t('Shift invariance'))),
    el('p', { class: 'll-note' }, model.kind === 'binary'
      ? t("softmax(z + c) = softmax(z): adding the same constant c to every class's logit (the sigmoid is the softmax of the logits 0 and z) multiplies numerator and denominator by e^c. That is why one class's parameters can be fixed (or the penalty picks the centred solution), and why the Hessian is flat along that direction.")
      : t("softmax(z + c) = softmax(z): adding the same constant c to every class's logit multiplies numerator and denominator by e^c. That is why one class's parameters can be fixed (or the penalty picks the centred solution), and why the Hessian is flat along that direction.")),
    el('div', { class: 'll-controls' }, el('label', { class: 'll-inline-field', attrs: { for: 'shift-c' } }, 'c'), slider, out),
  );
}
