/**
 * The scaler's column sums and the standardization of the splits on the WebAssembly SIMD kernels of
 * scripts/wasm/kernels.mjs (colsums, colsquares, scale), for a design matrix that lies in a registered
 * shared WebAssembly memory (the fast parse's buffer): read in place, no copy. Each f64x2 lane holds one
 * column, so every sum adds the same terms in the same order as preprocess.ts's JavaScript loops, and
 * (x - mean) / scale is the same division: the results are the JavaScript path's, bit for bit (tested).
 * Both functions decline (null, or nothing done) where the kernels cannot run; the JavaScript path,
 * which stays the reference, then does the work.
 */
import { MAX_SCALED_VALUE } from './extremeValues';
import type { Preprocessor } from './preprocess';
import { sharedKernels, type SharedKernels } from '../model/simdKernels';

/** Bytes of rows staged per chunk (the validation and test rows, before they are copied out). */
const STAGE_BYTES = 1 << 20;
/** Rows per block of the scaler's sums (preprocess.ts SCALER_BLOCK): chunks are whole blocks. */
const BLOCK = 64;
/** Row lists per chunk: one per set of takeScaledParts, at most this many sets. */
const MAX_SETS = 4;

/** Rows per chunk: whole blocks whose values fit in STAGE_BYTES; 0 when d is too large for one block. */
function chunkRows(d: number): number {
  return Math.floor(STAGE_BYTES / (8 * d) / BLOCK) * BLOCK;
}

/** The scratch's layout for d columns and chunks of c rows: row lists, four vectors of d (+1) values, staged rows. */
function layout(scratch: number, d: number, c: number) {
  const vec = Math.ceil((8 * d) / 16) * 16;
  const lists = scratch;
  const v0 = lists + MAX_SETS * 4 * c;
  const stage = v0 + 4 * vec + 16;
  return { lists, vec: [v0, v0 + vec, v0 + 2 * vec, v0 + 3 * vec], stage, bytes: stage + 8 * d * c - scratch };
}

/** The kernels for X with the scratch for d columns, or null. */
function kernelsFor(X: Float64Array, d: number): { k: SharedKernels; c: number; at: ReturnType<typeof layout> } | null {
  const c = chunkRows(d);
  if (c === 0 || d < 1) return null;
  const k = sharedKernels(X, layout(0, d, c).bytes);
  return k && { k, c, at: layout(k.scratch, d, c) };
}

/**
 * preprocess.ts blockedColumnSums on the kernels, the same sums bit for bit: Σ x_ij into sum[j] (no
 * center; false when a block's group sum is NaN), or Σ (x_ij - c_j) into sum[j] and Σ (x_ij - c_j)² into
 * squares[j]. rows null: rows 0..n-1. Returns null, with nothing done, where the kernels cannot run.
 */
export function simdColumnSums(
  X: Float64Array, rows: Int32Array | null, n: number, d: number, center: Float64Array | null, sum: Float64Array, squares: Float64Array | null,
): boolean | null {
  const found = n > 0 ? kernelsFor(X, d) : null;
  if (found === null) return null;
  const { k, c, at } = found;
  const { f64 } = k;
  const i32 = new Int32Array(f64.buffer);
  const [sumAt, centerAt, squaresAt] = at.vec;
  const plain = center === null || squares === null;
  f64.set(sum, sumAt / 8);
  if (!plain) {
    f64.set(center, centerAt / 8);
    f64.set(squares, squaresAt / 8);
  }
  for (let i0 = 0; i0 < n; i0 += c) {
    const m = Math.min(c, n - i0);
    if (rows !== null) i32.set(rows.subarray(i0, i0 + m), at.lists / 4);
    else for (let t = 0; t < m; t++) i32[at.lists / 4 + t] = i0 + t;
    if (plain) {
      if (!k.kernels.colsums(X.byteOffset, at.lists, m, d, sumAt)) return false;
    } else {
      k.kernels.colsquares(X.byteOffset, at.lists, m, d, centerAt, sumAt, squaresAt);
    }
  }
  sum.set(f64.subarray(sumAt / 8, sumAt / 8 + d));
  if (!plain) squares.set(f64.subarray(squaresAt / 8, squaresAt / 8 + d));
  return true;
}

/**
 * The kernels' share of preprocess.ts takeScaledParts: chunk by chunk down X, each set's rows of the
 * chunk scaled and checked by the kernel, a set whose output is X itself (its rows moved to the front)
 * written in place after the others (their raw rows are read first), the others staged in the scratch
 * and copied out. fill[s] counts the rows of set s written. Stops at the first value the check refuses
 * (or anything the JavaScript loop must report) and returns where that loop takes over: [row, column],
 * with fill[s] the rows of set s before that row (and the row's earlier columns written); [part.length, 0]
 * when all is done, [0, 0] when the kernels cannot run.
 */
export function simdScaledParts(X: Float64Array, d: number, part: Int8Array, outs: Float64Array[], p: Preprocessor, fill: Int32Array): [number, number] {
  const S = outs.length;
  const inX = outs.map((o) => o.buffer === X.buffer);
  const direct = inX.indexOf(true);
  if (S > MAX_SETS || inX.filter(Boolean).length > 1 || (direct >= 0 && outs[direct].byteOffset !== X.byteOffset)) return [0, 0];
  const found = kernelsFor(X, d);
  if (found === null) return [0, 0];
  const { k, c, at } = found;
  const { f64 } = k;
  const i32 = new Int32Array(f64.buffer);
  const prm = at.vec[0];
  f64.set(p.imputeMean, prm / 8);
  f64.set(p.mean, prm / 8 + d);
  f64.set(p.scale, prm / 8 + 2 * d);
  f64[prm / 8 + 3 * d] = MAX_SCALED_VALUE;
  const list = (s: number) => at.lists + s * 4 * c;
  const count = new Int32Array(S);
  const fill0 = new Int32Array(S);
  for (let r0 = 0; r0 < part.length; r0 += c) {
    const r1 = Math.min(r0 + c, part.length);
    count.fill(0);
    fill0.set(fill);
    for (let r = r0; r < r1; r++) {
      const s = part[r];
      if (s >= S) return [r0, 0];
      if (s >= 0) i32[list(s) / 4 + count[s]++] = r;
    }
    const order = [...Array(S).keys()].filter((s) => s !== direct && count[s] > 0);
    if (direct >= 0 && count[direct] > 0) order.push(direct);
    for (const s of order) {
      if ((fill[s] + count[s]) * d > outs[s].length) {
        fill.set(fill0);
        return [r0, 0];
      }
      const dst = s === direct ? X.byteOffset + fill[s] * d * 8 : at.stage;
      const stop = k.kernels.scale(X.byteOffset, list(s), count[s], d, prm, dst);
      if (stop >= 0 && s !== direct) {
        fill.set(fill0);
        return [r0, 0];
      }
      if (stop >= 0) return resumeAt(part, r0, i32[list(s) / 4 + Math.floor(stop / d)], s, Math.floor(stop / d), stop % d, fill, fill0);
      if (s !== direct) outs[s].set(f64.subarray(at.stage / 8, at.stage / 8 + count[s] * d), fill[s] * d);
      fill[s] += count[s];
    }
  }
  return [part.length, 0];
}

/**
 * Where the JavaScript loop takes over after the in-place set `direct` stopped at its i-th row of the
 * chunk (row r), column j: that set has i rows of the chunk written, every other set its rows before r.
 */
function resumeAt(part: Int8Array, r0: number, r: number, direct: number, i: number, j: number, fill: Int32Array, fill0: Int32Array): [number, number] {
  fill.set(fill0);
  for (let q = r0; q < r; q++) if (part[q] >= 0 && part[q] !== direct) fill[part[q]]++;
  fill[direct] += i;
  return [r, j];
}
