import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictProba } from '../../../src/core/model/model';
import type { TrainReport } from '../../../src/core/report/report';
import { column, paddedExtent, pcaGrid, projectPoints, sliceBase, sliceGrid } from '../../../webview/panel/viewModel/boundaryGrid';
import { defaultSlicePair, gridAgreement, modelPlane, nearestPredictionGrid, orthonormalBasis } from '../../../webview/panel/viewModel/boundaryPlane';

const report = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/reports', name), 'utf8')) as TrainReport;
const argmaxRows = (p: Float64Array, K: number) => Array.from({ length: p.length / K }, (_, i) => {
  let best = 0;
  for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + best]) best = k;
  return best;
});

describe('orthonormalBasis', () => {
  it('drops dependent vectors and returns unit, orthogonal ones', () => {
    const Q = orthonormalBasis([[1, 1, 0], [2, 2, 0], [0, 1, 1]]);
    expect(Q).toHaveLength(2);
    for (const q of Q) expect(Math.hypot(...q)).toBeCloseTo(1, 12);
    expect(Q[0][0] * Q[1][0] + Q[0][1] * Q[1][1] + Q[0][2] * Q[1][2]).toBeCloseTo(0, 12);
  });
});

describe('the model plane on wine (13 features, 3 classes)', () => {
  const r = report('wine.json');
  const plane = modelPlane(r.model, r.points)!;

  it('is exact: the prediction at each point’s projection is the prediction for the point', () => {
    expect(plane.rank).toBe(2);
    expect(plane.exact).toBe(true);
    const { u, v } = projectPoints(r.model, plane, r.points);
    const d = r.model.featureNames.length;
    // Back to original units: x = mean + scale * (center + u c1 + v c2).
    const { mean, scale } = r.model.preprocessor;
    const n = u.length;
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = mean[j] + scale[j] * (plane.center[j] + u[i] * plane.components[0][j] + v[i] * plane.components[1][j]);
    expect(argmaxRows(predictProba(r.model, X, n), 3)).toEqual(r.points.predicted);
  });

  it('gives every class a region and puts the points in their predicted class’s region', () => {
    const { u, v } = projectPoints(r.model, plane, r.points);
    const [a, b] = paddedExtent(u);
    const [c, e] = paddedExtent(v);
    const grid = pcaGrid(r.model, plane, { uExtent: [a, b], vExtent: [c, e] });
    const { classes, agree } = gridAgreement(grid, u, v, r.points.predicted);
    expect(classes).toEqual([0, 1, 2]);
    expect(agree).toBeGreaterThanOrEqual(0.97);
  });

  it('whereas in the old default slice (alcohol x malic_acid at the means) a third of the points sit on another class’s colour', () => {
    const d = r.model.featureNames.length;
    const xs = column(r.points.X, d, 0);
    const ys = column(r.points.X, d, 1);
    const grid = sliceGrid(r.model, { pair: [0, 1], base: sliceBase(r.model, r.points).base, xExtent: paddedExtent(xs), yExtent: paddedExtent(ys) });
    const { classes, agree } = gridAgreement(grid, xs, ys, r.points.predicted);
    expect(classes).toEqual([0, 1, 2]);
    expect(agree).toBeLessThan(0.75);
  });
});

describe('digits (61 pixels, 10 classes)', () => {
  const r = report('digits.json');
  const plane = modelPlane(r.model, r.points)!;

  it('no flat picture is exact: the span of the score directions has 9 dimensions', () => {
    expect(plane.rank).toBe(9);
    expect(plane.exact).toBe(false);
    const { u, v } = projectPoints(r.model, plane, r.points);
    const grid = pcaGrid(r.model, plane, { uExtent: paddedExtent(u), vExtent: paddedExtent(v), nx: 60, ny: 60 });
    expect(gridAgreement(grid, u, v, r.points.predicted).agree).toBeLessThan(0.8);
  });

  it('the nearest-prediction map shows all 10 classes and agrees with the predictions', () => {
    const { u, v } = projectPoints(r.model, plane, r.points);
    const ext = [...paddedExtent(u), ...paddedExtent(v)] as [number, number, number, number];
    const grid = nearestPredictionGrid(u, v, r.points.predicted, 10, ext);
    const { classes, agree } = gridAgreement(grid, u, v, r.points.predicted);
    expect(classes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(agree).toBeGreaterThanOrEqual(0.95);
  });
});

describe('defaultSlicePair', () => {
  it('picks the two largest standardized coefficients (wine)', () => {
    const m = report('wine.json').model;
    const size = m.featureNames.map((_, j) => Math.max(...m.coefStandardized.map((w) => Math.abs(w[j]))));
    const order = size.map((s, j) => [s, j]).sort((a, b) => b[0] - a[0]).map(([, j]) => j);
    expect(defaultSlicePair(m)).toEqual([order[0], order[1]]);
  });

  it('never two one-hot columns of the same variable (mixed-type table)', () => {
    const m = report('pbc.json').model;
    const [a, b] = defaultSlicePair(m);
    expect(m.features[a].column).not.toBe(m.features[b].column);
    const w = m.coefStandardized[0];
    // The first axis is the largest |beta|; the second the largest among the other variables.
    const top = w.map((x, j) => [Math.abs(x), j]).sort((p, q) => q[0] - p[0]);
    expect(a).toBe(top[0][1]);
    expect(b).toBe(top.find(([, j]) => m.features[j].column !== m.features[a].column)![1]);
  });

  it('passes over features with zero coefficients (an L1 fit)', () => {
    const m = structuredClone(report('wine.json').model);
    m.coefStandardized = m.coefStandardized.map((w) => w.map((x, j) => (j < 2 ? 0 : x)));
    const [a, b] = defaultSlicePair(m);
    expect(a).toBeGreaterThanOrEqual(2);
    expect(b).toBeGreaterThanOrEqual(2);
  });
});

describe('binary: the model plane of the mixed-type table', () => {
  it('is exact (rank 1: the score direction and the data’s main direction across it)', () => {
    const r = report('pbc.json');
    const plane = modelPlane(r.model, r.points)!;
    expect(plane.rank).toBe(1);
    expect(plane.exact).toBe(true);
    const { u, v } = projectPoints(r.model, plane, r.points);
    const grid = pcaGrid(r.model, plane, { uExtent: paddedExtent(u), vExtent: paddedExtent(v) });
    const { classes, agree } = gridAgreement(grid, u, v, r.points.predicted, r.model.threshold);
    expect(classes).toEqual([0, 1]);
    expect(agree).toBeGreaterThanOrEqual(0.97);
  });
});
