/**
 * The loss landscape of a fitted model: the objective F on a plane through the optimum θ*, with the
 * run's own path and gradient-descent paths at a ladder of learning rates drawn on it.
 *
 * - Directions: a model with two parameters (one feature and the intercept) is drawn over its two
 *   parameters; otherwise over the two top eigenvectors of the Hessian at θ* (the stiffest
 *   directions, where a too-large learning rate oscillates first).
 * - Conditioning: the Hessian's condition number λmax/λmin (over eigenvalues above 1e-10·λmax: the
 *   softmax form's shift directions are flat), for standardized features and for the features in
 *   their original units, at the same model (the Hessian transformed by the change of variables).
 * - Sample: at most LANDSCAPE_MAX_ROWS training rows (a uniform sample; said on the plot).
 *   On the plane the scores are affine, z_i(a, b) = z_i* + a·u_i + b·v_i, so each grid point costs
 *   O(n·K), not O(n·d·K).
 * Dense Hessians (Jacobi eigenvalues) up to LANDSCAPE_DENSE_MAX parameters; above it, the top two
 * directions by power iteration with deflation and no condition numbers.
 */
import { expNonPositive, log1pUnit } from '../model/link';
import { LinearModelLoss, type LossSpec } from '../model/loss';
import { minimize } from '../optimize';
import { Rng } from '../random';

/** Rows of the sample the landscape is computed on (uniform, seeded; said on the plot); divided by K/2 for K classes. */
export const LANDSCAPE_MAX_ROWS = 20_000;
/** Larger models get no landscape (their Hessian directions cost too many passes). */
export const LANDSCAPE_MAX_PARAMS = 1000;
/** Grid cells per side at most; fewer when the sample is large (LANDSCAPE_GRID_WORK). */
export const LANDSCAPE_GRID = 60;
/**
 * Row evaluations (cells × sample rows × K/2) the grid may cost: 60 × 60 up to 8,888 rows, 40 × 40 on
 * 20,000 (about 0.25 s of CPU at ~8 ns a log-loss; see bench/landscape.mjs).
 */
export const LANDSCAPE_GRID_WORK = 32_000_000;
export const LANDSCAPE_DENSE_MAX = 150;
/** The learning-rate slider's range, as multiples of 2/λmax (the stability limit of gradient descent near θ*). */
export const LR_FACTOR_RANGE: [number, number] = [0.05, 3];
/** The first learning rate drawn (before the slider moves): half the stability limit, 1/λmax. */
export const DEFAULT_LR_FACTOR = 0.5;
/** Heavy-ball coefficient of the momentum path drawn beside gradient descent. */
export const LANDSCAPE_MOMENTUM = 0.9;
/** Steps of the gradient-descent and momentum paths. */
export const GD_STEPS = 40;
/** Points of the one-coefficient slice. */
export const SLICE_POINTS = 81;

/** Iterates projected on the plane, with their objective F(θ_t) on the sample (not F at the projection); empty for the run's own path (its loss history). */
export interface LandscapePath {
  a: number[];
  b: number[];
  objective: number[];
}

/** At most this many of the run's iterates are drawn (evenly thinned, the last kept). */
const MAX_PATH_POINTS = 300;

/** Gradient descent (or heavy-ball momentum) from θ = 0 on the sample at one learning rate. */
export interface LearningRatePath extends LandscapePath {
  /** Multiple of 2/λmax. */
  factor: number;
  learningRate: number;
  diverged: boolean;
  /** Steps after which the objective went up (momentum overshooting the valley, or an unstable rate). */
  rises: number;
}

/** Gradient descent and momentum at one learning rate (what the slider asks the worker for). */
export interface DescentPaths {
  gd: LearningRatePath;
  momentum: LearningRatePath;
}

/** Which plane: 'auto' (the two parameters, or the top two Hessian eigenvectors) or two chosen coefficients (others at θ*). */
export type LandscapeDirections = { kind: 'auto' } | { kind: 'coefficients'; i: number; j: number };

/**
 * F along one coefficient with every other at θ*: values at `x` (the coefficient's value, standardized
 * space). With an L1 penalty the slope jumps by 2α at 0 (the kink); `kink` gives the one-sided slopes there.
 */
export interface CoefficientSlice {
  index: number;
  name: string;
  x: number[];
  values: number[];
  /** The coefficient's fitted value. */
  at: number;
  kink: { left: number; right: number; jump: number; l1Strength: number } | null;
}

export interface Landscape {
  mode: 'parameters' | 'eigen' | 'coefficients';
  /** Axis names. */
  axes: [string, string];
  /** The parameters' names (θ's layout: per output row, the d weights then the intercept), for choosing coefficients. */
  paramNames: string[];
  /** The two coefficients of 'coefficients' mode. */
  coefficients: [number, number] | null;
  /** θ* (standardized space): the plane's centre. */
  center: number[];
  /** θ(a, b) = θ* + a·dirs[0] + b·dirs[1]; axis values are shown as a + offset[0], b + offset[1]. */
  dirs: [number[], number[]];
  offset: [number, number];
  aRange: [number, number];
  bRange: [number, number];
  n: number;
  /** n × n objective values, row r (b) major, cell centres. */
  values: number[];
  /** F(θ*) on the sample (the run's final objective when the sample is every training row). */
  objectiveAtOptimum: number;
  /** The run's own iterates projected on the plane. */
  path: LandscapePath;
  /** Eigenvalues of the Hessian along the two directions (eigen mode). */
  eigenvalues: [number, number] | null;
  condition: { standardized: number | null; original: number | null };
  /** Whether the fit used standardized features. */
  standardizedFit: boolean;
  lambdaMax: number;
  /** Gradient descent and momentum at DEFAULT_LR_FACTOR (the slider replaces them live in the panel). */
  descent: DescentPaths;
  slice: CoefficientSlice;
  sampleRows: number;
  ofRows: number;
  /** CPU-side time to compute it on the sample (set by the caller). */
  computeMs?: number;
}

/** Symmetric eigen-decomposition (cyclic Jacobi): values descending, vectors[k] the unit eigenvector of values[k]. */
export function symmetricEigen(A: Float64Array, n: number): { values: number[]; vectors: number[][] } {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] * a[p * n + p];
      for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x]);
  return { values: order.map((i) => a[i * n + i]), vectors: order.map((i) => Array.from({ length: n }, (_, k) => v[k * n + i])) };
}

/** λmax/λmin over the eigenvalues above 1e-10·λmax (flat shift directions excluded). */
export function conditionNumber(values: readonly number[]): number {
  const top = values[0];
  const kept = values.filter((v) => v > 1e-10 * top);
  return top / kept[kept.length - 1];
}

/**
 * The Hessian after the change of variables θ_from = U θ_to applied to the data term: Uᵀ (H - λI_w) U + λI_w,
 * where per output row U maps weights by w_from_j = u_j w_to_j and intercepts by b_from = b_to + Σ_j c_j w_to_j.
 */
export function changeVariables(H: Float64Array, loss: LinearModelLoss, u: Float64Array, c: Float64Array): Float64Array {
  const n = loss.nParams;
  const d = loss.d;
  const stride = d + 1;
  const U = new Float64Array(n * n);
  for (let k = 0; k < loss.nCoefRows; k++) {
    const o = k * stride;
    for (let j = 0; j < d; j++) {
      U[(o + j) * n + o + j] = u[j];
      U[(o + d) * n + o + j] = c[j];
    }
    U[(o + d) * n + o + d] = 1;
  }
  const data = Float64Array.from(H);
  for (let p = 0; p < n; p++) if (loss.penalizedMask[p]) data[p * n + p] -= loss.l2Strength;
  const HU = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const h = data[i * n + k];
    if (h === 0) continue;
    for (let j = 0; j < n; j++) HU[i * n + j] += h * U[k * n + j];
  }
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) {
    const uki = U[k * n + i];
    if (uki === 0) continue;
    for (let j = 0; j < n; j++) out[i * n + j] += uki * HU[k * n + j];
  }
  for (let p = 0; p < n; p++) if (loss.penalizedMask[p]) out[p * n + p] += loss.l2Strength;
  return out;
}

/** Top two eigenpairs by power iteration with deflation (Hessian-vector products). */
function topTwo(loss: LinearModelLoss, theta: Float64Array): { values: number[]; vectors: number[][] } {
  const hv = loss.hessianProduct(theta);
  const n = loss.nParams;
  const rng = new Rng(2024);
  const values: number[] = [];
  const vectors: number[][] = [];
  for (let e = 0; e < 2; e++) {
    let v = Float64Array.from({ length: n }, () => rng.normal());
    const w = new Float64Array(n);
    let lambda = 0;
    for (let it = 0; it < 80; it++) {
      for (const u of vectors) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += u[j] * v[j];
        for (let j = 0; j < n; j++) v[j] -= dot * u[j];
      }
      const norm = Math.hypot(...v);
      if (norm === 0) break;
      for (let j = 0; j < n; j++) v[j] /= norm;
      hv(v, w);
      lambda = 0;
      for (let j = 0; j < n; j++) lambda += v[j] * w[j];
      v = Float64Array.from(w);
    }
    const norm = Math.hypot(...v) || 1;
    values.push(lambda);
    vectors.push(Array.from(v, (x) => x / norm));
  }
  return { values, vectors };
}

/** Column means and population standard deviations (1 for a constant column) of n × d rows. */
function columnStats(X: Float64Array, n: number, d: number): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sd[j] += (X[i * d + j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) sd[j] = sd[j] > 1e-24 ? Math.sqrt(sd[j]) : 1;
  return { mean, sd };
}

/**
 * Condition numbers of the Hessian at θ* for standardized and original-unit features. `scaler` is the
 * fit's standardizer (mean, scale) when the fit used standardized features, else null (then the
 * sample's own column statistics give the standardized problem).
 */
export function conditionNumbers(loss: LinearModelLoss, theta: Float64Array, scaler: { mean: ArrayLike<number>; scale: ArrayLike<number> } | null): { standardized: number; original: number; H: Float64Array } {
  const H = loss.hessian(theta);
  const n = loss.nParams;
  const d = loss.d;
  let other: Float64Array;
  if (scaler) {
    // θ_std = U θ_raw: w_std = s·w_raw, b_std = b_raw + Σ m_j w_raw_j.
    other = changeVariables(H, loss, Float64Array.from(scaler.scale), Float64Array.from(scaler.mean));
  } else {
    const { mean, sd } = columnStats(loss.X, loss.n, d);
    // θ_raw = U θ_std: w_raw = w_std / s, b_raw = b_std - Σ m_j w_std_j / s_j.
    other = changeVariables(H, loss, Float64Array.from(sd, (s) => 1 / s), Float64Array.from(d ? mean.map((m, j) => -m / sd[j]) : []));
  }
  const fit = conditionNumber(symmetricEigen(H, n).values);
  const alt = conditionNumber(symmetricEigen(other, n).values);
  return scaler ? { standardized: fit, original: alt, H } : { standardized: alt, original: fit, H };
}

/**
 * Adds s·softplus(p + c·q) into sums[c] for c in [from, to), where t = p + c·q keeps one sign: e^{-|t|}
 * is carried from cell to cell by the factor e^{-|q|} or e^{|q|} (recomputed while it is 0, where it
 * would stay 0 on the way up). |q| < 700.
 */
function segment(p: number, q: number, from: number, to: number, s: number, sums: Float64Array): void {
  const t0 = p + from * q;
  const positive = t0 > 0;
  let e = expNonPositive(positive ? -t0 : t0);
  const f = Math.exp(positive ? -q : q);
  const growing = f > 1;
  for (let c = from; c < to; c++) {
    if (c > from) e = growing && e === 0 ? expNonPositive(-Math.abs(p + c * q)) : e * f;
    const l = positive ? p + c * q + log1pUnit(e) : log1pUnit(e);
    sums[c] += s === 1 ? l : s * l;
  }
}

/** F on the plane θ* + a·u + b·v from precomputed scores (affine in a and b). */
export class PlaneObjective {
  private readonly z0: Float64Array;
  private readonly zu: Float64Array;
  private readonly zv: Float64Array;
  private readonly z: Float64Array;

  constructor(
    private readonly loss: LinearModelLoss,
    private readonly theta: Float64Array,
    private readonly u: Float64Array,
    private readonly v: Float64Array,
  ) {
    const { X, n, y } = loss;
    this.z0 = loss.rawPrediction(theta, X, n);
    this.zu = loss.rawPrediction(u, X, n);
    this.zv = loss.rawPrediction(v, X, n);
    this.z = new Float64Array(loss.nCoefRows);
    if (loss.nCoefRows === 1) {
      // Binary: the loss is softplus(t) with t = -z for y = 1 and z for y = 0; the signs are folded in once.
      for (let i = 0; i < n; i++) {
        if (y[i] !== 1) continue;
        this.z0[i] = -this.z0[i];
        this.zu[i] = -this.zu[i];
        this.zv[i] = -this.zv[i];
      }
    }
  }

  /** The penalty at θ* + a·u + b·v. */
  private penalty(a: number, b: number): number {
    const { loss } = this;
    let l2 = 0;
    let l1 = 0;
    for (let p = 0; p < loss.nParams; p++) {
      if (!loss.penalizedMask[p]) continue;
      const w = this.theta[p] + a * this.u[p] + b * this.v[p];
      l2 += w * w;
      l1 += Math.abs(w);
    }
    return 0.5 * loss.l2Strength * l2 + loss.l1Strength * l1;
  }

  at(a: number, b: number): number {
    const { loss, z0, zu, zv, z } = this;
    const R = loss.nCoefRows;
    const { y, n } = loss;
    const sw = loss.sampleWeight;
    let sum = 0;
    if (R === 1) {
      for (let i = 0; i < n; i++) {
        const t = z0[i] + a * zu[i] + b * zv[i];
        // log(1 + e^t) = max(t, 0) + log(1 + e^{-|t|}), with the loss kernels' fast exp and log1p (2 ulp).
        const l = (t > 0 ? t : 0) + log1pUnit(expNonPositive(t > 0 ? -t : t));
        sum += sw ? sw[i] * l : l;
      }
    }
    for (let i = 0; R > 1 && i < n; i++) {
      const s = sw ? sw[i] : 1;
      if (s === 0) continue;
      const o = i * R;
      let m = -Infinity;
      for (let k = 0; k < R; k++) {
        z[k] = z0[o + k] + a * zu[o + k] + b * zv[o + k];
        if (z[k] > m) m = z[k];
      }
      let t = 0;
      for (let k = 0; k < R; k++) t += Math.exp(z[k] - m);
      sum += s * (m - z[y[i]] + Math.log(t));
    }
    return sum / loss.totalWeight + this.penalty(a, b);
  }

  /**
   * F at a[c] = a0 + c·da (c < G) for one b: a row of the grid. Binary: along the row each sample's
   * t = p + c·q is linear, so e^{-|t|} is carried from one cell to the next by a factor e^{∓q}
   * (segment; recomputed where t changes sign): two or three exps per sample and grid row instead of
   * G, within about G ulp of the cell-by-cell value. Multinomial: cell by cell.
   */
  row(a0: number, da: number, G: number, b: number, out: Float64Array, offset: number): void {
    const { loss, z0, zu, zv } = this;
    if (loss.nCoefRows > 1) {
      for (let c = 0; c < G; c++) out[offset + c] = this.at(a0 + c * da, b);
      return;
    }
    const sums = new Float64Array(G);
    const sw = loss.sampleWeight;
    for (let i = 0; i < loss.n; i++) {
      const s = sw ? sw[i] : 1;
      if (s === 0) continue;
      const p = z0[i] + a0 * zu[i] + b * zv[i];
      const q = da * zu[i];
      // t = p + c·q changes sign at most once: cells [0, cut) on one side of 0, [cut, G) on the other.
      let cut = G;
      if (p > 0 ? q < 0 : q > 0) {
        // Heading for 0: from just before -p/q, the first cell on the other side.
        let c = Math.max(1, Math.min(G, Math.ceil(-p / q) - 1));
        while (c < G && p + c * q > 0 === p > 0) c++;
        cut = c;
      }
      if (q > -700 && q < 700) {
        segment(p, q, 0, cut, s, sums);
        if (cut < G) segment(p, q, cut, G, s, sums);
      } else {
        for (let c = 0; c < G; c++) {
          const t = p + c * q;
          sums[c] += s * ((t > 0 ? t : 0) + log1pUnit(expNonPositive(t > 0 ? -t : t)));
        }
      }
    }
    for (let c = 0; c < G; c++) out[offset + c] = sums[c] / loss.totalWeight + this.penalty(a0 + c * da, b);
  }
}

function project(theta: ArrayLike<number>, center: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>): [number, number] {
  let a = 0;
  let b = 0;
  for (let j = 0; j < center.length; j++) {
    const t = theta[j] - center[j];
    a += t * u[j];
    b += t * v[j];
  }
  return [a, b];
}

export interface LandscapeInput {
  /** The objective's spec on the training rows (standardized when the fit was); or `sample` and `ofRows`. */
  spec?: LossSpec;
  thetaStar: Float64Array;
  /** The run's kept iterates (nParams each). */
  path: Float64Array[];
  scaler: { mean: ArrayLike<number>; scale: ArrayLike<number> } | null;
  featureNames: string[];
  /** Names of the output rows of a multinomial model (its classes). */
  rowNames?: string[];
  seed: number;
  maxRows?: number;
  grid?: number;
  directions?: LandscapeDirections;
  /** The coefficient of the 1-D slice (default: the penalized coefficient nearest 0). */
  sliceIndex?: number;
  /** The sample's objective when the caller keeps it (landscapeLoss(spec, seed)), and the training rows it was drawn from. */
  sample?: LinearModelLoss;
  ofRows?: number;
}

/** Rows of the landscape's sample for a problem of K classes: LANDSCAPE_MAX_ROWS, divided by K/2 above two classes. */
export function landscapeRows(spec: LossSpec): number {
  const K = spec.kind === 'multinomial' ? spec.nClasses : 1;
  return Math.max(500, Math.floor(LANDSCAPE_MAX_ROWS / Math.max(1, K / 2)));
}

/** The spec restricted to a uniform sample of at most maxRows rows (seeded, rows in file order). */
export function sampleSpec(spec: LossSpec, maxRows: number, seed: number): LossSpec {
  if (spec.n <= maxRows) return spec;
  // The first maxRows draws of a Fisher-Yates shuffle (uniform, without replacement), the swapped
  // positions kept in a map (O(maxRows), not O(n)); then in file order.
  const rng = new Rng(seed);
  const swapped = new Map<number, number>();
  const rows = new Int32Array(maxRows);
  for (let i = 0; i < maxRows; i++) {
    const j = i + rng.int(spec.n - i);
    const vi = swapped.get(i) ?? i;
    rows[i] = swapped.get(j) ?? j;
    swapped.set(j, vi);
  }
  rows.sort();
  const d = spec.d;
  const X = new Float64Array(maxRows * d);
  rows.forEach((r, i) => X.set(spec.X.subarray(r * d, r * d + d), i * d));
  return { ...spec, X, n: maxRows, y: Int32Array.from(rows, (r) => spec.y[r]), sampleWeight: spec.sampleWeight ? Float64Array.from(rows, (r) => spec.sampleWeight![r]) : null };
}

/** Cells per side of the grid on `rows` sample rows of a problem with K classes (LANDSCAPE_GRID_WORK). */
export function gridSize(rows: number, K: number): number {
  return Math.max(20, Math.min(LANDSCAPE_GRID, Math.floor(Math.sqrt(LANDSCAPE_GRID_WORK / (rows * Math.max(1, K / 2))))));
}

/** The landscape's objective: the spec on its sample (landscapeRows), scalar kernels (the same values on every machine). */
export function landscapeLoss(spec: LossSpec, seed: number, maxRows = landscapeRows(spec)): LinearModelLoss {
  return new LinearModelLoss({ ...sampleSpec(spec, maxRows, seed), simd: false });
}

/** Names of θ's entries: per output row the d weights ("x1", or "x1 [class]" for several rows) then the intercept. */
export function parameterNames(loss: LinearModelLoss, featureNames: string[], rowNames?: string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < loss.nCoefRows; k++) {
    const tag = loss.nCoefRows > 1 ? ` [${rowNames?.[k] ?? `row ${k + 1}`}]` : '';
    for (let j = 0; j < loss.d; j++) out.push(`${featureNames[j] ?? `x${j + 1}`}${tag}`);
    out.push(`intercept${tag}`);
  }
  return out;
}

/** The plane's directions, axes and curvature information. */
function planeOf(loss: LinearModelLoss, center: Float64Array, input: LandscapeInput, names: string[]): Pick<Landscape, 'mode' | 'axes' | 'offset' | 'eigenvalues' | 'condition' | 'lambdaMax' | 'coefficients'> & { u: Float64Array; v: Float64Array } {
  const n = loss.nParams;
  let u = new Float64Array(n);
  let v = new Float64Array(n);
  let condition: Landscape['condition'] = { standardized: null, original: null };
  let eig: { values: number[]; vectors: number[][] };
  if (n <= LANDSCAPE_DENSE_MAX) {
    const c = conditionNumbers(loss, center, input.scaler);
    condition = { standardized: c.standardized, original: c.original };
    eig = symmetricEigen(c.H, n);
  } else {
    eig = topTwo(loss, center);
  }
  const lambdaMax = eig.values[0];
  const dirs = input.directions ?? { kind: 'auto' };
  if (dirs.kind === 'coefficients') {
    const { i, j } = dirs;
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0 && i < n && j < n && i !== j)) throw new RangeError(`two different coefficients in [0, ${n}) are needed (got ${i} and ${j})`);
    u[i] = 1;
    v[j] = 1;
    return { mode: 'coefficients', axes: [names[i], names[j]], offset: [center[i], center[j]], eigenvalues: null, condition, lambdaMax, coefficients: [i, j], u, v };
  }
  if (n === 2) {
    u[0] = 1;
    v[1] = 1;
    return { mode: 'parameters', axes: [`w (${input.featureNames[0]})`, 'b (intercept)'], offset: [center[0], center[1]], eigenvalues: null, condition, lambdaMax, coefficients: null, u, v };
  }
  u = Float64Array.from(eig.vectors[0]);
  v = Float64Array.from(eig.vectors[1]);
  return { mode: 'eigen', axes: ['along the top Hessian eigenvector', 'along the second eigenvector'], offset: [0, 0], eigenvalues: [eig.values[0], eig.values[1]], condition, lambdaMax, coefficients: null, u, v };
}

/** Curvature of F along a unit direction at θ* (uᵀHu), for the plot's extent. */
function curvatureAlong(loss: LinearModelLoss, center: Float64Array, u: Float64Array): number {
  const out = new Float64Array(loss.nParams);
  loss.hessianProduct(center)(u, out);
  let c = 0;
  for (let j = 0; j < u.length; j++) c += u[j] * out[j];
  return c;
}

export function computeLandscape(input: LandscapeInput): Landscape {
  if (!input.sample && !input.spec) throw new TypeError('computeLandscape needs spec or sample');
  const loss = input.sample ?? landscapeLoss(input.spec!, input.seed, input.maxRows ?? landscapeRows(input.spec!));
  const center = input.thetaStar;
  const names = parameterNames(loss, input.featureNames, input.rowNames);
  const plane = planeOf(loss, center, input, names);
  const { u, v } = plane;
  const surface = new PlaneObjective(loss, center, u, v);
  const stride = Math.ceil(input.path.length / MAX_PATH_POINTS);
  const kept = input.path.filter((_, i) => i % stride === 0 || i === input.path.length - 1);
  // The run's own objective along its path is its loss history (the snapshots reproduce it): not recomputed here.
  const runPath = pathOf(kept, center, u, v, []);
  const descent = descentPaths(loss, center, u, v, plane.lambdaMax, DEFAULT_LR_FACTOR);
  // Extents: the run's path and the start, padded; at least where F rises by about 1 along each direction.
  const span = (xs: number[], lam: number) => Math.max(1.15 * Math.max(0, ...xs.map(Math.abs)), 2 / Math.sqrt(Math.max(lam, 1e-12)));
  const ra = span(runPath.a, plane.eigenvalues?.[0] ?? curvatureAlong(loss, center, u));
  const rb = span(runPath.b, plane.eigenvalues?.[1] ?? curvatureAlong(loss, center, v));
  const G = input.grid ?? gridSize(loss.n, loss.nCoefRows > 1 ? loss.nCoefRows : 2);
  const grid = new Float64Array(G * G);
  for (let r = 0; r < G; r++) surface.row(-ra + ra / G, (2 * ra) / G, G, -rb + ((r + 0.5) * 2 * rb) / G, grid, r * G);
  const values = Array.from(grid);
  const { u: _u, v: _v, ...rest } = plane;
  return {
    ...rest,
    paramNames: names,
    center: Array.from(center),
    dirs: [Array.from(u), Array.from(v)],
    aRange: [-ra, ra],
    bRange: [-rb, rb],
    n: G,
    values,
    objectiveAtOptimum: surface.at(0, 0),
    path: runPath,
    standardizedFit: input.scaler !== null,
    descent,
    slice: coefficientSlice(loss, center, input.sliceIndex ?? nearestZero(loss, center), names),
    sampleRows: loss.n,
    ofRows: input.ofRows ?? input.spec?.n ?? loss.n,
  };
}

function pathOf(thetas: Float64Array[], center: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>, objective: number[]): LandscapePath {
  const out: LandscapePath = { a: [], b: [], objective };
  for (const t of thetas) {
    const [a, b] = project(t, center, u, v);
    out.a.push(a);
    out.b.push(b);
  }
  return out;
}

/** One path from θ = 0 on the sample: plain gradient descent or heavy-ball momentum, GD_STEPS steps. */
function descend(loss: LinearModelLoss, optimizer: 'sgd' | 'momentum', learningRate: number, factor: number, center: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>): LearningRatePath {
  const thetas: Float64Array[] = [new Float64Array(loss.nParams)];
  const objective: number[] = [loss.objective(thetas[0])];
  const result = minimize(loss, 'gd', {
    learningRate,
    maxIter: GD_STEPS,
    tol: 0,
    optimizer,
    momentum: LANDSCAPE_MOMENTUM,
    schedule: 'constant',
    onIteration: (info) => {
      thetas.push(info.theta.slice());
      objective.push(info.objective);
    },
  });
  const path = pathOf(thetas, center, u, v, objective);
  const last = objective[objective.length - 1];
  const diverged = result.stopReason === 'diverged' || !Number.isFinite(last) || last > objective[0];
  let rises = 0;
  for (let t = 1; t < objective.length; t++) if (!(objective[t] <= objective[t - 1])) rises++;
  return { factor, learningRate, diverged, rises, ...path };
}

/**
 * Gradient descent and heavy-ball momentum (μ = LANDSCAPE_MOMENTUM) from θ = 0 at learning rate
 * factor × 2/λmax, projected on the plane (center, u, v): what the slider redraws. The same learning
 * rate for both, so momentum's overshoot shows against plain descent.
 */
export function descentPaths(loss: LinearModelLoss, center: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>, lambdaMax: number, factor: number): DescentPaths {
  if (!(factor > 0 && Number.isFinite(factor))) throw new RangeError(`the learning-rate factor must be a positive number (got ${factor})`);
  const learningRate = (factor * 2) / lambdaMax;
  return { gd: descend(loss, 'sgd', learningRate, factor, center, u, v), momentum: descend(loss, 'momentum', learningRate, factor, center, u, v) };
}

/** The penalized coefficient with the smallest |θ*_j| (an L1 fit's zeros come first). */
function nearestZero(loss: LinearModelLoss, center: Float64Array): number {
  let best = -1;
  for (let p = 0; p < loss.nParams; p++) if (loss.penalizedMask[p] && (best < 0 || Math.abs(center[p]) < Math.abs(center[best]))) best = p;
  return best < 0 ? 0 : best;
}

/**
 * F along coefficient `index` with every other at θ*, over an interval holding its fitted value and 0.
 * With an L1 penalty (strength α) the slope jumps by 2α at 0: `kink` gives the one-sided slopes there
 * (forward and backward differences, h = 1e-7 of the interval).
 */
export function coefficientSlice(loss: LinearModelLoss, center: Float64Array, index: number, names: string[], points = SLICE_POINTS): CoefficientSlice {
  const e = new Float64Array(loss.nParams);
  e[index] = 1;
  const line = new PlaneObjective(loss, center, e, new Float64Array(loss.nParams));
  const at = center[index];
  const curvature = Math.max(curvatureAlong(loss, center, e), 1e-12);
  const half = Math.max(1.5 * Math.abs(at), 2 / Math.sqrt(curvature));
  const step = (2 * half) / (points - 1);
  const x = Array.from({ length: points }, (_, k) => at - half + k * step);
  const row = new Float64Array(points);
  line.row(-half, step, points, 0, row, 0);
  const values = Array.from(row);
  let kink: CoefficientSlice['kink'] = null;
  if (loss.l1Strength > 0 && loss.penalizedMask[index]) {
    const h = 1e-7 * half;
    const f0 = line.at(-at, 0);
    const right = (line.at(-at + h, 0) - f0) / h;
    const left = (f0 - line.at(-at - h, 0)) / h;
    kink = { left, right, jump: right - left, l1Strength: loss.l1Strength };
  }
  return { index, name: names[index], x, values, at, kink };
}
