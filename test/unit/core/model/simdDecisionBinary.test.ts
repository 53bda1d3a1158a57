/**
 * The SIMD decision values (simdDecision.ts) against the JavaScript reference singleDecision: the same
 * sums in another order, so within 1e-12 of the row's magnitude b + Σ |w_j x_ij|, on rows read in place
 * in a shared WebAssembly memory and on rows copied block by block; and decisionOnPreprocessed's choice
 * of path by size. The evaluation built on either agrees to the same tolerance (its counts exactly).
 */
import { describe, expect, it } from 'vitest';
import { decisionValues, simdDecision } from '../../../../src/core/model/simdDecision';
import { decisionOnPreprocessed, singleDecision, type ModelJson } from '../../../../src/core/model/model';
import { sharedFloat64Memory, simdAvailable } from '../../../../src/core/model/simdKernels';
import { evaluateSplit } from '../../../../src/core/evaluate/evaluate';
import { Rng } from '../../../../src/core/random';

const TOL = 1e-12;

function rows(n: number, d: number, seed: number, shared: boolean): Float64Array {
  const rng = new Rng(seed);
  const X = new Float64Array(shared ? sharedFloat64Memory((n * d + 5) * 8)! : new ArrayBuffer((n * d + 5) * 8), 40, n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal() * (1 + (i % 4)) + (i % d === 1 ? 3 : 0);
  return X;
}

/** Largest |a_i - b_i| / (|b| + Σ_j |w_j x_ij|) over the rows. */
function worst(a: Float64Array, b: Float64Array, w: Float64Array, b0: number, X: Float64Array, d: number): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    let scale = Math.abs(b0);
    for (let j = 0; j < d; j++) scale += Math.abs(w[j] * X[i * d + j]);
    max = Math.max(max, Math.abs(a[i] - b[i]) / scale);
  }
  return max;
}

describe('simdDecision', () => {
  it('runs on this runtime', () => {
    expect(simdAvailable()).toBe(true);
  });
  for (const shared of [true, false]) {
    for (const [n, d] of [[1, 1], [3, 2], [1003, 7], [5000, 20], [2049, 33], [700, 500]] as const) {
      it(`agrees with singleDecision within 1e-12 (n ${n}, d ${d}, ${shared ? 'in a shared memory' : 'block by block'})`, () => {
        const rng = new Rng(n * 31 + d);
        const X = rows(n, d, n + d, shared);
        // w longer than d: only its first d entries are read (as singleDecision).
        const w = Float64Array.from({ length: d + 1 }, () => rng.normal());
        const b = rng.normal() * 2;
        const z = simdDecision(w, b, X, n, d)!;
        const reference = singleDecision(w, b, X, n, d);
        expect(z).toHaveLength(n);
        expect(worst(z, reference, w, b, X, d)).toBeLessThanOrEqual(TOL);
        // Not the same numbers by accident of the data: somewhere the order shows in the last bits, or all agree.
        expect(z.every((v) => Number.isFinite(v))).toBe(true);
      });
    }
  }

  it('decisionValues: SIMD from 200,000 products, decisionOnPreprocessed below (bit for bit)', () => {
    const d = 20;
    const rng = new Rng(5);
    const w = Array.from({ length: d }, () => rng.normal());
    const model = { kind: 'binary', featureNames: w.map((_, j) => `x${j}`), coefStandardized: [w], interceptStandardized: [0.3], threshold: 0.5 } as unknown as ModelJson;
    const small = rows(9999, d, 1, true);
    expect(Array.from(decisionValues(model, small, 9999))).toEqual(Array.from(decisionOnPreprocessed(model, small, 9999)));
    const large = rows(10000, d, 2, true);
    const simd = decisionValues(model, large, 10000);
    expect(Array.from(simd)).toEqual(Array.from(simdDecision(Float64Array.from(w), 0.3, large, 10000, d)!));
    expect(worst(simd, decisionOnPreprocessed(model, large, 10000), Float64Array.from(w), 0.3, large, d)).toBeLessThanOrEqual(TOL);
    // More than one output: decisionOnPreprocessed itself.
    const two = { ...model, kind: 'ovr', coefStandardized: [w, w.map((v) => -v)], interceptStandardized: [0.3, 0.1] } as unknown as ModelJson;
    expect(Array.from(decisionValues(two, large, 10000))).toEqual(Array.from(decisionOnPreprocessed(two, large, 10000)));
  });

  it('the evaluation of SIMD decision values matches that of the reference ones (counts exactly, the rest within 1e-12)', () => {
    const n = 20000;
    const d = 20;
    const rng = new Rng(9);
    const X = rows(n, d, 3, true);
    const w = Float64Array.from({ length: d }, () => rng.normal() * 0.3);
    const zRef = singleDecision(w, -0.2, X, n, d);
    const y = Int32Array.from(zRef, (z) => (rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0));
    const model = { kind: 'binary', coefStandardized: [Array.from(w)], threshold: 0.5 } as unknown as ModelJson;
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const ds = { y, classes: ['0', '1'] };
    const a = evaluateSplit('train', model, simdDecision(w, -0.2, X, n, d)!, all, ds).metrics!;
    const b = evaluateSplit('train', model, zRef, all, ds).metrics!;
    expect(a.confusion).toEqual(b.confusion);
    for (const key of ['accuracy', 'logLoss', 'brier', 'rocAuc', 'averagePrecision'] as const) {
      expect(Math.abs((a[key] as number) - (b[key] as number))).toBeLessThanOrEqual(TOL * Math.abs(b[key] as number));
    }
  });
});
