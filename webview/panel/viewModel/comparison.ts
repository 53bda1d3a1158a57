/**
 * "Compare solvers" as plot rows and table rows (pure): the gap to the best objective, F - F*, of
 * every solver against iterations, passes over the data or wall time. Gaps at or below the floor
 * (F* at float64 resolution: 1e-16 · max(1, |F*|)) are drawn at the floor, so the log scale can show
 * the solver that reached F*; non-finite objectives (a diverged run) are left out.
 */
import type { SolverComparison, SolverTrace } from '../../../src/core/run/compareSolvers';

export type CompareAxis = 'iterations' | 'passes' | 'time';

export const AXIS_LABELS: Record<CompareAxis, string> = {
  iterations: 'iteration (epoch for SGD and mini-batch)',
  passes: 'passes over the training rows',
  time: 'wall time (ms)',
};

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

const STOP_WORDS: Record<SolverTrace['stopReason'], string> = {
  converged: 'converged',
  'max-iter': 'iteration limit',
  stopped: 'stopped',
  diverged: 'diverged',
  'precision-limit': 'precision limit',
  'time-budget': 'time budget',
};

export function comparisonRows(c: SolverComparison): ComparisonRow[] {
  return c.traces.map((t) => {
    const last = t.objective.length - 1;
    return {
      solver: t.label,
      iterations: t.iterations[last],
      passes: t.passes[last],
      timeMs: t.timeMs[last],
      passesToTol: t.passesToTol,
      timeToTolMs: t.timeToTolMs,
      finalGap: t.objective[last] - c.best,
      stop: STOP_WORDS[t.stopReason] ?? t.stopReason,
    };
  });
}
