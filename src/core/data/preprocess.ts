/**
 * Mean imputation and standardization, fitted on the training rows only, as scikit-learn's
 * SimpleImputer(strategy="mean") followed by StandardScaler; plus the map from coefficients on
 * standardized features back to original units.
 */
import { MAX_SCALED_VALUE } from './extremeValues';
import { simdColumnSums, simdScaledParts } from './preprocessSimd';

/** Per-feature statistics fitted on the training rows. */
export interface Preprocessor {
  /** Mean of the non-missing training values (0 when a feature has none); replaces NaN. */
  imputeMean: Float64Array;
  /** StandardScaler's mean_ (0 when !standardize). */
  mean: Float64Array;
  /** StandardScaler's scale_: population standard deviation, 1 for a constant feature or when !standardize. */
  scale: Float64Array;
  standardize: boolean;
}

/**
 * Fits imputation means and, when `standardize`, the scaler on the n x d row-major training matrix
 * (NaN = missing). The scaler sees the imputed data, as in an imputer -> scaler pipeline; mean and
 * variance use scikit-learn's corrected two-pass formula, and a feature whose variance is within
 * rounding error of zero (scikit-learn's _is_constant_feature bound) gets scale 1.
 */
export function fitPreprocessor(X: Float64Array, n: number, d: number, standardize: boolean): Preprocessor {
  checkShape(X, n, d);
  return fitOnRows(X, null, n, d, standardize);
}

/**
 * fitPreprocessor on rows `rows` of the row-major matrix X (d columns), read where they are: the same
 * statistics, bit for bit, as fitPreprocessor on those rows gathered into a matrix of their own.
 */
export function fitPreprocessorOnRows(X: Float64Array, d: number, rows: Int32Array, standardize: boolean): Preprocessor {
  for (let i = 0; i < rows.length; i++) {
    if (!(rows[i] >= 0 && (rows[i] + 1) * d <= X.length)) throw new RangeError(`row ${rows[i]} is outside the matrix of ${X.length / d} rows`);
  }
  return fitOnRows(X, rows, rows.length, d, standardize);
}

/** The fit on the n rows `rows` of X (null: rows 0..n-1); row i starts at rowStart(rows, i, d). */
function fitOnRows(X: Float64Array, rows: Int32Array | null, n: number, d: number, standardize: boolean): Preprocessor {
  const p = (standardize && n > 0 && fitScalerComplete(X, rows, n, d)) || fitWithMissing(X, rows, n, d, standardize);
  for (let j = 0; j < d; j++) {
    if (!Number.isFinite(p.imputeMean[j]) || !Number.isFinite(p.mean[j]) || !Number.isFinite(p.scale[j])) refitScaledColumn(X, rows, n, d, j, p);
  }
  return p;
}

/** Offset of row i of the fit's rows in X. */
function rowStart(rows: Int32Array | null, i: number, d: number): number {
  return (rows === null ? i : rows[i]) * d;
}

/**
 * Refits column j where a sum overflowed (values near 1.8e308, whose squares or sums are infinite):
 * the same statistics computed on x / M, with M the column's largest magnitude, then scaled back
 * (mean = M mean(x/M), scale = M std(x/M)), so they are finite whenever the values are.
 */
function refitScaledColumn(X: Float64Array, rows: Int32Array | null, n: number, d: number, j: number, p: Preprocessor): void {
  let M = 0;
  let total = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const o = rowStart(rows, i, d) + j;
    if (X[o] === X[o]) M = Math.max(M, Math.abs(X[o]));
  }
  if (!Number.isFinite(M) || M === 0) return;
  for (let i = 0; i < n; i++) {
    const o = rowStart(rows, i, d) + j;
    if (X[o] === X[o]) {
      total += X[o] / M;
      count++;
    }
  }
  const imputeScaled = count > 0 ? total / count : 0;
  p.imputeMean[j] = imputeScaled * M;
  if (!p.standardize) return;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const o = rowStart(rows, i, d) + j;
    sum += X[o] === X[o] ? X[o] / M : imputeScaled;
  }
  const mean = sum / n;
  let correction = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const o = rowStart(rows, i, d) + j;
    const t = (X[o] === X[o] ? X[o] / M : imputeScaled) - mean;
    correction += t;
    squares += t * t;
  }
  const variance = (squares - (correction * correction) / n) / n;
  p.mean[j] = mean * M;
  p.scale[j] = isConstantFeature(variance, mean, n) ? 1 : Math.sqrt(variance) * M;
}

/** Rows per block of the scaler's passes: 64 rows of up to 64 features stay in the first-level cache. */
const SCALER_BLOCK = 64;

/**
 * The scaler of a matrix without missing values: scikit-learn's corrected two-pass formula, each pass
 * over blocks of rows with four columns at a time summed in registers (a block's partial sums are added
 * to the column's total, so the sums are grouped by block rather than strictly in row order).
 * Returns null as soon as a column has a missing value (NaN); fitWithMissing then starts over.
 */
function fitScalerComplete(X: Float64Array, rows: Int32Array | null, n: number, d: number): Preprocessor | null {
  const mean = new Float64Array(d);
  if (!blockedColumnSums(X, rows, n, d, null, mean, null)) return null;
  for (let j = 0; j < d; j++) mean[j] /= n;
  const correction = new Float64Array(d);
  const squares = new Float64Array(d);
  blockedColumnSums(X, rows, n, d, mean, correction, squares);
  const scale = new Float64Array(d).fill(1);
  for (let j = 0; j < d; j++) {
    const variance = (squares[j] - (correction[j] * correction[j]) / n) / n;
    scale[j] = scaleOf(variance, mean[j], n);
  }
  return { imputeMean: Float64Array.from(mean), mean, scale, standardize: true };
}

/**
 * Adds Σ_i x_ij into sum[j] (no center; returns false at the first block whose sums are NaN), or
 * Σ_i (x_ij - c_j) into sum[j] and Σ_i (x_ij - c_j)² into squares[j] (c = center; returns true): on the
 * SIMD kernels where X lies in a shared WebAssembly memory (preprocessSimd.ts, the same bits), else in
 * JavaScript (jsColumnSums, the reference).
 */
function blockedColumnSums(
  X: Float64Array, rows: Int32Array | null, n: number, d: number, center: Float64Array | null, sum: Float64Array, squares: Float64Array | null,
): boolean {
  return simdColumnSums(X, rows, n, d, center, sum, squares) ?? jsColumnSums(X, rows, n, d, center, sum, squares);
}

/**
 * blockedColumnSums in JavaScript, the reference: blocks of SCALER_BLOCK rows, four columns at a time
 * summed from 0 in row order (a last group of fewer repeats its first column), each block's sums then
 * added to the totals. Unrolled on purpose, as loss.ts's kernels (see the note above binaryBlock).
 */
export function jsColumnSums(
  X: Float64Array, rows: Int32Array | null, n: number, d: number, center: Float64Array | null, sum: Float64Array, squares: Float64Array | null,
): boolean {
  // The offsets of the block's rows in X (rows read where they are: no gathered copy).
  const offsets = new Int32Array(SCALER_BLOCK);
  for (let r0 = 0; r0 < n; r0 += SCALER_BLOCK) {
    const m = Math.min(n - r0, SCALER_BLOCK);
    for (let t = 0; t < m; t++) offsets[t] = rowStart(rows, r0 + t, d);
    for (let j = 0; j < d; j += 4) {
      const j1 = j + 1 < d ? j + 1 : j;
      const j2 = j + 2 < d ? j + 2 : j;
      const j3 = j + 3 < d ? j + 3 : j;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      if (center === null || squares === null) {
        for (let t = 0; t < m; t++) {
          const o = offsets[t];
          a0 += X[o + j];
          a1 += X[o + j1];
          a2 += X[o + j2];
          a3 += X[o + j3];
        }
        const total = a0 + a1 + a2 + a3;
        if (total !== total) return false;
      } else {
        const m0 = center[j];
        const m1 = center[j1];
        const m2 = center[j2];
        const m3 = center[j3];
        let q0 = 0;
        let q1 = 0;
        let q2 = 0;
        let q3 = 0;
        for (let t = 0; t < m; t++) {
          const o = offsets[t];
          const t0 = X[o + j] - m0;
          const t1 = X[o + j1] - m1;
          const t2 = X[o + j2] - m2;
          const t3 = X[o + j3] - m3;
          a0 += t0;
          a1 += t1;
          a2 += t2;
          a3 += t3;
          q0 += t0 * t0;
          q1 += t1 * t1;
          q2 += t2 * t2;
          q3 += t3 * t3;
        }
        squares[j] += q0;
        if (j1 !== j) squares[j1] += q1;
        if (j2 !== j) squares[j2] += q2;
        if (j3 !== j) squares[j3] += q3;
      }
      sum[j] += a0;
      if (j1 !== j) sum[j1] += a1;
      if (j2 !== j) sum[j2] += a2;
      if (j3 !== j) sum[j3] += a3;
    }
  }
  return true;
}

/** The general fit (missing values, or no scaler): column sums in row order, then the two-pass variance of the imputed columns. */
function fitWithMissing(X: Float64Array, rows: Int32Array | null, n: number, d: number, standardize: boolean): Preprocessor {
  // Row-major passes with one accumulator per column: each column's sums still add its values in row
  // order (the same results, bit for bit, as a pass down each column), but X is read contiguously.
  const total = new Float64Array(d);
  const count = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = rowStart(rows, i, d);
    for (let j = 0; j < d; j++) {
      const v = X[o + j];
      if (v === v) {
        total[j] += v;
        count[j]++;
      }
    }
  }
  const imputeMean = Float64Array.from(total, (t, j) => (count[j] > 0 ? t / count[j] : 0));
  const mean = new Float64Array(d);
  const scale = new Float64Array(d).fill(1);
  if (!standardize || n === 0) return { imputeMean, mean, scale, standardize };
  // Mean and population variance of each imputed column: mean first, then sum((x-m)^2) minus the
  // rounding correction (sum(x-m))^2/n.
  // Without missing values the imputed columns are the columns: their sums are `total` already.
  const sum = count.every((c) => c === n) ? total : new Float64Array(d);
  if (sum !== total) {
    for (let i = 0; i < n; i++) {
      const o = rowStart(rows, i, d);
      for (let j = 0; j < d; j++) {
        const v = X[o + j];
        sum[j] += v === v ? v : imputeMean[j];
      }
    }
  }
  for (let j = 0; j < d; j++) mean[j] = sum[j] / n;
  const correction = new Float64Array(d);
  const squares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = rowStart(rows, i, d);
    for (let j = 0; j < d; j++) {
      const v = X[o + j];
      const t = (v === v ? v : imputeMean[j]) - mean[j];
      correction[j] += t;
      squares[j] += t * t;
    }
  }
  for (let j = 0; j < d; j++) {
    const variance = (squares[j] - (correction[j] * correction[j]) / n) / n;
    scale[j] = scaleOf(variance, mean[j], n);
  }
  return { imputeMean, mean, scale, standardize };
}

/** StandardScaler's scale_ from a variance: 1 for a constant feature; NaN when the sums overflowed (refitScaledColumn then refits the column). */
function scaleOf(variance: number, mean: number, n: number): number {
  if (!Number.isFinite(variance) || !Number.isFinite(mean)) return NaN;
  return isConstantFeature(variance, mean, n) ? 1 : Math.sqrt(variance);
}

/** scikit-learn's bound on the two-pass variance error: below it the feature is constant. */
export function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  const bound = n * eps * variance + (n * mean * eps) ** 2;
  return variance <= bound;
}

/** A new n x d matrix: NaN replaced by imputeMean, then (x - mean) / scale. */
export function transform(X: Float64Array, n: number, d: number, p: Preprocessor): Float64Array {
  return transformInto(X, n, d, p, new Float64Array(n * d));
}

/** transform() over X itself, for a caller that owns X and no longer needs the raw values; returns X. */
export function transformInPlace(X: Float64Array, n: number, d: number, p: Preprocessor): Float64Array {
  return transformInto(X, n, d, p, X);
}

function transformInto(X: Float64Array, n: number, d: number, p: Preprocessor, out: Float64Array): Float64Array {
  checkShape(X, n, d);
  const { imputeMean, mean, scale } = p;
  if (mean.length !== d) throw new RangeError(`preprocessor has ${mean.length} features, the data has ${d}`);
  for (let o = 0, end = n * d; o < end; o += d) {
    for (let j = 0; j < d; j++) {
      const v = X[o + j];
      out[o + j] = ((v === v ? v : imputeMean[j]) - mean[j]) / scale[j];
    }
  }
  return out;
}

/**
 * Rows `rows` of the raw matrix X (d columns, NaN = missing), imputed and scaled as transform() scales
 * them, written in order into `out` (rows.length x d) in one pass, each value checked as
 * checkScaledRange checks it (extremeValues.ts). Returns -1, or the position (i·d + j) of the first
 * value that fails the check; the pass stops there, with that raw value still at X[rows[i]·d + j]
 * (extremeValueError names it). `out` may be X's own buffer when `rows` is strictly ascending: row
 * rows[i] >= i is read before position i is written (one forward pass moves the rows to the front).
 */
export function takeScaledRows(X: Float64Array, d: number, rows: Int32Array, p: Preprocessor, out: Float64Array): number {
  const { imputeMean, mean, scale } = p;
  if (mean.length !== d) throw new RangeError(`preprocessor has ${mean.length} features, the data has ${d}`);
  if (out.length < rows.length * d) throw new RangeError(`output has ${out.length} entries, expected ${rows.length} x ${d}`);
  for (let i = 0; i < rows.length; i++) {
    const src = rows[i] * d;
    const dst = i * d;
    if (!(rows[i] >= 0 && src + d <= X.length)) throw new RangeError(`row ${rows[i]} is outside the matrix of ${X.length / d} rows`);
    for (let j = 0; j < d; j++) {
      const v = X[src + j];
      const t = ((v === v ? v : imputeMean[j]) - mean[j]) / scale[j];
      if (!(t <= MAX_SCALED_VALUE && t >= -MAX_SCALED_VALUE)) return dst + j;
      out[dst + j] = t;
    }
  }
  return -1;
}

/** The first value takeScaledParts refused in one set: its position in the set's output (i·d + j) and its raw value. */
export interface RefusedValue {
  at: number;
  value: number;
}

/**
 * takeScaledRows of several sets of rows at once, in one pass down X: part[r] is the set of row r (an
 * index into outs, or -1 for none), each set's rows taken in ascending order into its output (so the
 * sets' rows are ascending and distinct by construction). X is read once, in order, instead of once per
 * set. outs[s] may be X's own buffer (the set's rows move to its front: row r is read before any
 * position at or after r·d is written). Returns, per set, the first value that fails checkScaledRange's
 * test, with its raw value, or null; a set's later values are still written.
 */
export function takeScaledParts(X: Float64Array, d: number, part: Int8Array, outs: Float64Array[], p: Preprocessor): (RefusedValue | null)[] {
  if (p.mean.length !== d) throw new RangeError(`preprocessor has ${p.mean.length} features, the data has ${d}`);
  if (part.length * d > X.length) throw new RangeError(`${part.length} rows of ${d} values do not fit in a matrix of ${X.length}`);
  const refused: (RefusedValue | null)[] = outs.map(() => null);
  const fill = new Int32Array(outs.length);
  // The SIMD kernels (preprocessSimd.ts, the same bits) take what they can; this loop the rest, from
  // the first value they refused (or all, where they cannot run).
  const [row, column] = simdScaledParts(X, d, part, outs, p, fill);
  scaledPartsFrom(X, d, part, outs, p, refused, fill, row, column);
  return refused;
}

/**
 * takeScaledParts' loop in JavaScript (the reference: simdScaledParts stops where it must hand over),
 * from row r0's column j0 on; fill[s] holds the rows of set s before row r0.
 */
export function scaledPartsFrom(
  X: Float64Array, d: number, part: Int8Array, outs: Float64Array[], p: Preprocessor, refused: (RefusedValue | null)[], fill: Int32Array, r0: number, j0: number,
): void {
  const { imputeMean, mean, scale } = p;
  for (let r = r0; r < part.length; r++) {
    const s = part[r];
    if (s < 0) continue;
    const out = outs[s];
    const src = r * d;
    const dst = fill[s]++ * d;
    if (dst + d > out.length) throw new RangeError(`set ${s} has more rows than its output holds`);
    for (let j = r === r0 ? j0 : 0; j < d; j++) {
      const v = X[src + j];
      const t = ((v === v ? v : imputeMean[j]) - mean[j]) / scale[j];
      if (!(t <= MAX_SCALED_VALUE && t >= -MAX_SCALED_VALUE) && refused[s] === null) refused[s] = { at: dst + j, value: v };
      out[dst + j] = t;
    }
  }
}

/**
 * Coefficients in original units from coefficients on standardized features (K x d, row-major):
 * coef_kj = coefStd_kj / scale_j and intercept_k = interceptStd_k - sum_j coefStd_kj * mean_j / scale_j.
 * Predictions on imputed raw rows then equal predictions on their transformed rows.
 */
export function coefToOriginal(
  coefStd: Float64Array,
  interceptStd: Float64Array,
  d: number,
  p: Preprocessor,
): { coef: Float64Array; intercept: Float64Array } {
  const K = interceptStd.length;
  if (coefStd.length !== K * d) throw new RangeError(`coefficients have ${coefStd.length} entries, expected ${K} x ${d}`);
  const coef = new Float64Array(K * d);
  const intercept = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let shift = 0;
    for (let j = 0; j < d; j++) {
      const w = coefStd[k * d + j] / p.scale[j];
      coef[k * d + j] = w;
      shift += w * p.mean[j];
    }
    intercept[k] = interceptStd[k] - shift;
  }
  return { coef, intercept };
}

function checkShape(X: Float64Array, n: number, d: number): void {
  if (X.length !== n * d) throw new RangeError(`matrix has ${X.length} entries, expected ${n} x ${d}`);
}
