/**
 * Newton's method (IRLS) on the smooth objective: dense Hessian + Cholesky for up to DENSE_LIMIT
 * parameters, Newton-CG with Hessian-vector products beyond; every step goes through the strong-Wolfe
 * line search (so the full step is taken near the optimum).
 *
 * The symmetric softmax form is invariant to a common shift of the intercepts (and, without an L2 part,
 * of the coefficients): its Hessian is singular along those directions and the gradient is orthogonal
 * to them. The dense path adds c·u uᵀ for each such unit direction u (c = mean diagonal), which leaves the
 * Newton step unchanged but makes the matrix positive definite. Unused intercept slots get a unit
 * diagonal. L1 and elastic-net penalties are refused: use lbfgs (OWL-QN) or a proximal gradient solver.
 */
import type { LinearModelLoss } from '../model/loss';
import { STALL_MESSAGE, WolfeLineSearch } from './lineSearch';
import { Progress } from './progress';
import { dot, infNorm } from './prox';
import type { SolverOptions, SolverResult } from './types';

const DENSE_LIMIT = 500;

/** What both Newton solvers advise when they run out of iterations. */
export const NEWTON_MAX_ITER_ADVICE = 'raise --max-iter; with no penalty the data may be separable (no finite optimum): add an L2 penalty';

/** The Newton solvers' refusal of L1 and elastic net (their Hessian needs a smooth objective). */
export function requireSmoothPenalty(loss: LinearModelLoss, solver: 'newton' | 'newton-cholesky'): void {
  if (loss.l1Strength > 0) {
    throw new Error(`The ${solver} solver handles only L2 or no penalty; for L1 or elastic net use --solver lbfgs (OWL-QN) or gd/sgd/minibatch (proximal steps).`);
  }
}

export function newton(loss: LinearModelLoss, x: Float64Array, options: SolverOptions): SolverResult {
  requireSmoothPenalty(loss, 'newton');
  const progress = new Progress(options);
  const n = loss.nParams;
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const search = new WolfeLineSearch(loss);
  let f = loss.lossGradient(x, g);
  let gnorm = infNorm(g);
  const started = progress.begin(x, f, gnorm);
  if (started) return started;
  for (let it = 1; it <= progress.maxIter; it++) {
    if (n <= DENSE_LIMIT) denseNewtonStep(loss, x, g, d);
    else newtonCgStep(loss, x, g, d);
    let dphi0 = dot(g, d);
    if (!(dphi0 < 0)) {
      for (let j = 0; j < n; j++) d[j] = -g[j];
      dphi0 = dot(g, d);
    }
    const ls = search.search(x, f, dphi0, d, 1);
    if (!ls.ok) return progress.result(x, it - 1, f, gnorm, 'precision-limit', STALL_MESSAGE);
    f = ls.f;
    gnorm = search.moveTo(x, g);
    const reason = progress.report(it, x, f, gnorm);
    if (reason) return progress.result(x, it, f, gnorm, reason);
  }
  return progress.maxIterResult(x, f, gnorm, NEWTON_MAX_ITER_ADVICE);
}

/** d = -H⁻¹ g with the dense Hessian, regularized along the known null directions (see the module comment). */
function denseNewtonStep(loss: LinearModelLoss, x: Float64Array, g: Float64Array, d: Float64Array): void {
  const n = loss.nParams;
  const H = loss.hessian(x);
  const c = regularizeNullDirections(loss, H);
  // Falls back to steepest descent if even a large ridge does not make H positive definite.
  for (let j = 0; j < n; j++) d[j] = -g[j];
  const L = new Float64Array(n * n);
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 * c : ridge * 100) {
    L.set(H);
    for (let p = 0; p < n; p++) L[p * n + p] += ridge;
    if (cholesky(L, n)) {
      choleskySolve(L, n, d);
      return;
    }
    if (ridge > c) return;
  }
}

/**
 * Makes the dense Hessian H of `loss` (nParams², row-major, in place) positive definite along the
 * directions its objective is flat in, without changing the Newton step (the gradient is orthogonal to
 * them): a unit diagonal for unused intercepts, and, multinomial, c·u uᵀ along each common shift u of the
 * intercepts (and of each coefficient without an L2 part). Returns c, the mean diagonal (1 if zero).
 */
export function regularizeNullDirections(loss: LinearModelLoss, H: Float64Array): number {
  const n = loss.nParams;
  const stride = loss.d + 1;
  let trace = 0;
  for (let p = 0; p < n; p++) trace += H[p * n + p];
  const c = trace / n || 1;
  const R = loss.nCoefRows;
  if (!loss.fitIntercept) for (let k = 0; k < R; k++) H[(k * stride + loss.d) * (n + 1)] = 1;
  if (R > 1) {
    const shift = (slot: number): void => {
      for (let k = 0; k < R; k++) for (let l = 0; l < R; l++) H[(k * stride + slot) * n + l * stride + slot] += c / R;
    };
    if (loss.fitIntercept) shift(loss.d);
    if (loss.l2Strength === 0) for (let j = 0; j < loss.d; j++) shift(j);
  }
  return c;
}

/** In-place lower Cholesky factor of the n × n row-major matrix A; false if A is not positive definite. */
export function cholesky(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = A[rj + j];
    for (let k = 0; k < j; k++) s -= A[rj + k] * A[rj + k];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    A[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = A[ri + j];
      for (let k = 0; k < j; k++) t -= A[ri + k] * A[rj + k];
      A[ri + j] = t / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ z = b in place (b ← z). */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let t = b[i];
    for (let k = 0; k < i; k++) t -= L[i * n + k] * b[k];
    b[i] = t / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let t = b[i];
    for (let k = i + 1; k < n; k++) t -= L[k * n + i] * b[k];
    b[i] = t / L[i * n + i];
  }
}

/** d ≈ -H⁻¹ g by conjugate gradients with Hessian-vector products (forcing term min(0.5, √||g||)). */
function newtonCgStep(loss: LinearModelLoss, x: Float64Array, g: Float64Array, d: Float64Array): void {
  const n = loss.nParams;
  const hv = loss.hessianProduct(x);
  const r = new Float64Array(n);
  const p = new Float64Array(n);
  const Hp = new Float64Array(n);
  d.fill(0);
  for (let j = 0; j < n; j++) r[j] = -g[j];
  p.set(r);
  let rr = dot(r, r);
  const gnorm = Math.sqrt(rr);
  const target = Math.min(0.5, Math.sqrt(gnorm)) * gnorm;
  for (let k = 0; k < 2 * n && Math.sqrt(rr) > target; k++) {
    hv(p, Hp);
    const pHp = dot(p, Hp);
    if (!(pHp > 0)) {
      if (k === 0) d.set(r);
      return;
    }
    const a = rr / pHp;
    for (let j = 0; j < n; j++) {
      d[j] += a * p[j];
      r[j] -= a * Hp[j];
    }
    const rrNew = dot(r, r);
    const beta = rrNew / rr;
    rr = rrNew;
    for (let j = 0; j < n; j++) p[j] = r[j] + beta * p[j];
  }
}
