/**
 * Decision boundary: a probability heatmap computed from the model on a 100 × 100 grid (Plot raster),
 * the boundary as a contour (binary: P(positive) = the current threshold; otherwise the edges of the
 * argmax regions, where the top two class probabilities tie), and the host's stratified sample of
 * points coloured by true class, shaped by split, misclassified ones crossed. With more than two
 * features the default is the model's plane (viewModel/boundaryPlane.ts: exact for binary and
 * three-class models, a map of the model's predictions beyond); a PCA plane and a slice through the
 * training means (default axes: the two largest standardized coefficients) are one click away. The
 * card says in words what the picture is, how many classes have a region and how many points sit
 * in their predicted class's region (also as data-regions / data-agreement for the tests).
 */
import type { RunRecord } from '../../../src/protocol/panel';
import { inputNames, inputWidth } from '../../../src/core/model/model';
import { perceptronOverlay } from './perceptronView';
import { el, type Child } from '../dom';
import { selectControl } from '../elements';
import type { ViewContext } from '../context';
import { gridContour, Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { runPart } from '../incremental';
import { addPointLayer, type LayerCounts, type LayerPoints } from './pointLayer';
import { classColor, type Theme } from '../theme';
import { column, paddedExtent, pcaGrid, projectPoints, sliceBase, sliceGrid, type BoundaryGrid, type SliceBaseSource } from '../viewModel/boundaryGrid';
import { defaultSlicePair, gridAgreement, modelPlaneSteps, nearestPredictionGrid } from '../viewModel/boundaryPlane';
import type { Projection } from '../../../src/core/report/report';
import { pointRows, pointScores, SPLIT_NAMES, type PlotPoint } from '../viewModel/points';
import { SPLIT_SHAPES } from '../viewModel/symbols';
import { fmt } from '../viewModel/format';
import { cellShade, mixer, parseColor, type Rgb } from '../viewModel/colors';
import { outputNames } from '../viewModel/coefficients';
import { t } from '../../l10n';
import { splitWord } from '../viewModel/metricsTable';

const GRID_N = 100;

/** Recently computed grids (the threshold slider redraws without recomputing the model). */
const gridCache = new Map<string, BoundaryGrid>();
function cachedGrid(key: string, make: () => BoundaryGrid): BoundaryGrid {
  let g = gridCache.get(key);
  if (!g) {
    g = make();
    gridCache.set(key, g);
    if (gridCache.size > 8) gridCache.delete(gridCache.keys().next().value as string);
  }
  return g;
}

/** Heatmap colours: binary diverges from class 0's colour to class 1's around the threshold; multiclass tints the argmax class by confidence. */
export function cellColors(grid: BoundaryGrid, theme: Theme, threshold: number, gain = 1): string[] {
  const N = grid.nx * grid.ny;
  const out = new Array<string>(N);
  const strength = gain * heatStrength(theme);
  const mixers = Array.from({ length: grid.K }, (_, k) => mixer(theme.bg, classColor(theme, k)));
  for (let i = 0; i < N; i++) {
    const [k, t] = cellShade(grid.K, grid.value[i], grid.argmax[i], threshold, strength);
    out[i] = mixers[k](t);
  }
  return out;
}

/** How strongly the heatmap tints cells in this theme. */
export function heatStrength(theme: Theme): number {
  return theme.kind === 'dark' ? 0.7 : 0.62;
}

function classLegend(names: readonly string[], theme: Theme, extra: Child[] = []): HTMLElement {
  return el(
    'div',
    { class: 'll-legend', attrs: { role: 'list', 'aria-label': t('Legend') } },
    ...names.map((name, k) => {
      const sw = el('span', { class: 'll-swatch' });
      sw.style.background = classColor(theme, k);
      return el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, sw, name);
    }),
    ...extra,
  );
}

const SOURCE_WORD: Record<SliceBaseSource, string> = { 'standardizer mean': t('standardizer mean'), 'imputation mean': t('imputation mean'), 'sample mean': t('sample mean') };

function symbolLegend(): Child[] {
  return [
    el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, el('span', { class: 'll-sym' }, '●'), splitWord('train')),
    el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, el('span', { class: 'll-sym' }, '■'), splitWord('validation')),
    el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, el('span', { class: 'll-sym' }, '▲'), splitWord('test')),
    el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, el('span', { class: 'll-sym' }, '✕'), t('misclassified')),
  ];
}


/**
 * The points on the plot's scales, for the point layer (pointLayer.ts): shaped by split, coloured by
 * true class, the misclassified crossed; the tooltip names the class, split, prediction and coordinates.
 */
function layerPoints(plot: Element, rows: PlotPoint[], names: readonly string[], xLabel: string, yLabel: string): LayerPoints {
  const scaled = plot as Element & { scale?: (name: string) => { apply(v: number): number } | undefined };
  const sx = scaled.scale?.('x');
  const sy = scaled.scale?.('y');
  const n = rows.length;
  const px = new Float64Array(n).fill(NaN);
  const py = new Float64Array(n).fill(NaN);
  const cls = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (sx && sy) {
      px[i] = sx.apply(row.x);
      py[i] = sy.apply(row.y);
    }
    cls[i] = row.cls;
  }
  const wrong = rows.filter((r) => r.wrong).length;
  return {
    px,
    py,
    cls,
    shape: (i) => SPLIT_SHAPES[SPLIT_NAMES.indexOf(rows[i].split)],
    wrong: (i) => rows[i].wrong,
    tip: (i) => {
      const d = rows[i];
      return `${d.wrong ? t('{0} ({1}), predicted {2}', names[d.cls] ?? d.cls, splitWord(d.split), names[d.predicted] ?? d.predicted) : t('{0} ({1})', names[d.cls] ?? d.cls, splitWord(d.split))}\n${xLabel} = ${fmt(d.x)}\n${yLabel} = ${fmt(d.y)}`;
    },
    label: t('{0} sampled points, coloured by true class, shaped by split (circle: train, square: validation, triangle: test); {1} misclassified, crossed', n, wrong),
  };
}

/** Draws the points on the plot (pointLayer.ts) and puts the plot's frame back on top; returns what was drawn. */
function drawPoints(plot: Element, rows: PlotPoint[], theme: Theme, names: readonly string[], xLabel: string, yLabel: string): LayerCounts {
  const counts = addPointLayer(plot, layerPoints(plot, rows, names, xLabel, yLabel), theme);
  const frame = plot.querySelector('[aria-label="frame"]');
  if (frame) frame.parentNode?.append(frame);
  return counts;
}

/** One feature: the probability curve(s) along it, the sampled points at their predicted probability. */
function oneFeaturePlot(ctx: ViewContext, run: RunRecord, threshold: number, width: number): { plot: Element; counts: LayerCounts } {
  const r = run.report;
  const model = r.model;
  const xs = column(r.points.X, 1, 0);
  const [a, b] = paddedExtent(xs);
  const n = 200;
  const X = Float64Array.from({ length: n }, (_, i) => a + ((i + 0.5) * (b - a)) / n);
  const grid = sliceGrid(model, { pair: [0, 0], base: [0], xExtent: [a, b], yExtent: [0, 1], nx: n, ny: 1 });
  const names = model.kind === 'binary' ? model.classes : outputNames(model);
  const curves: { x: number; p: number; k: number }[] = [];
  const ks = grid.K === 2 ? [1] : Array.from({ length: grid.K }, (_, k) => k);
  for (const k of ks) for (let i = 0; i < n; i++) curves.push({ x: X[i], p: grid.proba[i * grid.K + k], k });
  const scores = pointScores(model, r.points);
  const rows = pointRows(r.points, { x: xs, y: scores, scores: grid.K === 2 ? scores : undefined, threshold: grid.K === 2 ? threshold : undefined });
  const plot = renderPlot(
    {
      width,
      height: Math.round(Math.min(420, width * 0.6)),
      x: { label: inputNames(model)[0], domain: [a, b] },
      y: { label: grid.K === 2 ? `P(${names[1]})` : t('probability'), domain: [0, 1], grid: true },
      marks: [
        grid.K === 2 ? Plot.ruleY([threshold], { stroke: ctx.theme.muted, strokeDasharray: '4 3' }) : null,
        Plot.line(curves, { x: 'x', y: 'p', z: 'k', stroke: (d: { k: number }) => classColor(ctx.theme, d.k), strokeWidth: 2 }),
      ],
    },
    ctx.theme,
  );
  return { plot, counts: drawPoints(plot, rows, ctx.theme, names, inputNames(model)[0], 'P') };
}

/** What the two-dimensional card draws: the axes, the grid, the words, and the controls specific to the view. */
interface Picture {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  grid: BoundaryGrid;
  xLabel: string;
  yLabel: string;
  title: string;
  note: string;
  /** Whether the background is the model evaluated on the plane (false: the nearest-prediction map). */
  modelSurface: boolean;
  extra: Child[];
  /** Marks drawn over the boundary (the perceptron's line on a slice). */
  overlay?: Plot.Markish[];
}

type ResolvedView = 'model' | 'pca' | 'slice';

/** The view to draw: `auto` is the model's plane with more than two features, the whole model with two. */
function resolveView(ctx: ViewContext, d: number, hasPca: boolean): ResolvedView {
  if (d <= 2) return 'slice';
  const v = ctx.ui.boundaryView;
  if (v === 'pca' && !hasPca) return 'model';
  return v === 'auto' ? 'model' : v;
}

function planePicture(run: RunRecord, plane: Projection & { exact?: boolean; rank?: number }, kind: 'model' | 'pca', label: number): Picture {
  const r = run.report;
  const model = r.model;
  const { u, v } = projectPoints(model, plane, r.points);
  const ext: [number, number, number, number] = [...paddedExtent(u), ...paddedExtent(v)];
  const K = model.kind === 'multinomial' || model.kind === 'ovr' ? model.classes.length : 2;
  const exact = kind === 'model' && plane.exact === true;
  const nearest = kind === 'model' && !exact;
  const grid = cachedGrid(`${run.id}|${kind}|${label}`, () =>
    nearest
      ? nearestPredictionGrid(u, v, r.points.predicted, K, ext)
      : pcaGrid(model, plane, { uExtent: [ext[0], ext[1]], vExtent: [ext[2], ext[3]], nx: GRID_N, ny: GRID_N, label }),
  );
  const pct = (k: number) => `${(100 * (plane.explained[k] ?? 0)).toFixed(0)}%`;
  const kept = `${(100 * ((plane.explained[0] ?? 0) + (plane.explained[1] ?? 0))).toFixed(0)}%`;
  const d = model.featureNames.length;
  let note: string;
  if (kind === 'pca') {
    note = t('PCA plane: the first two principal components of the {0} standardized features keep {1} of their variance. The background is the model evaluated on that plane through the mean; each point is drawn at its projection, so a point far from the plane may sit on another class’s colour while its ✕ follows the model’s prediction for the point itself.', d, kept);
  } else if (exact) {
    note =
      K > 2
        ? t('The model’s plane: the model tells its classes apart only along these two directions, so the picture is exact: every point sits in the region of the class the model predicts for it. The plane keeps {0} of the {1} standardized features’ variance.', kept, d)
        : t('The model’s plane: the x axis is the direction of the model’s score (w·x), the y axis the data’s main direction across it, so the picture is exact: every point sits in the region of the class the model predicts for it. The plane keeps {0} of the {1} standardized features’ variance.', kept, d);
  } else {
    note = t('The model separates {0} classes along {1} directions of {2} features, which no flat picture shows exactly. The points are drawn in the two of those directions where they spread most ({3} of the variance); the background colours each spot by the model’s prediction for the nearest shown point, a map of the model’s own predictions (lines: where that prediction changes).', K, plane.rank ?? K - 1, d, kept);
  }
  const xName = kind === 'pca' ? 'PC1' : t('model direction 1');
  const yName = kind === 'pca' ? 'PC2' : t('model direction 2');
  return {
    xs: u,
    ys: v,
    grid,
    xLabel: t('{0} ({1} of variance)', xName, pct(0)),
    yLabel: t('{0} ({1} of variance)', yName, pct(1)),
    title: kind === 'pca' ? t('Decision boundary (PCA plane)') : exact ? t('Decision boundary (the model’s plane)') : t('Predicted classes (the model’s directions)'),
    note,
    modelSurface: !nearest,
    extra: [],
  };
}

function slicePicture(ctx: ViewContext, run: RunRecord, label: number): Picture {
  const r = run.report;
  const model = r.model;
  const d = inputWidth(model);
  const featureNames = inputNames(model);
  let [fx, fy] = ctx.ui.featurePair ?? defaultSlicePair(model, model.kind === 'multilabel' ? label : undefined);
  if (fx >= d || fy >= d || fx === fy) [fx, fy] = defaultSlicePair(model);
  const xs = column(r.points.X, d, fx);
  const ys = column(r.points.X, d, fy);
  const xe = paddedExtent(xs);
  const ye = paddedExtent(ys);
  const { base, source } = sliceBase(model, r.points, model.settings.missing);
  const grid = cachedGrid(`${run.id}|slice|${fx}|${fy}|${label}`, () => sliceGrid(model, { pair: [fx, fy], base, xExtent: xe, yExtent: ye, nx: GRID_N, ny: GRID_N, label }));
  const xLabel = featureNames[fx];
  const yLabel = featureNames[fy];
  const featureOptions = featureNames.map((n, j) => [String(j), n] as [string, string]);
  const extra: Child[] = [
    selectControl('boundary-x', t('x axis'), featureOptions, String(fx), (v) => ctx.setUi({ featurePair: [Number(v), Number(v) === fy ? fx : fy] })),
    selectControl('boundary-y', t('y axis'), featureOptions, String(fy), (v) => ctx.setUi({ featurePair: [Number(v) === fx ? fy : fx, Number(v)] })),
  ];
  let note = '';
  if (d > 2) {
    const held = featureNames.map((n, j) => [n, j] as const).filter(([, j]) => j !== fx && j !== fy);
    const heldText = held
      .slice(0, 4)
      .map(([n, j]) => `${n} = ${fmt(base[j], 3)}`)
      .join(', ');
    const heldList = `${heldText}${held.length > 4 ? ', …' : ''}`;
    note =
      held.length === 1
        ? t('Slice: the other feature is held at its training mean ({0}): {1}. Points far from the slice may sit in another class’s region: a point’s ✕ follows the model’s prediction for the point itself, not the slice.', SOURCE_WORD[source], heldList)
        : t('Slice: the other {0} features are held at their training means ({1}): {2}. Points far from the slice may sit in another class’s region: a point’s ✕ follows the model’s prediction for the point itself, not the slice.', held.length, SOURCE_WORD[source], heldList);
    const columns = [...new Set([model.features[fx]?.column ?? xLabel, model.features[fy]?.column ?? yLabel])];
    if (!ctx.data.readOnly && columns.length === 2) {
      extra.push(
        el(
          'vscode-button',
          { attrs: { id: 'boundary-refit', secondary: true, title: t('Train a new run on {0} and {1} only: its boundary is a true two-dimensional one.', columns[0], columns[1]) }, on: { click: () => ctx.post({ type: 'startTraining', settings: { ...run.settings, features: columns } }) } },
          t('Refit on {0} and {1}', columns[0], columns[1]),
        ),
      );
    }
  }
  const overlay = perceptronOverlay(model, r.perceptron, fx, fy, base, xe, ye, ctx.theme);
  return { xs, ys, grid, xLabel, yLabel, title: d > 2 ? t('Decision boundary (slice): {0} × {1}', xLabel, yLabel) : t('Decision boundary: {0} × {1}', xLabel, yLabel), note, modelSurface: true, extra, overlay };
}

/** The boundary card at once (the steps of boundaryViewSteps run back to back). */
export function boundaryView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  return runPart(() => boundaryViewSteps(ctx, run, container)) as HTMLElement;
}

/**
 * The boundary card, built in steps (incremental.ts runs one or a few per task): the plane, the grid,
 * the points' predictions, the background (raster and contours), then the points on one canvas
 * in the background's SVG (pointLayer.ts; an export gets them as vector paths).
 */
export function* boundaryViewSteps(ctx: ViewContext, run: RunRecord, container: HTMLElement): Generator<void, HTMLElement, void> {
  const r = run.report;
  const model = r.model;
  // A model with feature expansion is drawn in its encoded features' plane, the grid evaluated through the expansion.
  const d = inputWidth(model);
  const multilabel = model.kind === 'multilabel';
  const label = multilabel ? Math.max(0, Math.min(ctx.ui.coefSort.output, model.coef.length - 1)) : 0;
  const names = multilabel ? ['0', '1'] : model.classes;
  const binaryLike = model.kind === 'binary' || multilabel;
  const threshold = binaryLike ? (ctx.ui.threshold ?? model.threshold) : 0.5;
  const width = plotWidth(container, 280, 760);
  const nPoints = r.points.y.length;

  if (d === 1) {
    const { plot, counts } = oneFeaturePlot(ctx, run, threshold, width);
    return withCounts(plotCard(plot, {
      name: 'decision-boundary',
      title: t('Predicted probability'),
      note: t('One feature: the model’s probability along {0}; points at their predicted probability ({1} of {2} rows).', inputNames(model)[0], nPoints, r.points.ofRows),
      exporter: ctx.exportPlot,
      controls: [classLegend(names, ctx.theme, symbolLegend())],
    }), counts);
  }

  let view = model.expansion ? 'slice' : resolveView(ctx, d, r.projection !== null);
  const plane = view === 'model' ? yield* modelPlaneSteps(model, r.points, label) : null;
  if (view === 'model' && !plane) view = 'slice';
  yield;
  const controls: Child[] = [];
  if (d > 2 && !model.expansion) {
    const options: [string, string][] = [['model', t('The model’s plane')], ...(r.projection ? [['pca', t('PCA plane')] as [string, string]] : []), ['slice', t('Slice: two features')]];
    controls.push(selectControl('boundary-view', t('View'), options, view, (v) => ctx.setUi({ boundaryView: v === 'pca' || v === 'slice' ? v : 'model' })));
  }
  if (multilabel) {
    controls.push(selectControl('boundary-label', t('Label'), model.classes.map((n, k) => [String(k), n] as [string, string]), String(label), (v) => ctx.setUi({ coefSort: { ...ctx.ui.coefSort, output: Number(v) } })));
  }
  const pic = view === 'slice' ? slicePicture(ctx, run, label) : planePicture(run, view === 'model' ? plane! : r.projection!, view, label);
  controls.push(...pic.extra);
  yield;

  const scores = binaryLike ? pointScores(model, r.points, label) : undefined;
  const rows = pointRows(r.points, { x: pic.xs, y: pic.ys, scores, threshold: binaryLike ? threshold : undefined, label, multilabel });
  const predicted = new Int32Array(nPoints);
  for (const row of rows) predicted[row.i] = row.predicted;
  const { classes, agree } = gridAgreement(pic.grid, pic.xs, pic.ys, predicted, binaryLike ? threshold : 0.5);
  yield;
  const layout = boundaryLayout(pic, width);
  // The heatmap's pixels in one step, the contours and axes in the next (together ~45 ms, a long task).
  const png = rasterPng(pic.grid, ctx.theme, binaryLike ? threshold : 0.5, pic.modelSurface ? 1 : 0.55);
  yield;
  const plot = yield* boundaryBackground(ctx, pic, layout, binaryLike ? threshold : 0.5, png);
  yield;
  // The points and the misclassified crosses on one canvas (pointLayer.ts), the frame on top.
  const counts = drawPoints(plot, rows, ctx.theme, names, pic.xLabel, pic.yLabel);
  // The card and its controls (custom elements that render themselves) in the next task.
  yield;
  const shownText = binaryLike
    ? t('{0} of {1} rows shown (stratified sample); ✕ = misclassified at threshold {2}.', nPoints, r.points.ofRows, fmt(threshold, 3))
    : t('{0} of {1} rows shown (stratified sample); ✕ = misclassified.', nPoints, r.points.ofRows);
  const boundaryText = binaryLike ? t('Line: P({0}) = {1}.', multilabel ? model.classes[label] : names[1], fmt(threshold, 3)) : pic.modelSurface ? t('Lines: where the two most likely classes tie.') : '';
  const agreeText = d > 2 ? ` ${t('{0} of {1} classes have a region; {2}% of the shown points sit in the region of their predicted class.', classes.length, names.length, (100 * agree).toFixed(0))}` : '';
  const card = plotCard(plot, {
    name: 'decision-boundary',
    title: pic.title,
    note: `${pic.note}${pic.note ? ' ' : ''}${shownText} ${boundaryText}${agreeText}`,
    exporter: ctx.exportPlot,
    controls: [...controls, classLegend(names, ctx.theme, symbolLegend())],
    class: 'll-boundary',
  });
  card.dataset.view = view;
  card.dataset.regions = classes.join(',');
  card.dataset.agreement = agree.toFixed(4);
  card.dataset.misclassified = String(rows.filter((row) => row.wrong).length);
  return withCounts(card, counts);
}

/** The card says what its point layer drew (for the tests: the points are pixels, not nodes). */
function withCounts(card: HTMLElement, counts: LayerCounts): HTMLElement {
  card.dataset.pointsDrawn = String(counts.points);
  card.dataset.crossesDrawn = String(counts.crosses);
  return card;
}

/** The plot's size, margins and scales: the background and every batch of points share them, so their SVGs line up. */
function boundaryLayout(pic: Picture, width: number): Plot.PlotOptions {
  const grid = pic.grid;
  const height = Math.round(Math.min(560, Math.max(260, width * 0.72)));
  return {
    width,
    height,
    marginLeft: 56,
    marginBottom: 40,
    marginTop: 20,
    marginRight: 20,
    x: { label: pic.xLabel, domain: [grid.x1, grid.x2] },
    y: { label: pic.yLabel, domain: [grid.y1, grid.y2] },
  };
}

/**
 * The axes, the overlay and the frame, then each contour mark in a step of its own (Plot's contour of
 * the 100 × 100 grid is most of the background's time: with the axes, one 20-36 ms task), drawn on
 * the same layout and moved into the plot's SVG under the overlay, as one Plot call would put it.
 */
function* boundaryBackground(ctx: ViewContext, pic: Picture, layout: Plot.PlotOptions, threshold: number, png: string): Generator<void, Element, void> {
  const grid = pic.grid;
  const dense = { width: grid.nx, height: grid.ny, x1: grid.x1, x2: grid.x2, y1: grid.y1, y2: grid.y2 };
  const contours: Plot.Markish[] =
    grid.K === 2
      ? [gridContour(grid.value, dense, { thresholds: [threshold], fill: 'none', stroke: ctx.theme.fg, strokeWidth: 2 })]
      : grid.margins.map((m) => gridContour(m, dense, { thresholds: [0], fill: 'none', stroke: ctx.theme.fg, strokeWidth: pic.modelSurface ? 1.6 : 0.8 }));
  const plot = renderPlot({ ...layout, marks: [...(pic.overlay ?? []), Plot.frame({ stroke: ctx.theme.grid })] }, ctx.theme);
  const svg = plot instanceof SVGSVGElement ? plot : plot.querySelector('svg');
  // Plot puts the axes first, then the marks in order: the contours go before the first mark.
  const firstMark = svg ? [...svg.children].find((c) => !(c.getAttribute('aria-label') ?? '').includes('axis')) ?? null : null;
  const noAxes = { ...layout, x: { ...layout.x, axis: null }, y: { ...layout.y, axis: null } };
  for (const contour of contours) {
    yield;
    const layer = renderPlot({ ...noAxes, marks: [contour] }, ctx.theme);
    const g = layer.querySelector('g[aria-label="contour"]');
    if (svg && g) svg.insertBefore(g, firstMark);
  }
  addRaster(plot, grid, png);
  return plot;
}

/**
 * The heatmap as a PNG data URL, one pixel per cell (colours of cellColors, written straight into
 * the pixels: Plot's raster mark would build channels for all 10,000 cells, ~100 ms on a loaded machine).
 */
export function rasterPng(grid: BoundaryGrid, theme: Theme, threshold: number, gain = 1): string {
  const { nx, ny } = grid;
  const canvas = document.createElement('canvas');
  canvas.width = nx;
  canvas.height = ny;
  const g = canvas.getContext('2d');
  if (!g) return '';
  const image = g.createImageData(nx, ny);
  const px = image.data;
  const strength = gain * heatStrength(theme);
  const grey: Rgb = [128, 128, 128];
  const bg = parseColor(theme.bg) ?? grey;
  const colors = Array.from({ length: grid.K }, (_, k) => parseColor(classColor(theme, k)) ?? grey);
  for (let r = 0; r < ny; r++) {
    // Grid row 0 is at y1 (the bottom); the image's first row is its top.
    const out = (ny - 1 - r) * nx * 4;
    for (let c = 0; c < nx; c++) {
      const i = r * nx + c;
      const [k, t] = cellShade(grid.K, grid.value[i], grid.argmax[i], threshold, strength);
      const u = Math.min(1, Math.max(0, t));
      const to = colors[k];
      const o = out + 4 * c;
      px[o] = Math.round(bg[0] + (to[0] - bg[0]) * u);
      px[o + 1] = Math.round(bg[1] + (to[1] - bg[1]) * u);
      px[o + 2] = Math.round(bg[2] + (to[2] - bg[2]) * u);
      px[o + 3] = 255;
    }
  }
  g.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}

/** Puts the heatmap under the plot's marks, over the grid's extent (the plot's x and y scales). */
function addRaster(plot: Element, grid: BoundaryGrid, href: string): void {
  const svg = plot instanceof SVGSVGElement ? plot : plot.querySelector('svg');
  const scaled = plot as Element & { scale?: (name: string) => { apply(v: number): number } | undefined };
  const x = scaled.scale?.('x');
  const y = scaled.scale?.('y');
  if (!svg || !x || !y || !href) return;
  const [xa, xb] = [x.apply(grid.x1), x.apply(grid.x2)];
  const [ya, yb] = [y.apply(grid.y1), y.apply(grid.y2)];
  const image = document.createElementNS('http://www.w3.org/2000/svg', 'image');
  const attrs: Record<string, string> = {
    'aria-label': 'raster',
    x: String(Math.min(xa, xb)),
    y: String(Math.min(ya, yb)),
    width: String(Math.abs(xb - xa)),
    height: String(Math.abs(yb - ya)),
    preserveAspectRatio: 'none',
    'image-rendering': 'pixelated',
    href,
  };
  for (const [k, v] of Object.entries(attrs)) image.setAttribute(k, v);
  const first = svg.querySelector('g[aria-label="contour"], g[aria-label="frame"], [aria-label="frame"]');
  svg.insertBefore(image, first);
}
