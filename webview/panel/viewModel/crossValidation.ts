/**
 * What the Model selection tab draws, computed without the DOM: the validation curve (mean ± 1 SD
 * over folds against log10 C, as the user reads the score: log-loss for neg_log_loss), the index the
 * chosen rule picks, the regularization path as points per coefficient, the order in which L1
 * coefficients enter, the progress of a run in the worker as a fraction, and the form's request.
 */
import { DataError } from '../../../src/core/diagnostics';
import { parseCsGrid, type CvProgress, type CvRequest, type CvResult, type CvRule, type CvScoring } from '../../../src/core/run/crossValidate';
import { t } from '../../l10n';

/** |w| above this counts as a nonzero coefficient (the CLI's table uses the same). */
export const NONZERO = 1e-10;

export const SCORING_LABELS: Record<CvScoring, string> = {
  neg_log_loss: t('log-loss (lower is better)'),
  accuracy: t('accuracy (higher is better)'),
  roc_auc: t('ROC AUC (higher is better)'),
};

export interface CurvePoint {
  C: number;
  log10C: number;
  /** The score as shown: log-loss for neg_log_loss (positive), else the score itself. */
  mean: number;
  lo: number;
  hi: number;
  chosen: boolean;
}

/** The score as the user reads it: scikit-learn's neg_log_loss shown as the log-loss. */
export function shownScore(scoring: CvScoring, score: number): number {
  return scoring === 'neg_log_loss' ? -score : score;
}

/** The grid index the rule picks (both are in the result, so the rule can change without a rerun). */
export function chosenIndex(r: CvResult, rule: CvRule): number {
  return rule === 'best' ? r.bestIndex : r.oneSeIndex;
}

export function curvePoints(r: CvResult, rule: CvRule): CurvePoint[] {
  const chosen = chosenIndex(r, rule);
  return r.Cs.map((C, c) => {
    const m = shownScore(r.scoring, r.mean[c]);
    return { C, log10C: Math.log10(C), mean: m, lo: m - r.sd[c], hi: m + r.sd[c], chosen: c === chosen };
  });
}

export interface PathPoint {
  log10C: number;
  /** Series key: the feature, with the class for multinomial models. */
  series: string;
  feature: number;
  output: number;
  coef: number;
}

/** One point per grid value and coefficient (standardized units, as fitted). */
export function pathPoints(r: CvResult): PathPoint[] {
  const { featureNames, outputs, coef } = r.path;
  const multi = outputs.length > 1;
  const out: PathPoint[] = [];
  r.Cs.forEach((C, c) => {
    coef[c].forEach((row, k) =>
      row.forEach((w, j) => out.push({ log10C: Math.log10(C), series: multi ? `${featureNames[j]} (${outputs[k]})` : featureNames[j], feature: j, output: k, coef: w })),
    );
  });
  return out;
}

export interface Entry {
  series: string;
  /** The smallest C of the grid at which the coefficient is nonzero (null: never). */
  C: number | null;
}

/** Coefficients in the order they become nonzero as C grows (L1: one by one); those that never do last. */
export function entryOrder(r: CvResult): Entry[] {
  const { featureNames, outputs, coef } = r.path;
  const multi = outputs.length > 1;
  const entries: Entry[] = [];
  outputs.forEach((o, k) =>
    featureNames.forEach((f, j) => {
      const c = r.Cs.findIndex((_, i) => Math.abs(coef[i][k][j]) > NONZERO);
      entries.push({ series: multi ? `${f} (${o})` : f, C: c < 0 ? null : r.Cs[c] });
    }),
  );
  return entries.sort((a, b) => (a.C ?? Infinity) - (b.C ?? Infinity));
}

/** Nonzero coefficients at each grid point. */
export function nonzeroCounts(r: CvResult): number[] {
  return r.path.coef.map((rows) => rows.reduce((s, row) => s + row.filter((w) => Math.abs(w) > NONZERO).length, 0));
}

/** Fits done over fits to do: every fold and the path on all rows (folds + 1 passes over the grid). */
export function progressFraction(p: CvProgress): number {
  const total = (p.folds + 1) * p.points;
  return total > 0 ? Math.min(1, (p.fold * p.points + p.point) / total) : 0;
}

/** "fold 2 of 5, C 7 of 20", or "regularization path on all rows, C 7 of 20". */
export function progressText(p: CvProgress): string {
  return p.fold < p.folds ? t('fold {0} of {1}, C {2} of {3}', p.fold + 1, p.folds, p.point + 1, p.points) : t('regularization path on all rows, C {0} of {1}', p.point + 1, p.points);
}

/** The request the form describes, or the problem with it (one sentence). */
export function readCvForm(folds: string, grid: string, scoring: CvScoring, rule: CvRule, penalty: CvRequest['penalty']): { request: CvRequest } | { problem: string } {
  const k = Number(folds.trim());
  if (!(Number.isInteger(k) && k >= 2 && k <= 100)) return { problem: t('Folds must be an integer from 2 to 100, got “{0}”.', folds) };
  try {
    const Cs = parseCsGrid(grid.trim() === '' ? undefined : grid, 'The grid of C');
    return { request: { folds: k, Cs, scoring, rule, penalty } };
  } catch (e) {
    if (e instanceof DataError) return { problem: `${e.diagnostic.message}.` };
    throw e;
  }
}
