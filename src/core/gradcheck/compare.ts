/**
 * Comparing an analytic derivative with a numeric one, component by component.
 *
 * Relative error |a - n| / max(|a|, |n|, floor). The floor keeps components whose true value is
 * (near) zero from looking wrong because of rounding: it is the largest of a tiny constant, 1e-3 of
 * the largest numeric component at that point, and 1e7 times the estimated rounding error of the
 * difference quotient (so pure rounding noise stays in the "good" band).
 */
import type { PointValues } from './diagnose';
import type { Mat } from './matrix';
import type { Band, ParamReport } from './types';

const TINY = 1e-12;

export function relativeErrors(analytic: ArrayLike<number>, numeric: ArrayLike<number>, noise: ArrayLike<number>): Float64Array {
  let largest = 0;
  for (let k = 0; k < numeric.length; k++) largest = Math.max(largest, Math.abs(numeric[k]));
  const out = new Float64Array(numeric.length);
  for (let k = 0; k < numeric.length; k++) {
    const a = analytic[k];
    const n = numeric[k];
    const floor = Math.max(TINY, 1e-3 * largest, 1e7 * noise[k]);
    out[k] = Number.isFinite(a) ? Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor) : Infinity;
  }
  return out;
}

export function band(relError: number, bands: { good: number; wrong: number }): Band {
  return relError < bands.good ? 'good' : relError <= bands.wrong ? 'suspicious' : 'wrong';
}

/** "3" for entries of a vector, "2,1" for entries of a matrix (1-based, column-major k). */
export function componentIndex(k: number, shape: readonly [number, number]): string {
  const [rows, cols] = shape;
  if (rows === 1 || cols === 1) return String(k + 1);
  return `${(k % rows) + 1},${Math.floor(k / rows) + 1}`;
}

/** One check point's analytic and numeric values with their relative errors (all Infinity when the shapes differ). */
export function pointValues(analytic: Mat, numeric: Mat, noise: Float64Array): PointValues {
  const sameShape = analytic.rows === numeric.rows && analytic.cols === numeric.cols;
  const relError = sameShape ? relativeErrors(analytic.data, numeric.data, noise) : new Float64Array(numeric.size).fill(Infinity);
  return { analytic, numeric, relError };
}

/** A parameter's report before its check has run: an error with no components, at source line `line` (0: none). */
export function blankReport(name: string, expected: [number, number], line = 0): ParamReport {
  return {
    name,
    verdict: 'error',
    maxRelError: Infinity,
    shapeAnalytic: expected,
    shapeExpected: expected,
    diagnosis: { kind: 'other', message: '' },
    components: [],
    line,
  };
}
