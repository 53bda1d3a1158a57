/**
 * The metrics table: one row per metric, one column per split (train / validation / test), and the
 * two-run comparison (the same rows, one column per run, with the difference).
 */
import type { SplitName, TrainReport } from '../../../src/core/report/report';
import { t } from '../../l10n';

export const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];

/** A split as sentences, legends and tables name it (lower case); any other string is returned as it is. */
const SPLIT_WORDS: Record<SplitName, string> = { train: t('train'), validation: t('validation'), test: t('test') };
export function splitWord(split: string): string {
  return SPLIT_WORDS[split as SplitName] ?? split;
}

export interface MetricDef {
  key: string;
  label: string;
  /** True when smaller is better (log loss, Brier, ECE, Hamming loss). */
  lowerIsBetter: boolean;
  get(report: TrainReport, split: SplitName): number | null | undefined;
}

const m = (r: TrainReport, s: SplitName) => r.evaluation[s]?.metrics;
const ml = (r: TrainReport, s: SplitName) => r.evaluation[s]?.multilabel;

/** The metrics, labelled in the webview's language (the bundle is read once, when this module loads). */
export const METRICS: readonly MetricDef[] = [
  { key: 'n', label: t('Rows'), lowerIsBetter: false, get: (r, s) => r.evaluation[s]?.n },
  { key: 'accuracy', label: t('Accuracy'), lowerIsBetter: false, get: (r, s) => m(r, s)?.accuracy ?? ml(r, s)?.subsetAccuracy },
  { key: 'logLoss', label: t('Log loss'), lowerIsBetter: true, get: (r, s) => m(r, s)?.logLoss },
  { key: 'rocAuc', label: t('ROC AUC'), lowerIsBetter: false, get: (r, s) => m(r, s)?.rocAuc },
  { key: 'averagePrecision', label: t('Average precision'), lowerIsBetter: false, get: (r, s) => m(r, s)?.averagePrecision },
  { key: 'f1', label: t('F1 (macro)'), lowerIsBetter: false, get: (r, s) => m(r, s)?.macro.f1 ?? ml(r, s)?.macro.f1 },
  { key: 'precision', label: t('Precision (macro)'), lowerIsBetter: false, get: (r, s) => m(r, s)?.macro.precision ?? ml(r, s)?.macro.precision },
  { key: 'recall', label: t('Recall (macro)'), lowerIsBetter: false, get: (r, s) => m(r, s)?.macro.recall ?? ml(r, s)?.macro.recall },
  { key: 'brier', label: t('Brier score'), lowerIsBetter: true, get: (r, s) => m(r, s)?.brier },
  { key: 'ece', label: t('ECE (10 bins)'), lowerIsBetter: true, get: (r, s) => m(r, s)?.ece },
  { key: 'hamming', label: t('Hamming loss'), lowerIsBetter: true, get: (r, s) => ml(r, s)?.hammingLoss },
];

/** Splits the report evaluated, in display order. */
export function evaluatedSplits(report: TrainReport): SplitName[] {
  return SPLITS.filter((s) => report.evaluation[s] !== undefined);
}

export interface MetricRow {
  label: string;
  values: (number | null)[];
}

/** Metric rows for the splits present; metrics no split has are left out. */
export function metricRows(report: TrainReport): { splits: SplitName[]; rows: MetricRow[] } {
  const splits = evaluatedSplits(report);
  const rows: MetricRow[] = [];
  for (const def of METRICS) {
    const values = splits.map((s) => {
      const v = def.get(report, s);
      return typeof v === 'number' ? v : null;
    });
    if (values.some((v) => v !== null)) rows.push({ label: def.label, values });
  }
  return { splits, rows };
}

/** The split runs are compared on: test if all of them have it, else validation, else train. */
export function comparisonSplit(...reports: TrainReport[]): SplitName {
  for (const s of ['test', 'validation', 'train'] as const) if (reports.every((r) => r.evaluation[s])) return s;
  return 'train';
}

export interface ComparisonRow {
  label: string;
  a: number | null;
  b: number | null;
  /** b - a, null when either is missing. */
  delta: number | null;
  /** Which run is better on this metric (null: tie, missing, or not a quality measure). */
  better: 'a' | 'b' | null;
}

export function comparisonRows(a: TrainReport, b: TrainReport, split: SplitName): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const def of METRICS) {
    const va = def.get(a, split);
    const vb = def.get(b, split);
    const na = typeof va === 'number' && Number.isFinite(va) ? va : null;
    const nb = typeof vb === 'number' && Number.isFinite(vb) ? vb : null;
    if (na === null && nb === null) continue;
    const delta = na !== null && nb !== null ? nb - na : null;
    let better: 'a' | 'b' | null = null;
    if (delta !== null && delta !== 0 && def.key !== 'n') better = (delta < 0) === def.lowerIsBetter ? 'b' : 'a';
    rows.push({ label: def.label, a: na, b: nb, delta, better });
  }
  return rows;
}
