/**
 * Model selection: stratified k-fold cross-validation over a grid of C, as scikit-learn's
 * `LogisticRegressionCV` (the same folds as `StratifiedKFold(k)` without shuffling, the same scores),
 * with warm starts along the grid, the validation curve (mean ± 1 SD over folds), the choice of C by
 * the best mean score or by the one-standard-error rule, and the regularization path (coefficients
 * against C on all the cross-validated rows).
 *
 * The cross-validated rows are the run's training split (validation and test rows stay out; with
 * --test-size 0 --val-size 0, every row). Imputation and scaling are fitted on each fold's training
 * rows only, as a scikit-learn Pipeline inside the CV would. Pure core: progress through a callback,
 * cancellation by polling.
 */
import { DataError } from '../diagnostics';
import { rocAuc } from '../evaluate/curves';
import { logLoss, predictFromProba } from '../evaluate/metrics';
import { fitPreprocessor, transformInPlace } from '../data/preprocess';
import { takeInt, takeRows } from '../data/split';
import { LinearModelLoss, balancedClassWeights } from '../model/loss';
import { minimize } from '../optimize';
import { chooseSolver, DEFAULT_SETTINGS, type TrainSettings } from './settings';
import { splitRows, tableProblem, TrainingCancelled, type TrainingTable } from './train';

export type CvScoring = 'neg_log_loss' | 'accuracy' | 'roc_auc';
export const CV_SCORINGS: readonly CvScoring[] = ['neg_log_loss', 'accuracy', 'roc_auc'];
export type CvRule = 'best' | '1se';

export interface CvOptions {
  folds: number;
  /** The grid of C, ascending (fitted in this order, each fit warm-started from the previous). */
  Cs: number[];
  scoring: CvScoring;
  rule: CvRule;
}

/** What the panel asks for: the folds, grid, scoring and rule, and the penalty whose C is chosen. */
export interface CvRequest extends CvOptions {
  penalty: 'l2' | 'l1' | 'elasticnet';
}

/** A cross-validation kept in a run's report: what was asked and what came out. */
export interface CrossValidation {
  request: CvRequest;
  result: CvResult;
}

export interface CvProgress {
  /** 0-based fold (folds = the regularization path on all rows) and grid point being fitted. */
  fold: number;
  folds: number;
  point: number;
  points: number;
}

export interface CvResult {
  Cs: number[];
  scoring: CvScoring;
  rule: CvRule;
  folds: number;
  /** Rows cross-validated, and per fold its validation rows. */
  nRows: number;
  foldSizes: number[];
  /** scores[f][c]: the score of fold f at Cs[c] (higher is better: neg_log_loss is minus the log-loss). */
  scores: number[][];
  mean: number[];
  /** Sample standard deviation over folds (ddof 1), and the standard error sd/√k. */
  sd: number[];
  se: number[];
  bestIndex: number;
  /** The smallest C whose mean is within one standard error of the best. */
  oneSeIndex: number;
  /** The C the rule picks. */
  chosenC: number;
  /** Coefficients along the grid on all cross-validated rows, standardized units: path[c][output][feature]. */
  path: { featureNames: string[]; outputs: string[]; coef: number[][][]; intercept: number[][] };
  /** Solver iterations per fold and point (the last row: the path). */
  iterations: number[][];
}

/** Default grid: n values log-spaced over [1e-4, 1e4], as LogisticRegressionCV's Cs = n. */
export function logGrid(n: number, lo = 1e-4, hi = 1e4): number[] {
  // 10^e for e < 0 as 1/10^-e: 10 ** -4 is not the double nearest 1e-4, 1 / 10 ** 4 is.
  const pow10 = (e: number) => (e < 0 ? 1 / 10 ** -e : 10 ** e);
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  if (n === 1) return [pow10((a + b) / 2)];
  return Array.from({ length: n }, (_, i) => pow10(a + ((b - a) * i) / (n - 1)));
}

/**
 * The grid of C as the CLI's --Cs and the panel's field take it: a count n (n log-spaced values over
 * [1e-4, 1e4], as LogisticRegressionCV's Cs = n; at most 100) or a comma-separated list of positive
 * numbers. Undefined gives the default, 10 points. Throws a DataError naming `what` on anything else.
 */
export function parseCsGrid(raw: string | undefined, what = '--Cs'): number[] {
  if (raw === undefined) return logGrid(10);
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const values = parts.map(Number);
  if (parts.length === 1 && Number.isInteger(values[0]) && values[0] >= 1 && !raw.includes('.') && !/e/i.test(raw)) {
    if (values[0] > 100) throw new DataError({ code: 'cli.flag-value', message: `${what} asks for ${values[0]} grid points; at most 100` });
    return logGrid(values[0]);
  }
  if (values.length === 0 || values.length > 100 || values.some((v) => !(v > 0) || !Number.isFinite(v))) {
    throw new DataError({ code: 'cli.flag-value', message: `${what} must be a count of grid points (at most 100) or a comma-separated list of positive numbers, got '${raw}'` });
  }
  return values;
}

/**
 * The fold of each row as scikit-learn's StratifiedKFold(k, shuffle=False): classes are renumbered by
 * order of first appearance, then each class's rows, in order, are dealt to the folds so that fold f
 * gets the class counts of sorted(y)[f::k].
 */
export function stratifiedKFold(yIn: Int32Array, nClasses: number, k: number): Int32Array {
  const n = yIn.length;
  const order = new Int32Array(nClasses).fill(-1);
  let seen = 0;
  for (let i = 0; i < n; i++) if (order[yIn[i]] < 0) order[yIn[i]] = seen++;
  const y = Int32Array.from(yIn, (v) => order[v]);
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < n; i++) counts[y[i]]++;
  for (let c = 0; c < nClasses; c++) {
    if (counts[c] > 0 && counts[c] < k) throw new DataError({ code: 'cv.folds', message: `a class has only ${counts[c]} rows, fewer than ${k} folds; use --folds ${Math.max(2, counts[c])} or fewer` });
  }
  // allocation[f][c] = number of rows of class c in sorted(y)[f::k].
  const sorted = Int32Array.from(y).sort();
  const allocation = Array.from({ length: k }, () => new Int32Array(nClasses));
  for (let i = 0; i < n; i++) allocation[i % k][sorted[i]]++;
  const fold = new Int32Array(n);
  const next = new Int32Array(nClasses);
  const folds = Array.from({ length: nClasses }, (_, c) => {
    const list: number[] = [];
    for (let f = 0; f < k; f++) for (let t = 0; t < allocation[f][c]; t++) list.push(f);
    return list;
  });
  for (let i = 0; i < n; i++) fold[i] = folds[y[i]][next[y[i]]++];
  return fold;
}

/** The score of probabilities on labels (higher is better). */
export function cvScore(scoring: CvScoring, y: Int32Array, proba: Float64Array, K: number): number {
  if (scoring === 'neg_log_loss') return -logLoss(y, proba, K);
  if (scoring === 'accuracy') {
    const pred = predictFromProba(proba, K);
    let hit = 0;
    for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) hit++;
    return hit / y.length;
  }
  const n = y.length;
  const scoreOf = (k: number) => Float64Array.from({ length: n }, (_, i) => proba[i * K + k]);
  if (K === 2) return rocAuc(Int32Array.from(y), scoreOf(1));
  // Macro one-vs-rest, as scikit-learn's roc_auc_ovr.
  let s = 0;
  for (let k = 0; k < K; k++) s += rocAuc(Int32Array.from(y, (v) => (v === k ? 1 : 0)), scoreOf(k));
  return s / K;
}

interface FitAlong {
  thetas: Float64Array[];
  iterations: number[];
}

/** Fits the rows' model at each C in turn, each from the previous optimum. */
function fitAlongGrid(
  X: Float64Array, n: number, d: number, y: Int32Array, kind: 'binary' | 'multinomial', K: number, settings: TrainSettings, Cs: number[],
  step: (point: number) => void,
): FitAlong {
  const classWeight = settings.classWeight === 'balanced' ? balancedClassWeights(y, K) : null;
  const sampleWeight = classWeight ? Float64Array.from(y, (c) => classWeight[c]) : null;
  const thetas: Float64Array[] = [];
  const iterations: number[] = [];
  let theta: Float64Array | undefined;
  let reference: number | undefined;
  const solver = settings.solver === 'auto' ? 'lbfgs' : settings.solver;
  Cs.forEach((C, c) => {
    step(c);
    const loss = new LinearModelLoss({ X, n, d, kind, y, nClasses: K, sampleWeight, penalty: settings.penalty, C, l1Ratio: settings.l1Ratio });
    const options = { maxIter: settings.maxIter, tol: settings.tol, seed: settings.seed, learningRate: settings.learningRate, optimizer: settings.optimizer, batchSize: settings.batchSize };
    // Each warm-started fit stops where a fit from zero would: tol relative to the projected gradient
    // at θ = 0 (not at the previous optimum, already small, which would ask for far more iterations
    // than a cold fit). With an L2 penalty that gradient does not depend on C (one per fold); with L1 it does.
    if (reference === undefined || settings.penalty !== 'l2') reference = minimize(loss, solver, { ...options, maxIter: 0 }).gradientNorm;
    const r = minimize(loss, solver, { ...options, gradientReference: reference }, theta);
    theta = r.theta;
    thetas.push(r.theta.slice());
    iterations.push(r.iterations);
  });
  return { thetas, iterations };
}

export function crossValidate(
  table: TrainingTable,
  settingsIn: Partial<TrainSettings>,
  cv: CvOptions,
  options: { fileName: string; onProgress?: (p: CvProgress) => void; shouldStop?: () => boolean; consumeTable?: boolean },
): CvResult {
  const settings: TrainSettings = { ...DEFAULT_SETTINGS, ...settingsIn };
  const fail = (message: string) => new DataError({ code: 'cv.settings', file: options.fileName, message });
  if (!(Number.isInteger(cv.folds) && cv.folds >= 2)) throw fail(`--folds must be an integer of at least 2, got ${cv.folds}`);
  if (cv.Cs.length === 0 || cv.Cs.some((c) => !(c > 0) || !Number.isFinite(c))) throw fail('every C of the grid must be a positive finite number');
  if (settings.penalty === 'none') throw fail('cross-validating C needs a penalty (l2, l1 or elasticnet): without one, C has no effect');
  const { ds, kind } = tableProblem(table, { ...settings, lambda: undefined }, { fileName: options.fileName, consumeTable: options.consumeTable });
  if (kind !== 'binary' && kind !== 'multinomial') throw fail(`cross-validation handles binary and multinomial models, not ${kind}`);
  const K = ds.classes.length;
  const { rowsOf } = splitRows(ds, settings, options.fileName);
  const rows = rowsOf.train;
  // 'auto' as a training run on these rows would choose (fitAlongGrid keeps an explicit solver).
  settings.solver = chooseSolver(settings, { rows: rows.length, features: ds.d, oneHotFeatures: ds.features.filter((f) => f.kind === 'onehot').length, binaryOutputs: kind === 'binary' }).solver;
  const y = takeInt(ds.y, rows);
  const X = takeRows(ds.X, ds.d, rows);
  const d = ds.d;
  const foldOf = stratifiedKFold(y, K, cv.folds);
  const Cs = [...cv.Cs].sort((a, b) => a - b);
  const check = (fold: number, point: number) => {
    if (options.shouldStop?.()) throw new TrainingCancelled();
    options.onProgress?.({ fold, folds: cv.folds, point, points: Cs.length });
  };

  const scores: number[][] = [];
  const iterations: number[][] = [];
  const foldSizes: number[] = [];
  for (let f = 0; f < cv.folds; f++) {
    const trainIdx = Int32Array.from(rows.keys()).filter((i) => foldOf[i] !== f);
    const valIdx = Int32Array.from(rows.keys()).filter((i) => foldOf[i] === f);
    foldSizes.push(valIdx.length);
    // In shared WebAssembly memory where there is one: the SIMD kernels then read it in place instead
    // of copying it for each of the grid's fits.
    const Xtr = takeRows(X, d, trainIdx, true);
    const prep = fitPreprocessor(Xtr, trainIdx.length, d, settings.standardize);
    transformInPlace(Xtr, trainIdx.length, d, prep);
    const Xva = transformInPlace(takeRows(X, d, valIdx), valIdx.length, d, prep);
    const ytr = takeInt(y, trainIdx);
    const yva = takeInt(y, valIdx);
    const fit = fitAlongGrid(Xtr, trainIdx.length, d, ytr, kind, K, settings, Cs, (c) => check(f, c));
    const probe = new LinearModelLoss({ X: Xva, n: valIdx.length, d, kind, y: yva, nClasses: K, penalty: 'none', C: Infinity, simd: false });
    scores.push(fit.thetas.map((theta) => cvScore(cv.scoring, yva, probe.predictProba(theta, Xva, valIdx.length), K)));
    iterations.push(fit.iterations);
  }

  // The regularization path on every cross-validated row.
  const prep = fitPreprocessor(X, rows.length, d, settings.standardize);
  const Xall = transformInPlace(takeRows(X, d, Int32Array.from(rows.keys()), true), rows.length, d, prep);
  const pathFit = fitAlongGrid(Xall, rows.length, d, y, kind, K, settings, Cs, (c) => check(cv.folds, c));
  iterations.push(pathFit.iterations);
  const R = kind === 'binary' ? 1 : K;
  const path = {
    featureNames: ds.featureNames,
    outputs: kind === 'binary' ? [ds.classes[1]] : ds.classes,
    coef: pathFit.thetas.map((t) => Array.from({ length: R }, (_, k) => Array.from(t.subarray(k * (d + 1), k * (d + 1) + d)))),
    intercept: pathFit.thetas.map((t) => Array.from({ length: R }, (_, k) => t[k * (d + 1) + d])),
  };
  return summarize(Cs, cv, scores, { nRows: rows.length, foldSizes, path, iterations });
}

/** Mean, SD and SE per grid point, and the C of each rule. */
export function summarize(Cs: number[], cv: CvOptions, scores: number[][], rest: Pick<CvResult, 'nRows' | 'foldSizes' | 'path' | 'iterations'>): CvResult {
  const k = scores.length;
  const mean = Cs.map((_, c) => scores.reduce((s, row) => s + row[c], 0) / k);
  const sd = Cs.map((_, c) => Math.sqrt(scores.reduce((s, row) => s + (row[c] - mean[c]) ** 2, 0) / Math.max(1, k - 1)));
  const se = sd.map((v) => v / Math.sqrt(k));
  // The first maximum (the smallest C among ties), as LogisticRegressionCV's argmax.
  let best = 0;
  for (let c = 1; c < Cs.length; c++) if (mean[c] > mean[best]) best = c;
  let oneSe = best;
  for (let c = 0; c < best; c++) {
    if (mean[c] >= mean[best] - se[best]) {
      oneSe = c;
      break;
    }
  }
  const chosen = cv.rule === 'best' ? best : oneSe;
  return { Cs, scoring: cv.scoring, rule: cv.rule, folds: k, scores, mean, sd, se, bestIndex: best, oneSeIndex: oneSe, chosenC: Cs[chosen], ...rest };
}
