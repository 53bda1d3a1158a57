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

/** 2^(j/64), j = 0..63, for expNonPositive. */
const EXP_TABLE = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
/** 2^e for e = -1100..0 at index e + 1100 (0 below 2^-1074), for expNonPositive. */
const POW2_NEG = Float64Array.from({ length: 1101 }, (_, i) => 2 ** (i - 1100));
/** 1.5 · 2^52: adding and subtracting it rounds a float64 of magnitude below 2^51 to an integer (ties to even). */
const ROUNDER = 6755399441055744;
const INV_LN2_64 = 64 / Math.LN2;
/** ln 2 / 64 split into a head with 32 significant bits (so k · head is exact for |k| < 2^21) and a tail. */
const LN2_64_HI = 6.93147180369123816490e-1 / 64;
const LN2_64_LO = 1.90821492927058770002e-10 / 64;

/**
 * e^x for x ≤ 0 (the shifted scores of softmax and the -|z| of the sigmoid), within 2 ulp of Math.exp
 * and several times faster in the loss kernels (inlined; no call into the runtime): x = (64k + j) ln2/64 + r
 * with |r| ≤ ln2/128, e^x = 2^k · 2^(j/64) · e^r, e^r by its Taylor polynomial of degree 6 (remainder below
 * 1e-19). Exactly 1 at 0, 0 below -745.2 (and at -∞), NaN for NaN. Not for x > 0.
 */
export function expNonPositive(x: number): number {
  if (x < -745.2) return 0;
  const kf = x * INV_LN2_64 + ROUNDER - ROUNDER;
  const r = x - kf * LN2_64_HI - kf * LN2_64_LO;
  const k = kf | 0;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720))))));
  return EXP_TABLE[k & 63] * p * POW2_NEG[(k >> 6) + 1100];
}

/** log(1 + j/128) and 128/(128 + j), j = 0..128, for log1pUnit. */
const LOG1P_HEAD = Float64Array.from({ length: 129 }, (_, j) => Math.log1p(j / 128));
const LOG1P_INV = Float64Array.from({ length: 129 }, (_, j) => 128 / (128 + j));

/**
 * log(1 + e) for e in [0, 1] (the log1p(e^{-|z|}) of the binary loss's SIMD pass), within 2 ulp of
 * Math.log1p and several times faster in a loss kernel (inlined; Math.log1p is a call into the runtime):
 * 1 + e = (1 + j/128)(1 + t) with j = ⌊128 e⌋, so t = (e - j/128) / (1 + j/128) ∈ [0, 1/128) (the
 * subtraction is exact), and log(1 + t) by its Taylor polynomial of degree 8 (remainder below 2e-18 t).
 * NaN for NaN. Not for e outside [0, 1].
 */
export function log1pUnit(e: number): number {
  const j = (e * 128) | 0;
  const t = (e - j * 0.0078125) * LOG1P_INV[j];
  return LOG1P_HEAD[j] + t * (1 - t * (0.5 - t * (1 / 3 - t * (0.25 - t * (0.2 - t * (1 / 6 - t * (1 / 7 - t * 0.125)))))));
}
