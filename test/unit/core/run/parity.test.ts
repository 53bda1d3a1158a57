/**
 * scikit-learn parity of the solvers: fixtures written by scripts/fixtures/solver_fixtures.py hold the
 * raw data and, per case, a Newton-polished optimum of scikit-learn's objective (C-sum form).
 * Bars: objective within 1e-10 relative; each coefficient and (centred) intercept within
 * 1e-6 · max(1, |reference|), i.e. 1e-6 absolute for small and 1e-6 relative for large values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { balancedClassWeights, LinearModelLoss, type Penalty } from '../../../../src/core/model/loss';
import { minimize } from '../../../../src/core/optimize/index';
import type { SolverName } from '../../../../src/core/optimize/types';

interface Case {
  name: string;
  standardize: boolean;
  penalty: Penalty;
  C: number;
  l1Ratio?: number;
  classWeight: 'none' | 'balanced';
  sampleWeight: number[] | null;
  reference: { coef: number[][]; intercept: number[]; objective: number; classWeights: number[] | null };
}
interface Dataset { dataset: string; n: number; d: number; nClasses: number; kind: 'binary' | 'multinomial'; X: number[]; y: number[]; cases: Case[] }

const dir = new URL('../../../fixtures/sklearn/solver/', import.meta.url);
const datasets: Dataset[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Dataset);

/** StandardScaler: mean and population standard deviation; a constant column keeps scale 1. */
function standardize(X: number[], n: number, d: number): Float64Array {
  const out = Float64Array.from(X);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += X[i * d + j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (X[i * d + j] - mean) ** 2;
    const scale = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) out[i * d + j] = (X[i * d + j] - mean) / scale;
  }
  return out;
}

function buildLoss(ds: Dataset, c: Case): LinearModelLoss {
  const y = Int32Array.from(ds.y);
  let sw: Float64Array | null = c.sampleWeight ? Float64Array.from(c.sampleWeight) : null;
  if (c.classWeight === 'balanced') {
    const cw = balancedClassWeights(y, ds.nClasses, sw);
    sw = Float64Array.from(ds.y, (k, i) => (c.sampleWeight ? c.sampleWeight[i] : 1) * cw[k]);
  }
  return new LinearModelLoss({
    X: c.standardize ? standardize(ds.X, ds.n, ds.d) : Float64Array.from(ds.X), n: ds.n, d: ds.d,
    kind: ds.kind, y, nClasses: ds.nClasses, sampleWeight: sw, penalty: c.penalty, C: c.C, l1Ratio: c.l1Ratio,
  });
}

/** Coefficient rows and intercepts, centred across classes for multinomial (coefficients too without a penalty). */
function unpack(theta: Float64Array, R: number, d: number, centreCoef: boolean): { coef: number[][]; intercept: number[] } {
  const coef: number[][] = [];
  const intercept: number[] = [];
  for (let k = 0; k < R; k++) {
    coef.push(Array.from(theta.subarray(k * (d + 1), k * (d + 1) + d)));
    intercept.push(theta[k * (d + 1) + d]);
  }
  if (R > 1) {
    const mb = intercept.reduce((a, b) => a + b, 0) / R;
    for (let k = 0; k < R; k++) intercept[k] -= mb;
    if (centreCoef) {
      for (let j = 0; j < d; j++) {
        let m = 0;
        for (let k = 0; k < R; k++) m += coef[k][j];
        for (let k = 0; k < R; k++) coef[k][j] -= m / R;
      }
    }
  }
  return { coef, intercept };
}

function maxScaledError(a: number[], b: number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

describe('scikit-learn parity (Newton-polished references)', () => {
  for (const ds of datasets) {
    for (const c of ds.cases) {
      const solvers: SolverName[] = c.penalty === 'l1' || c.penalty === 'elasticnet' ? ['lbfgs'] : ['lbfgs', 'newton'];
      for (const solver of solvers) {
        it(`${c.name} (${solver})`, () => {
          const loss = buildLoss(ds, c);
          if (c.reference.classWeights) {
            const cw = balancedClassWeights(Int32Array.from(ds.y), ds.nClasses);
            for (let k = 0; k < ds.nClasses; k++) expect(cw[k]).toBeCloseTo(c.reference.classWeights[k], 14);
          }
          const res = minimize(loss, solver, { tol: 1e-10, maxIter: 20000 });
          expect(res.converged, res.message).toBe(true);
          const objective = loss.sklearnObjective(res.theta);
          const relObjective = Math.abs(objective - c.reference.objective) / Math.abs(c.reference.objective);
          expect(relObjective).toBeLessThan(1e-10);
          const got = unpack(res.theta, loss.nCoefRows, ds.d, !loss.penalized);
          expect(maxScaledError(got.coef.flat(), c.reference.coef.flat())).toBeLessThan(1e-6);
          expect(maxScaledError(got.intercept, c.reference.intercept)).toBeLessThan(1e-6);
        });
      }
    }
  }
});
