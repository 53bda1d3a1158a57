import { describe, expect, it } from 'vitest';
import { decisionOnPreprocessed, multiDecision, type ModelJson } from '../../../../src/core/model/model';
import { decisionValues, SIMD_DECISION_MIN_WORK, simdMultiDecision } from '../../../../src/core/model/simdDecision';
import { sharedFloat64Memory, simdAvailable } from '../../../../src/core/model/simdKernels';
import { Rng } from '../../../../src/core/random';

/**
 * The multiclass decision values on the SIMD kernel (simdDecision.ts) against the JavaScript loop and
 * the plain loop z_ik = b_k + Σ_j x_ij w_kj summed in j order: the same bits (Object.is on every value),
 * for a matrix read in place from a shared WebAssembly memory and for one copied block by block, with
 * row tails (n not a multiple of 4 or of the block), an odd K (a padding class) and d = 1.
 */
function plainDecision(w: Float64Array, b: Float64Array, K: number, X: Float64Array, n: number, d: number): Float64Array {
  const z = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      let t = b[k];
      for (let j = 0; j < d; j++) t += w[k * d + j] * X[i * d + j];
      z[i * K + k] = t;
    }
  }
  return z;
}

function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('simdMultiDecision', () => {
  it('runs here (WebAssembly SIMD is available in the test runtime)', () => {
    expect(simdAvailable()).toBe(true);
  });

  const rng = new Rng(11);
  // Values over six decades so that the sums round differently in another order.
  const value = () => (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 6 - 3);
  for (const K of [2, 3, 7, 10, 11]) {
    for (const shared of [true, false]) {
      it(`equals the loops bit for bit: ${K} classes, X ${shared ? 'in a shared memory (in place)' : 'copied block by block'}`, () => {
        for (const [n, d] of [[1, 1], [5, 3], [37, 50], [1030, 7], [601, 50], [2053, 1]]) {
          const w = Float64Array.from({ length: K * d }, value);
          const b = Float64Array.from({ length: K }, value);
          const values = Float64Array.from({ length: n * d }, value);
          // An offset that is not a multiple of 16 bytes, as a split's rows may start anywhere.
          const X = shared ? new Float64Array(sharedFloat64Memory((n * d + 3) * 8)!, 24, n * d) : values;
          X.set(values);
          const fast = simdMultiDecision(w, b, K, X, n, d);
          expect(fast).not.toBeNull();
          const plain = plainDecision(w, b, K, values, n, d);
          expect(firstDifference(fast!, plain)).toBe(-1);
          expect(firstDifference(multiDecision(w, b, K, values, n, d), plain)).toBe(-1);
        }
      });
    }
  }

  it('can fail: a changed weight changes the values', () => {
    const n = 40;
    const d = 6;
    const K = 4;
    const w = Float64Array.from({ length: K * d }, value);
    const b = Float64Array.from({ length: K }, value);
    const X = Float64Array.from({ length: n * d }, value);
    const z = simdMultiDecision(w, b, K, X, n, d)!;
    w[5] += 1;
    expect(firstDifference(simdMultiDecision(w, b, K, X, n, d)!, z)).toBeGreaterThanOrEqual(0);
  });

  it('declines what it cannot compute (the loop runs instead)', () => {
    expect(simdMultiDecision(new Float64Array(3), new Float64Array(1), 1, new Float64Array(3), 1, 3)).toBeNull();
    expect(simdMultiDecision(new Float64Array(0), new Float64Array(2), 2, new Float64Array(0), 0, 0)).toBeNull();
  });

  // One output above SIMD_DECISION_MIN_WORK goes through `bscores`, equal to rounding only:
  // simdDecisionBinary.test.ts checks it.
  it('decisionValues is decisionOnPreprocessed bit for bit for several outputs, on the kernel above SIMD_DECISION_MIN_WORK and on the loops below', () => {
    for (const [K, n, d] of [[5, 4001, 13], [3, 9, 4], [1, 30, 70]]) {
      const coefStandardized = Array.from({ length: K }, () => Array.from({ length: d }, value));
      const model = { coefStandardized, interceptStandardized: Array.from({ length: K }, value), featureNames: Array.from({ length: d }, (_, j) => `x${j}`) } as unknown as ModelJson;
      const Xs = Float64Array.from({ length: n * d }, value);
      expect(n * d * K >= SIMD_DECISION_MIN_WORK).toBe(K === 5);
      expect(firstDifference(decisionValues(model, Xs, n), decisionOnPreprocessed(model, Xs, n))).toBe(-1);
    }
  });
});
