/**
 * Numbers as binary in the host → webview messages (issue 20): VS Code posts typed arrays to a
 * webview as binary buffers (for extensions on VS Code ≥ 1.57), where a JSON array of doubles costs
 * about 19 bytes a number to write, send and parse. A 10-class run's report is 8.4 MB of JSON, most of
 * it curves; in code-server it took 1.0-1.4 s from the host's post to the webview (load 10).
 *
 * `packNumbers` copies a message with every array of at least MIN_PACKED finite numbers as a
 * Float64Array, and every matrix (an array of equally long arrays of finite numbers) as one
 * Float64Array with its row length; `unpackNumbers` turns them back. The round trip gives exactly
 * what JSON would: packed values are finite, and -0 becomes 0 as JSON.stringify makes it; arrays with
 * NaN or ±Infinity (which JSON turns into null) are left to JSON. The message given is not changed.
 *
 * An array of small non-negative integers (a curve's cumulative counts, a sample's class indices) goes
 * as several integers to a double (`packInts`): 4,096 counts under 2^17 in 1,366 doubles instead of
 * 4,096. A 10-class report posted: 5.43 → 3.99 MB (hpanel6, issue 20).
 */

/** Arrays shorter than this stay JSON (each packed array is a buffer of its own). */
export const MIN_PACKED = 16;

/** The marker of a packed matrix: `{ [MATRIX]: rowLength, data }`. */
const MATRIX = '$logitLabMatrix';

interface PackedMatrix {
  [MATRIX]: number;
  data: Float64Array;
}

/** The marker of packed integers: `{ [INTS]: length, bits, data }`, `bits` per integer, as many to a double as fit in 52 bits. */
const INTS = '$logitLabInts';

interface PackedInts {
  [INTS]: number;
  bits: number;
  data: Float64Array;
}

/** Bits of a double's mantissa used for packed integers (all below 2^52: sums, and products by powers of two, exact). */
const INT_BITS = 52;

function finiteNumbers(a: readonly unknown[]): boolean {
  for (const x of a) if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  return true;
}

function toFloat64(a: readonly number[], into = new Float64Array(a.length), at = 0): Float64Array {
  // `+ 0` turns -0 into 0, as JSON does.
  for (let i = 0; i < a.length; i++) into[at + i] = a[i] + 0;
  return into;
}

/** The rows' common length when `a` is a matrix of finite numbers worth packing, else -1. */
function matrixWidth(a: readonly unknown[]): number {
  const first = a[0];
  if (!Array.isArray(first) || first.length === 0 || a.length * first.length < MIN_PACKED) return -1;
  for (const row of a) if (!Array.isArray(row) || row.length !== first.length || !finiteNumbers(row)) return -1;
  return first.length;
}

/**
 * A typed array that is all of its buffer (a copy of the bytes when it is a view into a larger one).
 * Arrays packed in the worker come to the host as views into the IPC message's buffer (Node's V8
 * deserializer), or into Node's pool of small buffers; VS Code's webview messaging sends each
 * distinct buffer once with the views' offsets, and with such views in a message code-server's
 * webview got its buffer references unresolved (the Model tab then failed on `model.coef`). One
 * buffer per array, as packNumbers makes them, is what the webview messaging handles.
 */
function ownBuffer(view: ArrayBufferView): ArrayBufferView {
  if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength) return view;
  return (view as Float64Array).slice();
}

/**
 * Makes every typed array in `value` the whole of its own buffer (`ownBuffer`), in place, and returns
 * `value`. For a report as it comes from the training process (or from a saved run file): Node's V8
 * deserializer makes the aligned arrays views into the whole message's buffer and copies the others,
 * so a kept 10-class report held 7.6 MB of buffers for its 3.7 MB of arrays (issue 20, host memory).
 * Done once where the report arrives, the message's buffer is freed and `packNumbers` later passes
 * the arrays through instead of copying them on every post.
 */
export function ownBuffers<T>(value: T): T {
  own(value);
  return value;
}

function own(value: unknown): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'object' || v === null) continue;
      if (ArrayBuffer.isView(v)) value[i] = ownBuffer(v);
      else own(v);
    }
    return;
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
  const fields = value as Record<string, unknown>;
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    if (typeof v !== 'object' || v === null) continue;
    if (ArrayBuffer.isView(v)) fields[k] = ownBuffer(v);
    else own(v);
  }
}

/** Bits that hold every value of `a` when all are integers in [0, 2^26) (at least two to a double), else 0. */
function smallIntBits(a: readonly number[]): number {
  let max = 0;
  for (const x of a) {
    if (!(x >= 0 && x < 2 ** 26 && Number.isInteger(x))) return 0;
    if (x > max) max = x;
  }
  return 32 - Math.clz32(max) || 1;
}

/** `a` (integers in [0, 2^bits)) as doubles of floor(52 / bits) integers each, the first in the lowest bits. */
export function packInts(a: readonly number[], bits: number): PackedInts {
  const per = Math.floor(INT_BITS / bits);
  const base = 2 ** bits;
  const data = new Float64Array(Math.ceil(a.length / per));
  for (let j = 0; j < data.length; j++) {
    let d = 0;
    // Highest digit first: d = ((x[last] * base + ...) * base + x[first]); every step exact below 2^52.
    for (let i = Math.min(per, a.length - j * per) - 1; i >= 0; i--) d = d * base + a[j * per + i];
    data[j] = d;
  }
  return { [INTS]: a.length, bits, data };
}

function unpackInts(length: number, bits: number, data: Float64Array): number[] {
  const per = Math.floor(INT_BITS / bits);
  const base = 2 ** bits;
  // d * 2^-bits is exact, so its floor is d's higher digits (a third faster than d % base).
  const inverse = 2 ** -bits;
  const out: number[] = [];
  for (let j = 0; j < data.length; j++) {
    let d = data[j];
    for (let i = 0; i < per && out.length < length; i++) {
      const higher = Math.floor(d * inverse);
      out.push(d - higher * base);
      d = higher;
    }
  }
  return out;
}

export function packNumbers<T>(message: T): T {
  return pack(message) as T;
}

function pack(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length >= MIN_PACKED && finiteNumbers(value)) {
      const bits = smallIntBits(value as number[]);
      return bits > 0 ? packInts(value as number[], bits) : toFloat64(value as number[]);
    }
    const width = value.length > 1 ? matrixWidth(value) : -1;
    if (width > 0) {
      const data = new Float64Array(value.length * width);
      value.forEach((row: number[], i) => toFloat64(row, data, i * width));
      return { [MATRIX]: width, data } satisfies PackedMatrix;
    }
    return value.map(pack);
  }
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return ownBuffer(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = pack(v);
  return out;
}

/** The message as JSON would have given it: packed arrays and matrices back to arrays of numbers. */
export function unpackNumbers<T>(message: T): T {
  return unpack(message) as T;
}

/** `Array.from(a)`, a tenth of its time on a Float64Array (V8, 2026): the webview unpacks 7 MB of curves. */
function toArray(a: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i]);
  return out;
}

function unpack(value: unknown): unknown {
  if (value instanceof Float64Array) return toArray(value);
  if (Array.isArray(value)) return value.map(unpack);
  if (value === null || typeof value !== 'object') return value;
  const width = (value as Partial<PackedMatrix>)[MATRIX];
  const data = (value as Partial<PackedMatrix>).data;
  const ints = (value as Partial<PackedInts>)[INTS];
  if (typeof ints === 'number' && data instanceof Float64Array) return unpackInts(ints, (value as PackedInts).bits, data);
  if (typeof width === 'number' && data instanceof Float64Array) {
    const rows: number[][] = [];
    for (let at = 0; at < data.length; at += width) rows.push(toArray(data.subarray(at, at + width)));
    return rows;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = unpack(v);
  return out;
}

/**
 * The report's bulk packed where it is made (issue 20): the training worker posts its report with
 * these parts' numbers as binary (`packNumbers`), so the worker → process → extension host hops clone
 * typed arrays (a copy of bytes) instead of millions of numbers one by one, and the host posts them to
 * the webview as they came (packNumbers passes a Float64Array through). A 10-class run's
 * per-class curves of three splits are 7.2 of its 8.6 MB of JSON. The host reads only the model, the
 * convergence and the warnings of a report (and the replay, for the landscape), which stay as they
 * are; what reads the rest on the host as JSON (the HTML report) unpacks it first (`unpackNumbers`);
 * the run history saves it packed (V8 serialization, src/host/runStore.ts).
 */
export const PACKED_REPORT_PARTS = ['evaluation', 'points'] as const;

export function packReport<R extends Partial<Record<(typeof PACKED_REPORT_PARTS)[number], unknown>>>(report: R): R {
  const out = { ...report };
  for (const k of PACKED_REPORT_PARTS) if (out[k] !== undefined) out[k] = packNumbers(out[k]);
  return out;
}
