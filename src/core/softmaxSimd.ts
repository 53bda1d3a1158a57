/**
 * The softmax loss's data term on WebAssembly SIMD (f64x2): the two matrix products of a gradient pass,
 * scores Z = X̃ W and Xᵀ R, run in the kernels of scripts/wasm/kernels.mjs (about three times the
 * scalar JavaScript kernels of loss.ts); the per-row softmax, loss and residuals R = s (P - Y) stay in
 * JavaScript between them, one block of rows at a time. The rows are copied once into the module's
 * memory (the price: a second copy of those rows). Same sums as loss.ts's kernels, in another order:
 * the results agree to rounding.
 *
 * Pure ECMAScript (WebAssembly is a standard global in Node and in browsers); `create` returns null where
 * WebAssembly or its SIMD is unavailable, and the loss keeps its JavaScript kernels.
 */
import { expNonPositive } from './link';
import { KERNELS_WASM_BASE64 } from './wasm/kernels.generated';

/** The part of the WebAssembly JavaScript API used here (a standard global; typed here because the core's lib is plain ES2022). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface Kernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scores(x: number, m: number, d: number, kp: number, wt: number, z: number): void;
  gradient(x: number, m: number, d: number, kp: number, r: number, gt: number): void;
}

const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled module, or null where it cannot be compiled (no WebAssembly, or no SIMD). */
let compiled: object | null | undefined;

function kernelsModule(): object | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const text = atob(KERNELS_WASM_BASE64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      compiled = wasmApi() ? new (wasmApi() as WasmApi).Module(bytes) : null;
    } catch {
      // No SIMD here: the loss keeps its JavaScript kernels.
    }
  }
  return compiled;
}

/** True when the SIMD kernels can run here. */
export function simdAvailable(): boolean {
  return kernelsModule() !== null;
}

const PAGE = 65536;
/** The module's memory is 32-bit: at most 4 GiB; leave room for the scratch. */
const MAX_BYTES = 2 ** 32 - 16 * PAGE;

/** Rows per block: X block and its scores stay in the first-level cache between the two kernels. */
function blockRows(d: number): number {
  return Math.max(16, Math.min(512, Math.floor(4096 / d)));
}

export class SoftmaxSimd {
  /** Rows [start, end) of the caller's X are held, from row 0 of the module's memory. */
  readonly start: number;
  readonly end: number;
  private readonly d: number;
  private readonly K: number;
  /** K rounded up to even: the kernels' class stride. */
  private readonly kp: number;
  private readonly B: number;
  private readonly kernels: Kernels;
  private readonly f64: Float64Array;
  /** Byte offsets of W̃ᵀ ((d+1) × kp), the gradient Gᵀ ((d+1) × kp) and the block's scores (B × kp). */
  private readonly wtOff: number;
  private readonly gtOff: number;
  private readonly zOff: number;

  /** Copies rows [start, end) of the row-major n × d matrix X; null when the kernels cannot run here or the rows do not fit. */
  static create(X: Float64Array, d: number, K: number, start: number, end: number): SoftmaxSimd | null {
    const module = kernelsModule();
    if (module === null || d < 1 || K < 2 || end <= start) return null;
    const kp = K + (K & 1);
    const B = blockRows(d);
    const xBytes = (end - start) * d * 8;
    const scratch = (2 * (d + 1) * kp + B * kp) * 8;
    const bytes = align16(xBytes) + scratch;
    if (bytes > MAX_BYTES) return null;
    let kernels: Kernels;
    try {
      kernels = new (wasmApi() as WasmApi).Instance(module).exports as Kernels;
      const have = kernels.memory.buffer.byteLength;
      if (bytes > have) kernels.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return null;
    }
    return new SoftmaxSimd(X, d, K, kp, B, start, end, kernels);
  }

  private constructor(X: Float64Array, d: number, K: number, kp: number, B: number, start: number, end: number, kernels: Kernels) {
    this.d = d;
    this.K = K;
    this.kp = kp;
    this.B = B;
    this.start = start;
    this.end = end;
    this.kernels = kernels;
    this.f64 = new Float64Array(kernels.memory.buffer);
    this.f64.set(X.subarray(start * d, end * d), 0);
    this.wtOff = align16((end - start) * d * 8);
    this.gtOff = this.wtOff + (d + 1) * kp * 8;
    this.zOff = this.gtOff + (d + 1) * kp * 8;
  }

  /** True when rows [start, end) are held. */
  holds(start: number, end: number): boolean {
    return start >= this.start && end <= this.end;
  }

  /**
   * Σ_{start≤i<end} s_i ℓ_i, and Σ s_i ∇ℓ_i added into `grad` (layout K blocks [W_k (d), b_k]); rows are
   * the caller's row indices (within this object's rows), y and sw indexed by them.
   */
  accumulate(
    theta: Float64Array, start: number, end: number, y: Int32Array, sw: Float64Array | null, fitIntercept: boolean, grad: Float64Array,
  ): number {
    const { d, K, kp, B, f64, kernels } = this;
    const stride = d + 1;
    const wt = this.wtOff / 8;
    const gt = this.gtOff / 8;
    const zb = this.zOff / 8;
    for (let k = 0; k < kp; k++) {
      const o = k * stride;
      for (let j = 0; j < d; j++) f64[wt + j * kp + k] = k < K ? theta[o + j] : 0;
      f64[wt + d * kp + k] = k < K && fitIntercept ? theta[o + d] : 0;
    }
    f64.fill(0, gt, gt + stride * kp);
    let sum = 0;
    for (let r0 = start; r0 < end; r0 += B) {
      const m = Math.min(B, end - r0);
      const x = (r0 - this.start) * d * 8;
      kernels.scores(x, m, d, kp, this.wtOff, this.zOff);
      for (let t = 0, zo = zb; t < m; t++, zo += kp) {
        const i = r0 + t;
        const s = sw === null ? 1 : sw[i];
        if (s === 0) {
          for (let k = 0; k < K; k++) f64[zo + k] = 0;
          continue;
        }
        const yi = y[i];
        const zy = f64[zo + yi];
        let mx = f64[zo];
        for (let k = 1; k < K; k++) if (f64[zo + k] > mx) mx = f64[zo + k];
        let total = 0;
        for (let k = 0; k < K; k++) {
          const e = expNonPositive(f64[zo + k] - mx);
          f64[zo + k] = e;
          total += e;
        }
        const inv = s / total;
        for (let k = 0; k < K; k++) f64[zo + k] *= inv;
        f64[zo + yi] -= s;
        sum += s * (mx - zy + Math.log(total));
      }
      kernels.gradient(x, m, d, kp, this.zOff, this.gtOff);
    }
    for (let k = 0; k < K; k++) {
      const o = k * stride;
      for (let j = 0; j <= d; j++) grad[o + j] += f64[gt + j * kp + k];
    }
    return sum;
  }
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
