/** The L1 part of the objective: pseudo-gradient (projected gradient) and soft-thresholding. */

/**
 * Pseudo-gradient of F = F_s + λ Σ_{mask} |θ_j| (Andrew & Gao): for θ_j ≠ 0, g_j + λ sign θ_j; at θ_j = 0 the
 * one-sided derivative of least magnitude, g_j ± λ, or 0 when |g_j| ≤ λ. Unpenalized coordinates: g_j.
 * Writes into `out` and returns ||out||_∞.
 */
export function pseudoGradient(theta: Float64Array, grad: Float64Array, mask: Uint8Array, lambda: number, out: Float64Array): number {
  let norm = 0;
  for (let j = 0; j < theta.length; j++) {
    const g = grad[j];
    let p = g;
    if (mask[j] && lambda > 0) {
      const t = theta[j];
      if (t > 0) p = g + lambda;
      else if (t < 0) p = g - lambda;
      else if (g + lambda < 0) p = g + lambda;
      else if (g - lambda > 0) p = g - lambda;
      else p = 0;
    }
    out[j] = p;
    const a = Math.abs(p);
    if (a > norm || a !== a) norm = a !== a ? NaN : a;
  }
  return norm;
}

/** Proximal step of τ|θ_j| on the masked coordinates: θ_j ← sign(θ_j) · max(|θ_j| - τ_j, 0). */
export function softThreshold(theta: Float64Array, mask: Uint8Array, tau: number | Float64Array): void {
  for (let j = 0; j < theta.length; j++) {
    if (!mask[j]) continue;
    const t = typeof tau === 'number' ? tau : tau[j];
    const v = theta[j];
    theta[j] = v > t ? v - t : v < -t ? v + t : 0;
  }
}

/** λ Σ_{mask} |θ_j|. */
export function l1Norm(theta: Float64Array, mask: Uint8Array, lambda: number): number {
  if (lambda === 0) return 0;
  let s = 0;
  for (let j = 0; j < theta.length; j++) if (mask[j]) s += Math.abs(theta[j]);
  return lambda * s;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

export function infNorm(a: Float64Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) {
    const v = Math.abs(a[j]);
    if (v > m || v !== v) m = v !== v ? NaN : v;
  }
  return m;
}
