import { describe, expect, it } from 'vitest';
import { coefToOriginal, fitPreprocessor, transform, transformInPlace } from '../../../../src/core/data/preprocess';
import { Rng } from '../../../../src/core/random';

/**
 * Expected values from Debian's scikit-learn 1.2 (/usr/bin/python3):
 *   Xi = SimpleImputer(strategy="mean").fit_transform(X); sc = StandardScaler().fit(Xi)
 * printed with repr(). Column 1 sits at 1e9 so a one-pass E[x^2] - E[x]^2 variance would be wrong;
 * column 2 is constant; columns 0 and 3 have a missing value.
 */
const X = Float64Array.from([
  1, 1e9 + 1, 5, 0.1,
  2, 1e9 + 2, 5, NaN,
  4, 1e9 + 3, 5, 0.3,
  NaN, 1e9 + 4, 5, 0.7,
  8, 1e9 + 5, 5, 0.2,
]);
const SK_IMPUTE = [3.75, 1000000003.0, 5.0, 0.325];
const SK_SCALE = [2.3979157616563596, 1.4142135623730951, 1.0, 0.20371548787463362];
const SK_TRANSFORMED = [
  [-1.1468292773139113, -1.414213562373095, 0.0, -1.104481560766086],
  [-0.7298004491997617, -0.7071067811865475, 0.0, 0.0],
  [0.10425720702853739, 0.0, 0.0, -0.1227201734184541],
  [0.0, 0.7071067811865475, 0.0, 1.8408026012768097],
  [1.7723725194851356, 1.414213562373095, 0.0, -0.61360086709227],
];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-12) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.max(1, Math.abs(expected[i]));
    expect(Math.abs(actual[i] - expected[i]), `entry ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  }
}

describe('fitPreprocessor', () => {
  it('matches SimpleImputer(mean) + StandardScaler', () => {
    const p = fitPreprocessor(X, 5, 4, true);
    expectClose(p.imputeMean, SK_IMPUTE);
    expectClose(p.mean, SK_IMPUTE);
    expectClose(p.scale, SK_SCALE);
    expect(p.standardize).toBe(true);
    expectClose(transform(X, 5, 4, p), SK_TRANSFORMED.flat());
  });

  it('transformInPlace overwrites its input with exactly what transform returns', () => {
    const p = fitPreprocessor(X, 5, 4, true);
    const expected = transform(X, 5, 4, p);
    const copy = X.slice();
    const out = transformInPlace(copy, 5, 4, p);
    expect(out).toBe(copy);
    expect(Array.from(out)).toEqual(Array.from(expected));
    expect(X.some((v) => Number.isNaN(v))).toBe(true); // transform left its input alone
  });

  it('gives scale 1 to a column constant up to rounding, as scikit-learn does', () => {
    // StandardScaler on 7 rows of [0.1, 3.3]: mean_ [0.09999999999999999, 3.3000000000000003], scale_ [1, 1].
    const C = new Float64Array(14);
    for (let i = 0; i < 7; i++) C.set([0.1, 3.3], 2 * i);
    const p = fitPreprocessor(C, 7, 2, true);
    expect(Array.from(p.mean)).toEqual([0.09999999999999999, 3.3000000000000003]);
    expect(Array.from(p.scale)).toEqual([1, 1]);
  });

  it('only imputes when not standardizing', () => {
    const p = fitPreprocessor(X, 5, 4, false);
    expectClose(p.imputeMean, SK_IMPUTE);
    expect(Array.from(p.mean)).toEqual([0, 0, 0, 0]);
    expect(Array.from(p.scale)).toEqual([1, 1, 1, 1]);
    const T = transform(X, 5, 4, p);
    expect(T[12]).toBe(3.75);
    expect(T[7]).toBe(0.325);
    expect(T[1]).toBe(1e9 + 1);
  });

  it('imputes 0 for a feature with no observed value', () => {
    const p = fitPreprocessor(Float64Array.from([NaN, 1, NaN, 3]), 2, 2, true);
    expect(Array.from(p.imputeMean)).toEqual([0, 2]);
    expect(Array.from(p.scale)).toEqual([1, 1]);
    expect(Array.from(transform(Float64Array.from([NaN, 1]), 1, 2, p))).toEqual([0, -1]);
  });

  it('fits many blocks of complete rows as the two-pass formula does, and starts over on a missing value', () => {
    // 1000 rows over 16 blocks of 64 plus a partial one; d = 7: a group of four columns and a partial group.
    const rng = new Rng(11);
    const n = 1000;
    const d = 7;
    const M = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      M[i * d] = rng.normal();
      M[i * d + 1] = 1e9 + rng.normal() * 1e-3; // a large offset with a small spread
      M[i * d + 2] = 0.1; // constant up to rounding
      M[i * d + 3] = i < 500 ? -3 + rng.next() : 40 + 2 * rng.next(); // drifts between blocks
      M[i * d + 4] = rng.normal() * 1e6;
      M[i * d + 5] = i % 2;
      M[i * d + 6] = rng.next() ** 8;
    }
    const reference = (A: Float64Array) => {
      const mean: number[] = [];
      const scale: number[] = [];
      for (let j = 0; j < d; j++) {
        let present = 0;
        let sum = 0;
        for (let i = 0; i < n; i++) {
          if (Number.isNaN(A[i * d + j])) continue;
          sum += A[i * d + j];
          present++;
        }
        const m = sum / present;
        let c = 0;
        let q = 0;
        for (let i = 0; i < n; i++) {
          const t = (Number.isNaN(A[i * d + j]) ? m : A[i * d + j]) - m;
          c += t;
          q += t * t;
        }
        const variance = (q - (c * c) / n) / n;
        mean.push(m);
        scale.push(variance <= n * Number.EPSILON * variance + (n * m * Number.EPSILON) ** 2 ? 1 : Math.sqrt(variance));
      }
      return { mean, scale };
    };
    const p = fitPreprocessor(M, n, d, true);
    const want = reference(M);
    expectClose(p.mean, want.mean, 1e-14);
    expectClose(p.imputeMean, want.mean, 1e-14);
    expectClose(p.scale, want.scale, 1e-11);
    expect(p.scale[2]).toBe(1);
    expect(p.scale[1]).toBeGreaterThan(9e-4);
    expect(p.scale[1]).toBeLessThan(1.1e-3);

    M[990 * d + 3] = NaN; // in the last block: the blocked fit gives up and the general fit imputes
    const q = fitPreprocessor(M, n, d, true);
    const withMissing = reference(M);
    expectClose(q.mean, withMissing.mean, 1e-14);
    expectClose(q.scale, withMissing.scale, 1e-11);
    expect(q.imputeMean[3]).toBe(q.mean[3]);
    expect(q.mean[3]).not.toBe(p.mean[3]);
  });

  it('does not modify its input and checks shapes', () => {
    const copy = X.slice();
    const p = fitPreprocessor(X, 5, 4, true);
    transform(X, 5, 4, p);
    expect(X).toEqual(copy);
    expect(() => fitPreprocessor(X, 4, 4, true)).toThrow(RangeError);
    expect(() => transform(X, 10, 2, p)).toThrow(RangeError);
  });
});

describe('coefToOriginal', () => {
  it('maps w and b by w/scale and b - sum(w*mean/scale)', () => {
    const p = { imputeMean: Float64Array.from([0, 0]), mean: Float64Array.from([2, -1]), scale: Float64Array.from([4, 0.5]), standardize: true };
    const { coef, intercept } = coefToOriginal(Float64Array.from([1, 3]), Float64Array.from([0.5]), 2, p);
    expect(Array.from(coef)).toEqual([0.25, 6]);
    expect(Array.from(intercept)).toEqual([0.5 - (0.5 + -6)]);
  });

  it('gives the same predictions on raw (imputed) rows as on standardized rows', () => {
    const n = 5;
    const d = 4;
    const K = 3;
    const p = fitPreprocessor(X, n, d, true);
    const Z = transform(X, n, d, p);
    const rng = new Rng(7);
    const coefStd = Float64Array.from({ length: K * d }, () => rng.normal());
    const interceptStd = Float64Array.from({ length: K }, () => rng.normal());
    const { coef, intercept } = coefToOriginal(coefStd, interceptStd, d, p);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        let zStd = interceptStd[k];
        let zRaw = intercept[k];
        for (let j = 0; j < d; j++) {
          const raw = Number.isNaN(X[i * d + j]) ? p.imputeMean[j] : X[i * d + j];
          zStd += coefStd[k * d + j] * Z[i * d + j];
          zRaw += coef[k * d + j] * raw;
        }
        // The 1e9 column makes zRaw a difference of large numbers: compare at that scale.
        expect(Math.abs(zRaw - zStd)).toBeLessThan(1e-6);
      }
    }
  });

  it('rejects a coefficient array of the wrong size', () => {
    const p = fitPreprocessor(X, 5, 4, true);
    expect(() => coefToOriginal(new Float64Array(7), new Float64Array(2), 4, p)).toThrow(RangeError);
  });
});
