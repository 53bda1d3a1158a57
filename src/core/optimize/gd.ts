/**
 * First-order solvers: batch gradient descent ('gd'), stochastic ('sgd', one row per step) and mini-batch
 * SGD ('minibatch'), each with plain steps, heavy-ball momentum or Adam, a per-epoch learning-rate
 * schedule, and a proximal (soft-threshold) step for the L1 part. Stochastic steps use
 * LinearModelLoss.lossGradientBatch (an unbiased estimate); convergence is checked once per epoch on the
 * full projected gradient, which is also what onIteration reports.
 */
import type { LinearModelLoss } from '../model/loss';
import { Rng } from '../random';
import { Progress } from './progress';
import { l1Norm, pseudoGradient } from './prox';
import { createStepper, scheduleFactor } from './stepper';
import type { OptimizerName, SolverOptions, SolverResult } from './types';

/** Consecutive rises of the objective (above its starting value) that count as divergence. */
const RISE_PATIENCE = 5;
const POWER_ITERATIONS = 30;

export type FirstOrderSolver = 'gd' | 'sgd' | 'minibatch';

export function firstOrder(loss: LinearModelLoss, solver: FirstOrderSolver, x: Float64Array, options: SolverOptions): SolverResult {
  const progress = new Progress(options);
  const n = loss.nParams;
  const rows = loss.n;
  const optimizer: OptimizerName = options.optimizer ?? 'sgd';
  const mu = options.momentum ?? 0.9;
  if (!(mu >= 0 && mu < 1)) throw new Error(`momentum must lie in [0, 1) (got ${mu}).`);
  const batch = solver === 'gd' ? rows : solver === 'sgd' ? 1 : Math.min(options.batchSize ?? 32, rows);
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`batchSize must be a positive integer (got ${options.batchSize}).`);
  const lr0 = options.learningRate ?? defaultLearningRate(loss, solver, optimizer, mu, batch);
  if (!(lr0 > 0 && Number.isFinite(lr0))) throw new Error(`learningRate must be a positive number (got ${lr0}).`);
  const schedule = options.schedule ?? (solver === 'gd' ? 'constant' : 'invscaling');
  const unit = solver === 'gd' ? 'iterations' : 'epochs';

  const mask = loss.penalizedMask;
  const lambda = loss.l1Strength;
  const g = new Float64Array(n);
  const pg = new Float64Array(n);
  const gb = solver === 'gd' ? g : new Float64Array(n);
  const stepper = createStepper(n, optimizer, mu, mask, lambda);
  const update = (grad: Float64Array, eta: number): void => stepper.update(x, grad, eta);

  const evaluate = (): [number, number] => {
    const f = loss.lossGradient(x, g) + l1Norm(x, mask, lambda);
    return [f, pseudoGradient(x, g, mask, lambda, pg)];
  };

  let [f, pgnorm] = evaluate();
  const started = progress.begin(x, f, pgnorm);
  if (started) return started;
  const f0 = f;
  const best = Float64Array.from(x);
  let bestF = f;
  let rises = 0;
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const rng = new Rng(options.seed ?? 0);

  /** Returns the best iterate seen, with a message naming the setting to change. */
  const diverged = (it: number, what: string): SolverResult => {
    x.set(best);
    const [fb, pb] = evaluate();
    return progress.result(x, it, fb, pb, 'diverged', `${what}: lower --learning-rate (now ${lr0}) or use --solver lbfgs.`);
  };

  for (let it = 1; it <= progress.maxIter; it++) {
    const eta = lr0 * scheduleFactor(schedule, it - 1);
    if (solver === 'gd') update(g, eta);
    else {
      rng.shuffle(order);
      for (let start = 0; start < rows; start += batch) {
        loss.lossGradientBatch(x, order, start, Math.min(rows, start + batch), gb);
        update(gb, eta);
      }
    }
    const prev = f;
    [f, pgnorm] = evaluate();
    if (!Number.isFinite(f) || Number.isNaN(pgnorm)) return diverged(it, `The objective became ${f} after ${it} ${unit}`);
    if (f < bestF) {
      bestF = f;
      best.set(x);
    }
    rises = f > prev ? rises + 1 : 0;
    const reason = progress.report(it, x, f, pgnorm);
    if (reason) return progress.result(x, it, f, pgnorm, reason);
    if (rises >= RISE_PATIENCE && f > f0) return diverged(it, `The loss rose for ${RISE_PATIENCE} ${unit}`);
  }
  const advice = solver === 'gd'
    ? 'raise --max-iter, standardize the features, or use --solver lbfgs'
    : 'raise --max-iter or --batch-size, or use --solver lbfgs (stochastic steps approach a tight tolerance slowly)';
  return progress.maxIterResult(x, f, pgnorm, advice);
}

/**
 * 1/L for plain steps, where L bounds the curvature of the objective one step sees: gd the full smooth
 * part L_F (power iteration below); a B-row batch L_F + (L_1 - L_F)/B, interpolating to the single-row
 * bound L_1 (LinearModelLoss.rowLipschitz) for sgd. Stochastic momentum takes (1-μ)/L (its steady-state
 * step is η/(1-μ)). Adam: 0.01.
 */
export function defaultLearningRate(loss: LinearModelLoss, solver: FirstOrderSolver, optimizer: OptimizerName, mu: number, batch: number): number {
  if (optimizer === 'adam') return 0.01;
  const full = smoothLipschitz(loss);
  const L = solver === 'gd' ? full : full + Math.max(0, loss.rowLipschitz() - full) / batch;
  return optimizer === 'momentum' && solver !== 'gd' ? (1 - mu) / L : 1 / L;
}

/**
 * Upper bound on the curvature of the smooth part: the Hessian at θ = 0 has the largest data curvature
 * for binary (σ' ≤ 1/4 is attained at 0); for softmax, diag(p) - ppᵀ ≤ ½ I (Böhning) while at θ = 0 it
 * has eigenvalue 1/K, so the bound is K/2 times the top eigenvalue at 0. Power iteration from a fixed seed.
 */
function smoothLipschitz(loss: LinearModelLoss): number {
  const n = loss.nParams;
  const hv = loss.hessianProduct(new Float64Array(n));
  const rng = new Rng(12345);
  let v = new Float64Array(n);
  let w = new Float64Array(n);
  for (let j = 0; j < n; j++) v[j] = rng.normal();
  let top = 0;
  for (let k = 0; k < POWER_ITERATIONS; k++) {
    let norm = 0;
    for (let j = 0; j < n; j++) norm += v[j] * v[j];
    norm = Math.sqrt(norm);
    if (norm === 0) break;
    for (let j = 0; j < n; j++) v[j] /= norm;
    hv(v, w);
    top = 0;
    for (let j = 0; j < n; j++) top += v[j] * w[j];
    [v, w] = [w, v];
  }
  const scale = loss.kind === 'binary' ? 1 : loss.nClasses / 2;
  return Math.max(scale * top + loss.l2Strength, Number.MIN_VALUE);
}
