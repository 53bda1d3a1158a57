/**
 * Rosenblatt's perceptron beside the logistic model (issue 16 §4), with scikit-learn's Perceptron
 * semantics (SGDClassifier(loss='perceptron', learning_rate='constant', eta0=1, penalty=None)) and
 * shuffle=False, so a fit equals sklearn.linear_model.Perceptron(shuffle=False) on the same rows:
 *
 *   for each epoch, for each row i in order: p = w·x_i + b; loss += max(0, -y_i p);
 *     if y_i p <= 0: w += eta0 y_i s_i x_i, b += eta0 y_i s_i      (y_i = ±1, s_i its class weight)
 *   stop after max_iter epochs, or when for n_iter_no_change epochs in a row the epoch's summed loss
 *   was not below the best one by tol · n (scikit-learn's _plain_sgd rule).
 *
 * Multiclass is one-vs-rest, one binary perceptron per class, predicting the largest score. It has no
 * probabilities: its decision is a sign (or an argmax), so a ROC "curve" is a single point and there
 * is nothing to calibrate. Pure core.
 */

export interface PerceptronOptions {
  /** Epochs at most (scikit-learn's max_iter, 1000). */
  maxIter?: number;
  /** Stopping tolerance on the epoch loss (1e-3); null: run all epochs. */
  tol?: number | null;
  /** Epochs without improvement before stopping (5). */
  nIterNoChange?: number;
  /** Constant step (1). */
  eta0?: number;
  /** Per-class weights (class_weight), length K; default all 1. */
  classWeight?: ArrayLike<number>;
}

export interface PerceptronFit {
  /** One row of d per output: 1 for two classes (the second class positive), K for more (one-vs-rest). */
  coef: Float64Array[];
  intercept: number[];
  /** Epochs run (the largest over the one-vs-rest fits), scikit-learn's n_iter_. */
  nIter: number;
  /** False when an output stopped at maxIter without meeting the tolerance rule. */
  converged: boolean;
}

/** Fits on n x d row-major X with class indices y in [0, K). */
export function fitPerceptron(X: Float64Array, n: number, d: number, y: ArrayLike<number>, K: number, options: PerceptronOptions = {}): PerceptronFit {
  if (X.length !== n * d) throw new RangeError(`matrix has ${X.length} entries, expected ${n} x ${d}`);
  const positives = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
  const coef: Float64Array[] = [];
  const intercept: number[] = [];
  let nIter = 0;
  let converged = true;
  for (const k of positives) {
    const weightPos = options.classWeight?.[k] ?? 1;
    // scikit-learn's one-vs-rest weighs the rest by the weight of class 0 of the binary problem's
    // classes (for K = 2 the other class; for K > 2 it is 1).
    const weightNeg = K === 2 ? (options.classWeight?.[0] ?? 1) : 1;
    const fit = binaryPerceptron(X, n, d, (i) => (y[i] === k ? 1 : -1), weightPos, weightNeg, options);
    coef.push(fit.w);
    intercept.push(fit.b);
    nIter = Math.max(nIter, fit.epochs);
    converged &&= fit.converged;
  }
  return { coef, intercept, nIter, converged };
}

function binaryPerceptron(
  X: Float64Array, n: number, d: number, sign: (i: number) => number, weightPos: number, weightNeg: number, o: PerceptronOptions,
): { w: Float64Array; b: number; epochs: number; converged: boolean } {
  const maxIter = o.maxIter ?? 1000;
  const tol = o.tol === undefined ? 1e-3 : o.tol;
  const patience = o.nIterNoChange ?? 5;
  const eta = o.eta0 ?? 1;
  const w = new Float64Array(d);
  let b = 0;
  let best = Infinity;
  let noImprovement = 0;
  for (let epoch = 1; epoch <= maxIter; epoch++) {
    let sumLoss = 0;
    for (let i = 0, o0 = 0; i < n; i++, o0 += d) {
      let p = 0;
      for (let j = 0; j < d; j++) p += w[j] * X[o0 + j];
      p += b;
      const yi = sign(i);
      const z = p * yi;
      if (z < 0) sumLoss -= z;
      if (z <= 0) {
        const update = eta * yi * (yi > 0 ? weightPos : weightNeg);
        for (let j = 0; j < d; j++) w[j] += update * X[o0 + j];
        b += update;
      }
    }
    if (tol !== null && sumLoss > best - tol * n) noImprovement++;
    else noImprovement = 0;
    if (sumLoss < best) best = sumLoss;
    if (noImprovement >= patience) return { w, b, epochs: epoch, converged: true };
  }
  return { w, b, epochs: maxIter, converged: tol === null };
}

/** Decision values (n x outputs) of a fit on n x d rows. */
export function perceptronDecision(fit: Pick<PerceptronFit, 'coef' | 'intercept'>, X: Float64Array, n: number, d: number): Float64Array {
  const K = fit.coef.length;
  const z = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const w = fit.coef[k];
      let s = 0;
      for (let j = 0; j < d; j++) s += w[j] * X[i * d + j];
      z[i * K + k] = s + fit.intercept[k];
    }
  }
  return z;
}

/** Predicted class indices: binary z > 0 -> class 1 (scikit-learn's rule), else the argmax. */
export function perceptronPredict(z: Float64Array, n: number, K: number): Int32Array {
  const outputs = z.length / Math.max(1, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (K === 2) out[i] = z[i] > 0 ? 1 : 0;
    else {
      let best = 0;
      for (let k = 1; k < outputs; k++) if (z[i * outputs + k] > z[i * outputs + best]) best = k;
      out[i] = best;
    }
  }
  return out;
}

/** The perceptron of a run, as the report carries it (train.ts with settings.perceptron). */
export interface PerceptronReport {
  /** Fitted on the standardized training rows (the logistic model's), one row per output. */
  coefStandardized: number[][];
  interceptStandardized: number[];
  /** The same in original feature units (as the logistic model's coef). */
  coef: number[][];
  intercept: number[];
  nIter: number;
  converged: boolean;
  /** Per split: accuracy; binary also its one ROC point (false and true positive rates at its sign). */
  splits: Partial<Record<'train' | 'validation' | 'test', { n: number; accuracy: number; rocPoint?: { fpr: number; tpr: number } }>>;
}

/** Accuracy and (binary) the single ROC point of predictions against the truth. */
export function perceptronScores(predicted: Int32Array, y: ArrayLike<number>, K: number): { n: number; accuracy: number; rocPoint?: { fpr: number; tpr: number } } {
  const n = predicted.length;
  let right = 0;
  let tp = 0;
  let fp = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (predicted[i] === y[i]) right++;
    if (y[i] === 1) pos++;
    if (predicted[i] === 1 && y[i] === 1) tp++;
    else if (predicted[i] === 1) fp++;
  }
  const neg = n - pos;
  return { n, accuracy: n > 0 ? right / n : NaN, ...(K === 2 ? { rocPoint: { fpr: neg > 0 ? fp / neg : NaN, tpr: pos > 0 ? tp / pos : NaN } } : {}) };
}
