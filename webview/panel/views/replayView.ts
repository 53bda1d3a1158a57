/**
 * Replay: a scrubber (a native range input: arrow keys, Page Up/Down, Home/End) and a play button
 * move through the run's kept steps (report.replay), and every part of the card follows: the
 * decision boundary and the sampled points misclassified at that step (on a canvas, the same axes
 * as the Model tab's boundary: slice or PCA plane), the coefficients, the loss curves' marker, the
 * confusion matrix and the accuracy of the sampled rows.
 *
 * A step is drawn from the cached plane and standardized sample (viewModel/replayFrame.ts) onto a
 * canvas and into table cells updated in place: nothing is re-rendered by Observable Plot. The time
 * of the last step is kept in the card's data-step-ms attribute (bench/browser measurements).
 */
import type { RunRecord } from '../../../src/protocol/panel';
import type { Replay } from '../../../src/core/run/snapshots';
import { append, el, table } from '../dom';
import { button } from '../elements';
import type { ViewContext } from '../context';
import { plotWidth } from '../plots';
import { classColor, type Theme } from '../theme';
import { column, paddedExtent, projectPoints, sliceBase } from '../viewModel/boundaryGrid';
import { defaultSlicePair } from '../viewModel/boundaryPlane';
import { cellShade, parseColor, type Rgb } from '../viewModel/colors';
import { outputNames } from '../viewModel/coefficients';
import { fmt } from '../viewModel/format';
import { pcaPlane, replayCache, replayFrame, slicePlane, type ReplayCache, type ReplayFrame, type ReplayPlane } from '../viewModel/replayFrame';
import { CROSS_R, DOT_R, SPLIT_SHAPES, symbolPath } from '../viewModel/symbols';
import { heatStrength } from './boundaryView';
import { lossPlot, type LossSeries } from './lossPlot';
import { t } from '../../l10n';

const GRID_N = 100;
const MARGIN = { left: 52, right: 10, top: 10, bottom: 36 };
const MAX_COEF_ROWS = 12;
/** Play: a step every 40 ms, so that a long run plays through in about 8 seconds. */
const PLAY_MS = 40;
const PLAY_FRAMES = 200;

interface Geometry {
  cache: ReplayCache;
  /** Point coordinates on the plot's axes. */
  px: Float64Array;
  py: Float64Array;
  xLabel: string;
  yLabel: string;
  note: string;
}

/** The plane and axes of the Model tab's boundary view (slice of the chosen pair, or PCA). */
function geometry(ctx: ViewContext, run: RunRecord, replay: Replay): Geometry {
  const r = run.report;
  const model = r.model;
  const d = model.featureNames.length;
  const label = model.kind === 'multilabel' ? Math.max(0, Math.min(ctx.ui.coefSort.output, model.coef.length - 1)) : 0;
  if (d > 2 && ctx.ui.boundaryView === 'pca' && r.projection) {
    const { u, v } = projectPoints(model, r.projection, r.points);
    const plane = pcaPlane(r.projection.center, r.projection.components, paddedExtent(u), paddedExtent(v), GRID_N);
    return { cache: replayCache(model, replay, r.points, plane, label), px: u, py: v, xLabel: 'PC1', yLabel: 'PC2', note: t('PCA plane of the standardized training features') };
  }
  if (d === 1) {
    // One feature: x is the feature, y only separates the classes of the points.
    const xs = column(r.points.X, 1, 0);
    const plane: ReplayPlane = { ...slicePlane(model, [0, 0], [0], paddedExtent(xs), [0, 1], GRID_N), ey: new Float64Array(1) };
    plane.origin[0] = -model.preprocessor.mean[0] / model.preprocessor.scale[0];
    const py = Float64Array.from(r.points.y, (y, i) => 0.2 + 0.6 * (y % 2) + 0.1 * Math.sin(i * 12.9898));
    return { cache: replayCache(model, replay, r.points, plane, label), px: xs, py, xLabel: model.featureNames[0], yLabel: t('class'), note: t('One feature: points spread vertically by class') };
  }
  let [fx, fy] = ctx.ui.featurePair ?? defaultSlicePair(model, model.kind === 'multilabel' ? label : undefined);
  if (fx >= d || fy >= d || fx === fy) [fx, fy] = defaultSlicePair(model);
  const px = column(r.points.X, d, fx);
  const py = column(r.points.X, d, fy);
  const { base } = sliceBase(model, r.points, model.settings.missing);
  const plane = slicePlane(model, [fx, fy], base, paddedExtent(px), paddedExtent(py), GRID_N);
  const note = d > 2 ? t('Slice through the training means of the other features') : t('The whole model');
  return { cache: replayCache(model, replay, r.points, plane, label), px, py, xLabel: model.featureNames[fx], yLabel: model.featureNames[fy], note };
}

/** Draws the heatmap, the boundary, the sampled points and the misclassified crosses of one frame. */
class BoundaryCanvas {
  readonly canvas: HTMLCanvasElement;
  private readonly cells: HTMLCanvasElement;
  private readonly image: ImageData;
  private readonly bg: Rgb;
  private readonly colors: Rgb[];
  private readonly strength: number;

  constructor(
    private readonly g: Geometry,
    private readonly theme: Theme,
    width: number,
    private readonly threshold: number,
  ) {
    const height = Math.round(Math.min(480, Math.max(240, width * 0.62)));
    this.canvas = el('canvas', { class: 'll-replay-canvas', attrs: { width, height, role: 'img' } });
    const plane = g.cache.plane;
    this.cells = el('canvas', { attrs: { width: plane.nx, height: plane.ny } });
    this.image = new ImageData(plane.nx, plane.ny);
    this.bg = parseColor(theme.bg) ?? [255, 255, 255];
    this.colors = Array.from({ length: Math.max(2, g.cache.K) }, (_, k) => parseColor(classColor(theme, k)) ?? [128, 128, 128]);
    this.strength = heatStrength(theme);
  }

  draw(f: ReplayFrame): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    const p = this.g.cache.plane;
    const pw = width - MARGIN.left - MARGIN.right;
    const ph = height - MARGIN.top - MARGIN.bottom;
    const sx = (u: number) => MARGIN.left + ((u - p.x1) / (p.x2 - p.x1)) * pw;
    const sy = (v: number) => MARGIN.top + (1 - (v - p.y1) / (p.y2 - p.y1)) * ph;
    ctx.clearRect(0, 0, width, height);
    this.paintCells(f);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.cells, MARGIN.left, MARGIN.top, pw, ph);
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, pw, ph);
    ctx.clip();
    this.drawBoundary(ctx, f, sx, sy);
    this.drawPoints(ctx, f, sx, sy);
    ctx.restore();
    this.drawAxes(ctx, pw, ph);
  }

  private paintCells(f: ReplayFrame): void {
    const { nx, ny } = this.g.cache.plane;
    const data = this.image.data;
    const K = this.g.cache.K;
    for (let r = 0; r < ny; r++) {
      for (let c = 0; c < nx; c++) {
        const i = r * nx + c;
        const [k, t] = cellShade(K, f.value[i], f.argmax[i], this.threshold, this.strength);
        const col = this.colors[k];
        const tt = Math.min(1, Math.max(0, t));
        const o = ((ny - 1 - r) * nx + c) * 4;
        data[o] = this.bg[0] + (col[0] - this.bg[0]) * tt;
        data[o + 1] = this.bg[1] + (col[1] - this.bg[1]) * tt;
        data[o + 2] = this.bg[2] + (col[2] - this.bg[2]) * tt;
        data[o + 3] = 255;
      }
    }
    this.cells.getContext('2d')?.putImageData(this.image, 0, 0);
  }

  /** Binary-like: the straight line where P = threshold; multiclass: the edges between argmax regions. */
  private drawBoundary(ctx: CanvasRenderingContext2D, f: ReplayFrame, sx: (u: number) => number, sy: (v: number) => number): void {
    const p = this.g.cache.plane;
    ctx.strokeStyle = this.theme.fg;
    ctx.lineWidth = 2;
    ctx.beginPath();
    if (f.line) {
      const z = Math.log(this.threshold / (1 - this.threshold));
      const { a, gx, gy } = f.line;
      const ends: [number, number][] = [];
      if (gy !== 0) for (const u of [p.x1, p.x2]) ends.push([u, (z - a - gx * u) / gy]);
      if (gx !== 0) for (const v of [p.y1, p.y2]) ends.push([(z - a - gy * v) / gx, v]);
      const inside = ends.filter(([u, v]) => u >= p.x1 - 1e-9 && u <= p.x2 + 1e-9 && v >= p.y1 - 1e-9 && v <= p.y2 + 1e-9);
      if (inside.length >= 2 && Number.isFinite(inside[0][0] + inside[0][1])) {
        ctx.moveTo(sx(inside[0][0]), sy(inside[0][1]));
        ctx.lineTo(sx(inside[inside.length - 1][0]), sy(inside[inside.length - 1][1]));
      }
    } else {
      const { nx, ny } = p;
      const cw = (p.x2 - p.x1) / nx;
      const ch = (p.y2 - p.y1) / ny;
      for (let r = 0; r < ny; r++) {
        for (let c = 0; c < nx; c++) {
          const k = f.argmax[r * nx + c];
          if (c + 1 < nx && f.argmax[r * nx + c + 1] !== k) {
            ctx.moveTo(sx(p.x1 + (c + 1) * cw), sy(p.y1 + r * ch));
            ctx.lineTo(sx(p.x1 + (c + 1) * cw), sy(p.y1 + (r + 1) * ch));
          }
          if (r + 1 < ny && f.argmax[(r + 1) * nx + c] !== k) {
            ctx.moveTo(sx(p.x1 + c * cw), sy(p.y1 + (r + 1) * ch));
            ctx.lineTo(sx(p.x1 + (c + 1) * cw), sy(p.y1 + (r + 1) * ch));
          }
        }
      }
    }
    ctx.stroke();
  }

  private drawPoints(ctx: CanvasRenderingContext2D, f: ReplayFrame, sx: (u: number) => number, sy: (v: number) => number): void {
    const { cls, split, m } = this.g.cache;
    ctx.lineWidth = 0.8;
    ctx.strokeStyle = this.theme.bg;
    for (let i = 0; i < m; i++) {
      const x = sx(this.g.px[i]);
      const y = sy(this.g.py[i]);
      ctx.fillStyle = classColor(this.theme, cls[i]);
      ctx.beginPath();
      symbolPath(ctx, SPLIT_SHAPES[split[i]] ?? 'circle', x, y, DOT_R);
      ctx.fill();
      ctx.stroke();
    }
    ctx.strokeStyle = this.theme.fg;
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    for (let i = 0; i < m; i++) {
      if (f.predicted[i] === cls[i]) continue;
      symbolPath(ctx, 'times', sx(this.g.px[i]), sy(this.g.py[i]), CROSS_R);
    }
    ctx.stroke();
  }

  private drawAxes(ctx: CanvasRenderingContext2D, pw: number, ph: number): void {
    const p = this.g.cache.plane;
    ctx.strokeStyle = this.theme.grid;
    ctx.lineWidth = 1;
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, pw - 1, ph - 1);
    ctx.fillStyle = this.theme.fg;
    ctx.font = `11px ${this.theme.fontFamily}`;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillText(fmt(p.x1, 3), MARGIN.left, MARGIN.top + ph + 4);
    ctx.textAlign = 'right';
    ctx.fillText(fmt(p.x2, 3), MARGIN.left + pw, MARGIN.top + ph + 4);
    ctx.textAlign = 'center';
    ctx.fillText(this.g.xLabel, MARGIN.left + pw / 2, MARGIN.top + ph + 20);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    ctx.fillText(fmt(p.y1, 3), MARGIN.left - 4, MARGIN.top + ph);
    ctx.textBaseline = 'top';
    ctx.fillText(fmt(p.y2, 3), MARGIN.left - 4, MARGIN.top);
    ctx.save();
    ctx.translate(12, MARGIN.top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(this.g.yLabel, 0, 0);
    ctx.restore();
  }
}

/** The loss curves with a marker at the replayed step (an SVG line and dot moved in place). */
function lossWithMarker(ctx: ViewContext, run: RunRecord, width: number): { node: Element | null; move: (iteration: number) => void } {
  const h = run.report.lossHistory;
  if (h.train.length === 0) return { node: null, move: () => undefined };
  const series: LossSeries[] = [{ run: '', train: h.train, validation: h.validation, color: classColor(ctx.theme, 0) }];
  const node = lossPlot(series, ctx.theme, width, ctx.ui.logScale);
  const svg = node instanceof SVGSVGElement ? node : node.querySelector('svg');
  const scaled = node as unknown as { scale?: (name: string) => { apply(v: number): number; range?: number[] } | undefined };
  const xs = scaled.scale?.('x');
  const ys = scaled.scale?.('y');
  if (!svg || !xs || !ys) return { node, move: () => undefined };
  const ns = 'http://www.w3.org/2000/svg';
  const rule = document.createElementNS(ns, 'line');
  const dot = document.createElementNS(ns, 'circle');
  const [top, bottom] = [Math.min(...(ys.range ?? [0, 0])), Math.max(...(ys.range ?? [0, 0]))];
  rule.setAttribute('y1', String(top));
  rule.setAttribute('y2', String(bottom));
  rule.setAttribute('stroke', ctx.theme.accent);
  rule.setAttribute('stroke-width', '1.5');
  rule.setAttribute('class', 'll-replay-marker');
  dot.setAttribute('r', '4.5');
  dot.setAttribute('fill', ctx.theme.accent);
  svg.append(rule, dot);
  const move = (iteration: number) => {
    const x = xs.apply(Math.max(1, iteration));
    rule.setAttribute('x1', String(x));
    rule.setAttribute('x2', String(x));
    const v = h.train[Math.max(0, Math.min(h.train.length - 1, iteration - 1))];
    const y = ys.apply(v);
    dot.setAttribute('cx', String(x));
    dot.setAttribute('cy', String(Number.isFinite(y) ? y : bottom));
    dot.style.visibility = iteration >= 1 && Number.isFinite(y) ? 'visible' : 'hidden';
  };
  return { node, move };
}

/**
 * The replay note's first sentence: how many steps of how many iterations (or streamed loss-curve
 * points), over the outputs or not, thinned or not; one whole sentence per case.
 */
function stepsSentence(n: number, of: number, stream: boolean, overOutputs: boolean, thinned: boolean): string {
  const key = (stream ? 4 : 0) + (overOutputs ? 2 : 0) + (thinned ? 1 : 0);
  switch (key) {
    case 0:
      return t('Drag the slider (or use the arrow keys, Home and End) to see the model after each kept step: {0} steps of {1} iterations.', n, of);
    case 1:
      return t('Drag the slider (or use the arrow keys, Home and End) to see the model after each kept step: {0} steps of {1} iterations (thinned to at most 2,000).', n, of);
    case 2:
      return t('Drag the slider (or use the arrow keys, Home and End) to see the model after each kept step: {0} steps of {1} iterations over the outputs.', n, of);
    case 3:
      return t('Drag the slider (or use the arrow keys, Home and End) to see the model after each kept step: {0} steps of {1} iterations over the outputs (thinned to at most 2,000).', n, of);
    case 4:
      return t('Drag the slider (or use the arrow keys, Home and End) to see the model after each kept step: {0} steps of {1} loss-curve points of the streamed epochs (each step: the model at the end of a group of mini-batches).', n, of);
    case 5:
      return t('Drag the slider (or use the arrow keys, Home and End) to see the model after each kept step: {0} steps of {1} loss-curve points of the streamed epochs (each step: the model at the end of a group of mini-batches) (thinned to at most 2,000).', n, of);
    case 6:
      return t('Drag the slider (or use the arrow keys, Home and End) to see the model after each kept step: {0} steps of {1} loss-curve points of the streamed epochs (each step: the model at the end of a group of mini-batches) over the outputs.', n, of);
    default:
      return t('Drag the slider (or use the arrow keys, Home and End) to see the model after each kept step: {0} steps of {1} loss-curve points of the streamed epochs (each step: the model at the end of a group of mini-batches) over the outputs (thinned to at most 2,000).', n, of);
  }
}

/** Coefficient table (standardized units) with cells updated in place; the rows with the largest final |w|. */
function coefficientTable(run: RunRecord, replay: Replay): { node: HTMLElement; update: (f: ReplayFrame) => void } {
  const model = run.report.model;
  const d = replay.d;
  const names = outputNames(model);
  const final = model.coefStandardized;
  const order = Array.from({ length: d }, (_, j) => j).sort((a, b) => Math.max(...final.map((w) => Math.abs(w[b]))) - Math.max(...final.map((w) => Math.abs(w[a]))) || a - b);
  const shown = order.slice(0, MAX_COEF_ROWS);
  const cells: HTMLElement[][] = [];
  const cell = () => el('td', { class: 'll-num' }, '');
  const rowOf = (label: string) => {
    const tds = names.map(cell);
    cells.push(tds);
    return el('tr', null, el('th', { attrs: { scope: 'row' } }, label), ...tds);
  };
  const body = el('tbody', null, ...shown.map((j) => rowOf(model.featureNames[j])), rowOf(t('intercept')));
  const norm = el('td', { attrs: { colspan: names.length }, class: 'll-num' }, '');
  body.append(el('tr', null, el('th', { attrs: { scope: 'row' } }, t('‖w‖₂ (all weights)')), norm));
  const node = el(
    'table',
    { class: 'll-table ll-replay-coef', attrs: { 'aria-label': t('Coefficients at this step (standardized units)') } },
    el('thead', null, el('tr', null, el('th', { attrs: { scope: 'col' } }, t('feature (standardized)')), ...names.map((n) => el('th', { attrs: { scope: 'col' } }, n)))),
    body,
  );
  const update = (f: ReplayFrame) => {
    shown.forEach((j, r) => cells[r].forEach((td, k) => (td.textContent = fmt(f.coef[k][j], 4))));
    cells[shown.length].forEach((td, k) => (td.textContent = fmt(f.coef[k][d], 4)));
    norm.textContent = fmt(f.weightNorm, 4);
  };
  return { node, update };
}

/** Confusion matrix of the sampled training rows and accuracies, updated in place. */
function confusionTable(run: RunRecord, K: number): { node: HTMLElement; update: (f: ReplayFrame) => void } {
  const model = run.report.model;
  const names = model.kind === 'multilabel' ? ['0', '1'] : model.classes;
  const cells: HTMLElement[][] = [];
  const tbl = table(
    [t('true ↓ / predicted →'), ...names.slice(0, K)],
    names.slice(0, K).map((n) => {
      const row = Array.from({ length: K }, () => el('span', { class: 'll-num' }, ''));
      cells.push(row);
      return [n, ...row];
    }),
  );
  tbl.setAttribute('aria-label', t('Confusion matrix of the sampled training rows at this step'));
  const acc = el('p', { class: 'll-replay-accuracy', attrs: { 'aria-live': 'off' } }, '');
  const update = (f: ReplayFrame) => {
    f.confusion.forEach((row, a) => row.forEach((v, b) => (cells[a][b].textContent = String(v))));
    const train = f.accuracy.train === null ? '—' : fmt(f.accuracy.train, 4);
    acc.textContent = f.accuracy.validation !== null ? t('Sampled rows: train accuracy {0}, validation accuracy {1}.', train, fmt(f.accuracy.validation, 4)) : t('Sampled rows: train accuracy {0}.', train);
  };
  return { node: el('div', null, tbl, acc), update };
}

/** The replay card, or null when the run kept no snapshots (older reports). Streaming runs keep one step per loss-history point. */
export function replayView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement | null {
  const r = run.report;
  const replay = r.replay;
  // (A run with a feature expansion draws its points in the encoded features, which this view does not map: no replay card.)
  if (!replay || replay.outputs.length === 0 || replay.d !== r.model.featureNames.length || r.model.expansion) return null;
  const g = geometry(ctx, run, replay);
  const steps = g.cache.steps;
  const binaryLike = r.model.kind === 'binary' || r.model.kind === 'multilabel';
  const threshold = binaryLike ? (ctx.ui.threshold ?? r.model.threshold) : 0.5;
  const width = plotWidth(container, 280, 760);
  const canvas = new BoundaryCanvas(g, ctx.theme, width, threshold);
  const loss = lossWithMarker(ctx, run, width);
  const coef = coefficientTable(run, replay);
  const confusion = confusionTable(run, g.cache.K);
  const last = steps.length - 1;
  const slider = el('input', { class: 'll-replay-slider', attrs: { id: 'replay-step', type: 'range', min: 0, max: last, step: 1, value: last, 'aria-label': t('Replay step') } });
  const status = el('output', { class: 'll-replay-status', attrs: { for: 'replay-step', 'aria-live': 'polite' } }, '');
  const play = button(t('Play'), { id: 'replay-play', ariaLabel: t('Play the replay') });
  const card = el('section', { class: 'll-card ll-replay', attrs: { 'data-view': 'replay' } });
  let timer = 0;
  const show = (index: number) => {
    const t0 = performance.now();
    const it = steps[index];
    const f = replayFrame(g.cache, it, threshold);
    canvas.draw(f);
    loss.move(it);
    coef.update(f);
    confusion.update(f);
    const objective = it >= 1 ? r.lossHistory.train[it - 1] : undefined;
    const text = objective !== undefined ? t('Iteration {0} of {1}, objective {2}', it, steps[last], fmt(objective, 6)) : t('Iteration {0} of {1} (the start)', it, steps[last]);
    status.textContent = text;
    slider.setAttribute('aria-valuetext', text);
    canvas.canvas.setAttribute('aria-label', t('Decision boundary after iteration {0}: {1} of {2} sampled points misclassified', it, f.predicted.reduce((s, p, i) => s + (p !== g.cache.cls[i] ? 1 : 0), 0), g.cache.m));
    card.dataset.step = String(it);
    card.dataset.stepMs = (performance.now() - t0).toFixed(2);
  };
  const stop = () => {
    window.clearInterval(timer);
    timer = 0;
    play.textContent = t('Play');
    play.setAttribute('aria-label', t('Play the replay'));
  };
  slider.addEventListener('input', () => {
    stop();
    show(Number(slider.value));
  });
  play.addEventListener('click', () => {
    if (timer) return stop();
    if (Number(slider.value) >= last) slider.value = '0';
    const stride = Math.max(1, Math.ceil(steps.length / PLAY_FRAMES));
    play.textContent = t('Pause');
    play.setAttribute('aria-label', t('Pause the replay'));
    timer = window.setInterval(() => {
      if (!card.isConnected) return stop();
      const next = Math.min(last, Number(slider.value) + stride);
      slider.value = String(next);
      show(next);
      if (next >= last) stop();
    }, PLAY_MS);
  });
  const kept = replay.outputs.reduce((s, o) => s + o.iterations.length, 0);
  append(
    card,
    el('header', { class: 'll-card-head' }, el('h3', null, t('Replay'))),
    el('div', { class: 'll-controls ll-replay-controls' }, play, slider, status),
    el(
      'p',
      { class: 'll-note' },
      `${stepsSentence(steps.length, steps[last], Boolean(r.stream), kept > steps.length, steps.length <= steps[last])} ${t('{0}; {1} sampled rows of {2}; ✕ = misclassified at this step.', g.note, g.cache.m, r.points.ofRows)}`,
    ),
    el('div', { class: 'll-plot-box' }, canvas.canvas),
    loss.node ? el('div', { class: 'll-plot-box' }, loss.node) : null,
    el('div', { class: 'll-replay-tables' }, coef.node, confusion.node),
  );
  show(last);
  return card;
}
