/**
 * A binary evaluation's curves and areas straight from each class's sorted scores, without the unit
 * sweep's three arrays the length of the split: two merges of the classes from the top (as
 * sortedScores.ts sweepOfSortedClasses), the first counting the thresholds and the ROC corners (which
 * fix the points kept for drawing), the second computing the same quantities, in the same order, as
 * curves.ts does on the whole sweep: drawnRocFromSweep's drawn points and area, averagePrecisionFromSweep,
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

/**
 * The number of distinct scores (thresholds) of two sorted classes, and of the ROC curve's corners
 * among them (rocFromSweep's kept points: the first, the last, and each whose count increments differ
 * from the next threshold's; the counts are integers, so curves.ts's second differences are exact).
 */
function sweepShape(pos: Float64Array, neg: Float64Array): { m: number; corners: number } {
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
    lastTp = dTp;
    lastFp = dFp;
    m++;
  }
  return { m, corners: m > 0 ? corners + 1 : 0 };
}

/**
 * The DrawnSweep of a binary split from its positives' and negatives' scores, each sorted ascending
 * (sortFloat64), finite: bit for bit what curves.ts and binaryCurves give on sweepOfSortedClasses(pos, neg).
 */
export function drawnSweep(pos: Float64Array, neg: Float64Array, maxCurvePoints: number, maxSweepPoints: number): DrawnSweep {
  const { m, corners } = sweepShape(pos, neg);
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
  // Threshold i (t, tp, fp) is emitted once threshold i + 1's increments are known (or, for the last, at the end).
  let i = -1;
  let t = 0;
  let tp = 0;
  let fp = 0;
  let lastTp = 0;
  let lastFp = 0;
  let a = P - 1;
  let b = N - 1;
  for (;;) {
    const done = a < 0 && b < 0;
    let dTp = 0;
    let dFp = 0;
    let next = 0;
    if (!done) {
      next = b < 0 || (a >= 0 && pos[a] >= neg[b]) ? pos[a] : neg[b];
      for (; a >= 0 && pos[a] === next; a--) dTp++;
      for (; b >= 0 && neg[b] === next; b--) dFp++;
    }
    if (i >= 0) {
      if (done || i === 0 || dTp !== lastTp || dFp !== lastFp) {
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
    if (done) break;
    i++;
    t = next + 0; // -0 -> 0
    tp += dTp;
    fp += dFp;
    lastTp = dTp;
    lastFp = dFp;
  }
  roc.auc = noNegatives || noPositives || corners + 1 < 2 ? NaN : area;
  return { roc, averagePrecision: noPositives ? NaN : ap, sweep, pr };
}
