/**
 * The decision-boundary grid, computed from the fitted model (never from the sample): a dense
 * nx × ny grid of cell centres over the plotted range, each cell's class probabilities, and what
 * the plot draws from them (the positive-class probability for binary models, the argmax class,
 * its confidence and per-class margins for the others).
 *
 * Two views:
 * - slice: two chosen features vary on the axes; every other feature is held at its training mean
 *   in original units ({@link sliceBase}). With two features this is the whole model.
 * - pca: the axes are the first two principal components of the standardized training features
 *   (report.projection); a grid point (u, v) maps back to standardized space as
 *   center + u c1 + v c2 and the model is evaluated there; the points are projected onto the plane.
 *
 * Layout matches Plot's dense raster/contour convention: value index r * nx + c is the cell
 * centred at x = x1 + (c + 1/2)(x2 - x1)/nx, y = y1 + (r + 1/2)(y2 - y1)/ny.
 */
import type { ModelJson } from '../../../src/core/model/model';
import { decisionOnPreprocessed, inputWidth, nOutputs, preprocessRows, probaFromDecision } from '../../../src/core/model/model';
import type { PointSample, Projection } from '../../../src/core/report/report';

export interface BoundaryGrid {
  nx: number;
  ny: number;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  /** Number of probability columns: 2 for binary, K for multiclass, 2 for one multilabel label. */
  K: number;
  /** nx*ny*K probabilities, cell-major. */
  proba: Float64Array;
  /** Binary: P(positive) per cell; multiclass: the argmax class's probability. */
  value: Float64Array;
  /** Argmax class per cell (binary: at threshold 0.5; the plot thresholds `value` itself). */
  argmax: Int32Array;
  /** Multiclass: K arrays of margins p_k - max_{j != k} p_j (the class-k region is margin > 0). */
  margins: Float64Array[];
}

/** [min - pad·range, max + pad·range] of finite values; a degenerate range widens to ±0.5 (or ±|v|·pad). */
export function paddedExtent(values: ArrayLike<number>, pad = 0.05): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [-1, 1];
  const range = hi - lo;
  if (range === 0) {
    const w = lo === 0 ? 0.5 : Math.abs(lo) * pad || 0.5;
    return [lo - w, hi + w];
  }
  return [lo - pad * range, hi + pad * range];
}

/** Column j of a row-major n x d matrix. */
export function column(X: ArrayLike<number>, d: number, j: number): Float64Array {
  const n = Math.floor(X.length / d);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = X[i * d + j];
  return out;
}

/** Where {@link sliceBase} took the held values from. */
export type SliceBaseSource = 'standardizer mean' | 'imputation mean' | 'sample mean';

/**
 * Values, in original units, at which the features not on the axes are held: the training means.
 * With standardization they are the standardizer's means (preprocessor.mean, training rows); without
 * it preprocessor.mean is 0, so the imputation means are used when missing values were imputed
 * (also training means); when rows with missing values were dropped instead, the model carries no
 * raw means and the mean of the point sample's training rows is used (all sampled rows if none).
 */
export function sliceBase(model: ModelJson, points: PointSample, missingPolicy: 'impute' | 'drop' = 'impute'): { base: number[]; source: SliceBaseSource } {
  const pre = model.preprocessor;
  // With a feature expansion the held values are the encoded inputs' training means (the expansion's imputation).
  if (model.expansion) return { base: [...model.expansion.inputMean], source: 'imputation mean' };
  if (pre.standardize) return { base: [...pre.mean], source: 'standardizer mean' };
  if (missingPolicy === 'impute' && pre.imputeMean.every(Number.isFinite)) return { base: [...pre.imputeMean], source: 'imputation mean' };
  const d = model.featureNames.length;
  const n = points.y.length;
  const base = new Array<number>(d).fill(0);
  let count = 0;
  const useAll = !points.split.some((s) => s === 0);
  for (let i = 0; i < n; i++) {
    if (!useAll && points.split[i] !== 0) continue;
    for (let j = 0; j < d; j++) base[j] += points.X[i * d + j];
    count++;
  }
  for (let j = 0; j < d; j++) base[j] = count > 0 ? base[j] / count : 0;
  return { base, source: 'sample mean' };
}

/** Probability columns for one output of the model: all K, or [1 - p, p] of one multilabel label. */
function probabilities(model: ModelJson, Xs: Float64Array, n: number, label: number): { proba: Float64Array; K: number } {
  const z = decisionOnPreprocessed(model, Xs, n);
  const nOut = nOutputs(model);
  if (model.kind === 'multilabel') {
    const p = probaFromDecision('multilabel', z, n, nOut);
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      out[2 * i + 1] = p[i * nOut + label];
      out[2 * i] = 1 - out[2 * i + 1];
    }
    return { proba: out, K: 2 };
  }
  const proba = probaFromDecision(model.kind, z, n, nOut);
  return { proba, K: model.kind === 'binary' ? 2 : nOut };
}

function finishGrid(nx: number, ny: number, ext: [number, number, number, number], proba: Float64Array, K: number): BoundaryGrid {
  const N = nx * ny;
  const value = new Float64Array(N);
  const argmax = new Int32Array(N);
  const margins = K > 2 ? Array.from({ length: K }, () => new Float64Array(N)) : [];
  for (let i = 0; i < N; i++) {
    const o = i * K;
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[o + k] > proba[o + best]) best = k;
    argmax[i] = best;
    value[i] = K === 2 ? proba[o + 1] : proba[o + best];
    if (K > 2) {
      for (let k = 0; k < K; k++) {
        let other = -Infinity;
        for (let j = 0; j < K; j++) if (j !== k && proba[o + j] > other) other = proba[o + j];
        margins[k][i] = proba[o + k] - other;
      }
    }
  }
  return { nx, ny, x1: ext[0], x2: ext[1], y1: ext[2], y2: ext[3], K, proba, value, argmax, margins };
}

/** Cell-centre coordinate of column c (or row r) of a dense grid over [a, b] with m cells. */
export function cellCentre(a: number, b: number, m: number, c: number): number {
  return a + ((c + 0.5) * (b - a)) / m;
}

export interface SliceGridOptions {
  /** Feature indices on the x and y axes. */
  pair: [number, number];
  /** Values of every feature (original units) for the features not on the axes. */
  base: readonly number[];
  xExtent: [number, number];
  yExtent: [number, number];
  nx?: number;
  ny?: number;
  /** Multilabel: which label. */
  label?: number;
}

/** The model on a grid over two features, the others held at `base`. */
export function sliceGrid(model: ModelJson, o: SliceGridOptions): BoundaryGrid {
  const nx = o.nx ?? 100;
  const ny = o.ny ?? 100;
  const d = inputWidth(model);
  const [fx, fy] = o.pair;
  const N = nx * ny;
  const X = new Float64Array(N * d);
  for (let r = 0; r < ny; r++) {
    const y = cellCentre(o.yExtent[0], o.yExtent[1], ny, r);
    for (let c = 0; c < nx; c++) {
      const row = (r * nx + c) * d;
      for (let j = 0; j < d; j++) X[row + j] = o.base[j];
      X[row + fx] = cellCentre(o.xExtent[0], o.xExtent[1], nx, c);
      X[row + fy] = y;
    }
  }
  const { proba, K } = probabilities(model, preprocessRows(model, X, N), N, o.label ?? 0);
  return finishGrid(nx, ny, [o.xExtent[0], o.xExtent[1], o.yExtent[0], o.yExtent[1]], proba, K);
}

/** Projects sampled rows (original units) onto the two principal components: u, v per row. */
export function projectPoints(model: ModelJson, projection: Projection, points: PointSample): { u: Float64Array; v: Float64Array } {
  const d = model.featureNames.length;
  const n = Math.floor(points.X.length / inputWidth(model));
  const Xs = preprocessRows(model, Float64Array.from(points.X), n);
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  const [c1, c2] = projection.components;
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < d; j++) {
      const x = Xs[i * d + j] - projection.center[j];
      a += x * c1[j];
      b += x * c2[j];
    }
    u[i] = a;
    v[i] = b;
  }
  return { u, v };
}

export interface PcaGridOptions {
  uExtent: [number, number];
  vExtent: [number, number];
  nx?: number;
  ny?: number;
  label?: number;
}

/** The model on the plane spanned by the two principal components through the centre. */
export function pcaGrid(model: ModelJson, projection: Projection, o: PcaGridOptions): BoundaryGrid {
  const nx = o.nx ?? 100;
  const ny = o.ny ?? 100;
  const d = model.featureNames.length;
  const N = nx * ny;
  const Xs = new Float64Array(N * d);
  const [c1, c2] = projection.components;
  for (let r = 0; r < ny; r++) {
    const v = cellCentre(o.vExtent[0], o.vExtent[1], ny, r);
    for (let c = 0; c < nx; c++) {
      const u = cellCentre(o.uExtent[0], o.uExtent[1], nx, c);
      const row = (r * nx + c) * d;
      for (let j = 0; j < d; j++) Xs[row + j] = projection.center[j] + u * c1[j] + v * c2[j];
    }
  }
  const { proba, K } = probabilities(model, Xs, N, o.label ?? 0);
  return finishGrid(nx, ny, [o.uExtent[0], o.uExtent[1], o.vExtent[0], o.vExtent[1]], proba, K);
}
