/**
 * Tools for an imbalanced binary target (issue 16 §5):
 * - the cost-based threshold: with costs c_FP and c_FN, the threshold t (predict positive when
 *   p >= t) minimizing c_FP·FP(t) + c_FN·FN(t) on one split (the validation rows when there are
 *   some), read off the split's threshold sweep, beside the Bayes threshold c_FP / (c_FP + c_FN)
 *   that is optimal for calibrated probabilities; its confusion counts and ROC/PR coordinates on
 *   every split;
 * - random oversampling of the training rows (every class drawn up to the largest, with
 *   replacement, seeded): validation and test rows are never touched;
 * - the rare-positive rule: below RARE_SHARE of positives, PR AUC and balanced accuracy lead.
 * Pure core.
 */
import { Rng } from '../random';

/** Below this share of positive training rows, PR AUC and balanced accuracy are shown first. */
export const RARE_SHARE = 0.1;

/** A split's cumulative counts by descending score (report BinaryCurves.sweep). */
export interface Sweep {
  thresholds: number[];
  tp: number[];
  fp: number[];
  positives: number;
  negatives: number;
}

export interface Counts {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

export interface ThresholdPoint extends Counts {
  cost: number;
  fpr: number;
  tpr: number;
  precision: number;
}

/** Counts of a split at threshold t (positive when p >= t): the last sweep point whose threshold is >= t. */
export function countsAt(s: Sweep, t: number): Counts {
  let lo = 0;
  let hi = s.thresholds.length; // first index with thresholds[i] < t (thresholds descend)
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.thresholds[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  const tp = lo > 0 ? s.tp[lo - 1] : 0;
  const fp = lo > 0 ? s.fp[lo - 1] : 0;
  return { tp, fp, fn: s.positives - tp, tn: s.negatives - fp };
}

/** Cost, rates and precision of counts under the costs. */
export function pointOf(c: Counts, costFP: number, costFN: number): ThresholdPoint {
  return {
    ...c,
    cost: costFP * c.fp + costFN * c.fn,
    fpr: c.fp + c.tn > 0 ? c.fp / (c.fp + c.tn) : NaN,
    tpr: c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : NaN,
    precision: c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 1,
  };
}

/**
 * The threshold minimizing c_FP·FP + c_FN·FN on a split's sweep: each distinct score as threshold,
 * and "no positive" (threshold 1 when no probability reaches it, else just above the top score).
 * Ties keep the higher threshold.
 */
export function costOptimalThreshold(s: Sweep, costFP: number, costFN: number): number {
  if (!(costFP >= 0 && costFN >= 0) || costFP + costFN === 0) throw new RangeError(`costs must be non-negative and not both 0, got FP ${costFP}, FN ${costFN}`);
  let best = costFN * s.positives;
  const top = s.thresholds.length > 0 ? s.thresholds[0] : 1;
  let threshold = top < 1 ? 1 : nextUp(top);
  for (let i = 0; i < s.thresholds.length; i++) {
    const cost = costFP * s.fp[i] + costFN * (s.positives - s.tp[i]);
    if (cost < best) {
      best = cost;
      threshold = s.thresholds[i];
    }
  }
  return threshold;
}

function nextUp(x: number): number {
  return x + Math.max(Number.EPSILON * Math.abs(x), Number.MIN_VALUE);
}

export interface CostThreshold {
  costFP: number;
  costFN: number;
  /** c_FP / (c_FP + c_FN): optimal for calibrated probabilities. */
  bayes: number;
  /** Chosen on `chosenOn`'s sweep. */
  threshold: number;
  chosenOn: string;
  /** Per split: the counts at the chosen threshold and at 0.5. */
  splits: Record<string, { chosen: ThresholdPoint; half: ThresholdPoint }>;
}

/** The cost-optimal threshold chosen on the first split of `order` present in `sweeps`, applied to every split. */
export function costThreshold(sweeps: Record<string, Sweep | undefined>, costFP: number, costFN: number, order = ['validation', 'train', 'test']): CostThreshold | null {
  const chosenOn = order.find((s) => sweeps[s] && sweeps[s]!.positives + sweeps[s]!.negatives > 0);
  if (!chosenOn) return null;
  const threshold = costOptimalThreshold(sweeps[chosenOn]!, costFP, costFN);
  const splits: CostThreshold['splits'] = {};
  for (const [name, s] of Object.entries(sweeps)) {
    if (!s) continue;
    splits[name] = { chosen: pointOf(countsAt(s, threshold), costFP, costFN), half: pointOf(countsAt(s, 0.5), costFP, costFN) };
  }
  return { costFP, costFN, bayes: costFP / (costFP + costFN), threshold, chosenOn, splits };
}

/**
 * Random oversampling of training rows: the rows themselves, then for every class below the largest
 * count, (largest - count) of its rows drawn with replacement (seeded). `rows` index the dataset,
 * `y` is the class of each dataset row.
 */
export function randomOversample(rows: Int32Array, y: ArrayLike<number>, K: number, seed: number): Int32Array {
  const byClass: number[][] = Array.from({ length: K }, () => []);
  for (const r of rows) byClass[y[r]].push(r);
  const largest = Math.max(...byClass.map((c) => c.length));
  const rng = new Rng(seed);
  const out = Array.from(rows);
  for (const members of byClass) {
    if (members.length === 0) continue;
    for (let k = members.length; k < largest; k++) out.push(members[rng.int(members.length)]);
  }
  return Int32Array.from(out);
}

/** Share of positives (class 1) among rows, and whether it is rare. */
export function positiveShare(y: ArrayLike<number>): { share: number; rare: boolean } {
  let pos = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) pos++;
  const share = y.length > 0 ? pos / y.length : NaN;
  return { share, rare: share < RARE_SHARE };
}
