/**
 * Evaluation of a fitted model on one split: metrics, ROC/PR curves, the threshold sweep and the
 * reliability diagram, converted to plain arrays for the report. Curves of large splits are thinned
 * for drawing (areas are computed on the full curves first); the sweep keeps exact counts at every
 * threshold it keeps, so the panel's slider snaps to thresholds whose confusion matrix is exact.
 */
import { MAX_CLASSES_IN_DETAIL } from '../data/classCount';
import { reliabilityOfCalibrator, fitIsotonic, fitIsotonicFromSweep, fitPlatt, reliability, reliabilityBin, reliabilityBinCount, reliabilityFromSums, reliabilitySums, type Reliability, type ReliabilitySums } from './calibration';
import { auc, averagePrecisionFromSweep, thinnedIndices, prPrecision, prRecall, rocAucOf, rocFromSweep, thresholdSweep, type DrawnRoc, type RocCurve, type ThresholdSweep } from './curves';
import type { Dataset } from '../data/dataset';
import { binaryMetrics, binaryMetricsFromSums, classificationMetrics, multilabelMetrics, type OneVsRestRanking } from './metrics';
import { binaryPass, type BinaryPass } from './binaryPass';
import { sortFloat64, sweepOfSortedClasses } from './sortedScores';
import { drawnSweep, type DrawnSweep } from './drawnSweep';
import { positiveProbability } from '../model/lossFamily';
import { nOutputs, probaFromDecision, type ModelJson } from '../model/model';
import type { BinaryCurves, SplitEvaluation, SplitName } from '../report/report';
import { takeInt } from '../data/split';

/** Points kept per drawn curve and thresholds kept in a sweep. */
export const MAX_CURVE_POINTS = 1000;
export const MAX_SWEEP_POINTS = 4096;

/** A binary split's fused pass (binaryPass.ts), each class's scores sorted ascending (its one sort). */
export interface SortedBinarySplit {
  pass: BinaryPass;
  /**
   * The drawn sweep's two count arrays (drawnSweep.ts), n Int32 each, in the pass's array of unsorted
   * scores (8n bytes) once both sorts have written new arrays and nothing reads it; null otherwise.
   */
  counts: { dTp: Int32Array; dFp: Int32Array } | null;
}

/**
 * The fused pass of a binary split with its classes' scores sorted (evaluateSplit's first step); null
 * where binaryPass is (the general path then reports). keepScores: keep the labels and probabilities
 * in row order (by default when the evaluation needs them: calibrators, or a diagram of fewer bins).
 */
export function sortedBinarySplit(
  model: Pick<ModelJson, 'threshold' | 'calibration'>,
  z: Float64Array,
  yAll: Int32Array,
  rows: Int32Array,
  keepScores = model.calibration !== undefined || reliabilityBinCount(rows.length) !== 10,
): SortedBinarySplit | null {
  const pass = binaryPass(z, yAll, rows, model.threshold, 10, keepScores);
  if (!pass) return null;
  const n = pass.n;
  const unsorted = new Float64Array(pass.pos.buffer, pass.pos.byteOffset, n);
  const into = pass.sortInto;
  pass.pos = sortFloat64(pass.pos, into ? into.subarray(0, pass.pos.length) : undefined);
  pass.neg = sortFloat64(pass.neg, into ? into.subarray(pass.pos.length) : undefined);
  // Short classes are sorted in place: their unsorted array is then still theirs.
  const within = (a: Float64Array) => a.buffer === unsorted.buffer && a.byteOffset >= unsorted.byteOffset && a.byteOffset < unsorted.byteOffset + unsorted.byteLength;
  const dead = !within(pass.pos) && !within(pass.neg);
  const { buffer, byteOffset } = unsorted;
  return { pass, counts: dead ? { dTp: new Int32Array(buffer, byteOffset, n), dFp: new Int32Array(buffer, byteOffset + 4 * n, n) } : null };
}

/**
 * `ds` needs only the labels (y, or Y for multilabel) and the classes: the streaming trainer passes a
 * sample's. A binary split's sortedBinarySplit may be passed when the caller has it already (the
 * validation split's, sorted once for the isotonic calibrator too).
 */
export function evaluateSplit(
  split: SplitName,
  model: ModelJson,
  z: Float64Array,
  rows: Int32Array,
  ds: Pick<Dataset, 'y' | 'Y' | 'classes'>,
  sorted?: SortedBinarySplit | null,
): SplitEvaluation {
  const n = rows.length;
  const K = nOutputs(model);
  if (model.kind === 'binary') {
    const fused = sorted === undefined ? sortedBinarySplit(model, z, ds.y, rows) : sorted;
    if (fused) return binaryFromPass(split, model, z, fused, ds.y, rows);
  }
  const proba = probaFromDecision(model.kind, z, n, K);
  if (model.kind === 'binary') {
    const y = takeInt(ds.y, rows);
    const p1 = new Float64Array(n);
    for (let i = 0; i < n; i++) p1[i] = proba[2 * i + 1];
    // The scores are sorted once (the sweep) and binned once (the reliability diagram) for the metrics and the curves.
    const sweep = thresholdSweep(y, p1);
    const sorted = { sweep, roc: rocFromSweep(sweep), reliability: reliability(y, p1) };
    const ranking = { rocAuc: rocAucOf(sorted.roc), averagePrecision: averagePrecisionFromSweep(sweep), ece: sorted.reliability.ece };
    return {
      split,
      n,
      metrics: binaryMetrics(y, p1, ranking, model.threshold, proba),
      curves: binaryCurves(y, p1, calibratedReliability(model, z, p1, y), sorted),
    };
  }
  if (model.kind === 'multilabel') {
    const L = K;
    const Y = new Uint8Array(n * L);
    rows.forEach((r, i) => Y.set(ds.Y!.subarray(r * L, (r + 1) * L), i * L));
    return {
      split,
      n,
      multilabel: multilabelMetrics(Y, proba, L),
      perClassCurves: L > MAX_CLASSES_IN_DETAIL ? undefined : ds.classes.map((_, l) => {
        const yl = Int32Array.from({ length: n }, (_, i) => Y[i * L + l]);
        return binaryCurves(yl, Float64Array.from({ length: n }, (_, i) => proba[i * L + l]));
      }),
    };
  }
  const y = takeInt(ds.y, rows);
  // Above MAX_CLASSES_IN_DETAIL classes: per-class scores only (K curves of n points each would not be bounded).
  if (K > MAX_CLASSES_IN_DETAIL) return { split, n, metrics: classificationMetrics(y, proba, K), perClassCurves: undefined };
  // Each class's scores sorted once, for its curves and its one-vs-rest areas in the metrics.
  const fast = oneVsRestCurves(y, proba, K);
  // A label out of range, or a probability that is NaN or outside [0, 1]: the general path reports it.
  if (!fast) {
    const metrics = classificationMetrics(y, proba, K);
    return { split, n, metrics, perClassCurves: ds.classes.map((_, k) => binaryCurves(Int32Array.from(y, (c) => (c === k ? 1 : 0)), Float64Array.from({ length: n }, (_, i) => proba[i * K + k]))) };
  }
  const oneVsRest = fast.map((f) => f.ranking);
  const perClassCurves = fast.map((f) => f.curves);
  return { split, n, metrics: classificationMetrics(y, proba, K, { oneVsRest }), perClassCurves };
}

/** evaluateSplit of a binary split from its fused pass (binaryPass.ts): the same report, bit for bit. */
function binaryFromPass(split: SplitName, model: ModelJson, z: Float64Array, { pass, counts }: SortedBinarySplit, yAll: Int32Array, rows: Int32Array): SplitEvaluation {
  const n = pass.n;
  const needScores = model.calibration !== undefined || reliabilityBinCount(n) !== 10;
  // Labels and probabilities in row order, when the pass did not keep them (the same values: binaryPair's σ is positiveProbability).
  const y = pass.y ?? (needScores ? takeInt(yAll, rows) : new Int32Array(0));
  const p1 = pass.p1 ?? (needScores ? Float64Array.from(z, positiveProbability) : new Float64Array(0));
  // The curves, their areas and the thinned sweep straight from the sorted classes (drawnSweep.ts: no sweep the length of the split).
  const drawn = drawnSweep(pass.pos, pass.neg, MAX_CURVE_POINTS, MAX_SWEEP_POINTS, counts ?? undefined);
  const tenBins = reliabilityFromSums(pass.reliability);
  const ranking = { rocAuc: drawn.roc.auc, averagePrecision: drawn.averagePrecision, ece: tenBins.ece };
  // The diagram uses fewer bins on small splits (binaryCurves's rule).
  const curves = curvesFromDrawn(drawn, reliabilityBinCount(n) === 10 ? tenBins : reliability(y, p1, reliabilityBinCount(n)), calibratedReliability(model, z, p1, y));
  return { split, n, metrics: binaryMetricsFromSums(n, pass.confusion, pass.logLossSum, pass.brierSum, ranking), curves };
}

/** binaryCurves's result from a DrawnSweep (drawnSweep.ts) and the split's reliability diagrams. */
function curvesFromDrawn(drawn: DrawnSweep, reliabilityDiagram: Reliability, calibrated?: BinaryCurves['calibrated']): BinaryCurves {
  const { positives, negatives } = drawn.sweep;
  const curves: BinaryCurves = {
    roc: { ...drawn.roc, auc: positives > 0 && negatives > 0 ? drawn.roc.auc : NaN },
    pr: { ...drawn.pr, averagePrecision: drawn.averagePrecision },
    sweep: drawn.sweep,
    reliability: reliabilityDiagram,
  };
  if (calibrated) curves.calibrated = calibrated;
  return curves;
}

/**
 * Each class's one-vs-rest curves and areas in a multiclass split (labels y in 0..K-1, probabilities
 * proba n x K), without a label or score column per class: one pass over the rows splits every class's
 * scores by class and sums its reliability diagram (reliability's terms with unit weights,
 * classScores); each class's scores are then sorted once and drawn (drawnSweep), into arrays shared by
 * the classes in turn. Null when a
 * label is out of range or a probability is outside [0, 1] or NaN (the general path then reports it).
 */
function oneVsRestCurves(y: Int32Array, proba: Float64Array, K: number): { curves: BinaryCurves; ranking: OneVsRestRanking }[] | null {
  const n = y.length;
  const positives = new Int32Array(K);
  for (let i = 0; i < n; i++) {
    const c = y[i];
    if (!(c >= 0 && c < K)) return null;
    positives[c]++;
  }
  const pos = Array.from(positives, (m) => new Float64Array(m));
  const neg = Array.from(positives, (m) => new Float64Array(n - m));
  const sums = classScores(y, proba, K, pos, neg);
  if (!sums) return null;
  // One sorted output per side and one pair of merge increments, reused by every class (nothing drawn keeps them).
  const sortedPos = new Float64Array(n);
  const sortedNeg = new Float64Array(n);
  const scratch = { dTp: new Int32Array(n), dFp: new Int32Array(n), cornerAt: new Int32Array(n + 1) };
  const out: { curves: BinaryCurves; ranking: OneVsRestRanking }[] = [];
  for (let k = 0; k < K; k++) {
    const drawn = drawnSweep(sortFloat64(pos[k], sortedPos), sortFloat64(neg[k], sortedNeg), MAX_CURVE_POINTS, MAX_SWEEP_POINTS, scratch);
    out.push({ curves: curvesFromDrawn(drawn, reliabilityFromSums(sums[k])), ranking: { rocAuc: drawn.roc.auc, averagePrecision: drawn.averagePrecision } });
  }
  return out;
}

/**
 * Each class k's column of proba (n x K) split into its positives' scores pos[k] and its negatives'
 * neg[k] (row order), and its reliability sums, in one pass over the rows (row-major: a pass down each
 * column would read every cache line of proba K times): addUnitRow's terms for each class in row order
 * (so the same bits as a pass per class), with the bins' sums of all classes in flat arrays. Null when
 * a probability is outside [0, 1] or NaN.
 */
function classScores(y: Int32Array, proba: Float64Array, K: number, pos: Float64Array[], neg: Float64Array[]): ReliabilitySums[] | null {
  const n = y.length;
  const nBins = reliabilityBinCount(n);
  const { edges } = reliabilitySums(nBins);
  const count = new Float64Array(K * nBins);
  const sumP = new Float64Array(K * nBins);
  const sumY = new Float64Array(K * nBins);
  const sse = new Float64Array(K);
  const a = new Int32Array(K);
  const b = new Int32Array(K);
  for (let i = 0, o = 0; i < n; i++, o += K) {
    const c = y[i];
    for (let k = 0; k < K; k++) {
      const p = proba[o + k];
      if (!(p >= 0 && p <= 1)) return null;
      const yk = c === k ? 1 : 0;
      if (yk === 1) pos[k][a[k]++] = p;
      else neg[k][b[k]++] = p;
      const bin = k * nBins + reliabilityBin(edges, p);
      count[bin] += 1;
      sumP[bin] += p;
      sumY[bin] += yk;
      sse[k] += (p - yk) ** 2;
    }
  }
  // Unit weights: each bin's weight is its count, the total the row count (exact integer sums).
  return Array.from({ length: K }, (_, k) => {
    const acc = reliabilitySums(nBins);
    acc.count.set(count.subarray(k * nBins, (k + 1) * nBins));
    acc.weight.set(acc.count);
    acc.sumP.set(sumP.subarray(k * nBins, (k + 1) * nBins));
    acc.sumY.set(sumY.subarray(k * nBins, (k + 1) * nBins));
    acc.totalWeight = n;
    acc.sse = sse[k];
    return acc;
  });
}

/**
 * Platt scaling on the decision values and isotonic regression on the probabilities of the validation
 * rows; `sorted`, when given, is sortedBinarySplit of those rows, whose sorted classes the isotonic fit
 * then reads instead of sorting the probabilities again.
 */
export function fitCalibrators(zValidation: Float64Array, yValidation: Int32Array, sorted?: SortedBinarySplit | null): ModelJson['calibration'] {
  let positives = 0;
  for (const v of yValidation) positives += v;
  if (positives === 0 || positives === yValidation.length) return undefined;
  const platt = fitPlatt(zValidation, yValidation);
  if (sorted) return { platt, isotonic: fitIsotonicFromSweep(sweepOfSortedClasses(sorted.pass.pos, sorted.pass.neg)) };
  const p = new Float64Array(zValidation.length);
  for (let i = 0; i < p.length; i++) p[i] = positiveProbability(zValidation[i]);
  return { platt, isotonic: fitIsotonic(p, yValidation) };
}

function calibratedReliability(model: ModelJson, z: Float64Array, p1: Float64Array, y: Int32Array): BinaryCurves['calibrated'] {
  const c = model.calibration;
  if (!c) return undefined;
  const out: NonNullable<BinaryCurves['calibrated']> = {};
  const nBins = reliabilityBinCount(y.length);
  if (c.platt) out.platt = reliabilityOfCalibrator(c.platt, z, y, nBins);
  if (c.isotonic) out.isotonic = reliabilityOfCalibrator(c.isotonic, p1, y, nBins);
  return out;
}

/** ROC, PR, sweep and reliability of one positive class against its probability. */
export function binaryCurves(
  y01: Int32Array,
  score: Float64Array,
  calibrated?: BinaryCurves['calibrated'],
  sorted?: { sweep: ThresholdSweep; roc: RocCurve | DrawnRoc; reliability: Reliability; ranking?: { rocAuc: number; averagePrecision: number } },
): BinaryCurves {
  const sweep = sorted?.sweep ?? thresholdSweep(y01, score);
  const positives = sweep.positives;
  const hasBoth = positives > 0 && sweep.negatives > 0;
  const roc = sorted?.roc ?? rocFromSweep(sweep);
  const drawn: DrawnRoc = 'auc' in roc ? roc : drawRoc(roc, hasBoth);
  const keep = thinIndices(sweep.thresholds.length, MAX_SWEEP_POINTS);
  // The PR curve has one point per threshold and a last one; only the points drawn are computed.
  const m = sweep.thresholds.length;
  const prKeep = thinIndices(m + 1, MAX_CURVE_POINTS);
  const result: BinaryCurves = {
    roc: { fpr: drawn.fpr, tpr: drawn.tpr, thresholds: drawn.thresholds, auc: hasBoth ? (sorted?.ranking?.rocAuc ?? drawn.auc) : NaN },
    pr: {
      precision: Array.from(prKeep, (j) => finiteOr(prPrecision(sweep, j))),
      recall: Array.from(prKeep, (j) => finiteOr(prRecall(sweep, j))),
      // The thresholds ascend; the last point has none.
      thresholds: Array.from(prKeep, (j) => (j < m ? sweep.thresholds[m - 1 - j] : 1)),
      averagePrecision: positives > 0 ? (sorted?.ranking?.averagePrecision ?? averagePrecisionFromSweep(sweep)) : NaN,
    },
    sweep: {
      thresholds: Array.from(keep, (i) => sweep.thresholds[i]),
      tp: Array.from(keep, (i) => sweep.tp[i]),
      fp: Array.from(keep, (i) => sweep.fp[i]),
      positives: sweep.positives,
      negatives: sweep.negatives,
    },
    // The diagram uses fewer bins on small splits; the 10-bin one computed with the metrics is reused when it is the same.
    reliability: sorted && reliabilityBinCount(y01.length) === 10 ? sorted.reliability : reliability(y01, score, reliabilityBinCount(y01.length)),
  };
  if (calibrated) result.calibrated = calibrated;
  return result;
}

/** A whole ROC curve's drawn points (MAX_CURVE_POINTS) and, when it has both classes, its area. */
function drawRoc(roc: RocCurve, hasBoth: boolean): DrawnRoc {
  const keep = thinIndices(roc.fpr.length, MAX_CURVE_POINTS);
  const pick = (a: Float64Array) => Array.from(keep, (i) => finiteOr(a[i]));
  return { fpr: pick(roc.fpr), tpr: pick(roc.tpr), thresholds: pick(roc.thresholds), auc: hasBoth ? auc(roc.fpr, roc.tpr) : NaN };
}

/** Infinity (ROC's first threshold) does not survive JSON; 2 is above every probability. */
function finiteOr(v: number): number {
  return v === Infinity ? 2 : v;
}

/** At most `max` indices spread evenly over [0, n), always including the first and the last. */
export function thinIndices(n: number, max: number): Int32Array {
  return thinnedIndices(n, max);
}
