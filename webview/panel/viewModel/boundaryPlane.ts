/**
 * Which picture the decision-boundary card draws when the model has more than two features, and the
 * geometry behind it (pure; no DOM).
 *
 * - The model's plane ({@link modelPlane}): two orthonormal directions in standardized feature space
 *   inside the span of the model's score directions (binary: w, then the data's main direction
 *   orthogonal to it; multiclass: the rows of W minus their mean, which is all the argmax depends
 *   on). Within that span the two directions carry the most variance of the sampled points. When the
 *   span has at most two dimensions (binary, three classes) the model's prediction for a point
 *   equals its prediction at the point's projection, so every point sits in the region of its own
 *   predicted class: the picture is exact.
 * - With more classes no flat picture is exact; the card then colours the plane by the predicted
 *   class of the nearest shown point ({@link nearestPredictionGrid}) and says so.
 * - Slices hold the other features fixed; {@link defaultSlicePair} picks their default axes.
 */
import type { ModelJson } from '../../../src/core/model/model';
import { preprocessRows } from '../../../src/core/model/model';
import type { PointSample, Projection } from '../../../src/core/report/report';
import { cellCentre, type BoundaryGrid } from './boundaryGrid';

/**
 * Default slice axes: the two features with the largest standardized coefficient (largest |β| over
 * classes), never two one-hot columns of the same variable. Ties keep column order.
 */
export function defaultSlicePair(model: ModelJson, label?: number): [number, number] {
  // Coefficients of expanded features do not rank the encoded inputs on the axes: the first two.
  if (model.expansion) return [0, Math.min(1, model.expansion.inputNames.length - 1)];
  const d = model.featureNames.length;
  const rows = label !== undefined && model.kind === 'multilabel' ? [model.coefStandardized[label]] : model.coefStandardized;
  const size = Array.from({ length: d }, (_, j) => Math.max(0, ...rows.map((w) => Math.abs(w[j] ?? 0))));
  const order = Array.from({ length: d }, (_, j) => j).sort((a, b) => size[b] - size[a] || a - b);
  const first = order[0] ?? 0;
  const variable = (j: number) => model.features[j]?.column ?? model.featureNames[j];
  const second = order.find((j) => j !== first && variable(j) !== variable(first)) ?? order.find((j) => j !== first) ?? (first === 0 ? 1 : 0);
  return [first, second];
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Orthonormal basis (Gram–Schmidt, twice for stability) of the span of `vectors`; near-dependent ones dropped. */
export function orthonormalBasis(vectors: readonly ArrayLike<number>[], tol = 1e-9): Float64Array[] {
  const basis: Float64Array[] = [];
  const scale = Math.max(1e-300, ...vectors.map((v) => Math.sqrt(dot(v, v))));
  for (const v of vectors) {
    const u = Float64Array.from(v);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const c = dot(u, q);
        for (let j = 0; j < u.length; j++) u[j] -= c * q[j];
      }
    }
    const n = Math.sqrt(dot(u, u));
    if (n > tol * scale) basis.push(u.map((x) => x / n));
  }
  return basis;
}

/** The top eigenvector of a symmetric PSD m x m matrix (row-major), by power iteration from a fixed start. */
function topEigen(S: Float64Array, m: number): { vector: Float64Array; value: number } {
  let v = Float64Array.from({ length: m }, (_, i) => 1 + i / m);
  let value = 0;
  for (let it = 0; it < 500; it++) {
    const w = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) w[i] += S[i * m + j] * v[j];
    const n = Math.sqrt(dot(w, w));
    if (n === 0) return { vector: v.map((x) => x / Math.sqrt(dot(v, v))), value: 0 };
    const next = w.map((x) => x / n);
    const delta = Math.abs(n - value);
    v = next;
    value = n;
    if (delta <= 1e-12 * n) break;
  }
  return { vector: v, value };
}

/** Covariance (m x m) of the coordinates of centred rows in basis Q. */
function coordinateCovariance(Xc: Float64Array, n: number, d: number, Q: readonly Float64Array[]): Float64Array {
  const m = Q.length;
  const S = new Float64Array(m * m);
  const c = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const row = Xc.subarray(i * d, i * d + d);
    for (let a = 0; a < m; a++) c[a] = dot(row, Q[a]);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) S[a * m + b] += c[a] * c[b];
  }
  return S.map((x) => x / Math.max(1, n - 1));
}

/** The two leading principal directions of the rows within span(Q), as vectors in feature space. */
function leadingDirections(Xc: Float64Array, n: number, d: number, Q: readonly Float64Array[], count: number): { dirs: Float64Array[]; variances: number[] } {
  const m = Q.length;
  const S = coordinateCovariance(Xc, n, d, Q);
  const dirs: Float64Array[] = [];
  const variances: number[] = [];
  for (let k = 0; k < Math.min(count, m); k++) {
    const { vector, value } = topEigen(S, m);
    const dir = new Float64Array(d);
    for (let a = 0; a < m; a++) for (let j = 0; j < d; j++) dir[j] += vector[a] * Q[a][j];
    dirs.push(dir);
    variances.push(value);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) S[a * m + b] -= value * vector[a] * vector[b];
  }
  return { dirs, variances };
}

export interface ModelPlane extends Projection {
  /** Dimension of the span of the model's score directions (binary 1, K classes at most K - 1). */
  rank: number;
  /** True when predictions depend only on the plane coordinates (rank <= 2): the picture is exact. */
  exact: boolean;
}

/** The model's score directions in standardized space: w (binary, one multilabel label) or W minus its mean row. */
function scoreDirections(model: ModelJson, label: number): number[][] {
  const W = model.coefStandardized;
  if (model.kind === 'binary' || model.kind === 'multilabel') return [W[model.kind === 'multilabel' ? label : 0]];
  const d = model.featureNames.length;
  const mean = Array.from({ length: d }, (_, j) => W.reduce((s, w) => s + w[j], 0) / W.length);
  return W.map((w) => w.map((x, j) => x - mean[j]));
}

/**
 * The plane of the model's score directions through the sampled points' mean (standardized units),
 * or null when the model has no non-zero coefficient. `explained` is each axis's share of the
 * points' total standardized variance.
 */
export function modelPlane(model: ModelJson, points: PointSample, label = 0): ModelPlane | null {
  const steps = modelPlaneSteps(model, points, label);
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** modelPlane in steps (a yield after the preprocessing and after the centring), for the incremental renderer. */
export function* modelPlaneSteps(model: ModelJson, points: PointSample, label = 0): Generator<void, ModelPlane | null, void> {
  const d = model.featureNames.length;
  const n = points.y.length;
  if (n === 0 || d < 2) return null;
  const Xs = preprocessRows(model, Float64Array.from(points.X), n);
  yield;
  const center = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) center[j] += Xs[i * d + j] / n;
  const Xc = Xs.map((x, k) => x - center[k % d]);
  let total = 0;
  for (let k = 0; k < Xc.length; k++) total += (Xc[k] * Xc[k]) / Math.max(1, n - 1);
  yield;
  const Q = orthonormalBasis(scoreDirections(model, label));
  if (Q.length === 0) return null;
  let { dirs, variances } = leadingDirections(Xc, n, d, Q, 2);
  if (dirs.length < 2) {
    // Rank 1: the score direction, then the points' main direction orthogonal to it.
    const q = dirs[0];
    const rest: Float64Array[] = [];
    for (let j = 0; j < d; j++) {
      const e = new Float64Array(d);
      e[j] = 1;
      rest.push(e);
    }
    const others = orthonormalBasis([q, ...rest]).slice(1);
    const second = leadingDirections(Xc, n, d, others, 1);
    dirs = [q, ...second.dirs];
    variances = [variances[0], ...second.variances];
  }
  if (dirs.length < 2) return null;
  return {
    center,
    components: dirs.map((v) => Array.from(v)),
    explained: variances.map((v) => (total > 0 ? v / total : 0)),
    rank: Q.length,
    exact: Q.length <= 2,
  };
}

/**
 * A grid whose cells take the predicted class of the nearest shown point (distances in the plot's
 * unit square). Used when no flat picture of the model is exact: it is a map of the model's own
 * predictions, so every predicted class has a region and every point sits in its predicted class's.
 */
export function nearestPredictionGrid(u: ArrayLike<number>, v: ArrayLike<number>, predicted: ArrayLike<number>, K: number, ext: [number, number, number, number], nx = 200, ny = 200): BoundaryGrid {
  const [x1, x2, y1, y2] = ext;
  const n = u.length;
  const sx = x2 - x1 || 1;
  const sy = y2 - y1 || 1;
  // Points sorted by x; each cell scans outwards from its x until the x gap alone exceeds the best distance.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => u[a] - u[b]);
  const pu = Float64Array.from(order, (i) => (u[i] - x1) / sx);
  const pv = Float64Array.from(order, (i) => (v[i] - y1) / sy);
  const N = nx * ny;
  const proba = new Float64Array(N * K);
  const value = new Float64Array(N);
  const argmax = new Int32Array(N);
  const margins = Array.from({ length: K }, () => new Float64Array(N).fill(-1));
  for (let c = 0; c < nx; c++) {
    const cx = (cellCentre(x1, x2, nx, c) - x1) / sx;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pu[mid] < cx) lo = mid + 1;
      else hi = mid;
    }
    for (let r = 0; r < ny; r++) {
      const cy = (cellCentre(y1, y2, ny, r) - y1) / sy;
      let best = -1;
      let bestD = Infinity;
      for (let i = lo; i < n && (pu[i] - cx) ** 2 < bestD; i++) {
        const dd = (pu[i] - cx) ** 2 + (pv[i] - cy) ** 2;
        if (dd < bestD) [bestD, best] = [dd, i];
      }
      for (let i = lo - 1; i >= 0 && (pu[i] - cx) ** 2 < bestD; i--) {
        const dd = (pu[i] - cx) ** 2 + (pv[i] - cy) ** 2;
        if (dd < bestD) [bestD, best] = [dd, i];
      }
      const cell = r * nx + c;
      const k = best >= 0 ? predicted[order[best]] : 0;
      argmax[cell] = k;
      proba[cell * K + k] = 1;
      value[cell] = 1;
      margins[k][cell] = 1;
    }
  }
  return { nx, ny, x1, x2, y1, y2, K, proba, value, argmax, margins };
}

/** The grid cell (row-major index) containing plot coordinate (x, y), clamped to the grid. */
export function cellAt(grid: BoundaryGrid, x: number, y: number): number {
  const c = Math.min(grid.nx - 1, Math.max(0, Math.floor(((x - grid.x1) / (grid.x2 - grid.x1)) * grid.nx)));
  const r = Math.min(grid.ny - 1, Math.max(0, Math.floor(((y - grid.y1) / (grid.y2 - grid.y1)) * grid.ny)));
  return r * grid.nx + c;
}

/** What a picture shows: the classes that have a region, and the share of points drawn in their predicted class's region. */
export function gridAgreement(grid: BoundaryGrid, x: ArrayLike<number>, y: ArrayLike<number>, predicted: ArrayLike<number>, threshold = 0.5): { classes: number[]; agree: number } {
  const present = new Set<number>();
  const cls = (i: number) => (grid.K === 2 ? (grid.value[i] >= threshold ? 1 : 0) : grid.argmax[i]);
  for (let i = 0; i < grid.nx * grid.ny; i++) present.add(cls(i));
  let same = 0;
  for (let i = 0; i < x.length; i++) if (cls(cellAt(grid, x[i], y[i])) === predicted[i]) same++;
  return { classes: [...present].sort((a, b) => a - b), agree: x.length ? same / x.length : 1 };
}
