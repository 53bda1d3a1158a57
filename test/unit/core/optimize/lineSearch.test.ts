/**
 * The Wolfe line search at the precision limit: where φ changes by less than rounding can resolve, its
 * values are noise and the bracket must follow the sign of φ' (it once spent all 40 evaluations
 * shrinking towards α = 0 because every noisy value looked higher than φ(0)).
 */
import { describe, expect, it } from 'vitest';
import type { LinearModelLoss } from '../../../../src/core/model/loss';
import { WolfeLineSearch } from '../../../../src/core/optimize/lineSearch';

/**
 * φ(θ) = 1 + ½(θ - 1)² in one parameter, with the quadratic part far below the 1e-11 relative change
 * the search can resolve, and an adversarial rounding error: every point but θ0 reads 1e-12 higher.
 */
function flatLoss(theta0: number): { loss: LinearModelLoss; evaluations: () => number } {
  let evaluations = 0;
  const loss = {
    nParams: 1,
    lossGradient(theta: Float64Array, grad: Float64Array): number {
      evaluations++;
      const t = theta[0];
      grad[0] = t - 1;
      return 1 + 0.5 * (t - 1) ** 2 + (t === theta0 ? 0 : 1e-12);
    },
  } as unknown as LinearModelLoss;
  return { loss, evaluations: () => evaluations };
}

describe('WolfeLineSearch where φ is flat to rounding', () => {
  const x0 = 1 - 1e-6;
  const g0 = x0 - 1; // -1e-6
  const f0 = 1 + 0.5 * g0 * g0;

  it('brackets by the derivative and accepts a step whose slope satisfies the approximate Wolfe test', () => {
    // d overshoots: α = 1 lands at 1 + 3e-6 where φ' > 0. Acceptable slopes -0.9e-6 ≤ θ - 1 ≤ ~1e-6,
    // i.e. α in [0.025, 0.5]; the values (all 1e-12 above φ(0)) say nothing.
    const d = Float64Array.of(4e-6);
    const { loss, evaluations } = flatLoss(x0);
    const search = new WolfeLineSearch(loss);
    const result = search.search(Float64Array.of(x0), f0, g0 * d[0], d, 1);
    expect(result.ok).toBe(true);
    expect(result.alpha).toBeGreaterThanOrEqual(0.025);
    expect(result.alpha).toBeLessThanOrEqual(0.5);
    expect(search.theta[0]).toBeCloseTo(x0 + result.alpha * d[0], 15);
    expect(search.grad[0]).toBeCloseTo(search.theta[0] - 1, 15);
    expect(evaluations()).toBeLessThanOrEqual(4);
  });

  it('extends a step that is still descending instead of zooming towards α = 0', () => {
    // α = 1 reaches only 1 - 0.99e-6 (slope still -0.99e-6 < 0.9 φ'(0)): the search must go further.
    const d = Float64Array.of(1e-8);
    const { loss, evaluations } = flatLoss(x0);
    const search = new WolfeLineSearch(loss);
    const result = search.search(Float64Array.of(x0), f0, g0 * d[0], d, 1);
    expect(result.ok).toBe(true);
    const slope = search.grad[0] * d[0];
    expect(slope).toBeGreaterThanOrEqual(0.9 * g0 * d[0]);
    expect(slope).toBeLessThanOrEqual(-(1 - 2e-4) * g0 * d[0]);
    expect(evaluations()).toBeLessThanOrEqual(8);
  });
});
