/**
 * Loss landscape on the Training tab, on request: "Show the loss landscape" asks the host, whose
 * worker computes it on a sample of at most 20k training rows around the run's fitted model
 * (report.landscape, kept with the run). Contours of the objective on a plane through the optimum (the
 * two parameters, the top two Hessian eigenvectors, or two chosen coefficients with the others at the
 * optimum), the run's own path, and gradient descent and heavy-ball momentum from the same start at
 * the learning rate of a slider: each move asks the worker for a re-run on the sample (debounced; the
 * host keeps only the latest), and only the paths' overlay is redrawn when it answers. Says when
 * gradient descent diverges or oscillates and when momentum overshoots. Below, the objective along one
 * coefficient (the penalized one nearest 0) with the L1 kink's one-sided slopes.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import { LANDSCAPE_MOMENTUM, LR_FACTOR_RANGE, type DescentPaths, type Landscape, type LearningRatePath } from '../../../src/core/evaluate/landscape';
import { el, replace } from '../dom';
import type { ViewContext } from '../context';
import { selectControl } from '../elements';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { fmt, fmtCount } from '../viewModel/format';
import { diagnosticsList } from './diagnosticsView';
import { t } from '../../l10n';

/** Slider positions (log-spaced factors over LR_FACTOR_RANGE). */
export const LR_STEPS = 60;
/** Quiet time after the last slider move before a re-run is asked for. */
const DEBOUNCE_MS = 60;

/** factor × 2/λmax at slider position `pos` (log scale over LR_FACTOR_RANGE). */
export function factorAt(pos: number): number {
  const [lo, hi] = LR_FACTOR_RANGE;
  return lo * (hi / lo) ** (pos / LR_STEPS);
}

/** The slider position nearest `factor`. */
export function positionOf(factor: number): number {
  const [lo, hi] = LR_FACTOR_RANGE;
  return Math.max(0, Math.min(LR_STEPS, Math.round((LR_STEPS * Math.log(factor / lo)) / Math.log(hi / lo))));
}

/** A landscape this version draws (older reports stored another shape: computed again on request). */
export function usableLandscape(l: Landscape | undefined): l is Landscape {
  return !!l && !!l.descent && !!l.slice && Array.isArray(l.center);
}

/**
 * The slider's state while the panel lives, for one run: the rate chosen (null until the slider moves:
 * the landscape's own DEFAULT_LR_FACTOR), the latest paths the worker sent, and the view's redraw.
 */
const live = { runId: -1, factor: null as number | null, paths: null as { factor: number; paths: DescentPaths } | null, redraw: null as ((runId: number) => void) | null };

/** The host's answer to a slider move (app.ts): kept, and the overlay redrawn when it still matters. */
export function onDescended(runId: number, factor: number, paths: DescentPaths): void {
  if (runId !== live.runId) return;
  live.paths = { factor, paths };
  live.redraw?.(runId);
}

interface Pt {
  a: number;
  b: number;
}

function points(l: Landscape, a: number[], b: number[]): Pt[] {
  return a.map((x, i) => ({ a: x + l.offset[0], b: b[i] + l.offset[1] })).filter((p) => Number.isFinite(p.a) && Number.isFinite(p.b));
}

/** What gradient descent does at this rate, in words (and whether it is a warning). */
export function lrVerdict(l: Landscape, p: LearningRatePath): { text: string; bad: boolean } {
  const limit = `2/λmax = ${fmt(2 / l.lambdaMax, 3)}`;
  if (p.diverged) return { text: t('Gradient descent diverges at η = {0}: above {1} each step overshoots the minimum along the steepest direction by more than it corrects, and the loss grows.', fmt(p.learningRate, 3), limit), bad: true };
  if (p.factor > 1) return { text: t('η = {0} is above {1}: the steepest direction oscillates with growing amplitude; within these {2} steps the flatter directions still lower the loss.', fmt(p.learningRate, 3), limit, p.a.length - 1), bad: true };
  if (p.factor > 0.5) return { text: t('η = {0} is between 1/λmax and {1}: gradient descent zig-zags across the valley but converges.', fmt(p.learningRate, 3), limit), bad: false };
  return { text: t('η = {0} is below 1/λmax: gradient descent moves smoothly downhill (slowly along the flat directions).', fmt(p.learningRate, 3)), bad: false };
}

/** What momentum does at the same rate: overshoot (the objective going up on the way) or divergence. */
export function momentumVerdict(p: LearningRatePath): string {
  const steps = p.a.length - 1;
  if (p.diverged) return t('Momentum (μ = {0}) diverges at this rate: its velocity adds up the overshoots.', LANDSCAPE_MOMENTUM);
  if (p.rises > 0) return t('Momentum (μ = {0}) overshoots: the objective went up after {1} of its {2} steps as it swung past the minimum and back.', LANDSCAPE_MOMENTUM, p.rises, steps);
  return t('Momentum (μ = {0}) went downhill at every one of its {1} steps at this rate.', LANDSCAPE_MOMENTUM, steps);
}

const MARGINS = { marginLeft: 60, marginBottom: 40, marginTop: 20, marginRight: 20 };

function frameOf(l: Landscape, width: number) {
  return {
    width,
    height: Math.round(Math.min(520, Math.max(260, width * 0.7))),
    ...MARGINS,
    x1: l.aRange[0] + l.offset[0],
    x2: l.aRange[1] + l.offset[0],
    y1: l.bRange[0] + l.offset[1],
    y2: l.bRange[1] + l.offset[1],
  };
}

/** Contours, the run's path and the optimum: drawn once per landscape. */
function basePlot(ctx: ViewContext, l: Landscape, width: number): Element {
  const f = frameOf(l, width);
  // Contours of log(F - min F) space the ellipses evenly from the bottom of the valley outwards.
  const lo = Math.min(...l.values, l.objectiveAtOptimum);
  const shifted = l.values.map((v) => Math.log10(v - lo + 1e-6 * Math.max(1, Math.abs(lo))));
  const run = points(l, l.path.a, l.path.b);
  return renderPlot(
    {
      width: f.width,
      height: f.height,
      ...MARGINS,
      x: { label: l.axes[0], domain: [f.x1, f.x2] },
      y: { label: l.axes[1], domain: [f.y1, f.y2] },
      marks: [
        Plot.contour(shifted, { width: l.n, height: l.n, x1: f.x1, x2: f.x2, y1: f.y1, y2: f.y2, thresholds: 14, stroke: ctx.theme.muted, strokeOpacity: 0.8, fill: 'none' }),
        Plot.line(run, { x: 'a', y: 'b', stroke: classColor(ctx.theme, 0), strokeWidth: 2, clip: true }),
        Plot.dot(run, { x: 'a', y: 'b', r: 2, fill: classColor(ctx.theme, 0), clip: true }),
        Plot.dot([{ a: l.offset[0], b: l.offset[1] }], { x: 'a', y: 'b', r: 5, symbol: 'star', fill: ctx.theme.fg }),
        Plot.frame({ stroke: ctx.theme.grid }),
      ],
    },
    ctx.theme,
  );
}

/** Gradient descent (and momentum) at the slider's rate: an overlay with the base plot's scales, redrawn alone. */
function pathsOverlay(ctx: ViewContext, l: Landscape, paths: DescentPaths, showMomentum: boolean, width: number): Element {
  const f = frameOf(l, width);
  const gd = points(l, paths.gd.a, paths.gd.b);
  const gdColor = paths.gd.diverged ? ctx.theme.error : classColor(ctx.theme, 1);
  const marks = [Plot.line(gd, { x: 'a', y: 'b', stroke: gdColor, strokeWidth: 1.6, clip: true }), Plot.dot(gd, { x: 'a', y: 'b', r: 2.5, fill: gdColor, clip: true })];
  if (showMomentum) {
    const m = points(l, paths.momentum.a, paths.momentum.b);
    marks.push(Plot.line(m, { x: 'a', y: 'b', stroke: classColor(ctx.theme, 2), strokeWidth: 1.4, strokeDasharray: '4,3', clip: true }), Plot.dot(m, { x: 'a', y: 'b', r: 2, fill: classColor(ctx.theme, 2), clip: true }));
  }
  const node = renderPlot({ width: f.width, height: f.height, ...MARGINS, x: { domain: [f.x1, f.x2], axis: null }, y: { domain: [f.y1, f.y2], axis: null }, marks }, ctx.theme);
  node.classList.add('ll-landscape-overlay');
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/** F along one coefficient, the fitted value marked, and 0 (the L1 kink) ruled. */
function slicePlot(ctx: ViewContext, l: Landscape, width: number): Element {
  const s = l.slice;
  const data = s.x.map((x, i) => ({ x, f: s.values[i] }));
  return renderPlot(
    {
      width,
      height: 220,
      marginLeft: 60,
      marginBottom: 40,
      x: { label: t('{0} (standardized units)', s.name) },
      y: { label: t('objective'), grid: true },
      marks: [
        Plot.ruleX([0], { stroke: ctx.theme.muted, strokeDasharray: '3,3' }),
        Plot.line(data, { x: 'x', y: 'f', stroke: classColor(ctx.theme, 0), strokeWidth: 1.8 }),
        Plot.dot([{ x: s.at, f: l.objectiveAtOptimum }], { x: 'x', y: 'f', r: 4, symbol: 'star', fill: ctx.theme.fg }),
      ],
    },
    ctx.theme,
  );
}

function sliceNote(l: Landscape): string {
  const s = l.slice;
  const base = t('The objective along {0} alone, every other coefficient at the optimum (star: the fitted value {1}; dashed: 0).', s.name, fmt(s.at, 4));
  if (!s.kink) return `${base} ${t('Without an L1 penalty the curve is smooth at 0.')}`;
  const k = s.kink;
  const held = k.left <= 0 && k.right >= 0 ? ` ${t('The slope is ≤ 0 on the left and ≥ 0 on the right: moving away from 0 either way raises the objective, so an L1 fit leaves this coefficient at exactly 0.')}` : '';
  return `${base} ${t('The L1 penalty (α = {0}) puts a kink at 0: the slope is {1} just left of it and {2} just right, a jump of {3} = 2α.', fmt(k.l1Strength, 4), fmt(k.left, 4), fmt(k.right, 4), fmt(k.jump, 4))}${held}`;
}

/** The directions chooser: auto (eigenvectors or the two parameters) or two chosen coefficients. */
function directionControls(ctx: ViewContext, run: RunRecord, l: Landscape): HTMLElement[] {
  if (ctx.data.readOnly) return [];
  const names = l.paramNames;
  const [i, j] = l.coefficients ?? [0, Math.min(1, names.length - 1)];
  const options = names.map((n, k) => [String(k), n] as const);
  const ask = (a: number, b: number) => a !== b && ctx.post({ type: 'computeLandscape', runId: run.id, directions: { kind: 'coefficients', i: a, j: b } });
  const mode = selectControl('landscape-directions', t('Directions'), [['auto', names.length === 2 ? t('the two parameters') : t('Hessian eigenvectors')], ['coefficients', t('two chosen coefficients')]] as const, l.mode === 'coefficients' ? 'coefficients' : 'auto', (v) => {
    if (v === 'auto') ctx.post({ type: 'computeLandscape', runId: run.id, directions: { kind: 'auto' } });
    else ask(i, j);
  });
  if (l.mode !== 'coefficients') return [mode];
  return [mode, selectControl('landscape-coef-a', 'x', options, String(i), (v) => ask(Number(v), j)), selectControl('landscape-coef-b', 'y', options, String(j), (v) => ask(i, Number(v)))];
}

/** The card before the landscape exists: the button that asks for it (or why there is none). */
function requestCard(ctx: ViewContext, run: RunRecord): HTMLElement {
  const d = ctx.data;
  const busy = d.landscapeJob.computing === run.id;
  const single = run.report.model.kind === 'binary' || run.report.model.kind === 'multinomial';
  const why = run.report.stream
    ? t('The loss landscape needs the training rows in memory; this run streamed the file from disk.')
    : !single
      ? t('The loss landscape is drawn for binary and multinomial models (this one fits a separate problem per class or label).')
      : d.readOnly
        ? t('This report was saved without a loss landscape (the CLI computes one with --landscape; the panel, on request).')
        : t('Contours of the objective around the fitted model, this run’s path, and gradient descent and momentum at a learning rate you choose — computed in the background on a sample of at most 20,000 training rows.');
  const controls = !d.readOnly && single && !run.report.stream ? [el('vscode-button', { attrs: { id: 'show-landscape', disabled: busy }, on: { click: () => ctx.post({ type: 'computeLandscape', runId: run.id, directions: { kind: 'auto' } }) } }, t('Show the loss landscape'))] : [];
  const card = plotCard(null, { name: 'loss-landscape', title: t('Loss landscape'), note: why, controls, class: 'll-landscape' });
  card.setAttribute('data-view', 'landscape');
  if (busy) card.append(el('p', { class: 'll-note', attrs: { role: 'status', 'aria-live': 'polite', 'data-landscape-status': '' } }, t('Computing the loss landscape…')));
  if (d.landscapeJob.error?.runId === run.id) card.append(diagnosticsList(d.landscapeJob.error.diagnostics, t('The loss landscape could not be computed')));
  return card;
}

function conditionText(l: Landscape): string {
  const cond = l.condition;
  return cond.standardized !== null && cond.original !== null
    ? l.standardizedFit
      ? t('Hessian condition number at the optimum: {0} with standardized features, {1} in original units — the larger it is, the longer and thinner the ellipses, and the slower gradient descent.', fmt(cond.standardized, 3), fmt(cond.original, 3))
      : t('Hessian condition number at the optimum: {0} with standardized features, {1} in original units (this run did not standardize) — the larger it is, the longer and thinner the ellipses, and the slower gradient descent.', fmt(cond.standardized, 3), fmt(cond.original, 3))
    : t('Condition numbers are computed for models of up to 150 parameters.');
}

function directionsText(l: Landscape): string {
  if (l.mode === 'parameters') return t('The axes are the model’s two parameters (weight and intercept); the star is the fitted model.');
  if (l.mode === 'coefficients') return t('The axes are {0} and {1}; every other coefficient stays at its fitted value. The star is the fitted model; paths are projected on this plane.', l.axes[0], l.axes[1]);
  return t('The axes are the two stiffest directions through the optimum (top Hessian eigenvectors, curvatures {0} and {1}); the star is the fitted model.', fmt(l.eigenvalues![0], 3), fmt(l.eigenvalues![1], 3));
}

export function landscapeView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement | null {
  const l = run.report.landscape;
  if (!usableLandscape(l) || ctx.data.landscapeJob.computing === run.id) return requestCard(ctx, run);
  if (live.runId !== run.id) {
    live.runId = run.id;
    live.factor = null;
    live.paths = null;
  }
  const width = plotWidth(container, 280, 760);
  const box = el('div', { class: 'll-plot-box ll-landscape-box' });
  const overlay = el('div', { class: 'll-landscape-layer' });
  box.append(basePlot(ctx, l, width), overlay);
  const verdict = el('p', { class: 'll-status', attrs: { role: 'status', 'aria-live': 'polite', 'data-lr-verdict': '' } });
  const momentumLine = el('p', { class: 'll-note', attrs: { 'data-momentum-verdict': '' } });
  const value = el('output', { class: 'll-replay-status', attrs: { for: 'lr-slider' } });
  const readOnly = ctx.data.readOnly;
  const slider = el('input', { class: 'll-replay-slider', attrs: { id: 'lr-slider', type: 'range', min: 0, max: LR_STEPS, step: 1, value: positionOf(live.factor ?? l.descent.gd.factor), disabled: readOnly, 'aria-label': t('Learning rate of gradient descent') } });
  const momentumBox = el('vscode-checkbox', { attrs: { id: 'show-momentum', label: t('Momentum (μ = {0})', LANDSCAPE_MOMENTUM) }, props: { checked: true } });
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The paths for the slider's rate: the worker's latest answer for it, or the landscape's own at its default rate. */
  const factorNow = () => (readOnly ? null : live.factor) ?? l.descent.gd.factor;
  const current = (): DescentPaths | null => {
    const factor = factorNow();
    if (live.paths && Math.abs(live.paths.factor - factor) <= 1e-12 * factor) return live.paths.paths;
    return Math.abs(l.descent.gd.factor - factor) <= 1e-12 * factor ? l.descent : null;
  };
  const draw = () => {
    const factor = factorNow();
    const text = `η = ${fmt((factor * 2) / l.lambdaMax, 3)} (${fmt(factor, 3)} × 2/λmax)`;
    value.textContent = text;
    slider.setAttribute('aria-valuetext', text);
    const paths = current();
    if (!paths) {
      verdict.textContent = t('{0}: running gradient descent and momentum on the sample…', text);
      verdict.className = 'll-status';
      delete verdict.dataset.diverged;
      return;
    }
    const showMomentum = (momentumBox as HTMLElement & { checked: boolean }).checked;
    replace(overlay, pathsOverlay(ctx, l, paths, showMomentum, width));
    const v = lrVerdict(l, paths.gd);
    verdict.textContent = v.text;
    verdict.className = `ll-status ${v.bad ? 'll-warn' : 'll-ok'}`;
    verdict.dataset.diverged = String(paths.gd.diverged);
    momentumLine.textContent = showMomentum ? momentumVerdict(paths.momentum) : '';
    momentumLine.dataset.rises = String(paths.momentum.rises);
  };
  live.redraw = (runId) => {
    if (runId === run.id && box.isConnected) draw();
  };
  slider.addEventListener('input', () => {
    const factor = factorAt(Number(slider.value));
    live.factor = factor;
    draw();
    clearTimeout(timer);
    if (!current()) timer = setTimeout(() => ctx.post({ type: 'descend', runId: run.id, factor }), DEBOUNCE_MS);
  });
  momentumBox.addEventListener('change', draw);
  const sample = l.sampleRows < l.ofRows ? t('Computed on a sample of {0} of {1} training rows.', fmtCount(l.sampleRows), fmtCount(l.ofRows)) : t('Computed on all {0} training rows.', fmtCount(l.ofRows));
  const card = plotCard(null, {
    name: 'loss-landscape',
    title: t('Loss landscape'),
    note: `${directionsText(l)} ${t('Contours: the objective on a {0} × {0} grid (log-spaced above its minimum).', l.n)} ${
      readOnly
        ? t('Lines: this run’s path (first colour), gradient descent (second colour; red when it diverges) and heavy-ball momentum (dashed) from θ = 0 for {0} steps at the slider’s learning rate (the slider re-runs them in the panel).', l.descent.gd.a.length - 1)
        : t('Lines: this run’s path (first colour), gradient descent (second colour; red when it diverges) and heavy-ball momentum (dashed) from θ = 0 for {0} steps at the slider’s learning rate.', l.descent.gd.a.length - 1)
    } ${sample}`,
    controls: [...directionControls(ctx, run, l), el('label', { class: 'll-inline-field', attrs: { for: 'lr-slider' } }, t('Learning rate')), slider, value, momentumBox],
    class: 'll-landscape',
  });
  card.setAttribute('data-view', 'landscape');
  card.setAttribute('data-landscape-mode', l.mode);
  card.append(verdict, momentumLine, box, el('p', { class: 'll-note', attrs: { 'data-condition': '' } }, conditionText(l)));
  if (ctx.data.landscapeJob.error?.runId === run.id) card.append(diagnosticsList(ctx.data.landscapeJob.error.diagnostics, t('The loss landscape could not be computed')));
  const slice = el('div', { class: 'll-plot-box', attrs: { 'data-view': 'coefficient-slice', 'data-kink': l.slice.kink ? fmt(l.slice.kink.jump, 6) : '' } }, slicePlot(ctx, l, width));
  card.append(el('h4', null, t('One coefficient: {0}', l.slice.name)), slice, el('p', { class: 'll-note', attrs: { 'data-slice-note': '' } }, sliceNote(l)));
  draw();
  return card;
}
