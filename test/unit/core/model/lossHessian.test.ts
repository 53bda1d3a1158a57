/**
 * lossGradientHessian (the pass Newton-Cholesky takes) against lossGradient and the row-by-row dense
 * hessian(): binary on the JavaScript kernels and on the WebAssembly SIMD kernels (X copied or read in
 * place from a shared memory), odd d (1, 3, 7, 20) and n not a multiple of the blocks, with and without
 * sample weights (some zero) and intercept, every smooth penalty; multinomial through its fallback.
 * Bar: 1e-12 relative (value against |value|, gradient and Hessian against their largest entry).
 */
import { describe, expect, it } from 'vitest';
import { LinearModelLoss, type LossSpec, type Penalty } from '../../../../src/core/model/loss';
import { Rng } from '../../../../src/core/random';
import { sharedFloat64Memory, simdAvailable } from '../../../../src/core/model/simdKernels';

function spec(n: number, d: number, kind: 'binary' | 'multinomial', weights: boolean, fitIntercept: boolean, penalty: Penalty, seed = 1): LossSpec {
  const rng = new Rng(seed);
  const K = kind === 'binary' ? 2 : 3;
  const X = Float64Array.from({ length: n * d }, (_, i) => rng.normal() * (1 + (i % 3)) + (i % d) * 0.1);
  const y = Int32Array.from({ length: n }, () => rng.int(K));
  const sampleWeight = weights ? Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 0.2 + rng.next())) : null;
  return { X, n, d, kind, y, nClasses: K, sampleWeight, fitIntercept, penalty, C: 0.7 };
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

function expectSameAsReference(loss: LinearModelLoss, theta: Float64Array): void {
  const N = loss.nParams;
  const g = new Float64Array(N);
  const H = new Float64Array(N * N).fill(7);
  const f = loss.lossGradientHessian(theta, g, H);
  const gRef = new Float64Array(N);
  const fRef = loss.lossGradient(theta, gRef);
  const HRef = loss.hessian(theta);
  expect(Math.abs(f - fRef)).toBeLessThanOrEqual(1e-12 * Math.abs(fRef));
  const gs = maxAbs(gRef);
  for (let p = 0; p < N; p++) expect(Math.abs(g[p] - gRef[p])).toBeLessThanOrEqual(1e-12 * gs);
  const hs = maxAbs(HRef);
  for (let p = 0; p < N * N; p++) expect(Math.abs(H[p] - HRef[p]), `H[${p}]`).toBeLessThanOrEqual(1e-12 * hs);
}

describe('lossGradientHessian', () => {
  for (const simd of [false, true]) {
    if (simd && !simdAvailable()) continue;
    for (const d of [1, 3, 7, 20]) {
      for (const [weights, fitIntercept, penalty] of [[false, true, 'l2'], [true, true, 'none'], [true, false, 'l2'], [false, false, 'none']] as const) {
        it(`binary ${simd ? 'SIMD' : 'JavaScript'}, d=${d}, ${weights ? 'weights' : 'no weights'}, ${fitIntercept ? 'intercept' : 'no intercept'}, ${penalty}`, () => {
          const loss = new LinearModelLoss({ ...spec(1037, d, 'binary', weights, fitIntercept, penalty, d), simd });
          const rng = new Rng(9);
          for (let rep = 0; rep < 2; rep++) expectSameAsReference(loss, Float64Array.from({ length: loss.nParams }, () => 0.4 * rng.normal()));
        });
      }
    }
  }

  it('binary SIMD reading X in place from a shared WebAssembly memory', () => {
    if (!simdAvailable()) return;
    const base = spec(777, 9, 'binary', true, true, 'l2', 4);
    const buffer = sharedFloat64Memory(base.X.byteLength);
    if (!buffer) return;
    const X = new Float64Array(buffer, 0, base.X.length);
    X.set(base.X);
    const loss = new LinearModelLoss({ ...base, X, simd: true });
    expectSameAsReference(loss, Float64Array.from({ length: loss.nParams }, (_, p) => 0.1 * Math.sin(p + 1)));
  });

  it('a row shard (accumulateRowsHessian) adds exactly its rows', () => {
    const s = spec(500, 5, 'binary', true, true, 'l2', 6);
    const loss = new LinearModelLoss({ ...s, simd: false });
    const N = loss.nParams;
    const theta = Float64Array.from({ length: N }, (_, p) => 0.2 * Math.cos(p));
    const whole = { g: new Float64Array(N), H: new Float64Array(N * N) };
    const parts = { g: new Float64Array(N), H: new Float64Array(N * N) };
    const f = loss.accumulateRowsHessian(theta, 0, 500, whole.g, whole.H);
    const f2 = loss.accumulateRowsHessian(theta, 0, 123, parts.g, parts.H) + loss.accumulateRowsHessian(theta, 123, 500, parts.g, parts.H);
    expect(Math.abs(f2 - f)).toBeLessThanOrEqual(1e-12 * f);
    for (let p = 0; p < N * N; p++) expect(Math.abs(parts.H[p] - whole.H[p])).toBeLessThanOrEqual(1e-12 * maxAbs(whole.H));
  });

  it('multinomial: lossGradient and hessian()', () => {
    const loss = new LinearModelLoss(spec(301, 4, 'multinomial', true, true, 'l2', 2));
    expectSameAsReference(loss, Float64Array.from({ length: loss.nParams }, (_, p) => 0.3 * Math.sin(2 * p)));
  });
});
