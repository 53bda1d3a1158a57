import type { Projection } from '../report/report';
import { Rng } from '../random';
import { sampledRanges } from '../optimize/precondition';

/** Rows of the run's PCA picture, at most about this many (train.ts; streaming keeps a reservoir of as many). */
export const PROJECTION_ROWS = 5000;

/**
 * principalComponents of the n rows of X (n x d, row-major), or, above maxRows rows, of evenly spaced
 * blocks of consecutive rows (about maxRows in all), as the preconditioner samples its column statistics
 * (optimize/precondition.ts sampledRanges): copied block by block, in order. The projection is only
 * drawn (the boundary view); a uniform draw of single rows took a shuffle and a scattered gather, about
 * 10 ms of a cold run.
 */
export function sampledComponents(X: Float64Array, n: number, d: number, seed = 0, maxRows = PROJECTION_ROWS): Projection | null {
  if (n <= maxRows) return principalComponents(X, n, d, seed);
  const ranges = sampledRanges(n, maxRows);
  let m = 0;
  for (let b = 0; b < ranges.length; b += 2) m += ranges[b + 1] - ranges[b];
  const rows = new Float64Array(m * d);
  for (let b = 0, o = 0; b < ranges.length; b += 2) {
    rows.set(X.subarray(ranges[b] * d, ranges[b + 1] * d), o);
    o += (ranges[b + 1] - ranges[b]) * d;
  }
  return principalComponents(rows, m, d, seed);
}

/**
 * The first two principal components of rows X (n x d, row-major; already standardized), by power
 * iteration with deflation on the covariance matrix. Signs are fixed so that the largest-magnitude
 * loading of each component is positive (deterministic plots).
 */
export function principalComponents(X: Float64Array, n: number, d: number, seed = 0): Projection | null {
  if (n < 3 || d < 2) return null;
  const center = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) center[j] += X[i * d + j];
  for (let j = 0; j < d; j++) center[j] /= n;
  if (d > COVARIANCE_MAX_FEATURES) return wideComponents(X, n, d, center, seed);
  // Covariance (d x d); d is the number of encoded features, bounded by the column limit.
  const cov = covarianceSums(X, n, d, Float64Array.from(center));
  let total = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n;
    total += cov[a * d + a];
  }
  if (!(total > 0)) return null;
  const rng = new Rng(seed);
  const components: number[][] = [];
  const explained: number[] = [];
  // One operator for both components (cov is deflated in place): a new closure per component made the
  // power iteration's compiled loop deoptimize on the second (wrong call target) and run interpreted again.
  const covTimes = (x: Float64Array): Float64Array => {
    const w = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += cov[a * d + b] * x[b];
      w[a] = s;
    }
    return w;
  };
  for (let c = 0; c < 2; c++) {
    const { v, lambda } = leadingEigenvector(d, rng, covTimes);
    components.push(Array.from(v));
    explained.push(lambda / total);
    // Deflate: cov -= lambda v v'.
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] -= lambda * v[a] * v[b];
  }
  return { center, components, explained };
}

/**
 * The upper triangle of Σ_i (x_i - c)(x_i - c)ᵀ (d x d, row-major), each entry summed over the rows in
 * order with a row's term skipped where its factor (x_ia - c_a) is 0; two rows at a time, so each
 * entry is loaded and stored once per pair of rows (the same additions in the same order, bit for bit).
 */
export function covarianceSums(X: Float64Array, n: number, d: number, center: Float64Array): Float64Array {
  const cov = new Float64Array(d * d);
  const r0 = new Float64Array(d);
  const r1 = new Float64Array(d);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    for (let j = 0; j < d; j++) {
      r0[j] = X[i * d + j] - center[j];
      r1[j] = X[(i + 1) * d + j] - center[j];
    }
    for (let a = 0; a < d; a++) {
      const f0 = r0[a];
      const f1 = r1[a];
      const o = a * d;
      if (f0 !== 0 && f1 !== 0) {
        for (let b = a; b < d; b++) cov[o + b] = cov[o + b] + f0 * r0[b] + f1 * r1[b];
      } else if (f0 !== 0) {
        for (let b = a; b < d; b++) cov[o + b] += f0 * r0[b];
      } else if (f1 !== 0) {
        for (let b = a; b < d; b++) cov[o + b] += f1 * r1[b];
      }
    }
  }
  for (; i < n; i++) {
    for (let j = 0; j < d; j++) r0[j] = X[i * d + j] - center[j];
    for (let a = 0; a < d; a++) {
      const f0 = r0[a];
      if (f0 === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += f0 * r0[b];
    }
  }
  return cov;
}

/** Above this many features the d x d covariance matrix is not formed (wideComponents). */
const COVARIANCE_MAX_FEATURES = 256;

/** The Euclidean norm (Math.hypot(...v) overflows the call stack for long vectors). */
function euclidean(v: Float64Array): number {
  // Indexed loops, not for-of: the power iteration calls this once per step (up to 1000 times a run),
  // mostly before it is compiled, where each for-of step runs the iterator protocol.
  let scale = 0;
  for (let j = 0; j < v.length; j++) scale = Math.max(scale, Math.abs(v[j]));
  if (!(scale > 0) || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let j = 0; j < v.length; j++) s += (v[j] / scale) ** 2;
  return scale * Math.sqrt(s);
}

/**
 * principalComponents for wide data (thousands of features): the same power iteration with deflation,
 * on products with the centered rows (C v = Xcᵀ (Xc v) / n, less the components found) instead of the
 * d x d covariance matrix, so memory is O(n + d) and each step O(n d).
 */
function wideComponents(X: Float64Array, n: number, d: number, center: number[], seed: number): Projection | null {
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) total += (X[i * d + j] - center[j]) ** 2;
  total /= n;
  if (!(total > 0)) return null;
  const rng = new Rng(seed);
  const components: number[][] = [];
  const found: { v: Float64Array; lambda: number }[] = [];
  const explained: number[] = [];
  const t = new Float64Array(n);
  const covTimes = (v: Float64Array): Float64Array => {
    let shift = 0;
    for (let j = 0; j < d; j++) shift += center[j] * v[j];
    for (let i = 0; i < n; i++) {
      let s = -shift;
      for (let j = 0, o = i * d; j < d; j++) s += X[o + j] * v[j];
      t[i] = s;
    }
    const w = new Float64Array(d);
    let tsum = 0;
    for (let i = 0; i < n; i++) {
      const ti = t[i];
      tsum += ti;
      for (let j = 0, o = i * d; j < d; j++) w[j] += X[o + j] * ti;
    }
    for (let j = 0; j < d; j++) w[j] = (w[j] - center[j] * tsum) / n;
    for (const f of found) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += f.v[j] * v[j];
      for (let j = 0; j < d; j++) w[j] -= f.lambda * dot * f.v[j];
    }
    return w;
  };
  for (let c = 0; c < 2; c++) {
    const { v, lambda } = leadingEigenvector(d, rng, covTimes);
    components.push(Array.from(v));
    explained.push(lambda / total);
    found.push({ v, lambda });
  }
  return { center, components, explained };
}

/**
 * Power iteration for the leading eigenvector of a symmetric positive semi-definite operator (x -> A x),
 * from a random start; its sign makes the largest-magnitude entry positive (deterministic plots).
 */
function leadingEigenvector(d: number, rng: Rng, times: (x: Float64Array) => Float64Array): { v: Float64Array; lambda: number } {
  let v: Float64Array = new Float64Array(d);
  for (let j = 0; j < d; j++) v[j] = rng.normal();
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const w = times(v);
    const norm = euclidean(w);
    if (!(norm > 0)) break;
    for (let j = 0; j < d; j++) w[j] /= norm;
    let delta = 0;
    for (let j = 0; j < d; j++) delta = Math.max(delta, Math.abs(Math.abs(w[j]) - Math.abs(v[j])));
    v = w;
    lambda = norm;
    if (delta < 1e-12) break;
  }
  let big = 0;
  for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
  if (v[big] < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
  return { v, lambda };
}
