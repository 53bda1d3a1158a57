/**
 * The loss families, as scikit-learn's `HalfBinomialLoss` and `HalfMultinomialLoss`
 * (sklearn/_loss/loss.py): how a row's raw prediction (decision value) becomes class probabilities,
 * its loss and the gradient of that loss with respect to the raw prediction, and how probabilities
 * become a predicted class. Every place that turns decision values into probabilities, losses or
 * classes (the model file's predictions, the loss's reference path, calibration, the streaming run,
 * evaluation and metrics) calls this module; the blocked and SIMD kernels of loss.ts and
 * simdKernels.ts unroll the same formulas for speed and are tested against it.
 *
 * Binomial (one raw value z per row, y ∈ {0, 1}):
 *     p = σ(z),   ℓ = log(1 + e^z) - y z,   ∂ℓ/∂z = p - y.
 * Multinomial (K raw values z_k per row, y ∈ {0..K-1}):
 *     p_k = softmax(z)_k,   ℓ = log Σ_k e^{z_k} - z_y,   ∂ℓ/∂z_k = p_k - [k = y].
 *
 * To add a family (another link or loss), implement LossFamily here, add it to `lossFamilyOf`, and
 * give it a kernel in loss.ts only if its reference path here is too slow.
 */
import { log1pExp, softmaxInPlace } from './link';

/** The largest row loss reported for validation: -log(1e-300), a probability floored at 1e-300. */
export const MAX_ROW_LOSS = -Math.log(1e-300);

export interface LossFamily {
  readonly name: 'binomial' | 'multinomial';
  /** Raw predictions per row for `nClasses` classes: 1 (binomial) or K (multinomial). */
  rawWidth(nClasses: number): number;
  /** Class probabilities of one row (nClasses of them) from its raw prediction at raw[offset]. */
  rowProba(raw: ArrayLike<number>, offset: number, nClasses: number, out: Float64Array, outOffset: number): void;
  /** n × nClasses class probabilities from n rows of raw predictions (the `predict_proba` of scikit-learn). */
  rawToProba(raw: ArrayLike<number>, n: number, nClasses: number, out?: Float64Array): Float64Array;
  /** The loss ℓ of one row of class y (unweighted; natural log). */
  rowLoss(raw: ArrayLike<number>, offset: number, nClasses: number, y: number): number;
  /** ∂ℓ/∂z of one row (rawWidth values) into out at outOffset: p - y (binomial) or p - onehot(y). */
  rowResidual(raw: ArrayLike<number>, offset: number, nClasses: number, y: number, out: Float64Array, outOffset: number): void;
}

/** σ(z) and 1 - σ(z), each computed directly from e^{-|z|} so that neither loses its tail. */
function binaryPair(z: number, out: Float64Array, o: number): void {
  const e = Math.exp(-Math.abs(z));
  const small = e / (1 + e);
  const large = 1 / (1 + e);
  out[o] = z >= 0 ? small : large;
  out[o + 1] = z >= 0 ? large : small;
}

/** σ(z) = 1 / (1 + e^{-z}) from e^{-|z|}: the positive-class probability of the binomial family. */
export function positiveProbability(z: number): number {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

export const binomial: LossFamily = {
  name: 'binomial',
  rawWidth: () => 1,
  rowProba(raw, offset, _nClasses, out, outOffset) {
    binaryPair(raw[offset], out, outOffset);
  },
  rawToProba(raw, n, _nClasses, out = new Float64Array(2 * n)) {
    for (let i = 0; i < n; i++) binaryPair(raw[i], out, 2 * i);
    return out;
  },
  rowLoss(raw, offset, _nClasses, y) {
    const z = raw[offset];
    return log1pExp(y === 1 ? -z : z);
  },
  rowResidual(raw, offset, _nClasses, y, out, outOffset) {
    out[outOffset] = positiveProbability(raw[offset]) - (y === 1 ? 1 : 0);
  },
};

export const multinomial: LossFamily = {
  name: 'multinomial',
  rawWidth: (nClasses) => nClasses,
  rowProba(raw, offset, K, out, outOffset) {
    for (let k = 0; k < K; k++) out[outOffset + k] = raw[offset + k];
    softmaxInPlace(out, outOffset, K);
  },
  rawToProba(raw, n, K, out = new Float64Array(n * K)) {
    for (let i = 0; i < n; i++) this.rowProba(raw, i * K, K, out, i * K);
    return out;
  },
  rowLoss(raw, offset, K, y) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (raw[offset + k] > m) m = raw[offset + k];
    let t = 0;
    for (let k = 0; k < K; k++) t += Math.exp(raw[offset + k] - m);
    return m - raw[offset + y] + Math.log(t);
  },
  rowResidual(raw, offset, K, y, out, outOffset) {
    this.rowProba(raw, offset, K, out, outOffset);
    out[outOffset + y] -= 1;
  },
};

/** The family of a fitted problem: binomial for a binary (or one-vs-rest / per-label) output, else multinomial. */
export function lossFamilyOf(kind: 'binary' | 'multinomial'): LossFamily {
  return kind === 'multinomial' ? multinomial : binomial;
}

/** A row loss floored as validation losses are (probability at least 1e-300): early stopping's measure. */
export function cappedRowLoss(family: LossFamily, raw: ArrayLike<number>, offset: number, nClasses: number, y: number): number {
  return Math.min(family.rowLoss(raw, offset, nClasses, y), MAX_ROW_LOSS);
}

/**
 * The predicted class of one row from its K probabilities. With a threshold (two classes): class 1
 * when its probability is at least `threshold`. Without one: the first class of largest probability
 * (numpy's argmax, so a 0.5/0.5 tie is class 0, as scikit-learn's `predict`).
 */
export function predictRowFromProba(proba: ArrayLike<number>, offset: number, K: number, threshold?: number): number {
  if (threshold !== undefined && K === 2) return proba[offset + 1] >= threshold ? 1 : 0;
  let best = 0;
  for (let k = 1; k < K; k++) if (proba[offset + k] > proba[offset + best]) best = k;
  return best;
}

/** Probabilities are clipped to [PROBA_EPS, 1 - PROBA_EPS] by log-loss, as scikit-learn 1.2's `log_loss(eps=1e-15)`. */
export const PROBA_EPS = 1e-15;

/**
 * -log q_y of one row of K probabilities, as scikit-learn 1.2's `log_loss`: each probability clipped
 * to [1e-15, 1 - 1e-15] and the row renormalized, q_k = clip(p_k) / Σ_j clip(p_j).
 */
export function probaRowLogLoss(proba: ArrayLike<number>, offset: number, K: number, y: number): number {
  const clip = (p: number): number => Math.min(1 - PROBA_EPS, Math.max(PROBA_EPS, p));
  let rowSum = 0;
  for (let k = 0; k < K; k++) rowSum += clip(proba[offset + k]);
  return -Math.log(clip(proba[offset + y]) / rowSum);
}

/**
 * The Brier term of one row: two classes (p_1 - y)², as scikit-learn's `brier_score_loss`; K > 2
 * Σ_k (p_k - [k = y])², the original multiclass score.
 */
export function probaRowBrier(proba: ArrayLike<number>, offset: number, K: number, y: number): number {
  if (K === 2) return (proba[offset + 1] - y) ** 2;
  let s = 0;
  for (let k = 0; k < K; k++) s += (proba[offset + k] - (y === k ? 1 : 0)) ** 2;
  return s;
}
