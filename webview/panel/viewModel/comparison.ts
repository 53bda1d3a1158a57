/**
 * "Compare solvers" as plot rows and table rows (pure): the gap to the best objective, F - F*, of
 * every solver against iterations, passes over the data or wall time. Gaps at or below the floor
 * (F* at float64 resolution: 1e-16 · max(1, |F*|)) are drawn at the floor, so the log scale can show
 * the solver that reached F*; non-finite objectives (a diverged run) are left out.
 */
import type { SolverComparison, SolverTrace } from '../../../src/core/run/compareSolvers';
import { t } from '../../l10n';

export type CompareAxis = 'iterations' | 'passes' | 'time';

/** The x axis's label for each choice, localized. */
export function axisLabel(axis: CompareAxis): string {
  return axis === 'iterations' ? t('iteration (epoch for SGD and mini-batch)') : axis === 'passes' ? t('passes over the training rows') : t('wall time (ms)');
}

export interface GapPoint {
  solver: string;
  /** Index of the solver in the comparison (its colour). */
  k: number;
  x: number;
  gap: number;
}

export function gapFloor(c: SolverComparison): number {
  return 1e-16 * Math.max(1, Math.abs(c.best));
}

function xOf(t: SolverTrace, axis: CompareAxis, i: number): number {
  return axis === 'iterations' ? t.iterations[i] : axis === 'passes' ? t.passes[i] : t.timeMs[i];
}

export function gapPoints(c: SolverComparison, axis: CompareAxis): GapPoint[] {
  const floor = gapFloor(c);
  const out: GapPoint[] = [];
  c.traces.forEach((t, k) => {
    for (let i = 0; i < t.objective.length; i++) {
      const f = t.objective[i];
      if (!Number.isFinite(f)) continue;
      out.push({ solver: t.label, k, x: xOf(t, axis, i), gap: Math.max(f - c.best, floor) });
    }
  });
  return out;
}

export interface ComparisonRow {
  solver: string;
  iterations: number;
  passes: number;
  timeMs: number;
  passesToTol: number | null;
  timeToTolMs: number | null;
  finalGap: number;
  stop: string;
}

function stopWord(reason: SolverTrace['stopReason']): string {
  const words: Record<SolverTrace['stopReason'], string> = {
    converged: t('converged'),
    'max-iter': t('iteration limit'),
    stopped: t('stopped'),
    diverged: t('diverged'),
    'precision-limit': t('precision limit'),
    'time-budget': t('time budget'),
  };
  return words[reason] ?? reason;
}

export function comparisonRows(c: SolverComparison): ComparisonRow[] {
  return c.traces.map((trace) => {
    const last = trace.objective.length - 1;
    return {
      solver: trace.label,
      iterations: trace.iterations[last],
      passes: trace.passes[last],
      timeMs: trace.timeMs[last],
      passesToTol: trace.passesToTol,
      timeToTolMs: trace.timeToTolMs,
      finalGap: trace.objective[last] - c.best,
      stop: stopWord(trace.stopReason),
    };
  });
}
