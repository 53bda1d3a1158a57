/**
 * Streaming fast path for CSV ingestion: a push parser over byte chunks that never decodes the whole
 * file and never turns a number into a string. It reproduces csv.ts's parseCsv exactly or gives up:
 * finish() returns either a FastTable, or `{ fallback: why }` so the caller reruns the general parser
 * (which then reports the precise error or handles the input the fast path does not).
 *
 * How it stays identical to the general parser:
 * - The first DECIMAL_SNIFF_ROWS + 1 non-blank lines (the "prefix") go through csv.ts's own
 *   parseCsvText. That decides the delimiter (sniffed on the first 50 records), the header (trimmed,
 *   unnamed and duplicate names fixed, with the same warnings), the decimal comma (decided on the
 *   first 1000 data rows) and, from the prefix's cells, each column's form: numeric when every cell is
 *   a number or a missing token, dictionary otherwise.
 * - Later lines are parsed from bytes. A field of a numeric column that matches
 *   [+-]?digits[.digits][e[+-]digits] whose digits, read as one integer, stay below 2^53 (any 15 digits
 *   do) and whose decimal exponent is within ±22 is computed as one multiplication or division of that
 *   integer by an exact power of ten (Clinger's fast path: both operands exact, one correctly rounded
 *   operation), which is the correctly rounded value that
 *   parseNumber (and Number()) also return. Every other field is decoded and handed to parseNumber /
 *   isMissing themselves. Rows go first to the WebAssembly scanner (csvScan.ts), which computes that
 *   same subset the same way and leaves text cells (by offset) and every other row to this parser's
 *   JavaScript; with a decimal comma, or without WebAssembly SIMD, the JavaScript reads every row.
 * - Anything outside that subset is a fallback: a quote at the start of a field after the prefix (quoted
 *   fields before it are fine), a control byte other than TAB/CR/LF, invalid UTF-8, a row whose field
 *   count differs from the header, a numeric column meeting text after the prefix (measured choice:
 *   earlier numeric cells' text is not kept, and such columns are rare junk, so rerunning the general
 *   parser is cheaper than keeping every cell's text), a dictionary column with more than MAX_LEVELS
 *   distinct texts, more than MAX_INFINITE infinite values, or a space delimiter.
 *
 * Memory: numbers go straight into one row-major Float64Array (nRows x columns), pre-sized from
 * `sizeHint` so it is written once; the untouched tail of an over-estimate is never paged in. The
 * parser keeps no reference to a pushed chunk after push() returns (an incomplete last line is copied).
 */
import { isMissing, parseCsvText, parseNumber, type CsvTable } from './csv';
import { RowScanner } from './csvScan';
import { DataError, type Diagnostic } from '../diagnostics';

export interface FastCsvOptions {
  /** Shown in diagnostics, e.g. "data.csv". */
  fileName?: string;
  /** As CsvOptions.maxColumns. */
  maxColumns?: number;
  /** Forces the delimiter (an ASCII byte) instead of sniffing it. */
  delimiter?: number;
  /** Expected total size in bytes (the file size): pre-sizes the value buffer so it is never copied. */
  sizeHint?: number;
  /**
   * Supplies the value buffer (e.g. a view of shared memory), called once with the wanted number of
   * elements (a multiple of `width`, the column count). It must be zero-filled; it may be longer or
   * shorter than asked (its length, rounded down to whole rows, becomes the row capacity; one too short
   * even for the first rows is replaced by a new array). Default: a new Float64Array.
   */
  allocateValues?: (length: number, width: number) => Float64Array;
  /**
   * false keeps the byte parser in JavaScript, never the WebAssembly scanner (csvScan.ts), which it
   * otherwise uses for its rows (the same table bit for bit, about twice as fast).
   */
  scanner?: boolean;
}

/**
 * What a parser decided from the file's first rows, enough for FastCsvParser.continuing to parse a
 * later byte range of the same file (one starting at a record boundary after the prefix) exactly as
 * the single pass parses it. Plain data: it can be posted to a worker.
 */
export interface FastCsvContinuation {
  header: string[];
  delimiter: string;
  decimalComma: boolean;
  /** numeric[j] = 1 when column j is numeric, 0 when it is a dictionary. */
  numeric: Uint8Array;
  /** Bytes per row of the prefix: sizes the value buffer of a continuation from its byte count. */
  bytesPerRow: number;
}

/** A column whose every cell is a number or a missing token; its values are in FastTable.values. */
export interface NumericFastColumn {
  kind: 'numeric';
  /** Text (as CsvTable would hold it) of each cell whose value is ±Infinity, by data row. */
  infiniteTexts: Map<number, string>;
  /** Finite cells written with a decimal comma (zero unless the table has decimalComma). */
  commaCells: number;
}

/** A column with at least one text cell in the prefix, kept as a dictionary of its cell texts. */
export interface DictionaryFastColumn {
  kind: 'dictionary';
  /** levels[codes[i]] is data row i's cell; codes are never negative. */
  codes: Int32Array;
  /**
   * Distinct cell texts exactly as CsvTable.columns would hold them (missing tokens included), in
   * order of first appearance, so the column is reproduced cell for cell.
   */
  levels: string[];
}

export type FastColumn = NumericFastColumn | DictionaryFastColumn;

/** The fast parser's result: what CsvTable holds, with numbers as float64 instead of text. */
export interface FastTable {
  header: string[];
  nRows: number;
  delimiter: string;
  decimalComma: boolean;
  encoding: 'utf-8';
  /** 1-based source line of each data row. */
  rowLines: Int32Array;
  /**
   * Row-major nRows x header.length: values[i * header.length + j] = parseNumber(cell) of a numeric
   * column j (NaN exactly when the cell is a missing token). Slots of dictionary columns are unused.
   */
  values: Float64Array;
  columns: FastColumn[];
  warnings: Diagnostic[];
}

export type FastCsvResult = FastTable | { fallback: string };

/** Most distinct texts a dictionary column may hold before the fast path gives up. */
export const MAX_LEVELS = 65536;
/** Most infinite values (whose text is kept for warnings) before the fast path gives up. */
export const MAX_INFINITE = 65536;
/** Mirrors csv.ts DECIMAL_SNIFF_ROWS: data rows the decimal-comma decision looks at. */
const DECIMAL_SNIFF_ROWS = 1000;
/** Non-blank lines read by the general parser before switching to bytes: the header plus the sniff rows. */
const PREFIX_LINES = DECIMAL_SNIFF_ROWS + 1;

const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const DEL = 0x7f;
/** Bytes below which parseLines keeps to JavaScript (a carried-over line, a small file). */
const SCAN_MIN_BYTES = 4096;

/**
 * 2^53: a mantissa accumulated as mantissa * 10 + digit in doubles that ends below this was exact all
 * along (the partial sums only grow); one that reaches it may have been rounded (rounding is monotonic
 * and 2^53 is a double, so a true value at or above 2^53 never ends below it).
 */
const EXACT_INTEGER_LIMIT = 2 ** 53;
/** Exact powers of ten: 10^22 is the largest one a double holds exactly. */
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Decodes one cell; a BOM inside the file is text, as when the whole file is decoded at once. */
const CELL_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** readNumber's result: [0] the value (NaN for an empty field), [1] 1 when its decimal separator was a comma. */
const NUMBER = new Float64Array(2);
/** readExponent's result: the signed exponent. */
const EXPONENT = new Int32Array(1);

/**
 * Reads the field at p (its leading padding skipped) as [+-]? digits [. digits] ([eE] [+-]? digits)?,
 * an integer mantissa and a power of ten, and returns the offset of the delimiter or line break that
 * ends it, the value in NUMBER; -1 when the field is not such a number, or when Clinger's fast path
 * does not give its value exactly (then the field is read as text). An empty field is NaN.
 */
function readNumber(buf: Uint8Array, p: number, delimiter: number, tabPad: boolean, decimalComma: boolean): number {
  let q = p;
  let c = buf[q];
  const negative = c === MINUS;
  if (negative || c === PLUS) c = buf[++q];
  const digitsStart = q;
  let mantissa = 0;
  let digit = c - DIGIT_0;
  while (digit >= 0 && digit <= 9) {
    mantissa = mantissa * 10 + digit;
    digit = buf[++q] - DIGIT_0;
  }
  let digits = q - digitsStart;
  let fraction = 0;
  c = buf[q];
  const comma = c === COMMA && decimalComma;
  if (c === DOT || comma) {
    const fractionStart = ++q;
    digit = buf[q] - DIGIT_0;
    while (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit;
      digit = buf[++q] - DIGIT_0;
    }
    fraction = q - fractionStart;
    digits += fraction;
    c = buf[q];
  }
  let e10 = -fraction;
  if ((c === LOWER_E || c === UPPER_E) && digits > 0) {
    q = readExponent(buf, q + 1);
    if (q < 0) return -1;
    e10 += EXPONENT[0];
    c = buf[q];
  }
  while (c === SPACE || (c === TAB && tabPad)) c = buf[++q];
  if (c !== delimiter && c !== LF && c !== CR) return -1;
  if (q === p) {
    NUMBER[0] = NaN;
    NUMBER[1] = 0;
    return q;
  }
  if (digits === 0 || mantissa >= EXACT_INTEGER_LIMIT || (mantissa !== 0 && (e10 < -22 || e10 > 22))) return -1;
  // Clinger's fast path: the mantissa (every partial sum was below 2^53, so it is exact) and
  // 10^|e10| are exact doubles, and one IEEE multiplication or division is correctly rounded: the
  // value Number() gives for the text.
  const v = mantissa === 0 ? 0 : e10 >= 0 ? mantissa * POWERS_OF_TEN[e10] : mantissa / POWERS_OF_TEN[-e10];
  NUMBER[0] = negative ? -v : v;
  NUMBER[1] = comma ? 1 : 0;
  return q;
}

/**
 * Reads [+-]? digits (1 to 6 of them) at q, after an 'e': the offset after them, the exponent in
 * EXPONENT; -1 otherwise (no digit, or a seventh one: such a text is read by textField).
 */
function readExponent(buf: Uint8Array, q: number): number {
  const sign = buf[q];
  const negative = sign === MINUS;
  if (negative || sign === PLUS) q++;
  let exponent = 0;
  let n = 0;
  for (let digit = buf[q] - DIGIT_0; digit >= 0 && digit <= 9 && n <= 6; digit = buf[++q] - DIGIT_0, n++) exponent = exponent * 10 + digit;
  if (n === 0 || n > 6) return -1;
  EXPONENT[0] = negative ? -exponent : exponent;
  return q;
}

/**
 * Push parser: push() chunks in order (any boundaries), then finish() once. After a fallback is
 * known, `fallback` holds the reason and further pushes are ignored, so a reader can stop early.
 */
export class FastCsvParser {
  /** Why the fast path gave up, once it has. */
  fallback: string | undefined;

  private readonly options: FastCsvOptions;
  /** Bytes of the prefix while it is being collected. */
  private prefix: Uint8Array = new Uint8Array(1 << 16);
  private prefixLength = 0;
  private prefixRecords = 0;
  private prefixLineHasContent = false;
  private started = false;
  /** The prefix table's numbers by column (null: not numeric), from setUp until ingestPrefixRows. */
  private prefixValues: (Float64Array | null)[] | null = null;

  private header: string[] = [];
  private width = 0;
  private delimiterByte = 0;
  private delimiter = ',';
  private decimalComma = false;
  private warnings: Diagnostic[] = [];
  /** numericMask[j] = 1 when column j is numeric. */
  private numericMask = new Uint8Array(0);
  private columns: FastColumn[] = [];
  private levelIndex: (Map<string, number> | null)[] = [];
  private infiniteCount = 0;
  private bytesPerRow = 0;
  /** The WebAssembly scanner (null with a decimal comma, a delimiter a number may contain, or without WebAssembly SIMD). */
  private scanner: RowScanner | null = null;
  /** Indices of the dictionary columns. */
  private dictionaryColumns: number[] = [];

  private values: Float64Array = new Float64Array(0);
  private rowLines = new Int32Array(0);
  private capacity = 0;
  private nRows = 0;
  /** 1-based number of the line being read. */
  private line = 1;
  /** The last bytes seen were a CR that ended a line, so a leading LF completes that line break. */
  private pendingCR = false;
  /** An incomplete last line carried over to the next chunk. */
  private carry: Uint8Array = new Uint8Array(1 << 12);
  private carryLength = 0;

  constructor(options: FastCsvOptions = {}) {
    this.options = options;
  }

  /**
   * A parser for a later byte range of a file whose first parser gave `state` (its continuation()):
   * the range must start at a record boundary after that parser's prefix (the start of a line, not the
   * LF of a CRLF). It parses every line with the byte parser, as the single pass does past its prefix,
   * starting at line `firstLine` (default 1: rowLines are then relative and concatFastTables shifts
   * them). Its dictionary levels are its own, in order of first appearance in the range, and its
   * warnings are empty (the single pass's come from the prefix): concatFastTables merges the parts.
   */
  static continuing(state: FastCsvContinuation, options: FastCsvOptions & { firstLine?: number } = {}): FastCsvParser {
    const parser = new FastCsvParser(options);
    parser.started = true;
    parser.header = state.header;
    parser.width = state.header.length;
    parser.delimiter = state.delimiter;
    parser.delimiterByte = state.delimiter.charCodeAt(0);
    parser.decimalComma = state.decimalComma;
    parser.numericMask = Uint8Array.from(state.numeric);
    parser.bytesPerRow = state.bytesPerRow;
    const hint = options.sizeHint;
    const estimate = hint === undefined ? 4096 : Math.ceil((1.1 * hint) / Math.max(1, state.bytesPerRow)) + 1024;
    parser.allocate(estimate, 0);
    parser.line = options.firstLine ?? 1;
    return parser;
  }

  /** The decisions taken on the prefix, once it has been parsed without a fallback (else undefined). */
  continuation(): FastCsvContinuation | undefined {
    if (!this.started || this.fallback !== undefined) return undefined;
    return { header: this.header, delimiter: this.delimiter, decimalComma: this.decimalComma, numeric: Uint8Array.from(this.numericMask), bytesPerRow: this.bytesPerRow };
  }

  /** 1-based number of the line the next pushed byte belongs to (after a record boundary: the next record's line). */
  get nextLine(): number {
    return this.line;
  }

  /** Feeds the next bytes of the file. The chunk is not referenced after this returns. */
  push(chunk: Uint8Array): void {
    if (this.fallback !== undefined) return;
    let p = 0;
    if (!this.started) {
      p = this.collectPrefix(chunk);
      if (!this.started || this.fallback !== undefined) return;
    }
    p = this.skipPendingLF(chunk, p);
    const last = lastLineBreak(chunk, p);
    if (last < 0) {
      this.appendCarry(chunk, p, chunk.length);
      return;
    }
    if (this.carryLength > 0) {
      const first = firstLineBreak(chunk, p);
      this.appendCarry(chunk, p, first + 1);
      if (!this.parseLines(this.carry, 0, this.carryLength)) return;
      this.carryLength = 0;
      p = this.skipPendingLF(chunk, first + 1);
    }
    if (p <= last && !this.parseLines(chunk, p, last + 1)) return;
    this.appendCarry(chunk, this.skipPendingLF(chunk, last + 1), chunk.length);
  }

  /** Ends the input: the table, or why the general parser must be used instead. */
  finish(): FastCsvResult {
    if (this.fallback === undefined) {
      if (!this.started) {
        this.start(this.prefix.subarray(0, this.prefixLength), true);
      } else if (this.carryLength > 0) {
        this.appendCarry(Uint8Array.of(LF), 0, 1);
        this.parseLines(this.carry, 0, this.carryLength);
        this.carryLength = 0;
      }
    }
    if (this.fallback !== undefined) return { fallback: this.fallback };
    const n = this.nRows;
    for (const c of this.columns) if (c.kind === 'dictionary') c.codes = c.codes.subarray(0, n);
    return {
      header: this.header,
      nRows: n,
      delimiter: this.delimiter,
      decimalComma: this.decimalComma,
      encoding: 'utf-8',
      rowLines: this.rowLines.subarray(0, n),
      values: this.values.subarray(0, n * this.width),
      columns: this.columns,
      warnings: this.warnings,
    };
  }

  /** Records the (first) reason; returns -1, the failed-position value. */
  private fail(reason: string): -1 {
    this.fallback ??= reason;
    return -1;
  }

  /**
   * Copies chunk bytes into the prefix until it holds PREFIX_LINES non-blank lines (then starts the
   * byte parser on it); returns the position in the chunk where the prefix ended (chunk.length if not yet).
   */
  private collectPrefix(chunk: Uint8Array): number {
    let end = chunk.length;
    let complete = false;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c !== LF && c !== CR) {
        if (c !== SPACE && c !== TAB) this.prefixLineHasContent = true;
        continue;
      }
      if (!this.prefixLineHasContent) continue;
      this.prefixLineHasContent = false;
      if (++this.prefixRecords < PREFIX_LINES) continue;
      end = c === CR && chunk[i + 1] === LF ? i + 2 : i + 1;
      complete = true;
      break;
    }
    this.prefix = appendBytes(this.prefix, this.prefixLength, chunk, 0, end);
    this.prefixLength += end;
    if (complete) {
      const bytes = this.prefix.subarray(0, this.prefixLength);
      this.pendingCR = bytes[bytes.length - 1] === CR;
      this.start(bytes, false);
    }
    return end;
  }

  /** Parses the prefix with the general parser and sets up the columns; whole = the prefix is the file. */
  private start(bytes: Uint8Array, whole: boolean): void {
    this.started = true;
    const control = firstControlByte(bytes);
    if (control >= 0) {
      this.fail(`control byte 0x${bytes[control].toString(16).padStart(2, '0')} in the first rows`);
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      this.fail('non-UTF-8 byte in the first rows');
      return;
    }
    let table: CsvTable;
    try {
      const delimiter = this.options.delimiter === undefined ? undefined : String.fromCharCode(this.options.delimiter);
      table = parseCsvText(text, { fileName: this.options.fileName, maxColumns: this.options.maxColumns, delimiter });
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      this.fail(e.message);
      return;
    }
    if (!whole && table.nRows < DECIMAL_SNIFF_ROWS) {
      this.fail('line breaks inside quoted fields in the first rows');
      return;
    }
    if (table.delimiter === ' ' || table.delimiter.charCodeAt(0) >= 0x80) {
      this.fail(`delimiter ${JSON.stringify(table.delimiter)}`);
      return;
    }
    this.setUp(table, bytes.length);
    this.line = countLines(bytes) + 1;
    this.ingestPrefixRows(table);
  }

  /** Takes the header, delimiter and decimal mark from the prefix table and chooses each column's form. */
  private setUp(table: CsvTable, prefixBytes: number): void {
    this.header = table.header;
    this.width = table.header.length;
    this.delimiter = table.delimiter;
    this.delimiterByte = table.delimiter.charCodeAt(0);
    this.decimalComma = table.decimalComma;
    this.warnings = table.warnings;
    this.prefixValues = prefixNumbers(table);
    this.numericMask = Uint8Array.from(table.columns, (_, j) => (this.prefixValues![j] === null ? 0 : 1));
    const bytesPerRow = prefixBytes / (table.nRows + 1);
    this.bytesPerRow = bytesPerRow;
    const hint = this.options.sizeHint;
    const estimate = hint === undefined ? table.nRows + 4096 : Math.ceil((1.1 * Math.max(0, hint - prefixBytes)) / bytesPerRow) + table.nRows + 1024;
    this.allocate(Math.max(table.nRows, estimate), table.nRows);
  }

  /**
   * Allocates the row buffers for `rows` rows (the value buffer through options.allocateValues, whose
   * length may set a different capacity, never below `minRows`) and the columns.
   */
  private allocate(rows: number, minRows: number): void {
    const width = Math.max(1, this.width);
    let values = this.options.allocateValues?.(rows * width, width) ?? new Float64Array(rows * width);
    if (values.length < Math.max(1, minRows) * width) values = new Float64Array(rows * width);
    this.values = values;
    this.capacity = Math.floor(values.length / width);
    this.rowLines = new Int32Array(this.capacity);
    this.columns = Array.from(this.numericMask, (numeric): FastColumn =>
      numeric ? { kind: 'numeric', infiniteTexts: new Map(), commaCells: 0 } : { kind: 'dictionary', codes: new Int32Array(this.capacity), levels: [] },
    );
    this.levelIndex = Array.from(this.numericMask, (numeric) => (numeric ? null : new Map<string, number>()));
    this.dictionaryColumns = [];
    this.numericMask.forEach((numeric, j) => {
      if (numeric === 0) this.dictionaryColumns.push(j);
    });
    // The scanner reads a numeric field as parseRow does only when the delimiter is none of its bytes.
    const plainDelimiter = !/[0-9+\-.eE "]/.test(this.delimiter);
    this.scanner = this.width > 0 && !this.decimalComma && plainDelimiter && this.options.scanner !== false ? RowScanner.forThread() : null;
  }

  /** Stores the prefix's data rows through the same cell rules as later text cells (numbers as setUp parsed them). */
  private ingestPrefixRows(table: CsvTable): void {
    const parsed = this.prefixValues!;
    this.prefixValues = null;
    for (let i = 0; i < table.nRows; i++) {
      for (let j = 0; j < this.width; j++) {
        const column = this.columns[j];
        const text = table.columns[j][i];
        const ok = column.kind === 'numeric' ? this.storeNumber(column, j, text, parsed[j]![i]) : this.storeCell(j, text);
        if (!ok) return;
      }
      this.rowLines[this.nRows++] = table.rowLines[i];
    }
  }

  /** Grows the row capacity 1.5x (only when sizeHint was missing or too small). */
  private grow(): void {
    const capacity = Math.ceil(this.capacity * 1.5) + 1024;
    const values = new Float64Array(capacity * this.width);
    values.set(this.values.subarray(0, this.nRows * this.width));
    this.values = values;
    const lines = new Int32Array(capacity);
    lines.set(this.rowLines.subarray(0, this.nRows));
    this.rowLines = lines;
    for (const c of this.columns) {
      if (c.kind !== 'dictionary') continue;
      const codes = new Int32Array(capacity);
      codes.set(c.codes.subarray(0, this.nRows));
      c.codes = codes;
    }
    this.capacity = capacity;
  }

  /** Skips the LF of a CRLF whose CR ended the previous bytes. */
  private skipPendingLF(buf: Uint8Array, p: number): number {
    if (!this.pendingCR || p >= buf.length) return p;
    this.pendingCR = false;
    return buf[p] === LF ? p + 1 : p;
  }

  private appendCarry(buf: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.carry = appendBytes(this.carry, this.carryLength, buf, from, to);
    this.carryLength += to - from;
  }

  /** Parses the complete lines in buf[p, end); buf[end - 1] is a line break. False on a fallback. */
  private parseLines(buf: Uint8Array, p: number, end: number): boolean {
    if (this.scanner !== null && end - p >= SCAN_MIN_BYTES) return this.scanLines(this.scanner, buf, p, end);
    while (p < end) {
      p = this.parseLine(buf, p, end);
      if (p < 0) return false;
    }
    return true;
  }

  /** Parses the line at p (blank or a row) with its line break; returns where the next line starts, or -1. */
  private parseLine(buf: Uint8Array, p: number, end: number): number {
    const tabPad = this.delimiterByte !== TAB;
    let q = p;
    while (buf[q] === SPACE || (buf[q] === TAB && tabPad)) q++;
    const c = buf[q];
    if (c !== LF && c !== CR) {
      q = this.parseRow(buf, p);
      if (q < 0) return -1;
    }
    return this.lineBreak(buf, q, end);
  }

  /**
   * parseLines by the WebAssembly scanner: it takes runs of rows (one row per line), computing their
   * numbers and leaving their text cells to textField here, and stops before any other line (blank,
   * ragged, a number it does not compute, a quote, or a CR ending the bytes), which parseLine reads
   * here before the scanner goes on.
   */
  private scanLines(scanner: RowScanner, buf: Uint8Array, p: number, end: number): boolean {
    scanner.load(buf, p, end, this.numericMask);
    const width = this.width;
    const tabPad = this.delimiterByte !== TAB;
    const dictionary = this.dictionaryColumns;
    let q = p;
    while (q < end) {
      if (this.nRows === this.capacity) this.grow();
      const first = this.nRows;
      const line = this.line;
      const rows = scanner.scan(q - p, this.delimiterByte, tabPad, this.capacity - first, this.values, first * width);
      for (let i = 0; i < rows; i++) {
        this.rowLines[first + i] = line + i;
        if (dictionary.length === 0) continue;
        // Text cells through textField, as the byte parser reads them (its row and line set for them).
        this.nRows = first + i;
        this.line = line + i;
        for (const j of dictionary) if (this.textField(buf, p + scanner.spanStart(i, j), j) < 0) return false;
      }
      this.nRows = first + rows;
      this.line = line + rows;
      q = p + scanner.stop;
      if (!scanner.full && q < end) {
        q = this.parseLine(buf, q, end);
        if (q < 0) return false;
      }
    }
    return true;
  }

  /** Consumes the line break at p (CRLF, LF or CR) and counts the line. */
  private lineBreak(buf: Uint8Array, p: number, end: number): number {
    this.line++;
    if (buf[p] !== CR) return p + 1;
    if (p + 1 === end) {
      this.pendingCR = true;
      return end;
    }
    return buf[p + 1] === LF ? p + 2 : p + 1;
  }

  /**
   * Parses the data row starting at p (a non-blank line) and returns the offset of its line break,
   * or -1 on a fallback. The hot loop: numbers are read from bytes without creating strings
   * (readNumber); the other fields, and numbers it does not compute, go through textField.
   */
  private parseRow(buf: Uint8Array, p: number): number {
    if (this.nRows === this.capacity) this.grow();
    const width = this.width;
    const delimiter = this.delimiterByte;
    const tabPad = delimiter !== TAB;
    const numeric = this.numericMask;
    const values = this.values;
    const decimalComma = this.decimalComma;
    const base = this.nRows * width;
    let j = 0;
    for (;;) {
      let c = buf[p];
      while (c === SPACE || (c === TAB && tabPad)) c = buf[++p];
      let q = numeric[j] === 1 ? readNumber(buf, p, delimiter, tabPad, decimalComma) : -1;
      if (q >= 0) {
        values[base + j] = NUMBER[0];
        if (NUMBER[1] !== 0) (this.columns[j] as NumericFastColumn).commaCells++;
      } else {
        q = this.textField(buf, p, j);
        if (q < 0) return -1;
      }
      p = q;
      if (buf[p] !== delimiter) break;
      if (++j === width) return this.fail(`ragged row at line ${this.line}`);
      p++;
    }
    if (j + 1 !== width) return this.fail(`ragged row at line ${this.line}`);
    this.rowLines[this.nRows++] = this.line;
    return p;
  }

  /**
   * Reads field j of the current row, starting at `start` (after leading pads), as text: finds its
   * end, checks its bytes, trims trailing pads, decodes it and stores it. Returns the field's end or -1.
   */
  private textField(buf: Uint8Array, start: number, j: number): number {
    if (buf[start] === QUOTE) return this.fail(`quote at line ${this.line}`);
    const delimiter = this.delimiterByte;
    let ascii = true;
    let e = start;
    for (;; e++) {
      const c = buf[e];
      if (c === delimiter || c === LF || c === CR) break;
      if ((c < SPACE && c !== TAB) || c === DEL) return this.fail(`control byte 0x${c.toString(16).padStart(2, '0')} at line ${this.line}`);
      if (c >= 0x80) ascii = false;
    }
    const tabPad = delimiter !== TAB;
    let b = e;
    while (b > start && (buf[b - 1] === SPACE || (buf[b - 1] === TAB && tabPad))) b--;
    let text: string;
    if (ascii) {
      text = '';
      for (let i = start; i < b; i++) text += String.fromCharCode(buf[i]);
    } else {
      try {
        text = CELL_DECODER.decode(buf.subarray(start, b));
      } catch {
        return this.fail(`non-UTF-8 byte at line ${this.line}`);
      }
    }
    return this.storeCell(j, text) ? e : -1;
  }

  /** Stores the text of cell (current row, column j) by the column's form; false on a fallback. */
  private storeCell(j: number, text: string): boolean {
    const column = this.columns[j];
    if (column.kind === 'dictionary') {
      const index = this.levelIndex[j]!;
      let code = index.get(text);
      if (code === undefined) {
        if (column.levels.length === MAX_LEVELS) {
          this.fail(`too many distinct strings in column "${this.header[j]}"`);
          return false;
        }
        code = column.levels.length;
        column.levels.push(text);
        index.set(text, code);
      }
      column.codes[this.nRows] = code;
      return true;
    }
    return this.storeNumber(column, j, text, parseNumber(text, this.decimalComma));
  }

  /** Stores v = parseNumber(text) in numeric column j (current row); false on a fallback. */
  private storeNumber(column: NumericFastColumn, j: number, text: string, v: number): boolean {
    if (v !== v) {
      if (!isMissing(text)) {
        this.fail(`text '${text}' at line ${this.line} in column "${this.header[j]}", which is numeric in the first rows`);
        return false;
      }
    } else if (v === Infinity || v === -Infinity) {
      if (++this.infiniteCount > MAX_INFINITE) {
        this.fail('too many infinite values');
        return false;
      }
      column.infiniteTexts.set(this.nRows, text);
    } else if (this.decimalComma && text.indexOf(',') >= 0) {
      column.commaCells++;
    }
    this.values[this.nRows * this.width + j] = v;
    return true;
  }
}

/**
 * Per column of the prefix table, its cells' parseNumber values when every cell is a number or a
 * missing token (it fits a numeric column), else null.
 */
function prefixNumbers(table: CsvTable): (Float64Array | null)[] {
  return table.columns.map((cells) => {
    const values = new Float64Array(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const v = parseNumber(cells[i], table.decimalComma);
      if (v !== v && !isMissing(cells[i])) return null;
      values[i] = v;
    }
    return values;
  });
}

/** Index of the first control byte other than TAB, LF and CR (or DEL), else -1. */
function firstControlByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b < SPACE && b !== TAB && b !== LF && b !== CR) || b === DEL) return i;
  }
  return -1;
}

/** Line breaks in bytes, counting CRLF once (a CR at the very end counts). */
function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === LF || (c === CR && bytes[i + 1] !== LF)) lines++;
  }
  return lines;
}

function firstLineBreak(buf: Uint8Array, from: number): number {
  for (let i = from; i < buf.length; i++) if (buf[i] === LF || buf[i] === CR) return i;
  return -1;
}

function lastLineBreak(buf: Uint8Array, from: number): number {
  for (let i = buf.length - 1; i >= from; i--) if (buf[i] === LF || buf[i] === CR) return i;
  return -1;
}

/** Writes src[from, to) at target[length], growing target (doubling) when needed; returns the target. */
function appendBytes(target: Uint8Array, length: number, src: Uint8Array, from: number, to: number): Uint8Array {
  const needed = length + (to - from);
  let out = target;
  if (needed > target.length) {
    out = new Uint8Array(Math.max(needed, target.length * 2));
    out.set(target.subarray(0, length));
  }
  out.set(src.subarray(from, to), length);
  return out;
}

/**
 * Joins the tables of consecutive byte ranges of one file (the first from the file's own parser, the
 * others from FastCsvParser.continuing on its continuation()) into the table the single pass over the
 * file gives, or `{ fallback }` when the single pass would have given up where the parts did not (more
 * than MAX_LEVELS distinct texts in a column, or more than MAX_INFINITE infinite values, over all parts).
 * lineOffsets[k] is added to part k's rowLines (default 0). Consumes the parts: the result may reuse
 * the first part's buffers, and its value buffer's spare length (a later part whose values lie further
 * on in that same buffer is moved down, in place).
 *
 * Dictionary levels stay in order of first appearance over the whole file: a later part's new levels
 * come after all earlier ones, in its own order of first appearance, and its codes are remapped.
 * Warnings are the first part's (the single pass's come from its prefix), then any later part's.
 */
export function concatFastTables(parts: readonly FastTable[], lineOffsets: readonly number[] = []): FastCsvResult {
  if (parts.length === 0) throw new Error('concatFastTables needs at least one table.');
  const first = parts[0];
  const width = first.header.length;
  for (const part of parts) {
    const same = part.header.length === width && part.header.every((h, j) => h === first.header[j]) && part.delimiter === first.delimiter && part.decimalComma === first.decimalComma;
    if (!same || part.columns.some((c, j) => c.kind !== first.columns[j].kind)) throw new Error('concatFastTables: the parts come from different parsers.');
  }
  const nRows = parts.reduce((n, p) => n + p.nRows, 0);
  let infinite = 0;
  for (const part of parts) for (const c of part.columns) if (c.kind === 'numeric') infinite += c.infiniteTexts.size;
  if (infinite > MAX_INFINITE) return { fallback: 'too many infinite values' };

  const columns: FastColumn[] = [];
  for (let j = 0; j < width; j++) {
    const head = first.columns[j];
    if (head.kind === 'numeric') {
      const infiniteTexts = new Map<number, string>();
      let commaCells = 0;
      let row = 0;
      for (const part of parts) {
        const c = part.columns[j] as NumericFastColumn;
        for (const [i, text] of c.infiniteTexts) infiniteTexts.set(row + i, text);
        commaCells += c.commaCells;
        row += part.nRows;
      }
      columns.push({ kind: 'numeric', infiniteTexts, commaCells });
      continue;
    }
    const levels = head.levels.slice();
    const index = new Map<string, number>();
    levels.forEach((level, k) => index.set(level, k));
    const codes = new Int32Array(nRows);
    codes.set(head.codes.subarray(0, first.nRows));
    let row = first.nRows;
    for (let k = 1; k < parts.length; k++) {
      const c = parts[k].columns[j] as DictionaryFastColumn;
      const remap = new Int32Array(c.levels.length);
      for (let l = 0; l < c.levels.length; l++) {
        let code = index.get(c.levels[l]);
        if (code === undefined) {
          if (levels.length === MAX_LEVELS) return { fallback: `too many distinct strings in column "${first.header[j]}"` };
          code = levels.length;
          levels.push(c.levels[l]);
          index.set(c.levels[l], code);
        }
        remap[l] = code;
      }
      const n = parts[k].nRows;
      for (let i = 0; i < n; i++) codes[row + i] = remap[c.codes[i]];
      row += n;
    }
    columns.push({ kind: 'dictionary', codes, levels });
  }

  const rowLines = new Int32Array(nRows);
  let row = 0;
  parts.forEach((part, k) => {
    const offset = lineOffsets[k] ?? 0;
    const lines = part.rowLines;
    for (let i = 0; i < part.nRows; i++) rowLines[row + i] = lines[i] + offset;
    row += part.nRows;
  });

  return {
    header: first.header,
    nRows,
    delimiter: first.delimiter,
    decimalComma: first.decimalComma,
    encoding: 'utf-8',
    rowLines,
    values: concatValues(parts, nRows * width),
    columns,
    warnings: parts.flatMap((p) => p.warnings),
  };
}

/**
 * The parts' values one after the other, in the first part's buffer when it has room (a later part
 * lying further on in that same buffer is moved down, without allocating), else
 * in a new array.
 */
function concatValues(parts: readonly FastTable[], total: number): Float64Array {
  const home = grownOutOf(parts, total);
  if (home) return home;
  const first = parts[0].values;
  const buffer = first.buffer;
  const fits = first.byteOffset + total * 8 <= buffer.byteLength;
  // In place only when every part in the same buffer sits at or after its destination (so moving the
  // parts in order never overwrites one not yet moved).
  let inPlace = fits;
  let at = 0;
  /** Elements from the first part's start to the end of the last part in its buffer. */
  let span = total;
  for (const part of parts) {
    const v = part.values;
    if (part !== parts[0] && v.buffer === buffer) {
      const from = (v.byteOffset - first.byteOffset) / 8;
      if (from < at) inPlace = false;
      span = Math.max(span, from + v.length);
    }
    at += v.length;
  }
  const whole = inPlace ? new Float64Array(buffer, first.byteOffset, span) : null;
  const out = whole ? whole.subarray(0, total) : new Float64Array(total);
  at = 0;
  for (const part of parts) {
    const v = part.values;
    if (whole && v.buffer === buffer) {
      moveDown(whole, (v.byteOffset - first.byteOffset) / 8, at, v.length);
    } else {
      out.set(v, at);
    }
    at += v.length;
  }
  return out;
}

/**
 * Two parts where the first outgrew its room at the start of a shared buffer (its parser grew into an
 * array of its own) and the second lies further on in that buffer, which has room for both (nothing
 * else lives in it: parallelCsv.ts's buffer, the first part's room then the second's): the
 * second moved to just after the first's rows (up or down: copyWithin is a memmove), the first copied
 * in front of it; null in every other case. The two-thread parse's table then stays in its shared
 * buffer (the loss's SIMD kernels read it in place) even when its first part had more rows than estimated.
 */
function grownOutOf(parts: readonly FastTable[], total: number): Float64Array | null {
  if (parts.length !== 2) return null;
  const [first, second] = [parts[0].values, parts[1].values];
  const buffer = second.buffer;
  if (!(buffer instanceof SharedArrayBuffer) || first.buffer === buffer || total * 8 > buffer.byteLength) return null;
  const out = new Float64Array(buffer, 0, total);
  const from = second.byteOffset / 8;
  out.copyWithin(first.length, from, from + second.length);
  out.set(first, 0);
  return out;
}

/** Moves a[from, from + length) to a[to, ...), to <= from (copyWithin is a memmove: overlap is fine). */
function moveDown(a: Float64Array, from: number, to: number, length: number): void {
  if (from !== to) a.copyWithin(to, from, from + length);
}
