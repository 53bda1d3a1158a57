/**
 * Threshold-based evaluation of a binary scorer: ROC and precision-recall curves, their areas, and
 * the cumulative threshold sweep the webview uses to recompute a confusion matrix in O(log n) while
 * the user drags a threshold slider.
 *
 * Conventions (scikit-learn's, checked against scikit-learn 1.2.1 fixtures):
 * - `y01[i] === 1` is a positive, `0` a negative; any other label is an error.
 * - A higher score means "more positive"; a sample is predicted positive when `score >= threshold`.
 * - Optional non-negative sample weights; zero-weight samples are dropped before anything else
 *   (so their scores never become thresholds), as scikit-learn's `_binary_clf_curve` does.
 * - Ratios with a zero denominator are 0 (scikit-learn's `zero_division=0`) except where stated.
 *
 * Pure TypeScript: no vscode, node or DOM APIs.
 */
import { unitSweep } from './sortedScores';

/** ROC curve as scikit-learn's `roc_curve(drop_intermediate=True)`. */
export interface RocCurve {
  /** False-positive rate FP(t)/N at each threshold; all NaN when there are no negatives. */
  fpr: Float64Array;
  /** True-positive rate TP(t)/P at each threshold; all NaN when there are no positives. */
  tpr: Float64Array;
  /**
   * Decreasing thresholds; `thresholds[0] = Infinity` gives the (0, 0) corner, as in
   * scikit-learn >= 1.3 (1.2 used max(score) + 1 there).
   */
  thresholds: Float64Array;
}

/** Precision-recall curve as scikit-learn's `precision_recall_curve`. */
export interface PrCurve {
  /** Precision TP/(TP+FP) per threshold (ascending thresholds), then a final 1. */
  precision: Float64Array;
  /** Recall TP/P per threshold (non-increasing), then a final 0; all 1 when there are no positives. */
  recall: Float64Array;
  /** Distinct scores in ascending order; one shorter than `precision` and `recall`. */
  thresholds: Float64Array;
}

/**
 * Cumulative weighted counts at every distinct score: the whole confusion matrix as a function of
 * the threshold. `tp[i]` and `fp[i]` are the weights of positives and negatives with
 * `score >= thresholds[i]`, so `fn = positives - tp[i]` and `tn = negatives - fp[i]`.
 */
export interface ThresholdSweep {
  /** Distinct scores of samples with non-zero weight, descending. */
  thresholds: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  /** P = total weight of positives. */
  positives: number;
  /** N = total weight of negatives. */
  negatives: number;
}

/** Confusion counts (weighted) and the rates derived from them at one threshold. */
export interface BinaryConfusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** TP/(TP+FP); 0 when nothing is predicted positive. */
  precision: number;
  /** TP/(TP+FN); 0 when there are no positives. */
  recall: number;
  /** 2PR/(P+R); 0 when P + R = 0. */
  f1: number;
  /** (TP+TN)/(P+N); 0 when the total weight is 0. */
  accuracy: number;
  /** FP/(FP+TN); 0 when there are no negatives. */
  fpr: number;
}

/**
 * Precision, recall and F1 from weighted counts, with scikit-learn's zero_division=0 convention:
 * P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2PR/(P+R), each 0 when its denominator is 0.
 */
export function precisionRecallF1(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/**
 * Sorts by descending score and accumulates weighted true and false positives at each distinct
 * score (scikit-learn's `_binary_clf_curve`). Ties are visited in the same order as scikit-learn
 * (reverse of a stable ascending sort) so that weighted cumulative sums agree to the last bit.
 * O(n log n).
 */
export function thresholdSweep(
  y01: ArrayLike<number>,
  score: ArrayLike<number>,
  sampleWeight?: ArrayLike<number> | null,
): ThresholdSweep {
  const n = y01.length;
  if (score.length !== n) throw new RangeError(`labels have ${n} entries but scores have ${score.length}`);
  if (sampleWeight && sampleWeight.length !== n) {
    throw new RangeError(`labels have ${n} entries but sample weights have ${sampleWeight.length}`);
  }
  let unitWeights = true;
  let nPositive = 0;
  for (let i = 0; i < n; i++) {
    const y = y01[i];
    if (y !== 0 && y !== 1) throw new RangeError(`label ${i} is ${y}; expected 0 or 1`);
    if (!Number.isFinite(score[i])) throw new RangeError(`score ${i} is ${score[i]}; scores must be finite`);
    const w = sampleWeight ? sampleWeight[i] : 1;
    if (!Number.isFinite(w) || w < 0) throw new RangeError(`sample weight ${i} is ${w}; expected a finite value >= 0`);
    if (w !== 1) unitWeights = false;
    nPositive += y;
  }
  if (unitWeights) return unitSweep(y01, score, nPositive);
  const thresholds: number[] = [];
  const tp: number[] = [];
  const fp: number[] = [];
  let cumTp = 0;
  let cumFp = 0;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (sampleWeight![i] !== 0) order.push(i);
  order.sort((a, b) => score[a] - score[b] || a - b);
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k];
    const w = sampleWeight![i];
    if (y01[i] === 1) cumTp += w;
    else cumFp += w;
    if (k === 0 || score[order[k - 1]] !== score[i]) {
      thresholds.push(score[i] + 0);
      tp.push(cumTp);
      fp.push(cumFp);
    }
  }
  return {
    thresholds: Float64Array.from(thresholds),
    tp: Float64Array.from(tp),
    fp: Float64Array.from(fp),
    positives: cumTp,
    negatives: cumFp,
  };
}

/**
 * Number of sweep thresholds that are >= `threshold`, i.e. the index just past the last
 * threshold at which every sample with `score >= threshold` is counted. Binary search, O(log n).
 */
function countAtLeast(thresholds: Float64Array, threshold: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] >= threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Confusion matrix when predicting positive for `score >= threshold`, looked up in the sweep by
 * binary search (O(log n)). A NaN threshold predicts nothing positive. Empty predictions have
 * precision 0 (scikit-learn's zero_division=0); see {@link BinaryConfusion} for the other rates.
 */
export function confusionAtThreshold(sweep: ThresholdSweep, threshold: number): BinaryConfusion {
  const k = countAtLeast(sweep.thresholds, threshold);
  const tp = k > 0 ? sweep.tp[k - 1] : 0;
  const fp = k > 0 ? sweep.fp[k - 1] : 0;
  const fn = sweep.positives - tp;
  const tn = sweep.negatives - fp;
  const total = sweep.positives + sweep.negatives;
  const { precision, recall, f1 } = precisionRecallF1(tp, fp, fn);
  return {
    tp,
    fp,
    tn,
    fn,
    precision,
    recall,
    f1,
    accuracy: total > 0 ? (tp + tn) / total : 0,
    fpr: sweep.negatives > 0 ? fp / sweep.negatives : 0,
  };
}

/**
 * The sweep threshold with the largest F1 = 2PR/(P+R). Ties go to the highest threshold. When no
 * threshold gives F1 > 0 (for example, no positives) the result is `{ threshold: Infinity, f1: 0 }`:
 * predict nothing positive.
 */
export function bestF1Threshold(sweep: ThresholdSweep): { threshold: number; f1: number } {
  let best = { threshold: Infinity, f1: 0 };
  for (let i = 0; i < sweep.thresholds.length; i++) {
    const { f1 } = precisionRecallF1(sweep.tp[i], sweep.fp[i], sweep.positives - sweep.tp[i]);
    if (f1 > best.f1) best = { threshold: sweep.thresholds[i], f1 };
  }
  return best;
}

/**
 * ROC curve: fpr = FP(t)/N and tpr = TP(t)/P at each distinct score t, descending, preceded by
 * (0, 0) at t = Infinity. As scikit-learn's `drop_intermediate=True`, interior points where both
 * second differences of the cumulative counts FP and TP vanish (collinear points) are dropped; the
 * area is unchanged. With no negatives fpr is all NaN; with no positives tpr is all NaN.
 */
export function rocCurve(y01: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): RocCurve {
  return rocFromSweep(thresholdSweep(y01, score, sampleWeight));
}

/** rocCurve from a sweep already computed. */
export function rocFromSweep(s: ThresholdSweep): RocCurve {
  const m = s.thresholds.length;
  const keep = new Int32Array(m);
  let kept = 0;
  const { fp, tp } = s;
  for (let i = 0; i < m; i++) {
    const corner = i === 0 || i === m - 1 || fp[i + 1] - fp[i] - (fp[i] - fp[i - 1]) !== 0 || tp[i + 1] - tp[i] - (tp[i] - tp[i - 1]) !== 0;
    if (corner) keep[kept++] = i;
  }
  const len = kept + 1;
  const fpr = new Float64Array(len);
  const tpr = new Float64Array(len);
  const thresholds = new Float64Array(len);
  thresholds[0] = Infinity;
  for (let j = 0; j < kept; j++) {
    const i = keep[j];
    thresholds[j + 1] = s.thresholds[i];
    fpr[j + 1] = fp[i] / s.negatives;
    tpr[j + 1] = tp[i] / s.positives;
  }
  if (!(s.negatives > 0)) fpr.fill(NaN);
  if (!(s.positives > 0)) tpr.fill(NaN);
  return { fpr, tpr, thresholds };
}

/** The points of a ROC curve that are drawn, and its area. */
export interface DrawnRoc {
  fpr: number[];
  tpr: number[];
  /** Infinity (the first point's) as 2, which survives JSON and is above every probability. */
  thresholds: number[];
  /** rocAucOf the whole curve: NaN without positives or negatives. */
  auc: number;
}

/**
 * rocFromSweep, thinned to at most maxPoints evenly spread points (the first and the last kept), and
 * rocAucOf the whole curve, without building it: one pass counts the corners, a second sums the same
 * trapezoids in the same order as auc() and keeps the drawn points. Bit for bit the same as
 * thinning rocFromSweep's arrays (evaluate.ts's general path; sortedScores.test.ts compares them).
 */
export function drawnRocFromSweep(s: ThresholdSweep, maxPoints: number): DrawnRoc {
  const m = s.thresholds.length;
  const { fp, tp } = s;
  const corner = (i: number) => i === 0 || i === m - 1 || fp[i + 1] - fp[i] - (fp[i] - fp[i - 1]) !== 0 || tp[i + 1] - tp[i] - (tp[i] - tp[i - 1]) !== 0;
  let kept = 0;
  for (let i = 0; i < m; i++) if (corner(i)) kept++;
  const len = kept + 1;
  const picks = thinnedIndices(len, maxPoints);
  const noNegatives = !(s.negatives > 0);
  const noPositives = !(s.positives > 0);
  const out: DrawnRoc = { fpr: [], tpr: [], thresholds: [], auc: NaN };
  const keep = (x: number, y: number, t: number) => {
    out.fpr.push(noNegatives ? NaN : x);
    out.tpr.push(noPositives ? NaN : y);
    out.thresholds.push(t === Infinity ? 2 : t);
  };
  let next = 0;
  if (picks[next] === 0) {
    keep(0, 0, Infinity);
    next++;
  }
  let area = 0;
  let px = 0;
  let py = 0;
  for (let i = 0, j = 1; i < m; i++) {
    if (!corner(i)) continue;
    const x = fp[i] / s.negatives;
    const y = tp[i] / s.positives;
    area += ((x - px) * (y + py)) / 2;
    px = x;
    py = y;
    if (picks[next] === j) {
      keep(x, y, s.thresholds[i]);
      next++;
    }
    j++;
  }
  out.auc = noNegatives || noPositives || len < 2 ? NaN : area;
  return out;
}

/** At most `max` indices spread evenly over [0, n), always including the first and the last (evaluate.ts thinIndices). */
export function thinnedIndices(n: number, max: number): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(max);
  for (let k = 0; k < max; k++) out[k] = Math.round((k * (n - 1)) / (max - 1));
  return out;
}

/**
 * Area under a piecewise-linear curve by the trapezoid rule, Σ_i (x_{i+1} - x_i)(y_{i+1} + y_i)/2,
 * as scikit-learn's `auc`: x must be monotonic (a decreasing x gives the same positive area).
 * Throws for fewer than 2 points or a non-monotonic x.
 */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`x has ${n} entries but y has ${y.length}`);
  if (n < 2) throw new RangeError(`at least 2 points are needed to compute an area, got ${n}`);
  let increasing = true;
  let decreasing = true;
  for (let i = 1; i < n; i++) {
    if (x[i] < x[i - 1]) increasing = false;
    if (x[i] > x[i - 1]) decreasing = false;
  }
  if (!increasing && !decreasing) throw new RangeError('x is neither increasing nor decreasing');
  let area = 0;
  for (let i = 1; i < n; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return increasing ? area : -area;
}

/**
 * Area under the ROC curve, auc(fpr, tpr) (scikit-learn's `roc_auc_score` for binary labels).
 * NaN when either class has zero total weight (scikit-learn raises a ValueError there).
 */
export function rocAuc(y01: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): number {
  return aucFromSweep(thresholdSweep(y01, score, sampleWeight));
}

/** rocAuc from a sweep already computed. */
export function aucFromSweep(s: ThresholdSweep): number {
  return rocAucOf(rocFromSweep(s));
}

/** The area under a ROC curve already computed; NaN when a class is missing (its rates are NaN). */
export function rocAucOf(roc: RocCurve): number {
  if (Number.isNaN(roc.fpr[0]) || Number.isNaN(roc.tpr[0])) return NaN;
  return auc(roc.fpr, roc.tpr);
}

/**
 * Precision-recall curve over every distinct score, in ascending threshold order, followed by the
 * point (recall 0, precision 1). Precision of an empty prediction is 0; with no positives, recall
 * is 1 at every threshold (both as scikit-learn 1.2).
 */
export function precisionRecallCurve(y01: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): PrCurve {
  return prFromSweep(thresholdSweep(y01, score, sampleWeight));
}

/** precisionRecallCurve from a sweep already computed. */
export function prFromSweep(s: ThresholdSweep): PrCurve {
  const m = s.thresholds.length;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thresholds = new Float64Array(m);
  for (let j = 0; j <= m; j++) {
    precision[j] = prPrecision(s, j);
    recall[j] = prRecall(s, j);
    if (j < m) thresholds[j] = s.thresholds[m - 1 - j];
  }
  return { precision, recall, thresholds };
}

/**
 * Point j of prFromSweep's precision (ascending thresholds; j = m, the number of thresholds, is the
 * final point): a thinned curve is drawn from these without the whole curve.
 */
export function prPrecision(s: ThresholdSweep, j: number): number {
  const m = s.thresholds.length;
  if (j === m) return 1;
  const i = m - 1 - j;
  const predicted = s.tp[i] + s.fp[i];
  return predicted !== 0 ? s.tp[i] / predicted : 0;
}

/** Point j of prFromSweep's recall (see prPrecision). */
export function prRecall(s: ThresholdSweep, j: number): number {
  const m = s.thresholds.length;
  if (j === m) return 0;
  return s.positives !== 0 ? s.tp[m - 1 - j] / s.positives : 1;
}

/**
 * Non-interpolated average precision, AP = Σ_n (R_n - R_{n-1}) P_n over thresholds in descending
 * order with R_{-1} = 0 (scikit-learn's `average_precision_score`). NaN when there are no
 * positives (scikit-learn 1.2 returns 0 with a warning there; the quantity is undefined).
 */
export function averagePrecision(y01: ArrayLike<number>, score: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): number {
  return averagePrecisionFromSweep(thresholdSweep(y01, score, sampleWeight));
}

/** averagePrecision from a sweep already computed. */
export function averagePrecisionFromSweep(s: ThresholdSweep): number {
  if (!(s.positives > 0)) return NaN;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < s.thresholds.length; i++) {
    const recall = s.tp[i] / s.positives;
    ap += (recall - prevRecall) * (s.tp[i] / (s.tp[i] + s.fp[i]));
    prevRecall = recall;
  }
  return ap;
}
