/**
 * L-BFGS for the smooth objective (strong-Wolfe line search) and OWL-QN (Andrew & Gao 2007) when the
 * objective has an L1 part: quasi-Newton directions from the pseudo-gradient, restricted to the current
 * orthant, with a projected backtracking line search.
 */
import type { LinearModelLoss } from '../model/loss';
import { STALL_MESSAGE, WolfeLineSearch } from './lineSearch';
import { StandardizingPreconditioner } from './precondition';
import { Progress } from './progress';
import { dot, infNorm, l1Norm, pseudoGradient } from './prox';
import type { SolverOptions, SolverResult } from './types';

/**
 * Correction pairs kept: up to 30 (a 100k x 50 x 10 softmax fit to tol 1e-8: 43 iterations with 10
 * pairs, 37 with 30), fewer for big models so that the pairs take at most MEMORY_BYTES, never under
 * 10 (scikit-learn's and L-BFGS-B's default).
 */
const MAX_MEMORY = 30;
const MIN_MEMORY = 10;
const MEMORY_BYTES = 16 * 1024 * 1024;

/** Pairs to keep for n parameters. */
function lbfgsMemorySize(n: number): number {
  return Math.max(MIN_MEMORY, Math.min(MAX_MEMORY, Math.floor(MEMORY_BYTES / (16 * n))));
}
const MAX_ITER_ADVICE = 'raise --max-iter, loosen --tol or standardize the features';

/** Limited-memory inverse-Hessian approximation (two-loop recursion) with H₀ = γ T D Tᵀ (see precondition.ts). */
class LbfgsMemory {
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private readonly rho: number[] = [];
  private readonly alpha: Float64Array;
  private readonly capacity: number;
  private head = 0;
  private size = 0;

  constructor(private readonly n: number, private readonly h0: StandardizingPreconditioner) {
    this.capacity = lbfgsMemorySize(n);
    this.alpha = new Float64Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) {
      this.s.push(new Float64Array(n));
      this.y.push(new Float64Array(n));
      this.rho.push(0);
    }
  }

  get empty(): boolean {
    return this.size === 0;
  }

  clear(): void {
    this.size = 0;
  }

  /** Stores the pair (s = x1 - x0, y = g1 - g0) when sᵀy > 0; returns whether it did. */
  push(x1: Float64Array, x0: Float64Array, g1: Float64Array, g0: Float64Array): boolean {
    const s = this.s[this.head];
    const y = this.y[this.head];
    let sy = 0;
    let yy = 0;
    for (let j = 0; j < this.n; j++) {
      s[j] = x1[j] - x0[j];
      y[j] = g1[j] - g0[j];
      sy += s[j] * y[j];
      yy += y[j] * y[j];
    }
    if (!(sy > 1e-16 * yy) || !Number.isFinite(sy)) return false;
    this.rho[this.head] = 1 / sy;
    this.head = (this.head + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    return true;
  }

  /** out = -H q with H₀ = γ T D Tᵀ, γ = sᵀy / (yᵀ T D Tᵀ y) of the newest pair (γ = 1 when empty). */
  direction(q: Float64Array, out: Float64Array): void {
    out.set(q);
    for (let t = 1; t <= this.size; t++) {
      const i = (this.head - t + this.capacity) % this.capacity;
      const a = this.rho[i] * dot(this.s[i], out);
      this.alpha[i] = a;
      const y = this.y[i];
      for (let j = 0; j < this.n; j++) out[j] -= a * y[j];
    }
    this.h0.apply(out, out);
    if (this.size > 0) {
      const newest = (this.head - 1 + this.capacity) % this.capacity;
      const gamma = 1 / (this.rho[newest] * this.h0.norm2(this.y[newest]));
      for (let j = 0; j < this.n; j++) out[j] *= gamma;
    }
    for (let t = this.size; t >= 1; t--) {
      const i = (this.head - t + this.capacity) % this.capacity;
      const b = this.rho[i] * dot(this.y[i], out);
      const s = this.s[i];
      const c = this.alpha[i] - b;
      for (let j = 0; j < this.n; j++) out[j] += c * s[j];
    }
    for (let j = 0; j < this.n; j++) out[j] = -out[j];
  }
}

/** L-BFGS (or OWL-QN when loss.l1Strength > 0) from theta (modified in place). */
export function lbfgs(loss: LinearModelLoss, theta: Float64Array, options: SolverOptions): SolverResult {
  return loss.l1Strength > 0 ? owlqn(loss, theta, options) : smoothLbfgs(loss, theta, options);
}

function smoothLbfgs(loss: LinearModelLoss, x: Float64Array, options: SolverOptions): SolverResult {
  const progress = new Progress(options);
  const n = loss.nParams;
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const memory = new LbfgsMemory(n, new StandardizingPreconditioner(loss));
  const search = new WolfeLineSearch(loss);
  let f = loss.lossGradient(x, g);
  let gnorm = infNorm(g);
  const started = progress.begin(x, f, gnorm);
  if (started) return started;
  for (let it = 1; it <= progress.maxIter; it++) {
    memory.direction(g, d);
    let dphi0 = dot(g, d);
    if (!(dphi0 < 0)) {
      memory.clear();
      memory.direction(g, d);
      dphi0 = dot(g, d);
    }
    let ls = search.search(x, f, dphi0, d, memory.empty ? 1 / Math.sqrt(-dphi0) : 1);
    if (!ls.ok && !memory.empty) {
      memory.clear();
      memory.direction(g, d);
      dphi0 = dot(g, d);
      ls = search.search(x, f, dphi0, d, 1 / Math.sqrt(-dphi0));
    }
    if (!ls.ok) return progress.result(x, it - 1, f, gnorm, 'precision-limit', STALL_MESSAGE);
    memory.push(search.theta, x, search.grad, g);
    f = ls.f;
    gnorm = search.moveTo(x, g);
    const reason = progress.report(it, x, f, gnorm);
    if (reason) return progress.result(x, it, f, gnorm, reason);
  }
  return progress.maxIterResult(x, f, gnorm, MAX_ITER_ADVICE);
}

const OWL_C1 = 1e-4;
const OWL_APPROX_EPS = 1e-11;

function owlqn(loss: LinearModelLoss, x: Float64Array, options: SolverOptions): SolverResult {
  const progress = new Progress(options);
  const n = loss.nParams;
  const mask = loss.penalizedMask;
  const lambda = loss.l1Strength;
  const g = new Float64Array(n);
  const pg = new Float64Array(n);
  const d = new Float64Array(n);
  const orthant = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  const pgt = new Float64Array(n);
  const memory = new LbfgsMemory(n, new StandardizingPreconditioner(loss));
  let f = loss.lossGradient(x, g) + l1Norm(x, mask, lambda);
  let pgnorm = pseudoGradient(x, g, mask, lambda, pg);
  const started = progress.begin(x, f, pgnorm);
  if (started) return started;
  const eps = () => OWL_APPROX_EPS * Math.abs(f);
  for (let it = 1; it <= progress.maxIter; it++) {
    let accepted = false;
    for (let attempt = 0; attempt < 2 && !accepted; attempt++) {
      if (attempt === 1) {
        if (memory.empty) break;
        memory.clear();
      }
      memory.direction(pg, d);
      for (let j = 0; j < n; j++) {
        if (mask[j] && d[j] * pg[j] >= 0) d[j] = 0;
        orthant[j] = x[j] !== 0 ? Math.sign(x[j]) : -Math.sign(pg[j]);
      }
      let alpha = memory.empty ? 1 / Math.sqrt(Math.max(-dot(pg, d), Number.MIN_VALUE)) : 1;
      for (let k = 0; k < 60; k++) {
        for (let j = 0; j < n; j++) {
          let v = x[j] + alpha * d[j];
          if (mask[j] && Math.sign(v) !== orthant[j]) v = 0;
          xt[j] = v;
        }
        const ft = loss.lossGradient(xt, gt) + l1Norm(xt, mask, lambda);
        let decrease = 0;
        for (let j = 0; j < n; j++) decrease += pg[j] * (xt[j] - x[j]);
        if (Number.isFinite(ft) && decrease < 0) {
          if (ft <= f + OWL_C1 * decrease) accepted = true;
          else if (ft <= f + eps()) {
            pseudoGradient(xt, gt, mask, lambda, pgt);
            let slope = 0;
            for (let j = 0; j < n; j++) slope += pgt[j] * (xt[j] - x[j]);
            accepted = slope <= (1 - 2 * OWL_C1) * -decrease;
          }
          if (accepted) {
            memory.push(xt, x, gt, g);
            x.set(xt);
            g.set(gt);
            f = ft;
            break;
          }
        }
        alpha *= 0.5;
      }
    }
    if (!accepted) return progress.result(x, it - 1, f, pgnorm, 'precision-limit', STALL_MESSAGE);
    pgnorm = pseudoGradient(x, g, mask, lambda, pg);
    const reason = progress.report(it, x, f, pgnorm);
    if (reason) return progress.result(x, it, f, pgnorm, reason);
  }
  return progress.maxIterResult(x, f, pgnorm, MAX_ITER_ADVICE);
}
