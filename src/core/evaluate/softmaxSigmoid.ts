/**
 * A textbook fact on the user's data: a softmax (multinomial) model of two classes gives the same
 * probabilities as the sigmoid (binary) model with C' = 2C. The softmax's scores differ only through
 * v = w_1 - w_0 (shift invariance), and among all (w_0, w_1) with the same v the L2 penalty
 * (||w_0||² + ||w_1||²)/(2C) is smallest at w_1 = -w_0 = v/2, where it is ||v||²/(2·2C): the sigmoid's
 * penalty at C' = 2C. (Without a penalty the two are the same problem; for L1 the same argument gives
 * C' = C, so it is not shown.) The sigmoid model is fitted here, on the same training rows.
 */
import { LinearModelLoss, type LossSpec } from '../model/loss';
import { minimize } from '../optimize';

export interface SoftmaxAsSigmoid {
  /** C of the softmax fit and C' = 2C of the sigmoid fit (Infinity without a penalty). */
  C: number;
  sigmoidC: number;
  /** Standardized weights then intercept: the softmax's w_1 - w_0, b_1 - b_0, and the sigmoid's w, b. */
  softmaxDifference: number[];
  sigmoid: number[];
  /** max_i |P_softmax(class 1 | x_i) - P_sigmoid(class 1 | x_i)| over the training rows. */
  maxProbabilityDifference: number;
  rows: number;
}

/** Null unless `spec` is a two-class multinomial objective with an L2 penalty or none. */
export function softmaxAsSigmoid(spec: LossSpec, softmaxTheta: Float64Array): SoftmaxAsSigmoid | null {
  if (spec.kind !== 'multinomial' || spec.nClasses !== 2 || !(spec.penalty === 'l2' || spec.penalty === 'none')) return null;
  const d = spec.d;
  const penalized = spec.penalty === 'l2' && Number.isFinite(spec.C);
  const sigmoidC = penalized ? 2 * spec.C : spec.C;
  const binary = new LinearModelLoss({ ...spec, kind: 'binary', C: sigmoidC });
  const fit = minimize(binary, 'lbfgs', { tol: 1e-10, maxIter: 2000 });
  const soft = new LinearModelLoss(spec);
  const ps = soft.predictProba(softmaxTheta, spec.X, spec.n);
  const pb = binary.predictProba(fit.theta, spec.X, spec.n);
  let worst = 0;
  for (let i = 0; i < spec.n; i++) worst = Math.max(worst, Math.abs(ps[2 * i + 1] - pb[2 * i + 1]));
  return {
    C: penalized ? spec.C : Infinity,
    sigmoidC: penalized ? sigmoidC : Infinity,
    softmaxDifference: Array.from({ length: d + 1 }, (_, j) => softmaxTheta[d + 1 + j] - softmaxTheta[j]),
    sigmoid: Array.from(fit.theta),
    maxProbabilityDifference: worst,
    rows: spec.n,
  };
}
