/**
 * "Compare solvers": the same model on the same data (same seed, split and preprocessing as a
 * training run with these settings) fitted by up to eight solvers: batch gradient descent, SGD,
 * mini-batch SGD, gradient descent with momentum, Adam, Newton (IRLS), Newton-Cholesky and L-BFGS
 * (the two Newton solvers with an L2 or no penalty only, Newton-Cholesky on a binary or one-vs-rest
 * output only, as settings.chooseSolver picks it). Each trace records, per
 * iteration (epoch for SGD / mini-batch), the full objective F (what the run's loss curve shows),
 * the passes over the training rows so far and the wall time; the gap to the best objective any of
 * them reached, F - F*, shows each method's rate (Newton's quadratic convergence, gradient descent's
 * linear rate) on a log scale.
 *
 * Passes count what the solver evaluated on the training rows: each full objective-and-gradient
 * evaluation (line-search trials included), each Hessian, each Hessian-vector product (the default
 * learning rate's power iteration included) is one pass, and so is each binary gradient-and-Hessian
 * pass of Newton-Cholesky; a stochastic epoch is one pass of its
 * mini-batch gradients (its per-epoch objective check, done for reporting, is not counted).
 * For OvR and multilabel models the first output's problem is compared.
 */
import { LinearModelLoss } from '../model/loss';
import { minimize, type OptimizerName, type SolverName, type StopReason } from '../optimize';
import type { TrainSettings } from './settings';
import { DEFAULT_SETTINGS } from './settings';
import { outputLossSpec, prepareRun, TrainingCancelled, type TrainingTable } from './train';
import { replayObjective } from './snapshots';

/** Relative gap (F - F*) / max(1, |F*|) at which a solver counts as having reached the optimum. */
export const COMPARE_TOL = 1e-6;
/** Wall-time budget of each solver (a solver still running is stopped there and says so). */
export const COMPARE_BUDGET_MS = 15_000;

export interface SolverTrace {
  id: string;
  label: string;
  solver: SolverName;
  optimizer: OptimizerName;
  /** Per iteration, starting with the start point (iteration 0). */
  iterations: number[];
  passes: number[];
  timeMs: number[];
  objective: number[];
  stopReason: StopReason | 'time-budget';
  message?: string;
  /** First point whose relative gap is at most tol, or null. */
  passesToTol: number | null;
  timeToTolMs: number | null;
  iterationsToTol: number | null;
}

export interface SolverComparison {
  /** Best objective seen by any solver: F*. */
  best: number;
  tol: number;
  traces: SolverTrace[];
  nTrain: number;
  nParams: number;
  /** Mini-batch size used. */
  batchSize: number;
  maxIter: number;
  /** Set for OvR / multilabel models: only the first output was compared. */
  outputNote?: string;
}

interface Contender {
  id: string;
  label: string;
  solver: SolverName;
  optimizer: OptimizerName;
}

export function contenders(batchSize: number): Contender[] {
  return [
    { id: 'gd', label: 'batch gradient descent', solver: 'gd', optimizer: 'sgd' },
    { id: 'sgd', label: 'SGD (1 row a step)', solver: 'sgd', optimizer: 'sgd' },
    { id: 'minibatch', label: `mini-batch SGD (${batchSize} rows)`, solver: 'minibatch', optimizer: 'sgd' },
    { id: 'momentum', label: 'gradient descent + momentum', solver: 'gd', optimizer: 'momentum' },
    { id: 'adam', label: 'Adam (full batch)', solver: 'gd', optimizer: 'adam' },
    { id: 'newton', label: 'Newton (IRLS)', solver: 'newton', optimizer: 'sgd' },
    { id: 'newton-cholesky', label: 'Newton-Cholesky', solver: 'newton-cholesky', optimizer: 'sgd' },
    { id: 'lbfgs', label: 'L-BFGS', solver: 'lbfgs', optimizer: 'sgd' },
  ];
}

/**
 * Whether a solver takes part: the Newton solvers need an L2 or no penalty; Newton-Cholesky runs on a
 * binary problem (a binary or one-vs-rest output), where chooseSolver would pick it, not on a multinomial one.
 */
function applies(solver: SolverName, penalty: TrainSettings['penalty'], kind: 'binary' | 'multinomial'): boolean {
  const smooth = penalty === 'l2' || penalty === 'none';
  if (solver === 'newton') return smooth;
  if (solver === 'newton-cholesky') return smooth && kind === 'binary';
  return true;
}

export interface CompareOptions {
  fileName: string;
  /** Polled once per iteration; returning true abandons the comparison with TrainingCancelled. */
  shouldStop?: () => boolean;
  /** Called after each solver with the traces so far. */
  onSolver?: (done: number, total: number, label: string) => void;
  budgetMs?: number;
  now?: () => number;
}

/** A LinearModelLoss whose passes over the rows are counted (see the module comment). */
class CountingLoss extends LinearModelLoss {
  passes = 0;
  countFull = true;
  override lossGradient(theta: Float64Array, grad: Float64Array): number {
    if (this.countFull) this.passes++;
    return super.lossGradient(theta, grad);
  }
  override lossGradientBatch(theta: Float64Array, rows: Int32Array, start: number, end: number, grad: Float64Array): number {
    this.passes += (end - start) / this.n;
    return super.lossGradientBatch(theta, rows, start, end, grad);
  }
  override lossGradientHessian(theta: Float64Array, grad: Float64Array, H: Float64Array): number {
    // Binary: one blocked pass makes both; multinomial is counted by the hessian() and lossGradient() it calls.
    if (this.kind === 'binary') this.passes++;
    return super.lossGradientHessian(theta, grad, H);
  }
  override hessian(theta: Float64Array): Float64Array {
    this.passes++;
    return super.hessian(theta);
  }
  override hessianProduct(theta: Float64Array): (v: Float64Array, out: Float64Array) => void {
    this.passes++;
    const product = super.hessianProduct(theta);
    return (v, out) => {
      this.passes++;
      product(v, out);
    };
  }
}

export function compareSolvers(table: TrainingTable, settingsIn: Partial<TrainSettings>, options: CompareOptions): SolverComparison {
  const prepared = prepareRun(table, settingsIn, options);
  const { settings, outputs, scaled, ds } = prepared;
  const { spec } = outputLossSpec(outputs[0], scaled.train, ds.d, settings);
  const batchSize = Math.min(settings.batchSize, spec.n);
  const now = options.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
  const budget = options.budgetMs ?? COMPARE_BUDGET_MS;
  const list = contenders(batchSize).filter((c) => applies(c.solver, settings.penalty, spec.kind));
  const traces: SolverTrace[] = [];
  // Warm-up (not timed): the first solver would otherwise pay for compiling the loss kernels.
  const warm = new LinearModelLoss(spec);
  for (let i = 0; i < 3; i++) replayObjective(warm, new Float64Array(warm.nParams));
  for (const c of list) {
    const loss = new CountingLoss(spec);
    const f0 = replayObjective(loss, new Float64Array(loss.nParams));
    loss.passes = 0;
    loss.countFull = c.solver !== 'sgd' && c.solver !== 'minibatch';
    const trace: SolverTrace = { id: c.id, label: c.label, solver: c.solver, optimizer: c.optimizer, iterations: [0], passes: [0], timeMs: [0], objective: [f0], stopReason: 'max-iter', passesToTol: null, timeToTolMs: null, iterationsToTol: null };
    let cancelled = false;
    let overBudget = false;
    const t0 = now();
    const result = minimize(loss, c.solver, {
      maxIter: settings.maxIter,
      // One tolerance for every contender (the run's, never the first-order default FIRST_ORDER_TOL):
      // the comparison is about how fast each gets close to the optimum, so none stops early.
      tol: settingsIn.tol ?? DEFAULT_SETTINGS.tol,
      optimizer: c.optimizer,
      // The user's learning rate and schedule apply to the plain steps; momentum and Adam take their defaults.
      learningRate: c.optimizer === 'sgd' ? settings.learningRate : undefined,
      schedule: settings.schedule,
      batchSize: c.solver === 'sgd' ? 1 : batchSize,
      seed: settings.seed,
      onIteration: (info) => {
        const t = now() - t0;
        trace.iterations.push(info.iteration);
        trace.passes.push(loss.passes);
        trace.timeMs.push(t);
        trace.objective.push(info.objective);
        if (options.shouldStop?.()) cancelled = true;
        else if (t > budget) overBudget = true;
        return cancelled || overBudget;
      },
    });
    if (cancelled) throw new TrainingCancelled();
    trace.stopReason = overBudget && result.stopReason === 'stopped' ? 'time-budget' : result.stopReason;
    if (trace.stopReason === 'time-budget') trace.message = `Stopped after its ${Math.round(budget / 1000)} s budget.`;
    else if (result.message) trace.message = result.message;
    traces.push(trace);
    options.onSolver?.(traces.length, list.length, c.label);
  }
  const best = Math.min(...traces.flatMap((t) => t.objective.filter(Number.isFinite)));
  for (const t of traces) {
    const i = t.objective.findIndex((f) => (f - best) / Math.max(1, Math.abs(best)) <= COMPARE_TOL);
    if (i >= 0) {
      t.passesToTol = t.passes[i];
      t.timeToTolMs = t.timeMs[i];
      t.iterationsToTol = t.iterations[i];
    }
  }
  const comparison: SolverComparison = { best, tol: COMPARE_TOL, traces, nTrain: spec.n, nParams: (spec.kind === 'multinomial' ? spec.nClasses : 1) * (ds.d + 1), batchSize, maxIter: settings.maxIter };
  if (outputs.length > 1) comparison.outputNote = `This ${prepared.kind} model fits ${outputs.length} separate problems; the first (${ds.classes[0]}) is compared.`;
  return comparison;
}
