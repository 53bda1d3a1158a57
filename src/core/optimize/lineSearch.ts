/**
 * Line search along a descent direction d of the smooth objective φ(α) = F_s(θ + α d): the strong Wolfe
 * conditions (Nocedal & Wright, Algorithms 3.5 and 3.6, cubic interpolation) with Hager & Zhang's
 * approximate Wolfe test once φ changes by less than rounding can resolve, so that the gradient can be
 * driven far below √eps. Where φ is that flat, its values compare rounding errors, so the bracket is
 * updated by the sign of φ' alone (Hager & Zhang's update; φ is convex here): a search that compared
 * the values spent its 40 evaluations near the precision limit of a 100k x 50 softmax fit.
 */
import type { LinearModelLoss } from '../model/loss';
import { infNorm } from './prox';

const C1 = 1e-4;
const C2 = 0.9;
/** φ(α) ≤ φ(0) + APPROX_EPS·|φ(0)| counts as "no measurable change" (Hager & Zhang's ε, tightened). */
const APPROX_EPS = 1e-11;
const MAX_EVALS = 40;

export interface LineSearchResult {
  ok: boolean;
  alpha: number;
  /** φ(alpha); the point and its gradient are in the searcher's `theta` and `grad`. */
  f: number;
}

/** What a solver says when the line search finds no decrease (StopReason 'precision-limit'). */
export const STALL_MESSAGE = 'The line search could not decrease the objective any further: the gradient is at the limit float64 rounding allows for this data; the result is as accurate as it can be.';

export class WolfeLineSearch {
  /** θ + α d and ∇F_s there, for the returned α. */
  readonly theta: Float64Array;
  readonly grad: Float64Array;
  private x0!: Float64Array;
  private d!: Float64Array;
  private evaluatedAt = NaN;

  constructor(private readonly loss: LinearModelLoss) {
    this.theta = new Float64Array(loss.nParams);
    this.grad = new Float64Array(loss.nParams);
  }

  /** Takes the accepted step: x ← θ + α d, g ← ∇F_s there; returns ||g||_∞. */
  moveTo(x: Float64Array, g: Float64Array): number {
    x.set(this.theta);
    g.set(this.grad);
    return infNorm(g);
  }

  /** Searches from θ = x0 (φ(0) = f0, φ'(0) = dphi0 < 0) starting at α = alpha0. */
  search(x0: Float64Array, f0: number, dphi0: number, d: Float64Array, alpha0: number): LineSearchResult {
    this.x0 = x0;
    this.d = d;
    this.evaluatedAt = NaN;
    const eps = APPROX_EPS * Math.abs(f0);
    const acceptable = (a: number, f: number, dphi: number): boolean =>
      (f <= f0 + C1 * a * dphi0 && Math.abs(dphi) <= -C2 * dphi0) ||
      (f <= f0 + eps && dphi >= C2 * dphi0 && dphi <= (1 - 2 * C1) * -dphi0);
    let evals = 0;
    let aPrev = 0;
    let fPrev = f0;
    let dPrev = dphi0;
    let a = alpha0;
    while (evals < MAX_EVALS) {
      const [f, dphi] = this.evaluate(a);
      evals++;
      if (Number.isFinite(f) && acceptable(a, f, dphi)) return { ok: true, alpha: a, f };
      // A flat φ (see zoom) is bracketed by the derivative alone: below.
      if (!Number.isFinite(f) || (f > f0 + eps && (f > f0 + C1 * a * dphi0 || (aPrev > 0 && f >= fPrev)))) {
        return this.zoom(aPrev, fPrev, dPrev, a, f, dphi, f0, dphi0, eps, acceptable, evals);
      }
      if (dphi >= 0) return this.zoom(a, f, dphi, aPrev, fPrev, dPrev, f0, dphi0, eps, acceptable, evals);
      aPrev = a;
      fPrev = f;
      dPrev = dphi;
      a *= 4;
    }
    return this.finish(aPrev, fPrev, f0);
  }

  private zoom(
    lo: number, fLo: number, dLo: number, hi: number, fHi: number, dHi: number,
    f0: number, dphi0: number, eps: number, acceptable: (a: number, f: number, dphi: number) => boolean, evals: number,
  ): LineSearchResult {
    while (evals < MAX_EVALS) {
      const width = Math.abs(hi - lo);
      if (width <= 1e-16 * Math.max(Math.abs(lo), Math.abs(hi))) break;
      let a = Number.isFinite(fHi) ? cubicMinimizer(lo, fLo, dLo, hi, fHi, dHi) : NaN;
      const lower = Math.min(lo, hi) + 0.1 * width;
      const upper = Math.max(lo, hi) - 0.1 * width;
      if (!(a >= lower && a <= upper)) a = 0.5 * (lo + hi);
      const [f, dphi] = this.evaluate(a);
      evals++;
      if (Number.isFinite(f) && acceptable(a, f, dphi)) return { ok: true, alpha: a, f };
      // Where φ has not measurably left φ(0), comparing values compares rounding: the derivative's sign
      // says which side the minimizer is on (φ is convex), as in Hager & Zhang's update.
      const flat = f <= f0 + eps;
      if (!Number.isFinite(f) || (flat ? dphi * (hi - lo) >= 0 : f > f0 + C1 * a * dphi0 || f >= fLo)) {
        hi = a;
        fHi = f;
        dHi = dphi;
      } else {
        if (!flat && dphi * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dHi = dLo;
        }
        lo = a;
        fLo = f;
        dLo = dphi;
      }
    }
    return this.finish(lo, fLo, f0);
  }

  /** Out of evaluations: accept the best point if it decreased φ, else fail. */
  private finish(a: number, f: number, f0: number): LineSearchResult {
    if (a > 0 && f < f0) {
      if (this.evaluatedAt !== a) this.evaluate(a);
      return { ok: true, alpha: a, f };
    }
    return { ok: false, alpha: 0, f: f0 };
  }

  private evaluate(a: number): [number, number] {
    const { theta, grad, x0, d } = this;
    for (let j = 0; j < theta.length; j++) theta[j] = x0[j] + a * d[j];
    const f = this.loss.lossGradient(theta, grad);
    let dphi = 0;
    for (let j = 0; j < d.length; j++) dphi += grad[j] * d[j];
    this.evaluatedAt = a;
    return [f, dphi];
  }
}

/** Minimizer of the cubic through (a, fa, da) and (b, fb, db); NaN when it has none. */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}
