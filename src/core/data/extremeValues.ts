/**
 * Values too large to fit: after imputation and scaling every feature value must be a finite number
 * of moderate size, or the decision values, gradients and Hessians overflow (a raw 1e308 times a
 * weight of 2 is already infinite) and the fit ends in NaN. Standardization brings ordinary columns
 * to a few units, so this only refuses what no fit can use: an infinite value, or a raw (unscaled)
 * value beyond 1e150 in magnitude, whose square overflows.
 */
import { DataError } from '../diagnostics';
import type { Preprocessor } from './preprocess';

/** Largest magnitude of a preprocessed feature value that training accepts. */
export const MAX_SCALED_VALUE = 1e150;

/**
 * Throws a DataError naming the column, the value and its file line when a row of X (n x d, raw
 * units, NaN = missing) would be non-finite or beyond MAX_SCALED_VALUE after preprocessing.
 * lineOf(i) is the file line of row i. The plain form of the check: training runs make it while
 * they standardize (preprocess.ts takeScaledRows / takeScaledParts, tested against this).
 */
export function checkScaledRange(X: Float64Array, n: number, d: number, p: Preprocessor, featureNames: string[], lineOf: (i: number) => number, file: string): void {
  const { imputeMean, mean, scale } = p;
  for (let i = 0, o = 0; i < n; i++, o += d) {
    for (let j = 0; j < d; j++) {
      const v = X[o + j];
      const t = ((v === v ? v : imputeMean[j]) - mean[j]) / scale[j];
      if (t <= MAX_SCALED_VALUE && t >= -MAX_SCALED_VALUE) continue;
      throw extremeValueError(featureNames[j], v, p.standardize, lineOf(i), file);
    }
  }
}

/** The DataError for value v of a column that preprocessing cannot bring to a usable size. */
export function extremeValueError(column: string, v: number, standardize: boolean, line: number | undefined, file: string): DataError {
  const how = !Number.isFinite(v)
    ? 'is not a finite number'
    : standardize
      ? 'is too far from the rest of the column to standardize'
      : `is beyond ±${MAX_SCALED_VALUE} and cannot be fitted on raw units; keep standardization on (drop --no-standardize) or rescale the column`;
  return new DataError({ code: 'data.extreme-value', file, line, message: `column '${column}' has the value ${v}, which ${how}` });
}

/** The DataError for a column whose streamed statistics overflowed float64 (values near 1.8e308). */
export function overflowingColumnError(column: string, file: string): DataError {
  return new DataError({ code: 'data.extreme-value', file, message: `column '${column}' has values too large to standardize while streaming (its mean or variance overflows float64); rescale the column, or train in memory (without --stream)` });
}

/** Per-column smallest and largest values seen (NaN = missing, skipped) and their file lines, for a streamed file. */
export class ColumnExtremes {
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly minLine: Float64Array;
  readonly maxLine: Float64Array;
  constructor(readonly d: number) {
    this.min = new Float64Array(d).fill(Infinity);
    this.max = new Float64Array(d).fill(-Infinity);
    this.minLine = new Float64Array(d);
    this.maxLine = new Float64Array(d);
  }

  /** Adds rows [0, n) of X (n x d); line[i] is row i's file line. */
  add(X: Float64Array, n: number, line: ArrayLike<number>): void {
    const d = this.d;
    for (let i = 0, o = 0; i < n; i++, o += d) {
      for (let j = 0; j < d; j++) {
        const v = X[o + j];
        if (v < this.min[j]) {
          this.min[j] = v;
          this.minLine[j] = line[i];
        }
        if (v > this.max[j]) {
          this.max[j] = v;
          this.maxLine[j] = line[i];
        }
      }
    }
  }

  /**
   * Throws when a column's statistics overflowed, or its smallest or largest value is beyond
   * MAX_SCALED_VALUE after scaling (the streamed counterpart of checkScaledRange).
   */
  check(p: Omit<Preprocessor, 'standardize'>, standardize: boolean, featureNames: string[], file: string): void {
    for (let j = 0; j < this.d; j++) {
      if (!Number.isFinite(p.imputeMean[j]) || !Number.isFinite(p.mean[j]) || !Number.isFinite(p.scale[j])) throw overflowingColumnError(featureNames[j], file);
      for (const [v, line] of [[this.min[j], this.minLine[j]], [this.max[j], this.maxLine[j]]]) {
        const t = (v - p.mean[j]) / p.scale[j];
        if (Number.isFinite(v) && !(t <= MAX_SCALED_VALUE && t >= -MAX_SCALED_VALUE)) throw extremeValueError(featureNames[j], v, standardize, line, file);
      }
    }
  }
}
