/**
 * The loss's data term on WebAssembly SIMD (f64x2): the two matrix products of a gradient pass, the
 * scores Z = X̃ W and Xᵀ R, run in the kernels of scripts/wasm/kernels.mjs (several times the scalar
 * JavaScript kernels of loss.ts); the per-row link, loss and residuals R = s (P - Y) stay in JavaScript
 * between them, one block of rows at a time. Same sums as loss.ts's kernels, in another order: the
 * results agree to rounding.
 *
 * Where the rows live: a matrix inside a shared WebAssembly.Memory made by sharedFloat64Memory (as the
 * two-thread CSV parse makes its value buffer) is read in place, by a module that imports that memory,
 * from any thread the memory was registered in; any other matrix is copied once into a module's own
 * memory (the price: a second copy of those rows). Over a shared memory, each thread takes its
 * scratch (weights, scores, gradient) from a memory.grow of its own, shared by its users.
 *
 * Pure ECMAScript (WebAssembly is a standard global in Node and in browsers); the factories return null
 * where WebAssembly or its SIMD is unavailable, and the loss keeps its JavaScript kernels.
 */
import { expNonPositive, log1pUnit } from './link';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from '../wasm/kernels.generated';
import { compileModule, wasmApi, type WasmApi, type WasmMemory } from '../wasm/load';

export type { WasmMemory } from '../wasm/load';

interface Kernels {
  scores(x: number, m: number, d: number, kp: number, wt: number, z: number): void;
  gradient(x: number, m: number, d: number, kp: number, r: number, gt: number): void;
  bscores(x: number, m: number, d: number, w: number, z: number): void;
  bgradient(x: number, m: number, d: number, r: number, g: number): void;
  bhessian(x: number, m: number, d: number, dp: number, c: number, h: number): void;
  softmax(z: number, m: number, kp: number, K: number, y: number, sw: number, hasW: number, out: number): void;
}

/** True when the SIMD kernels can run here. */
export function simdAvailable(): boolean {
  return compileModule(KERNELS_WASM_BASE64) !== null;
}

const PAGE = 65536;
/** Memories are 32-bit: at most 4 GiB. */
const MAX_PAGES = 65536;
/** Pages a shared memory may grow by for its users' scratch (16 MiB). */
const SCRATCH_HEADROOM_PAGES = 256;

/** Shared memories by the buffers their matrices were made in (registered per thread). */
const sharedMemories = new WeakMap<object, WasmMemory>();

/**
 * Registers `memory` as the shared WebAssembly.Memory behind `buffer` (default: its current buffer) in
 * this thread, so that matrices on that buffer are read in place. A worker that receives such a matrix
 * registers the memory it received with it.
 */
export function registerSharedMemory(memory: WasmMemory, buffer: ArrayBufferLike = memory.buffer): void {
  sharedMemories.set(buffer, memory);
}

/** The registered shared memory behind `buffer`, if any. */
export function sharedMemoryOf(buffer: ArrayBufferLike): WasmMemory | undefined {
  return sharedMemories.get(buffer);
}

/**
 * A SharedArrayBuffer of at least `bytes` bytes inside a new, registered, shared WebAssembly.Memory
 * (with room to grow for the kernels' scratch), or null when that is not possible here (no
 * WebAssembly threads, or too large): the caller then makes a plain SharedArrayBuffer.
 */
export function sharedFloat64Memory(bytes: number): ArrayBufferLike | null {
  const api = wasmApi();
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (!api || pages + SCRATCH_HEADROOM_PAGES > MAX_PAGES || compileModule(KERNELS_SHARED_WASM_BASE64) === null) return null;
  try {
    const memory = new api.Memory({ initial: pages, maximum: pages + SCRATCH_HEADROOM_PAGES, shared: true });
    registerSharedMemory(memory);
    return memory.buffer;
  } catch {
    return null;
  }
}

/** This thread's instance over a shared memory, and its scratch region (grown as needed). */
interface SharedScratch {
  kernels: Kernels;
  f64: Float64Array;
  scratch: number;
  bytes: number;
}
const sharedScratches = new WeakMap<WasmMemory, SharedScratch>();

/**
 * This thread's kernels over `memory` with at least `bytes` of scratch. The users in one thread share
 * them (their passes never interleave: each runs to its end); a larger request grows the memory again.
 */
function sharedScratch(api: WasmApi, memory: WasmMemory, bytes: number): SharedScratch | null {
  const have = sharedScratches.get(memory);
  if (have && have.bytes >= bytes) return have;
  const module = compileModule(KERNELS_SHARED_WASM_BASE64);
  if (module === null) return null;
  const kernels = have?.kernels ?? (new api.Instance(module, { env: { memory } }).exports as Kernels);
  const pages = Math.ceil((bytes + 16) / PAGE);
  const old = memory.grow(pages);
  const scratch = { kernels, f64: new Float64Array(memory.buffer as ArrayBuffer), scratch: align16(old * PAGE), bytes: pages * PAGE - 16 };
  sharedScratches.set(memory, scratch);
  return scratch;
}

/** Rows per block: the block's X and its scores stay in the first-level cache between the two kernels. */
function blockRows(d: number): number {
  return Math.max(16, Math.min(512, Math.floor(4096 / d)));
}

/**
 * Rows [start, end) of a row-major matrix with d columns where the kernels can read them, plus `scratch`
 * bytes of this object's own: in place in a registered shared memory, or copied into a new instance's
 * memory.
 */
export class KernelArena {
  readonly start: number;
  readonly end: number;
  readonly kernels: Kernels;
  /** Views of the memory up to the end of the scratch. */
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  /** Byte offsets of row `start` and of the scratch (16-aligned). */
  readonly xOff: number;
  readonly scratch: number;

  static create(X: Float64Array, d: number, start: number, end: number, scratchBytes: number): KernelArena | null {
    const api = wasmApi();
    if (!api || d < 1 || end <= start) return null;
    const memory = sharedMemoryOf(X.buffer);
    try {
      if (memory) {
        const shared = sharedScratch(api, memory, scratchBytes);
        if (shared === null) return null;
        return new KernelArena(shared.kernels, shared.f64, start, end, X.byteOffset + start * d * 8, shared.scratch);
      }
      const module = compileModule(KERNELS_WASM_BASE64);
      if (module === null) return null;
      const xBytes = align16((end - start) * d * 8);
      if ((xBytes + scratchBytes) / PAGE > MAX_PAGES - 1) return null;
      const exports = new api.Instance(module).exports as Kernels & { memory: WasmMemory };
      const have = exports.memory.buffer.byteLength;
      if (xBytes + scratchBytes > have) exports.memory.grow(Math.ceil((xBytes + scratchBytes - have) / PAGE));
      const f64 = new Float64Array(exports.memory.buffer as ArrayBuffer);
      f64.set(X.subarray(start * d, end * d), 0);
      return new KernelArena(exports, f64, start, end, 0, xBytes);
    } catch {
      return null;
    }
  }

  private constructor(kernels: Kernels, f64: Float64Array, start: number, end: number, xOff: number, scratch: number) {
    this.kernels = kernels;
    this.f64 = f64;
    this.i32 = new Int32Array(f64.buffer, f64.byteOffset, f64.length * 2);
    this.start = start;
    this.end = end;
    this.xOff = xOff;
    this.scratch = scratch;
  }

  holds(start: number, end: number): boolean {
    return start >= this.start && end <= this.end;
  }
}

/** What both SIMD passes offer the loss: their rows (an arena) and one pass over some of them. */
export abstract class SimdPass {
  protected constructor(protected readonly arena: KernelArena) {}

  /** True when rows [start, end) are held. */
  holds(start: number, end: number): boolean {
    return this.arena.holds(start, end);
  }

  /**
   * Σ_{start≤i<end} s_i ℓ_i, and Σ s_i ∇ℓ_i added into `grad` (the loss's θ layout); rows are the
   * caller's row indices (within the rows held), y and sw indexed by them.
   */
  abstract accumulate(
    theta: Float64Array, start: number, end: number, y: Int32Array, sw: Float64Array | null, fitIntercept: boolean, grad: Float64Array,
  ): number;
}

/**
 * Multinomial: K classes, θ = K blocks [W_k (d), b_k]. Per block of rows: scores (kernel), the softmax,
 * residuals and per-row loss parts (kernel `softmax`, exponentials two classes at a time, within 1e-16
 * of Math.exp; the logarithm of each row's sum here), then Xᵀ R (kernel).
 */
export class SoftmaxSimd extends SimdPass {
  private readonly d: number;
  private readonly K: number;
  /** K rounded up to even: the kernels' class stride. */
  private readonly kp: number;
  private readonly B: number;
  /**
   * Byte offsets of W̃ᵀ ((d+1) × kp), the gradient Gᵀ ((d+1) × kp), the block's scores (B × kp), its
   * per-row loss parts (B × 2), labels (B, i32) and weights (B).
   */
  private readonly wtOff: number;
  private readonly gtOff: number;
  private readonly zOff: number;
  private readonly outOff: number;
  private readonly yOff: number;
  private readonly swOff: number;

  /** Rows [start, end) of the row-major n × d matrix X; null when the kernels cannot run here or the rows do not fit. */
  static create(X: Float64Array, d: number, K: number, start: number, end: number): SoftmaxSimd | null {
    if (K < 2) return null;
    const kp = K + (K & 1);
    const B = blockRows(d);
    const arena = KernelArena.create(X, d, start, end, (2 * (d + 1) * kp + B * kp + 2 * B + B + align2(B) / 2) * 8);
    return arena && new SoftmaxSimd(arena, d, K, kp, B);
  }

  private constructor(arena: KernelArena, d: number, K: number, kp: number, B: number) {
    super(arena);
    this.d = d;
    this.K = K;
    this.kp = kp;
    this.B = B;
    this.wtOff = arena.scratch;
    this.gtOff = this.wtOff + (d + 1) * kp * 8;
    this.zOff = this.gtOff + (d + 1) * kp * 8;
    this.outOff = this.zOff + B * kp * 8;
    this.swOff = this.outOff + 2 * B * 8;
    this.yOff = this.swOff + B * 8;
  }

  override accumulate(
    theta: Float64Array, start: number, end: number, y: Int32Array, sw: Float64Array | null, fitIntercept: boolean, grad: Float64Array,
  ): number {
    const { d, K, kp, B } = this;
    const { f64, i32, kernels } = this.arena;
    const stride = d + 1;
    const wt = this.wtOff / 8;
    const gt = this.gtOff / 8;
    const out = this.outOff / 8;
    const ys = this.yOff / 4;
    const sws = this.swOff / 8;
    for (let k = 0; k < kp; k++) {
      const o = k * stride;
      for (let j = 0; j < d; j++) f64[wt + j * kp + k] = k < K ? theta[o + j] : 0;
      f64[wt + d * kp + k] = k < K && fitIntercept ? theta[o + d] : 0;
    }
    f64.fill(0, gt, gt + stride * kp);
    let sum = 0;
    // Unweighted, Σ_t log S_t is taken as log Π_t S_t: each S_t = Σ_k e^{z_tk - max_k z_tk} is in [1, K],
    // so the product is logged (and restarted) only when it passes 1e280, not once per row.
    let product = 1;
    for (let r0 = start; r0 < end; r0 += B) {
      const m = Math.min(B, end - r0);
      const x = this.arena.xOff + (r0 - this.arena.start) * d * 8;
      i32.set(y.subarray(r0, r0 + m), ys);
      if (sw !== null) f64.set(sw.subarray(r0, r0 + m), sws);
      kernels.scores(x, m, d, kp, this.wtOff, this.zOff);
      kernels.softmax(this.zOff, m, kp, K, this.yOff, this.swOff, sw === null ? 0 : 1, this.outOff);
      if (sw === null) {
        for (let t = 0; t < m; t++) {
          sum += f64[out + 2 * t];
          product *= f64[out + 2 * t + 1];
          if (product > 1e280) {
            sum += Math.log(product);
            product = 1;
          }
        }
      } else {
        for (let t = 0; t < m; t++) {
          const s = sw[r0 + t];
          if (s !== 0) sum += f64[out + 2 * t] + s * Math.log(f64[out + 2 * t + 1]);
        }
      }
      kernels.gradient(x, m, d, kp, this.zOff, this.gtOff);
    }
    sum += Math.log(product);
    for (let k = 0; k < K; k++) {
      const o = k * stride;
      for (let j = 0; j <= d; j++) grad[o + j] += f64[gt + j * kp + k];
    }
    return sum;
  }
}

/**
 * Largest d for which a binary pass keeps scratch for the Hessian (B + d + 2 + d × dp values, at
 * most 2.1 MB at d = 500, well inside a shared memory's headroom); above it the Hessian runs in
 * JavaScript.
 */
export const SIMD_HESSIAN_MAX_D = 500;

/** Binary: θ = [w (d), b]. */
export class BinarySimd extends SimdPass {
  private readonly d: number;
  private readonly B: number;
  /** Byte offsets of w̃ (d + 1), the gradient (d + 1) and the block's scores (B). */
  private readonly wOff: number;
  private readonly gOff: number;
  private readonly zOff: number;
  /**
   * d rounded up to even (bhessian's row stride), and the Hessian scratch: the block's weights
   * c = s h (B), the intercept row Σ c x̃ (d + 1) and the feature block (d × dp); -1 without.
   */
  private readonly dp: number;
  private readonly cOff: number;
  private readonly hbOff: number;
  private readonly hOff: number;

  static create(X: Float64Array, d: number, start: number, end: number): BinarySimd | null {
    const B = blockRows(d);
    const dp = align2(d);
    const hessian = d <= SIMD_HESSIAN_MAX_D ? B + align2(d + 1) + d * dp : 0;
    const arena = KernelArena.create(X, d, start, end, (2 * align2(d + 1) + B + hessian) * 8);
    return arena && new BinarySimd(arena, d, B, hessian > 0);
  }

  private constructor(arena: KernelArena, d: number, B: number, hessian: boolean) {
    super(arena);
    this.d = d;
    this.B = B;
    this.wOff = arena.scratch;
    this.gOff = this.wOff + align2(d + 1) * 8;
    this.zOff = this.gOff + align2(d + 1) * 8;
    this.dp = align2(d);
    this.cOff = hessian ? this.zOff + align16(B * 8) : -1;
    this.hbOff = hessian ? this.cOff + align16(B * 8) : -1;
    this.hOff = hessian ? this.hbOff + align2(d + 1) * 8 : -1;
  }

  /** True when this pass can accumulate the Hessian (accumulateHessian). */
  get hasHessian(): boolean {
    return this.cOff >= 0;
  }

  /**
   * accumulate's sums, and Σ s_i h_i x̃_i x̃_iᵀ (h_i = p_i(1 - p_i)) added into the (d + 1) × (d + 1)
   * row-major `H`, in the same pass: per block of rows, the weights c = s h are written beside the
   * scores; the kernel `bhessian` sums the upper part of the feature block Xᵀ diag(c) X and
   * `bgradient` the intercept row Σ c x and corner Σ c. Only when hasHessian.
   */
  accumulateHessian(
    theta: Float64Array, start: number, end: number, y: Int32Array, sw: Float64Array | null, fitIntercept: boolean, grad: Float64Array, H: Float64Array,
  ): number {
    const { d, dp } = this;
    const { f64 } = this.arena;
    const h = this.hOff / 8;
    const hb = this.hbOff / 8;
    f64.fill(0, h, h + d * dp);
    f64.fill(0, hb, hb + d + 1);
    const sum = this.pass(theta, start, end, y, sw, fitIntercept, grad, true);
    const stride = d + 1;
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const v = f64[h + a * dp + b];
        H[a * stride + b] += v;
        if (b !== a) H[b * stride + a] += v;
      }
      H[a * stride + d] += f64[hb + a];
      H[d * stride + a] += f64[hb + a];
    }
    H[d * stride + d] += f64[hb + d];
    return sum;
  }

  /**
   * ℓ = max(z, 0) - y z + log1p(e^{-|z|}), ∂ℓ/∂z = σ(z) - y from the same exponential, as loss.ts's
   * binaryBlock, except that log1p is log1pUnit (within 2 ulp; Math.log1p, a call into the runtime, would
   * cost as much as both kernels): the JavaScript kernel stays the 1-ulp reference.
   */
  override accumulate(
    theta: Float64Array, start: number, end: number, y: Int32Array, sw: Float64Array | null, fitIntercept: boolean, grad: Float64Array,
  ): number {
    return this.pass(theta, start, end, y, sw, fitIntercept, grad, false);
  }

  /** accumulate, and with `hessian` the Hessian blocks of accumulateHessian. */
  private pass(
    theta: Float64Array, start: number, end: number, y: Int32Array, sw: Float64Array | null, fitIntercept: boolean, grad: Float64Array,
    hessian: boolean,
  ): number {
    const { d, B, dp } = this;
    const { f64, kernels } = this.arena;
    const cw = this.cOff / 8;
    const w = this.wOff / 8;
    const g = this.gOff / 8;
    const zb = this.zOff / 8;
    for (let j = 0; j < d; j++) f64[w + j] = theta[j];
    f64[w + d] = fitIntercept ? theta[d] : 0;
    f64.fill(0, g, g + d + 1);
    let sum = 0;
    for (let r0 = start; r0 < end; r0 += B) {
      const m = Math.min(B, end - r0);
      const x = this.arena.xOff + (r0 - this.arena.start) * d * 8;
      kernels.bscores(x, m, d, this.wOff, this.zOff);
      for (let t = 0; t < m; t++) {
        const i = r0 + t;
        const s = sw === null ? 1 : sw[i];
        if (s === 0) {
          f64[zb + t] = 0;
          if (hessian) f64[cw + t] = 0;
          continue;
        }
        const z = f64[zb + t];
        const a = Math.abs(z);
        const e = expNonPositive(-a);
        const yi = y[i];
        sum += s * (0.5 * (z + a) - yi * z + log1pUnit(e));
        const inv = 1 / (1 + e);
        f64[zb + t] = s * ((z >= 0 ? inv : e * inv) - yi);
        // The row's curvature weight s h, h = p(1 - p) = e / (1 + e)².
        if (hessian) f64[cw + t] = s * e * inv * inv;
      }
      kernels.bgradient(x, m, d, this.zOff, this.gOff);
      if (hessian) {
        kernels.bgradient(x, m, d, this.cOff, this.hbOff);
        kernels.bhessian(x, m, d, dp, this.cOff, this.hOff);
      }
    }
    for (let j = 0; j <= d; j++) grad[j] += f64[g + j];
    return sum;
  }
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

function align2(count: number): number {
  return count + (count & 1);
}
