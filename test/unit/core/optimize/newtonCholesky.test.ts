/**
 * newton-cholesky against scikit-learn 1.2's own newton-cholesky (fixtures from
 * scripts/fixtures/newton_cholesky_fixtures.py): the same coefficients within 1e-6 and the same number
 * of Newton iterations when scikit-learn's absolute tol is given as Logit Lab's relative one, binary
 * with and without weights, penalty and intercept, one-hot data with rare levels, and iris one-vs-rest
 * (scikit-learn 1.2 fits more than two classes one-vs-rest with this solver). Multinomial (which
 * scikit-learn 1.2 refuses) reaches lbfgs's optimum; the loss pool gives the same fit; L1 is refused;
 * a singular Hessian hands over to lbfgs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LinearModelLoss } from '../../../../src/core/model/loss';
import { minimize } from '../../../../src/core/optimize/index';

interface Fixture {
  tol: number;
  n: number;
  d: number;
  X: number[];
  labels: number[][];
  sampleWeight: number[] | null;
  penalty: 'l2' | 'none';
  C: number;
  fitIntercept: boolean;
  outputs: { coef: number[]; intercept: number; nIter: number; startGradientNorm: number }[];
}

const dir = new URL('../../../fixtures/sklearn/newton_cholesky/', import.meta.url);
const names = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('newton-cholesky: scikit-learn parity', () => {
  it('has its fixtures', () => expect(names.length).toBeGreaterThanOrEqual(6));
  for (const name of names) {
    const fx = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Fixture;
    fx.outputs.forEach((ref, o) => {
      it(`${name.replace('.json', '')}${fx.outputs.length > 1 ? ` output ${o}` : ''}: coefficients within 1e-6, ${ref.nIter} iterations`, () => {
        for (const simd of [false, true]) {
          const loss = new LinearModelLoss({
            X: Float64Array.from(fx.X), n: fx.n, d: fx.d, kind: 'binary', y: Int32Array.from(fx.labels[o]), nClasses: 2,
            sampleWeight: fx.sampleWeight && Float64Array.from(fx.sampleWeight), fitIntercept: fx.fitIntercept, penalty: fx.penalty, C: fx.C, simd,
          });
          const g0 = new Float64Array(loss.nParams);
          loss.lossGradient(new Float64Array(loss.nParams), g0);
          expect(Math.max(...g0.map(Math.abs))).toBeCloseTo(ref.startGradientNorm, 12);
          const r = minimize(loss, 'newton-cholesky', { tol: fx.tol / ref.startGradientNorm, maxIter: 100 });
          expect(r.converged).toBe(true);
          expect(r.iterations).toBe(ref.nIter);
          for (let j = 0; j < fx.d; j++) expect(Math.abs(r.theta[j] - ref.coef[j]), `coef ${j}`).toBeLessThanOrEqual(1e-6);
          expect(Math.abs(r.theta[fx.d] - ref.intercept)).toBeLessThanOrEqual(1e-6);
        }
      });
    });
  }
});

interface SolverDataset { n: number; d: number; nClasses: number; kind: 'binary' | 'multinomial'; X: number[]; y: number[] }

function irisMultinomial(penalty: 'l2' | 'none'): LinearModelLoss {
  const ds = JSON.parse(readFileSync(new URL('../../../fixtures/sklearn/solver/iris.json', import.meta.url), 'utf8')) as SolverDataset;
  const { n, d } = ds;
  const X = Float64Array.from(ds.X);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += X[i * d + j] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i * d + j] - m) ** 2 / n;
    for (let i = 0; i < n; i++) X[i * d + j] = (X[i * d + j] - m) / Math.sqrt(v);
  }
  return new LinearModelLoss({ X, n, d, kind: 'multinomial', y: Int32Array.from(ds.y), nClasses: ds.nClasses, penalty, C: 1 });
}

describe('newton-cholesky beyond scikit-learn 1.2', () => {
  it('multinomial (full softmax Hessian) reaches the lbfgs optimum within 1e-6', () => {
    const loss = irisMultinomial('l2');
    const a = minimize(loss, 'lbfgs', { tol: 1e-10 });
    const b = minimize(loss, 'newton-cholesky', { tol: 1e-10 });
    expect(b.converged).toBe(true);
    expect(b.message).toBeUndefined();
    expect(b.iterations).toBeLessThan(15);
    const centred = (t: Float64Array) => {
      const out = t.slice();
      const s = loss.d + 1;
      const mean = (out[loss.d] + out[s + loss.d] + out[2 * s + loss.d]) / 3;
      for (let k = 0; k < 3; k++) out[k * s + loss.d] -= mean;
      return out;
    };
    const ta = centred(a.theta);
    const tb = centred(b.theta);
    for (let p = 0; p < ta.length; p++) expect(Math.abs(tb[p] - ta[p])).toBeLessThanOrEqual(1e-6);
  });

  it('refuses L1 and elastic net', () => {
    const loss = new LinearModelLoss({ X: Float64Array.of(1, 2, 3, 4), n: 4, d: 1, kind: 'binary', y: Int32Array.of(0, 1, 0, 1), nClasses: 2, penalty: 'l1', C: 1 });
    expect(() => minimize(loss, 'newton-cholesky')).toThrow(/newton-cholesky solver handles only L2/);
  });

  it('hands a singular Hessian over to lbfgs (two identical columns, no penalty), as scikit-learn does', () => {
    const n = 200;
    const X = new Float64Array(n * 2);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = Math.sin(i * 1.3) * 2;
      X[2 * i] = v;
      X[2 * i + 1] = v;
      y[i] = Math.cos(i * 0.7) + 0.6 * v > 0 ? 1 : 0;
    }
    const loss = new LinearModelLoss({ X, n, d: 2, kind: 'binary', y, nClasses: 2, penalty: 'none', C: 1 });
    const r = minimize(loss, 'newton-cholesky', { tol: 1e-8 });
    expect(r.message).toMatch(/handed over to lbfgs after 0 iterations: the Hessian is singular or ill-conditioned/);
    expect(r.converged).toBe(true);
    const ref = minimize(loss, 'lbfgs', { tol: 1e-8 });
    expect(Math.abs(r.objective - ref.objective)).toBeLessThanOrEqual(1e-12);
  });

  it('reports every iteration and stops when asked', () => {
    const loss = irisMultinomial('l2');
    const seen: number[] = [];
    const r = minimize(loss, 'newton-cholesky', { onIteration: (info) => (seen.push(info.iteration), info.iteration === 2) });
    expect(seen).toEqual([1, 2]);
    expect(r.stopReason).toBe('stopped');
  });
});
