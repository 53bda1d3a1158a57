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

export interface BinaryPass {
  /** The split's labels (0/1) and probabilities of the positive class, in row order; null unless kept (keepScores). */
  y: Int32Array | null;
  p1: Float64Array | null;
  /** The number of rows. */
  n: number;
  /** The positive rows' and the negative rows' scores, unsorted (in no set order: the negatives' are reversed), views of one array. */
  pos: Float64Array;
  neg: Float64Array;
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
  const scores = new Float64Array(n);
  const acc = reliabilitySums(nBins);
  const { edges, count, weight, sumP, sumY } = acc;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  // The two running sums in an array, not in local variables: the loop runs as compiled by on-stack
  // replacement (a run calls binaryPass once), where a number carried from one iteration to the next
  // is boxed at each iteration (a heap allocation per row and sum: scavenges all through the pass),
  // while an array's element is read and written unboxed. The same additions in the same order.
  const sums = new Float64Array(2);
  let a = 0;
  for (let i = 0, b = n - 1; i < n; i++) {
    const yi = yAll[rows[i]];
    if (yi !== 0 && yi !== 1) return null;
    const zi = z[i];
    if (zi !== zi) return null;
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
    if (yi === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
    sums[BRIER] += (q1 - yi) ** 2;
    const c0 = clip(q0);
    const c1 = clip(q1);
    sums[LOG_LOSS] += -Math.log((yi === 1 ? c1 : c0) / (c0 + c1));
    const bin = reliabilityBin(edges, q1);
    count[bin] += 1;
    sumP[bin] += q1;
    sumY[bin] += yi;
  }
  // Unit weights: each bin's weight is its count, and the reliability's squared errors are the Brier sum (the same terms, in the same order).
  weight.set(count);
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
    confusion: [
      [tn, fp],
      [fn, tp],
    ],
    logLossSum,
    brierSum,
    reliability: acc,
  };
}
