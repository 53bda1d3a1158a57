/**
 * The serializable result of a training run: the fitted model plus everything the model panel, the
 * CLI summary and the HTML report show. Plain numbers and arrays only (it crosses postMessage and is
 * inlined into the HTML report), built by train.ts, never by the views.
 */
import type { PerceptronReport } from '../model/perceptron';
import type { CostThreshold } from '../evaluate/imbalance';
import type { ColumnInfo } from '../data/dataset';
import type { Diagnostic } from '../diagnostics';
import type { ClassificationMetrics, MultilabelMetrics } from '../evaluate/metrics';
import type { Reliability } from '../evaluate/calibration';
import type { ModelJson } from '../model/model';
import type { Inference } from '../evaluate/inference';
import type { Replay } from '../run/snapshots';
import type { SolverComparison } from '../run/compareSolvers';
import type { CrossValidation } from '../run/crossValidate';
import type { Landscape } from '../evaluate/landscape';
import type { SoftmaxAsSigmoid } from '../evaluate/softmaxSigmoid';

export type SplitName = 'train' | 'validation' | 'test';

/** A file as read: its shape, format and typed columns (shared by DataPreview and DataSummary). */
export interface TableShape {
  fileName: string;
  nRows: number;
  nColumns: number;
  delimiter: string;
  decimalComma: boolean;
  encoding: 'utf-8' | 'windows-1252';
  columns: ColumnInfo[];
}

export interface DataSummary extends TableShape {
  target: string[];
  /** Class labels (multilabel: the label columns). */
  classes: string[];
  /** Rows per class (multilabel: rows with label 1). */
  classCounts: number[];
  droppedRows: number;
  missingPolicy: 'impute' | 'drop';
  missingCounts: Record<string, number>;
  nTrain: number;
  nValidation: number;
  nTest: number;
}

/** Curves of one binary output (the positive class) on one split, ready to plot. */
export interface BinaryCurves {
  roc: { fpr: number[]; tpr: number[]; thresholds: number[]; auc: number };
  pr: { precision: number[]; recall: number[]; thresholds: number[]; averagePrecision: number };
  /** Cumulative counts at each distinct score, descending: the threshold slider looks up in O(log n). */
  sweep: { thresholds: number[]; tp: number[]; fp: number[]; positives: number; negatives: number };
  reliability: Reliability;
  /** Reliability after post-hoc calibration fitted on the validation split (when there is one). */
  calibrated?: { platt?: Reliability; isotonic?: Reliability };
}

export interface SplitEvaluation {
  split: SplitName;
  n: number;
  /** Binary / multiclass: at the model's threshold (0.5 unless chosen). */
  metrics?: ClassificationMetrics;
  /** Binary: curves of the positive class. */
  curves?: BinaryCurves;
  /** Multiclass: one-vs-rest curves per class. Multilabel: curves per label. */
  perClassCurves?: BinaryCurves[];
  /** Multilabel only. */
  multilabel?: MultilabelMetrics;
}

/** A stratified sample of rows for the decision-boundary plot, in original feature units. */
export interface PointSample {
  /** n_s x d, row-major, after imputation, before standardization. */
  X: number[];
  /** Class index (multilabel: label vector packed as bits). */
  y: number[];
  /** 0 train, 1 validation, 2 test. */
  split: number[];
  /** Predicted class index at the model's threshold. */
  predicted: number[];
  /** Total rows the sample was drawn from. */
  ofRows: number;
}

/** Principal components of the standardized training features, for the projection view. */
export interface Projection {
  /** Mean of the standardized features used for centring (length d). */
  center: number[];
  /** Two unit vectors in standardized feature space (2 x d). */
  components: number[][];
  /** Share of variance explained by each component. */
  explained: number[];
}

export interface Convergence {
  solver: string;
  /** One sentence: why this solver (chosen automatically by the data's shape, or as set). */
  solverReason?: string;
  iterations: number;
  converged: boolean;
  gradientNorm: number;
  stopReason: 'converged' | 'max-iter' | 'stopped' | 'diverged' | 'precision-limit' | 'early-stopped';
  message?: string;
  /** Objective in scikit-learn's C-sum form (C * sum s_i loss_i + r(w)); per output for OvR/multilabel summed. */
  objective: number;
}

export interface TrainReport {
  version: 1;
  model: ModelJson;
  data: DataSummary;
  convergence: Convergence;
  /** Per iteration: training objective (scaled: weighted mean loss + penalty / (S C)) and validation mean log-loss. */
  lossHistory: { train: number[]; validation: number[] };
  /** The parameters after each iteration (thinned to at most 2,000 steps; streaming runs: after each loss-history point), for the replay; absent in older reports. */
  replay?: Replay;
  /** "Compare solvers" on this run's problem, when the user asked for it (the panel adds it to the run). */
  comparison?: SolverComparison;
  /** Cross-validation of C on this run's problem (the panel's Model selection tab), when the user asked for it. */
  crossValidation?: CrossValidation;
  /** Binary and multinomial runs, on request (the panel's button, or the CLI's --landscape): the objective around the optimum (evaluate/landscape.ts, run/landscapeRun.ts). */
  landscape?: Landscape;
  /** A two-class target fitted as multinomial: the sigmoid model at C' = 2C beside it. */
  softmaxAsSigmoid?: SoftmaxAsSigmoid;
  evaluation: Partial<Record<SplitName, SplitEvaluation>>;
  points: PointSample;
  projection: Projection | null;
  /** Standard errors, tests and fit statistics (evaluate/inference.ts); absent for streaming runs. */
  inference?: Inference;
  /** settings.perceptron: a perceptron on the same split (model/perceptron.ts); absent for multilabel and streaming runs. */
  perceptron?: PerceptronReport;
  /** A binary run with costs (settings.costFP / costFN): the cost-optimal threshold, now the model's. */
  costThreshold?: CostThreshold;
  warnings: Diagnostic[];
  /**
   * Milliseconds of the run's phases: reading and parsing; typing the columns and the rest of the
   * preparation before the fit (dataset build, split, point sample, scaler, range check), absent from
   * streaming runs and from reports of earlier versions; the fit; the evaluation.
   */
  timings: { parseMs: number; typeMs?: number; prepareMs?: number; fitMs: number; evaluateMs: number };
  /** Streaming runs only (streaming.ts): what the passes over the file did. */
  stream?: StreamSummary;
  /** Set when the report is exported: the run's number in the panel's history and when it started (ISO). */
  run?: { number?: number; startedAt: string };
}

/** The run's phases in order, as "name ms" pairs (typing and preparation when the report has them), and their total. */
export function timingPhases(t: TrainReport['timings']): { phases: [string, number][]; totalMs: number } {
  const phases: [string, number][] = [['read', t.parseMs]];
  if (t.typeMs !== undefined) phases.push(['type columns', t.typeMs]);
  if (t.prepareMs !== undefined) phases.push(['prepare', t.prepareMs]);
  phases.push(['fit', t.fitMs], ['evaluate', t.evaluateMs]);
  return { phases, totalMs: phases.reduce((s, [, ms]) => s + ms, 0) };
}

/** The run's phases as text, "read 240 ms, type columns 120 ms, …, evaluate 140 ms" (the CLI's Time line, the host's log). */
export function timingText(t: TrainReport['timings']): string {
  return timingPhases(t)
    .phases.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
    .join(', ');
}

/** A streaming run (larger than memory): timings are the statistics pass (parseMs), the epochs (fitMs) and the evaluation pass. */
export interface StreamSummary {
  epochs: number;
  /** Per epoch: mean progressive log-loss of the validation rows (each scored before the model saw the rows after it). */
  epochValidationLoss: number[];
  /** Validation log-loss of the final model (evaluation pass), or null without validation rows. */
  finalValidationLoss: number | null;
  /** Rows per shuffle window. */
  windowRows: number;
  /** Rows per split kept for ROC/PR, reliability and calibration. */
  reservoirRows: number;
  totalBytes: number;
}

/** A progress snapshot (complete, never a delta: a hidden panel may miss messages). */
export interface TrainProgress {
  phase: 'reading' | 'fitting' | 'evaluating';
  iteration: number;
  maxIter: number;
  /** Output being fitted (OvR / multilabel fit one model per class or label). */
  output: number;
  outputs: number;
  gradientNorm: number;
  lossHistory: { train: number[]; validation: number[] };
}
