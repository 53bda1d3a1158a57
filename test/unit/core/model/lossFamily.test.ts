/**
 * The loss families against scikit-learn 1.2.1's HalfBinomialLoss and HalfMultinomialLoss
 * (test/fixtures/sklearn/loss/family.json, scripts/fixtures/loss_family_fixtures.py), including raw
 * predictions of ±700 and ±800, and the LinearModelLoss kernels against the families' rows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LinearModelLoss } from '../../../../src/core/model/loss';
import {
  binomial, cappedRowLoss, lossFamilyOf, MAX_ROW_LOSS, multinomial, predictRowFromProba, probaRowLogLoss,
} from '../../../../src/core/model/lossFamily';
import { Rng } from '../../../../src/core/random';

interface Case { raw: number[] | number[][]; y: number[]; loss: number[]; gradient: number[] | number[][]; proba: number[][] }
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/sklearn/loss/family.json', import.meta.url), 'utf8')) as {
  binomial: Case;
  multinomial: Case & { K: number };
};

/**
 * |a - b| ≤ 1e-12 |b| + 2 ulp(1): scikit-learn's binomial predict_proba takes 1 - σ(z), exact to an
 * absolute 1e-16 only (lossFamily computes the small one directly: see the tail test below).
 */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.abs(b) + 2 * Number.EPSILON;
}

/**
 * A loss value: scikit-learn computes log(1 + e^z) - y z, which cancels to an absolute error of a few
 * ulp of |z| when y = 1 and z ≫ 0 (lossFamily's log1p(e^{-z}) keeps the relative precision).
 */
function closeLoss(a: number, b: number, raw: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.abs(b) + 4 * Number.EPSILON * Math.max(1, Math.abs(raw));
}

describe('binomial family = HalfBinomialLoss', () => {
  const { raw, y, loss, gradient, proba } = fixture.binomial as { raw: number[]; y: number[]; loss: number[]; gradient: number[]; proba: number[][] };
  const z = Float64Array.from(raw);
  it('keeps the small probability of a large |z| (e^-700, not 1 - 1)', () => {
    const p = binomial.rawToProba([700, -30], 2, 2);
    expect(p[0] / Math.exp(-700)).toBeCloseTo(1, 14);
    expect(p[3] / (Math.exp(-30) / (1 + Math.exp(-30)))).toBeCloseTo(1, 14);
  });
  it('rawToProba, rowLoss and rowResidual', () => {
    const p = binomial.rawToProba(z, z.length, 2);
    const r = new Float64Array(1);
    for (let i = 0; i < z.length; i++) {
      expect(close(p[2 * i], proba[i][0]) && close(p[2 * i + 1], proba[i][1]), `proba of raw ${raw[i]}`).toBe(true);
      expect(closeLoss(binomial.rowLoss(z, i, 2, y[i]), loss[i], raw[i]), `loss of raw ${raw[i]}, y ${y[i]}`).toBe(true);
      binomial.rowResidual(z, i, 2, y[i], r, 0);
      expect(close(r[0], gradient[i]), `gradient of raw ${raw[i]}`).toBe(true);
    }
  });
});

describe('multinomial family = HalfMultinomialLoss', () => {
  const { K, raw, y, loss, gradient, proba } = fixture.multinomial as { K: number; raw: number[][]; y: number[]; loss: number[]; gradient: number[][]; proba: number[][] };
  const z = Float64Array.from(raw.flat());
  const n = raw.length;
  it('rawToProba, rowLoss and rowResidual', () => {
    const p = multinomial.rawToProba(z, n, K);
    const r = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      expect(multinomial.rawWidth(K)).toBe(K);
      for (let k = 0; k < K; k++) expect(close(p[i * K + k], proba[i][k]), `proba row ${i} class ${k}`).toBe(true);
      expect(closeLoss(multinomial.rowLoss(z, i * K, K, y[i]), loss[i], Math.max(...raw[i].map(Math.abs))), `loss row ${i}`).toBe(true);
      multinomial.rowResidual(z, i * K, K, y[i], r, 0);
      for (let k = 0; k < K; k++) expect(close(r[k], gradient[i][k]), `gradient row ${i} class ${k}`).toBe(true);
    }
  });
});

describe('predictions and capped losses', () => {
  it('predictRowFromProba: threshold for two classes, first argmax otherwise', () => {
    const p = [0.5, 0.5, 0.2, 0.8, 0.3, 0.3, 0.4];
    expect(predictRowFromProba(p, 0, 2)).toBe(0); // argmax tie: the first class, as numpy
    expect(predictRowFromProba(p, 0, 2, 0.5)).toBe(1); // at the threshold: positive
    expect(predictRowFromProba(p, 2, 2, 0.9)).toBe(0);
    expect(predictRowFromProba(p, 4, 3)).toBe(2);
  });
  it('cappedRowLoss floors the probability at 1e-300; probaRowLogLoss clips at 1e-15 as log_loss', () => {
    expect(cappedRowLoss(binomial, [800], 0, 2, 0)).toBe(MAX_ROW_LOSS);
    expect(cappedRowLoss(binomial, [-2], 0, 2, 0)).toBeCloseTo(Math.log1p(Math.exp(-2)), 15);
    expect(probaRowLogLoss([1, 0], 0, 2, 1)).toBeCloseTo(-Math.log(1e-15 / (1 - 1e-15 + 1e-15)), 10);
  });
});

describe('LinearModelLoss kernels = the family, row by row', () => {
  for (const kind of ['binary', 'multinomial'] as const) {
    it(kind, () => {
      const rng = new Rng(5);
      const n = 600;
      const d = 7;
      const K = kind === 'binary' ? 2 : 4;
      const X = Float64Array.from({ length: n * d }, () => rng.normal());
      const y = Int32Array.from({ length: n }, (_, i) => (i < K ? i : rng.int(K)));
      const sampleWeight = Float64Array.from({ length: n }, () => 0.5 + rng.next());
      for (const simd of [false, true]) {
        const loss = new LinearModelLoss({ X, n, d, kind, y, nClasses: K, sampleWeight, penalty: 'none', C: Infinity, simd });
        const theta = Float64Array.from({ length: loss.nParams }, () => rng.normal());
        const grad = new Float64Array(loss.nParams);
        const f = loss.lossGradient(theta, grad);
        const family = lossFamilyOf(kind);
        const R = family.rawWidth(K);
        const z = loss.rawPrediction(theta, X, n);
        const r = new Float64Array(R);
        const ref = new Float64Array(loss.nParams);
        let sum = 0;
        for (let i = 0; i < n; i++) {
          sum += sampleWeight[i] * family.rowLoss(z, i * R, K, y[i]);
          family.rowResidual(z, i * R, K, y[i], r, 0);
          for (let k = 0; k < R; k++) {
            const g = (sampleWeight[i] * r[k]) / loss.totalWeight;
            for (let j = 0; j < d; j++) ref[k * (d + 1) + j] += g * X[i * d + j];
            ref[k * (d + 1) + d] += g;
          }
        }
        expect(Math.abs(f - sum / loss.totalWeight), `loss, simd ${simd}`).toBeLessThan(1e-12);
        for (let p = 0; p < loss.nParams; p++) expect(Math.abs(grad[p] - ref[p]), `gradient ${p}, simd ${simd}`).toBeLessThan(1e-12);
      }
    });
  }
});
