/**
 * The loss landscape on request (core/run/landscapeRun.ts): not computed with every run any more; from a
 * run's table, settings and model, on a seeded sample of at most LANDSCAPE_MAX_ROWS training rows; the
 * slider's gradient-descent re-runs on the same sample.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { descentPaths, LANDSCAPE_MAX_ROWS } from '../../../../src/core/evaluate/landscape';
import { Rng } from '../../../../src/core/random';
import { descentOnLandscape, fittedTheta, landscapeOfRun, landscapeProblem } from '../../../../src/core/run/landscapeRun';
import { DEFAULT_SETTINGS } from '../../../../src/core/run/settings';
import { trainFromBytes } from '../../../../src/core/run/train';

/** n rows of x1..x3 and a logistic label. */
function csv(n: number, seed = 3, classes = 2): Uint8Array {
  const rng = new Rng(seed);
  const lines = ['x1,x2,x3,label'];
  for (let i = 0; i < n; i++) {
    const x = [rng.normal(), rng.normal() * 3 + 1, rng.normal() * 0.2];
    const z = 1.2 * x[0] - 0.4 * x[1] + 4 * x[2] + 0.3;
    const label = classes === 2 ? (rng.next() < 1 / (1 + Math.exp(-z)) ? 'a' : 'b') : 'abc'[(z > 0 ? 1 : 0) + (x[0] > 0.5 ? 1 : 0)];
    lines.push(`${x.map((v) => v.toFixed(5)).join(',')},${label}`);
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

describe('the loss landscape on request', () => {
  it('is not computed with a run unless asked (the CLI’s --landscape)', () => {
    const bytes = csv(400);
    expect(trainFromBytes(bytes, {}, { fileName: 'a.csv' }).landscape).toBeUndefined();
    const withIt = trainFromBytes(bytes, {}, { fileName: 'a.csv', landscape: true }).landscape!;
    expect(withIt.sampleRows).toBe(withIt.ofRows);
    expect(withIt.descent.gd.a.length).toBe(41);
  });

  it('on every training row of a small file, equals the run’s objective at the optimum', () => {
    const bytes = csv(2000);
    const settings = { ...DEFAULT_SETTINGS, solver: 'newton' as const, tol: 1e-12 };
    const report = trainFromBytes(bytes, settings, { fileName: 'a.csv' });
    const problem = landscapeProblem(parseCsv(bytes, { fileName: 'a.csv' }), settings, 'a.csv');
    const l = landscapeOfRun(problem, report.model, report.replay, { kind: 'auto' });
    expect(l.sampleRows).toBe(report.data.nTrain);
    const last = report.lossHistory.train[report.lossHistory.train.length - 1];
    expect(Math.abs(l.objectiveAtOptimum - last) / last).toBeLessThan(1e-13);
    // The run's own path starts at θ = 0 (its projection) and ends at the optimum.
    expect(l.path.a[0]).toBeCloseTo(-l.center.reduce((s, x, j) => s + x * l.dirs[0][j], 0), 12);
    expect(l.path.a[l.path.a.length - 1]).toBeCloseTo(0, 12);
    expect(l.computeMs).toBeGreaterThanOrEqual(0);
  });

  it(`samples at most ${LANDSCAPE_MAX_ROWS} training rows of a large file, and the slider re-runs on that sample`, () => {
    const bytes = csv(21_000);
    const settings = { ...DEFAULT_SETTINGS, testSize: 0, valSize: 0 };
    const report = trainFromBytes(bytes, settings, { fileName: 'big.csv' });
    const problem = landscapeProblem(parseCsv(bytes, { fileName: 'big.csv' }), settings, 'big.csv');
    expect(problem.sample.n).toBe(LANDSCAPE_MAX_ROWS);
    expect(problem.ofRows).toBe(report.data.nTrain);
    const l = landscapeOfRun(problem, report.model, report.replay);
    expect([l.sampleRows, l.ofRows]).toEqual([LANDSCAPE_MAX_ROWS, report.data.nTrain]);
    // At the optimum the landscape is F on the sample at the fitted θ.
    expect(Math.abs(l.objectiveAtOptimum - problem.sample.objective(fittedTheta(report.model)))).toBeLessThan(1e-14);
    // The sample is seeded: a second build draws the same rows, so the slider's paths are the landscape's own.
    const again = landscapeProblem(parseCsv(bytes, { fileName: 'big.csv' }), settings, 'big.csv');
    const live = descentOnLandscape(again, l, l.descent.gd.factor);
    expect(live.gd.objective).toEqual(l.descent.gd.objective);
    expect(live.momentum.a).toEqual(l.descent.momentum.a);
    expect(descentPaths(problem.sample, l.center, l.dirs[0], l.dirs[1], l.lambdaMax, 2.5).gd.diverged).toBe(true);
  });

  it('refuses OvR models and a model that does not match the file any more', () => {
    expect(() => landscapeProblem(parseCsv(csv(300, 3, 3), { fileName: 'c.csv' }), { ...DEFAULT_SETTINGS, model: 'ovr' }, 'c.csv')).toThrow(/binary and multinomial/);
    const bytes = csv(300);
    const table = () => parseCsv(bytes, { fileName: 'a.csv' });
    const report = trainFromBytes(bytes, { features: ['x1'] }, { fileName: 'a.csv' });
    const problem = landscapeProblem(table(), DEFAULT_SETTINGS, 'a.csv');
    expect(() => landscapeOfRun(problem, report.model, report.replay)).toThrow(/file changed since the run/);
  });
});
