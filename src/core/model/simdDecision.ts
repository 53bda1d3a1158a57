/**
 * Multiclass decision values z_ik = b_k + Σ_j x_ij w_kj (model.ts's multiDecision) on the SIMD kernel
 * `scores` of simdKernels.ts: the kernel starts each sum at its intercept and adds x_ij w_kj for
 * j = 0..d-1 in order, with no fused multiply-add, so every z_ik has the JavaScript loop's bits. Rows in
 * a registered shared WebAssembly memory (the training split) are read in place; any other matrix is
 * copied into the instance one block of rows at a time (no second copy of the whole matrix).
 * Used by the run's evaluation (Node); model.ts itself stays free of WebAssembly, as the webviews
 * bundle it (their CSP allows no WebAssembly).
 */
import { decisionOnPreprocessed, nOutputs, stackedWeights, type ModelJson } from './model';
import { KernelArena, sharedMemoryOf } from './simdKernels';

/**
 * Smallest n·d·K for which decisionValues uses the kernel: below it the instance costs more than the
 * loop (the loss's SIMD_MIN_WORK, the same trade).
 */
export const SIMD_DECISION_MIN_WORK = 200_000;

/**
 * z (n × K, row-major) for the weights w (K × d, row-major) and intercepts b (K) on the row-major
 * n × d matrix X; null where the kernels cannot run here (the caller then runs the loop).
 */
export function simdMultiDecision(w: Float64Array, b: Float64Array, K: number, X: Float64Array, n: number, d: number): Float64Array | null {
  if (K < 2 || d < 1 || n < 1) return null;
  const kp = K + (K & 1);
  const B = Math.max(16, Math.min(512, Math.floor(4096 / d)));
  const inPlace = sharedMemoryOf(X.buffer) !== undefined;
  const wtBytes = (d + 1) * kp * 8;
  const zBytes = B * kp * 8;
  // A copied matrix: the arena holds its first row only, and each block is copied into the scratch.
  const arena = KernelArena.create(X, d, 0, inPlace ? n : 1, wtBytes + zBytes + (inPlace ? 0 : B * d * 8));
  if (!arena) return null;
  const { f64, kernels } = arena;
  const wtOff = arena.scratch;
  const zOff = wtOff + wtBytes;
  const xOff = zOff + zBytes;
  const wt = wtOff / 8;
  for (let k = 0; k < kp; k++) {
    for (let j = 0; j < d; j++) f64[wt + j * kp + k] = k < K ? w[k * d + j] : 0;
    f64[wt + d * kp + k] = k < K ? b[k] : 0;
  }
  const z = new Float64Array(n * K);
  const zs = zOff / 8;
  for (let r0 = 0; r0 < n; r0 += B) {
    const m = Math.min(B, n - r0);
    let x = arena.xOff + r0 * d * 8;
    if (!inPlace) {
      f64.set(X.subarray(r0 * d, (r0 + m) * d), xOff / 8);
      x = xOff;
    }
    kernels.scores(x, m, d, kp, wtOff, zOff);
    if (kp === K) z.set(f64.subarray(zs, zs + m * K), r0 * K);
    else for (let t = 0; t < m; t++) z.set(f64.subarray(zs + t * kp, zs + t * kp + K), (r0 + t) * K);
  }
  return z;
}

/**
 * decisionOnPreprocessed (model.ts), with the products of a model of several outputs (multinomial, OvR,
 * multilabel) on the SIMD kernel where the work is large enough: the same values, bit for bit.
 */
export function decisionValues(model: ModelJson, Xs: Float64Array, n: number): Float64Array {
  const K = nOutputs(model);
  const d = model.featureNames.length;
  const fast = K > 1 && n * d * K >= SIMD_DECISION_MIN_WORK ? simdMultiDecision(stackedWeights(model), Float64Array.from(model.interceptStandardized), K, Xs, n, d) : null;
  return fast ?? decisionOnPreprocessed(model, Xs, n);
}
