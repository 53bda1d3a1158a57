/**
 * Finite differences in float64 (objective.md, "Gradient checking conventions"):
 * central differences with the per-component step h_j = cbrt(eps) * max(1, |theta_j|), or the
 * five-point (Richardson) formula with h_j = eps^(1/5) * max(1, |theta_j|), its error-optimal step.
 */
import type { Mat } from './matrix';

const EPS = Number.EPSILON;
const CENTRAL_STEP = Math.cbrt(EPS);
const FIVE_POINT_STEP = EPS ** 0.2;

export interface Differences {
  /** derivative[j] = d f / d theta_j, a vector as long as f's output. */
  derivative: Float64Array[];
  /** Estimated rounding error of each entry of derivative[j] (same layout). */
  noise: Float64Array[];
}

/**
 * Differentiates a vector-valued f (a loss gives length 1, a gradient gives the Hessian's columns)
 * with respect to every entry of theta, in column-major order. `tick` runs before each evaluation so
 * the caller's time limit applies.
 */
export function differences(f: (theta: Mat) => Float64Array, theta: Mat, fivePoint: boolean, tick: () => void): Differences {
  const derivative: Float64Array[] = [];
  const noise: Float64Array[] = [];
  const at = (j: number, delta: number): Float64Array => {
    tick();
    const moved = theta.clone();
    moved.data[j] += delta;
    return f(moved);
  };
  for (let j = 0; j < theta.size; j++) {
    const h = stepOf(theta.data[j], fivePoint);
    const plus = at(j, h);
    const minus = at(j, -h);
    const { d, n } = fivePoint ? quotient(h, plus, minus, at(j, 2 * h), at(j, -2 * h)) : quotient(h, plus, minus);
    derivative.push(d);
    noise.push(n);
  }
  return { derivative, noise };
}

/** The step for a component at x: exactly representable around x, so (x + h) - x === h. */
export function stepOf(x: number, fivePoint: boolean): number {
  return x + (fivePoint ? FIVE_POINT_STEP : CENTRAL_STEP) * Math.max(1, Math.abs(x)) - x;
}

/**
 * The difference quotient of f's outputs at x ± h (and x ± 2h for the five-point formula), with the
 * estimated rounding error of each entry.
 */
export function quotient(
  h: number,
  plus: ArrayLike<number>,
  minus: ArrayLike<number>,
  plus2?: ArrayLike<number>,
  minus2?: ArrayLike<number>,
): { d: Float64Array; n: Float64Array } {
  const d = new Float64Array(plus.length);
  const n = new Float64Array(plus.length);
  for (let k = 0; k < d.length; k++) {
    if (plus2 && minus2) {
      d[k] = (8 * (plus[k] - minus[k]) - (plus2[k] - minus2[k])) / (12 * h);
      n[k] = (EPS * (8 * (Math.abs(plus[k]) + Math.abs(minus[k])) + Math.abs(plus2[k]) + Math.abs(minus2[k]))) / (12 * h);
    } else {
      d[k] = (plus[k] - minus[k]) / (2 * h);
      n[k] = (EPS * (Math.abs(plus[k]) + Math.abs(minus[k]))) / (2 * h);
    }
  }
  return { d, n };
}
