/** Shared types of the solvers in src/core/optimize. */

export type SolverName = 'lbfgs' | 'newton' | 'newton-cholesky' | 'gd' | 'sgd' | 'minibatch';
/** Update rule of gd/sgd/minibatch: plain gradient step, heavy-ball momentum, or Adam. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';

export interface IterationInfo {
  iteration: number;
  /** Full scaled objective F(θ). */
  objective: number;
  /** ||projected gradient of F||_∞. */
  gradientNorm: number;
  /** The current iterate (a live buffer: copy it to keep it). */
  theta: Float64Array;
}

export interface SolverOptions {
  /** Iterations (epochs for sgd/minibatch); default 1000. */
  maxIter?: number;
  /** Stop when ||projected gradient||_∞ ≤ tol · ||projected gradient at θ0||_∞; default 1e-8. */
  tol?: number;
  /**
   * The ||projected gradient||_∞ that tol is relative to, instead of θ0's: a warm start (cross-validation
   * along a grid of C) passes the cold start's, so that it stops where a fit from zero would. Ignored unless > 0.
   */
  gradientReference?: number;
  /** Called once per iteration/epoch; returning true stops with stopReason 'stopped'. */
  onIteration?: (info: IterationInfo) => boolean | void;
  /** gd/sgd/minibatch update rule; default 'sgd' (plain steps). */
  optimizer?: OptimizerName;
  /** Step size; defaults: 1/L of the batch (plain, gd momentum), (1-μ)/L (sgd/minibatch momentum), Adam 0.01. */
  learningRate?: number;
  /** Per-epoch decay: constant; invscaling η0/√(1+epoch); exponential η0·0.99^epoch. Default: gd constant, else invscaling. */
  schedule?: 'constant' | 'invscaling' | 'exponential';
  /** Heavy-ball coefficient; default 0.9. */
  momentum?: number;
  /** Rows per step for minibatch (default 32); sgd uses 1. */
  batchSize?: number;
  /** Seed of the row order of sgd/minibatch; default 0. */
  seed?: number;
}

/** 'precision-limit': the line search could not decrease the objective any further (float64 rounding). */
export type StopReason = 'converged' | 'max-iter' | 'stopped' | 'diverged' | 'precision-limit';

export interface SolverResult {
  theta: Float64Array;
  iterations: number;
  converged: boolean;
  /** Final ||projected gradient||_∞ of the scaled objective (absolute). */
  gradientNorm: number;
  /** Final full scaled objective F(θ). */
  objective: number;
  stopReason: StopReason;
  /** For the user when not converged: what happened and which setting to change. */
  message?: string;
}
