import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { computeLandscape, conditionNumbers, LR_FACTORS, symmetricEigen } from '../../../../src/core/evaluate/landscape';
import { LinearModelLoss } from '../../../../src/core/model/loss';
import type { TrainSettings } from '../../../../src/core/run/settings';
import { thetaAt } from '../../../../src/core/run/snapshots';
import { outputLossSpec, prepareRun, trainFromBytes } from '../../../../src/core/run/train';

const fixtures = join(__dirname, '..', '..', '..', 'fixtures');
const ref = JSON.parse(readFileSync(join(fixtures, 'numpy', 'landscape.json'), 'utf8')) as {
  theta: number[];
  C: number;
  eigenvalues: number[];
  top2: number[][];
  condition: { standardized: number; original: number };
};

describe('Hessian eigen-directions and condition numbers against numpy.linalg.eigh', () => {
  const text = readFileSync(join(fixtures, 'datasets', 'breast_cancer.csv'), 'utf8').trim().split('\n');
  const rows = text.slice(1).map((l) => l.split(','));
  const n = rows.length;
  const d = rows[0].length - 1;
  const raw = rows.map((r) => r.slice(0, d).map(Number));
  const mean = Array.from({ length: d }, (_, j) => raw.reduce((s, r) => s + r[j], 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(raw.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n));
  const X = new Float64Array(n * d);
  raw.forEach((r, i) => r.forEach((v, j) => (X[i * d + j] = (v - mean[j]) / sd[j])));
  const y = Int32Array.from(rows, (r) => (r[d] === 'malignant' ? 1 : 0));
  const loss = new LinearModelLoss({ X, n, d, kind: 'binary', y, nClasses: 2, penalty: 'l2', C: ref.C });
  const theta = Float64Array.from(ref.theta);

  it('eigenvalues and the top two eigenvectors (up to sign)', () => {
    const eig = symmetricEigen(loss.hessian(theta), loss.nParams);
    eig.values.forEach((v, k) => expect(Math.abs(v - ref.eigenvalues[k]) / ref.eigenvalues[0]).toBeLessThan(1e-12));
    for (let k = 0; k < 2; k++) {
      const sign = Math.sign(eig.vectors[k].reduce((s, x, j) => s + x * ref.top2[k][j], 0));
      eig.vectors[k].forEach((x, j) => expect(Math.abs(sign * x - ref.top2[k][j])).toBeLessThan(1e-9));
    }
  });

  it('condition numbers for standardized and original-unit features at the same model', () => {
    const c = conditionNumbers(loss, theta, { mean, scale: sd });
    expect(Math.abs(c.standardized - ref.condition.standardized) / ref.condition.standardized).toBeLessThan(1e-9);
    expect(Math.abs(c.original - ref.condition.original) / ref.condition.original).toBeLessThan(1e-5);
    expect(c.original / c.standardized).toBeGreaterThan(1e4);
  });
});

describe('computeLandscape', () => {
  const bytes = readFileSync(join(fixtures, 'datasets', 'iris_vv.csv'));
  const landscapeOf = (settings: Partial<TrainSettings>) => {
    const report = trainFromBytes(bytes, settings, { fileName: 'vv.csv' });
    const prepared = prepareRun(parseCsv(bytes, { fileName: 'vv.csv' }), settings, { fileName: 'vv.csv' });
    const { spec } = outputLossSpec(prepared.outputs[0], prepared.scaled.train, prepared.ds.d, prepared.settings);
    const replay = report.replay!;
    const its = replay.outputs[0].iterations;
    const landscape = computeLandscape({
      spec,
      thetaStar: thetaAt(replay, 0, its[its.length - 1]),
      path: its.map((it) => thetaAt(replay, 0, it)),
      scaler: { mean: prepared.prep.mean, scale: prepared.prep.scale },
      featureNames: prepared.ds.featureNames,
      seed: 0,
      grid: 20,
    });
    return { report, landscape };
  };

  it('at the optimum equals the run’s objective; the grid has its minimum near the optimum', () => {
    const { report, landscape } = landscapeOf({ target: ['target'], seed: 2, solver: 'newton', tol: 1e-12 });
    const last = report.lossHistory.train[report.lossHistory.train.length - 1];
    expect(Math.abs(landscape.objectiveAtOptimum - last) / last).toBeLessThan(1e-13);
    expect(landscape.mode).toBe('eigen');
    expect(landscape.values).toHaveLength(400);
    expect(Math.min(...landscape.values)).toBeGreaterThanOrEqual(landscape.objectiveAtOptimum);
    // The run's path ends at the optimum (0, 0) and starts at θ = 0, whose objective is log 2.
    expect(landscape.path.a[landscape.path.a.length - 1]).toBeCloseTo(0, 12);
    expect(landscape.path.objective[0]).toBeCloseTo(Math.log(2), 12);
    expect(landscape.condition.original! / landscape.condition.standardized!).toBeGreaterThan(1);
  });

  it('gradient descent converges below 2/λmax and diverges well above it', () => {
    const { landscape } = landscapeOf({ target: ['target'], seed: 2 });
    const byFactor = new Map(landscape.lrPaths.map((p) => [p.factor, p]));
    expect(landscape.lrPaths.map((p) => p.factor)).toEqual(LR_FACTORS);
    expect(byFactor.get(0.5)!.diverged).toBe(false);
    expect(byFactor.get(3)!.diverged).toBe(true);
    const half = byFactor.get(0.5)!;
    expect(half.objective[half.objective.length - 1]).toBeLessThan(half.objective[0]);
  });

  it('a one-feature model is drawn over its two parameters', () => {
    const { report, landscape } = landscapeOf({ target: ['target'], features: ['petal_length'], seed: 2 });
    expect(landscape.mode).toBe('parameters');
    expect(landscape.offset).toEqual([report.model.coefStandardized[0][0], report.model.interceptStandardized[0]]);
    expect(landscape.axes[0]).toContain('petal_length');
  });
});
