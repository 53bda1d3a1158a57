/**
 * A binary split's evaluation in one pass over its decision values, with no per-row objects and no
 * n x 2 probability matrix: each row's σ(z) and 1 - σ(z) (lossFamily's binaryPair, bit for bit), its
 * label, the confusion matrix at the threshold, log-loss and Brier sums (metrics.ts binaryMetrics's
 * terms, in the same order), the 10-bin reliability sums (calibration.ts reliability's), and each
 * class's scores for the one sort of the threshold sweep (sortedScores.ts). The general functions stay
 * the reference: test/unit/core/evaluate/sortedScores.test.ts checks this pass against them bit for bit.
 *
 * Pure TypeScript: no vscode, node or DOM APIs.
 */
import { PROBA_EPS } from '../model/lossFamily';
import { reliabilityBin, reliabilitySums, type ReliabilitySums } from './calibration';
import { sortArena, wasmBinaryPass } from './evaluateWasm';

/** Below this many rows the classes are sorted natively or by JavaScript's buckets (sortedScores.ts BUCKET_MIN): no arena. */
const SORT_ARENA_MIN = 4096;

export interface BinaryPass {
  /** The split's labels (0/1) and probabilities of the positive class, in row order; null unless kept (keepScores). */
  y: Int32Array | null;
  p1: Float64Array | null;
  /** The number of rows. */
  n: number;
  /** The positive rows' and the negative rows' scores, unsorted (in no set order: the negatives' are reversed), views of one array. */
  pos: Float64Array;
  neg: Float64Array;
  /** Where the sorts write (as long as the split), in the scores' WebAssembly memory (evaluateWasm.ts sortArena); null without one. */
  sortInto: Float64Array | null;
  /** confusion[true][predicted]. */
  confusion: number[][];
  logLossSum: number;
  brierSum: number;
  reliability: ReliabilitySums;
}

const LOG_LOSS = 0;
const BRIER = 1;

const clip = (p: number): number => Math.min(1 - PROBA_EPS, Math.max(PROBA_EPS, p));

/**
 * The pass over rows i of a split (labels yAll[rows[i]], decision values z[i]); a row is predicted
 * positive when p1 >= threshold (without a threshold: when p1 > p0). Null when a label is not 0/1 or a
 * decision value is NaN: the general path then reports it. Without keepScores the labels and
 * probabilities are not kept in arrays the length of the split (what the caller does not need is not held).
 */
export function binaryPass(z: Float64Array, yAll: Int32Array, rows: Int32Array, threshold: number | undefined, nBins: number, keepScores = true): BinaryPass | null {
  const n = rows.length;
  const y = new Int32Array(keepScores ? n : 0);
  const p1 = new Float64Array(keepScores ? n : 0);
  // One array for both classes' scores, the positives' from the front and the negatives' from the back:
  // the labels are read once, in this pass (the sorts that follow do not depend on the order).
  // In WebAssembly memory where it runs, for the class sorts to read in place (evaluateWasm.ts).
  const arena = n >= SORT_ARENA_MIN ? sortArena(n) : null;
  const scores = arena ? arena.keys : new Float64Array(n);
  const acc = reliabilitySums(nBins);
  const sums = new Float64Array(2);
  const counts = new Int32Array(4);
  const wasm = arena ? wasmBinaryPass(z, yAll, rows, threshold, PROBA_EPS, keepScores, y, p1, scores, acc, sums, counts) : null;
  if (wasm === false || (wasm === null && !passRows(z, yAll, rows, threshold, keepScores, y, p1, scores, acc, sums, counts))) return null;
  const [tn, fp, fn, tp] = counts;
  // The positives' scores fill the front of the array.
  const a = fn + tp;
  // Unit weights: each bin's weight is its count, and the reliability's squared errors are the Brier sum (the same terms, in the same order).
  acc.weight.set(acc.count);
  const logLossSum = sums[LOG_LOSS];
  const brierSum = sums[BRIER];
  acc.sse = brierSum;
  acc.totalWeight = n;
  return {
    y: keepScores ? y : null,
    p1: keepScores ? p1 : null,
    n,
    pos: scores.subarray(0, a),
    neg: scores.subarray(a),
    sortInto: arena ? arena.sorted : null,
    confusion: [
      [tn, fp],
      [fn, tp],
    ],
    logLossSum,
    brierSum,
    reliability: acc,
  };
}

/**
 * binaryPass's loop over the rows, alone in its function with nothing but a boolean after it: the loop
 * runs as compiled by on-stack replacement (one call per split of a million rows), whose code for what
 * follows the loop has no type feedback and is discarded on leaving it; building the result here made
 * the next split's pass (a run with validation and test rows evaluates three) start interpreted again.
 * Its results go into the arrays passed: counts (tn, fp, fn, tp), the two
 * running sums (in an array, not in local variables: a number carried from one iteration to the next of
 * an OSR-compiled loop is boxed at each iteration, a heap allocation per row and sum, while an array's
 * element is read and written unboxed). False when a label is not 0/1 or a decision value is NaN.
 */
function passRows(
  z: Float64Array,
  yAll: Int32Array,
  rows: Int32Array,
  threshold: number | undefined,
  keepScores: boolean,
  y: Int32Array,
  p1: Float64Array,
  scores: Float64Array,
  acc: ReliabilitySums,
  sums: Float64Array,
  counts: Int32Array,
): boolean {
  const n = rows.length;
  const { edges, count, sumP, sumY } = acc;
  for (let i = 0, a = 0, b = n - 1; i < n; i++) {
    const yi = yAll[rows[i]];
    if (yi !== 0 && yi !== 1) return false;
    const zi = z[i];
    if (zi !== zi) return false;
    const e = Math.exp(-Math.abs(zi));
    const small = e / (1 + e);
    const large = 1 / (1 + e);
    const q1 = zi >= 0 ? large : small;
    const q0 = zi >= 0 ? small : large;
    if (keepScores) {
      y[i] = yi;
      p1[i] = q1;
    }
    if (yi === 1) scores[a++] = q1;
    else scores[b--] = q1;
    const predicted = threshold !== undefined ? q1 >= threshold : q1 > q0;
    // tn, fp, fn, tp at 2·label + predicted.
    counts[2 * yi + (predicted ? 1 : 0)]++;
    sums[BRIER] += (q1 - yi) ** 2;
    const c0 = clip(q0);
    const c1 = clip(q1);
    sums[LOG_LOSS] += -Math.log((yi === 1 ? c1 : c0) / (c0 + c1));
    const bin = reliabilityBin(edges, q1);
    count[bin] += 1;
    sumP[bin] += q1;
    sumY[bin] += yi;
  }
  return true;
}
