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

/** Rows of the sample the landscape is computed on (60 × 60 grid points × rows log-losses must stay well under a second). */
export const LANDSCAPE_MAX_ROWS = 4000;
export const LANDSCAPE_GRID = 60;
export const LANDSCAPE_DENSE_MAX = 150;
/** Gradient-descent paths: learning rates from 0.05 to 3 times 2/λmax (the stability limit near θ*). */
export const LR_FACTORS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.85, 0.95, 1.05, 1.2, 1.5, 2, 3];
const GD_STEPS = 40;

/** Iterates projected on the plane, with their objective F(θ_t) on the sample (not F at the projection). */
export interface LandscapePath {
  a: number[];
  b: number[];
  objective: number[];
}

/** At most this many of the run's iterates are drawn (evenly thinned, the last kept). */
const MAX_PATH_POINTS = 300;

export interface LearningRatePath extends LandscapePath {
  /** Multiple of 2/λmax. */
  factor: number;
  learningRate: number;
  diverged: boolean;
}

export interface Landscape {
  mode: 'parameters' | 'eigen';
  /** Axis names. */
  axes: [string, string];
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
  lrPaths: LearningRatePath[];
  sampleRows: number;
  ofRows: number;
  /** Time to compute it (set by the run). */
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
    for (let it = 0; it < 200; it++) {
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

/** F on the plane θ* + a·u + b·v from precomputed scores (affine in a and b). */
class PlaneObjective {
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
    const { X, n } = loss;
    this.z0 = loss.rawPrediction(theta, X, n);
    this.zu = loss.rawPrediction(u, X, n);
    this.zv = loss.rawPrediction(v, X, n);
    this.z = new Float64Array(loss.nCoefRows);
  }

  at(a: number, b: number): number {
    const { loss, z0, zu, zv, z } = this;
    const R = loss.nCoefRows;
    const { y, n } = loss;
    const sw = loss.sampleWeight;
    let sum = 0;
    if (R === 1) {
      for (let i = 0; i < n; i++) {
        const zi = z0[i] + a * zu[i] + b * zv[i];
        const t = y[i] === 1 ? -zi : zi;
        // log(1 + e^t) = max(t, 0) + log(1 + e^{-|t|}), with the loss kernels' fast exp and log1p (2 ulp).
        const l = (t > 0 ? t : 0) + log1pUnit(expNonPositive(t > 0 ? -t : t));
        sum += sw ? sw[i] * l : l;
      }
    }
    for (let i = 0; R > 1 && i < n; i++) {
      const s = sw ? sw[i] : 1;
      if (s === 0) continue;
      {
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
    }
    let l2 = 0;
    let l1 = 0;
    for (let p = 0; p < loss.nParams; p++) {
      if (!loss.penalizedMask[p]) continue;
      const w = this.theta[p] + a * this.u[p] + b * this.v[p];
      l2 += w * w;
      l1 += Math.abs(w);
    }
    return sum / loss.totalWeight + 0.5 * loss.l2Strength * l2 + loss.l1Strength * l1;
  }
}

function project(theta: ArrayLike<number>, center: Float64Array, u: Float64Array, v: Float64Array): [number, number] {
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
  /** The objective's spec on the training rows (standardized when the fit was). */
  spec: LossSpec;
  thetaStar: Float64Array;
  /** The run's kept iterates (nParams each). */
  path: Float64Array[];
  scaler: { mean: ArrayLike<number>; scale: ArrayLike<number> } | null;
  featureNames: string[];
  seed: number;
  maxRows?: number;
  grid?: number;
}

/** The spec restricted to a uniform sample of at most maxRows rows. */
function sampleSpec(spec: LossSpec, maxRows: number, seed: number): LossSpec {
  if (spec.n <= maxRows) return spec;
  const rng = new Rng(seed);
  const order = Int32Array.from({ length: spec.n }, (_, i) => i);
  rng.shuffle(order);
  const rows = order.subarray(0, maxRows).slice().sort();
  const d = spec.d;
  const X = new Float64Array(maxRows * d);
  rows.forEach((r, i) => X.set(spec.X.subarray(r * d, r * d + d), i * d));
  return { ...spec, X, n: maxRows, y: Int32Array.from(rows, (r) => spec.y[r]), sampleWeight: spec.sampleWeight ? Float64Array.from(rows, (r) => spec.sampleWeight![r]) : null };
}

export function computeLandscape(input: LandscapeInput): Landscape {
  const spec = sampleSpec(input.spec, input.maxRows ?? LANDSCAPE_MAX_ROWS, input.seed);
  const loss = new LinearModelLoss({ ...spec, simd: false });
  const n = loss.nParams;
  const center = input.thetaStar;
  let u = new Float64Array(n);
  let v = new Float64Array(n);
  let mode: Landscape['mode'];
  let axes: [string, string];
  let offset: [number, number] = [0, 0];
  let eigenvalues: [number, number] | null = null;
  let condition: Landscape['condition'] = { standardized: null, original: null };
  let lambdaMax: number;
  if (n <= LANDSCAPE_DENSE_MAX) {
    const c = conditionNumbers(loss, center, input.scaler);
    condition = { standardized: c.standardized, original: c.original };
    const eig = symmetricEigen(c.H, n);
    lambdaMax = eig.values[0];
    if (n === 2) {
      mode = 'parameters';
      u[0] = 1;
      v[1] = 1;
      axes = [`w (${input.featureNames[0]})`, 'b (intercept)'];
      offset = [center[0], center[1]];
    } else {
      mode = 'eigen';
      u = Float64Array.from(eig.vectors[0]);
      v = Float64Array.from(eig.vectors[1]);
      eigenvalues = [eig.values[0], eig.values[1]];
      axes = ['along the top Hessian eigenvector', 'along the second eigenvector'];
    }
  } else {
    const eig = topTwo(loss, center);
    mode = 'eigen';
    u = Float64Array.from(eig.vectors[0]);
    v = Float64Array.from(eig.vectors[1]);
    eigenvalues = [eig.values[0], eig.values[1]];
    lambdaMax = eig.values[0];
    axes = ['along the top Hessian eigenvector', 'along the second eigenvector'];
  }
  const plane = new PlaneObjective(loss, center, u, v);
  const stride = Math.ceil(input.path.length / MAX_PATH_POINTS);
  const kept = input.path.filter((_, i) => i % stride === 0 || i === input.path.length - 1);
  const runPath = pathOf(loss, kept, center, u, v);
  const lrPaths = learningRatePaths(loss, lambdaMax, center, u, v);
  // Extents: the run's path and the start, padded; at least where F rises by about 1 along each direction.
  const span = (xs: number[], lam: number) => Math.max(1.15 * Math.max(0, ...xs.map(Math.abs)), 2 / Math.sqrt(Math.max(lam, 1e-12)));
  const ra = span(runPath.a, mode === 'eigen' ? eigenvalues![0] : lambdaMax);
  const rb = span(runPath.b, mode === 'eigen' ? eigenvalues![1] : lambdaMax);
  const G = input.grid ?? LANDSCAPE_GRID;
  const values: number[] = [];
  for (let r = 0; r < G; r++) {
    const b = -rb + ((r + 0.5) * 2 * rb) / G;
    for (let c = 0; c < G; c++) values.push(plane.at(-ra + ((c + 0.5) * 2 * ra) / G, b));
  }
  return {
    mode,
    axes,
    dirs: [Array.from(u), Array.from(v)],
    offset,
    aRange: [-ra, ra],
    bRange: [-rb, rb],
    n: G,
    values,
    objectiveAtOptimum: plane.at(0, 0),
    path: runPath,
    eigenvalues,
    condition,
    standardizedFit: input.scaler !== null,
    lambdaMax,
    lrPaths,
    sampleRows: spec.n,
    ofRows: input.spec.n,
  };
}

function pathOf(loss: LinearModelLoss, thetas: Float64Array[], center: Float64Array, u: Float64Array, v: Float64Array, objective?: number[]): LandscapePath {
  const out: LandscapePath = { a: [], b: [], objective: objective ?? [] };
  for (const t of thetas) {
    const [a, b] = project(t, center, u, v);
    out.a.push(a);
    out.b.push(b);
    if (!objective) out.objective.push(loss.objective(t));
  }
  return out;
}

/** Gradient descent from θ = 0 on the sample at learning rates LR_FACTORS × 2/λmax, projected on the plane. */
function learningRatePaths(loss: LinearModelLoss, lambdaMax: number, center: Float64Array, u: Float64Array, v: Float64Array): LearningRatePath[] {
  return LR_FACTORS.map((factor) => {
    const learningRate = (factor * 2) / lambdaMax;
    const thetas: Float64Array[] = [new Float64Array(loss.nParams)];
    const objective: number[] = [loss.objective(thetas[0])];
    const result = minimize(loss, 'gd', {
      learningRate,
      maxIter: GD_STEPS,
      tol: 0,
      optimizer: 'sgd',
      schedule: 'constant',
      onIteration: (info) => {
        thetas.push(info.theta.slice());
        objective.push(info.objective);
      },
    });
    const path = pathOf(loss, thetas, center, u, v, objective);
    const last = objective[objective.length - 1];
    const diverged = result.stopReason === 'diverged' || !Number.isFinite(last) || last > objective[0];
    return { factor, learningRate, diverged, ...path };
  });
}
