/** Bookkeeping every solver shares: the relative stopping test, the per-iteration callback, the result. */
import type { SolverOptions, SolverResult, StopReason } from './types';

export const DEFAULT_MAX_ITER = 1000;
export const DEFAULT_TOL = 1e-8;

export class Progress {
  readonly maxIter: number;
  readonly tol: number;
  private readonly onIteration: SolverOptions['onIteration'];
  private threshold = 0;
  private gradientNorm0 = 0;
  private readonly reference: number | undefined;

  constructor(options: SolverOptions) {
    this.reference = options.gradientReference !== undefined && options.gradientReference > 0 ? options.gradientReference : undefined;
    this.maxIter = options.maxIter ?? DEFAULT_MAX_ITER;
    this.tol = options.tol ?? DEFAULT_TOL;
    this.onIteration = options.onIteration;
  }

  /** Fixes the threshold tol · ||pg(θ0)||_∞; true when θ0 already satisfies it. */
  private start(gradientNorm0: number): boolean {
    this.gradientNorm0 = gradientNorm0;
    this.threshold = this.tol * (this.reference ?? gradientNorm0);
    return gradientNorm0 <= this.threshold;
  }

  /**
   * The start every solver shares, at θ0 with its objective and (projected) gradient norm: a result to
   * return at once (a non-finite start diverged; a start that already meets tol converged), else null
   * with the stopping threshold fixed.
   */
  begin(theta: Float64Array, objective: number, gradientNorm: number): SolverResult | null {
    if (!Number.isFinite(objective) || Number.isNaN(gradientNorm)) {
      return this.result(theta, 0, objective, gradientNorm, 'diverged', 'The objective is not finite at the starting point: check the data for huge values or standardize the features.');
    }
    return this.start(gradientNorm) ? this.result(theta, 0, objective, gradientNorm, 'converged') : null;
  }

  /**
   * Reports one finished iteration; returns 'converged', 'stopped' (callback asked to stop) or null.
   * `alsoConverged`: a solver's further test that must hold with the gradient's (default true).
   */
  report(iteration: number, theta: Float64Array, objective: number, gradientNorm: number, alsoConverged = true): StopReason | null {
    const stop = this.onIteration?.({ iteration, objective, gradientNorm, theta }) === true;
    if (gradientNorm <= this.threshold && alsoConverged) return 'converged';
    return stop ? 'stopped' : null;
  }

  /** ||pg||_∞ relative to its value at θ0, for messages. */
  relative(gradientNorm: number): string {
    return (gradientNorm / this.gradientNorm0).toExponential(1);
  }

  result(theta: Float64Array, iterations: number, objective: number, gradientNorm: number, stopReason: StopReason, message?: string): SolverResult {
    const r: SolverResult = { theta, iterations, converged: stopReason === 'converged', gradientNorm, objective, stopReason };
    if (message !== undefined) r.message = message;
    return r;
  }

  /** The result of running out of iterations at θ, with the standard message and the solver's advice. */
  maxIterResult(theta: Float64Array, objective: number, gradientNorm: number, advice: string): SolverResult {
    return this.result(theta, this.maxIter, objective, gradientNorm, 'max-iter', this.maxIterMessage(gradientNorm, advice));
  }

  /** The standard message for running out of iterations. */
  maxIterMessage(gradientNorm: number, advice: string): string {
    return `Did not converge in ${this.maxIter} iterations (projected gradient at ${this.relative(gradientNorm)} of its start, tol ${this.tol}): ${advice}.`;
  }
}
