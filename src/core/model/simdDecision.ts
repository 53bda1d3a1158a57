/**
 * Binary decision values z_i = b + Σ_j w_j x_ij on WebAssembly SIMD (the kernel `bscores` of
 * scripts/wasm/kernels.mjs, the one the fit's binary pass uses), for the evaluation of large splits.
 * Rows in a registered shared memory (the fit's standardized training rows) are read in place; any
 * other matrix goes through the kernel one block of rows at a time, copied into a small scratch
 * memory (never a second copy of the matrix). The kernel sums each row's products in pairs of
 * columns, so z agrees with model.ts's singleDecision (the reference) to rounding, not bit for bit:
 * test/unit/core/model/simdDecision.test.ts checks |Δz| <= 1e-12 (b + Σ |w_j x_ij|).
 *
 * Pure ECMAScript; null where WebAssembly SIMD is unavailable (the caller keeps singleDecision).
 */
import { KERNELS_WASM_BASE64 } from '../wasm/kernels.generated';
import { compileModule, wasmApi, WASM_PAGE, type WasmMemory } from '../wasm/load';
import { KernelArena, sharedMemoryOf } from './simdKernels';
import { decisionOnPreprocessed, type ModelJson } from './model';

/** Below this many products (n x d) decision values stay in JavaScript (as the fit's SIMD_MIN_WORK). */
const SIMD_DECISION_MIN_WORK = 200_000;

/**
 * The evaluation's decision values (train.ts evaluateSplits): decisionOnPreprocessed, except that one
 * output on many rows goes through the SIMD kernel (the same sums to rounding). Not in model.ts: the
 * panel's webview predicts with it and cannot compile WebAssembly (its CSP), so it keeps no kernel.
 */
export function evaluationDecisions(model: ModelJson, Xs: Float64Array, n: number): Float64Array {
  const d = model.featureNames.length;
  const W = model.coefStandardized;
  if (W.length !== 1 || n * d < SIMD_DECISION_MIN_WORK) return decisionOnPreprocessed(model, Xs, n);
  return simdDecision(Float64Array.from(W[0]), model.interceptStandardized[0], Xs, n, d) ?? decisionOnPreprocessed(model, Xs, n);
}

interface ScoreKernel {
  bscores(x: number, m: number, d: number, w: number, z: number): void;
}

/** Rows per block: a block's rows and scores stay in the first-level cache (the fit's blocking). */
function blockRows(d: number): number {
  return Math.max(16, Math.min(512, Math.floor(4096 / d)));
}

/** Where the kernel reads: the matrix's rows at byte offset x(r0), w̃ = [w, b] at wOff, a block's z at zOff. */
interface Placement {
  kernels: ScoreKernel;
  f64: Float64Array;
  wOff: number;
  zOff: number;
  /** Byte offset of row r0 (copying the block there first when the rows are not in place). */
  rowsAt(r0: number, m: number): number;
}

function inPlace(X: Float64Array, d: number, n: number, B: number): Placement | null {
  const wBytes = Math.ceil(((d + 1) * 8) / 16) * 16;
  const arena = KernelArena.create(X, d, 0, n, wBytes + B * 8);
  if (arena === null) return null;
  const { f64, kernels, scratch, xOff } = arena;
  return { kernels, f64, wOff: scratch, zOff: scratch + wBytes, rowsAt: (r0) => xOff + r0 * d * 8 };
}

function blockCopied(X: Float64Array, d: number, B: number): Placement | null {
  const api = wasmApi();
  const module = compileModule(KERNELS_WASM_BASE64);
  if (!api || module === null) return null;
  try {
    const exports = new api.Instance(module).exports as ScoreKernel & { memory: WasmMemory };
    const wBytes = Math.ceil(((d + 1) * 8) / 16) * 16;
    const need = wBytes + B * 8 + B * d * 8;
    const have = exports.memory.buffer.byteLength;
    if (need > have) exports.memory.grow(Math.ceil((need - have) / WASM_PAGE));
    const f64 = new Float64Array(exports.memory.buffer as ArrayBuffer);
    const xOff = wBytes + B * 8;
    return {
      kernels: exports,
      f64,
      wOff: 0,
      zOff: wBytes,
      rowsAt: (r0, m) => {
        f64.set(X.subarray(r0 * d, (r0 + m) * d), xOff / 8);
        return xOff;
      },
    };
  } catch {
    return null;
  }
}

/**
 * z = b + X w for the n rows of the row-major n × d matrix X (only w[0..d-1] is read); null where the
 * kernel cannot run here.
 */
export function simdDecision(w: Float64Array, b: number, X: Float64Array, n: number, d: number): Float64Array | null {
  if (n < 1 || d < 1) return null;
  const B = blockRows(d);
  const at = sharedMemoryOf(X.buffer) !== undefined ? inPlace(X, d, n, B) : blockCopied(X, d, B);
  if (at === null) return null;
  const { kernels, f64, wOff, zOff } = at;
  f64.set(w.subarray(0, d), wOff / 8);
  f64[wOff / 8 + d] = b;
  const z = new Float64Array(n);
  const zb = f64.subarray(zOff / 8, zOff / 8 + B);
  for (let r0 = 0; r0 < n; r0 += B) {
    const m = Math.min(B, n - r0);
    kernels.bscores(at.rowsAt(r0, m), m, d, wOff, zOff);
    z.set(m === B ? zb : zb.subarray(0, m), r0);
  }
  return z;
}
