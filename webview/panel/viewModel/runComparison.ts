/**
 * Comparing any number of runs (pure): run letters (A, B, C…), the metrics of every run on the split
 * they all evaluated with the best value marked, the settings that differ (only those), and the
 * coefficients of every run grouped by feature (and class), for bars side by side.
 */
import type { SplitName, TrainReport } from '../../../src/core/report/report';
import type { TrainSettings } from '../../../src/core/run/settings';
import type { RunRecord } from '../../../src/protocol/panel';
import { coefficientRows } from './coefficients';
import { METRICS } from './metricsTable';

/** A, B, …, Z, then AA, AB… (the letters runs carry in a comparison, in the order they were checked). */
export function runLetter(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : runLetter(Math.floor(i / 26) - 1) + runLetter(i % 26);
}

export interface MultiMetricRow {
  label: string;
  values: (number | null)[];
  /** Indices of the runs with the best value (empty: a tie of all, a count, or fewer than two values). */
  best: number[];
}

/** One row per metric that some run has, one value per run; the best value(s) marked. */
export function multiComparisonRows(reports: readonly TrainReport[], split: SplitName): MultiMetricRow[] {
  const rows: MultiMetricRow[] = [];
  for (const def of METRICS) {
    const values = reports.map((r) => {
      const v = def.get(r, split);
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    });
    if (values.every((v) => v === null)) continue;
    const present = values.filter((v): v is number => v !== null);
    let best: number[] = [];
    if (def.key !== 'n' && present.length >= 2) {
      const target = def.lowerIsBetter ? Math.min(...present) : Math.max(...present);
      best = values.flatMap((v, i) => (v === target ? [i] : []));
      if (best.length === values.length) best = [];
    }
    rows.push({ label: def.label, values, best });
  }
  return rows;
}

/** A run's settings with the target and features it actually used (an empty list meant "guess" / "all"). */
export function resolvedSettings(run: Pick<RunRecord, 'settings' | 'report'>): TrainSettings {
  const columns = [...new Set(run.report.model.features.map((f) => f.column))];
  return { ...run.settings, target: run.report.data.target, features: columns };
}

/** Settings that differ between the runs, as [name, value of each run]; settings all runs share are left out. */
export function settingsDiff(...all: TrainSettings[]): [string, ...string[]][] {
  const keys = new Set(all.flatMap((s) => Object.keys(s))) as Set<keyof TrainSettings>;
  const show = (v: unknown) => (v === undefined ? '—' : Array.isArray(v) ? (v.length ? v.join(', ') : '(all)') : String(v));
  const out: [string, ...string[]][] = [];
  for (const k of keys) {
    const values = all.map((s) => show(s[k]));
    if (values.some((v) => v !== values[0])) out.push([k, ...values]);
  }
  return out;
}

export interface CoefBar {
  /** The group: the feature, or "feature · class" for a model with several outputs. */
  group: string;
  /** Index of the run in the comparison (its letter and colour). */
  run: number;
  letter: string;
  value: number;
}

/**
 * Coefficients of every run, grouped by feature (and output), in `units`: the groups in the first
 * run's feature order (features only later runs have follow), the `limit` groups with the largest
 * |coefficient| over the runs when there are more. A run without a feature has no bar in its group.
 */
export function coefficientBars(runs: readonly Pick<RunRecord, 'report'>[], units: 'original' | 'standardized', limit = 30): { bars: CoefBar[]; groups: string[]; total: number } {
  const perRun = runs.map((r) => coefficientRows(r.report.model));
  const multi = runs.some((r) => r.report.model.kind !== 'binary');
  const name = (row: { feature: string; outputName: string }) => (multi ? `${row.feature} · ${row.outputName}` : row.feature);
  const order: string[] = [];
  const largest = new Map<string, number>();
  const bars: CoefBar[] = [];
  perRun.forEach((rows, i) => {
    for (const row of rows) {
      const group = name(row);
      const value = row[units];
      if (!largest.has(group)) order.push(group);
      largest.set(group, Math.max(largest.get(group) ?? 0, Number.isFinite(value) ? Math.abs(value) : 0));
      bars.push({ group, run: i, letter: runLetter(i), value });
    }
  });
  const groups = order.length > limit ? [...order].sort((a, b) => largest.get(b)! - largest.get(a)! || order.indexOf(a) - order.indexOf(b)).slice(0, limit) : order;
  const keep = new Set(groups);
  return { bars: bars.filter((b) => keep.has(b.group) && Number.isFinite(b.value)), groups, total: order.length };
}
