/**
 * The threshold slider's arithmetic: the confusion matrix and the rates at a threshold, looked up in
 * the report's cumulative sweep by binary search (O(log n), through core/curves' confusionAtThreshold),
 * and the matching points on the ROC and PR curves.
 */
import type { BinaryCurves } from '../../../src/core/report/report';
import type { BinaryConfusion, ThresholdSweep } from '../../../src/core/evaluate/curves';
import { confusionAtThreshold } from '../../../src/core/evaluate/curves';

/** The report's sweep (plain arrays after JSON / postMessage) as the typed sweep curves.ts reads. */
export function toSweep(s: BinaryCurves['sweep']): ThresholdSweep {
  return {
    thresholds: Float64Array.from(s.thresholds),
    tp: Float64Array.from(s.tp),
    fp: Float64Array.from(s.fp),
    positives: s.positives,
    negatives: s.negatives,
  };
}

export interface ThresholdPoint extends BinaryConfusion {
  threshold: number;
  /** ROC point (fpr, tpr) and PR point (recall, precision) at this threshold. */
  tpr: number;
}

/** Confusion counts and rates when predicting positive for P(positive) >= threshold. */
export function atThreshold(sweep: ThresholdSweep, threshold: number): ThresholdPoint {
  const c = confusionAtThreshold(sweep, threshold);
  return { ...c, threshold, tpr: sweep.positives > 0 ? c.tp / sweep.positives : 0 };
}

/** A confusion matrix [[tn, fp], [fn, tp]] (rows: true negative / positive class; columns: predicted). */
export function confusionMatrix2(c: BinaryConfusion): number[][] {
  return [
    [c.tn, c.fp],
    [c.fn, c.tp],
  ];
}

/** Each row divided by its sum (0 for an empty row): the row-normalized confusion matrix. */
export function rowNormalize(m: readonly (readonly number[])[]): number[][] {
  return m.map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (s > 0 ? v / s : 0));
  });
}

/** Clamps a slider value to [0, 1] and rounds it to the slider's step (0.001). */
export function snapThreshold(v: number): number {
  if (!Number.isFinite(v)) return 0.5;
  return Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
}
