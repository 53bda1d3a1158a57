/**
 * Every solver reaches the same optimum of a convex problem, and the failure modes are reported.
 * Tolerances: lbfgs, newton and gd (plain, momentum, Adam) agree on the objective to 1e-10 relative and
 * on every parameter to 1e-5 absolute (multinomial intercepts centred); sgd and minibatch (plain, momentum, Adam) reach the objective
 * to 1e-4 relative within a few hundred epochs (1e-3 with an L1 penalty).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LinearModelLoss, type Penalty } from '../../../../src/core/model/loss';
import { minimize } from '../../../../src/core/optimize/index';
import type { OptimizerName, SolverOptions } from '../../../../src/core/optimize/types';

interface Dataset { n: number; d: number; nClasses: number; kind: 'binary' | 'multinomial'; X: number[]; y: number[] }

function load(name: string): Dataset {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/sklearn/solver/${name}.json`, import.meta.url), 'utf8')) as Dataset;
}

function standardized(ds: Dataset): Float64Array {
  const { n, d } = ds;
  const X = Float64Array.from(ds.X);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i * d + j] - m) ** 2;
    const s = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) X[i * d + j] = (X[i * d + j] - m) / s;
  }
  return X;
}

function makeLoss(name: string, penalty: Penalty, C: number, fitIntercept = true): LinearModelLoss {
  const ds = load(name);
  return new LinearModelLoss({ X: standardized(ds), n: ds.n, d: ds.d, kind: ds.kind, y: Int32Array.from(ds.y), nClasses: ds.nClasses, penalty, C, fitIntercept });
}

/** Multinomial intercepts are defined up to a common shift (Adam, for one, does not keep their sum). */
function centredIntercepts(loss: LinearModelLoss, theta: Float64Array): Float64Array {
  const out = Float64Array.from(theta);
  if (loss.nCoefRows === 1) return out;
  let mean = 0;
  for (let k = 0; k < loss.nCoefRows; k++) mean += theta[k * (loss.d + 1) + loss.d] / loss.nCoefRows;
  for (let k = 0; k < loss.nCoefRows; k++) out[k * (loss.d + 1) + loss.d] -= mean;
  return out;
}

const iris = makeLoss('iris', 'l2', 1);
const irisBinary = makeLoss('iris_versicolor_virginica', 'l2', 1);
const reference = new Map<LinearModelLoss, Float64Array>();
for (const loss of [iris, irisBinary]) reference.set(loss, minimize(loss, 'lbfgs', { tol: 1e-12 }).theta);

describe('batch solvers agree tightly', () => {
  const runs: [string, 'lbfgs' | 'newton' | 'gd', OptimizerName | undefined][] = [
    ['lbfgs', 'lbfgs', undefined], ['newton', 'newton', undefined],
    ['gd', 'gd', 'sgd'], ['gd + momentum', 'gd', 'momentum'], ['gd + adam', 'gd', 'adam'],
  ];
  for (const loss of [iris, irisBinary]) {
    for (const [label, solver, optimizer] of runs) {
      it(`${label} on ${loss.kind}`, () => {
        const ref = reference.get(loss)!;
        const res = minimize(loss, solver, { optimizer, maxIter: 10000 });
        expect(res.converged, res.message).toBe(true);
        expect(res.stopReason).toBe('converged');
        const f = loss.objective(ref);
        expect(Math.abs(res.objective - f) / f).toBeLessThan(1e-10);
        const got = centredIntercepts(loss, res.theta);
        const want = centredIntercepts(loss, ref);
        for (let j = 0; j < ref.length; j++) expect(Math.abs(got[j] - want[j])).toBeLessThan(1e-5);
      });
    }
  }
});

describe('stochastic solvers agree loosely', () => {
  const runs: [string, 'sgd' | 'minibatch', SolverOptions][] = [
    ['sgd', 'sgd', { maxIter: 300 }],
    ['sgd + momentum', 'sgd', { optimizer: 'momentum', maxIter: 600 }],
    ['sgd + adam', 'sgd', { optimizer: 'adam', learningRate: 0.01, maxIter: 600 }],
    ['minibatch', 'minibatch', { batchSize: 8, maxIter: 1000 }],
    ['minibatch + momentum', 'minibatch', { optimizer: 'momentum', batchSize: 8, maxIter: 1000 }],
    ['minibatch + adam', 'minibatch', { optimizer: 'adam', batchSize: 8, learningRate: 0.1, maxIter: 1000 }],
  ];
  for (const [label, solver, options] of runs) {
    it(`${label} reaches the objective to 1e-4`, () => {
      const f = iris.objective(reference.get(iris)!);
      const res = minimize(iris, solver, { seed: 3, ...options });
      expect(['converged', 'max-iter']).toContain(res.stopReason);
      expect(Math.abs(res.objective - f) / f).toBeLessThan(1e-4);
      expect(res.objective).toBeCloseTo(iris.objective(res.theta), 14);
    });
  }
  it('is reproducible for a seed and differs across seeds', () => {
    const a = minimize(iris, 'sgd', { seed: 1, maxIter: 5 });
    const b = minimize(iris, 'sgd', { seed: 1, maxIter: 5 });
    const c = minimize(iris, 'sgd', { seed: 2, maxIter: 5 });
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    expect(Array.from(a.theta)).not.toEqual(Array.from(c.theta));
  });
});

describe('L1: OWL-QN and proximal steps reach the same sparse optimum', () => {
  const loss = makeLoss('breast_cancer', 'l1', 0.1);
  const owl = minimize(loss, 'lbfgs', { tol: 1e-12 });
  it('OWL-QN converges and sets coefficients exactly to zero', () => {
    expect(owl.converged, owl.message).toBe(true);
    const zeros = Array.from(owl.theta.subarray(0, loss.d)).filter((w) => w === 0).length;
    expect(zeros).toBeGreaterThan(10);
  });
  it('gd + momentum with soft-thresholding finds the same objective and support', () => {
    const res = minimize(loss, 'gd', { optimizer: 'momentum', maxIter: 20000 });
    expect(res.converged, res.message).toBe(true);
    expect(Math.abs(res.objective - owl.objective) / owl.objective).toBeLessThan(1e-10);
    for (let j = 0; j < loss.d; j++) expect(res.theta[j] === 0).toBe(owl.theta[j] === 0);
  });
  it('sgd with soft-thresholding gets close on a well-conditioned problem', () => {
    const small = makeLoss('iris_versicolor_virginica', 'l1', 0.5);
    const target = minimize(small, 'lbfgs', { tol: 1e-12 });
    const res = minimize(small, 'sgd', { maxIter: 300, seed: 1 });
    expect(Math.abs(res.objective - target.objective) / target.objective).toBeLessThan(1e-3);
  });
  it('newton refuses L1 with a message naming the alternatives', () => {
    expect(() => minimize(loss, 'newton')).toThrow(/lbfgs/);
  });
});

describe('without an intercept', () => {
  it('keeps the intercept slots at 0 and the solvers agree', () => {
    const loss = makeLoss('iris', 'l2', 1, false);
    const start = new Float64Array(loss.nParams).fill(0.5);
    const a = minimize(loss, 'lbfgs', { tol: 1e-12 }, start);
    const b = minimize(loss, 'newton', { tol: 1e-12 }, start);
    expect(a.converged && b.converged).toBe(true);
    for (let k = 0; k < 3; k++) {
      expect(a.theta[k * 5 + 4]).toBe(0);
      expect(b.theta[k * 5 + 4]).toBe(0);
    }
    for (let j = 0; j < loss.nParams; j++) expect(a.theta[j]).toBeCloseTo(b.theta[j], 8);
    expect(start[0]).toBe(0.5);
  });
});

describe('stopping and failure', () => {
  it('reports divergence of gd with a huge learning rate, naming the setting', () => {
    const res = minimize(irisBinary, 'gd', { learningRate: 1000 });
    expect(res.stopReason).toBe('diverged');
    expect(res.converged).toBe(false);
    expect(res.message).toMatch(/--learning-rate \(now 1000\)/);
    expect(Number.isFinite(res.objective)).toBe(true);
  });
  it('reports divergence of sgd too', () => {
    const res = minimize(irisBinary, 'sgd', { learningRate: 1e6, schedule: 'constant' });
    expect(res.stopReason).toBe('diverged');
    expect(res.message).toMatch(/learning-rate/);
  });
  it('stops at max-iter without claiming convergence', () => {
    for (const solver of ['lbfgs', 'newton', 'gd', 'minibatch'] as const) {
      const res = minimize(iris, solver, { maxIter: 2 });
      expect(res.stopReason).toBe('max-iter');
      expect(res.converged).toBe(false);
      expect(res.iterations).toBe(2);
      expect(res.message).toMatch(/--max-iter/);
    }
  });
  it('calls onIteration once per iteration and stops when it returns true', () => {
    const seen: number[] = [];
    const res = minimize(iris, 'lbfgs', {
      onIteration: (info) => {
        seen.push(info.iteration);
        expect(info.objective).toBeCloseTo(iris.objective(info.theta), 14);
        return info.iteration === 3;
      },
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(res.stopReason).toBe('stopped');
    expect(res.iterations).toBe(3);
  });
  it('reports the final projected-gradient norm (absolute)', () => {
    const res = minimize(iris, 'lbfgs', { tol: 1e-6 });
    expect(res.converged).toBe(true);
    const g = new Float64Array(iris.nParams);
    iris.lossGradient(res.theta, g);
    expect(res.gradientNorm).toBeCloseTo(Math.max(...Array.from(g, Math.abs)), 15);
  });
  it('rejects invalid options', () => {
    expect(() => minimize(iris, 'gd', { learningRate: -1 })).toThrow(/learningRate/);
    expect(() => minimize(iris, 'minibatch', { batchSize: 0 })).toThrow(/batchSize/);
    expect(() => minimize(iris, 'lbfgs', {}, new Float64Array(3))).toThrow(/theta0/);
  });
});
