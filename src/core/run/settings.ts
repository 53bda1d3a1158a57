import type { Penalty } from '../model/loss';
import type { OptimizerName, SolverName } from '../optimize/types';
import type { MissingPolicy } from '../data/dataset';
import { expansionProblems, type ExpansionSpec } from '../data/featureExpansion';

export type ModelKind = 'auto' | 'binary' | 'multinomial' | 'ovr' | 'multilabel';
export type ResolvedModelKind = Exclude<ModelKind, 'auto'>;
export type LearningRateSchedule = 'constant' | 'invscaling' | 'exponential';
/** A solver, or 'auto': chosen by the problem's shape when the run starts (chooseSolver). */
export type SolverSetting = SolverName | 'auto';

/** Everything a training run depends on; the CLI flags, the panel form and the model JSON share it. */
export interface TrainSettings {
  /** Target column; several columns train a multilabel model. Empty = guess. */
  target: string[];
  /** Feature columns; empty = every usable column except the target. */
  features: string[];
  model: ModelKind;
  solver: SolverSetting;
  optimizer: OptimizerName;
  learningRate?: number;
  schedule: LearningRateSchedule;
  batchSize: number;
  penalty: Penalty;
  /** Inverse regularization strength, scikit-learn's C. */
  C: number;
  /** When set, overrides C with C = 1 / (lambda * n_train): mean loss + (lambda/2)||w||^2. */
  lambda?: number;
  l1Ratio: number;
  classWeight: 'none' | 'balanced';
  standardize: boolean;
  missing: MissingPolicy;
  testSize: number;
  valSize: number;
  seed: number;
  maxIter: number;
  tol: number;
  /** Iterative solvers: stop when the validation loss has not improved for `patience` iterations. */
  earlyStopping: boolean;
  patience: number;
  /** Binary: the class treated as positive (default: the second in sorted order). */
  positiveClass?: string;
  /** Points drawn in the decision-boundary plot (a stratified sample). */
  maxPoints: number;
  /**
   * Larger than memory: train with streaming mini-batch SGD, reading the file block by block
   * (streaming.ts) instead of loading it; the solver setting is then ignored.
   */
  stream: boolean;
  /** Streaming only: passes of mini-batch SGD over the training rows. */
  epochs: number;
  /** Feature engineering after encoding, before scaling (featureExpansion.ts); absent = none. */
  expansion?: ExpansionSpec;
  /** Also fit a perceptron on the same split (model/perceptron.ts), to compare with the logistic model. */
  perceptron?: boolean;
  /** Random oversampling of the training rows up to the largest class (evaluate/imbalance.ts); never validation or test rows. */
  oversample?: boolean;
  /** Binary: costs of a false positive and a false negative; the model's threshold becomes the cost-optimal one. */
  costFP?: number;
  costFN?: number;
}

export const DEFAULT_SETTINGS: Readonly<TrainSettings> = Object.freeze({
  target: [],
  features: [],
  model: 'auto',
  solver: 'auto',
  optimizer: 'adam',
  schedule: 'constant',
  batchSize: 32,
  penalty: 'l2',
  C: 1,
  l1Ratio: 0.5,
  classWeight: 'none',
  standardize: true,
  missing: 'impute',
  testSize: 0.2,
  valSize: 0.1,
  seed: 0,
  maxIter: 1000,
  tol: 1e-8,
  earlyStopping: false,
  patience: 10,
  maxPoints: 2000,
  stream: false,
  epochs: 5,
});

/** Fills in defaults and checks ranges; returns one sentence per problem (empty when valid). */
export function validateSettings(s: TrainSettings): string[] {
  const problems: string[] = [];
  const frac = (v: number, name: string) => {
    if (!(v >= 0 && v < 1)) problems.push(`${name} must be a fraction in [0, 1), got ${v}`);
  };
  frac(s.testSize, 'test size');
  frac(s.valSize, 'validation size');
  if (s.testSize + s.valSize >= 0.9) problems.push(`test size + validation size must leave at least 10% of rows for training`);
  if (!(s.C > 0)) problems.push(`C must be positive, got ${s.C}`);
  if (s.lambda !== undefined && !(s.lambda > 0)) problems.push(`lambda must be positive, got ${s.lambda}`);
  if (!(s.l1Ratio >= 0 && s.l1Ratio <= 1)) problems.push(`l1 ratio must be in [0, 1], got ${s.l1Ratio}`);
  if (!(Number.isInteger(s.maxIter) && s.maxIter >= 1)) problems.push(`max iterations must be a positive integer, got ${s.maxIter}`);
  if (!(Number.isInteger(s.epochs) && s.epochs >= 1)) problems.push(`epochs must be a positive integer, got ${s.epochs}`);
  if (!(s.tol > 0)) problems.push(`tolerance must be positive, got ${s.tol}`);
  if (!(Number.isInteger(s.batchSize) && s.batchSize >= 1)) problems.push(`batch size must be a positive integer, got ${s.batchSize}`);
  if (s.learningRate !== undefined && !(s.learningRate > 0)) problems.push(`learning rate must be positive, got ${s.learningRate}`);
  if (!Number.isInteger(s.seed)) problems.push(`seed must be an integer, got ${s.seed}`);
  if ((s.solver === 'newton' || s.solver === 'newton-cholesky') && (s.penalty === 'l1' || s.penalty === 'elasticnet')) {
    problems.push(`the ${s.solver} solver handles L2 or no penalty; use lbfgs (OWL-QN) or a gradient solver for ${s.penalty}`);
  }
  for (const [name, v] of [['false-positive cost', s.costFP], ['false-negative cost', s.costFN]] as const) {
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) problems.push(`${name} must be a non-negative number, got ${v}`);
  }
  if (s.costFP === 0 && s.costFN === 0) problems.push('the false-positive and false-negative costs cannot both be 0');
  if (s.stream) {
    if (s.oversample) problems.push('random oversampling needs the training rows in memory; it is not available with streaming');
    if (s.perceptron) problems.push('the perceptron is fitted on the training rows in memory; it is not available with streaming');
    if (s.costFP !== undefined || s.costFN !== undefined) problems.push('the cost-based threshold is chosen on the in-memory evaluation; it is not available with streaming');
  }
  if (s.expansion) {
    problems.push(...expansionProblems(s.expansion));
    if (s.stream) problems.push('feature expansion (polynomial, log, bins) needs the data in memory; it is not available with streaming');
  }
  return problems;
}

/**
 * The first-order solvers' default tolerance (relative projected gradient): 1e-8 is out of their
 * reach (stochastic steps stall at their noise, plain gradient descent needs thousands of steps), so
 * with gd, sgd or minibatch the default is 1e-2, which all three reach on the bundled samples within
 * 30-920 iterations at the accuracy of a tight fit.
 */
export const FIRST_ORDER_TOL = 1e-2;

/** settings.tol, except that a first-order solver left at the default tolerance gets FIRST_ORDER_TOL. */
export function resolvedTolerance(settings: Pick<TrainSettings, 'solver' | 'tol'>): number {
  const firstOrder = settings.solver === 'gd' || settings.solver === 'sgd' || settings.solver === 'minibatch';
  return firstOrder && settings.tol === DEFAULT_SETTINGS.tol ? FIRST_ORDER_TOL : settings.tol;
}

/**
 * Largest feature count for which 'auto' picks newton-cholesky. Measured on 1M rows with the loss pool
 * on two threads (npm run bench, bench/fit.mjs): one gradient+Hessian pass costs about 1 + d/20
 * gradient passes (84 against 43 ms CPU at d = 20); newton-cholesky takes 5-7 of them where L-BFGS takes
 * about 30 gradient passes on one-hot data, so it pays up to d ≈ 80; 48 leaves a margin.
 */
export const AUTO_NEWTON_MAX_FEATURES = 48;
/** 'auto' picks newton-cholesky only when the training rows are at least this many times the parameters (n ≫ d). */
export const AUTO_NEWTON_ROWS_PER_PARAMETER = 50;

/** The shape a solver is chosen by. */
export interface SolverShape {
  /** Training rows. */
  rows: number;
  /** Features after encoding. */
  features: number;
  /** How many of them are one-hot columns of categorical features. */
  oneHotFeatures: number;
  /** True for binary, one-vs-rest and multilabel models (every output a sigmoid); false for multinomial. */
  binaryOutputs: boolean;
}

/**
 * The solver a run uses and one sentence saying why. An explicit solver is kept. 'auto' follows
 * scikit-learn's advice for newton-cholesky ("a good choice for n_samples >> n_features, especially
 * with one-hot encoded categorical features with rare categories"; binary outputs, L2 or no penalty),
 * as measured here: newton-cholesky when every output is binary, the penalty is L2 or none, some
 * features are one-hot columns, d ≤ AUTO_NEWTON_MAX_FEATURES and n ≥ AUTO_NEWTON_ROWS_PER_PARAMETER ·
 * (d + 1); lbfgs otherwise. On dense standardized features L-BFGS needs about 10 iterations, fewer
 * passes than Newton's in cost (bench/fit.mjs: 1M × 20, lbfgs 0.86× newton-cholesky's CPU time; on one-hot
 * data newton-cholesky takes 0.45× lbfgs's).
 */
export function chooseSolver(s: Pick<TrainSettings, 'solver' | 'penalty'>, shape: SolverShape): { solver: SolverName; reason: string } {
  if (s.solver !== 'auto') return { solver: s.solver, reason: `${s.solver}, as set.` };
  const { rows, features } = shape;
  const fmt = (v: number) => v.toLocaleString('en-US');
  const lbfgs = (why: string) => ({ solver: 'lbfgs' as const, reason: `lbfgs, chosen automatically: ${why}.` });
  if (s.penalty === 'l1' || s.penalty === 'elasticnet') return lbfgs(`the ${s.penalty === 'l1' ? 'L1' : 'elastic-net'} penalty needs OWL-QN`);
  if (!shape.binaryOutputs) return lbfgs('a multinomial model (newton-cholesky is chosen for binary outputs only, as in scikit-learn)');
  if (shape.oneHotFeatures === 0) return lbfgs('the features are numeric, where L-BFGS converges in a few cheap passes (newton-cholesky is chosen for one-hot encoded categories)');
  if (features > AUTO_NEWTON_MAX_FEATURES) return lbfgs(`${fmt(features)} features is past ${AUTO_NEWTON_MAX_FEATURES}, where newton-cholesky's ${fmt(features + 1)}² Hessian costs more than L-BFGS's extra iterations`);
  if (rows < AUTO_NEWTON_ROWS_PER_PARAMETER * (features + 1)) return lbfgs(`${fmt(rows)} training rows are fewer than ${AUTO_NEWTON_ROWS_PER_PARAMETER} per parameter, so the rows do not dwarf the features`);
  return {
    solver: 'newton-cholesky',
    reason: `newton-cholesky, chosen automatically: ${fmt(rows)} training rows ≫ ${fmt(features)} features, ${fmt(shape.oneHotFeatures)} of them one-hot, so a few Newton steps (each one pass over the rows with the ${fmt(features + 1)}×${fmt(features + 1)} Hessian) beat L-BFGS's many.`,
  };
}
