/**
 * Probability calibration: reliability diagrams with expected calibration error (ECE), and the two
 * calibrators of scikit-learn's CalibratedClassifierCV, Platt (sigmoid) scaling and isotonic
 * regression. Checked against scikit-learn 1.2.1 fixtures.
 *
 * Pure TypeScript: no vscode, node or DOM APIs.
 */
import { positiveProbability } from '../model/lossFamily';
import { unitSweep, type UnitSweep } from './sortedScores';

/** One equal-width bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Bin edges; bin b holds lower < p <= upper (the first bin also holds p = 0). */
  lower: number;
  upper: number;
  /** Number of samples with non-zero weight in the bin. */
  count: number;
  /** Total sample weight W_b in the bin. */
  weight: number;
  /** Σ_b w p / W_b; NaN for an empty bin. */
  meanPredicted: number;
  /** Σ_b w y / W_b; NaN for an empty bin. */
  fractionPositive: number;
}

export interface Reliability {
  /** All bins in order, empty ones included with count 0. */
  bins: ReliabilityBin[];
  /** ECE = Σ_b (W_b / W) |fractionPositive_b - meanPredicted_b| over non-empty bins; NaN when W = 0. */
  ece: number;
  /** Brier score Σ w (p - y)^2 / W; NaN when W = 0. */
  brier: number;
}

/** Platt scaling: p = 1 / (1 + exp(a·f + b)) on a decision value f (usually a < 0). */
export interface PlattCalibrator {
  kind: 'platt';
  a: number;
  b: number;
}

/** Isotonic calibration: a non-decreasing piecewise-linear map through the knots (x, y). */
export interface IsotonicCalibrator {
  kind: 'isotonic';
  /** Strictly increasing knot positions. */
  x: number[];
  /** Non-decreasing values in [0, 1] at the knots. */
  y: number[];
}

export type Calibrator = PlattCalibrator | IsotonicCalibrator;

function checkInputs(name: string, values: ArrayLike<number>, y01: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): void {
  const n = values.length;
  if (y01.length !== n) throw new RangeError(`${name} has ${n} entries but labels have ${y01.length}`);
  if (sampleWeight && sampleWeight.length !== n) {
    throw new RangeError(`${name} has ${n} entries but sample weights have ${sampleWeight.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (y01[i] !== 0 && y01[i] !== 1) throw new RangeError(`label ${i} is ${y01[i]}; expected 0 or 1`);
    const w = sampleWeight ? sampleWeight[i] : 1;
    if (!Number.isFinite(w) || w < 0) throw new RangeError(`sample weight ${i} is ${w}; expected a finite value >= 0`);
  }
}

/**
 * Bins for a reliability diagram of n rows: about 25 rows per bin, between 3 and 10 bins (114 test
 * rows get 4 bins, not 10 that zig-zag between 0 and 1 on a handful of rows each).
 */
export function reliabilityBinCount(n: number): number {
  return Math.max(3, Math.min(10, Math.floor(n / 25)));
}

/**
 * Reliability diagram on `nBins` equal-width bins of [0, 1] with edges e_j = j·(1/nBins) (as
 * numpy's linspace). A probability p goes in the bin b with e_b < p <= e_{b+1} (p = 0 in the first
 * bin, p = 1 in the last): the binning of scikit-learn's `calibration_curve(strategy='uniform')`,
 * whose (fraction of positives, mean predicted) pairs equal those of the non-empty bins here.
 * Probabilities outside [0, 1] are an error.
 */
export function reliability(
  y01: ArrayLike<number>,
  prob: ArrayLike<number>,
  nBins = 10,
  sampleWeight?: ArrayLike<number> | null,
): Reliability {
  if (!Number.isInteger(nBins) || nBins < 1) throw new RangeError(`nBins must be a positive integer, got ${nBins}`);
  checkInputs('prob', prob, y01, sampleWeight);
  const acc = reliabilitySums(nBins);
  const { edges, count, weight, sumP, sumY } = acc;
  for (let i = 0; i < prob.length; i++) {
    const p = prob[i];
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${i} is ${p}; expected a value in [0, 1]`);
    const w = sampleWeight ? sampleWeight[i] : 1;
    if (w === 0) continue;
    const b = reliabilityBin(edges, p);
    count[b] += 1;
    weight[b] += w;
    sumP[b] += w * p;
    sumY[b] += w * y01[i];
    acc.totalWeight += w;
    acc.sse += w * (p - y01[i]) ** 2;
  }
  return reliabilityFromSums(acc);
}

/**
 * reliability(y01, c applied to each value, nBins) with unit weights, bit for bit, without the array of
 * calibrated probabilities: each row's applyCalibrator(c, values[i]) binned and summed in row order (a
 * weight of 1 multiplies exactly). A calibrated value outside [0, 1] (or NaN) goes to reliability,
 * which reports it.
 */
export function reliabilityOfCalibrator(c: Calibrator, values: Float64Array, y01: Int32Array, nBins: number): Reliability {
  const n = values.length;
  if (y01.length !== n) throw new RangeError(`prob has ${n} entries but labels have ${y01.length}`);
  const acc = reliabilitySums(nBins);
  const general = () => reliability(y01, Float64Array.from(values, (v) => applyCalibrator(c, v)), nBins);
  // One loop per kind, so that each calls one function (inlined).
  if (c.kind === 'isotonic') {
    const table = new IsotonicTable(c);
    for (let i = 0; i < n; i++) if (!addCheckedRow(acc, table.at(values[i]), y01[i])) return general();
  } else {
    const { a, b } = c;
    for (let i = 0; i < n; i++) if (!addCheckedRow(acc, positiveProbability(-(a * values[i] + b)), y01[i])) return general();
  }
  return reliabilityFromSums(acc);
}

/** addUnitRow when p is in [0, 1] and y is 0 or 1; false (nothing added) otherwise. */
function addCheckedRow(acc: ReliabilitySums, p: number, y: number): boolean {
  if (!(p >= 0 && p <= 1) || (y !== 0 && y !== 1)) return false;
  addUnitRow(acc, p, y);
  return true;
}

/** One row of weight 1 added to reliability sums: reliability's terms with w = 1 (a weight of 1 multiplies exactly). */
export function addUnitRow(acc: ReliabilitySums, p: number, y: number): void {
  const b = reliabilityBin(acc.edges, p);
  acc.count[b] += 1;
  acc.weight[b] += 1;
  acc.sumP[b] += p;
  acc.sumY[b] += y;
  acc.totalWeight += 1;
  acc.sse += (p - y) ** 2;
}

/**
 * applyCalibrator of an isotonic calibrator, for many values (at()): the same knot (the largest
 * x_j <= value, unique as the knots strictly increase) found from a table of equal-width buckets over
 * [x_0, x_last] and a short walk instead of a binary search per value, then the same interpolation, bit for bit.
 */
export class IsotonicTable {
  private readonly x: Float64Array;
  private readonly y: Float64Array;
  private readonly last: number;
  private readonly buckets: number;
  private readonly scale: number;
  /** start[b]: the last knot at or below bucket b's lower edge (about: the walk in at() corrects it). */
  private readonly start: Int32Array;

  constructor(c: IsotonicCalibrator) {
    const x = (this.x = Float64Array.from(c.x));
    this.y = Float64Array.from(c.y);
    const last = (this.last = x.length - 1);
    const buckets = (this.buckets = Math.min(1 << 16, Math.max(16, 2 * x.length)));
    const scale = (this.scale = buckets / (x[last] - x[0]));
    this.start = new Int32Array(buckets);
    for (let b = 0, j = 0; b < buckets; b++) {
      const edge = x[0] + b / scale;
      while (j < last && x[j + 1] <= edge) j++;
      this.start[b] = j;
    }
  }

  /** applyCalibrator(c, value), bit for bit. */
  at(value: number): number {
    const { x, y, last } = this;
    if (Number.isNaN(value)) return NaN;
    if (value <= x[0]) return y[0];
    if (value >= x[last]) return y[last];
    // x_0 < value < x_last: the walks stop inside [0, last - 1].
    let lo = this.start[Math.min(this.buckets - 1, Math.floor((value - x[0]) * this.scale))];
    while (x[lo + 1] <= value) lo++;
    while (x[lo] > value) lo--;
    if (value === x[lo]) return y[lo];
    const slope = (y[lo + 1] - y[lo]) / (x[lo + 1] - x[lo]);
    return slope * (value - x[lo]) + y[lo];
  }
}

/** The running sums of a reliability diagram on nBins equal-width bins (reliability's, and evaluate/binaryPass.ts's fused pass). */
export interface ReliabilitySums {
  edges: Float64Array;
  count: Float64Array;
  weight: Float64Array;
  sumP: Float64Array;
  sumY: Float64Array;
  totalWeight: number;
  sse: number;
}

export function reliabilitySums(nBins: number): ReliabilitySums {
  const step = 1 / nBins;
  const edges = Float64Array.from({ length: nBins + 1 }, (_, j) => (j === nBins ? 1 : j * step));
  const z = () => new Float64Array(nBins);
  return { edges, count: z(), weight: z(), sumP: z(), sumY: z(), totalWeight: 0, sse: 0 };
}

/** The bin of p in [0, 1]: the number of interior edges strictly below p (numpy searchsorted, side='left'). */
export function reliabilityBin(edges: Float64Array, p: number): number {
  const nBins = edges.length - 1;
  let b = Math.min(nBins - 1, Math.floor(p * nBins));
  while (b > 0 && edges[b] >= p) b--;
  while (b < nBins - 1 && edges[b + 1] < p) b++;
  return b;
}

export function reliabilityFromSums(acc: ReliabilitySums): Reliability {
  const { edges, count, weight, sumP, sumY, totalWeight, sse } = acc;
  const bins: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < count.length; b++) {
    const meanPredicted = weight[b] > 0 ? sumP[b] / weight[b] : NaN;
    const fractionPositive = weight[b] > 0 ? sumY[b] / weight[b] : NaN;
    if (weight[b] > 0) ece += (weight[b] / totalWeight) * Math.abs(fractionPositive - meanPredicted);
    bins.push({ lower: edges[b], upper: edges[b + 1], count: count[b], weight: weight[b], meanPredicted, fractionPositive });
  }
  return totalWeight > 0 ? { bins, ece, brier: sse / totalWeight } : { bins, ece: NaN, brier: NaN };
}

/**
 * Platt scaling fitted as scikit-learn's `_sigmoid_calibration`. With N+ and N- the (weighted)
 * counts of positives and negatives, the targets are smoothed to t = (N+ + 1)/(N+ + 2) for
 * positives and t = 1/(N- + 2) for negatives, and (a, b) minimize
 *
 *   L(a, b) = Σ_i w_i [ -t_i log p_i - (1 - t_i) log(1 - p_i) ],  p_i = 1/(1 + exp(z_i)),  z_i = a f_i + b
 *           = Σ_i w_i [ softplus(z_i) - (1 - t_i) z_i ],
 *
 * which is strictly convex with a finite minimum even on separable data. Gradient
 * ∂L/∂z_i = w_i (t_i - p_i), Hessian Σ_i w_i p_i (1 - p_i) [f_i², f_i; f_i, 1]. Newton's method with
 * Armijo backtracking from (0, log((N- + 1)/(N+ + 1))) (Lin, Lin and Weng 2007), to a gradient of
 * 1e-12·(1 + Σ w). scikit-learn stops its BFGS at a gradient norm of 1e-5, so its (a, b) differ
 * from the optimum by about 1e-6.
 */
export function fitPlatt(decision: ArrayLike<number>, y01: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): PlattCalibrator {
  checkInputs('decision', decision, y01, sampleWeight);
  const n = decision.length;
  let prior0 = 0;
  let prior1 = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(decision[i])) throw new RangeError(`decision value ${i} is ${decision[i]}; expected a finite value`);
    const w = sampleWeight ? sampleWeight[i] : 1;
    if (y01[i] === 1) prior1 += w;
    else prior0 += w;
  }
  const tPos = (prior1 + 1) / (prior1 + 2);
  const tNeg = 1 / (prior0 + 2);
  const target = (i: number): number => (y01[i] === 1 ? tPos : tNeg);
  const weightOf = (i: number): number => (sampleWeight ? sampleWeight[i] : 1);
  // Each row's e^{-|z|} at the last point the objective was evaluated: the gradient at that point (the
  // accepted one) reuses them (positiveProbability's e, bit for bit) instead of a second exp per row.
  const lastE = new Float64Array(n);
  let lastA = NaN;
  let lastB = NaN;
  // The objective's running sum in an array (see g below).
  const lossSum = new Float64Array(1);
  const objective = (a: number, b: number): number => {
    lossSum[0] = 0;
    for (let i = 0; i < n; i++) {
      const z = a * decision[i] + b;
      const e = Math.exp(-Math.abs(z));
      lastE[i] = e;
      // log1pExp(z), from the same e^{-|z|}.
      const softplus = z > 0 ? z + Math.log1p(e) : Math.log1p(e);
      lossSum[0] += weightOf(i) * (softplus - (1 - target(i)) * z);
    }
    lastA = a;
    lastB = b;
    return lossSum[0];
  };

  let a = 0;
  let b = Math.log((prior0 + 1) / (prior1 + 1));
  let loss = objective(a, b);
  const gradientTolerance = 1e-12 * (1 + prior0 + prior1);
  // The gradient's and Hessian's running sums in an array, not in local variables: fitPlatt runs once,
  // its loops as compiled by on-stack replacement, where a number carried from one iteration to the
  // next is boxed at each iteration (a heap allocation per row and sum), while an array's element is
  // read and written unboxed. The same additions in the same order.
  const g = new Float64Array(5);
  for (let iter = 0; iter < 100; iter++) {
    g[G_A] = 0;
    g[G_B] = 0;
    g[H_AA] = 1e-12;
    g[H_AB] = 0;
    g[H_BB] = 1e-12;
    const cached = a === lastA && b === lastB;
    for (let i = 0; i < n; i++) {
      const f = decision[i];
      const w = weightOf(i);
      // positiveProbability(-z) with z = a f + b: e^{-|z|} is the objective's at this point.
      const z = a * f + b;
      const e = cached ? lastE[i] : Math.exp(-Math.abs(z));
      const p = z <= 0 ? 1 / (1 + e) : e / (1 + e);
      const d = w * (target(i) - p);
      const h = w * p * (1 - p);
      g[G_A] += d * f;
      g[G_B] += d;
      g[H_AA] += h * f * f;
      g[H_AB] += h * f;
      g[H_BB] += h;
    }
    const gA = g[G_A];
    const gB = g[G_B];
    const hAA = g[H_AA];
    const hAB = g[H_AB];
    const hBB = g[H_BB];
    if (Math.max(Math.abs(gA), Math.abs(gB)) <= gradientTolerance) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(hAA * gB - hAB * gA) / det;
    const slope = gA * dA + gB * dB;
    // A predicted decrease below the rounding of the loss itself: (a, b) is as good as float64 allows.
    if (!(-slope > 4 * Number.EPSILON * Math.abs(loss))) break;
    let step = 1;
    let next = objective(a + dA, b + dB);
    while (next > loss + 1e-4 * step * slope && step > 1e-10) {
      step /= 2;
      next = objective(a + step * dA, b + step * dB);
    }
    // No sufficient decrease (strictly: a step too small to change the rounded loss does not count):
    // rounding, not the model, decides from here on.
    if (!(next < loss + 1e-4 * step * slope)) break;
    a += step * dA;
    b += step * dB;
    loss = next;
  }
  return { kind: 'platt', a, b };
}

/** fitPlatt's sums: the gradient in (a, b) and the Hessian's three entries. */
const G_A = 0;
const G_B = 1;
const H_AA = 2;
const H_AB = 3;
const H_BB = 4;

/**
 * Isotonic regression as scikit-learn's `IsotonicRegression(y_min=0, y_max=1, out_of_bounds='clip')`:
 * drop zero-weight samples, sort by (score, label), merge scores closer than 1e-15 (float64
 * resolution) into their weighted mean label, solve
 *
 *   min Σ_j W_j (ŷ_j - ȳ_j)²  subject to  ŷ_1 <= ŷ_2 <= ... ,
 *
 * by the weighted pool-adjacent-violators algorithm (O(n) after the sort), clip ŷ to [0, 1], and
 * keep only the knots where ŷ changes (the first and last always).
 */
export function fitIsotonic(score: ArrayLike<number>, y01: ArrayLike<number>, sampleWeight?: ArrayLike<number> | null): IsotonicCalibrator {
  checkInputs('score', score, y01, sampleWeight);
  let kept = 0;
  for (let i = 0; i < score.length; i++) {
    if (!Number.isFinite(score[i])) throw new RangeError(`score ${i} is ${score[i]}; expected a finite value`);
    if ((sampleWeight ? sampleWeight[i] : 1) > 0) kept++;
  }
  if (kept === 0) throw new RangeError('isotonic calibration needs at least one sample with non-zero weight');
  return poolAdjacentViolators(sampleWeight ? uniqueScores(score, y01, sampleWeight) : uniqueScoresUnit(score, y01));
}

/** Scores closer than 1e-15 to the first of their run merged: the distinct values, their mean labels and weights. */
interface UniqueScores {
  ux: number[];
  uy: number[];
  uw: number[];
}

/** UniqueScores by a sort of the rows on (score, label), with sample weights. */
function uniqueScores(score: ArrayLike<number>, y01: ArrayLike<number>, sampleWeight: ArrayLike<number>): UniqueScores {
  const order: number[] = [];
  for (let i = 0; i < score.length; i++) if (sampleWeight[i] > 0) order.push(i);
  order.sort((i, j) => score[i] - score[j] || y01[i] - y01[j] || i - j);
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  let currentX = score[order[0]];
  let sumW = 0;
  let sumWY = 0;
  for (const i of order) {
    const w = sampleWeight[i];
    if (score[i] - currentX >= 1e-15) {
      ux.push(currentX);
      uy.push(sumWY / sumW);
      uw.push(sumW);
      currentX = score[i];
      sumW = 0;
      sumWY = 0;
    }
    sumW += w;
    sumWY += w * y01[i];
  }
  ux.push(currentX);
  uy.push(sumWY / sumW);
  uw.push(sumW);
  return { ux, uy, uw };
}

/**
 * UniqueScores with unit weights, from the threshold sweep (one sort of each class's scores, sortedScores.ts):
 * the counts of each distinct score are differences of the sweep's cumulative counts, and integer sums
 * are exact in any order, so the result is uniqueScores' with weights of 1, bit for bit (a score of -0
 * is reported as 0).
 */
function uniqueScoresUnit(score: ArrayLike<number>, y01: ArrayLike<number>): UniqueScores {
  let positives = 0;
  for (let i = 0; i < y01.length; i++) positives += y01[i];
  return uniqueScoresOfSweep(unitSweep(y01, score, positives));
}

/**
 * fitIsotonic(score, y01) without weights from the unit sweep of those scores and labels, already sorted
 * for the evaluation (evaluate.ts reuses the validation split's): the same calibrator, bit for bit.
 * The sweep must hold at least one score.
 */
export function fitIsotonicFromSweep(s: UnitSweep): IsotonicCalibrator {
  if (s.thresholds.length === 0) throw new RangeError('isotonic calibration needs at least one sample with non-zero weight');
  return poolAdjacentViolators(uniqueScoresOfSweep(s));
}

function uniqueScoresOfSweep(s: UnitSweep): UniqueScores {
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  const m = s.thresholds.length;
  let currentX = s.thresholds[m - 1];
  let sumW = 0;
  let sumWY = 0;
  for (let j = m - 1; j >= 0; j--) {
    const x = s.thresholds[j];
    const tp = s.tp[j] - (j > 0 ? s.tp[j - 1] : 0);
    const fp = s.fp[j] - (j > 0 ? s.fp[j - 1] : 0);
    if (x - currentX >= 1e-15) {
      ux.push(currentX);
      uy.push(sumWY / sumW);
      uw.push(sumW);
      currentX = x;
      sumW = 0;
      sumWY = 0;
    }
    sumW += tp + fp;
    sumWY += tp;
  }
  ux.push(currentX);
  uy.push(sumWY / sumW);
  uw.push(sumW);
  return { ux, uy, uw };
}

/** The weighted pool-adjacent-violators fit of fitIsotonic on the unique scores, clipped to [0, 1], with its knots. */
function poolAdjacentViolators({ ux, uy, uw }: UniqueScores): IsotonicCalibrator {
  // Pool adjacent violators: a stack of blocks (mean, weight, length); a new block merges with the
  // previous one while the previous mean is >= its mean.
  const mean: number[] = [];
  const blockWeight: number[] = [];
  const length: number[] = [];
  for (let j = 0; j < ux.length; j++) {
    let m = uy[j];
    let w = uw[j];
    let len = 1;
    while (mean.length > 0 && mean[mean.length - 1] >= m) {
      const pw = blockWeight.pop() as number;
      const pm = mean.pop() as number;
      len += length.pop() as number;
      m = (pw * pm + w * m) / (pw + w);
      w += pw;
    }
    mean.push(m);
    blockWeight.push(w);
    length.push(len);
  }
  const fitted: number[] = [];
  for (let k = 0; k < mean.length; k++) {
    const v = Math.min(1, Math.max(0, mean[k]));
    for (let r = 0; r < length[k]; r++) fitted.push(v);
  }

  const x: number[] = [];
  const y: number[] = [];
  for (let j = 0; j < ux.length; j++) {
    const interior = j > 0 && j < ux.length - 1;
    if (interior && fitted[j] === fitted[j - 1] && fitted[j] === fitted[j + 1]) continue;
    x.push(ux[j]);
    y.push(fitted[j]);
  }
  return { kind: 'isotonic', x, y };
}

/**
 * Calibrated probability for one value. Platt: 1/(1 + exp(a·f + b)) on the decision value f.
 * Isotonic: `value` is what the calibrator was fitted on (Logit Lab fits it on probabilities),
 * clipped to [x_0, x_last] and linearly interpolated between knots (numpy's `interp`). NaN in,
 * NaN out.
 */
export function applyCalibrator(c: Calibrator, value: number): number {
  if (c.kind === 'platt') return positiveProbability(-(c.a * value + c.b));
  const { x, y } = c;
  const last = x.length - 1;
  if (Number.isNaN(value)) return NaN;
  if (value <= x[0]) return y[0];
  if (value >= x[last]) return y[last];
  // Largest j with x[j] <= value; then x[j] <= value < x[j + 1].
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= value) lo = mid;
    else hi = mid;
  }
  if (value === x[lo]) return y[lo];
  const slope = (y[lo + 1] - y[lo]) / (x[lo + 1] - x[lo]);
  return slope * (value - x[lo]) + y[lo];
}
