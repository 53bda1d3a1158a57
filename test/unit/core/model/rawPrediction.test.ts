import { describe, expect, it } from 'vitest';
import { LinearModelLoss } from '../../../../src/core/model/loss';
import { Rng } from '../../../../src/core/random';

/**
 * LinearModelLoss.rawPrediction (four rows or four outputs at a time) against the plain loop it
 * replaces, z_ik = b_k + Σ_j x_ij w_kj summed in j order: the same bits, as the validation loss of
 * every iteration and the after-fit objective depend on them.
 */
function plainRawPrediction(theta: Float64Array, X: Float64Array, n: number, d: number, R: number, fitIntercept: boolean): Float64Array {
  const z = new Float64Array(n * R);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < R; k++) {
      let t = fitIntercept ? theta[k * (d + 1) + d] : 0;
      for (let j = 0; j < d; j++) t += X[i * d + j] * theta[k * (d + 1) + j];
      z[i * R + k] = t;
    }
  }
  return z;
}

describe('rawPrediction', () => {
  const rng = new Rng(5);
  for (const [kind, K] of [['binary', 2], ['multinomial', 2], ['multinomial', 3], ['multinomial', 7], ['multinomial', 10]] as const) {
    for (const fitIntercept of [true, false]) {
      it(`equals the plain loop bit for bit: ${kind}, ${K} classes, intercept ${fitIntercept}`, () => {
        for (const [n, d] of [[1, 1], [3, 2], [10, 5], [103, 20], [57, 50]]) {
          const X = Float64Array.from({ length: n * d }, () => (rng.next() - 0.5) * 10 ** Math.floor(rng.next() * 6 - 3));
          const y = Int32Array.from({ length: n }, (_, i) => i % K);
          const loss = new LinearModelLoss({ X, n, d, kind, y, nClasses: K, sampleWeight: null, fitIntercept, penalty: 'l2', C: 1 });
          const theta = Float64Array.from({ length: loss.nParams }, () => (rng.next() - 0.5) * 3);
          const z = loss.rawPrediction(theta, X, n);
          const expected = plainRawPrediction(theta, X, n, d, loss.nCoefRows, fitIntercept);
          expect(z.length).toBe(expected.length);
          const differing = Array.from(z).findIndex((v, i) => !Object.is(v, expected[i]));
          expect(differing).toBe(-1);
        }
      });
    }
  }
});
