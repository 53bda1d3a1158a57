/**
 * The perceptron (issue 16 §4) against sklearn.linear_model.Perceptron(shuffle=False) on the same
 * standardized rows (scripts/fixtures/perceptron_fixtures.py): coef_, intercept_ and n_iter_.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitPerceptron, perceptronDecision, perceptronPredict } from '../../../../src/core/model/perceptron';

const root = join(__dirname, '..', '..', '..', '..');
const { cases } = JSON.parse(readFileSync(join(root, 'test/fixtures/sklearn/perceptron/perceptron.json'), 'utf8')) as {
  cases: { name: string; X: number[][]; y: number[]; K: number; classWeight: number[] | null; coef: number[][]; intercept: number[]; nIter: number; accuracy: number }[];
};

describe('perceptron = scikit-learn Perceptron(shuffle=False)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const n = c.X.length;
      const d = c.X[0].length;
      const X = Float64Array.from(c.X.flat());
      const fit = fitPerceptron(X, n, d, c.y, c.K, c.classWeight ? { classWeight: c.classWeight } : {});
      expect(fit.nIter).toBe(c.nIter);
      expect(fit.coef).toHaveLength(c.coef.length);
      c.coef.forEach((row, k) => {
        row.forEach((w, j) => expect(Math.abs(fit.coef[k][j] - w)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w))));
        expect(Math.abs(fit.intercept[k] - c.intercept[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.intercept[k])));
      });
      const predicted = perceptronPredict(perceptronDecision(fit, X, n, d), n, c.K);
      const accuracy = predicted.reduce((s, p, i) => s + (p === c.y[i] ? 1 : 0), 0) / n;
      expect(accuracy).toBeCloseTo(c.accuracy, 12);
    });
  }
});
