/**
 * Newton-Cholesky, as scikit-learn's `newton-cholesky` (sklearn/linear_model/_glm/_newton_solver.py,
 * NewtonCholeskySolver, new in 1.2): each iteration takes the gradient and the dense Hessian in one
 * pass over X (loss.lossGradientHessian: blocked, on the SIMD kernels and both threads where the
 * gradient runs there), solves H s = -g by Cholesky with the penalty on the diagonal, and backtracks
 * from the full step as scikit-learn does:
 *
 *   t = 1, ½, ¼, … (21 tries, down to 2⁻²⁰): accept when F(θ + t s) - F(θ) ≤ t σ gᵀs (σ = 2⁻¹¹), or
 *   when the change is within 16 ε |F(θ)| and ||∇F(θ + t s)||₁ < ||∇F(θ)||₁;
 *
 * and stops when both of scikit-learn's tests hold: max |∇F| ≤ tol and the Newton decrement ½ sᵀ H s ≤ tol.
 * The one difference: tol is relative, as for every solver here (SolverOptions.tol), so both tests use
 * tol · ||∇F(θ0)||_∞ where scikit-learn uses its absolute tol. As in scikit-learn, a Hessian that is not
 * positive definite or is ill-conditioned (the Cholesky factor's squared diagonal spans more than 1/ε),
 * a step that is not a descent direction, or a line search that fails hands the rest of the fit to
 * L-BFGS (here ours, from the current point, to the same absolute threshold).
 *
 * The first trial of each line search asks for the Hessian too (most Newton steps are taken in full),
 * so an accepted full step costs one pass over X per iteration, not two.
 *
 * Multinomial: scikit-learn 1.2 refuses it (its multi_class='auto' turns newton-cholesky into
 * one-vs-rest). Here the same iteration runs on the full K(d+1) Hessian of the symmetric softmax
 * (loss.hessian, one thread), made definite along its flat directions as the newton solver does.
 * L1 and elastic net are refused, as in scikit-learn.
 */
import type { LinearModelLoss } from '../model/loss';
import { lbfgs } from './lbfgs';
import { NEWTON_MAX_ITER_ADVICE, cholesky, choleskySolve, regularizeNullDirections, requireSmoothPenalty } from './newton';
import { Progress } from './progress';
import { dot, infNorm } from './prox';
import type { SolverOptions, SolverResult } from './types';

const BETA = 0.5;
const SIGMA = 0.00048828125;
const LINE_SEARCH_TRIES = 21;
const EPS = 2.220446049250313e-16;

export function newtonCholesky(loss: LinearModelLoss, x: Float64Array, options: SolverOptions): SolverResult {
  requireSmoothPenalty(loss, 'newton-cholesky');
  const progress = new Progress(options);
  const n = loss.nParams;
  let g = new Float64Array(n);
  let gTrial = new Float64Array(n);
  let H = new Float64Array(n * n);
  let hTrial = new Float64Array(n * n);
  const L = new Float64Array(n * n);
  const step = new Float64Array(n);
  const trial = new Float64Array(n);
  let f = loss.lossGradientHessian(x, g, H);
  let gnorm = infNorm(g);
  const started = progress.begin(x, f, gnorm);
  if (started) return started;
  const threshold = progress.tol * gnorm;
  for (let it = 1; it <= progress.maxIter; it++) {
    // Inner solve: H s = -g.
    L.set(H);
    regularizeNullDirections(loss, L);
    for (let p = 0; p < n; p++) step[p] = -g[p];
    const solved = choleskyWellConditioned(L, n);
    if (solved) choleskySolve(L, n, step);
    const gs = dot(g, step);
    if (!solved || !(gs <= 0)) return fallback(loss, x, options, progress, it - 1, threshold, solved ? 'the Newton step is not a descent direction' : 'the Hessian is singular or ill-conditioned');
    const decrement = 0.5 * quadratic(H, step, n);
    // Backtracking line search; the full step's pass also makes the Hessian there.
    let t = 1;
    let accepted = false;
    let withHessian = false;
    let fTrial = NaN;
    const gOld1 = sumAbs(g);
    for (let k = 0; k < LINE_SEARCH_TRIES; k++, t *= BETA) {
      for (let p = 0; p < n; p++) trial[p] = x[p] + t * step[p];
      withHessian = k === 0;
      fTrial = withHessian ? loss.lossGradientHessian(trial, gTrial, hTrial) : loss.lossGradient(trial, gTrial);
      const improvement = fTrial - f;
      if (improvement <= t * SIGMA * gs || (Math.abs(improvement) <= Math.abs(f) * 16 * EPS && sumAbs(gTrial) < gOld1)) {
        accepted = true;
        break;
      }
    }
    if (!accepted) return fallback(loss, x, options, progress, it - 1, threshold, 'the line search found no sufficient decrease in 21 halvings');
    x.set(trial);
    [g, gTrial] = [gTrial, g];
    f = fTrial;
    gnorm = infNorm(g);
    const reason = progress.report(it, x, f, gnorm, decrement <= threshold);
    if (reason) return progress.result(x, it, f, gnorm, reason);
    if (withHessian) [H, hTrial] = [hTrial, H];
    else loss.lossGradientHessian(x, gTrial, H);
  }
  return progress.maxIterResult(x, f, gnorm, NEWTON_MAX_ITER_ADVICE);
}

/**
 * Cholesky factor of A in place; false when A is not positive definite or when the squared diagonal of
 * its factor (the pivots) spans more than 1/ε: scikit-learn's solve warns (LinAlgWarning) and falls back
 * at a reciprocal condition number below ε.
 */
function choleskyWellConditioned(A: Float64Array, n: number): boolean {
  if (!cholesky(A, n)) return false;
  let lo = Infinity;
  let hi = 0;
  for (let p = 0; p < n; p++) {
    const v = A[p * n + p] * A[p * n + p];
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo > hi * EPS;
}

/** ||a||₁. */
function sumAbs(a: Float64Array): number {
  let s = 0;
  for (let p = 0; p < a.length; p++) s += Math.abs(a[p]);
  return s;
}

/** vᵀ H v. */
function quadratic(H: Float64Array, v: Float64Array, n: number): number {
  let s = 0;
  for (let p = 0; p < n; p++) {
    let t = 0;
    for (let q = 0; q < n; q++) t += H[p * n + q] * v[q];
    s += v[p] * t;
  }
  return s;
}

/**
 * scikit-learn's fallback: L-BFGS from the current point for the iterations left, to the same absolute
 * threshold (its tol rescaled to the gradient here); iterations are counted on from `done`.
 */
function fallback(
  loss: LinearModelLoss, x: Float64Array, options: SolverOptions, progress: Progress, done: number, threshold: number, why: string,
): SolverResult {
  const g = new Float64Array(loss.nParams);
  loss.lossGradient(x, g);
  const here = infNorm(g);
  const onIteration = options.onIteration;
  const result = lbfgs(loss, x, {
    ...options,
    maxIter: Math.max(1, progress.maxIter - done),
    tol: here > 0 ? threshold / here : 1,
    onIteration: onIteration && ((info) => onIteration({ ...info, iteration: info.iteration + done })),
  });
  const note = `newton-cholesky handed over to lbfgs after ${done} iteration${done === 1 ? '' : 's'}: ${why}.`;
  return { ...result, iterations: result.iterations + done, message: result.message ? `${note} ${result.message}` : note };
}
