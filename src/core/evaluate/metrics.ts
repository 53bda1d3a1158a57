/**
 * Classification metrics for binary, multiclass and multilabel models from predicted
 * probabilities, with scikit-learn's definitions (checked against scikit-learn 1.2.1 fixtures).
 *
 * Conventions:
 * - Classes are 0..K-1; `proba` is n×K row-major. Every metric takes optional sample weights w_i
 *   (default 1) and every count is a weighted count.
 * - Ratios with a zero denominator are 0 (scikit-learn's `zero_division=0`).
 * - Macro averages run over all K classes, including a class that is neither present nor predicted
 *   (scikit-learn with `labels=range(K)`).
 *
 * Pure TypeScript: no vscode, node or DOM APIs.
 */
import { MAX_CLASSES_IN_DETAIL } from '../data/classCount';
import { predictRowFromProba, probaRowBrier, probaRowLogLoss } from '../model/lossFamily';
import { addUnitRow, reliability, reliabilityFromSums, reliabilitySums, type ReliabilitySums } from './calibration';
import { aucFromSweep, averagePrecision, averagePrecisionFromSweep, precisionRecallF1, rocAuc, rocAucOf, rocFromSweep, thresholdSweep, type ThresholdSweep } from './curves';

/** Per-class scores; `support` is the weighted count of rows whose true class it is. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationMetrics {
  /** Number of rows (unweighted). */
  n: number;
  /** Σ w·1[ŷ = y] / Σ w. */
  accuracy: number;
  /** See {@link logLoss}. */
  logLoss: number;
  /**
   * Binary: Σ w (p_1 - y)² / Σ w (scikit-learn's `brier_score_loss`). Multiclass:
   * Σ_i w_i Σ_k (p_ik - 1[y_i = k])² / Σ w (the original Brier score, between 0 and 2).
   */
  brier: number;
  /** Index = class index. */
  perClass: ClassScores[];
  /** Unweighted mean over the K classes. */
  macro: { precision: number; recall: number; f1: number };
  /** Mean over classes weighted by support. */
  weighted: { precision: number; recall: number; f1: number };
  /** confusion[true][predicted], weighted counts; empty above MAX_CLASSES_IN_DETAIL classes (the report stays linear in K). */
  confusion: number[][];
  /**
   * Binary: ROC AUC of p_1. Multiclass: mean over classes of the one-vs-rest AUC of p_k
   * (scikit-learn's `roc_auc_score(multi_class='ovr', average='macro')`). null when a class has
   * zero total weight (the AUC is undefined).
   */
  rocAuc: number | null;
  /** Average precision, binary or macro one-vs-rest; null when a class has zero total weight. */
  averagePrecision: number | null;
  /**
   * Expected calibration error on 10 equal-width bins (see {@link reliability}). Binary: on the
   * positive-class probability p_1 against y. Multiclass: top-label ECE, on the confidence
   * max_k p_k against 1[argmax_k p_k = y].
   */
  ece: number;
}

export interface MultilabelMetrics {
  /** Binary metrics of each label (K = 2, probabilities [1 - p, p]). */
  perLabel: ClassificationMetrics[];
  /** Precision, recall and F1 of the positive class from TP, FP and FN summed over labels. */
  micro: { precision: number; recall: number; f1: number };
  /** Unweighted mean over labels of each label's positive-class precision, recall and F1. */
  macro: { precision: number; recall: number; f1: number };
  /** Fraction of rows whose every label is predicted correctly. */
  subsetAccuracy: number;
  /** Fraction of (row, label) entries predicted wrongly. */
  hammingLoss: number;
}

function rowCount(proba: Float64Array, K: number): number {
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`K must be an integer >= 2, got ${K}`);
  if (proba.length % K !== 0) throw new RangeError(`probability array of length ${proba.length} is not n×${K}`);
  return proba.length / K;
}

function checkLabels(yTrue: Int32Array, n: number, K: number, sampleWeight?: Float64Array | null): void {
  if (yTrue.length !== n) throw new RangeError(`${yTrue.length} labels for ${n} probability rows`);
  if (sampleWeight && sampleWeight.length !== n) throw new RangeError(`${sampleWeight.length} sample weights for ${n} rows`);
  for (let i = 0; i < n; i++) {
    if (!(yTrue[i] >= 0 && yTrue[i] < K)) throw new RangeError(`label ${i} is ${yTrue[i]}; expected 0..${K - 1}`);
  }
}

/**
 * Predicted classes. Without a threshold: argmax_k p_ik, ties to the lowest index (numpy's
 * argmax). With a threshold (binary only): 1 when p_i1 >= threshold, else 0.
 */
export function predictFromProba(proba: Float64Array, K: number, threshold?: number): Int32Array {
  const n = rowCount(proba, K);
  const pred = new Int32Array(n);
  if (threshold !== undefined) {
    if (K !== 2) throw new RangeError(`a decision threshold applies to binary models only, got K = ${K}`);
  }
  for (let i = 0; i < n; i++) pred[i] = predictRowFromProba(proba, i * K, K, threshold);
  return pred;
}

/**
 * Mean cross-entropy Σ_i w_i (-log q_{i,y_i}) / Σ w, as scikit-learn 1.2's `log_loss(eps=1e-15)`:
 * each probability is clipped to [1e-15, 1 - 1e-15] and each row renormalized,
 * q_ik = clip(p_ik) / Σ_j clip(p_ij).
 */
export function logLoss(yTrue: Int32Array, proba: Float64Array, K: number, sampleWeight?: Float64Array | null): number {
  const n = rowCount(proba, K);
  checkLabels(yTrue, n, K, sampleWeight);
  let total = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const w = sampleWeight ? sampleWeight[i] : 1;
    total += w * probaRowLogLoss(proba, i * K, K, yTrue[i]);
    totalWeight += w;
  }
  return total / totalWeight;
}

/** Turns a score into null when it is undefined (NaN). */
function definedOrNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

/** One class's one-vs-rest ROC AUC and average precision (NaN where undefined), from its threshold sweep. */
export interface OneVsRestRanking {
  rocAuc: number;
  averagePrecision: number;
}

/** rocAuc and averagePrecision of one sweep: the same numbers as those functions on the sweep's scores. */
export function oneVsRestRanking(sweep: ThresholdSweep): OneVsRestRanking {
  return { rocAuc: aucFromSweep(sweep), averagePrecision: averagePrecisionFromSweep(sweep) };
}

/**
 * All metrics of a K-class probabilistic classifier. `oneVsRest`, for K > 2, is each class's
 * oneVsRestRanking when the caller has its sweeps already (evaluate.ts shares them with the curves). Predictions are {@link predictFromProba}
 * (argmax, or p_1 >= threshold for a binary model given a threshold); the threshold changes the
 * confusion matrix, accuracy and per-class scores, not the probability-based metrics.
 */
export function classificationMetrics(
  yTrue: Int32Array,
  proba: Float64Array,
  K: number,
  options: { sampleWeight?: Float64Array | null; threshold?: number; oneVsRest?: OneVsRestRanking[] } = {},
): ClassificationMetrics {
  const n = rowCount(proba, K);
  const sampleWeight = options.sampleWeight ?? null;
  checkLabels(yTrue, n, K, sampleWeight);
  if (K === 2 && !sampleWeight) {
    const p1 = new Float64Array(n);
    for (let i = 0; i < n; i++) p1[i] = proba[2 * i + 1];
    const sweep = thresholdSweep(yTrue, p1);
    const ranking = { rocAuc: rocAucOf(rocFromSweep(sweep)), averagePrecision: averagePrecisionFromSweep(sweep), ece: reliability(yTrue, p1).ece };
    return binaryMetrics(yTrue, p1, ranking, options.threshold, proba);
  }
  // Unit weights and the argmax: one fused pass over the rows (the same bits).
  const fused = K > 2 && !sampleWeight && options.threshold === undefined ? multiclassUnitPass(yTrue, proba, K) : null;
  if (fused) return multiclassFromPass(n, K, fused, options.oneVsRest ?? Array.from({ length: K }, (_, k) => oneVsRestRanking(thresholdSweep(classIndicator(yTrue, k), probaColumn(proba, K, k)))));
  const pred = predictFromProba(proba, K, options.threshold);
  const weightOf = (i: number): number => (sampleWeight ? sampleWeight[i] : 1);

  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let totalWeight = 0;
  let correct = 0;
  let brierSum = 0;
  for (let i = 0; i < n; i++) {
    const w = weightOf(i);
    confusion[yTrue[i]][pred[i]] += w;
    totalWeight += w;
    if (pred[i] === yTrue[i]) correct += w;
    brierSum += w * probaRowBrier(proba, i * K, K, yTrue[i]);
  }

  const { perClass, macro, weighted } = metricsFromConfusion(confusion);

  // Probability-based metrics, one-vs-rest for K > 2.
  let rocAucValue: number | null;
  let apValue: number | null;
  let ece: number;
  const column = (k: number): Float64Array => probaColumn(proba, K, k);
  const isClass = (k: number): Uint8Array => classIndicator(yTrue, k);
  if (K === 2) {
    const y1 = isClass(1);
    const p1 = column(1);
    rocAucValue = definedOrNull(rocAuc(y1, p1, sampleWeight));
    apValue = definedOrNull(averagePrecision(y1, p1, sampleWeight));
    ece = reliability(y1, p1, 10, sampleWeight).ece;
  } else {
    let aucSum = 0;
    let apSum = 0;
    for (let k = 0; k < K; k++) {
      // One sweep (one sort) of class k's scores for both areas, unless the caller has them.
      const ranking = options.oneVsRest?.[k] ?? oneVsRestRanking(thresholdSweep(isClass(k), column(k), sampleWeight));
      aucSum += ranking.rocAuc;
      apSum += ranking.averagePrecision;
    }
    rocAucValue = definedOrNull(aucSum / K);
    apValue = definedOrNull(apSum / K);
    // Without a threshold the predictions are the argmax already.
    const argmax = options.threshold === undefined ? pred : predictFromProba(proba, K);
    const hit = new Uint8Array(n);
    const confidence = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      hit[i] = argmax[i] === yTrue[i] ? 1 : 0;
      confidence[i] = proba[i * K + argmax[i]];
    }
    ece = reliability(hit, confidence, 10, sampleWeight).ece;
  }

  return {
    n,
    accuracy: totalWeight > 0 ? correct / totalWeight : 0,
    logLoss: logLoss(yTrue, proba, K, sampleWeight),
    brier: brierSum / totalWeight,
    perClass,
    macro,
    weighted,
    confusion: K <= MAX_CLASSES_IN_DETAIL ? confusion : [],
    rocAuc: rocAucValue,
    averagePrecision: apValue,
    ece,
  };
}

/** Column k of proba (n x K). */
function probaColumn(proba: Float64Array, K: number, k: number): Float64Array {
  const n = proba.length / K;
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = proba[i * K + k];
  return c;
}

/** 1 where yTrue is k, else 0. */
function classIndicator(yTrue: Int32Array, k: number): Uint8Array {
  const y = new Uint8Array(yTrue.length);
  for (let i = 0; i < y.length; i++) y[i] = yTrue[i] === k ? 1 : 0;
  return y;
}

/** The sums of multiclassUnitPass: the general loops' with weights of 1 and no threshold. */
interface MulticlassSums {
  /** confusion[true·K + predicted], counts. */
  confusion: Float64Array;
  correct: number;
  brierSum: number;
  logLossSum: number;
  /** The top-label reliability diagram's sums (confidence max_k p_k against 1[argmax = y]). */
  topLabel: ReliabilitySums;
}

/**
 * classificationMetrics' row loops for K > 2 classes with unit weights and no threshold, fused into
 * one pass over proba: the argmax, the confusion counts, the Brier and log-loss terms and the top-label
 * reliability sums (addUnitRow), each summed in row order with the same per-row terms (a weight of 1
 * multiplies exactly), so the same bits. Null when a top-label confidence is outside [0, 1] or NaN (the general
 * loops then report it). The labels are checked by the caller.
 */
function multiclassUnitPass(yTrue: Int32Array, proba: Float64Array, K: number): MulticlassSums | null {
  const n = yTrue.length;
  const confusion = new Float64Array(K * K);
  const topLabel = reliabilitySums(10);
  let correct = 0;
  let brierSum = 0;
  let logLossSum = 0;
  for (let i = 0, o = 0; i < n; i++, o += K) {
    const y = yTrue[i];
    const pred = predictRowFromProba(proba, o, K);
    confusion[y * K + pred] += 1;
    const hit = pred === y ? 1 : 0;
    correct += hit;
    brierSum += probaRowBrier(proba, o, K, y);
    logLossSum += probaRowLogLoss(proba, o, K, y);
    const p = proba[o + pred];
    if (!(p >= 0 && p <= 1)) return null;
    addUnitRow(topLabel, p, hit);
  }
  return { confusion, correct, brierSum, logLossSum, topLabel };
}

/** classificationMetrics from multiclassUnitPass's sums and each class's one-vs-rest areas. */
function multiclassFromPass(n: number, K: number, sums: MulticlassSums, oneVsRest: OneVsRestRanking[]): ClassificationMetrics {
  const confusion = Array.from({ length: K }, (_, t) => Array.from(sums.confusion.subarray(t * K, (t + 1) * K)));
  let aucSum = 0;
  let apSum = 0;
  for (let k = 0; k < K; k++) {
    aucSum += oneVsRest[k].rocAuc;
    apSum += oneVsRest[k].averagePrecision;
  }
  return {
    n,
    accuracy: n > 0 ? sums.correct / n : 0,
    logLoss: sums.logLossSum / n,
    brier: sums.brierSum / n,
    ...metricsFromConfusion(confusion),
    confusion: K <= MAX_CLASSES_IN_DETAIL ? confusion : [],
    rocAuc: definedOrNull(aucSum / K),
    averagePrecision: definedOrNull(apSum / K),
    ece: reliabilityFromSums(sums.topLabel).ece,
  };
}

/**
 * classificationMetrics of a binary model with unit weights from the positive-class probabilities p_1
 * (p_0 = 1 - p_1, or proba's when given), in one pass over the rows, given the metrics that rank or bin
 * the scores (computed by the caller from one sort of the scores: evaluate.ts shares it with the
 * curves). The same numbers, bit for bit, as the general loop with weights of 1.
 */
export function binaryMetrics(
  yTrue: Int32Array,
  p1: Float64Array,
  ranking: { rocAuc: number; averagePrecision: number; ece: number },
  threshold?: number,
  proba?: Float64Array,
): ClassificationMetrics {
  const n = p1.length;
  if (yTrue.length !== n) throw new RangeError(`${yTrue.length} labels for ${n} probability rows`);
  const confusion = [
    [0, 0],
    [0, 0],
  ];
  let brierSum = 0;
  let total = 0;
  const row = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const y = yTrue[i];
    if (y !== 0 && y !== 1) throw new RangeError(`label ${i} is ${y}; expected 0..1`);
    row[0] = proba ? proba[2 * i] : 1 - p1[i];
    row[1] = p1[i];
    confusion[y][predictRowFromProba(row, 0, 2, threshold)]++;
    brierSum += probaRowBrier(row, 0, 2, y);
    total += probaRowLogLoss(row, 0, 2, y);
  }
  return binaryMetricsFromSums(n, confusion, total, brierSum, ranking);
}

/** binaryMetrics from its sums over the n rows (also evaluate/binaryPass.ts's fused pass): confusion[true][predicted], Σ log-loss, Σ Brier. */
export function binaryMetricsFromSums(
  n: number,
  confusion: number[][],
  logLossSum: number,
  brierSum: number,
  ranking: { rocAuc: number; averagePrecision: number; ece: number },
): ClassificationMetrics {
  return {
    n,
    accuracy: n > 0 ? (confusion[0][0] + confusion[1][1]) / n : 0,
    logLoss: logLossSum / n,
    brier: brierSum / n,
    ...metricsFromConfusion(confusion),
    confusion,
    rocAuc: definedOrNull(ranking.rocAuc),
    averagePrecision: definedOrNull(ranking.averagePrecision),
    ece: ranking.ece,
  };
}

/**
 * The scores a confusion matrix (confusion[true][predicted], weighted counts) determines: per-class
 * precision, recall, F1 and support, their unweighted (macro) and support-weighted means — shared by
 * classificationMetrics and the streaming run's exact streamed counts.
 */
export function metricsFromConfusion(confusion: number[][]): Pick<ClassificationMetrics, 'perClass' | 'macro' | 'weighted'> {
  const K = confusion.length;
  const perClass: ClassScores[] = [];
  for (let k = 0; k < K; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < K; j++) {
      support += confusion[k][j];
      predicted += confusion[j][k];
    }
    const tp = confusion[k][k];
    perClass.push({ ...precisionRecallF1(tp, predicted - tp, support - tp), support });
  }
  const average = (weights: number[]): { precision: number; recall: number; f1: number } => {
    const total = weights.reduce((s, v) => s + v, 0);
    const mean = (key: 'precision' | 'recall' | 'f1'): number =>
      total > 0 ? perClass.reduce((s, c, k) => s + weights[k] * c[key], 0) / total : 0;
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
  };
  return { perClass, macro: average(perClass.map(() => 1)), weighted: average(perClass.map((c) => c.support)) };
}

/**
 * Metrics of L independent binary labels. Y and P are n×L row-major (true 0/1 labels and
 * probabilities of 1); label l is predicted 1 when P_il >= threshold (default 0.5).
 */
export function multilabelMetrics(Y: Uint8Array, P: Float64Array, L: number, threshold = 0.5): MultilabelMetrics {
  if (!Number.isInteger(L) || L < 1) throw new RangeError(`L must be a positive integer, got ${L}`);
  if (Y.length !== P.length || Y.length % L !== 0) {
    throw new RangeError(`labels (${Y.length}) and probabilities (${P.length}) must both be n×${L}`);
  }
  const n = Y.length / L;
  const perLabel: ClassificationMetrics[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let l = 0; l < L; l++) {
    const y = new Int32Array(n);
    const proba = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      y[i] = Y[i * L + l];
      proba[2 * i] = 1 - P[i * L + l];
      proba[2 * i + 1] = P[i * L + l];
    }
    const m = classificationMetrics(y, proba, 2, { threshold });
    perLabel.push(m);
    tp += m.confusion[1][1];
    fp += m.confusion[0][1];
    fn += m.confusion[1][0];
  }
  let exactRows = 0;
  let wrongEntries = 0;
  for (let i = 0; i < n; i++) {
    let wrong = 0;
    for (let l = 0; l < L; l++) if ((P[i * L + l] >= threshold ? 1 : 0) !== Y[i * L + l]) wrong++;
    if (wrong === 0) exactRows++;
    wrongEntries += wrong;
  }
  const mean = (key: 'precision' | 'recall' | 'f1'): number => perLabel.reduce((s, m) => s + m.perClass[1][key], 0) / L;
  return {
    perLabel,
    micro: precisionRecallF1(tp, fp, fn),
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    subsetAccuracy: n > 0 ? exactRows / n : 0,
    hammingLoss: n > 0 ? wrongEntries / (n * L) : 0,
  };
}
