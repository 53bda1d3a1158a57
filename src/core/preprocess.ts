/**
 * Mean imputation and standardization, fitted on the training rows only, as scikit-learn's
 * SimpleImputer(strategy="mean") followed by StandardScaler; plus the map from coefficients on
 * standardized features back to original units.
 */

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
  // Row-major passes with one accumulator per column: each column's sums still add its values in row
  // order (the same results, bit for bit, as a pass down each column), but X is read contiguously.
  const total = new Float64Array(d);
  const count = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++, o += d) {
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
    for (let i = 0, o = 0; i < n; i++, o += d) {
      for (let j = 0; j < d; j++) {
        const v = X[o + j];
        sum[j] += v === v ? v : imputeMean[j];
      }
    }
  }
  for (let j = 0; j < d; j++) mean[j] = sum[j] / n;
  const correction = new Float64Array(d);
  const squares = new Float64Array(d);
  for (let i = 0, o = 0; i < n; i++, o += d) {
    for (let j = 0; j < d; j++) {
      const v = X[o + j];
      const t = (v === v ? v : imputeMean[j]) - mean[j];
      correction[j] += t;
      squares[j] += t * t;
    }
  }
  for (let j = 0; j < d; j++) {
    const variance = (squares[j] - (correction[j] * correction[j]) / n) / n;
    if (!isConstantFeature(variance, mean[j], n)) scale[j] = Math.sqrt(variance);
  }
  return { imputeMean, mean, scale, standardize };
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
  if (p.mean.length !== d) throw new RangeError(`preprocessor has ${p.mean.length} features, the data has ${d}`);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = X[row + j];
      out[row + j] = ((v === v ? v : p.imputeMean[j]) - p.mean[j]) / p.scale[j];
    }
  }
  return out;
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
