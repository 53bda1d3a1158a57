/**
 * CSV ingestion: bytes -> text (UTF-8, or Windows-1252 as a fallback) -> a table of raw cells.
 *
 * The parser is one pass over the string with charCodeAt: RFC 4180 quoting (quoted delimiters,
 * doubled quotes, newlines inside quotes), CRLF / LF / lone CR line ends, a UTF-8 BOM, blank lines
 * and a missing final newline. The delimiter is sniffed from the first records unless given.
 * Every input error is a DataError naming the file, line and column.
 *
 * Cells are kept as text: unquoted cells lose surrounding spaces, quoted cells are kept verbatim.
 * Typing the columns is dataset.ts's job.
 */
import { DataError, warning, type Diagnostic } from '../diagnostics';

/** A parsed CSV file: a header and its data rows, stored column by column. */
export interface CsvTable {
  /** Column names, made unique ("a", "a_2", ...) with a warning. */
  header: string[];
  /** columns[j][i] = raw cell text (unquoted) of data row i. */
  columns: string[][];
  nRows: number;
  /** 1-based source line where data row i starts. */
  rowLines: Int32Array;
  /** ',', ';', '\t' or '|' (or whatever CsvOptions.delimiter forced). */
  delimiter: string;
  /** True when the delimiter is ';' and numbers use ',' as the decimal mark. */
  decimalComma: boolean;
  encoding: 'utf-8' | 'windows-1252';
  warnings: Diagnostic[];
}

export interface CsvOptions {
  /** Shown in diagnostics, e.g. "data.csv". */
  fileName?: string;
  /** Forces the delimiter (one character) instead of sniffing it. */
  delimiter?: string;
  /** Files with more columns are rejected (default 100,000: whether a wide file fits is decided from its size, run/memoryEstimate.ts). */
  maxColumns?: number;
  /** Stop after this many data rows (an info diagnostic says so when rows were left unread). */
  maxRows?: number;
}

/** Default for CsvOptions.maxColumns. */
export const DEFAULT_MAX_COLUMNS = 100_000;

/**
 * Cell texts read as a missing value. Matching is case-insensitive and ignores surrounding spaces;
 * use isMissing() rather than looking cells up here.
 */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  '', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', 'nil', '?', '-', '--', '.', '#N/A',
]);

const MISSING_LOWER: ReadonlySet<string> = new Set([...MISSING_TOKENS].map((t) => t.toLowerCase()));
const LONGEST_MISSING_TOKEN = Math.max(...[...MISSING_TOKENS].map((t) => t.length));

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const COMMA = 0x2c;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Delimiters the sniffer tries, in order of preference when they score the same. */
const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'];
/** Records the sniffer looks at. */
const SNIFF_RECORDS = 50;
/** Rows examined when deciding whether ';'-separated numbers use a decimal comma. */
const DECIMAL_SNIFF_ROWS = 1000;
/** Characters examined when deciding whether the text is binary. */
const BINARY_SNIFF_CHARS = 65536;
/** Share of control characters above which the text is taken for binary data. */
const MAX_CONTROL_SHARE = 0.05;

const COMMA_DECIMAL = /^\s*[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?\s*$/;
const DOT_DECIMAL = /^\s*[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const INFINITY_TOKEN = /^[+-]?(inf|infinity)$/i;

/** True when the cell is one of MISSING_TOKENS (case-insensitive, surrounding spaces ignored). */
export function isMissing(cell: string): boolean {
  if (isDigit(cell.charCodeAt(0))) return false;
  if (cell.length > LONGEST_MISSING_TOKEN && !isSpaceCode(cell.charCodeAt(0)) && !isSpaceCode(cell.charCodeAt(cell.length - 1))) {
    return false;
  }
  return MISSING_LOWER.has(cell.trim().toLowerCase());
}

/**
 * Parses a decimal number: optional sign, digits with an optional fraction, optional exponent,
 * surrounding spaces allowed ("1e-3", " 2.5 ", "-0", "+3"). With decimalComma a ',' is accepted
 * as the decimal mark ("1,5") as well as '.'. "inf"/"infinity" (any case, signed) and overflow give
 * ±Infinity. Anything else, including hex, "1,000" without decimalComma and the empty string, gives
 * NaN. One pass, no allocation for plain decimals of up to 15 digits (exact: one correctly rounded
 * division); longer ones and exponents go through Number().
 */
export function parseNumber(cell: string, decimalComma: boolean): number {
  let i = 0;
  let end = cell.length;
  while (i < end && isSpaceCode(cell.charCodeAt(i))) i++;
  while (end > i && isSpaceCode(cell.charCodeAt(end - 1))) end--;
  const start = i;
  let c = cell.charCodeAt(i);
  const negative = c === MINUS;
  if (negative || c === PLUS) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let point = -1;
  for (; i < end; i++) {
    c = cell.charCodeAt(i);
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      mantissa = mantissa * 10 + (c - DIGIT_0);
      digits++;
      if (point >= 0) fraction++;
    } else if (point < 0 && (c === DOT || (decimalComma && c === COMMA))) {
      point = i;
    } else {
      break;
    }
  }
  if (digits === 0) return infinityToken(cell.slice(start, end));
  if (i === end && digits <= 15 && fraction < POWERS_OF_TEN.length) {
    const v = mantissa / POWERS_OF_TEN[fraction];
    return negative ? -v : v;
  }
  if (i < end && !isExponent(cell, i, end)) return NaN;
  const text = cell.slice(start, end);
  return Number(point >= 0 && cell.charCodeAt(point) === COMMA ? text.replace(',', '.') : text);
}

/** Exact powers of ten (10^22 is the largest exact double). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** True when cell[i, end) is [eE][+-]?digits. */
function isExponent(cell: string, i: number, end: number): boolean {
  const c = cell.charCodeAt(i);
  if (c !== 0x65 && c !== 0x45) return false;
  i++;
  const sign = cell.charCodeAt(i);
  if (sign === PLUS || sign === MINUS) i++;
  if (i >= end) return false;
  for (; i < end; i++) if (!isDigit(cell.charCodeAt(i))) return false;
  return true;
}

/** ±Infinity for "inf"/"infinity" tokens, else NaN. */
function infinityToken(s: string): number {
  if (!INFINITY_TOKEN.test(s)) return NaN;
  return s.charCodeAt(0) === MINUS ? -Infinity : Infinity;
}

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function isSpaceCode(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR || c === 0xa0;
}

/**
 * Decodes file bytes: UTF-8 (BOM stripped) when valid, otherwise Windows-1252 (a UTF-8 BOM still
 * skipped) with a warning naming the first byte that is not UTF-8 and its line and column.
 */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252'; warning?: Diagnostic } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
    const text = decodeWindows1252(body);
    const bad = firstInvalidUtf8(body);
    const at = bad >= 0 ? locate(text, bad) : {};
    const what = bad >= 0 ? ` (byte 0x${body[bad].toString(16).toUpperCase()} is not UTF-8)` : '';
    return {
      text,
      encoding: 'windows-1252',
      warning: warning('csv.encoding', `the file is not valid UTF-8${what}, so it was read as Windows-1252 (Latin-1); save it as UTF-8 if characters look wrong`, at),
    };
  }
}

/** Windows-1252 code points for bytes 0x80..0x9F (the WHATWG table; other bytes map to themselves). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Windows-1252 decoding with a built-in table: Node 20's TextDecoder('windows-1252') decodes
 * 0x80..0x9F as Latin-1 control characters instead of €, curly quotes and dashes.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const chunk = 8192;
  const parts: string[] = [];
  const codes = new Uint16Array(chunk);
  for (let start = 0; start < bytes.length; start += chunk) {
    const end = Math.min(bytes.length, start + chunk);
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      codes[i - start] = b >= 0x80 && b <= 0x9f ? WINDOWS_1252_HIGH[b - 0x80] : b;
    }
    parts.push(String.fromCharCode(...codes.subarray(0, end - start)));
  }
  return parts.join('');
}

/** Offset of the first byte that starts an invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
    else return i;
    if (i + need >= n) return i;
    if (bytes[i + 1] < lo || bytes[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in UTF-16 code units) of a text offset; CRLF, LF and lone CR end lines. */
function locate(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Decodes bytes and parses them; see parseCsvText. Throws DataError. */
export function parseCsv(bytes: Uint8Array, options: CsvOptions = {}): CsvTable {
  const file = options.fileName;
  if (bytes.length === 0) throw new DataError({ code: 'csv.empty', message: 'the file is empty', file });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DataError({ code: 'csv.utf16', message: 'the file is encoded as UTF-16; save it as UTF-8 (in Excel: "CSV UTF-8")', file, line: 1, column: 1 });
  }
  const decoded = decodeBytes(bytes);
  const table = parseCsvText(decoded.text, options);
  table.encoding = decoded.encoding;
  if (decoded.warning) table.warnings.unshift({ ...decoded.warning, file });
  return table;
}

/** Parses CSV text (a leading BOM is ignored). Throws DataError on malformed input. */
export function parseCsvText(text: string, options: CsvOptions = {}): CsvTable {
  const file = options.fileName;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  assertLooksLikeText(body, file);
  if (body.trim() === '') throw new DataError({ code: 'csv.empty', message: 'the file is empty', file });

  const delimiter = options.delimiter ?? sniffDelimiter(body);
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DataError({ code: 'csv.delimiter', message: `the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`, file });
  }
  const reader = new RecordReader(body, delimiter.charCodeAt(0), file);
  const warnings: Diagnostic[] = [];
  reader.next();
  const header = readHeader(reader, options.maxColumns ?? DEFAULT_MAX_COLUMNS, file, warnings);
  const { columns, rowLines } = readRows(reader, header.length, options.maxRows ?? Infinity, file, warnings);
  if (rowLines.length === 0) {
    throw new DataError({ code: 'csv.no-rows', message: 'the file has a header but no data rows', file, line: 1 });
  }
  return {
    header,
    columns,
    nRows: rowLines.length,
    rowLines,
    delimiter,
    decimalComma: delimiter === ';' && usesDecimalComma(columns),
    encoding: 'utf-8',
    warnings,
  };
}

/** Rejects text with NUL characters or many control characters (a binary file opened as CSV). */
function assertLooksLikeText(text: string, file: string | undefined): void {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const at = locate(text, nul);
    const hint = text.startsWith('PK\u0003\u0004') ? '; it looks like a ZIP or Excel .xlsx file, so save it as CSV' : '';
    const message = `does not look like a text CSV file (found a NUL byte at line ${at.line}, column ${at.column})${hint}`;
    throw new DataError({ code: 'csv.binary', message, file, ...at });
  }
  const m = Math.min(text.length, BINARY_SNIFF_CHARS);
  let controls = 0;
  let first = -1;
  for (let i = 0; i < m; i++) {
    const c = text.charCodeAt(i);
    if ((c < SPACE && c !== TAB && c !== LF && c !== CR) || c === 0x7f) {
      controls++;
      if (first < 0) first = i;
    }
  }
  if (controls > MAX_CONTROL_SHARE * m) {
    const at = locate(text, first);
    const code = text.charCodeAt(first).toString(16).toUpperCase().padStart(2, '0');
    throw new DataError({
      code: 'csv.binary',
      message: `does not look like a text CSV file (${controls} control characters in the first ${m}, the first one 0x${code} at line ${at.line}, column ${at.column})`,
      file,
      ...at,
    });
  }
}

/**
 * Chooses the candidate delimiter whose field count over the first records is most consistent with
 * the header's (which must exceed 1); ties go to the wider split, then to the earlier candidate.
 * Defaults to ',' (a one-column file).
 */
function sniffDelimiter(text: string): string {
  let best = ',';
  let bestConsistency = -1;
  let bestWidth = 0;
  for (const candidate of CANDIDATE_DELIMITERS) {
    const counts = sampleFieldCounts(text, candidate.charCodeAt(0));
    const width = counts[0] ?? 0;
    if (width < 2) continue;
    let same = 0;
    for (const c of counts) if (c === width) same++;
    const consistency = same / counts.length;
    if (consistency > bestConsistency || (consistency === bestConsistency && width > bestWidth)) {
      best = candidate;
      bestConsistency = consistency;
      bestWidth = width;
    }
  }
  return best;
}

/** Field counts of the first SNIFF_RECORDS records when split on `delimiter` (stops at a quote error). */
function sampleFieldCounts(text: string, delimiter: number): number[] {
  const reader = new RecordReader(text, delimiter, undefined);
  const counts: number[] = [];
  try {
    while (counts.length < SNIFF_RECORDS && reader.next()) counts.push(reader.count);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
  }
  return counts;
}

/** Validates the header record and makes its names usable: trimmed, non-empty and unique. */
function readHeader(reader: RecordReader, maxColumns: number, file: string | undefined, warnings: Diagnostic[]): string[] {
  const raw = reader.fields.slice();
  if (raw.length > maxColumns) {
    throw new DataError({
      code: 'csv.too-many-columns',
      message: `the header has ${raw.length.toLocaleString('en-US')} columns, more than the limit of ${maxColumns.toLocaleString('en-US')}`,
      file,
      line: reader.recordLine,
    });
  }
  const used = new Set<string>();
  const names: string[] = [];
  for (let j = 0; j < raw.length; j++) {
    let name = raw[j].trim();
    if (name === '') {
      name = uniqueName(`column_${j + 1}`, used);
      warnings.push(warning('csv.unnamed-column', `column ${j + 1} has no name in the header; it is called '${name}'`, { file, line: reader.recordLine }));
    } else if (used.has(name)) {
      const renamed = uniqueName(name, used);
      warnings.push(warning('csv.duplicate-column', `column name '${name}' appears more than once; column ${j + 1} is renamed '${renamed}'`, { file, line: reader.recordLine }));
      name = renamed;
    }
    used.add(name);
    names.push(name);
  }
  return names;
}

/** `base` if unused, else the first free of base_2, base_3, ... */
function uniqueName(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  let k = 2;
  while (used.has(`${base}_${k}`)) k++;
  return `${base}_${k}`;
}

/** Reads the data records into columns, checking each has exactly nColumns fields. */
function readRows(
  reader: RecordReader,
  nColumns: number,
  maxRows: number,
  file: string | undefined,
  warnings: Diagnostic[],
): { columns: string[][]; rowLines: Int32Array } {
  const columns: string[][] = Array.from({ length: nColumns }, () => []);
  reader.setColumns(columns);
  let lines = new Int32Array(1024);
  let n = 0;
  while (reader.atRecord()) {
    if (n >= maxRows) {
      warnings.push({ severity: 'info', code: 'csv.max-rows', message: `only the first ${maxRows} data rows were read (option maxRows)`, file, line: reader.line });
      break;
    }
    reader.read();
    if (reader.count !== nColumns) throw raggedRowError(reader, nColumns, file);
    if (n === lines.length) {
      const grown = new Int32Array(n * 2);
      grown.set(lines);
      lines = grown;
    }
    lines[n++] = reader.recordLine;
  }
  return { columns, rowLines: lines.slice(0, n) };
}

/** "line 7 has 4 fields but the header has 3", located at the first extra field or at the row's end. */
function raggedRowError(reader: RecordReader, nColumns: number, file: string | undefined): DataError {
  const count = reader.count;
  const offset = count > nColumns ? reader.extraStart : reader.recordEnd;
  const where = count > nColumns ? `the first extra field starts at column` : `the row ends at column`;
  const at = locate(reader.text, offset);
  const lineText = at.line === reader.recordLine ? `line ${reader.recordLine}` : `the row starting at line ${reader.recordLine}`;
  return new DataError({
    code: 'csv.ragged-row',
    message: `${lineText} has ${count} field${count === 1 ? '' : 's'} but the header has ${nColumns} (${where} ${at.column})`,
    file,
    ...at,
  });
}

/** True when ';'-separated cells write decimals as "1,5" more often than as "1.5". */
function usesDecimalComma(columns: string[][]): boolean {
  let comma = 0;
  let dot = 0;
  for (const cells of columns) {
    const m = Math.min(cells.length, DECIMAL_SNIFF_ROWS);
    for (let i = 0; i < m; i++) {
      const cell = cells[i];
      if (cell.indexOf(',') >= 0) {
        if (COMMA_DECIMAL.test(cell)) comma++;
      } else if (cell.indexOf('.') >= 0 && DOT_DECIMAL.test(cell)) {
        dot++;
      }
    }
  }
  return comma > 0 && comma >= dot;
}

/**
 * Splits text into records, tracking the 1-based line where each starts. Fields go to `fields`
 * until setColumns() is called, then straight into those column arrays (extra fields are only
 * counted). A quote is special only at the start of a field (after spaces); text after a closing
 * quote is appended literally, as Python's csv module does.
 */
class RecordReader {
  /** Fields of the current record, when not reading into columns. */
  readonly fields: string[] = [];
  /** Number of fields in the current record. */
  count = 0;
  /** Offset where the first field beyond the columns starts (-1 when there is none). */
  extraStart = -1;
  /** Line where the current record starts. */
  recordLine = 1;
  /** Offset of the current record's line break (or the end of the text). */
  recordEnd = 0;
  private columns: string[][] | null = null;
  /** Line of the reading position (after atRecord(): the line where the next record starts). */
  line = 1;
  private pos = 0;

  constructor(
    readonly text: string,
    private readonly delimiter: number,
    private readonly file: string | undefined,
  ) {}

  /** From now on, field j of each record is appended to columns[j]. */
  setColumns(columns: string[][]): void {
    this.columns = columns;
  }

  /** Reads the next record; false at the end of the text. */
  next(): boolean {
    if (!this.atRecord()) return false;
    this.read();
    return true;
  }

  /** Skips blank (empty or all-space) lines; false when the text ends first. */
  atRecord(): boolean {
    const text = this.text;
    for (;;) {
      let p = this.pos;
      while (p < text.length && this.isPad(text.charCodeAt(p))) p++;
      if (p >= text.length) {
        this.pos = p;
        return false;
      }
      const c = text.charCodeAt(p);
      if (c !== LF && c !== CR) return true;
      this.pos = p;
      this.skipLineBreak();
    }
  }

  /** Reads the record at the current position (call atRecord() first). */
  read(): void {
    const text = this.text;
    this.recordLine = this.line;
    this.count = 0;
    this.extraStart = -1;
    this.fields.length = 0;
    for (;;) {
      this.readField();
      if (this.pos < text.length && text.charCodeAt(this.pos) === this.delimiter) {
        this.pos++;
        continue;
      }
      this.recordEnd = this.pos;
      if (this.pos < text.length) this.skipLineBreak();
      return;
    }
  }

  /** Consumes one LF, CR or CRLF at pos. */
  private skipLineBreak(): void {
    if (this.text.charCodeAt(this.pos) === CR && this.text.charCodeAt(this.pos + 1) === LF) this.pos++;
    this.pos++;
    this.line++;
  }

  private isPad(c: number): boolean {
    return c === SPACE || (c === TAB && this.delimiter !== TAB);
  }

  /** Stores field number `count` of the record, which starts at offset `start`. */
  private emit(value: string, start: number): void {
    const k = this.count++;
    const columns = this.columns;
    if (columns === null) this.fields.push(value);
    else if (k < columns.length) columns[k].push(value);
    else if (k === columns.length) this.extraStart = start;
  }

  /** Reads one field ending at a delimiter, a line break or the end of the text. */
  private readField(): void {
    const text = this.text;
    const n = text.length;
    const fieldStart = this.pos;
    let start = fieldStart;
    while (start < n && this.isPad(text.charCodeAt(start))) start++;
    if (start < n && text.charCodeAt(start) === QUOTE) {
      this.emit(this.readQuoted(start), fieldStart);
      return;
    }
    let p = start;
    const delimiter = this.delimiter;
    for (; p < n; p++) {
      const c = text.charCodeAt(p);
      if (c === delimiter || c === LF || c === CR) break;
    }
    this.pos = p;
    let end = p;
    while (end > start && this.isPad(text.charCodeAt(end - 1))) end--;
    this.emit(text.slice(start, end), fieldStart);
  }

  /** Reads a quoted field whose opening quote is at `open`, plus any text after the closing quote. */
  private readQuoted(open: number): string {
    const text = this.text;
    const n = text.length;
    let value = '';
    let chunk = open + 1;
    let p = chunk;
    for (;;) {
      if (p >= n) {
        const at = locate(text, open);
        throw new DataError({ code: 'csv.unterminated-quote', message: `the quoted field opened at line ${at.line}, column ${at.column} is never closed`, file: this.file, ...at });
      }
      const c = text.charCodeAt(p);
      if (c === QUOTE) {
        value += text.slice(chunk, p);
        if (text.charCodeAt(p + 1) !== QUOTE) break;
        value += '"';
        p += 2;
        chunk = p;
      } else {
        if (c === LF || (c === CR && text.charCodeAt(p + 1) !== LF)) this.line++;
        p++;
      }
    }
    p++;
    let tail = p;
    for (; tail < n; tail++) {
      const c = text.charCodeAt(tail);
      if (c === this.delimiter || c === LF || c === CR) break;
    }
    this.pos = tail;
    const rest = text.slice(p, tail);
    return rest.trim() === '' ? value : value + rest.trimEnd();
  }
}
