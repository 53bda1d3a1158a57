/**
 * FastCsvParser's hot loop in WebAssembly: whole rows parsed from bytes by the scanner of
 * scripts/wasm/csv.mjs (a short number in one SIMD step, a longer one eight digits at a time, the
 * mantissa in an i64), about twice the speed of the JavaScript loop on one thread. It takes only the
 * numeric fields whose value the JavaScript loop computes by Clinger's fast path, and computes them
 * the same way (the same correctly rounded multiplication or division), so the numbers are the same
 * bit for bit; text cells it leaves to the parser by offset; it stops before any other row, which
 * the parser then reads itself. One scanner per thread, its memory reused from chunk to chunk; none
 * where WebAssembly SIMD is missing (the parser then keeps to JavaScript).
 */
import { CSV_SCAN_WASM_BASE64 } from '../wasm/csv.generated';
import { compileModule, wasmApi, WASM_PAGE, type WasmMemory } from '../wasm/load';

interface ScanExports {
  memory: WasmMemory;
  stop: { value: number };
  scan(p: number, end: number, out: number, width: number, maxRows: number, delimiter: number, tabPad: number, kinds: number, spans: number): number;
}

/** Where the bytes go in the scanner's memory (below: its tables of powers of ten). */
const INPUT = 1024;
/** Room after the bytes: the scanner reads a word (8 bytes) at a time. */
const SLACK = 16;
/** Bytes of values per call (and of dictionary spans), so a call returns often (and V8 tiers the function up early). */
const OUT_BYTES = 1 << 20;

export class RowScanner {
  /** Offset (in the loaded bytes) of the row the last scan stopped before, or of their end. */
  stop = 0;
  /** The last scan stopped because it had the rows asked for (not before a row it does not take). */
  full = false;
  private readonly exports: ScanExports;
  private f64: Float64Array;
  private u8: Uint8Array;
  private i32: Int32Array;
  private length = 0;
  private width = 1;
  private kindsAt = 0;
  private out = 0;
  private spans = 0;
  private block = 1;

  private constructor(exports: ScanExports) {
    this.exports = exports;
    this.f64 = new Float64Array(exports.memory.buffer as ArrayBuffer);
    this.u8 = new Uint8Array(exports.memory.buffer as ArrayBuffer);
    this.i32 = new Int32Array(exports.memory.buffer as ArrayBuffer);
  }

  /** This thread's scanner, or null where WebAssembly is unavailable. */
  static forThread(): RowScanner | null {
    if (threadScanner === undefined) {
      threadScanner = null;
      const module = compileModule(CSV_SCAN_WASM_BASE64);
      const api = wasmApi();
      if (module && api) threadScanner = new RowScanner(new api.Instance(module).exports as ScanExports);
    }
    return threadScanner;
  }

  /**
   * Copies buf[from, end) into the scanner's memory, for rows of `kinds.length` fields (kinds[j] = 1
   * for a numeric column, 0 for a dictionary): later scans read offsets of these bytes.
   */
  load(buf: Uint8Array, from: number, end: number, kinds: Uint8Array): void {
    const length = end - from;
    const width = kinds.length;
    const kindsAt = INPUT + length + SLACK;
    const out = (kindsAt + width + 7) & ~7;
    const outBytes = Math.max(OUT_BYTES, 8 * width);
    const needed = out + 2 * outBytes;
    const have = this.exports.memory.buffer.byteLength;
    if (needed > have) {
      this.exports.memory.grow(Math.ceil((needed - have) / WASM_PAGE));
      this.f64 = new Float64Array(this.exports.memory.buffer as ArrayBuffer);
      this.u8 = new Uint8Array(this.exports.memory.buffer as ArrayBuffer);
      this.i32 = new Int32Array(this.exports.memory.buffer as ArrayBuffer);
    }
    this.u8.set(buf.subarray(from, end), INPUT);
    // Zeros after the bytes: a word read past the last line break sees no digits there.
    this.u8.fill(0, INPUT + length, kindsAt);
    this.u8.set(kinds, kindsAt);
    this.length = length;
    this.width = width;
    this.kindsAt = kindsAt;
    this.out = out;
    this.spans = out + outBytes;
    this.block = Math.floor(outBytes / (8 * width));
  }

  /**
   * Parses rows of the loaded bytes from offset p, at most min(maxRows, a block of about 1 MiB of
   * values), into target[at, ...) row-major; returns the number of rows and sets `stop` (where it
   * stopped: a row it does not take, or the end of the bytes) and `full` (it stopped at the count).
   * A dictionary cell's slot gets 0 and its start offset is spanStart(row, j) until the next scan.
   */
  scan(p: number, delimiter: number, tabPad: boolean, maxRows: number, target: Float64Array, at: number): number {
    const want = Math.min(this.block, maxRows);
    const width = this.width;
    const rows = this.exports.scan(INPUT + p, INPUT + this.length, this.out, width, want, delimiter, tabPad ? 1 : 0, this.kindsAt, this.spans);
    if (rows > 0) target.set(this.f64.subarray(this.out >> 3, (this.out >> 3) + rows * width), at);
    this.stop = this.exports.stop.value - INPUT;
    this.full = rows === want;
    return rows;
  }

  /** Offset (in the loaded bytes) where the last scan's row `row` has the field of dictionary column j. */
  spanStart(row: number, j: number): number {
    return this.i32[(this.spans >> 2) + 2 * (row * this.width + j)] - INPUT;
  }
}

let threadScanner: RowScanner | null | undefined;
