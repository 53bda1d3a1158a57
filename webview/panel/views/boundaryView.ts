/**
 * Decision boundary: a probability heatmap computed from the model on a 100 × 100 grid (Plot raster),
 * the boundary as a contour (binary: P(positive) = the current threshold; otherwise the edges of the
 * argmax regions, where the top two class probabilities tie), and the host's stratified sample of
 * points coloured by true class, shaped by split, misclassified ones crossed. With more than two
 * features: a slice through the training means (stated on the plot) or the PCA projection view.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import { el, type Child } from '../dom';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor, type Theme } from '../theme';
import { column, paddedExtent, pcaGrid, projectPoints, sliceBase, sliceGrid, type BoundaryGrid } from '../viewModel/boundaryGrid';
import { pointRows, pointScores, type PlotPoint } from '../viewModel/points';
import { fmt } from '../viewModel/format';
import { cellShade, mixer } from '../viewModel/colors';
import { outputNames } from '../viewModel/coefficients';

const SYMBOLS = { train: 'circle', validation: 'square', test: 'triangle' } as const;
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
export function cellColors(grid: BoundaryGrid, theme: Theme, threshold: number): string[] {
  const N = grid.nx * grid.ny;
  const out = new Array<string>(N);
  const strength = heatStrength(theme);
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
    { class: 'll-legend', attrs: { role: 'list', 'aria-label': 'Legend' } },
    ...names.map((name, k) => {
      const sw = el('span', { class: 'll-swatch' });
      sw.style.background = classColor(theme, k);
      return el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, sw, name);
    }),
    ...extra,
  );
}

function symbolLegend(): Child[] {
  return [
    el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, el('span', { class: 'll-sym' }, '●'), 'train'),
    el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, el('span', { class: 'll-sym' }, '■'), 'validation'),
    el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, el('span', { class: 'll-sym' }, '▲'), 'test'),
    el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, el('span', { class: 'll-sym' }, '✕'), 'misclassified'),
  ];
}

export function selectControl(id: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLElement {
  const s = el('vscode-single-select', { attrs: { id, 'aria-label': label, label } }, ...options.map(([v, l]) => el('vscode-option', { attrs: { value: v } }, l)));
  (s as HTMLElement & { value: string }).value = value;
  s.addEventListener('change', () => onChange((s as HTMLElement & { value: string }).value));
  return el('label', { class: 'll-inline-field' }, el('span', null, label), s);
}

function pointMarks(rows: PlotPoint[], theme: Theme, names: readonly string[], xLabel: string, yLabel: string): Plot.Markish[] {
  const title = (d: PlotPoint) => `${names[d.cls] ?? d.cls} (${d.split})${d.wrong ? `, predicted ${names[d.predicted] ?? d.predicted}` : ''}\n${xLabel} = ${fmt(d.x)}\n${yLabel} = ${fmt(d.y)}`;
  return [
    Plot.dot(rows, { x: 'x', y: 'y', r: 3.6, symbol: (d: PlotPoint) => SYMBOLS[d.split], fill: (d: PlotPoint) => classColor(theme, d.cls), stroke: theme.bg, strokeWidth: 0.8, title }),
    Plot.dot(
      rows.filter((r) => r.wrong),
      { x: 'x', y: 'y', r: 4.2, symbol: 'times', stroke: theme.fg, strokeWidth: 1.6 },
    ),
  ];
}

/** One feature: the probability curve(s) along it, the sampled points at their predicted probability. */
function oneFeaturePlot(ctx: ViewContext, run: RunRecord, threshold: number, width: number): Element {
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
  return renderPlot(
    {
      width,
      height: Math.round(Math.min(420, width * 0.6)),
      x: { label: model.featureNames[0], domain: [a, b] },
      y: { label: grid.K === 2 ? `P(${names[1]})` : 'probability', domain: [0, 1], grid: true },
      marks: [
        grid.K === 2 ? Plot.ruleY([threshold], { stroke: ctx.theme.muted, strokeDasharray: '4 3' }) : null,
        Plot.line(curves, { x: 'x', y: 'p', z: 'k', stroke: (d: { k: number }) => classColor(ctx.theme, d.k), strokeWidth: 2 }),
        ...pointMarks(rows, ctx.theme, names, model.featureNames[0], 'P'),
      ],
    },
    ctx.theme,
  );
}

export function boundaryView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const r = run.report;
  const model = r.model;
  const d = model.featureNames.length;
  const multilabel = model.kind === 'multilabel';
  const label = multilabel ? Math.max(0, Math.min(ctx.ui.coefSort.output, model.coef.length - 1)) : 0;
  const names = multilabel ? ['0', '1'] : model.classes;
  const binaryLike = model.kind === 'binary' || multilabel;
  const threshold = binaryLike ? (ctx.ui.threshold ?? model.threshold) : 0.5;
  const width = plotWidth(container, 280, 760);
  const controls: Child[] = [];
  const nPoints = r.points.y.length;
  const misNote = binaryLike ? ` at threshold ${fmt(threshold, 3)}` : '';

  if (d === 1) {
    const plot = oneFeaturePlot(ctx, run, threshold, width);
    return plotCard(plot, {
      name: 'decision-boundary',
      title: 'Predicted probability',
      note: `One feature: the model’s probability along ${model.featureNames[0]}; points at their predicted probability (${nPoints} of ${r.points.ofRows} rows).`,
      exporter: ctx.exportPlot,
      controls: [classLegend(names, ctx.theme, symbolLegend())],
    });
  }

  const canPca = d > 2 && r.projection !== null;
  const view = canPca ? ctx.ui.boundaryView : 'slice';
  let [fx, fy] = ctx.ui.featurePair;
  if (fx >= d || fy >= d || fx === fy) [fx, fy] = [0, 1];

  if (canPca) {
    controls.push(
      selectControl('boundary-view', 'View', [['slice', 'Two features (slice)'], ['pca', 'PCA projection']], view, (v) => ctx.setUi({ boundaryView: v === 'pca' ? 'pca' : 'slice' })),
    );
  }
  const featureOptions = model.featureNames.map((n, j) => [String(j), n] as [string, string]);
  if (view === 'slice') {
    controls.push(
      selectControl('boundary-x', 'x axis', featureOptions, String(fx), (v) => ctx.setUi({ featurePair: [Number(v), Number(v) === fy ? fx : fy] })),
      selectControl('boundary-y', 'y axis', featureOptions, String(fy), (v) => ctx.setUi({ featurePair: [Number(v) === fx ? fy : fx, Number(v)] })),
    );
  }
  if (multilabel) {
    controls.push(selectControl('boundary-label', 'Label', model.classes.map((n, k) => [String(k), n] as [string, string]), String(label), (v) => ctx.setUi({ coefSort: { ...ctx.ui.coefSort, output: Number(v) } })));
  }

  let xs: ArrayLike<number>;
  let ys: ArrayLike<number>;
  let grid: BoundaryGrid;
  let xLabel: string;
  let yLabel: string;
  let note: string;
  if (view === 'pca' && r.projection) {
    const proj = r.projection;
    const { u, v } = projectPoints(model, proj, r.points);
    xs = u;
    ys = v;
    const ue = paddedExtent(u);
    const ve = paddedExtent(v);
    grid = cachedGrid(`${run.id}|pca|${label}`, () => pcaGrid(model, proj, { uExtent: ue, vExtent: ve, nx: GRID_N, ny: GRID_N, label }));
    xLabel = `PC1 (${(100 * (proj.explained[0] ?? 0)).toFixed(0)}% of variance)`;
    yLabel = `PC2 (${(100 * (proj.explained[1] ?? 0)).toFixed(0)}% of variance)`;
    note = `PCA projection: the background is the model on the plane of the first two principal components through the training mean (standardized features); the points are projected onto that plane, so a point may sit on the “wrong” colour. ${nPoints} of ${r.points.ofRows} rows shown; ✕ = misclassified${misNote}.`;
  } else {
    xs = column(r.points.X, d, fx);
    ys = column(r.points.X, d, fy);
    const xe = paddedExtent(xs);
    const ye = paddedExtent(ys);
    const { base, source } = sliceBase(model, r.points, model.settings.missing);
    grid = cachedGrid(`${run.id}|slice|${fx}|${fy}|${label}`, () => sliceGrid(model, { pair: [fx, fy], base, xExtent: xe, yExtent: ye, nx: GRID_N, ny: GRID_N, label }));
    xLabel = model.featureNames[fx];
    yLabel = model.featureNames[fy];
    const held = model.featureNames.map((n, j) => [n, j] as const).filter(([, j]) => j !== fx && j !== fy);
    const heldText = held
      .slice(0, 4)
      .map(([n, j]) => `${n} = ${fmt(base[j], 3)}`)
      .join(', ');
    note =
      d > 2
        ? `Slice: ${held.length === 1 ? 'the other feature is' : `the other ${held.length} features are`} held at ${held.length === 1 ? 'its training mean' : 'their training means'} (${source}): ${heldText}${held.length > 4 ? ', …' : ''}. ${nPoints} of ${r.points.ofRows} rows shown; ✕ = misclassified${misNote}.`
        : `${nPoints} of ${r.points.ofRows} rows shown (stratified sample); ✕ = misclassified${misNote}.`;
  }

  const scores = binaryLike ? pointScores(model, r.points, label) : undefined;
  const rows = pointRows(r.points, { x: xs, y: ys, scores, threshold: binaryLike ? threshold : undefined, label, multilabel });
  const colors = cellColors(grid, ctx.theme, binaryLike ? threshold : 0.5);
  const cells = Array.from({ length: grid.nx * grid.ny }, (_, i) => i);
  const dense = { width: grid.nx, height: grid.ny, x1: grid.x1, x2: grid.x2, y1: grid.y1, y2: grid.y2 };
  const contours: Plot.Markish[] =
    grid.K === 2
      ? [Plot.contour(grid.value, { ...dense, thresholds: [threshold], fill: 'none', stroke: ctx.theme.fg, strokeWidth: 2 })]
      : grid.margins.map((m) => Plot.contour(m, { ...dense, thresholds: [0], fill: 'none', stroke: ctx.theme.fg, strokeWidth: 1.6 }));
  const height = Math.round(Math.min(560, Math.max(260, width * 0.72)));
  const plot = renderPlot(
    {
      width,
      height,
      marginLeft: 56,
      marginBottom: 40,
      x: { label: xLabel, domain: [grid.x1, grid.x2] },
      y: { label: yLabel, domain: [grid.y1, grid.y2] },
      marks: [
        Plot.raster(cells, { ...dense, fill: (i: number) => colors[i], imageRendering: 'pixelated' }),
        ...contours,
        ...pointMarks(rows, ctx.theme, names, xLabel, yLabel),
        Plot.frame({ stroke: ctx.theme.grid }),
      ],
    },
    ctx.theme,
  );
  const title = view === 'pca' ? 'Decision boundary (PCA projection)' : d > 2 ? `Decision boundary (slice): ${xLabel} × ${yLabel}` : `Decision boundary: ${xLabel} × ${yLabel}`;
  const boundaryText = binaryLike ? `Line: P(${multilabel ? model.classes[label] : names[1]}) = ${fmt(threshold, 3)}.` : 'Lines: where the two most likely classes tie (argmax regions).';
  return plotCard(plot, {
    name: 'decision-boundary',
    title,
    note: `${note} ${boundaryText}`,
    exporter: ctx.exportPlot,
    controls: [...controls, classLegend(names, ctx.theme, symbolLegend())],
    class: 'll-boundary',
  });
}
