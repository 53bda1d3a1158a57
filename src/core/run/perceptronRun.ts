/**
 * The perceptron of a run (settings.perceptron, issue 16 §4): fitted on the same standardized
 * training rows as the logistic model (with its class weights), scored on every split. Kept out of
 * train.ts, which only calls it.
 */
import { coefToOriginal, type Preprocessor } from '../data/preprocess';
import { takeInt } from '../data/split';
import type { Dataset } from '../data/dataset';
import { balancedClassWeights } from '../model/loss';
import { fitPerceptron, perceptronDecision, perceptronPredict, perceptronScores, type PerceptronReport } from '../model/perceptron';
import type { SplitName } from '../report/report';
import type { ResolvedModelKind, TrainSettings } from './settings';

export function runPerceptron(
  kind: ResolvedModelKind, ds: Dataset, rowsOf: Record<SplitName, Int32Array>, scaled: Record<SplitName, Float64Array>, prep: Preprocessor, settings: TrainSettings,
): PerceptronReport | undefined {
  if (!settings.perceptron || kind === 'multilabel') return undefined;
  const d = ds.d;
  const K = ds.classes.length;
  const yTrain = takeInt(ds.y, rowsOf.train);
  const classWeight = settings.classWeight === 'balanced' ? balancedClassWeights(yTrain, K) : undefined;
  const fit = fitPerceptron(scaled.train, rowsOf.train.length, d, yTrain, K, { maxIter: 1000, tol: 1e-3, classWeight });
  const flat = new Float64Array(fit.coef.length * d);
  fit.coef.forEach((w, k) => flat.set(w, k * d));
  const orig = coefToOriginal(flat, Float64Array.from(fit.intercept), d, prep);
  const splits: PerceptronReport['splits'] = {};
  for (const s of ['train', 'validation', 'test'] as const) {
    const n = rowsOf[s].length;
    if (n === 0) continue;
    const predicted = perceptronPredict(perceptronDecision(fit, scaled[s], n, d), n, K);
    splits[s] = perceptronScores(predicted, takeInt(ds.y, rowsOf[s]), K);
  }
  return {
    coefStandardized: fit.coef.map((w) => Array.from(w)),
    interceptStandardized: fit.intercept,
    coef: fit.coef.map((_, k) => Array.from(orig.coef.subarray(k * d, (k + 1) * d))),
    intercept: Array.from(orig.intercept),
    nIter: fit.nIter,
    converged: fit.converged,
    splits,
  };
}
