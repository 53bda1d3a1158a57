/**
 * The sampled data points of the decision-boundary plot, as plot rows. The host sends a stratified
 * sample (report.points, at most settings.maxPoints rows); this module only orders and labels it:
 * train points first, then validation, then test, and misclassified points last so that they are
 * drawn on top. For binary models the predicted class follows the threshold slider.
 */
import type { ModelJson } from '../../../src/core/model/model';
import { predictProba } from '../../../src/core/model/model';
import type { PointSample } from '../../../src/core/report/report';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;

export interface PlotPoint {
  /** Row in the sample. */
  i: number;
  x: number;
  y: number;
  /** True class index (multilabel: the chosen label's 0/1). */
  cls: number;
  predicted: number;
  wrong: boolean;
  split: (typeof SPLIT_NAMES)[number];
}

/** Positive-class probability of each sampled row (binary: p_1; multilabel: the label's p). */
export function pointScores(model: ModelJson, points: PointSample, label = 0): Float64Array {
  const n = points.y.length;
  const p = predictProba(model, Float64Array.from(points.X), n);
  const K = p.length / Math.max(n, 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = model.kind === 'multilabel' ? p[i * K + label] : p[i * K + (K === 2 ? 1 : 0)];
  return out;
}

export interface PointRowsOptions {
  /** Per-row coordinates on the plot axes. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Binary / multilabel: scores and the threshold to predict with; otherwise points.predicted is used. */
  scores?: ArrayLike<number>;
  threshold?: number;
  /** Multilabel: which label. */
  label?: number;
  multilabel?: boolean;
}

/** Plot rows in drawing order: by split (train, validation, test), correct before misclassified. */
export function pointRows(points: PointSample, o: PointRowsOptions): PlotPoint[] {
  const n = points.y.length;
  const rows: PlotPoint[] = [];
  for (let i = 0; i < n; i++) {
    const cls = o.multilabel ? (points.y[i] >> (o.label ?? 0)) & 1 : points.y[i];
    let predicted: number;
    if (o.scores && o.threshold !== undefined) predicted = o.scores[i] >= o.threshold ? 1 : 0;
    else predicted = o.multilabel ? (points.predicted[i] >> (o.label ?? 0)) & 1 : points.predicted[i];
    rows.push({ i, x: o.x[i], y: o.y[i], cls, predicted, wrong: predicted !== cls, split: SPLIT_NAMES[points.split[i]] ?? 'train' });
  }
  rows.sort((a, b) => Number(a.wrong) - Number(b.wrong) || SPLIT_NAMES.indexOf(a.split) - SPLIT_NAMES.indexOf(b.split) || a.i - b.i);
  return rows;
}

/** Counts for the plot's caption: shown points, misclassified among them, and rows sampled from. */
export function pointSummary(rows: readonly PlotPoint[], ofRows: number): { shown: number; wrong: number; ofRows: number } {
  return { shown: rows.length, wrong: rows.filter((r) => r.wrong).length, ofRows };
}
