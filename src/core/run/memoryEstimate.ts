/**
 * Whether a training problem fits in memory, decided from its size rather than a fixed count of
 * columns: wide data (thousands of text or genomics features, up to MAX_COLUMNS) trains when its
 * matrices fit, and a problem that would not fit is refused before fitting with one message saying
 * how much it needs.
 */
import { DataError } from '../diagnostics';
import type { SolverName } from '../optimize/types';

export interface TrainingShape {
  rows: number;
  /** Encoded features (one-hot levels count one each). */
  features: number;
  /** Linear outputs: 1 (binary), K (multinomial, one-vs-rest) or L (multilabel). */
  outputs: number;
  solver: SolverName;
}

/**
 * Bytes a fit of this shape holds at its peak: the design matrix and its split copies, the solver's
 * state (L-BFGS keeps 10 pairs of parameter vectors; Newton a dense Hessian), and the n x K decision
 * values, probabilities and residuals.
 */
export function trainingBytes(s: TrainingShape): number {
  const p = (s.features + 1) * s.outputs;
  let bytes = 8 * s.rows * s.features * 2 + 8 * p * 32 + 8 * s.rows * s.outputs * 4;
  if (s.solver === 'newton') bytes += 8 * p * p * 2;
  // newton-cholesky: the Hessian, the trial point's, the Cholesky factor and one per pool thread.
  if (s.solver === 'newton-cholesky') bytes += 8 * p * p * 4;
  return bytes;
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 2)} GB`;

/** Throws a DataError (exit 2) when the fit needs more than `availableBytes`. */
export function checkTrainingMemory(s: TrainingShape, availableBytes: number, file: string): void {
  const need = trainingBytes(s);
  if (need <= availableBytes) return;
  const hint = (s.solver === 'newton' || s.solver === 'newton-cholesky') && trainingBytes({ ...s, solver: 'lbfgs' }) <= availableBytes
    ? `the ${s.solver} solver stores a dense Hessian: use --solver lbfgs`
    : 'select fewer --features, or train with --stream (bounded memory)';
  throw new DataError({
    code: 'data.too-large',
    file,
    message: `training ${s.rows.toLocaleString('en-US')} rows x ${s.features.toLocaleString('en-US')} features x ${s.outputs} output(s) with the ${s.solver} solver needs about ${gb(need)}, more than the ${gb(availableBytes)} of memory available; ${hint}`,
  });
}
