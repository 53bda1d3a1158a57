/**
 * A binary evaluation's curves and areas straight from each class's sorted scores, without the unit
 * sweep's three Float64 arrays the length of the split: one merge of the classes from the top (as
 * sortedScores.ts sweepOfSortedClasses) into each threshold's two count increments (the thresholds and
 * the ROC corners counted, which fix the points kept for drawing), then one pass over them computing
 * the same quantities, in the same order, as curves.ts does on the whole sweep: drawnRocFromSweep's
 * drawn points and area, averagePrecisionFromSweep,
 * and evaluate.ts binaryCurves's thinned threshold sweep and PR points. Those stay the reference:
 * test/unit/core/evaluate/drawnSweep.test.ts checks this module against them bit for bit.
 *
 * Pure TypeScript: no vscode, node or DOM APIs.
 */
import { thinnedIndices, type DrawnRoc } from './curves';

/** What a binary split's report takes from its threshold sweep. */
export interface DrawnSweep {
  roc: DrawnRoc;
  /** averagePrecisionFromSweep: NaN without positives. */
  averagePrecision: number;
  /** The sweep at thinnedIndices(thresholds, maxSweepPoints). */
  sweep: { thresholds: number[]; tp: number[]; fp: number[]; positives: number; negatives: number };
  /** The PR curve (ascending thresholds, then its last point) at thinnedIndices(thresholds + 1, maxCurvePoints). */
  pr: { precision: number[]; recall: number[]; thresholds: number[] };
}

/** The merged sweep of two sorted classes, one entry per threshold (distinct score) from the top. */
interface SweepShape {
  /** The number of thresholds, and of the ROC curve's corners among them. */
  m: number;
  corners: number;
  /** Threshold i's increments of true and false positives, for i < m (its score: the next of pos or neg from the top). */
  dTp: Int32Array;
  dFp: Int32Array;
}

/**
 * The one merge of two sorted classes from the top (as sortedScores.ts sweepOfSortedClasses): each
 * threshold with its increments, the number of thresholds, and of the ROC curve's corners among them
 * (rocFromSweep's kept points: the first, the last, and each whose count increments differ from the
 * next threshold's; the counts are integers, so curves.ts's second differences are exact). The merge
 * is this small loop alone, and drawnSweep's pass reads its arrays in order: a single call (a cold run)
 * has the short loop compiled sooner than a long one with the merge inside.
 */
function sweepShape(pos: Float64Array, neg: Float64Array): SweepShape {
  const n = pos.length + neg.length;
  const dTps = new Int32Array(n);
  const dFps = new Int32Array(n);
  let a = pos.length - 1;
  let b = neg.length - 1;
  let m = 0;
  let corners = 0;
  let lastTp = 0;
  let lastFp = 0;
  while (a >= 0 || b >= 0) {
    const t = b < 0 || (a >= 0 && pos[a] >= neg[b]) ? pos[a] : neg[b];
    let dTp = 0;
    let dFp = 0;
    for (; a >= 0 && pos[a] === t; a--) dTp++;
    for (; b >= 0 && neg[b] === t; b--) dFp++;
    // Threshold m - 1 is a corner when it is the first or its increments differ from this one's.
    if (m === 1 || (m > 1 && (dTp !== lastTp || dFp !== lastFp))) corners++;
    dTps[m] = dTp;
    dFps[m] = dFp;
    lastTp = dTp;
    lastFp = dFp;
    m++;
  }
  return { m, corners: m > 0 ? corners + 1 : 0, dTp: dTps, dFp: dFps };
}

/**
 * The DrawnSweep of a binary split from its positives' and negatives' scores, each sorted ascending
 * (sortFloat64), finite: bit for bit what curves.ts and binaryCurves give on sweepOfSortedClasses(pos, neg).
 */
export function drawnSweep(pos: Float64Array, neg: Float64Array, maxCurvePoints: number, maxSweepPoints: number): DrawnSweep {
  const { m, corners, dTp: dTps, dFp: dFps } = sweepShape(pos, neg);
  const P = pos.length;
  const N = neg.length;
  const rocPicks = thinnedIndices(corners + 1, maxCurvePoints);
  const sweepPicks = thinnedIndices(m, maxSweepPoints);
  const prPicks = thinnedIndices(m + 1, maxCurvePoints);
  const roc: DrawnRoc = { fpr: [], tpr: [], thresholds: [], auc: NaN };
  const sweep = { thresholds: [] as number[], tp: [] as number[], fp: [] as number[], positives: P, negatives: N };
  const pr = { precision: new Array<number>(prPicks.length), recall: new Array<number>(prPicks.length), thresholds: new Array<number>(prPicks.length) };
  const noNegatives = !(N > 0);
  const noPositives = !(P > 0);
  let rocNext = 0;
  if (rocPicks[0] === 0) {
    roc.fpr.push(noNegatives ? NaN : 0);
    roc.tpr.push(noPositives ? NaN : 0);
    roc.thresholds.push(2);
    rocNext++;
  }
  // The PR curve's point j is threshold m - 1 - j: its picks are met from the last.
  let prNext = prPicks.length - 1;
  if (prPicks[prNext] === m) {
    pr.precision[prNext] = 1;
    pr.recall[prNext] = 0;
    pr.thresholds[prNext] = 1;
    prNext--;
  }
  let sweepNext = 0;
  let area = 0;
  let px = 0;
  let py = 0;
  let corner = 1;
  let ap = 0;
  let prevRecall = 0;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < m; i++) {
    // Threshold i is the score of its first positive, if any, else of its first negative (from the top).
    const t = (dTps[i] > 0 ? pos[P - 1 - tp] : neg[N - 1 - fp]) + 0; // -0 -> 0
    tp += dTps[i];
    fp += dFps[i];
    if (i === 0 || i === m - 1 || dTps[i + 1] !== dTps[i] || dFps[i + 1] !== dFps[i]) {
      // A ROC corner: drawnRocFromSweep's trapezoid and drawn point.
      const x = fp / N;
      const y = tp / P;
      area += ((x - px) * (y + py)) / 2;
      px = x;
      py = y;
      if (rocPicks[rocNext] === corner) {
        roc.fpr.push(noNegatives ? NaN : x);
        roc.tpr.push(noPositives ? NaN : y);
        roc.thresholds.push(t === Infinity ? 2 : t);
        rocNext++;
      }
      corner++;
    }
    const recall = tp / P;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    if (sweepPicks[sweepNext] === i) {
      sweep.thresholds.push(t);
      sweep.tp.push(tp);
      sweep.fp.push(fp);
      sweepNext++;
    }
    if (prNext >= 0 && prPicks[prNext] === m - 1 - i) {
      const predicted = tp + fp;
      pr.precision[prNext] = predicted !== 0 ? tp / predicted : 0;
      pr.recall[prNext] = P !== 0 ? tp / P : 1;
      pr.thresholds[prNext] = t;
      prNext--;
    }
  }
  roc.auc = noNegatives || noPositives || corners + 1 < 2 ? NaN : area;
  return { roc, averagePrecision: noPositives ? NaN : ap, sweep, pr };
}
