/**
 * One way to read a column, whatever parsed it: the general parser's CsvTable (cell texts), the fast
 * parser's FastTable (float64 numbers, or a dictionary of texts with a code per row), and the streamed
 * blocks (either of the two per block). The one encoder (dataPlan.ts DataPlan.encode, for training,
 * streaming and prediction) asks a ColumnSource for a column and reads it by its
 * access kind: numbers by value, codes through per-level decisions made once (codeNumbers,
 * codeLevels), texts cell by cell.
 *
 * A new storage (say, a columnar file) becomes another `columnSource` case here; the plan's encoder follows.
 */
import { isMissing, parseNumber, type CsvTable } from './csv';
import type { FastTable } from './fastCsv';

/** How a column's cells are stored. */
export type ColumnAccess =
  /** A FastTable numeric column: cell of row i is values[i * width + j] (NaN = a missing token). */
  | { kind: 'number'; values: Float64Array; width: number; j: number; infiniteTexts: Map<number, string> }
  /** A dictionary: cell of row i is texts[codes[i]]. */
  | { kind: 'code'; codes: Int32Array; texts: readonly string[] }
  /** Cell texts, one per row. */
  | { kind: 'text'; cells: readonly string[] };

export interface ColumnSource {
  readonly header: string[];
  readonly nRows: number;
  readonly rowLines: Int32Array;
  readonly decimalComma: boolean;
  column(j: number): ColumnAccess;
}

export function isFastTable(table: CsvTable | FastTable): table is FastTable {
  return 'values' in table;
}

/** The column source of either kind of parsed table. */
export function columnSource(table: CsvTable | FastTable): ColumnSource {
  const { header, nRows, rowLines, decimalComma } = table;
  if (!isFastTable(table)) return { header, nRows, rowLines, decimalComma, column: (j) => ({ kind: 'text', cells: table.columns[j] }) };
  const width = header.length;
  return {
    header,
    nRows,
    rowLines,
    decimalComma,
    column: (j) => {
      const c = table.columns[j];
      return c.kind === 'numeric' ? { kind: 'number', values: table.values, width, j, infiniteTexts: c.infiniteTexts } : { kind: 'code', codes: c.codes, texts: c.levels };
    },
  };
}

/** The text of row i's cell (for messages); a numeric column's finite cells as their shortest text. */
export function cellText(column: ColumnAccess, i: number): string {
  switch (column.kind) {
    case 'text':
      return column.cells[i];
    case 'code':
      return column.texts[column.codes[i]];
    case 'number': {
      const v = column.values[i * column.width + column.j];
      return v === v ? (column.infiniteTexts.get(i) ?? String(v)) : '';
    }
  }
}

/** One-hot position of a level that is a missing token, and of a level the plan does not know. */
export const MISSING_POS = -1;
export const UNKNOWN_POS = -2;

/** codeNumbers' `bad` of a text that reads as an infinite number (a text that is no number is 1). */
export const CODE_INFINITE = 2;

/**
 * Per distinct text of a dictionary: the number it reads as (NaN for a missing token) and whether it
 * is not a finite number (`bad`: 1 for a text that is no number, CODE_INFINITE for ±Infinity),
 * decided once per text rather than once per cell.
 */
export function codeNumbers(texts: readonly string[], decimalComma: boolean): { value: Float64Array; bad: Uint8Array } {
  const value = new Float64Array(texts.length);
  const bad = new Uint8Array(texts.length);
  texts.forEach((t, c) => {
    if (isMissing(t)) value[c] = NaN;
    else {
      const v = parseNumber(t, decimalComma);
      if (Number.isFinite(v)) value[c] = v;
      else {
        value[c] = NaN;
        bad[c] = v === v ? CODE_INFINITE : 1;
      }
    }
  });
  return { value, bad };
}

/** Per distinct text of a dictionary: its one-hot position among `levels` (trimmed), MISSING_POS or UNKNOWN_POS. */
export function codeLevels(texts: readonly string[], levels: ReadonlyMap<string, number>): Int32Array {
  return Int32Array.from(texts, (t) => (isMissing(t) ? MISSING_POS : (levels.get(t.trim()) ?? UNKNOWN_POS)));
}
