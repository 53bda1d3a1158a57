/**
 * The imbalance options of a run (issue 16 §5), kept out of train.ts, which calls them:
 * random oversampling of the training rows (settings.oversample) right after the split, so every
 * step fitted on the training rows (imputation, scaling, the model) sees the balanced rows, as in an
 * imbalanced-learn pipeline with RandomOverSampler first, and the validation and test rows stay as
 * they are; and the cost-based threshold (settings.costFP / costFN) chosen after evaluation.
 */
import type { Dataset } from '../data/dataset';
import type { Split } from '../data/split';
import { DataError } from '../diagnostics';
import { costThreshold, randomOversample, type CostThreshold } from '../evaluate/imbalance';
import type { ModelJson } from '../model/model';
import type { SplitEvaluation, SplitName } from '../report/report';
import type { TrainSettings } from './settings';

/** The split with its training rows oversampled when settings.oversample (else as it is). */
export function oversampleSplit(
  parts: { split: Split; rowsOf: Record<SplitName, Int32Array> }, ds: Dataset, settings: TrainSettings, file: string,
): { split: Split; rowsOf: Record<SplitName, Int32Array> } {
  if (!settings.oversample) return parts;
  if (ds.task === 'multilabel') throw new DataError({ code: 'settings.oversample', file, message: 'random oversampling balances the classes of one target; a multilabel model has several' });
  const train = randomOversample(parts.rowsOf.train, ds.y, ds.classes.length, settings.seed);
  return { split: { ...parts.split, train }, rowsOf: { ...parts.rowsOf, train } };
}

/**
 * A binary run with costs: the cost-optimal threshold (chosen on the validation rows, else the
 * training rows) becomes the model's threshold, so the panel's confusion matrix and `predict` apply it.
 */
export function applyCostThreshold(model: ModelJson, evaluation: Partial<Record<SplitName, SplitEvaluation>>, settings: TrainSettings): CostThreshold | undefined {
  if (model.kind !== 'binary' || (settings.costFP === undefined && settings.costFN === undefined)) return undefined;
  const sweeps = Object.fromEntries(Object.entries(evaluation).map(([s, ev]) => [s, ev?.curves?.sweep]));
  const ct = costThreshold(sweeps, settings.costFP ?? 1, settings.costFN ?? 1);
  if (!ct) return undefined;
  model.threshold = Math.min(1, ct.threshold);
  return ct;
}
