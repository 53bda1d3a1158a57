import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { compareSolvers, COMPARE_TOL } from '../../../../src/core/run/compareSolvers';
import type { TrainSettings } from '../../../../src/core/run/settings';
import { trainFromBytes, TrainingCancelled } from '../../../../src/core/run/train';

const file = join(__dirname, '..', '..', '..', 'fixtures', 'datasets', 'breast_cancer.csv');
const bytes = readFileSync(file);
// An explicit tolerance: a training run of gd/sgd/minibatch at the default would use FIRST_ORDER_TOL.
const settings: Partial<TrainSettings> = { target: ['target'], seed: 5, maxIter: 200, batchSize: 16, C: 1, tol: 1e-9 };

describe('compareSolvers', () => {
  const cmp = compareSolvers(parseCsv(bytes, { fileName: 'bc.csv' }), settings, { fileName: 'bc.csv' });
  const byId = Object.fromEntries(cmp.traces.map((t) => [t.id, t]));

  it('runs the eight solvers from the same start on the same rows', () => {
    expect(cmp.traces.map((t) => t.id)).toEqual(['gd', 'sgd', 'minibatch', 'momentum', 'adam', 'newton', 'newton-cholesky', 'lbfgs']);
    expect(byId['newton-cholesky'].label).toBe('Newton-Cholesky');
    const f0 = cmp.traces[0].objective[0];
    for (const t of cmp.traces) expect(t.objective[0]).toBe(f0);
    expect(f0).toBeCloseTo(Math.log(2), 14);
    expect(cmp.batchSize).toBe(16);
  });

  it.each([['lbfgs'], ['newton'], ['newton-cholesky'], ['sgd'], ['minibatch']] as const)('the %s trace is the training run of the same settings, value for value', (solver) => {
    // Plain steps (the settings' default update rule is Adam).
    const report = trainFromBytes(bytes, { ...settings, solver, optimizer: 'sgd' }, { fileName: 'bc.csv' });
    expect(byId[solver].objective.slice(1)).toEqual(report.lossHistory.train);
  });

  it('the best objective is the optimum; Newton and L-BFGS reach it in far fewer passes than gradient descent', () => {
    const polished = trainFromBytes(bytes, { ...settings, solver: 'newton', tol: 1e-14 }, { fileName: 'bc.csv' });
    const fStar = polished.lossHistory.train[polished.lossHistory.train.length - 1];
    expect(Math.abs(cmp.best - fStar) / fStar).toBeLessThan(1e-12);
    expect(byId.newton.passesToTol).not.toBeNull();
    expect(byId.lbfgs.passesToTol).not.toBeNull();
    expect(byId.newton.iterationsToTol!).toBeLessThan(15);
    const gdPasses = byId.gd.passesToTol ?? Infinity;
    expect(byId.newton.passesToTol!).toBeLessThan(gdPasses / 3);
    expect(byId.lbfgs.passesToTol!).toBeLessThan(gdPasses / 3);
    // The tolerance is met where the relative gap first falls below it.
    const t = byId.lbfgs;
    const i = t.iterations.indexOf(t.iterationsToTol!);
    expect((t.objective[i] - cmp.best) / Math.max(1, Math.abs(cmp.best))).toBeLessThanOrEqual(COMPARE_TOL);
    expect((t.objective[i - 1] - cmp.best) / Math.max(1, Math.abs(cmp.best))).toBeGreaterThan(COMPARE_TOL);
  });

  it('Newton-Cholesky reaches the optimum L-BFGS reaches (relative objective within 1e-8), one pass per full step', () => {
    const last = (t: { objective: number[] }) => t.objective[t.objective.length - 1];
    const nc = byId['newton-cholesky'];
    expect(nc.stopReason).toBe('converged');
    expect(byId.lbfgs.stopReason).toBe('converged');
    expect(Math.abs(last(nc) - last(byId.lbfgs)) / Math.abs(last(byId.lbfgs))).toBeLessThan(1e-8);
    expect(nc.passesToTol).not.toBeNull();
    // The gradient and Hessian come from one blocked pass: a full step costs one pass, a backtracked one more.
    const steps = nc.passes.slice(1).map((p, i) => p - nc.passes[i]);
    expect(steps.every((s) => s >= 1 && Number.isInteger(s))).toBe(true);
    expect(steps.filter((s) => s === 1).length).toBeGreaterThan(0);
  });

  it('lists Newton-Cholesky for a one-vs-rest model (its first output is binary), not for a multinomial one', () => {
    const iris = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'datasets', 'iris.csv'));
    const ids = (model: 'ovr' | 'multinomial') => compareSolvers(parseCsv(iris, { fileName: 'iris.csv' }), { target: ['target'], model, seed: 5, maxIter: 30, C: 1 }, { fileName: 'iris.csv' }).traces.map((t) => t.id);
    expect(ids('ovr')).toContain('newton-cholesky');
    expect(ids('multinomial')).toEqual(['gd', 'sgd', 'minibatch', 'momentum', 'adam', 'newton', 'lbfgs']);
  });

  it('counts passes: one per gradient-descent iteration, one per stochastic epoch, more than one for a Newton step', () => {
    const steps = (t: { passes: number[] }) => t.passes.slice(2).map((p, i) => p - t.passes[i + 1]);
    expect(new Set(steps(byId.gd))).toEqual(new Set([1]));
    expect(steps(byId.sgd).every((s) => Math.abs(s - 1) < 1e-9)).toBe(true);
    expect(steps(byId.minibatch).every((s) => Math.abs(s - 1) < 1e-9)).toBe(true);
    // Newton: the Hessian and at least one objective-and-gradient evaluation.
    expect(steps(byId.newton).every((s) => s >= 2)).toBe(true);
    // Wall time is non-decreasing.
    for (const t of cmp.traces) for (let i = 1; i < t.timeMs.length; i++) expect(t.timeMs[i]).toBeGreaterThanOrEqual(t.timeMs[i - 1]);
  });

  it('an L1 penalty leaves both Newton solvers out; cancellation throws TrainingCancelled', () => {
    const l1 = compareSolvers(parseCsv(bytes, { fileName: 'bc.csv' }), { ...settings, penalty: 'l1', maxIter: 20 }, { fileName: 'bc.csv' });
    expect(l1.traces.map((t) => t.id)).toEqual(['gd', 'sgd', 'minibatch', 'momentum', 'adam', 'lbfgs']);
    expect(() => compareSolvers(parseCsv(bytes, { fileName: 'bc.csv' }), settings, { fileName: 'bc.csv', shouldStop: () => true })).toThrow(TrainingCancelled);
  });
});
