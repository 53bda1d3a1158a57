/**
 * The header line, checked before a file is parsed in memory: a header longer than MAX_HEADER_BYTES
 * (a 50 MB line of 12.5M commas) or with more than DEFAULT_MAX_COLUMNS fields is refused from the
 * file's first bytes, as quickly as the streaming path refuses it, instead of after parsing it whole
 * (9-31 s and 2 GB before). Node only.
 */
import { DataError } from '../core/diagnostics';
import { DEFAULT_MAX_COLUMNS } from '../core/data/csv';
import { readHead } from './readChunks';

/** The longest header line read (the streaming sample's size: a header must fit in it). */
export const MAX_HEADER_BYTES = 4 << 20;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** End of the header record: the first record break after a non-blank byte, outside quotes (0 if none). */
export function headerEnd(bytes: Uint8Array): number {
  let content = false;
  let inQuotes = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    if (!inQuotes && (c === LF || c === CR)) {
      if (!content) continue;
      return c === CR && bytes[i + 1] === LF ? i + 2 : i + 1;
    }
    if (c !== 0x20 && c !== 0x09 && c !== LF && c !== CR) content = true;
  }
  return 0;
}

/** The most fields the header line can have: one more than its most frequent candidate delimiter outside quotes. */
function headerFields(bytes: Uint8Array, end: number): number {
  const counts = new Map<number, number>([[0x2c, 0], [0x3b, 0], [0x09, 0], [0x7c, 0]]);
  let inQuotes = false;
  for (let i = 0; i < end; i++) {
    const c = bytes[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  return Math.max(...counts.values()) + 1;
}

/** Bytes read first: a usual header line ends in them, and the rest of MAX_HEADER_BYTES is read only when it does not. */
const FIRST_HEADER_BYTES = 1 << 16;

/** Throws a DataError naming the file (line 1) when its header line is too long or has too many fields. */
export function checkHeaderLine(path: string, fileName: string, size: number): void {
  let head = readHead(path, Math.min(size, FIRST_HEADER_BYTES));
  let end = headerEnd(head);
  if (end === 0 && head.length < Math.min(size, MAX_HEADER_BYTES)) {
    head = readHead(path, Math.min(size, MAX_HEADER_BYTES));
    end = headerEnd(head);
  }
  if (end === 0 && head.length >= MAX_HEADER_BYTES) {
    throw new DataError({ code: 'csv.header-too-long', file: fileName, line: 1, message: `the header line is longer than ${MAX_HEADER_BYTES / (1 << 20)} MB; is this a CSV file with one header line?` });
  }
  const fields = headerFields(head, end === 0 ? head.length : end);
  if (fields > DEFAULT_MAX_COLUMNS) {
    throw new DataError({ code: 'csv.too-many-columns', file: fileName, line: 1, message: `the header has ${fields.toLocaleString('en-US')} columns, more than the limit of ${DEFAULT_MAX_COLUMNS.toLocaleString('en-US')}` });
  }
}
