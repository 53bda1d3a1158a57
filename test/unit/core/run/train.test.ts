import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainFromBytes, TrainingCancelled } from '../../../../src/core/run/train';
import { predictProba } from '../../../../src/core/model/model';
import { reliabilityBinCount } from '../../../../src/core/evaluate/calibration';

const root = join(__dirname, '..', '..', '..', '..');
const fixtureDir = join(root, 'test', 'fixtures', 'sklearn', 'pipeline');

interface PipelineFixture {
  name: string;
  csv: string;
  classes: string[];
  C: number | null;
  penalty: 'l2' | 'none';
  standardize: boolean;
  coef?: number[][];
  intercept?: number[];
  coefStandardized?: number[][];
  interceptStandardized?: number[];
  objective: number;
  sklearnLbfgsObjective: number;
}

const fixtures: PipelineFixture[] = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(fixtureDir, f), 'utf8')));

const centred = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.map((x) => x - m);
};

function maxRelDiff(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, k) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[k][j]) / Math.max(1, Math.abs(b[k][j]))))));
  return worst;
}

describe('end to end against the Newton-polished scikit-learn optimum', () => {
  it('has fixtures for binary and multinomial, raw and standardized, L2 and no penalty', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(9);
    expect(fixtures.some((f) => f.penalty === 'none' && !f.standardize)).toBe(true);
    expect(fixtures.some((f) => f.classes.length > 2 && !f.standardize)).toBe(true);
  });

  const fit = (fx: PipelineFixture, tol?: number) =>
    trainFromBytes(
      readFileSync(join(root, fx.csv)),
      {
        target: ['target'],
        testSize: 0,
        valSize: 0,
        standardize: fx.standardize,
        penalty: fx.penalty,
        ...(fx.C !== null ? { C: fx.C } : {}),
        ...(tol !== undefined ? { tol } : {}),
      },
      { fileName: fx.csv },
    );

  for (const fx of fixtures) {
    it(`${fx.name}: at the default tolerance, objective within 1e-10 relative and never above scikit-learn's`, () => {
      const report = fit(fx);
      expect(report.model.classes).toEqual(fx.classes);
      expect(['converged', 'precision-limit']).toContain(report.convergence.stopReason);
      const rel = Math.abs(report.convergence.objective - fx.objective) / Math.abs(fx.objective);
      expect(rel).toBeLessThan(1e-10);
      expect(report.convergence.objective).toBeLessThanOrEqual(fx.sklearnLbfgsObjective * (1 + 1e-12));
    });

    it(`${fx.name}: at tol 1e-10, coefficients and (centred) intercepts within 1e-6`, () => {
      const m = fit(fx, 1e-10).model;
      const coef = fx.standardize ? m.coefStandardized : m.coef;
      const ref = fx.standardize ? fx.coefStandardized! : fx.coef!;
      const intercept = fx.standardize ? m.interceptStandardized : m.intercept;
      const refIntercept = fx.standardize ? fx.interceptStandardized! : fx.intercept!;
      expect(maxRelDiff(coef, ref)).toBeLessThan(1e-6);
      const [a, b] = fx.classes.length > 2 ? [centred(intercept), centred(refIntercept)] : [intercept, refIntercept];
      expect(maxRelDiff([a], [b])).toBeLessThan(1e-6);
    });
  }
});

describe('trainFromBytes', () => {
  const iris = readFileSync(join(root, 'samples', 'iris.csv'));

  it('reports coefficients in original units that predict exactly as the standardized ones', () => {
    const report = trainFromBytes(iris, { seed: 3 }, { fileName: 'iris.csv' });
    const m = report.model;
    expect(m.kind).toBe('multinomial');
    expect(m.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    const x = [5.1, 3.5, 1.4, 0.2];
    const p = predictProba(m, Float64Array.from(x), 1);
    const z = m.coef.map((w, k) => w.reduce((s, wj, j) => s + wj * x[j], m.intercept[k]));
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((v, k) => expect(v / sum).toBeCloseTo(p[k], 12));
    expect(report.evaluation.test!.metrics!.accuracy).toBeGreaterThan(0.85);
    expect(report.data.nTrain + report.data.nValidation + report.data.nTest).toBe(150);
    expect(report.lossHistory.train.length).toBe(report.convergence.iterations);
    expect(report.lossHistory.validation.length).toBe(report.convergence.iterations);
  });

  it('lambda and C describe the same objective: lambda = 1/(C n)', () => {
    const a = trainFromBytes(iris, { C: 0.5, testSize: 0, valSize: 0 }, { fileName: 'iris.csv' });
    const b = trainFromBytes(iris, { lambda: 1 / (0.5 * 150), testSize: 0, valSize: 0 }, { fileName: 'iris.csv' });
    expect(b.model.settings.C).toBeCloseTo(0.5, 12);
    expect(a.model.settings.lambda).toBeCloseTo(1 / 75, 12);
    expect(b.convergence.objective).toBeCloseTo(a.convergence.objective, 8);
  });

  it('fits one-vs-rest and multilabel models as independent sigmoids', () => {
    const ovr = trainFromBytes(iris, { model: 'ovr' }, { fileName: 'iris.csv' });
    expect(ovr.model.kind).toBe('ovr');
    expect(ovr.model.coef.length).toBe(3);
    const p = predictProba(ovr.model, Float64Array.from([6.5, 3, 5.5, 2]), 1);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 12);
    expect(p[2]).toBeGreaterThan(0.5);
    const ml = Buffer.from('x1,x2,a,b\n' + Array.from({ length: 60 }, (_, i) => {
      const x1 = Math.sin(i), x2 = Math.cos(3 * i);
      return `${x1},${x2},${x1 + 0.3 * Math.sin(7 * i) > 0 ? 1 : 0},${x2 > 0.2 ? 1 : 0}`;
    }).join('\n'));
    const r = trainFromBytes(ml, { target: ['a', 'b'] }, { fileName: 'ml.csv' });
    expect(r.model.kind).toBe('multilabel');
    expect(r.model.classes).toEqual(['a', 'b']);
    expect(r.evaluation.train!.multilabel!.perLabel.length).toBe(2);
    expect(r.evaluation.train!.multilabel!.macro.f1).toBeGreaterThan(0.8);
  });

  it('streams complete progress snapshots and can be cancelled', () => {
    const snaps: number[] = [];
    trainFromBytes(iris, { solver: 'gd', maxIter: 300, tol: 1e-12 }, { fileName: 'iris.csv', progressIntervalMs: 0, onProgress: (p) => snaps.push(p.lossHistory.train.length) });
    expect(snaps.length).toBeGreaterThan(10);
    for (let i = 1; i < snaps.length; i++) expect(snaps[i]).toBeGreaterThanOrEqual(snaps[i - 1]);
    let polls = 0;
    expect(() => trainFromBytes(iris, { solver: 'gd', maxIter: 1000, tol: 1e-14 }, { fileName: 'iris.csv', shouldStop: () => ++polls > 5 })).toThrow(TrainingCancelled);
    expect(polls).toBe(6);
  });

  it('warns that separable data has no finite unpenalized optimum', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i < 20 ? -1 - i / 10 : 1 + i / 10},${Math.sin(i)},${i < 20 ? 'a' : 'b'}`);
    const r = trainFromBytes(Buffer.from('x,z,label\n' + rows.join('\n')), { penalty: 'none', testSize: 0, valSize: 0 }, { fileName: 'sep.csv' });
    expect(r.warnings.map((w) => w.code)).toContain('fit.separable');
  });

  it('stops early on validation loss with the iterative solvers and keeps the best model', () => {
    const r = trainFromBytes(iris, { solver: 'minibatch', optimizer: 'adam', learningRate: 0.5, maxIter: 500, earlyStopping: true, patience: 3, C: 1e6, tol: 1e-9 }, { fileName: 'iris.csv' });
    expect(r.convergence.stopReason).toBe('early-stopped');
    const v = r.lossHistory.validation;
    expect(v.length).toBeLessThan(500);
    expect(Math.min(...v)).toBeLessThanOrEqual(v[v.length - 1]);
    expect(r.warnings.map((w) => w.code)).toContain('fit.early-stopped');
  });

  it('fits Platt and isotonic calibrators on the validation split of a binary model', () => {
    const r = trainFromBytes(readFileSync(join(root, 'samples', 'binary.csv')), { valSize: 0.3 }, { fileName: 'binary.csv' });
    expect(r.model.kind).toBe('binary');
    expect(r.model.classes).toEqual(['no', 'yes']);
    expect(r.model.calibration?.platt?.kind).toBe('platt');
    expect(r.model.calibration?.isotonic?.kind).toBe('isotonic');
    const curves = r.evaluation.test!.curves!;
    // About 25 test rows per reliability bin (reliabilityBinCount): the 60 test rows get 3 bins.
    expect(r.evaluation.test!.n).toBe(60);
    expect(reliabilityBinCount(60)).toBe(3);
    expect(curves.calibrated?.platt?.bins.length).toBe(3);
    expect(curves.reliability.bins.length).toBe(3);
    expect(curves.roc.auc).toBeCloseTo(r.evaluation.test!.metrics!.rocAuc!, 12);
    const s = curves.sweep;
    expect(s.tp[s.tp.length - 1]).toBe(s.positives);
    expect(s.fp[s.fp.length - 1]).toBe(s.negatives);
  });

  it('samples points by class and split and projects onto principal components', () => {
    const r = trainFromBytes(iris, { maxPoints: 60 }, { fileName: 'iris.csv' });
    expect(r.points.y.length).toBe(60);
    expect(r.points.X.length).toBe(60 * 4);
    expect(new Set(r.points.y).size).toBe(3);
    expect(new Set(r.points.split).size).toBe(3);
    const [c1, c2] = r.projection!.components;
    expect(c1.reduce((s, v, j) => s + v * c2[j], 0)).toBeCloseTo(0, 8);
    // Iris: the first component explains ~73% of the standardized variance.
    expect(r.projection!.explained[0]).toBeGreaterThan(0.65);
    expect(r.projection!.explained[0]).toBeLessThan(0.8);
  });
});
