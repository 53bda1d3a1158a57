/**
 * Evaluation: the metrics table (train / validation / test), the threshold slider (binary), the
 * confusion matrix (counts or row-normalized; binary follows the slider), ROC and PR curves with
 * AUC / average precision and the current threshold marked, and the reliability diagram with ECE
 * and Brier score (Platt / isotonic toggle when calibrators were fitted).
 */
import { imbalanceView } from './imbalanceView';
import type { RunRecord } from '../../../src/protocol/panel';
import type { BinaryCurves, SplitName } from '../../../src/core/report/report';
import type { ClassificationMetrics } from '../../../src/core/evaluate/metrics';
import type { Reliability } from '../../../src/core/evaluate/calibration';
import { el, table, type Child } from '../dom';
import { runPart, type Part } from '../incremental';
import type { ViewContext } from '../context';
import { diagonalMark, Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { button, checkbox, selectControl } from '../elements';
import type { CalibrationView } from '../../state';
import { classColor, type Theme } from '../theme';
import { fmt, fmtCount, truncate } from '../viewModel/format';
import { evaluatedSplits, metricRows } from '../viewModel/metricsTable';
import { atThreshold, confusionMatrix2, rowNormalize, snapThreshold, toSweep, type ThresholdPoint } from '../viewModel/threshold';
import { outputNames } from '../viewModel/coefficients';
import { t } from '../../l10n';

const SPLIT_LABEL: Record<SplitName, string> = { train: t('Train'), validation: t('Validation'), test: t('Test') };

export function metricsTable(run: RunRecord): HTMLElement {
  const { splits, rows } = metricRows(run.report);
  const tbl = table([t('Metric'), ...splits.map((s) => SPLIT_LABEL[s])], rows.map((r) => [r.label, ...r.values.map((v) => (r.label === t('Rows') && v !== null ? fmtCount(v) : fmt(v)))]), 'll-table ll-metrics');
  tbl.setAttribute('data-view', 'metrics');
  return el('section', { class: 'll-card' }, el('header', { class: 'll-card-head' }, el('h3', null, t('Metrics'))), el('p', { class: 'll-note' }, run.report.model.kind === 'binary' ? t('At the model’s threshold ({0}). Lower is better for log loss, Brier score and ECE.', fmt(run.report.model.threshold, 3)) : t('At the model’s threshold (most probable class). Lower is better for log loss, Brier score and ECE.')), tbl);
}

/** The chosen split if evaluated, else the first evaluated of test, validation, train. */
function pickSplit(run: RunRecord, wanted: SplitName): SplitName | null {
  const have = evaluatedSplits(run.report);
  if (have.includes(wanted)) return wanted;
  for (const s of ['test', 'validation', 'train'] as const) if (have.includes(s)) return s;
  return null;
}

function confusionPlot(ctx: ViewContext, matrix: number[][], classNames: readonly string[], normalize: boolean, width: number): Element {
  const display = normalize ? rowNormalize(matrix) : matrix;
  const cells: { t: string; p: string; v: number; count: number; diag: boolean }[] = [];
  matrix.forEach((row, i) => row.forEach((count, j) => cells.push({ t: classNames[i], p: classNames[j], v: display[i][j], count, diag: i === j })));
  const K = classNames.length;
  const maxLen = Math.max(3, ...classNames.map((c) => c.length));
  const side = Math.min(width, Math.max(240, 110 + K * 70));
  const max = Math.max(1e-12, ...display.flat());
  type Cell = (typeof cells)[number];
  const label = {
    x: 'p',
    y: 't',
    text: (c: Cell) => (normalize ? `${(c.v * 100).toFixed(1)}%\n(${fmtCount(c.count)})` : fmtCount(c.count)),
    // Zeros recede (muted text, no tint); the square-root colour scale gives a single count a visible tint.
    fill: (c: Cell) => (c.count === 0 ? ctx.theme.muted : Math.sqrt(c.v / (normalize ? 1 : max)) > 0.7 ? ctx.theme.bg : ctx.theme.fg),
    fontSize: 12,
    className: 'll-cm-count',
  };
  return renderPlot(
    {
      width: side,
      height: Math.min(side, 80 + K * 60),
      marginLeft: Math.min(170, 30 + 6.5 * Math.min(22, maxLen)),
      marginBottom: 50,
      x: { label: t('predicted class'), domain: [...classNames], tickRotate: K > 4 ? -30 : 0, tickFormat: (t: string) => truncate(t, K > 4 ? 14 : 22) },
      y: { label: t('true class'), domain: [...classNames], tickFormat: (t: string) => truncate(t, 22) },
      color: { type: 'sqrt', domain: [0, normalize ? 1 : max], range: [ctx.theme.bg, ctx.theme.accent] },
      marks: [
        Plot.cell(cells, { x: 'p', y: 't', fill: 'v', stroke: ctx.theme.grid, inset: 0.5 }),
        Plot.text(cells, { ...label, filter: (c: Cell) => c.diag, fontWeight: 'bold' }),
        Plot.text(cells, { ...label, filter: (c: Cell) => !c.diag }),
      ],
    },
    ctx.theme,
  );
}

/** ROC and PR curves without a threshold marker (thresholdMarker adds and moves it). */
function curvePlots(ctx: ViewContext, curves: BinaryCurves, width: number, positive: string): [Element, Element] {
  const roc = curves.roc.fpr.map((x, i) => ({ x, y: curves.roc.tpr[i] })).filter((d) => Number.isFinite(d.x) && Number.isFinite(d.y));
  const pr = curves.pr.recall.map((x, i) => ({ x, y: curves.pr.precision[i] })).filter((d) => Number.isFinite(d.x) && Number.isFinite(d.y));
  const size = Math.max(240, Math.min(420, width));
  const base = { width: size, height: size, marginLeft: 48, marginBottom: 40, x: { domain: [0, 1], grid: true }, y: { domain: [0, 1], grid: true } };
  const rocPlot = renderPlot(
    {
      ...base,
      x: { ...base.x, label: t('false positive rate') },
      y: { ...base.y, label: t('true positive rate') },
      marks: [
        diagonalMark(ctx.theme),
        Plot.line(roc, { x: 'x', y: 'y', stroke: classColor(ctx.theme, 1), strokeWidth: 2, curve: 'step-after' }),
        Plot.text([t('AUC = {0}', fmt(curves.roc.auc))], { frameAnchor: 'bottom-right', dx: -8, dy: -8, fill: ctx.theme.fg, fontSize: 13, fontWeight: 'bold', className: 'll-auc' }),
      ],
    },
    ctx.theme,
  );
  const prevalence = curves.sweep.positives / Math.max(1e-12, curves.sweep.positives + curves.sweep.negatives);
  const prPlot = renderPlot(
    {
      ...base,
      x: { ...base.x, label: t('recall ({0})', positive) },
      y: { ...base.y, label: t('precision') },
      marks: [
        Plot.ruleY([prevalence], { stroke: ctx.theme.muted, strokeDasharray: '4 4' }),
        Plot.line(pr, { x: 'x', y: 'y', stroke: classColor(ctx.theme, 1), strokeWidth: 2, curve: 'step-before' }),
        Plot.text([t('AP = {0}', fmt(curves.pr.averagePrecision))], { frameAnchor: 'bottom-left', dx: 8, dy: -8, fill: ctx.theme.fg, fontSize: 13, fontWeight: 'bold', className: 'll-ap' }),
      ],
    },
    ctx.theme,
  );
  return [rocPlot, prPlot];
}

/**
 * A threshold marker (a dot and its "t = …" label) added to a rendered curve plot and placed with that
 * plot's own scales, so that moving the slider never re-renders the curve. Returns the mover.
 */
function thresholdMarker(plot: Element, theme: Theme): (x: number, y: number, threshold: number) => void {
  const svg = plot instanceof SVGSVGElement ? plot : plot.querySelector('svg');
  const scales = plot as Element & { scale(name: 'x' | 'y'): { apply(v: number): number } };
  const NS = 'http://www.w3.org/2000/svg';
  const group = document.createElementNS(NS, 'g');
  group.setAttribute('aria-label', t('threshold marker'));
  const dot = document.createElementNS(NS, 'circle');
  for (const [k, v] of [['r', '6'], ['fill', theme.accent], ['stroke', theme.bg], ['stroke-width', '2']]) dot.setAttribute(k, v);
  const label = document.createElementNS(NS, 'text');
  for (const [k, v] of [['fill', theme.fg], ['font-size', '11'], ['text-anchor', 'start']]) label.setAttribute(k, v);
  group.append(dot, label);
  svg?.append(group);
  const sx = scales.scale('x');
  const sy = scales.scale('y');
  return (x, y, threshold) => {
    const px = sx.apply(x);
    const py = sy.apply(y);
    dot.setAttribute('cx', String(px));
    dot.setAttribute('cy', String(py));
    label.setAttribute('x', String(px + 8));
    label.setAttribute('y', String(py - 10));
    label.textContent = `t = ${fmt(threshold, 3)}`;
  };
}

function reliabilityPlot(ctx: ViewContext, rel: Reliability, width: number, what: string): Element {
  const bins = rel.bins.filter((b) => b.count > 0 && b.meanPredicted !== null && Number.isFinite(b.meanPredicted) && Number.isFinite(b.fractionPositive));
  const size = Math.max(260, Math.min(440, width));
  return renderPlot(
    {
      width: size,
      height: size,
      marginLeft: 48,
      marginBottom: 40,
      x: { domain: [0, 1], label: t('mean predicted probability ({0})', what), grid: true },
      y: { domain: [0, 1], label: t('observed fraction positive'), grid: true },
      r: { range: [3, 10] },
      marks: [
        diagonalMark(ctx.theme),
        Plot.line(bins, { x: 'meanPredicted', y: 'fractionPositive', stroke: classColor(ctx.theme, 1), strokeWidth: 2 }),
        Plot.dot(bins, { x: 'meanPredicted', y: 'fractionPositive', r: 'count', fill: classColor(ctx.theme, 1), stroke: ctx.theme.bg, title: (b: (typeof bins)[number]) => t('{0}–{1}: {2} rows, observed {3}', fmt(b.lower, 2), fmt(b.upper, 2), b.count, fmt(b.fractionPositive, 3)) }),
        // Each bin's row count beside its dot: a point on 3 rows is noise, one on 60 is evidence.
        Plot.text(bins, { x: 'meanPredicted', y: 'fractionPositive', text: (b: (typeof bins)[number]) => `n=${b.count}`, dx: 12, textAnchor: 'start', fill: ctx.theme.muted, fontSize: 10, className: 'll-bin-count' }),
      ],
    },
    ctx.theme,
  );
}

/** The ECE/Brier line under the diagram, and a warning when a calibrator made the ECE worse. */
function calibrationSummary(rel: Reliability, raw: Reliability, choice: string, nValidation: number): HTMLElement {
  const worse = choice !== 'none' && Number.isFinite(rel.ece) && Number.isFinite(raw.ece) && rel.ece > raw.ece;
  return el(
    'div',
    null,
    el('p', { class: 'll-ece' }, t('ECE = {0} over {1} bins   Brier = {2}', fmt(rel.ece), rel.bins.length, fmt(rel.brier))),
    worse
      ? el(
          'p',
          { class: 'll-warn-text ll-calibration-worse', attrs: { role: 'status' } },
          calibrationWorse(choice === 'isotonic', nValidation < 200, fmt(raw.ece), fmt(rel.ece), fmt(raw.brier), fmt(rel.brier), nValidation),
        )
      : null,
  );
}

/** The warning when a calibrator made the split's ECE worse, as one sentence per case. */
function calibrationWorse(isotonic: boolean, fewRows: boolean, ece0: string, ece1: string, brier0: string, brier1: string, n: number): string {
  if (isotonic) {
    return fewRows
      ? t('Isotonic calibration makes this split worse: ECE {0} → {1}, Brier {2} → {3}. It was fitted on {4} validation rows, too few for a calibrator to learn from.', ece0, ece1, brier0, brier1, n)
      : t('Isotonic calibration makes this split worse: ECE {0} → {1}, Brier {2} → {3}. It was fitted on {4} validation rows.', ece0, ece1, brier0, brier1, n);
  }
  return fewRows
    ? t('Platt calibration makes this split worse: ECE {0} → {1}, Brier {2} → {3}. It was fitted on {4} validation rows, too few for a calibrator to learn from.', ece0, ece1, brier0, brier1, n)
    : t('Platt calibration makes this split worse: ECE {0} → {1}, Brier {2} → {3}. It was fitted on {4} validation rows.', ece0, ece1, brier0, brier1, n);
}

function perClassTable(run: RunRecord, split: SplitName): HTMLElement | null {
  const m = run.report.evaluation[split]?.metrics;
  if (!m || m.perClass.length <= 2) return null;
  const names = run.report.model.classes;
  return table(
    [t('Class'), t('Precision'), t('Recall'), t('F1'), t('Support')],
    m.perClass.map((c, k) => [names[k] ?? String(k), fmt(c.precision), fmt(c.recall), fmt(c.f1), fmtCount(c.support)]),
    'll-table ll-per-class',
  );
}

/** State the slider changes; kept so the slider can update the numbers without re-rendering the tab. */
interface ThresholdParts {
  update(t: number): void;
}

export function evaluationView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const root = el('div', { class: 'll-evaluation' });
  for (const part of evaluationParts(ctx, run, container)) {
    const r = runPart(part);
    root.append(...(Array.isArray(r) ? r : [r]).filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
  }
  return root;
}

/** The tab's cards as parts (incremental.ts renders each in its own short task). */
export function evaluationParts(ctx: ViewContext, run: RunRecord, container: HTMLElement): Part[] {
  const report = run.report;
  const model = report.model;
  const split = pickSplit(run, ctx.ui.split);
  const parts: Part[] = [() => metricsTable(run)];
  if (!split) return parts;
  const ev = report.evaluation[split]!;
  const width = plotWidth(container, 280, 1200);
  const half = width >= 760 ? Math.floor((width - 24) / 2) : width;
  parts.push(() => splitControls(ctx, report, split));
  const curves = model.kind === 'binary' ? ev.curves : undefined;
  if (curves) parts.push(() => thresholdCards(ctx, model, split, curves, half));
  else if (ev.metrics) parts.push(() => confusionCards(ctx, run, split, ev.metrics!, width));
  // One-vs-rest curves for multiclass / multilabel (asked from the host when the posted run left them out).
  if ((ev.perClassCurves && ev.perClassCurves.length > 0) || run.curvesOmitted?.[split]) parts.push(() => oneVsRestOrPending(ctx, run, split, width));
  // Calibration.
  const relSource = curves ?? (ev.perClassCurves?.length === 1 ? ev.perClassCurves[0] : undefined);
  if (relSource) parts.push(() => calibrationCard(ctx, split, relSource, width, { n: ev.n, nValidation: report.data.nValidation }));
  else if (ev.metrics) {
    const m = ev.metrics;
    parts.push(() => el('p', { class: 'll-note' }, t('Top-label calibration error (ECE) on this split: {0}; Brier score {1}.', fmt(m.ece), fmt(m.brier))));
  }
  // Costs, rare positives and class weights (imbalanceView.ts), when they apply.
  parts.push(() => imbalanceView(ctx, run, container));
  return parts;
}

/** The split selector and the row-normalization box, above the cards. */
function splitControls(ctx: ViewContext, report: RunRecord['report'], split: SplitName): HTMLElement {
  const splitSel = selectControl('eval-split', t('Evaluate on'), evaluatedSplits(report).map((s) => [s, t('{0} ({1} rows)', SPLIT_LABEL[s], report.evaluation[s]!.n)] as const), split, (v) => ctx.setUi({ split: v }));
  const normBox = checkbox({ id: 'cm-normalize', label: t('Row-normalized'), checked: ctx.ui.normalizeConfusion, onChange: (on) => ctx.setUi({ normalizeConfusion: on }) });
  return el('div', { class: 'll-controls ll-sticky' }, splitSel, normBox);
}

/** Binary: the decision threshold card (slider, rates), the confusion matrix at the threshold, and the ROC and PR curves with the threshold's marks. */
function* thresholdCards(ctx: ViewContext, model: RunRecord['report']['model'], split: SplitName, curves: BinaryCurves, half: number): Generator<void, HTMLElement[], void> {
  const sweep = toSweep(curves.sweep);
  const names = model.classes;
  const initial = snapThreshold(ctx.ui.threshold ?? model.threshold);
  const cmBox = el('div', { class: 'll-plot-box' });
  const curveBox = el('div', { class: 'll-grid-2' });
  const readout = el('dl', { class: 'll-facts ll-readout', attrs: { 'aria-live': 'polite' } });
  const valueText = el('output', { class: 'll-threshold-value', attrs: { for: 'threshold' } });
  const slider = el('input', { attrs: { type: 'range', id: 'threshold', min: 0, max: 1, step: 0.001, value: initial, 'aria-label': t('Decision threshold on P({0})', names[1]) } });
  let moveMarkers: ((at: ThresholdPoint) => void) | null = null;
  const parts: ThresholdParts = {
    update(th: number) {
      const at = atThreshold(sweep, th);
      valueText.textContent = th.toFixed(3);
      const items: [string, string, string][] = [
        ['precision', t('Precision'), fmt(at.precision)],
        ['recall', t('Recall'), fmt(at.recall)],
        ['f1', t('F1'), fmt(at.f1)],
        ['accuracy', t('Accuracy'), fmt(at.accuracy)],
        ['false-positive-rate', t('False positive rate'), fmt(at.fpr)],
      ];
      readout.replaceChildren(...items.flatMap(([key, k, v]) => [el('dt', null, k), el('dd', { attrs: { 'data-metric': key } }, v)]));
      const cm = plotCard(confusionPlot(ctx, confusionMatrix2(at), names, ctx.ui.normalizeConfusion, half), {
        name: 'confusion-matrix',
        title: t('Confusion matrix ({0}, threshold {1})', SPLIT_LABEL[split], th.toFixed(3)),
        note: ctx.ui.normalizeConfusion ? t('Each row divided by the true class’s count: the diagonal is the recall of each class.') : t('Rows: true class; columns: predicted class. Counts follow the threshold slider.'),
        exporter: ctx.exportPlot,
      });
      cmBox.replaceChildren(cm);
      moveMarkers?.(at);
    },
  };
  // The curves are drawn once (in a step of their own); a threshold change only moves their markers.
  const drawCurves = (): ((at: ThresholdPoint) => void) => {
    const [rocP, prP] = curvePlots(ctx, curves, half, names[1]);
    curveBox.replaceChildren(
      plotCard(rocP, { name: 'roc-curve', title: t('ROC curve ({0})', SPLIT_LABEL[split]), note: t('Positive class “{0}”; the dot is the current threshold.', names[1]), exporter: ctx.exportPlot }),
      plotCard(prP, { name: 'pr-curve', title: t('Precision–recall curve ({0})', SPLIT_LABEL[split]), note: t('Dashed line: the share of positives (a random model).'), exporter: ctx.exportPlot }),
    );
    const roc = thresholdMarker(rocP, ctx.theme);
    const pr = thresholdMarker(prP, ctx.theme);
    moveMarkers = (p) => {
      roc(p.fpr, p.tpr, p.threshold);
      pr(p.recall, p.tp + p.fp > 0 ? p.precision : 1, p.threshold);
    };
    return moveMarkers;
  };
  let pending = false;
  slider.addEventListener('input', () => {
    const th = snapThreshold(Number((slider as HTMLInputElement).value));
    ctx.setUi({ threshold: th }, false);
    valueText.textContent = th.toFixed(3);
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      parts.update(snapThreshold(Number((slider as HTMLInputElement).value)));
    });
  });
  // Synchronous update for `change` (keyboard, tests) so the numbers are right when the event returns.
  slider.addEventListener('change', () => parts.update(snapThreshold(Number((slider as HTMLInputElement).value))));
  const reset = button(t('Model’s threshold ({0})', fmt(model.threshold, 3)), { secondary: true, id: 'threshold-reset', onClick: () => setTo(model.threshold) });
  const setTo = (th: number) => {
    (slider as HTMLInputElement).value = String(snapThreshold(th));
    ctx.setUi({ threshold: snapThreshold(th) }, false);
    parts.update(snapThreshold(th));
  };
  const card = el(
    'section',
    { class: 'll-card ll-threshold', attrs: { 'data-view': 'threshold' } },
    el('header', { class: 'll-card-head' }, el('h3', null, t('Decision threshold'))),
    el('p', { class: 'll-note' }, t('Predict “{0}” when its probability is at least the threshold. Drag or use the arrow keys; the confusion matrix, the rates and the marks on the curves follow.', names[1])),
    el('div', { class: 'll-slider-row' }, el('label', { attrs: { for: 'threshold' } }, t('Threshold')), slider, valueText, reset),
    readout,
  );
  // The cards are filled now, before they are attached, as the view was built before.
  parts.update(initial);
  // With the confusion matrix in the same task, a 30 ms task here (92 ms on a slower CPU; issue 20).
  yield;
  drawCurves()(atThreshold(sweep, snapThreshold(Number((slider as HTMLInputElement).value))));
  return [card, cmBox, curveBox];
}

/** Multiclass (and multilabel's pooled labels): the confusion matrix at the most probable class, and the per-class table. */
function confusionCards(ctx: ViewContext, run: RunRecord, split: SplitName, metrics: ClassificationMetrics, width: number): HTMLElement[] {
  const model = run.report.model;
  const names = model.kind === 'multilabel' ? ['0', '1'] : model.classes;
  const cards: HTMLElement[] = [];
  // Above 50 classes the report has per-class scores but no confusion matrix (it would grow as K²).
  if (metrics.confusion.length > 0) {
    cards.push(
      plotCard(confusionPlot(ctx, metrics.confusion, names, ctx.ui.normalizeConfusion, width), {
        name: 'confusion-matrix',
        title: t('Confusion matrix ({0})', SPLIT_LABEL[split]),
        note: ctx.ui.normalizeConfusion ? t('Each row divided by the true class’s count: the diagonal is the recall of each class.') : t('Rows: true class; columns: predicted class (the most probable).'),
        exporter: ctx.exportPlot,
      }),
    );
  }
  const pc = perClassTable(run, split);
  if (pc) cards.push(el('section', { class: 'll-card' }, el('header', { class: 'll-card-head' }, el('h3', null, t('Per class'))), pc));
  return cards;
}

/** The one-vs-rest card's plot height (the pending card keeps its place). */
const oneVsRestHeight = (width: number) => Math.min(440, width);

/**
 * The one-vs-rest card while the run's per-class curves are asked from the host (RunRecord.curvesOmitted;
 * ctx.loadCurves asks once): its title, and in the plot's place a line saying they are loading (or why
 * they could not be). The header's buttons and the legend take their places unseen, so the card that
 * replaces it has the same height and nothing below moves.
 */
function pendingCurvesCard(ctx: ViewContext, run: RunRecord, split: SplitName, width: number): HTMLElement {
  const load = ctx.loadCurves(run.id, split);
  const status =
    load.state === 'failed'
      ? el('p', { class: 'll-warn-text ll-curves-status', attrs: { role: 'alert' } }, t('The per-class curves could not be loaded: {0}', load.message))
      : el('p', { class: 'll-note ll-curves-status', attrs: { role: 'status' } }, t('Loading per-class curves…'));
  // The legend's place, taken by entries as wide as the real ones (hidden), so that it wraps as they will.
  const names = outputNames(run.report.model).slice(0, run.curvesOmitted?.[split] ?? 0);
  const legend = oneVsRestLegend(ctx, names.map((n) => t('{0}: AUC {1}, AP {2}', n, '0.0000', '0.0000')));
  legend.style.visibility = 'hidden';
  legend.setAttribute('aria-hidden', 'true');
  const card = plotCard(null, { name: 'roc-curves', title: t('ROC curves, one vs rest ({0})', SPLIT_LABEL[split]), controls: [legend] });
  card.setAttribute('data-curves', load.state);
  card.setAttribute('data-curves-for', `${run.id} ${split}`);
  // The export buttons' place too (the drawn card's header is as tall as they are).
  const actions = card.querySelector<HTMLElement>('.ll-card-actions');
  if (actions) {
    actions.replaceChildren(...['SVG', 'PNG'].map((f) => button(f, { secondary: true, disabled: true })));
    actions.style.visibility = 'hidden';
    actions.setAttribute('aria-hidden', 'true');
  }
  const box = el('div', { class: 'll-plot-box' }, status);
  box.style.height = `${oneVsRestHeight(width)}px`;
  card.append(box);
  return card;
}

/** The one-vs-rest card's legend: a class's colour and its entry. */
function oneVsRestLegend(ctx: ViewContext, entries: string[]): HTMLElement {
  return el(
    'div',
    { class: 'll-legend' },
    ...entries.map((entry, k) => {
      const sw = el('span', { class: 'll-swatch' });
      sw.style.background = classColor(ctx.theme, k);
      return el('span', { class: 'll-legend-item' }, sw, entry);
    }),
  );
}

/**
 * Redraws the one-vs-rest card of `run`'s `split` in `container` (the Evaluation tab's body) if it shows
 * the pending card: the curves when they have arrived, else the pending card's new state. False when
 * there is no such card (another run, split or tab is shown: it draws them when it is shown).
 */
export function redrawPendingCurves(ctx: ViewContext, run: RunRecord, split: SplitName, container: HTMLElement): boolean {
  const pending = container.querySelector(`[data-curves-for="${run.id} ${split}"]`);
  if (!pending) return false;
  pending.replaceWith(oneVsRestOrPending(ctx, run, split, plotWidth(container, 280, 1200)));
  return true;
}

/** The one-vs-rest card if the run has the split's per-class curves (now: they may have come since the tab was laid out), else the pending card. */
function oneVsRestOrPending(ctx: ViewContext, run: RunRecord, split: SplitName, width: number): HTMLElement {
  const curves = run.report.evaluation[split]?.perClassCurves;
  return curves && curves.length > 0 ? oneVsRestCard(ctx, run.report.model, split, curves, width) : pendingCurvesCard(ctx, run, split, width);
}

/** Multiclass / multilabel: one ROC curve per class against the rest, with a legend of AUC and AP. */
function oneVsRestCard(ctx: ViewContext, model: RunRecord['report']['model'], split: SplitName, perClassCurves: BinaryCurves[], width: number): HTMLElement {
  const names = outputNames(model);
  const rocRows = perClassCurves.flatMap((c, k) => c.roc.fpr.map((x, i) => ({ x, y: c.roc.tpr[i], k })).filter((d) => Number.isFinite(d.x) && Number.isFinite(d.y)));
  const plot = renderPlot(
    {
      width: Math.min(560, width),
      height: oneVsRestHeight(width),
      marginLeft: 48,
      marginBottom: 40,
      x: { domain: [0, 1], label: t('false positive rate'), grid: true },
      y: { domain: [0, 1], label: t('true positive rate'), grid: true },
      marks: [
        diagonalMark(ctx.theme),
        Plot.line(rocRows, { x: 'x', y: 'y', z: 'k', stroke: (d: { k: number }) => classColor(ctx.theme, d.k), strokeWidth: 2, curve: 'step-after' }),
      ],
    },
    ctx.theme,
  );
  const legend = oneVsRestLegend(ctx, perClassCurves.map((c, k) => t('{0}: AUC {1}, AP {2}', names[k], fmt(c.roc.auc), fmt(c.pr.averagePrecision))));
  return plotCard(plot, { name: 'roc-curves', title: t('ROC curves, one vs rest ({0})', SPLIT_LABEL[split]), exporter: ctx.exportPlot, controls: [legend] });
}

/** The reliability diagram, with the choice of calibrator when the run fitted any. */
function calibrationCard(ctx: ViewContext, split: SplitName, relSource: BinaryCurves, width: number, rows: { n: number; nValidation: number }): HTMLElement {
  const cal = relSource.calibrated;
  const options: [CalibrationView, string][] = [['none', t('Uncalibrated')]];
  if (cal?.platt) options.push(['platt', t('Platt (sigmoid)')]);
  if (cal?.isotonic) options.push(['isotonic', t('Isotonic')]);
  const choice = options.some(([v]) => v === ctx.ui.calibration) ? ctx.ui.calibration : 'none';
  const rel = choice === 'platt' ? cal!.platt! : choice === 'isotonic' ? cal!.isotonic! : relSource.reliability;
  const controls: Child[] = [];
  if (options.length > 1) {
    controls.push(selectControl('calibration', t('Probabilities'), options, choice, (v) => ctx.setUi({ calibration: v })));
  }
  const card = plotCard(reliabilityPlot(ctx, rel, Math.min(width, 520), choice === 'none' ? t('model') : choice), {
    name: 'reliability',
    title: t('Calibration ({0})', SPLIT_LABEL[split]),
    note:
      options.length > 1
        ? t('Points on the diagonal are well calibrated: among rows given probability p, a fraction p is positive. {0} equal-width bins for {1} rows; dot size and n: rows in the bin (a bin of a few rows is noise). Calibrators were fitted on the validation split.', rel.bins.length, rows.n)
        : t('Points on the diagonal are well calibrated: among rows given probability p, a fraction p is positive. {0} equal-width bins for {1} rows; dot size and n: rows in the bin (a bin of a few rows is noise). Platt and isotonic calibration need a validation split.', rel.bins.length, rows.n),
    exporter: ctx.exportPlot,
    controls,
  });
  card.append(calibrationSummary(rel, relSource.reliability, choice, rows.nValidation));
  return card;
}
