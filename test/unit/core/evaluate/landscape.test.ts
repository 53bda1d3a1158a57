import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { coefficientSlice, computeLandscape, conditionNumbers, descentPaths, landscapeLoss, parameterNames, symmetricEigen } from '../../../../src/core/evaluate/landscape';
import { replayObjective } from '../../../../src/core/run/snapshots';
import { fittedTheta } from '../../../../src/core/run/landscapeRun';
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
  const problemOf = (settings: Partial<TrainSettings>) => {
    const prepared = prepareRun(parseCsv(bytes, { fileName: 'vv.csv' }), settings, { fileName: 'vv.csv' });
    return { prepared, spec: outputLossSpec(prepared.outputs[0], prepared.scaled.train, prepared.ds.d, prepared.settings).spec };
  };
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
    // The run's path ends at the optimum (0, 0) and starts at θ = 0 (its projection).
    expect(landscape.path.a[landscape.path.a.length - 1]).toBeCloseTo(0, 12);
    expect(landscape.path.b[0]).toBeCloseTo(-landscape.center.reduce((s, x, j) => s + x * landscape.dirs[1][j], 0), 12);
    expect(landscape.path.objective).toEqual([]);
    expect(landscape.condition.original! / landscape.condition.standardized!).toBeGreaterThan(1);
  });

  it('gradient descent converges below 2/λmax and diverges well above it; momentum overshoots where GD does not', () => {
    const { landscape } = landscapeOf({ target: ['target'], seed: 2 });
    const { prepared, spec } = problemOf({ target: ['target'], seed: 2 });
    const loss = landscapeLoss(spec, 0);
    const plane = [landscape.center, landscape.dirs[0], landscape.dirs[1], landscape.lambdaMax] as const;
    const half = descentPaths(loss, ...plane, 0.5);
    expect(half.gd.diverged).toBe(false);
    expect(half.gd.rises).toBe(0);
    expect(half.gd.objective[half.gd.objective.length - 1]).toBeLessThan(half.gd.objective[0]);
    expect(half.gd.learningRate).toBeCloseTo(1 / landscape.lambdaMax, 14);
    // The landscape carries the same paths at its default rate (the same sample, the same start).
    expect(landscape.descent.gd.objective).toEqual(half.gd.objective);
    expect(landscape.descent.momentum.objective).toEqual(half.momentum.objective);
    // Heavy-ball momentum at the same rate swings past the minimum: its objective goes up on the way.
    expect(half.momentum.rises).toBeGreaterThan(0);
    expect(half.momentum.diverged).toBe(false);
    const over = descentPaths(loss, ...plane, 3);
    expect(over.gd.diverged).toBe(true);
    expect(prepared.settings.seed).toBe(2);
  });

  it('two chosen coefficients: the grid is F with the others at the optimum, cell for cell', () => {
    const { report } = landscapeOf({ target: ['target'], seed: 2 });
    const { spec } = problemOf({ target: ['target'], seed: 2 });
    const theta = fittedTheta(report.model);
    const landscape = computeLandscape({ spec, thetaStar: theta, path: [theta], scaler: null, featureNames: report.model.featureNames, seed: 0, grid: 7, directions: { kind: 'coefficients', i: 1, j: 4 } });
    expect(landscape.mode).toBe('coefficients');
    expect(landscape.coefficients).toEqual([1, 4]);
    expect(landscape.axes).toEqual([report.model.featureNames[1], 'intercept']);
    expect(landscape.offset).toEqual([theta[1], theta[4]]);
    const loss = new LinearModelLoss(spec);
    const G = landscape.n;
    for (let r = 0; r < G; r++) {
      for (let c = 0; c < G; c++) {
        const a = landscape.aRange[0] + ((c + 0.5) * (landscape.aRange[1] - landscape.aRange[0])) / G;
        const b = landscape.bRange[0] + ((r + 0.5) * (landscape.bRange[1] - landscape.bRange[0])) / G;
        const t = theta.slice();
        t[1] += a;
        t[4] += b;
        expect(Math.abs(landscape.values[r * G + c] - loss.objective(t)) / loss.objective(t)).toBeLessThan(1e-13);
      }
    }
    expect(() => computeLandscape({ spec, thetaStar: theta, path: [theta], scaler: null, featureNames: [], seed: 0, grid: 3, directions: { kind: 'coefficients', i: 2, j: 2 } })).toThrow(/two different coefficients/);
  });

  it('an L1 fit: the slice through a zero coefficient matches F and shows the kink (slope jump 2α)', () => {
    const settings: Partial<TrainSettings> = { target: ['target'], seed: 2, penalty: 'l1', C: 0.05, solver: 'lbfgs' };
    const { report } = landscapeOf(settings);
    const { spec } = problemOf(settings);
    const loss = new LinearModelLoss(spec);
    const theta = fittedTheta(report.model);
    const zero = theta.findIndex((x, j) => j < spec.d && x === 0);
    expect(zero).toBeGreaterThanOrEqual(0);
    const slice = coefficientSlice(loss, theta, zero, parameterNames(loss, report.model.featureNames));
    expect(slice.at).toBe(0);
    expect(slice.name).toBe(report.model.featureNames[zero]);
    slice.x.forEach((x, k) => {
      const t = theta.slice();
      t[zero] = x;
      expect(Math.abs(slice.values[k] - replayObjective(loss, t))).toBeLessThan(1e-13);
    });
    expect(Math.abs(slice.kink!.jump - 2 * loss.l1Strength) / loss.l1Strength).toBeLessThan(1e-5);
    // At an L1 zero the data term's slope is at most α: the slope is ≤ 0 left of 0 and ≥ 0 right of it.
    expect(slice.kink!.left).toBeLessThanOrEqual(1e-9);
    expect(slice.kink!.right).toBeGreaterThanOrEqual(-1e-9);
    // The landscape's own slice picks the penalized coefficient nearest 0 (a zero here), with its kink.
    expect(landscapeOf(settings).landscape.slice.at).toBe(0);
    const smooth = landscapeOf({ target: ['target'], seed: 2 }).landscape.slice;
    expect(smooth.kink).toBeNull();
  });

  it('a one-feature model is drawn over its two parameters', () => {
    const { report, landscape } = landscapeOf({ target: ['target'], features: ['petal_length'], seed: 2 });
    expect(landscape.mode).toBe('parameters');
    expect(landscape.offset).toEqual([report.model.coefStandardized[0][0], report.model.interceptStandardized[0]]);
    expect(landscape.axes[0]).toContain('petal_length');
  });
});
