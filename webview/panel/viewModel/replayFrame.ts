/**
 * The replay's frames (pure): what the boundary, the sampled points, the coefficients, the confusion
 * matrix and the accuracy look like after a given iteration of the run (report.replay).
 *
 * Speed: everything that does not depend on the step is computed once ({@link replayCache}): the
 * plotted plane in standardized feature space (origin + u·ex + v·ey, for the slice through the
 * training means or the PCA plane) and the standardized sampled points. A step then costs, per
 * output k, three dot products (a_k = b_k + w_k·origin, w_k·ex, w_k·ey), so the grid's decision
 * values are a_k + u·gx_k + v·gy_k (O(K·cells), independent of d), plus the sampled points' decision
 * values (O(m·d·K)).
 */
import type { ModelJson } from '../../../src/core/model/model';
import { preprocessRows, probaFromDecision } from '../../../src/core/model/model';
import type { PointSample } from '../../../src/core/report/report';
import { replaySteps, thetaAt, type Replay } from '../../../src/core/run/snapshots';
import { cellCentre } from './boundaryGrid';

/** The plotted plane in standardized feature space: x_std = origin + u·ex + v·ey. */
export interface ReplayPlane {
  origin: Float64Array;
  ex: Float64Array;
  ey: Float64Array;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  nx: number;
  ny: number;
}

/** The plane of two raw features (fx, fy) with the others held at `base` (original units). */
export function slicePlane(model: ModelJson, pair: [number, number], base: readonly number[], xExtent: [number, number], yExtent: [number, number], n: number): ReplayPlane {
  const d = model.featureNames.length;
  const { mean, scale } = model.preprocessor;
  const origin = Float64Array.from({ length: d }, (_, j) => (base[j] - mean[j]) / scale[j]);
  const ex = new Float64Array(d);
  const ey = new Float64Array(d);
  origin[pair[0]] = -mean[pair[0]] / scale[pair[0]];
  origin[pair[1]] = -mean[pair[1]] / scale[pair[1]];
  ex[pair[0]] = 1 / scale[pair[0]];
  ey[pair[1]] = 1 / scale[pair[1]];
  return { origin, ex, ey, x1: xExtent[0], x2: xExtent[1], y1: yExtent[0], y2: yExtent[1], nx: n, ny: n };
}

/** The plane of the first two principal components through their centre (standardized space). */
export function pcaPlane(center: readonly number[], components: readonly (readonly number[])[], uExtent: [number, number], vExtent: [number, number], n: number): ReplayPlane {
  return { origin: Float64Array.from(center), ex: Float64Array.from(components[0]), ey: Float64Array.from(components[1]), x1: uExtent[0], x2: uExtent[1], y1: vExtent[0], y2: vExtent[1], nx: n, ny: n };
}

export interface ReplayCache {
  replay: Replay;
  kind: ModelJson['kind'];
  /** Multilabel: the label shown (its output); otherwise 0. */
  label: number;
  plane: ReplayPlane;
  /** Sampled points, standardized (m × d). */
  pointsStd: Float64Array;
  m: number;
  /** True class per sampled point (multilabel: the label's 0/1). */
  cls: Int32Array;
  split: Int8Array;
  /** Classes in the confusion matrix: 2 for binary-like, else K. */
  K: number;
  /** The scrubber's positions: kept iterations. */
  steps: number[];
}

export function replayCache(model: ModelJson, replay: Replay, points: PointSample, plane: ReplayPlane, label = 0): ReplayCache {
  const d = model.featureNames.length;
  const m = points.y.length;
  const multilabel = model.kind === 'multilabel';
  return {
    replay,
    kind: model.kind,
    label: multilabel ? label : 0,
    plane,
    pointsStd: preprocessRows(model, Float64Array.from(points.X.slice(0, m * d)), m),
    m,
    cls: Int32Array.from(points.y, (y) => (multilabel ? (y >> label) & 1 : y)),
    split: Int8Array.from(points.split),
    K: model.kind === 'binary' || multilabel ? 2 : model.classes.length,
    steps: replaySteps(replay),
  };
}

export interface ReplayFrame {
  iteration: number;
  /** Per cell (row-major, row 0 at y1): binary-like P(positive), else the argmax class's probability. */
  value: Float64Array;
  argmax: Int32Array;
  /** Predicted class per sampled point. */
  predicted: Int32Array;
  /** confusion[true][predicted] over the sampled training points. */
  confusion: number[][];
  /** Accuracy of the sampled training and validation points (null when there are none). */
  accuracy: { train: number | null; validation: number | null };
  /** Standardized coefficients of every output row at this step: rows × (d weights, then the intercept). */
  coef: Float64Array[];
  /** Euclidean norm of all the weights (intercepts excluded). */
  weightNorm: number;
  /** Binary-like models: the shown output's decision value on the plane, a + u·gx + v·gy (the boundary is a straight line). */
  line: { a: number; gx: number; gy: number } | null;
}

/** Standardized weight rows [w_k..., b_k] of every linear output at `iteration`. */
export function coefRowsAt(replay: Replay, iteration: number): Float64Array[] {
  const d = replay.d;
  const rows: Float64Array[] = [];
  replay.outputs.forEach((out, o) => {
    const theta = thetaAt(replay, o, iteration);
    for (let k = 0; k < out.nRows; k++) rows.push(theta.slice(k * (d + 1), (k + 1) * (d + 1)));
  });
  return rows;
}

/** Probability columns (n × Kp) from decision values (n × nOut), as the boundary view computes them. */
function probaColumns(kind: ModelJson['kind'], z: Float64Array, n: number, nOut: number, label: number): { p: Float64Array; K: number } {
  if (kind === 'multilabel') {
    const all = probaFromDecision('multilabel', z, n, nOut);
    const p = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      p[2 * i + 1] = all[i * nOut + label];
      p[2 * i] = 1 - p[2 * i + 1];
    }
    return { p, K: 2 };
  }
  return { p: probaFromDecision(kind, z, n, nOut), K: kind === 'binary' ? 2 : nOut };
}

function argmaxRow(p: Float64Array, o: number, K: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (p[o + k] > p[o + best]) best = k;
  return best;
}

/** The frame after `iteration`; binary-like models predict the positive class at `threshold`. */
export function replayFrame(cache: ReplayCache, iteration: number, threshold: number): ReplayFrame {
  const { plane, m } = cache;
  const d = cache.replay.d;
  const coef = coefRowsAt(cache.replay, iteration);
  const nOut = coef.length;
  // Grid: decision values are affine in (u, v).
  const a = new Float64Array(nOut);
  const gx = new Float64Array(nOut);
  const gy = new Float64Array(nOut);
  for (let k = 0; k < nOut; k++) {
    const w = coef[k];
    let s = w[d];
    let sx = 0;
    let sy = 0;
    for (let j = 0; j < d; j++) {
      s += w[j] * plane.origin[j];
      sx += w[j] * plane.ex[j];
      sy += w[j] * plane.ey[j];
    }
    a[k] = s;
    gx[k] = sx;
    gy[k] = sy;
  }
  const N = plane.nx * plane.ny;
  const zg = new Float64Array(N * nOut);
  for (let r = 0; r < plane.ny; r++) {
    const v = cellCentre(plane.y1, plane.y2, plane.ny, r);
    for (let c = 0; c < plane.nx; c++) {
      const u = cellCentre(plane.x1, plane.x2, plane.nx, c);
      const o = (r * plane.nx + c) * nOut;
      for (let k = 0; k < nOut; k++) zg[o + k] = a[k] + u * gx[k] + v * gy[k];
    }
  }
  const grid = probaColumns(cache.kind, zg, N, nOut, cache.label);
  const value = new Float64Array(N);
  const argmax = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const best = argmaxRow(grid.p, i * grid.K, grid.K);
    argmax[i] = best;
    value[i] = grid.K === 2 ? grid.p[i * 2 + 1] : grid.p[i * grid.K + best];
  }
  // Sampled points.
  const zp = new Float64Array(m * nOut);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < nOut; k++) {
      const w = coef[k];
      let s = w[d];
      for (let j = 0; j < d; j++) s += w[j] * cache.pointsStd[i * d + j];
      zp[i * nOut + k] = s;
    }
  }
  const pts = probaColumns(cache.kind, zp, m, nOut, cache.label);
  const predicted = new Int32Array(m);
  for (let i = 0; i < m; i++) predicted[i] = pts.K === 2 ? (pts.p[2 * i + 1] >= threshold ? 1 : 0) : argmaxRow(pts.p, i * pts.K, pts.K);
  const shown = cache.kind === 'multilabel' ? cache.label : 0;
  const line = cache.kind === 'binary' || cache.kind === 'multilabel' ? { a: a[shown], gx: gx[shown], gy: gy[shown] } : null;
  return { iteration, value, argmax, predicted, ...tally(cache, predicted), coef, weightNorm: weightNorm(coef, d), line };
}

function tally(cache: ReplayCache, predicted: Int32Array): Pick<ReplayFrame, 'confusion' | 'accuracy'> {
  const K = cache.K;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const right = [0, 0];
  const total = [0, 0];
  for (let i = 0; i < cache.m; i++) {
    const s = cache.split[i];
    if (s === 0 && cache.cls[i] < K && predicted[i] < K) confusion[cache.cls[i]][predicted[i]]++;
    if (s > 1) continue;
    total[s]++;
    if (predicted[i] === cache.cls[i]) right[s]++;
  }
  return { confusion, accuracy: { train: total[0] ? right[0] / total[0] : null, validation: total[1] ? right[1] / total[1] : null } };
}

function weightNorm(coef: Float64Array[], d: number): number {
  let s = 0;
  for (const w of coef) for (let j = 0; j < d; j++) s += w[j] * w[j];
  return Math.sqrt(s);
}
