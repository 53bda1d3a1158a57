/**
 * FastCsvParser's hot loop in WebAssembly: whole rows of numeric fields parsed from bytes by the scanner
 * of scripts/wasm/csv.mjs (its mantissa in an i64, eight digits at a time), about twice the speed of
 * the JavaScript loop. It takes only the fields whose value the JavaScript loop computes by Clinger's
 * fast path, and computes them the same way (the same correctly rounded multiplication or division),
 * so the numbers are the same bit for bit; it stops before any other row, which the parser then reads
 * itself. One scanner per thread, its memory reused from chunk to chunk.
 */
import { CSV_SCAN_WASM_BASE64 } from './wasm/csv.generated';
import { compileModule, wasmApi, WASM_PAGE, type WasmMemory } from './wasm/load';

interface ScanExports {
  memory: WasmMemory;
  stop: { value: number };
  scan(p: number, end: number, out: number, width: number, maxRows: number, delimiter: number, tabPad: number): number;
}

/** Where the bytes go in the scanner's memory (below: its tables of powers of ten). */
const INPUT = 1024;
/** Room after the bytes: the scanner reads a word (8 bytes) at a time. */
const SLACK = 16;
/** Bytes of values per call, so a call returns often (and V8 tiers the function up early). */
const OUT_BYTES = 1 << 20;

export class RowScanner {
  /** Offset (in the loaded bytes) of the row the last scan stopped before, or of their end. */
  stop = 0;
  private readonly exports: ScanExports;
  private f64: Float64Array;
  private u8: Uint8Array;
  private length = 0;
  private out = 0;

  private constructor(exports: ScanExports) {
    this.exports = exports;
    this.f64 = new Float64Array(exports.memory.buffer as ArrayBuffer);
    this.u8 = new Uint8Array(exports.memory.buffer as ArrayBuffer);
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

  /** Copies buf[from, end) into the scanner's memory: later scans read offsets of these bytes. */
  load(buf: Uint8Array, from: number, end: number): void {
    const length = end - from;
    const out = (INPUT + length + SLACK + 7) & ~7;
    const needed = out + OUT_BYTES;
    const have = this.exports.memory.buffer.byteLength;
    if (needed > have) {
      this.exports.memory.grow(Math.ceil((needed - have) / WASM_PAGE));
      this.f64 = new Float64Array(this.exports.memory.buffer as ArrayBuffer);
      this.u8 = new Uint8Array(this.exports.memory.buffer as ArrayBuffer);
    }
    this.u8.set(buf.subarray(from, end), INPUT);
    // Zeros after the bytes: a word read past the last line break sees no digits there.
    this.u8.fill(0, INPUT + length, INPUT + length + SLACK);
    this.length = length;
    this.out = out;
  }

  /**
   * Parses rows of the loaded bytes from offset p, at most maxRows, each of `width` numeric fields,
   * into target[at, ...) row-major; returns the number of rows, and sets `stop` to where it stopped
   * (a row it does not take, or the end of the bytes).
   */
  scan(p: number, width: number, delimiter: number, tabPad: boolean, maxRows: number, target: Float64Array, at: number): number {
    const { scan, stop } = this.exports;
    const block = Math.max(1, Math.floor(OUT_BYTES / (8 * width)));
    const end = INPUT + this.length;
    const outIndex = this.out >> 3;
    let rows = 0;
    let q = INPUT + p;
    while (rows < maxRows) {
      const want = Math.min(block, maxRows - rows);
      const got = scan(q, end, this.out, width, want, delimiter, tabPad ? 1 : 0);
      if (got > 0) target.set(this.f64.subarray(outIndex, outIndex + got * width), at + rows * width);
      rows += got;
      q = stop.value;
      if (got < want) break;
    }
    this.stop = q - INPUT;
    return rows;
  }
}

let threadScanner: RowScanner | null | undefined;
