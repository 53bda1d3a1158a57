/**
 * LinearModelLoss against finite differences and against independent formulas. Central differences with
 * h_j = cbrt(eps)·max(1, |θ_j|), at three random points; bar per component: relative error < 1e-6 with
 * the denominator floored at 1e-4 (F is O(1), and the rounding floor of a central difference, about
 * eps·|F|/h ≈ 4e-11, would otherwise dominate components near zero). Hessian entries: |H - FD| <
 * 1e-6·max(1, |FD|).
 */
import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../../../src/core/model/link';
import { balancedClassWeights, LinearModelLoss, type LossSpec, type Penalty } from '../../../../src/core/model/loss';
import { minimize } from '../../../../src/core/optimize/index';
import { Rng } from '../../../../src/core/random';

const H_STEP = Math.cbrt(Number.EPSILON);

function problem(kind: 'binary' | 'multinomial', opts: { weights?: boolean; fitIntercept?: boolean; penalty?: Penalty; C?: number; seed?: number; K?: number } = {}): LossSpec {
  const rng = new Rng(opts.seed ?? 1);
  const n = 40;
  const d = 4;
  const K = kind === 'binary' ? 2 : (opts.K ?? 3);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal() * (1 + (i % d));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = i < K ? i : rng.int(K);
  const sampleWeight = opts.weights ? Float64Array.from({ length: n }, () => 0.2 + 2.8 * rng.next()) : null;
  return { X, n, d, kind, y, nClasses: K, sampleWeight, fitIntercept: opts.fitIntercept ?? true, penalty: opts.penalty ?? 'l2', C: opts.C ?? 0.7, l1Ratio: 0.3 };
}

function randomTheta(loss: LinearModelLoss, rng: Rng): Float64Array {
  const t = Float64Array.from({ length: loss.nParams }, () => 0.5 * rng.normal());
  if (!loss.fitIntercept) for (let k = 0; k < loss.nCoefRows; k++) t[k * (loss.d + 1) + loss.d] = 0;
  return t;
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-4);
}

/** Central difference of f along coordinate j. */
function centralDiff(f: (t: Float64Array) => number, theta: Float64Array, j: number): number {
  const h = H_STEP * Math.max(1, Math.abs(theta[j]));
  const t = Float64Array.from(theta);
  t[j] = theta[j] + h;
  const fp = f(t);
  t[j] = theta[j] - h;
  const fm = f(t);
  return (fp - fm) / (2 * h);
}

const variants: { kind: 'binary' | 'multinomial'; weights: boolean; fitIntercept: boolean; penalty: Penalty }[] = [];
for (const kind of ['binary', 'multinomial'] as const)
  for (const weights of [false, true])
    for (const fitIntercept of [true, false])
      for (const penalty of ['l2', 'l1', 'elasticnet', 'none'] as const) variants.push({ kind, weights, fitIntercept, penalty });

describe('LinearModelLoss derivatives (finite differences)', () => {
  for (const v of variants) {
    const label = `${v.kind}, ${v.penalty}, ${v.weights ? 'weighted' : 'unweighted'}, ${v.fitIntercept ? 'intercept' : 'no intercept'}`;
    it(`gradient and Hessian: ${label}`, () => {
      const loss = new LinearModelLoss(problem(v.kind, v));
      const rng = new Rng(7);
      const N = loss.nParams;
      const g = new Float64Array(N);
      const gp = new Float64Array(N);
      const gm = new Float64Array(N);
      const hv = new Float64Array(N);
      for (let point = 0; point < 3; point++) {
        const theta = randomTheta(loss, rng);
        const f = loss.lossGradient(theta, g);
        expect(f).toBeCloseTo(loss.loss(theta), 13);
        const H = loss.hessian(theta);
        const prod = loss.hessianProduct(theta);
        for (let j = 0; j < N; j++) {
          expect(relErr(g[j], centralDiff((t) => loss.loss(t), theta, j))).toBeLessThan(1e-6);
          // The full objective away from the L1 kink: ∂F/∂θ_j = g_j + l1Strength·sign θ_j on the weights.
          const full = g[j] + (loss.penalizedMask[j] ? loss.l1Strength * Math.sign(theta[j]) : 0);
          expect(relErr(full, centralDiff((t) => loss.objective(t), theta, j))).toBeLessThan(1e-6);
          // Column j of the Hessian from differences of the gradient.
          const h = H_STEP * Math.max(1, Math.abs(theta[j]));
          const t = Float64Array.from(theta);
          t[j] += h;
          loss.lossGradient(t, gp);
          t[j] -= 2 * h;
          loss.lossGradient(t, gm);
          for (let i = 0; i < N; i++) {
            const fd = (gp[i] - gm[i]) / (2 * h);
            expect(Math.abs(H[i * N + j] - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
            expect(H[i * N + j]).toBe(H[j * N + i]);
          }
        }
        const u = randomTheta(loss, rng);
        prod(u, hv);
        for (let i = 0; i < N; i++) {
          let s = 0;
          for (let j = 0; j < N; j++) s += H[i * N + j] * u[j];
          expect(Math.abs(hv[i] - s)).toBeLessThan(1e-12 * Math.max(1, Math.abs(s)));
        }
      }
      if (!loss.fitIntercept) for (let k = 0; k < loss.nCoefRows; k++) expect(g[k * (loss.d + 1) + loss.d]).toBe(0);
    });
  }

  it('detects a wrong gradient (the check can fail)', () => {
    const loss = new LinearModelLoss(problem('binary'));
    const theta = randomTheta(loss, new Rng(3));
    const g = new Float64Array(loss.nParams);
    loss.lossGradient(theta, g);
    const wrong = (t: Float64Array) => loss.loss(t) + 1e-3 * t[1] * t[1];
    expect(relErr(g[1], centralDiff(wrong, theta, 1))).toBeGreaterThan(1e-6);
  });
});

describe('LinearModelLoss values', () => {
  it('equals mean BCE + (λ/2)||w||² with λ = 1/(C n), computed by hand', () => {
    const spec = problem('binary', { C: 0.3 });
    const loss = new LinearModelLoss(spec);
    const theta = randomTheta(loss, new Rng(5));
    let bce = 0;
    for (let i = 0; i < spec.n; i++) {
      let z = theta[spec.d];
      for (let j = 0; j < spec.d; j++) z += spec.X[i * spec.d + j] * theta[j];
      const p = sigmoid(z);
      bce -= spec.y[i] ? Math.log(p) : Math.log(1 - p);
    }
    let w2 = 0;
    for (let j = 0; j < spec.d; j++) w2 += theta[j] * theta[j];
    const lambda = 1 / (spec.C * spec.n);
    expect(loss.objective(theta)).toBeCloseTo(bce / spec.n + (lambda / 2) * w2, 13);
    expect(loss.sklearnObjective(theta)).toBeCloseTo(spec.C * bce + 0.5 * w2, 11);
  });

  it('weights rows by s_i and divides by S', () => {
    const spec = problem('multinomial', { weights: true, penalty: 'none' });
    const loss = new LinearModelLoss(spec);
    const theta = randomTheta(loss, new Rng(9));
    const p = loss.predictProba(theta, spec.X, spec.n);
    let sum = 0;
    let S = 0;
    for (let i = 0; i < spec.n; i++) {
      sum -= spec.sampleWeight![i] * Math.log(p[i * 3 + spec.y[i]]);
      S += spec.sampleWeight![i];
    }
    expect(loss.totalWeight).toBeCloseTo(S, 12);
    expect(loss.objective(theta)).toBeCloseTo(sum / S, 13);
    expect(loss.sklearnObjective(theta)).toBeCloseTo(sum, 11);
  });

  it('treats C = Infinity as no penalty and reports the L1 strength', () => {
    const a = new LinearModelLoss({ ...problem('binary'), C: Infinity });
    expect(a.l1Strength).toBe(0);
    expect(a.l2Strength).toBe(0);
    const b = new LinearModelLoss({ ...problem('binary'), penalty: 'elasticnet', l1Ratio: 0.25, C: 2 });
    expect(b.l1Strength).toBeCloseTo(0.25 / (40 * 2), 15);
    expect(b.l2Strength).toBeCloseTo(0.75 / (40 * 2), 15);
    expect(Array.from(b.penalizedMask)).toEqual([1, 1, 1, 1, 0]);
  });

  it('lossGradientBatch over all rows equals lossGradient; equal batches average to it', () => {
    for (const kind of ['binary', 'multinomial'] as const) {
      const loss = new LinearModelLoss(problem(kind, { weights: true, penalty: 'elasticnet' }));
      const theta = randomTheta(loss, new Rng(11));
      const N = loss.nParams;
      const g = new Float64Array(N);
      const gb = new Float64Array(N);
      const f = loss.lossGradient(theta, g);
      const rows = new Rng(2).shuffle(Int32Array.from({ length: loss.n }, (_, i) => i));
      expect(loss.lossGradientBatch(theta, rows, 0, loss.n, gb)).toBeCloseTo(f, 13);
      for (let j = 0; j < N; j++) expect(gb[j]).toBeCloseTo(g[j], 13);
      const avg = new Float64Array(N);
      let favg = 0;
      for (let start = 0; start < loss.n; start += 10) {
        favg += loss.lossGradientBatch(theta, rows, start, start + 10, gb) / 4;
        for (let j = 0; j < N; j++) avg[j] += gb[j] / 4;
      }
      expect(favg).toBeCloseTo(f, 13);
      for (let j = 0; j < N; j++) expect(avg[j]).toBeCloseTo(g[j], 13);
    }
  });

  it('rejects bad inputs with a message', () => {
    expect(() => new LinearModelLoss({ ...problem('binary'), C: 0 })).toThrow(/C must be positive/);
    expect(() => new LinearModelLoss({ ...problem('binary'), y: new Int32Array(40).fill(2) })).toThrow(/outside 0..1/);
    expect(() => new LinearModelLoss({ ...problem('binary'), sampleWeight: new Float64Array(40).fill(-1) })).toThrow(/sample weight/);
  });
});

describe('sklearnFromScaled: the objective after the fit from the solver\'s own last pass', () => {
  // The solver's F(θ) comes from lossGradient (the SIMD kernels where simd is true, another summation
  // order and exponentials within 1e-16); sklearnObjective from the reference path (rawPrediction and
  // the loss family). The run reports the first: it must agree with the second to 1e-12 relative.
  function larger(kind: 'binary' | 'multinomial', penalty: Penalty, weights: boolean): LossSpec {
    const rng = new Rng(7);
    const n = 3000;
    const d = 12;
    const K = kind === 'binary' ? 2 : 6;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const y = Int32Array.from({ length: n }, (_, i) => (i < K ? i : rng.int(K)));
    const sampleWeight = weights ? Float64Array.from({ length: n }, () => 0.2 + 2.8 * rng.next()) : null;
    return { X, n, d, kind, y, nClasses: K, sampleWeight, penalty, C: 0.5, l1Ratio: 0.4 };
  }
  for (const kind of ['binary', 'multinomial'] as const) {
    for (const penalty of ['l2', 'l1', 'elasticnet', 'none'] as const) {
      for (const simd of [true, false]) {
        it(`${kind}, ${penalty}, ${simd ? 'SIMD' : 'JavaScript'} kernels, weighted and not`, () => {
          for (const weights of [false, true]) {
            const loss = new LinearModelLoss({ ...larger(kind, penalty, weights), simd });
            for (const solver of penalty === 'l2' || penalty === 'none' ? (['lbfgs', 'newton-cholesky', 'gd'] as const) : (['lbfgs', 'gd'] as const)) {
              const result = minimize(loss, solver, { maxIter: 30, tol: 1e-10 });
              const reference = loss.sklearnObjective(result.theta);
              const fast = loss.sklearnFromScaled(result.objective);
              expect(Math.abs(fast - reference)).toBeLessThanOrEqual(1e-12 * Math.abs(reference));
              // Not the same number by construction: the reference is the penalized sum, not F.
              expect(reference).toBeGreaterThan(result.objective * 10);
            }
          }
        });
      }
    }
  }
});

describe('softmax structure', () => {
  it('is invariant to adding the same vector to every class', () => {
    const spec = problem('multinomial', { K: 4 });
    const loss = new LinearModelLoss(spec);
    const rng = new Rng(4);
    const theta = randomTheta(loss, rng);
    const shifted = Float64Array.from(theta);
    const u = Float64Array.from({ length: spec.d + 1 }, () => 3 * rng.normal());
    for (let k = 0; k < 4; k++) for (let j = 0; j <= spec.d; j++) shifted[k * (spec.d + 1) + j] += u[j];
    const p = loss.predictProba(theta, spec.X, spec.n);
    const q = loss.predictProba(shifted, spec.X, spec.n);
    for (let i = 0; i < p.length; i++) expect(q[i]).toBeCloseTo(p[i], 13);
  });

  it('with K = 2 is the sigmoid model on w = W_2 - W_1', () => {
    const spec = problem('binary', { penalty: 'none' });
    const multi = new LinearModelLoss({ ...spec, kind: 'multinomial', nClasses: 2 });
    const binary = new LinearModelLoss(spec);
    const theta = randomTheta(multi, new Rng(6));
    const m = spec.d + 1;
    const diff = Float64Array.from({ length: m }, (_, j) => theta[m + j] - theta[j]);
    const p = multi.predictProba(theta, spec.X, spec.n);
    const q = binary.predictProba(diff, spec.X, spec.n);
    for (let i = 0; i < p.length; i++) expect(q[i]).toBeCloseTo(p[i], 14);
    expect(binary.loss(diff)).toBeCloseTo(multi.loss(theta), 14);
  });

  it('with an L2 penalty, a symmetric 2-class softmax at C equals the binary model at 2C', () => {
    const spec = problem('binary', { weights: true, C: 0.05 });
    const multi = new LinearModelLoss({ ...spec, kind: 'multinomial', nClasses: 2 });
    const binary = new LinearModelLoss({ ...spec, C: 2 * spec.C });
    const a = minimize(multi, 'lbfgs', { tol: 1e-12 });
    const b = minimize(binary, 'lbfgs', { tol: 1e-12 });
    expect(a.converged && b.converged).toBe(true);
    const p = multi.predictProba(a.theta, spec.X, spec.n);
    const q = binary.predictProba(b.theta, spec.X, spec.n);
    for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - q[i])).toBeLessThan(1e-8);
    for (let j = 0; j < spec.d; j++) expect(b.theta[j]).toBeCloseTo(2 * a.theta[spec.d + 1 + j], 7);
  });
});

describe('predictions', () => {
  it('rawPrediction is X w + b and binary probabilities are [1 - p, p]', () => {
    const spec = problem('binary');
    const loss = new LinearModelLoss(spec);
    const theta = randomTheta(loss, new Rng(8));
    const z = loss.rawPrediction(theta, spec.X, spec.n);
    const p = loss.predictProba(theta, spec.X, spec.n);
    for (let i = 0; i < spec.n; i++) {
      let t = theta[spec.d];
      for (let j = 0; j < spec.d; j++) t += spec.X[i * spec.d + j] * theta[j];
      expect(z[i]).toBeCloseTo(t, 14);
      expect(p[2 * i + 1]).toBeCloseTo(sigmoid(t), 15);
      expect(p[2 * i] + p[2 * i + 1]).toBeCloseTo(1, 15);
    }
  });

  it('keeps tiny probabilities in the far tail', () => {
    const loss = new LinearModelLoss({ ...problem('binary'), X: new Float64Array(160).fill(0), n: 40 });
    const theta = new Float64Array([0, 0, 0, 0, -50]);
    const p = loss.predictProba(theta, new Float64Array(4), 1);
    expect(p[1] / Math.exp(-50)).toBeCloseTo(1, 12);
    expect(p[0]).toBe(1);
  });
});

describe('balancedClassWeights', () => {
  it('is n / (K · count_k), ignoring sample weights like scikit-learn', () => {
    const y = new Int32Array([0, 0, 0, 1, 2, 2]);
    const expected = [6 / 9, 6 / 3, 6 / 6];
    const w = balancedClassWeights(y, 3);
    const ws = balancedClassWeights(y, 3, new Float64Array([5, 1, 1, 1, 1, 1]));
    for (let k = 0; k < 3; k++) {
      expect(w[k]).toBeCloseTo(expected[k], 15);
      expect(ws[k]).toBe(w[k]);
    }
    expect(Array.from(balancedClassWeights(new Int32Array([0, 0]), 2))).toEqual([0.5, 0]);
  });
});
