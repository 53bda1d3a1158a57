/**
 * The fitted model: a versioned JSON document (the CLI's --out format, the panel's "Save model") and
 * the functions that predict with it on newly encoded rows. Prediction applies exactly the training
 * preprocessing: imputation with training means, then standardization, then the linear model.
 */
import { DataError } from '../diagnostics';
import type { FeatureSpec } from '../data/dataset';
import { expandRows, type FittedExpansion } from '../data/featureExpansion';
import type { Calibrator } from '../evaluate/calibration';
import type { ResolvedModelKind, TrainSettings } from '../run/settings';
import { binomial, multinomial, positiveProbability, predictRowFromProba } from './lossFamily';
import { modelProblem } from './validateModel';

export const MODEL_FORMAT = 'logit-lab-model';
export const MODEL_VERSION = 1;

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  kind: ResolvedModelKind;
  /** Binary/multiclass: class labels in scikit-learn order (binary: classes[1] is positive). Multilabel: label columns. */
  classes: string[];
  targetNames: string[];
  featureNames: string[];
  /** How each encoded feature is computed from the CSV's columns (numeric, or one-hot of a level). */
  features: FeatureSpec[];
  /**
   * Feature engineering fitted on the training rows (featureExpansion.ts): the encoded features are
   * expanded into `featureNames` before imputation and scaling. Absent: featureNames are the encoded features.
   */
  expansion?: FittedExpansion;
  preprocessor: { imputeMean: number[]; mean: number[]; scale: number[]; standardize: boolean };
  /** Coefficients in original feature units: one row (binary) or one per class/label. */
  coef: number[][];
  intercept: number[];
  /** Coefficients on the standardized features (what the solver fitted). */
  coefStandardized: number[][];
  interceptStandardized: number[];
  /** Binary: predict the positive class when its probability is at least this. */
  threshold: number;
  /** Binary: post-hoc calibrators fitted on the validation split. */
  calibration?: { platt?: Calibrator; isotonic?: Calibrator };
  /** The settings of the run, with C and lambda both resolved. */
  settings: TrainSettings & { C: number; lambda: number };
  training: { solver: string; iterations: number; converged: boolean; gradientNorm: number; objective: number };
  /** Headline metrics per split (the full set lives in the report). */
  metrics: Record<string, { n: number; accuracy: number; logLoss: number; rocAuc?: number | null }>;
  createdBy: string;
}

/** Number of outputs of the linear part: 1 for binary, K for multinomial/OvR, L for multilabel. */
export function nOutputs(model: ModelJson): number {
  return model.coefStandardized.length;
}

/** Number of encoded input features (the width of the rows predictProba and preprocessRows take). */
export function inputWidth(model: Pick<ModelJson, 'featureNames' | 'expansion'>): number {
  return model.expansion ? model.expansion.inputNames.length : model.featureNames.length;
}

/** Names of the encoded input features (the boundary plane's axes): the expansion's inputs, or featureNames. */
export function inputNames(model: Pick<ModelJson, 'featureNames' | 'expansion'>): string[] {
  return model.expansion ? model.expansion.inputNames : model.featureNames;
}

/**
 * Expands (when the model has an expansion), imputes and standardizes encoded rows (n x inputWidth)
 * as at training time; returns a new n x featureNames.length array. A value a log cannot take gives NaN.
 */
export function preprocessRows(model: ModelJson, encoded: Float64Array, n: number): Float64Array {
  const X = model.expansion ? expandRows(model.expansion, encoded, n) : encoded;
  const { imputeMean, mean, scale } = model.preprocessor;
  const d = model.featureNames.length;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let v = X[i * d + j];
      if (Number.isNaN(v)) v = imputeMean[j];
      out[i * d + j] = (v - mean[j]) / scale[j];
    }
  }
  return out;
}

/** Decision values z = x_std . w_k + b_k on preprocessed rows: n x nOutputs. */
export function decisionOnPreprocessed(model: ModelJson, Xs: Float64Array, n: number): Float64Array {
  const d = model.featureNames.length;
  const W = model.coefStandardized;
  const b = model.interceptStandardized;
  const K = W.length;
  if (K === 1) return singleDecision(Float64Array.from(W[0]), b[0], Xs, n, d);
  const w = new Float64Array(K * d);
  W.forEach((wk, k) => w.set(wk, k * d));
  return multiDecision(w, Float64Array.from(b), K, Xs, n, d);
}

/**
 * decisionOnPreprocessed with K outputs (w: K x d row-major): each z_ik = b_k + Σ_j w_kj x_ij summed in
 * the same order, bit for bit, four outputs of a row at a time (four dependency chains overlapping,
 * each x_ij read once for them).
 */
function multiDecision(w: Float64Array, b: Float64Array, K: number, Xs: Float64Array, n: number, d: number): Float64Array {
  const z = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const w0 = k * d;
      let s0 = b[k];
      let s1 = b[k + 1];
      let s2 = b[k + 2];
      let s3 = b[k + 3];
      for (let j = 0; j < d; j++) {
        const x = Xs[row + j];
        s0 += w[w0 + j] * x;
        s1 += w[w0 + d + j] * x;
        s2 += w[w0 + 2 * d + j] * x;
        s3 += w[w0 + 3 * d + j] * x;
      }
      z[i * K + k] = s0;
      z[i * K + k + 1] = s1;
      z[i * K + k + 2] = s2;
      z[i * K + k + 3] = s3;
    }
    for (; k < K; k++) {
      let s = b[k];
      for (let j = 0; j < d; j++) s += w[k * d + j] * Xs[row + j];
      z[i * K + k] = s;
    }
  }
  return z;
}

/**
 * decisionOnPreprocessed with one output: each row's b + Σ_j w_j x_ij summed in the same order, bit for
 * bit, four rows at a time so that their four dependency chains of additions overlap. (Also
 * LinearModelLoss.rawPrediction's binary case: w may be longer than d, only w[0..d-1] is read.)
 */
export function singleDecision(w: Float64Array, b: number, Xs: Float64Array, n: number, d: number): Float64Array {
  const z = new Float64Array(n);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const r0 = i * d;
    let s0 = b;
    let s1 = b;
    let s2 = b;
    let s3 = b;
    for (let j = 0; j < d; j++) {
      const wj = w[j];
      s0 += wj * Xs[r0 + j];
      s1 += wj * Xs[r0 + d + j];
      s2 += wj * Xs[r0 + 2 * d + j];
      s3 += wj * Xs[r0 + 3 * d + j];
    }
    z[i] = s0;
    z[i + 1] = s1;
    z[i + 2] = s2;
    z[i + 3] = s3;
  }
  for (; i < n; i++) {
    let s = b;
    for (let j = 0; j < d; j++) s += w[j] * Xs[i * d + j];
    z[i] = s;
  }
  return z;
}

/**
 * Class probabilities from decision values.
 * binary: [1 - sigma(z), sigma(z)]; multinomial: softmax(z); ovr: sigma(z_k) normalized to sum 1
 * (as scikit-learn's OneVsRestClassifier); multilabel: sigma(z_l) per label (n x L, not normalized).
 */
export function probaFromDecision(kind: ResolvedModelKind, z: Float64Array, n: number, nOut: number): Float64Array {
  if (kind === 'binary') return binomial.rawToProba(z, n, 2);
  if (kind === 'multinomial') return multinomial.rawToProba(z, n, nOut);
  // One binomial output per class (ovr) or label (multilabel).
  const p = new Float64Array(n * nOut);
  for (let i = 0; i < n; i++) {
    const o = i * nOut;
    let s = 0;
    for (let k = 0; k < nOut; k++) s += p[o + k] = positiveProbability(z[o + k]);
    if (kind === 'ovr') for (let k = 0; k < nOut; k++) p[o + k] = s > 0 ? p[o + k] / s : 1 / nOut;
  }
  return p;
}

/**
 * The predicted class of each of n rows of probabilities (probaFromDecision's): binary at the model's
 * threshold, multiclass the argmax, multilabel a bit mask of the labels at 0.5 or more (first 30).
 */
export function predictClasses(model: Pick<ModelJson, 'kind' | 'threshold'>, proba: Float64Array, n: number, nOut: number): number[] {
  const predicted: number[] = [];
  for (let a = 0; a < n; a++) {
    if (model.kind === 'binary') predicted.push(predictRowFromProba(proba, 2 * a, 2, model.threshold));
    else if (model.kind === 'multilabel') {
      let bits = 0;
      for (let l = 0; l < Math.min(nOut, 30); l++) if (proba[a * nOut + l] >= 0.5) bits |= 1 << l;
      predicted.push(bits);
    } else predicted.push(predictRowFromProba(proba, a * nOut, nOut));
  }
  return predicted;
}

/** Probabilities for encoded (raw-unit) rows: n x 2 (binary), n x K, or n x L (multilabel). */
export function predictProba(model: ModelJson, X: Float64Array, n: number): Float64Array {
  const Xs = preprocessRows(model, X, n);
  return probaFromDecision(model.kind, decisionOnPreprocessed(model, Xs, n), n, nOutputs(model));
}

/** Parses and validates a model file; a problem is a DataError naming the file. */
export function parseModelJson(text: string, fileName = 'model.json'): ModelJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DataError({ code: 'model.json', file: fileName, message: `is not valid JSON (${(e as Error).message})` });
  }
  const m = raw as Partial<ModelJson>;
  const fail = (message: string) => new DataError({ code: 'model.invalid', file: fileName, message });
  if (!m || typeof m !== 'object' || m.format !== MODEL_FORMAT) throw fail(`is not a Logit Lab model (no "format": "${MODEL_FORMAT}")`);
  if (m.version !== MODEL_VERSION) throw fail(`has model format version ${String(m.version)}; this Logit Lab reads version ${MODEL_VERSION}`);
  const problem = modelProblem(m);
  if (problem) throw fail(problem);
  return m as ModelJson;
}
