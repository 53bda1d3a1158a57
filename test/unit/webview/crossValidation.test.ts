/**
 * The Model selection tab's pure parts (webview/panel/viewModel/crossValidation.ts: the curve, the
 * path, progress and the form's request) on a real cross-validation of samples/binary.csv with an L1 penalty.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/core/data/csv';
import { crossValidate, logGrid } from '../../../src/core/run/crossValidate';
import { chosenIndex, curvePoints, entryOrder, nonzeroCounts, pathPoints, progressFraction, progressText, readCvForm, shownScore } from '../../../webview/panel/viewModel/crossValidation';

const file = new URL('../../../samples/binary.csv', import.meta.url);
const r = crossValidate(parseCsv(readFileSync(file), { fileName: 'binary.csv' }), { penalty: 'l1', testSize: 0, valSize: 0 }, { folds: 4, Cs: logGrid(9), scoring: 'neg_log_loss', rule: '1se' }, { fileName: 'binary.csv' });

describe('Model selection view model', () => {
  it('the validation curve: log-loss (minus the score) ± 1 SD against log10 C, the rule\'s C marked', () => {
    const pts = curvePoints(r, 'best');
    expect(pts.map((p) => p.log10C)).toEqual(logGrid(9).map((C) => Math.log10(C)));
    pts.forEach((p, c) => {
      expect(p.mean).toBe(-r.mean[c]);
      expect(p.hi - p.mean).toBeCloseTo(r.sd[c], 15);
      expect(p.mean - p.lo).toBeCloseTo(r.sd[c], 15);
    });
    expect(pts.filter((p) => p.chosen).map((p) => p.C)).toEqual([r.Cs[r.bestIndex]]);
    expect(curvePoints(r, '1se').findIndex((p) => p.chosen)).toBe(r.oneSeIndex);
    expect(chosenIndex(r, '1se')).toBe(r.oneSeIndex);
    // The lowest log-loss is the best mean.
    expect(Math.min(...pts.map((p) => p.mean))).toBe(pts[r.bestIndex].mean);
    expect(shownScore('accuracy', 0.9)).toBe(0.9);
  });

  it('the path: one point per C and coefficient; L1 coefficients enter in order, all zero at C = 1e-4', () => {
    const pts = pathPoints(r);
    expect(pts).toHaveLength(9 * 2);
    expect(pts.filter((p) => p.log10C === -4).every((p) => p.coef === 0)).toBe(true);
    const counts = nonzeroCounts(r);
    expect(counts[0]).toBe(0);
    expect(counts[8]).toBe(2);
    const entries = entryOrder(r);
    expect(entries.map((e) => e.series).sort()).toEqual(['x1', 'x2']);
    for (const e of entries) {
      const j = r.path.featureNames.indexOf(e.series);
      const first = r.path.coef.findIndex((rows) => Math.abs(rows[0][j]) > 1e-10);
      expect(e.C).toBe(r.Cs[first]);
    }
    expect(entries[0].C!).toBeLessThanOrEqual(entries[1].C!);
  });

  it('progress: fits done of (folds + path) × points, and its words', () => {
    expect(progressFraction({ fold: 0, folds: 5, point: 0, points: 20 })).toBe(0);
    expect(progressFraction({ fold: 2, folds: 5, point: 10, points: 20 })).toBe(50 / 120);
    expect(progressText({ fold: 2, folds: 5, point: 10, points: 20 })).toBe('fold 3 of 5, C 11 of 20');
    expect(progressText({ fold: 5, folds: 5, point: 19, points: 20 })).toBe('regularization path on all rows, C 20 of 20');
  });

  it('the form: folds 2..100, the grid as a count or a list, one sentence per problem', () => {
    expect(readCvForm('5', '10', 'accuracy', 'best', 'l2')).toEqual({ request: { folds: 5, Cs: logGrid(10), scoring: 'accuracy', rule: 'best', penalty: 'l2' } });
    expect(readCvForm(' 3 ', '0.01, 0.1,1', 'roc_auc', '1se', 'l1')).toEqual({ request: { folds: 3, Cs: [0.01, 0.1, 1], scoring: 'roc_auc', rule: '1se', penalty: 'l1' } });
    expect(readCvForm('5', '', 'neg_log_loss', 'best', 'l2')).toEqual({ request: { folds: 5, Cs: logGrid(10), scoring: 'neg_log_loss', rule: 'best', penalty: 'l2' } });
    expect(readCvForm('1', '10', 'accuracy', 'best', 'l2')).toEqual({ problem: 'Folds must be an integer from 2 to 100, got “1”.' });
    expect(readCvForm('2.5', '10', 'accuracy', 'best', 'l2')).toEqual({ problem: 'Folds must be an integer from 2 to 100, got “2.5”.' });
    expect(readCvForm('5', '0.1, -1', 'accuracy', 'best', 'l2')).toEqual({ problem: "The grid of C must be a count of grid points (at most 100) or a comma-separated list of positive numbers, got '0.1, -1'." });
    expect(readCvForm('5', '500', 'accuracy', 'best', 'l2')).toEqual({ problem: 'The grid of C asks for 500 grid points; at most 100.' });
  });
});
