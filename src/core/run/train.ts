/**
 * A whole training run, as the CLI, the worker and tests share it: parse -> type columns -> build the
 * design matrix -> split -> fit imputation and scaling on the training rows -> fit each output with
 * the chosen solver -> evaluate every split -> assemble the TrainReport. Pure core: no I/O here; the
 * caller hands in bytes or a parsed table (the general parser's CsvTable, or the streaming fast
 * path's FastTable, which gives the same report) and receives plain data.
 */
import { parseCsv, type CsvTable } from '../data/csv';
import { guessTarget, inferColumns, sortClassLabels, type ColumnInfo, type Dataset, type DatasetOptions } from '../data/dataset';
import type { FastTable } from '../data/fastCsv';
import { fastDatasetSupport, inferFastColumns } from '../data/fastDataset';
import { DataPlan } from '../data/dataPlan';
import { isFastTable } from '../data/columnSource';
import { DataError, warning, type Diagnostic } from '../diagnostics';
import { LinearModelLoss, SIMD_MIN_WORK, balancedClassWeights, type LossSpec } from '../model/loss';
import { minimize } from '../optimize';
import type { SolverResult } from '../optimize/types';
import { checkClassCount } from '../data/classCount';
import { checkTrainingMemory } from './memoryEstimate';
import { extremeValueError } from '../data/extremeValues';
import { fitPreprocessorOnRows, takeScaledParts, takeScaledRows, type Preprocessor, type RefusedValue } from '../data/preprocess';
import { expandRows, fitExpansion, isActiveExpansion, type ExpansionSpec, type FittedExpansion } from '../data/featureExpansion';
import { classCounts, holdsOut, isStrictlyAscending, rowBuffer, splitDataset, takeInt, takeRows, type Split } from '../data/split';
import { sharedMemoryOf } from '../model/simdKernels';
import { chooseSolver, DEFAULT_SETTINGS, resolvedTolerance, validateSettings, type ResolvedModelKind, type TrainSettings } from './settings';
import type { SolverName } from '../optimize/types';
import { cappedRowLoss, lossFamilyOf } from '../model/lossFamily';
import type { ModelJson } from '../model/model';
import { decisionValues } from '../model/simdDecision';
import { assembleModel, assembleReport, EarlyStopping, type PointSample, type ReportParts } from './assemble';
import { SnapshotRecorder, type OutputSnapshots } from './snapshots';
import { computeLandscape, LANDSCAPE_MAX_PARAMS, type Landscape } from '../evaluate/landscape';
import { softmaxAsSigmoid } from '../evaluate/softmaxSigmoid';
import type { Convergence, DataSummary, SplitEvaluation, SplitName, TrainProgress, TrainReport } from '../report/report';
import { evaluateSplit, fitCalibrators, sortedBinarySplit, type SortedBinarySplit } from '../evaluate/evaluate';
import { statisticalInference } from '../evaluate/inference';
import { stratifiedSample, stratifiedSampleOfValues } from '../data/sample';
import { sampledComponents } from '../evaluate/projection';
import { runPerceptron } from './perceptronRun';
import { applyCostThreshold, oversampleSplit } from './imbalanceRun';

export class TrainingCancelled extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'TrainingCancelled';
  }
}

export interface TrainOptions {
  fileName: string;
  /** Called with complete snapshots, at most every `progressIntervalMs` (default 100) and at the end of each output. */
  onProgress?: (progress: TrainProgress) => void;
  progressIntervalMs?: number;
  /** Polled once per iteration; returning true abandons the run with TrainingCancelled. */
  shouldStop?: () => boolean;
  /** Milliseconds spent reading/parsing before this call (reported in timings). */
  parseMs?: number;
  /**
   * Builds the objective of each full-batch fit (default: a LinearModelLoss on this thread). The CLI and
   * the worker pass src/node/parallelLoss.ts createLoss, which splits large problems across cores;
   * release() is called when the fit ends, whatever the outcome.
   */
  createLoss?: (spec: LossSpec) => { loss: LinearModelLoss; release: () => Promise<void> | void };
  /**
   * A FastTable only: build the design matrix inside the table's value buffer instead of a second
   * matrix (the table's values are meaningless afterwards). For callers that drop the table.
   */
  consumeTable?: boolean;
  /** Memory the fit may use (the Node layer passes the free memory); a larger problem is a DataError before fitting. Default: no check. */
  availableBytes?: number;
  /** Compute the loss landscape with the run (the CLI's --landscape); the panel asks for it afterwards (landscapeRun.ts). */
  landscape?: boolean;
}

/**
 * A parsed file: the general parser's CsvTable, or the fast path's FastTable. Training on a FastTable
 * gives the same report where fastTrainingSupport says it can (else train on the general parser's
 * table of the same file).
 */
export type TrainingTable = CsvTable | FastTable;

/** Column types of FastTables already typed, and the milliseconds it took (fastTrainingSupport, then trainFromTable, type each table once). */
const fastColumns = new WeakMap<FastTable, { columns: ColumnInfo[]; ms: number }>();

/** Types every column of either kind of table (inferColumns; the same types from a FastTable). */
export function tableColumns(table: TrainingTable): ColumnInfo[] {
  return typedColumns(table).columns;
}

/**
 * tableColumns with the milliseconds the typing took (a FastTable's first typing, whenever it ran).
 * `targets`: the settings' target columns, whose values the typing scan of a FastTable copies for the
 * dataset build (inferFastColumns' keep).
 */
function typedColumns(table: TrainingTable, targets: readonly string[] = []): { columns: ColumnInfo[]; ms: number } {
  const t0 = now();
  if (!isFastTable(table)) return { columns: inferColumns(table), ms: now() - t0 };
  let typed = fastColumns.get(table);
  const keep = targets.map((t) => table.header.indexOf(t)).filter((j) => j >= 0);
  if (!typed) fastColumns.set(table, (typed = { columns: inferFastColumns(table, { keep }), ms: now() - t0 }));
  return typed;
}

/** The data plan's dataset of either kind of table, with its tableColumns; `consume` as TrainOptions.consumeTable. */
export function tableDataset(table: TrainingTable, columns: ColumnInfo[], options: DatasetOptions, consume = false): Dataset {
  return DataPlan.fit(table, options, columns).dataset(table, options, consume);
}

/**
 * Whether trainFromTable can train on this FastTable: undefined when it can, else why not (then
 * train on the general parser's table of the same file). The capability check of the fast path.
 */
export function fastTrainingSupport(table: FastTable, settingsIn: Partial<TrainSettings>, fileName: string): string | undefined {
  const settings: TrainSettings = { ...DEFAULT_SETTINGS, ...settingsIn };
  if (validateSettings(settings).length > 0) return undefined; // trainFromTable throws the same error on either table
  const { columns } = typedColumns(table, settings.target);
  const options = datasetOptionsOf(table, columns, settings, fileName);
  return options ? fastDatasetSupport(table, columns, options) : undefined;
}

/** The dataset options of the settings on this table; undefined when a named column does not exist. */
function datasetOptionsOf(table: TrainingTable, columns: ColumnInfo[], settings: TrainSettings, file: string): DatasetOptions | undefined {
  const target = settings.target.length > 0 ? settings.target : [guessTarget(table, columns)];
  if ([...target, ...settings.features].some((t) => !table.header.includes(t))) return undefined;
  return {
    target: target.length === 1 ? target[0] : target,
    features: settings.features.length > 0 ? settings.features : undefined,
    missing: settings.missing,
    positiveClass: settings.positiveClass,
    fileName: file,
  };
}

const ITERATIVE = new Set(['gd', 'sgd', 'minibatch']);
const STOCHASTIC = new Set(['sgd', 'minibatch']);
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export function trainFromBytes(bytes: Uint8Array, settings: Partial<TrainSettings>, options: TrainOptions): TrainReport {
  const t0 = now();
  const table = parseCsv(bytes, { fileName: options.fileName });
  return trainFromTable(table, settings, { ...options, parseMs: (options.parseMs ?? 0) + now() - t0 });
}

/** TrainSettings once the run has chosen its solver. */
export type RunSettings = TrainSettings & { solver: SolverName };

/** One linear output to fit: a binary or multinomial problem on the training rows. */
export interface OutputProblem {
  kind: 'binary' | 'multinomial';
  nClasses: number;
  yTrain: Int32Array;
  yValidation: Int32Array | null;
}

/** A run up to the fits: the data typed, split, preprocessed on the training rows, and the problems to fit. */
export interface PreparedRun {
  /** The settings with the solver chosen ('auto' resolved by chooseSolver). */
  settings: RunSettings;
  /** One sentence: which solver and why. */
  solverReason: string;
  columns: ColumnInfo[];
  ds: Dataset;
  warnings: Diagnostic[];
  kind: ResolvedModelKind;
  split: { train: Int32Array; validation: Int32Array; test: Int32Array };
  rowsOf: Record<SplitName, Int32Array>;
  prep: Preprocessor;
  scaled: Record<SplitName, Float64Array>;
  outputs: OutputProblem[];
  /** The points the panel draws, raw (NaN = missing): taken before the training rows move (see trainingRows). */
  sample: PointSample;
  /** The fitted feature expansion (settings.expansion); `ds` holds the expanded features, `sample` the encoded ones. */
  expansion?: FittedExpansion;
  /** Milliseconds typing the columns (TrainReport timings.typeMs) and in the rest of prepareRun (timings.prepareMs). */
  typeMs: number;
  prepareMs: number;
}

/** Everything before the fits (settings checked, columns typed, split, preprocessing fitted on the training rows): shared by trainFromTable and compareSolvers.ts. */
export function prepareRun(table: TrainingTable, settingsIn: Partial<TrainSettings>, options: Pick<TrainOptions, 'fileName' | 'consumeTable' | 'availableBytes'>): PreparedRun {
  const merged: TrainSettings = { ...DEFAULT_SETTINGS, ...settingsIn };
  const settings: TrainSettings = { ...merged, tol: resolvedTolerance(merged) };
  const file = options.fileName;
  const t0 = now();
  const { columns, ds: encoded, kind, typeMs } = tableProblem(table, settings, options);
  // Dataset warnings include the table's own.
  const warnings: Diagnostic[] = [...encoded.warnings];
  const { split, rowsOf } = oversampleSplit(splitRows(encoded, settings, file), encoded, settings, file);
  // Feature engineering (polynomial, log, bins) after encoding, fitted on the training rows; the
  // points drawn stay in the encoded features (the boundary grid goes through the expansion).
  const { ds, expansion } = expandDataset(encoded, rowsOf.train, settings.expansion, file);
  const d = ds.d;
  const oneHotFeatures = ds.features.filter((f) => f.kind === 'onehot').length;
  const chosen = chooseSolver(settings, { rows: split.train.length, features: d, oneHotFeatures, binaryOutputs: kind !== 'multinomial' });
  settings.solver = chosen.solver;
  if (options.availableBytes !== undefined) {
    const outputs = kind === 'binary' ? 1 : ds.task === 'multilabel' ? ds.targetNames.length : ds.classes.length;
    checkTrainingMemory({ rows: ds.n, features: d, outputs, solver: settings.solver }, options.availableBytes, file);
  }

  // The points drawn keep their raw values: taken before the training rows are moved and scaled.
  const sample = pointSample(encoded, rowsOf, settings);
  // Preprocessing is fitted on the training rows only, read where they are.
  const prep = fitPreprocessorOnRows(ds.X, d, rowsOf.train, settings.standardize);
  const scaled = scaledSplits(ds, rowsOf, prep, file);

  const outputs = outputProblems(kind, ds, rowsOf);
  // The typing may have run before (fastTrainingSupport): prepareMs is this call's time without it.
  const prepareMs = Math.max(0, now() - t0 - typeMs);
  return { settings: settings as RunSettings, solverReason: chosen.reason, columns, ds, warnings, kind, split, rowsOf, prep, scaled, outputs, sample, expansion, typeMs, prepareMs };
}

export function trainFromTable(table: TrainingTable, settingsIn: Partial<TrainSettings>, options: TrainOptions): TrainReport {
  const { settings, solverReason, columns, ds, warnings, kind, split, rowsOf, prep, scaled, outputs, sample, expansion, typeMs, prepareMs } = prepareRun(table, settingsIn, options);
  const file = options.fileName;
  const d = ds.d;
  const t0 = now();
  const fits = fitOutputs(outputs, scaled, d, settings, options, split.validation.length);
  const fitMs = now() - t0;

  const totalWeight = fits.reduce((s, f) => Math.max(s, f.totalWeight), 0);
  const convergence = { ...summarizeConvergence(fits, settings), solverReason };
  const model = assembleModel({
    kind,
    classes: ds.classes,
    targetNames: ds.targetNames,
    features: ds.features,
    prep,
    expansion,
    ...coefficientsOf(fits, outputs, d),
    settings,
    C: settings.lambda !== undefined ? 1 / (settings.lambda * totalWeight) : settings.C,
    totalWeight,
    training: {
      solver: settings.solver,
      iterations: convergence.iterations,
      converged: convergence.converged,
      gradientNorm: convergence.gradientNorm,
      objective: convergence.objective,
    },
  });

  // Evaluate every non-empty split.
  const t1 = now();
  options.onProgress?.(progressSnapshot('evaluating', fits.length, fits.length, settings.maxIter, fits[fits.length - 1]?.result.gradientNorm ?? 0, combinedHistory(fits)));
  const evaluation = evaluateSplits(model, ds, rowsOf, scaled);
  const costs = applyCostThreshold(model, evaluation, settings);
  warnings.push(...convergenceWarnings(fits, settings, evaluation.train, file));
  // Standard errors, z, p-values and fit statistics (unpenalized, unweighted fits; otherwise the reason).
  const inference = statisticalInference({
    X: scaled.train, n: split.train.length, d, featureNames: ds.featureNames, mean: prep.mean, scale: prep.scale,
    outputs: fits.map((f, o) => ({
      kind: outputs[o].kind, nClasses: outputs[o].nClasses, y: outputs[o].yTrain, theta: f.theta,
      names: outputs[o].kind === 'multinomial' ? ds.classes : [kind === 'binary' ? ds.classes[1] : ds.classes[o]],
    })),
    penalty: settings.penalty, C: model.settings.C, classWeight: settings.classWeight, iterations: convergence.iterations,
  });

  return assembleReport({
    model,
    data: dataSummary(table, columns, ds, file, settings, split),
    convergence,
    lossHistory: combinedHistory(fits),
    replay: { d, outputs: fits.map((f) => f.snapshots) },
    ...(options.landscape && outputs.length === 1 && fits[0].theta.length <= LANDSCAPE_MAX_PARAMS ? { landscape: runLandscape(outputs[0], fits[0], scaled.train, ds, prep, settings) } : {}),
    ...twoClassSoftmax(outputs, fits, scaled.train, d, settings),
    evaluation,
    ...pointsAndProjection(sample, expansion?.inputMean ?? prep.imputeMean, prep, rowsOf, scaled, settings),
    inference,
    ...(settings.perceptron ? { perceptron: runPerceptron(kind, ds, rowsOf, scaled, prep, settings) } : {}),
    ...(costs ? { costThreshold: costs } : {}),
    warnings,
    timings: { parseMs: options.parseMs ?? 0, typeMs, prepareMs, fitMs, evaluateMs: now() - t1 },
  });
}

/** Columns, dataset and model kind of a table under the settings: every setting and column checked. */
export function tableProblem(table: TrainingTable, settings: TrainSettings, options: TrainOptions): { columns: ColumnInfo[]; ds: Dataset; kind: ResolvedModelKind; typeMs: number } {
  const file = options.fileName;
  const problems = validateSettings(settings);
  if (problems.length > 0) throw new DataError({ code: 'settings.invalid', message: problems.join('; ') });
  const { columns, ms: typeMs } = typedColumns(table, settings.target);
  const datasetOptions = datasetOptionsOf(table, columns, settings, file);
  if (!datasetOptions) {
    const target = settings.target.length > 0 ? settings.target : [guessTarget(table, columns)];
    const t = [...target, ...settings.features].find((name) => !table.header.includes(name));
    throw new DataError({ code: 'settings.unknown-column', file, line: 1, message: `there is no column named '${t}' (columns: ${table.header.join(', ')})` });
  }
  const ds = tableDataset(table, columns, datasetOptions, options.consumeTable === true);
  if (ds.task !== 'multilabel') checkClassCount(ds.targetNames[0], ds.classes.length, ds.n, file);
  const kind = resolveKind(settings, ds, file);
  if (ds.d === 0) throw new DataError({ code: 'data.no-features', file, message: 'no usable feature columns remain (see the warnings about excluded columns)' });
  return { columns, ds, kind, typeMs };
}

/** The train / validation / test rows (stratified on the class; multilabel rows without strata). */
export function splitRows(ds: Dataset, settings: TrainSettings, file: string): { split: Split; rowsOf: Record<SplitName, Int32Array> } {
  // Strata are each class's rank in sorted label order, not its index: --positive-class only reorders
  // the classes and must not change which rows land in train and test.
  const sorted = sortClassLabels(ds.classes);
  const rank = ds.classes.map((c) => sorted.indexOf(c));
  // A loop, not Int32Array.from(ds.y, f): that collects a million boxed values on the JS heap first.
  // With nothing held out the ranks decide nothing (the class indices are still checked): none.
  const ranked = ds.task === 'multilabel' || !holdsOut(ds.n, settings) ? ds.y : new Int32Array(ds.n);
  if (ranked !== ds.y) for (let i = 0; i < ranked.length; i++) ranked[i] = rank[ds.y[i]];
  const split = splitDataset({ ...ds, y: ds.task === 'multilabel' ? ds.y : ranked }, settings);
  if (split.train.length < 2) {
    throw new DataError({ code: 'data.too-few-rows', file, message: `only ${split.train.length} training row(s) remain after the split; lower --test-size/--val-size` });
  }
  return { split, rowsOf: { train: split.train, validation: split.validation, test: split.test } };
}

/** The standardized coefficients, one row per output (multinomial: the K rows of the single fit). */
function coefficientsOf(fits: OutputFit[], outputs: OutputProblem[], d: number): { coefStd: Float64Array; interceptStd: Float64Array } {
  const rows: Float64Array[] = [];
  const interceptStd: number[] = [];
  fits.forEach((f, o) => {
    const nRows = outputs[o].kind === 'multinomial' ? outputs[o].nClasses : 1;
    for (let k = 0; k < nRows; k++) {
      rows.push(f.theta.slice(k * (d + 1), k * (d + 1) + d));
      interceptStd.push(f.theta[k * (d + 1) + d]);
    }
  });
  const coefStd = new Float64Array(rows.length * d);
  rows.forEach((r, k) => coefStd.set(r, k * d));
  return { coefStd, interceptStd: Float64Array.from(interceptStd) };
}

/** Each non-empty split's evaluation; a binary model first gets its calibrators from the validation rows (bench/evaluate.ts times it). */
export function evaluateSplits(model: ModelJson, ds: Dataset, rowsOf: Record<SplitName, Int32Array>, scaled: Record<SplitName, Float64Array>): Partial<Record<SplitName, SplitEvaluation>> {
  const decisions: Partial<Record<SplitName, Float64Array>> = {};
  for (const s of ['train', 'validation', 'test'] as const) {
    if (rowsOf[s].length > 0) decisions[s] = decisionValues(model, scaled[s], rowsOf[s].length);
  }
  // The validation split sorted once, for its isotonic calibrator and its evaluation.
  const sorted: Partial<Record<SplitName, SortedBinarySplit | null>> = {};
  if (model.kind === 'binary' && decisions.validation) {
    const v = (sorted.validation = sortedBinarySplit(model, decisions.validation, ds.y, rowsOf.validation, true));
    model.calibration = fitCalibrators(decisions.validation, v?.pass.y ? v.pass.y : takeInt(ds.y, rowsOf.validation), v);
  }
  const evaluation: Partial<Record<SplitName, SplitEvaluation>> = {};
  for (const s of ['train', 'validation', 'test'] as const) {
    const z = decisions[s];
    if (z) evaluation[s] = evaluateSplit(s, model, z, rowsOf[s], ds, sorted[s]);
  }
  return evaluation;
}

function resolveKind(settings: TrainSettings, ds: Dataset, file: string): ResolvedModelKind {
  const K = ds.classes.length;
  const fail = (message: string) => new DataError({ code: 'settings.model', file, message });
  if (ds.task === 'multilabel') {
    if (settings.model !== 'auto' && settings.model !== 'multilabel') throw fail(`several target columns make a multilabel model, not '${settings.model}'`);
    return 'multilabel';
  }
  switch (settings.model) {
    case 'auto':
      return K === 2 ? 'binary' : 'multinomial';
    case 'binary':
      if (K !== 2) throw fail(`a binary model needs 2 classes, but '${ds.targetNames[0]}' has ${K}; use --model multinomial or ovr`);
      return 'binary';
    case 'multinomial':
    case 'ovr':
      return K === 2 && settings.model === 'ovr' ? 'binary' : settings.model;
    case 'multilabel':
      throw fail('a multilabel model needs several 0/1 target columns (--target a,b,c)');
  }
}

function outputProblems(kind: ResolvedModelKind, ds: Dataset, rowsOf: Record<SplitName, Int32Array>): OutputProblem[] {
  const hasVal = rowsOf.validation.length > 0;
  // Every row trains, in order: the labels are ds.y itself (never written to), not a copy.
  const yTr = rowsOf.train.length === ds.n && isStrictlyAscending(rowsOf.train) ? ds.y : takeInt(ds.y, rowsOf.train);
  const yVa = hasVal ? takeInt(ds.y, rowsOf.validation) : null;
  const indicator = (y: Int32Array, k: number) => Int32Array.from(y, (v) => (v === k ? 1 : 0));
  switch (kind) {
    case 'binary':
      return [{ kind: 'binary', nClasses: 2, yTrain: yTr, yValidation: yVa }];
    case 'multinomial':
      return [{ kind: 'multinomial', nClasses: ds.classes.length, yTrain: yTr, yValidation: yVa }];
    case 'ovr':
      return ds.classes.map((_, k) => ({ kind: 'binary', nClasses: 2, yTrain: indicator(yTr, k), yValidation: yVa && indicator(yVa, k) }));
    case 'multilabel': {
      const L = ds.classes.length;
      const label = (rows: Int32Array, l: number) => Int32Array.from(rows, (r) => ds.Y![r * L + l]);
      return ds.classes.map((_, l) => ({ kind: 'binary', nClasses: 2, yTrain: label(rowsOf.train, l), yValidation: hasVal ? label(rowsOf.validation, l) : null }));
    }
  }
}

interface OutputFit {
  theta: Float64Array;
  result: SolverResult;
  sklearnObjective: number;
  totalWeight: number;
  history: { train: number[]; validation: number[] };
  earlyStopped: boolean;
  snapshots: OutputSnapshots;
}

function fitOutputs(
  outputs: OutputProblem[],
  scaled: Record<SplitName, Float64Array>,
  d: number,
  settings: RunSettings,
  options: TrainOptions,
  nVal: number,
): OutputFit[] {
  const fits: OutputFit[] = [];
  const interval = options.progressIntervalMs ?? 100;
  for (let o = 0; o < outputs.length; o++) {
    const out = outputs[o];
    const { spec, S } = outputLossSpec(out, scaled.train, d, settings);
    // Stochastic and mini-batch solvers work on a few rows at a time: sharding them only costs threads.
    const made = options.createLoss && !STOCHASTIC.has(settings.solver) ? options.createLoss(spec) : { loss: new LinearModelLoss(spec), release: () => undefined };
    const loss = made.loss;
    const history = { train: [] as number[], validation: [] as number[] };
    const iterative = ITERATIVE.has(settings.solver);
    const watchValidation = nVal > 0 && out.yValidation !== null;
    const stopping = new EarlyStopping(settings.patience);
    let cancelled = false;
    let lastPost = -Infinity;
    const snapshots = new SnapshotRecorder(out.kind === 'multinomial' ? out.nClasses : 1);
    snapshots.record(0, new Float64Array(loss.nParams));
    const onIteration = (info: { iteration: number; objective: number; gradientNorm: number; theta: Float64Array }) => {
      history.train.push(info.objective);
      snapshots.record(info.iteration, info.theta);
      if (watchValidation) {
        const v = validationLogLoss(loss, info.theta, scaled.validation, nVal, out);
        history.validation.push(v);
        if (settings.earlyStopping && iterative && stopping.observe(v, info.theta)) return true;
      }
      if (options.shouldStop?.()) {
        cancelled = true;
        return true;
      }
      const t = now();
      if (options.onProgress && t - lastPost >= interval) {
        lastPost = t;
        const partial = combinedHistory([...fits, { history }]);
        options.onProgress(progressSnapshot('fitting', o, outputs.length, settings.maxIter, info.gradientNorm, partial));
      }
      return false;
    };
    try {
      const result = minimize(loss, settings.solver, {
        maxIter: settings.maxIter,
        tol: settings.tol,
        onIteration,
        optimizer: settings.optimizer,
        learningRate: settings.learningRate,
        schedule: settings.schedule,
        batchSize: settings.solver === 'sgd' ? 1 : settings.batchSize,
        seed: settings.seed,
      });
      if (cancelled) throw new TrainingCancelled();
      const earlyStopped = stopping.stopped;
      const theta: Float64Array = earlyStopped && stopping.bestTheta ? stopping.bestTheta : result.theta;
      // The solver's F at its own θ comes from its last full pass: only another θ (early stopping's best) needs a pass of its own.
      const objective = theta === result.theta && Number.isFinite(result.objective) ? loss.sklearnFromScaled(result.objective) : loss.sklearnObjective(theta);
      fits.push({ theta, result, sklearnObjective: objective, totalWeight: S, history, earlyStopped, snapshots: snapshots.finish() });
    } finally {
      void made.release();
    }
  }
  return fits;
}

/** The objective of one output on the (preprocessed) training rows, and its total sample weight S. */
export function outputLossSpec(out: OutputProblem, Xtrain: Float64Array, d: number, settings: TrainSettings): { spec: LossSpec; S: number } {
  const n = out.yTrain.length;
  let sampleWeight: Float64Array | null = null;
  if (settings.classWeight === 'balanced') {
    const cw = balancedClassWeights(out.yTrain, out.nClasses);
    sampleWeight = Float64Array.from(out.yTrain, (c) => cw[c]);
  }
  const S = sampleWeight ? sampleWeight.reduce((a, b) => a + b, 0) : n;
  const C = settings.lambda !== undefined ? 1 / (settings.lambda * S) : settings.C;
  const spec: LossSpec = { X: Xtrain, n, d, kind: out.kind, y: out.yTrain, nClasses: out.nClasses, sampleWeight, fitIntercept: true, penalty: settings.penalty, C, l1Ratio: settings.l1Ratio };
  return { spec, S };
}

/** A two-class target fitted as multinomial: the same model as the sigmoid at C' = 2C (evaluate/softmaxSigmoid.ts). */
function twoClassSoftmax(outputs: OutputProblem[], fits: OutputFit[], Xtrain: Float64Array, d: number, settings: TrainSettings): Pick<ReportParts, 'softmaxAsSigmoid'> {
  if (outputs.length !== 1 || outputs[0].kind !== 'multinomial' || outputs[0].nClasses !== 2) return {};
  const result = softmaxAsSigmoid(outputLossSpec(outputs[0], Xtrain, d, settings).spec, fits[0].theta);
  return result ? { softmaxAsSigmoid: result } : {};
}

/** The loss landscape of a single-output fit (evaluate/landscape.ts) around its final parameters, with its kept iterates. */
function runLandscape(out: OutputProblem, fit: OutputFit, Xtrain: Float64Array, ds: Dataset, prep: Preprocessor, settings: TrainSettings): Landscape {
  const t0 = now();
  const { spec } = outputLossSpec(out, Xtrain, ds.d, settings);
  const P = fit.theta.length;
  const s = fit.snapshots;
  const path = s.iterations.map((_, k) => Float64Array.from(s.theta.slice(k * P, (k + 1) * P)));
  const landscape = computeLandscape({ spec, thetaStar: fit.theta, path, scaler: prep.standardize ? prep : null, featureNames: ds.featureNames, rowNames: out.kind === 'multinomial' ? ds.classes : undefined, seed: settings.seed });
  landscape.computeMs = now() - t0;
  return landscape;
}

/** Mean (unweighted, unpenalized) log-loss on the validation rows: what early stopping watches. */
function validationLogLoss(loss: LinearModelLoss, theta: Float64Array, X: Float64Array, n: number, out: OutputProblem): number {
  const z = loss.rawPrediction(theta, X, n);
  const family = lossFamilyOf(out.kind);
  const K = out.nClasses;
  const R = family.rawWidth(K);
  const y = out.yValidation!;
  let s = 0;
  for (let i = 0; i < n; i++) s += cappedRowLoss(family, z, i * R, K, y[i]);
  return s / n;
}

/**
 * One loss history for the whole model: for OvR and multilabel, whose outputs are independent
 * problems, the training objective is the sum over outputs and the validation loss the mean, each
 * output holding its last value once it has stopped.
 */
function combinedHistory(fits: Pick<OutputFit, 'history'>[]): { train: number[]; validation: number[] } {
  if (fits.length === 1) return { train: fits[0].history.train.slice(), validation: fits[0].history.validation.slice() };
  const combine = (key: 'train' | 'validation', mean: boolean) => {
    const series = fits.map((f) => f.history[key]).filter((h) => h.length > 0);
    const len = Math.max(0, ...series.map((h) => h.length));
    const out: number[] = [];
    for (let t = 0; t < len; t++) {
      let s = 0;
      for (const h of series) s += h[Math.min(t, h.length - 1)];
      out.push(mean ? s / series.length : s);
    }
    return out;
  };
  return { train: combine('train', false), validation: combine('validation', true) };
}

function progressSnapshot(
  phase: TrainProgress['phase'],
  output: number,
  outputs: number,
  maxIter: number,
  gradientNorm: number,
  lossHistory: { train: number[]; validation: number[] },
): TrainProgress {
  return { phase, iteration: lossHistory.train.length, maxIter, output, outputs, gradientNorm, lossHistory };
}

function summarizeConvergence(fits: OutputFit[], settings: TrainSettings): Convergence {
  const worst = fits.find((f) => f.result.stopReason === 'diverged') ?? fits.find((f) => !f.result.converged && !f.earlyStopped) ?? fits[0];
  const early = fits.some((f) => f.earlyStopped);
  const gradientNorm = Math.max(...fits.map((f) => f.result.gradientNorm));
  const finite = Number.isFinite(gradientNorm) && fits.every((f) => Number.isFinite(f.result.gradientNorm));
  return {
    solver: settings.solver,
    iterations: Math.max(...fits.map((f) => f.result.iterations)),
    // Never converged with a gradient that is not a finite number.
    converged: finite && fits.every((f) => f.result.converged),
    gradientNorm,
    stopReason: !finite ? 'diverged' : early && worst.result.stopReason === 'stopped' ? 'early-stopped' : worst.result.stopReason,
    message: worst.result.message,
    objective: fits.reduce((s, f) => s + f.sklearnObjective, 0),
  };
}

/** What to change when a fit runs out of iterations: standardization is advised only when it is off. */
function notConvergedAdvice(settings: TrainSettings): string {
  const stochastic = settings.solver === 'sgd' || settings.solver === 'minibatch';
  const firstOrder = stochastic || settings.solver === 'gd';
  const steps = [`raise --max-iter${stochastic ? ' or --batch-size' : ''}`, 'loosen --tol'];
  if (firstOrder) steps.push('use --solver lbfgs');
  if (!settings.standardize) steps.push('keep standardization on (drop --no-standardize)');
  return steps.slice(0, -1).join(', ') + ' or ' + steps[steps.length - 1];
}

function convergenceWarnings(fits: OutputFit[], settings: TrainSettings, train: SplitEvaluation | undefined, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  fits.forEach((f, o) => {
    const which = fits.length > 1 ? ` (output ${o + 1} of ${fits.length})` : '';
    const r = f.result;
    if (r.stopReason === 'diverged' || !Number.isFinite(r.gradientNorm)) {
      out.push(warning('fit.diverged', `training diverged${which}: ${r.message ?? 'the gradient is not a finite number'}`, { file }));
    } else if (r.stopReason === 'max-iter') {
      out.push(
        warning(
          'fit.not-converged',
          `the ${settings.solver} solver did not converge in ${r.iterations} iterations${which} (projected gradient ${r.gradientNorm.toExponential(2)}; it stops at ${settings.tol} times its starting value); ${notConvergedAdvice(settings)}`,
          { file },
        ),
      );
    }
    if (r.stopReason === 'precision-limit') {
      out.push({ severity: 'info', code: 'fit.precision-limit', message: `the ${settings.solver} solver stopped at the float64 precision limit${which} (projected gradient ${r.gradientNorm.toExponential(2)}): the fit is as accurate as this data allows`, file });
    }
    if (f.earlyStopped) out.push(warning('fit.early-stopped', `stopped early${which} after ${r.iterations} iterations: the validation loss did not improve for ${settings.patience} iterations`, { file }));
  });
  // Separable data without a penalty: no finite optimum exists; the weights grow until the solver gives up.
  const unpenalized = settings.penalty === 'none' || !Number.isFinite(settings.C);
  const m = train?.metrics;
  if (unpenalized && m && m.accuracy === 1 && m.logLoss < 1e-3) {
    out.push(
      warning(
        'fit.separable',
        'the training classes are linearly separable: with no penalty the weights grow without bound and no finite optimum exists; use an L2 penalty (--penalty l2 with a finite C)',
        { file },
      ),
    );
  }
  return out;
}

function dataSummary(
  table: TrainingTable,
  columns: ColumnInfo[],
  ds: Dataset,
  file: string,
  settings: TrainSettings,
  split: { train: Int32Array; validation: Int32Array; test: Int32Array },
): DataSummary {
  let counts: number[];
  if (ds.task === 'multilabel') {
    const L = ds.classes.length;
    counts = new Array<number>(L).fill(0);
    for (let i = 0; i < ds.n; i++) for (let l = 0; l < L; l++) counts[l] += ds.Y![i * L + l];
  } else {
    // The split's count (split.ts), not a copy of its loop.
    counts = Array.from(classCounts(ds.y, ds.classes.length));
  }
  return {
    fileName: file,
    nRows: table.nRows,
    nColumns: table.header.length,
    delimiter: table.delimiter,
    decimalComma: table.decimalComma,
    encoding: table.encoding,
    columns,
    target: ds.targetNames,
    classes: ds.classes,
    classCounts: counts,
    droppedRows: ds.droppedRows,
    missingPolicy: settings.missing,
    missingCounts: ds.missingCounts,
    nTrain: split.train.length,
    nValidation: split.validation.length,
    nTest: split.test.length,
  };
}

/**
 * Each split's rows of ds.X imputed, standardized and checked for values no fit can use. Validation
 * and test go into new matrices, the training rows into trainingBuffer; where the training rows ascend
 * (every split but an oversampled one), all three in one pass down ds.X (takeScaledParts), else one
 * pass per split (takeScaledRows), the training rows last. The first value no fit can use is reported
 * in the order train, validation, test.
 */
function scaledSplits(ds: Dataset, rowsOf: Record<SplitName, Int32Array>, prep: Preprocessor, file: string): Record<SplitName, Float64Array> {
  const d = ds.d;
  const order = ['train', 'validation', 'test'] as const;
  const validation = new Float64Array(rowsOf.validation.length * d);
  const test = new Float64Array(rowsOf.test.length * d);
  const refused: (RefusedValue | null)[] = [null, null, null];
  let train: Float64Array;
  if (isStrictlyAscending(rowsOf.train)) {
    const part = new Int8Array(ds.n).fill(-1);
    order.forEach((s, k) => {
      for (const r of rowsOf[s]) part[r] = k;
    });
    train = trainingBuffer(ds, rowsOf.train);
    refused.splice(0, 3, ...takeScaledParts(ds.X, d, part, [train, validation, test], prep));
  } else {
    // The raw value is still in ds.X here (the training rows have not moved yet, or stopped before it).
    const take = (k: number, out: Float64Array) => {
      const at = takeScaledRows(ds.X, d, rowsOf[order[k]], prep, out);
      if (at >= 0) refused[k] = { at, value: ds.X[rowsOf[order[k]][Math.floor(at / d)] * d + (at % d)] };
      return out;
    };
    take(1, validation);
    take(2, test);
    train = take(0, trainingBuffer(ds, rowsOf.train));
  }
  const k = refused.findIndex((r) => r !== null);
  if (k >= 0) {
    const { at, value } = refused[k]!;
    throw extremeValueError(ds.featureNames[at % d], value, prep.standardize, ds.rowLines[rowsOf[order[k]][Math.floor(at / d)]], file);
  }
  return { train, validation, test };
}

/**
 * Where the training rows go. Large ones (enough for the SIMD kernels) in a shared WebAssembly memory:
 * where ds.X already lies in one (the fast parse's buffer) and the rows ascend, the front of ds.X
 * itself, with no second matrix (ds.X's other rows are then gone: the other splits and the points are
 * taken before); otherwise a new one. Small ones in a new matrix.
 */
function trainingBuffer(ds: Dataset, rows: Int32Array): Float64Array {
  const large = rows.length * ds.d >= SIMD_MIN_WORK;
  if (large && sharedMemoryOf(ds.X.buffer) && isStrictlyAscending(rows)) return ds.X.subarray(0, rows.length * ds.d);
  return rowBuffer(rows.length, ds.d, large);
}

/**
 * The dataset with its features expanded (settings.expansion fitted on the training rows, every row
 * checked for values a transform cannot take), or the dataset itself when there is no expansion.
 */
function expandDataset(ds: Dataset, train: Int32Array, spec: ExpansionSpec | undefined, file: string): { ds: Dataset; expansion?: FittedExpansion } {
  if (!isActiveExpansion(spec)) return { ds };
  const numeric = ds.features.map((f) => f.kind === 'numeric');
  const expansion = fitExpansion(spec, ds.X, ds.d, train, ds.featureNames, numeric, file);
  const X = expandRows(expansion, ds.X, ds.n, { lineOf: (i) => ds.rowLines[i], file });
  return { ds: { ...ds, X, d: expansion.names.length, featureNames: expansion.names }, expansion };
}

/** The stratified point sample (by class and split) that the panel draws, with its raw rows (NaN = missing). */
function pointSample(ds: Dataset, rowsOf: Record<SplitName, Int32Array>, settings: TrainSettings): PointSample {
  const L = ds.classes.length;
  const multilabel = ds.task === 'multilabel';
  // Each row's stratum, class x split (y * 3 + split; multilabel: the split), then counted (an
  // oversampled split names a row several times). The splits partition the rows, so every row has a split.
  // One byte a row when every stratum fits in one (up to 85 classes), else (or for a class index out of range) four.
  const fill = (strata: Uint8Array | Int32Array) => {
    let inRange = true;
    (['train', 'validation', 'test'] as const).forEach((s, k) => {
      const rows = rowsOf[s];
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        const c = multilabel ? 0 : ds.y[r];
        if (!(c >= 0 && c < L)) inRange = false;
        strata[r] = c * 3 + k;
      }
    });
    return inRange;
  };
  let strata: Uint8Array | Int32Array = 3 * (multilabel ? 1 : L) <= 256 ? new Uint8Array(ds.n) : new Int32Array(ds.n);
  let inRange = fill(strata);
  if (!inRange && strata instanceof Uint8Array) inRange = fill((strata = new Int32Array(ds.n)));
  const count = new Int32Array(3 * (multilabel ? 1 : L));
  if (inRange) for (let r = 0; r < ds.n; r++) count[strata[r]]++;
  const picked = inRange ? stratifiedSampleOfValues(strata, count, settings.maxPoints, settings.seed) : stratifiedSample(strata, settings.maxPoints, settings.seed);
  const labelOf = (r: number) => {
    if (!multilabel) return ds.y[r];
    let bits = 0;
    for (let l = 0; l < Math.min(L, 30); l++) bits |= ds.Y![r * L + l] << l;
    return bits;
  };
  return { X: takeRows(ds.X, ds.d, picked), y: Array.from(picked, labelOf), split: Array.from(picked, (r) => strata[r] - 3 * Math.floor(strata[r] / 3)), ofRows: ds.n };
}

/** The point sample with its missing cells imputed, and the PCA projection of the training rows. */
function pointsAndProjection(
  sample: PointSample,
  imputeMean: ArrayLike<number>,
  prep: Preprocessor,
  rowsOf: Record<SplitName, Int32Array>,
  scaled: Record<SplitName, Float64Array>,
  settings: TrainSettings,
): Pick<ReportParts, 'points' | 'projection'> {
  const d = prep.mean.length;
  const X = sample.X;
  for (let i = 0; i < X.length; i++) if (Number.isNaN(X[i])) X[i] = imputeMean[i % imputeMean.length];
  // PCA on (a sample of) the standardized training rows.
  return { points: sample, projection: sampledComponents(scaled.train, rowsOf.train.length, d, settings.seed) };
}
