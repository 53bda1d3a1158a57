/**
 * The evaluation's decision values on the fit's WebAssembly SIMD kernels (simdKernels.ts), for large
 * splits. Rows in a registered shared WebAssembly memory (the fit's standardized training rows) are
 * read in place; any other matrix (the validation and test splits) is copied into the instance one
 * block of rows at a time (never a second copy of the whole matrix).
 * - Several outputs (multinomial, OvR, multilabel): the kernel `scores` starts each z_ik at its
 *   intercept and adds x_ij w_kj for j = 0..d-1 in order, with no fused multiply-add, so every z_ik
 *   has model.ts's multiDecision bits.
 * - One output (binary): the kernel `bscores` (the fit's binary pass) sums each row's products in
 *   pairs of columns, so z agrees with model.ts's singleDecision (the reference) to rounding, not bit
 *   for bit: test/unit/core/model/simdDecision.test.ts checks |Δz| <= 1e-12 (|b| + Σ |w_j x_ij|).
 * Used by the run's evaluation (Node); model.ts itself stays free of WebAssembly, as the webviews
 * bundle it (their CSP allows no WebAssembly). Null where the kernels cannot run here (the caller
 * then runs the loop).
 */
import { decisionOnPreprocessed, nOutputs, stackedWeights, type ModelJson } from './model';
import { KernelArena, sharedMemoryOf } from './simdKernels';

/**
 * Smallest n·d·K for which decisionValues uses the kernels: below it the instance costs more than the
 * loop (the loss's SIMD_MIN_WORK, the same trade).
 */
export const SIMD_DECISION_MIN_WORK = 200_000;

/** Rows per block: a block's rows and scores stay in the first-level cache (the fit's blocking). */
function blockRows(d: number): number {
  return Math.max(16, Math.min(512, Math.floor(4096 / d)));
}

/** A block-by-block run of a kernel: `rows(r0, m)` is the byte offset of rows r0..r0+m-1 in the instance. */
interface Blocks {
  arena: KernelArena;
  /** First scratch byte after the weights (the block's scores, then the copied rows). */
  rows(r0: number, m: number): number;
}

/** An arena over X with `scratchBytes` of weights and scores, plus a block's copy when X is not in place. */
function blocksOf(X: Float64Array, n: number, d: number, B: number, scratchBytes: number): Blocks | null {
  const inPlace = sharedMemoryOf(X.buffer) !== undefined;
  // A copied matrix: the arena holds its first row only, and each block is copied into the scratch.
  const arena = KernelArena.create(X, d, 0, inPlace ? n : 1, scratchBytes + (inPlace ? 0 : B * d * 8));
  if (!arena) return null;
  const copyOff = arena.scratch + scratchBytes;
  return {
    arena,
    rows: (r0, m) => {
      if (inPlace) return arena.xOff + r0 * d * 8;
      arena.f64.set(X.subarray(r0 * d, (r0 + m) * d), copyOff / 8);
      return copyOff;
    },
  };
}

/**
 * z (n × K, row-major) for the weights w (K × d, row-major) and intercepts b (K) on the row-major
 * n × d matrix X; null where the kernels cannot run here.
 */
export function simdMultiDecision(w: Float64Array, b: Float64Array, K: number, X: Float64Array, n: number, d: number): Float64Array | null {
  if (K < 2 || d < 1 || n < 1) return null;
  const kp = K + (K & 1);
  const B = blockRows(d);
  const wtBytes = (d + 1) * kp * 8;
  const blocks = blocksOf(X, n, d, B, wtBytes + B * kp * 8);
  if (!blocks) return null;
  const { f64, kernels, scratch: wtOff } = blocks.arena;
  const zOff = wtOff + wtBytes;
  const wt = wtOff / 8;
  for (let k = 0; k < kp; k++) {
    for (let j = 0; j < d; j++) f64[wt + j * kp + k] = k < K ? w[k * d + j] : 0;
    f64[wt + d * kp + k] = k < K ? b[k] : 0;
  }
  const z = new Float64Array(n * K);
  const zs = zOff / 8;
  for (let r0 = 0; r0 < n; r0 += B) {
    const m = Math.min(B, n - r0);
    kernels.scores(blocks.rows(r0, m), m, d, kp, wtOff, zOff);
    if (kp === K) z.set(f64.subarray(zs, zs + m * K), r0 * K);
    else for (let t = 0; t < m; t++) z.set(f64.subarray(zs + t * kp, zs + t * kp + K), (r0 + t) * K);
  }
  return z;
}

/**
 * z = b + X w for the n rows of the row-major n × d matrix X (only w[0..d-1] is read); null where the
 * kernel cannot run here.
 */
export function simdDecision(w: Float64Array, b: number, X: Float64Array, n: number, d: number): Float64Array | null {
  if (n < 1 || d < 1) return null;
  const B = blockRows(d);
  const wBytes = Math.ceil(((d + 1) * 8) / 16) * 16;
  const blocks = blocksOf(X, n, d, B, wBytes + B * 8);
  if (!blocks) return null;
  const { f64, kernels, scratch: wOff } = blocks.arena;
  const zOff = wOff + wBytes;
  f64.set(w.subarray(0, d), wOff / 8);
  f64[wOff / 8 + d] = b;
  const z = new Float64Array(n);
  const zb = f64.subarray(zOff / 8, zOff / 8 + B);
  for (let r0 = 0; r0 < n; r0 += B) {
    const m = Math.min(B, n - r0);
    kernels.bscores(blocks.rows(r0, m), m, d, wOff, zOff);
    z.set(m === B ? zb : zb.subarray(0, m), r0);
  }
  return z;
}

/**
 * The evaluation's decision values (train.ts evaluateSplits): decisionOnPreprocessed (model.ts), with
 * the products on the SIMD kernels where the work (n·d·K) is large enough — several outputs bit for
 * bit, one output to rounding (see the header).
 */
export function decisionValues(model: ModelJson, Xs: Float64Array, n: number): Float64Array {
  const K = nOutputs(model);
  const d = model.featureNames.length;
  if (n * d * K < SIMD_DECISION_MIN_WORK) return decisionOnPreprocessed(model, Xs, n);
  const fast =
    K > 1
      ? simdMultiDecision(stackedWeights(model), Float64Array.from(model.interceptStandardized), K, Xs, n, d)
      : simdDecision(Float64Array.from(model.coefStandardized[0]), model.interceptStandardized[0], Xs, n, d);
  return fast ?? decisionOnPreprocessed(model, Xs, n);
}
