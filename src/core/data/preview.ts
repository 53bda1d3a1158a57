import type { CsvTable } from './csv';
import { guessTarget, inferColumns, sortClassLabels } from './dataset';
import type { Diagnostic } from '../diagnostics';
import type { TableShape } from '../report/report';

/** What the panel shows before any training: the file's shape, typed columns and the guessed target. */
export interface DataPreview extends TableShape {
  guessedTarget: string;
  /** Class balance of the guessed target: label and row count, in scikit-learn's class order. */
  classBalance: { label: string; count: number }[];
  /**
   * Class balance of every column that could be a target (2 to 50 distinct values), keyed by column
   * name: the Data tab follows the target the student picks.
   */
  targetBalances: Record<string, { label: string; count: number }[]>;
  /** The first rows as text, for a glance at the data (at most 5). */
  head: string[][];
  warnings: Diagnostic[];
  /**
   * Set when the preview was made from the first `bytes` of a `fileBytes`-byte file: the columns, the
   * guessed target, the class balance and the head come from those rows, and nRows is an estimate
   * (the sample's rows scaled by fileBytes / bytes). `counted`: nRows and the class balances were then
   * counted over the whole file (rowCensus.ts); the column statistics and the head stay the sample's.
   */
  sample?: { bytes: number; fileBytes: number; counted?: boolean };
}

/** Columns with more distinct values get no class balance (they are no sensible target). */
const MAX_BALANCE_CLASSES = 50;

/** The preview of a parsed table; `sample` when the table holds only the first bytes of the file. */
export function previewTable(table: CsvTable, fileName: string, maxCategories?: number, sample?: { bytes: number; fileBytes: number }): DataPreview {
  const columns = inferColumns(table, { maxCategories });
  const guessedTarget = guessTarget(table, columns);
  const targetBalances: Record<string, { label: string; count: number }[]> = {};
  for (const c of columns) {
    if (c.distinct < 2 || c.distinct > MAX_BALANCE_CLASSES || c.kind === 'empty') continue;
    const counts = new Map<string, number>();
    for (const cell of table.columns[c.index]) {
      const v = cell.trim();
      if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    if (counts.size <= MAX_BALANCE_CLASSES) targetBalances[c.name] = sortClassLabels([...counts.keys()]).map((label) => ({ label, count: counts.get(label)! }));
  }
  const head: string[][] = [];
  for (let i = 0; i < Math.min(5, table.nRows); i++) head.push(table.columns.map((c) => c[i]));
  const preview: DataPreview = {
    fileName,
    nRows: sample ? Math.round((table.nRows * sample.fileBytes) / sample.bytes) : table.nRows,
    nColumns: table.header.length,
    delimiter: table.delimiter,
    decimalComma: table.decimalComma,
    encoding: table.encoding,
    columns,
    guessedTarget,
    classBalance: targetBalances[guessedTarget] ?? [],
    targetBalances,
    head,
    warnings: table.warnings,
  };
  if (!sample) return preview;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const note = `this preview reads the first ${mb(sample.bytes)} of ${mb(sample.fileBytes)} (${table.nRows} rows); the row count is an estimate, and training reads the whole file`;
  return { ...preview, sample, warnings: [...table.warnings, { severity: 'info', code: 'preview.sampled', message: note, file: fileName }] };
}
