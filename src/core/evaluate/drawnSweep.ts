/**
 * A binary evaluation's curves and areas straight from each class's sorted scores, without the unit
 * sweep's three Float64 arrays the length of the split: one merge of the classes from the top (as
 * sortedScores.ts sweepOfSortedClasses) into each threshold's two count increments, then one pass over
 * them summing the areas in the same order as curves.ts does on the whole sweep (drawnRocFromSweep's
 * area, averagePrecisionFromSweep) and turning the increments into cumulative counts, and last the
 * drawn points read at their thinned indices alone: drawnRocFromSweep's points, evaluate.ts
 * binaryCurves's thinned threshold sweep and PR points. Those stay the reference:
 * test/unit/core/evaluate/drawnSweep.test.ts checks this module against them bit for bit.
 *
 * Pure TypeScript: no vscode, node or DOM APIs.
 */
import { thinnedIndices, type DrawnRoc } from './curves';
import { wasmSweep } from './evaluateWasm';

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
 * The one merge of two sorted classes from the top (as sortedScores.ts sweepOfSortedClasses): each
 * threshold's increments of true and false positives in dTps and dFps (at least pos.length +
 * neg.length long), and the number of thresholds returned. The merge is this small loop alone, and
 * sweepAreas's pass reads its arrays in order: a single call (a cold run) has the short loop compiled
 * sooner than a long one with the merge inside. Nothing but a number follows the loop: on-stack
 * replacement compiles the code after it before it ever ran, and an object built there (with no type
 * feedback) would discard the compiled loop on leaving it, for the next class to run interpreted.
 */
function sweepShape(pos: Float64Array, neg: Float64Array, dTps: Int32Array, dFps: Int32Array): number {
  let a = pos.length - 1;
  let b = neg.length - 1;
  let m = 0;
  // a >= 0 || b >= 0 (both are >= -1: the sign bit of a & b is set when both are -1), as one compare
  // whose feedback the first iteration records: the short-circuit's b >= 0 ran only once the positives
  // were all merged, and the loop's compiled code was discarded there for want of its type feedback.
  while ((a & b) >= 0) {
    const t = b < 0 || (a >= 0 && pos[a] >= neg[b]) ? pos[a] : neg[b];
    let dTp = 0;
    let dFp = 0;
    for (; a >= 0 && pos[a] === t; a--) dTp++;
    for (; b >= 0 && neg[b] === t; b--) dFp++;
    dTps[m] = dTp;
    dFps[m] = dFp;
    m++;
  }
  return m;
}

/**
 * The pass's arrays, reused across calls (one-vs-rest's classes, each merging the split's n scores):
 * only entries below the merge's threshold count are read, each written first.
 */
export interface SweepScratch {
  dTp: Int32Array;
  dFp: Int32Array;
  /** At least pos.length + neg.length + 1 entries: each ROC corner's threshold (a new array without it). */
  cornerAt?: Int32Array;
}

/**
 * The one pass over every threshold (the rest of drawnSweep reads only the thresholds drawn): the ROC
 * trapezoids at its corners (rocFromSweep's kept points: the first threshold, the last, and each whose
 * increments differ from the next's; the counts are integers, so curves.ts's second differences are
 * exact) and the average precision's terms, in threshold order, as curves.ts sums them. Each
 * threshold's increments in dTps and dFps are replaced by the cumulative counts at it; cornerAt[c]
 * (at least m + 1 long) receives corner c's threshold for c >= 1, cornerAt[0] the number of corners,
 * sums[AP] the average precision and sums[AREA] the area (all stored inside the loop, nothing read
 * after it: see sweepShape; reading the area after the loop discarded the compiled loop on leaving it).
 * The running sums and the last corner are kept in `sums`, not in local variables: the loop runs as
 * compiled by on-stack replacement (one call per class), where a number carried from one iteration to
 * the next is boxed at each iteration (a heap allocation each: scavenges all through the pass), while
 * an array's element is read and written unboxed. The same operations in the same order.
 */
function sweepAreas(dTps: Int32Array, dFps: Int32Array, m: number, P: number, N: number, cornerAt: Int32Array, sums: Float64Array): void {
  cornerAt[0] = 0;
  sums.fill(0);
  let corner = 1;
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < m; i++) {
    const dTp = dTps[i];
    const dFp = dFps[i];
    tp += dTp;
    fp += dFp;
    if (i === 0 || i === m - 1 || dTps[i + 1] !== dTp || dFps[i + 1] !== dFp) {
      const x = fp / N;
      const y = tp / P;
      sums[AREA] += ((x - sums[PX]) * (y + sums[PY])) / 2;
      sums[PX] = x;
      sums[PY] = y;
      cornerAt[0] = corner;
      cornerAt[corner++] = i;
    }
    const recall = tp / P;
    sums[AP] += (recall - sums[PREV_RECALL]) * (tp / (tp + fp));
    sums[PREV_RECALL] = recall;
    dTps[i] = tp;
    dFps[i] = fp;
  }
}

/** sweepAreas's sums: the average precision, the ROC area, the last corner's (x, y), the last recall. */
const AP = 0;
const AREA = 1;
const PX = 2;
const PY = 3;
const PREV_RECALL = 4;

/**
 * The DrawnSweep of a binary split from its positives' and negatives' scores, each sorted ascending
 * (sortFloat64), finite: bit for bit what curves.ts and binaryCurves give on sweepOfSortedClasses(pos, neg).
 */
export function drawnSweep(pos: Float64Array, neg: Float64Array, maxCurvePoints: number, maxSweepPoints: number, scratch?: SweepScratch): DrawnSweep {
  const P = pos.length;
  const N = neg.length;
  const n = P + N;
  const reuse = scratch !== undefined && scratch.dTp.length >= n && scratch.dFp.length >= n;
  const tps = reuse ? scratch.dTp : new Int32Array(n);
  const fps = reuse ? scratch.dFp : new Int32Array(n);
  const sums = new Float64Array(5);
  // On WebAssembly where the classes and counts are in its memory (evaluateWasm.ts), else the loops below.
  const wasm = wasmSweep(pos, neg, tps, fps, sums);
  let m: number;
  let cornerAt: Int32Array;
  if (wasm) ({ m, cornerAt } = wasm);
  else {
    cornerAt = reuse && scratch.cornerAt && scratch.cornerAt.length > n ? scratch.cornerAt : new Int32Array(n + 1);
    m = sweepShape(pos, neg, tps, fps);
    sweepAreas(tps, fps, m, P, N, cornerAt, sums);
  }
  const area = sums[AREA];
  const ap = sums[AP];
  const corners = cornerAt[0];
  // tps and fps now hold the cumulative counts at each threshold; threshold i is the score of its
  // first positive, if any, else of its first negative (from the top); -0 is reported as 0.
  const threshold = (i: number): number => {
    const tpBefore = i > 0 ? tps[i - 1] : 0;
    return (tps[i] > tpBefore ? pos[P - 1 - tpBefore] : neg[N - 1 - (i > 0 ? fps[i - 1] : 0)]) + 0;
  };
  const noNegatives = !(N > 0);
  const noPositives = !(P > 0);
  const roc: DrawnRoc = { fpr: [], tpr: [], thresholds: [], auc: noNegatives || noPositives || corners + 1 < 2 ? NaN : area };
  for (const c of thinnedIndices(corners + 1, maxCurvePoints)) {
    if (c === 0) {
      roc.fpr.push(noNegatives ? NaN : 0);
      roc.tpr.push(noPositives ? NaN : 0);
      roc.thresholds.push(2);
      continue;
    }
    const i = cornerAt[c];
    const t = threshold(i);
    roc.fpr.push(noNegatives ? NaN : fps[i] / N);
    roc.tpr.push(noPositives ? NaN : tps[i] / P);
    roc.thresholds.push(t === Infinity ? 2 : t);
  }
  const sweep = { thresholds: [] as number[], tp: [] as number[], fp: [] as number[], positives: P, negatives: N };
  for (const i of thinnedIndices(m, maxSweepPoints)) {
    sweep.thresholds.push(threshold(i));
    sweep.tp.push(tps[i]);
    sweep.fp.push(fps[i]);
  }
  // The PR curve's point j is threshold m - 1 - j, its last point (j = m) recall 0 at precision 1.
  const prPicks = thinnedIndices(m + 1, maxCurvePoints);
  const pr = { precision: new Array<number>(prPicks.length), recall: new Array<number>(prPicks.length), thresholds: new Array<number>(prPicks.length) };
  prPicks.forEach((j, k) => {
    if (j === m) {
      pr.precision[k] = 1;
      pr.recall[k] = 0;
      pr.thresholds[k] = 1;
      return;
    }
    const i = m - 1 - j;
    const tp = tps[i];
    const predicted = tp + fps[i];
    pr.precision[k] = predicted !== 0 ? tp / predicted : 0;
    pr.recall[k] = P !== 0 ? tp / P : 1;
    pr.thresholds[k] = threshold(i);
  });
  return { roc, averagePrecision: noPositives ? NaN : ap, sweep, pr };
}
