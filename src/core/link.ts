/**
 * Numerically stable link functions: the logistic sigmoid, its logarithm, softplus, log-sum-exp and
 * softmax. None of them overflows or loses the tail for |z| up to the float64 limit.
 */

/** σ(z) = 1 / (1 + e^{-z}), computed from e^{-|z|} so that neither sign overflows. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) (softplus) = max(z, 0) + log1p(e^{-|z|}). */
export function log1pExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** log σ(z) = -log(1 + e^{-z}); ≈ z for z ≪ 0 and ≈ -e^{-z} for z ≫ 0. */
export function logSigmoid(z: number): number {
  return -log1pExp(-z);
}

/** log Σ_k e^{a_k} over a[offset .. offset+length), shifted by the maximum. -Infinity when empty. */
export function logSumExp(a: ArrayLike<number>, offset = 0, length = a.length - offset): number {
  let m = -Infinity;
  for (let k = 0; k < length; k++) if (a[offset + k] > m) m = a[offset + k];
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let k = 0; k < length; k++) s += Math.exp(a[offset + k] - m);
  return m + Math.log(s);
}

/** Replaces z[offset .. offset+k) by softmax_k(z) = e^{z_k - max} / Σ_j e^{z_j - max}. */
export function softmaxInPlace(z: Float64Array, offset: number, k: number): void {
  let m = -Infinity;
  for (let j = 0; j < k; j++) if (z[offset + j] > m) m = z[offset + j];
  let s = 0;
  for (let j = 0; j < k; j++) {
    const e = Math.exp(z[offset + j] - m);
    z[offset + j] = e;
    s += e;
  }
  const inv = 1 / s;
  for (let j = 0; j < k; j++) z[offset + j] *= inv;
}
