/**
 * What the in-memory run (train.ts) and the streaming run (streaming.ts) share once they have fitted:
 * the model file (coefficients in both units), early stopping on the validation loss, the headline
 * metrics, the boundary points' predicted classes, and the report itself. A rule changed here changes
 * both runs.
 */
import { coefToOriginal, type Preprocessor } from '../data/preprocess';
import type { FeatureSpec } from '../data/dataset';
import type { FittedExpansion } from '../data/featureExpansion';
import { MODEL_FORMAT, MODEL_VERSION, inputWidth, nOutputs, predictClasses, predictProba, type ModelJson } from '../model/model';
import type { SplitEvaluation, SplitName, TrainReport } from '../report/report';
import { VERSION } from '../version';
import type { ResolvedModelKind, TrainSettings } from './settings';

/**
 * Early stopping on a validation loss: a loss counts as an improvement when it is below the best so
 * far by more than 1e-12; after `patience` observations without one, the run stops and keeps the
 * parameters of the best.
 */
export class EarlyStopping {
  best = Infinity;
  bestTheta: Float64Array | null = null;
  stopped = false;
  private sinceBest = 0;
  constructor(readonly patience: number) {}

  /** Records the validation loss of `theta` (copied when it is the best); true once the run should stop. */
  observe(loss: number, theta: Float64Array): boolean {
    if (loss < this.best - 1e-12) {
      this.best = loss;
      this.bestTheta = theta.slice();
      this.sinceBest = 0;
    } else if (++this.sinceBest >= this.patience) this.stopped = true;
    return this.stopped;
  }
}

export interface ModelParts {
  kind: ResolvedModelKind;
  classes: string[];
  targetNames: string[];
  features: FeatureSpec[];
  prep: Preprocessor;
  /** Coefficients on the standardized features, one row of d per output (rows × d), and their intercepts. */
  coefStd: Float64Array;
  interceptStd: Float64Array;
  settings: TrainSettings;
  /** C as resolved for the run, and the total training weight S (lambda = 1 / (C·S)). */
  C: number;
  totalWeight: number;
  training: ModelJson['training'];
  /** The fitted feature expansion: the coefficients are then on its features, `features` are its inputs. */
  expansion?: FittedExpansion;
}

/** The model file of a fit; its `metrics` are filled by assembleReport. */
export function assembleModel(p: ModelParts): ModelJson {
  const d = p.prep.mean.length;
  const nRows = p.interceptStd.length;
  const orig = coefToOriginal(p.coefStd, p.interceptStd, d, p.prep);
  const toRows = (flat: Float64Array) => Array.from({ length: nRows }, (_, k) => Array.from(flat.subarray(k * d, (k + 1) * d)));
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    kind: p.kind,
    classes: p.classes,
    targetNames: p.targetNames,
    featureNames: p.expansion ? [...p.expansion.names] : p.features.map((f) => f.name),
    features: p.features,
    ...(p.expansion ? { expansion: p.expansion } : {}),
    preprocessor: {
      imputeMean: Array.from(p.prep.imputeMean),
      mean: Array.from(p.prep.mean),
      scale: Array.from(p.prep.scale),
      standardize: p.prep.standardize,
    },
    coef: toRows(orig.coef),
    intercept: Array.from(orig.intercept),
    coefStandardized: toRows(p.coefStd),
    interceptStandardized: Array.from(p.interceptStd),
    threshold: 0.5,
    settings: { ...p.settings, C: p.C, lambda: 1 / (p.C * p.totalWeight) },
    training: p.training,
    metrics: {},
    createdBy: `logit-lab ${VERSION}`,
  };
}

/** The model file's headline metrics of one split (multilabel: subset accuracy and the mean per-label log-loss). */
export function headlineMetrics(ev: SplitEvaluation): ModelJson['metrics'][string] {
  const m = ev.metrics;
  if (m) return { n: ev.n, accuracy: m.accuracy, logLoss: m.logLoss, rocAuc: m.rocAuc };
  const ml = ev.multilabel!;
  const losses = ml.perLabel.map((p) => p.logLoss);
  return { n: ev.n, accuracy: ml.subsetAccuracy, logLoss: losses.reduce((a, b) => a + b, 0) / Math.max(1, losses.length) };
}

/** The boundary points of a report: raw (imputed) feature rows with their class, split, and the model's prediction. */
export interface PointSample {
  /** m × d, in original units, missing cells imputed. */
  X: Float64Array;
  y: ArrayLike<number>;
  split: ArrayLike<number>;
  /** Rows the sample was drawn from. */
  ofRows: number;
}

export type ReportParts = Omit<TrainReport, 'version' | 'points'> & { points: PointSample };

/**
 * The report of a run: the model's headline metrics from the evaluation, and the points' predicted
 * classes through the model file's own prediction (so the panel's points agree with `predict`).
 */
export function assembleReport(parts: ReportParts): TrainReport {
  const { model, evaluation, points } = parts;
  for (const s of ['train', 'validation', 'test'] as SplitName[]) {
    const ev = evaluation[s];
    if (ev) model.metrics[s] = headlineMetrics(ev);
  }
  const d = inputWidth(model);
  const m = d > 0 ? points.X.length / d : 0;
  const nOut = nOutputs(model);
  const predicted = predictClasses(model, predictProba(model, points.X, m), m, nOut);
  return {
    version: 1,
    ...parts,
    points: { X: Array.from(points.X), y: Array.from(points.y), split: Array.from(points.split), predicted, ofRows: points.ofRows },
  };
}
