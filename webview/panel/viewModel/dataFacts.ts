/**
 * What the Data tab says about the file's size and class balance, and how sure it is. A preview of a
 * big file reads only its first megabytes: its row count is an estimate and its class balance that
 * of the sample, and they say so, until the worker has counted the whole file (sample.counted). A finished run has read every row: its report's exact counts
 * (DataSummary.nRows, classCounts) replace the estimates. A capped statistic reads as a bound.
 */
import type { ColumnInfo } from '../../../src/core/data/dataset';
import type { DataPreview } from '../../../src/core/data/preview';
import type { RunRecord } from '../../../src/protocol/panel';
import { t } from '../../l10n';

export interface DataFacts {
  /** "999,981", or "about 999,981 (estimated from the first 4.2 MB of 169.0 MB)". */
  rows: string;
  rowsExact: boolean;
  balance: { label: string; count: number }[];
  /** Where the balance comes from when that needs saying (a sample, or a run that read every row). */
  balanceNote: string | null;
}

const count = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The run's report describes the previewed file: same name and the same columns. */
function sameFile(p: DataPreview, run: RunRecord): boolean {
  const d = run.report.data;
  return d.fileName === p.fileName && d.nColumns === p.nColumns && d.columns.every((c, i) => c.name === p.columns[i]?.name);
}

/**
 * The row count and the class balance of `target` for the Data tab: from the preview, or (when the
 * preview read only a sample) from the newest run in `runs` that read the whole file.
 */
export function dataFacts(p: DataPreview, target: string, runs: readonly RunRecord[]): DataFacts {
  const previewBalance = p.targetBalances?.[target] ?? (target === p.guessedTarget ? p.classBalance : []);
  if (!p.sample) return { rows: count(p.nRows), rowsExact: true, balance: previewBalance, balanceNote: null };
  if (p.sample.counted) {
    // The worker counted every row of the file after the sample (rowCensus.ts).
    const labelled = previewBalance.reduce((a, b) => a + b.count, 0);
    return { rows: count(p.nRows), rowsExact: true, balance: previewBalance, balanceNote: previewBalance.length > 0 ? t('of all {0} labelled rows (counted over the whole file)', count(labelled)) : null };
  }
  const sampleNote = t('of the first {0} of {1} (an estimate until a run has read every row)', mb(p.sample.bytes), mb(p.sample.fileBytes));
  const full = fullRuns(p, runs);
  const counted = full[0];
  const rows = counted
    ? t('{0} (counted by run #{1})', count(counted.report.data.nRows), counted.id)
    : t('about {0} (estimated from the first {1} of {2})', count(p.nRows), mb(p.sample.bytes), mb(p.sample.fileBytes));
  // A multilabel run (several target columns) counts per label, not a partition of the rows: only a single target's counts replace the sample's.
  const withTarget = full.find((r) => r.report.data.target.length === 1 && r.report.data.target[0] === target);
  if (!withTarget) return { rows, rowsExact: counted !== undefined, balance: previewBalance, balanceNote: previewBalance.length > 0 ? sampleNote : null };
  const d = withTarget.report.data;
  const labelled = d.classCounts.reduce((a, b) => a + b, 0);
  return {
    rows,
    rowsExact: true,
    balance: d.classes.map((label, k) => ({ label, count: d.classCounts[k] ?? 0 })),
    balanceNote: t('of all {0} labelled rows (run #{1})', count(labelled), withTarget.id),
  };
}

/** The runs of `runs` that read the previewed file, newest first. */
function fullRuns(p: DataPreview, runs: readonly RunRecord[]): RunRecord[] {
  return [...runs].reverse().filter((r) => sameFile(p, r));
}

/**
 * The Data tab's column table: a sampled preview's types, missing and distinct counts are the
 * sample's (and say so) until a run has read the file; then the newest such run's, typed over every row.
 */
export function columnFacts(p: DataPreview, runs: readonly RunRecord[]): { columns: ColumnInfo[]; note: string | null } {
  if (!p.sample) return { columns: p.columns, note: null };
  const full = fullRuns(p, runs)[0];
  if (full) return { columns: full.report.data.columns, note: t('Types, missing and distinct counts of all {0} rows (run #{1}).', count(full.report.data.nRows), full.id) };
  return { columns: p.columns, note: t("Types, missing and distinct counts of the first {0} MB (the preview's sample).", (p.sample.bytes / 1e6).toFixed(1)) };
}

/** The Distinct cell: a count that stopped at its cap reads as a bound ("≥ 10,000"). */
export function distinctLabel(c: ColumnInfo): string {
  return c.distinctCapped ? `≥ ${count(c.distinct)}` : count(c.distinct);
}
