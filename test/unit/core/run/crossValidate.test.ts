/**
 * Cross-validation against scikit-learn (fixtures by scripts/fixtures/cv_fixtures.py): the folds of
 * StratifiedKFold(5), every fold's score at every C (LogisticRegressionCV on raw features, L2 by
 * newton-cg and L1 by saga, and a
 * GridSearchCV over StandardScaler + LogisticRegression for standardized ones) within 1e-6, and the
 * chosen C. Plus the one-standard-error rule and the regularization path.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { crossValidate, logGrid, stratifiedKFold, summarize, type CvScoring } from '../../../../src/core/run/crossValidate';
import { TrainingCancelled } from '../../../../src/core/run/train';

const root = new URL('../../../../', import.meta.url);
interface Case { name: string; file: string; features: string[]; target: string; penalty: 'l2' | 'l1'; standardize: boolean; scoring: CvScoring; scores: number[][]; C: number; folds: number[]; Cs: number[] }
const fx = JSON.parse(readFileSync(new URL('test/fixtures/sklearn/cv/cv.json', root), 'utf8')) as { Cs: number[]; cases: Case[] };
const table = (file: string) => parseCsv(readFileSync(new URL(file, root)), { fileName: file });

function run(c: Case, extra: Record<string, unknown> = {}) {
  return crossValidate(
    table(c.file),
    { target: [c.target], features: c.features, penalty: c.penalty, standardize: c.standardize, testSize: 0, valSize: 0, maxIter: 100000, tol: 1e-10, ...extra },
    { folds: 5, Cs: c.Cs, scoring: c.scoring, rule: 'best' },
    { fileName: c.file },
  );
}

describe('cross-validation against scikit-learn', () => {
  for (const c of fx.cases) {
    it(`${c.name}, ${c.penalty}, ${c.standardize ? 'standardized in each fold' : 'raw'}: ${c.scoring}`, () => {
      const r = run(c);
      expect(r.scores).toHaveLength(5);
      r.scores.forEach((row, f) => row.forEach((v, k) => expect(Math.abs(v - c.scores[f][k])).toBeLessThan(1e-6 * Math.max(1, Math.abs(c.scores[f][k])))));
      expect(r.chosenC).toBeCloseTo(c.C, 12);
      expect(r.foldSizes.reduce((a, b) => a + b, 0)).toBe(c.folds.length);
    }, 60_000);
  }

  it('the folds are StratifiedKFold(5) without shuffling', () => {
    for (const c of fx.cases.filter((x) => x.scoring === 'accuracy')) {
      const t = table(c.file);
      const labels = t.columns[t.header.indexOf(c.target)].map((v) => v.trim());
      const classes = [...new Set(labels)].sort();
      const y = Int32Array.from(labels, (l) => classes.indexOf(l));
      expect(Array.from(stratifiedKFold(y, classes.length, 5))).toEqual(c.folds);
    }
  });
});

describe('model selection rules and the path', () => {
  it('L1 at a C small enough that every coefficient is zero: the intercept is the log-odds of the fold\'s training classes', () => {
    const c = fx.cases.find((x) => x.name === 'l1_sparse' && x.scoring === 'neg_log_loss')!;
    const r = crossValidate(table(c.file), { target: [c.target], features: c.features, penalty: 'l1', standardize: false, testSize: 0, valSize: 0, maxIter: 100000, tol: 1e-12 }, { folds: 5, Cs: [1e-3], scoring: 'neg_log_loss', rule: 'best' }, { fileName: c.file });
    const t = table(c.file);
    const labels = t.columns[t.header.indexOf(c.target)].map((v) => v.trim());
    r.scores.forEach((row, f) => {
      // Training rows of fold f: positive rate p; the validation log-loss of the constant p.
      const train = labels.filter((_, i) => c.folds[i] !== f);
      const val = labels.filter((_, i) => c.folds[i] === f);
      const p = train.filter((l) => l === 'yes').length / train.length;
      const expected = val.reduce((s, l) => s + Math.log(l === 'yes' ? p : 1 - p), 0) / val.length;
      expect(row[0]).toBeCloseTo(expected, 10);
    });
    const p = labels.filter((l) => l === 'yes').length / labels.length;
    expect(r.path.coef[0][0].every((w) => w === 0)).toBe(true);
    expect(r.path.intercept[0][0]).toBeCloseTo(Math.log(p / (1 - p)), 8);
  });
  const c = { ...fx.cases.find((x) => x.name === 'iris_vv' && x.scoring === 'neg_log_loss')!, penalty: 'l1' as const };
  it('the one-standard-error rule picks the smallest C within one SE of the best mean', () => {
    const scores = [[0.5, 0.8, 0.9, 0.91], [0.6, 0.85, 0.9, 0.93], [0.55, 0.83, 0.92, 0.9]];
    const r = summarize([0.01, 0.1, 1, 10], { folds: 3, Cs: [], scoring: 'accuracy', rule: '1se' }, scores, { nRows: 9, foldSizes: [3, 3, 3], path: { featureNames: [], outputs: [], coef: [], intercept: [] }, iterations: [] });
    expect(r.bestIndex).toBe(3);
    const mean3 = (0.91 + 0.93 + 0.9) / 3;
    const sd3 = Math.sqrt(((0.91 - mean3) ** 2 + (0.93 - mean3) ** 2 + (0.9 - mean3) ** 2) / 2);
    expect(r.se[3]).toBeCloseTo(sd3 / Math.sqrt(3), 14);
    // The mean at C=1 (0.9067) is within 0.9133 - 0.0088; at C=0.1 (0.8267) it is not.
    expect(r.oneSeIndex).toBe(2);
    expect(r.chosenC).toBe(1);
  });
  it('L1 path: coefficients enter one by one as C grows, all zero at the smallest C', () => {
    const r = run(c);
    const nonzero = r.path.coef.map((rows) => rows[0].filter((w) => Math.abs(w) > 1e-8).length);
    expect(nonzero[0]).toBe(0);
    for (let k = 1; k < nonzero.length; k++) expect(nonzero[k]).toBeGreaterThanOrEqual(nonzero[k - 1] - 1);
    expect(nonzero[nonzero.length - 1]).toBe(4);
    expect(r.iterations).toHaveLength(6);
  }, 60_000);
  it('L2 path: the coefficient norm grows with C', () => {
    const r = run({ ...c, penalty: 'l2' });
    const norms = r.path.coef.map((rows) => Math.hypot(...rows[0]));
    for (let k = 1; k < norms.length; k++) expect(norms[k]).toBeGreaterThan(norms[k - 1]);
  }, 60_000);
  it('progress reaches every fold and point, and cancelling stops with TrainingCancelled', () => {
    const seen: string[] = [];
    crossValidate(table(c.file), { target: [c.target], penalty: 'l2', testSize: 0, valSize: 0 }, { folds: 3, Cs: logGrid(4), scoring: 'accuracy', rule: 'best' }, { fileName: c.file, onProgress: (p) => seen.push(`${p.fold}:${p.point}`) });
    expect(seen).toHaveLength(4 * 4);
    expect(seen[seen.length - 1]).toBe('3:3');
    let calls = 0;
    expect(() => crossValidate(table(c.file), { target: [c.target], testSize: 0, valSize: 0 }, { folds: 3, Cs: logGrid(4), scoring: 'accuracy', rule: 'best' }, { fileName: c.file, shouldStop: () => ++calls > 5 })).toThrow(TrainingCancelled);
  });
  it('bad grids and settings are one clear message', () => {
    const t = table(c.file);
    const cv = { folds: 5, Cs: [1], scoring: 'accuracy' as const, rule: 'best' as const };
    expect(() => crossValidate(t, { penalty: 'none' }, cv, { fileName: 'x.csv' })).toThrow(/needs a penalty/);
    expect(() => crossValidate(t, {}, { ...cv, Cs: [-1] }, { fileName: 'x.csv' })).toThrow(/positive finite/);
    expect(() => crossValidate(t, {}, { ...cv, folds: 1 }, { fileName: 'x.csv' })).toThrow(/at least 2/);
    expect(() => crossValidate(t, { testSize: 0, valSize: 0 }, { ...cv, folds: 60 }, { fileName: 'x.csv' })).toThrow(/fewer than 60 folds/);
  });
  it('logGrid is numpy.logspace(-4, 4, n)', () => {
    expect(logGrid(10)[0]).toBeCloseTo(1e-4, 18);
    expect(logGrid(10)[9]).toBeCloseTo(1e4, 10);
    expect(logGrid(3)).toEqual([1e-4, 1, 1e4]);
  });
});
