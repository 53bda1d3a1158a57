import { describe, expect, it } from 'vitest';
import { fitPreprocessorOnRows, jsColumnSums, scaledPartsFrom, takeScaledParts, type Preprocessor, type RefusedValue } from '../../../../src/core/data/preprocess';
import { simdColumnSums, simdScaledParts } from '../../../../src/core/data/preprocessSimd';
import { sharedFloat64Memory, simdAvailable } from '../../../../src/core/model/simdKernels';
import { Rng } from '../../../../src/core/random';
import { expectSameBits, someRows } from './rowHelpers';

/**
 * The scaler's sums and the standardization on the WebAssembly SIMD kernels (preprocessSimd.ts, for a
 * matrix in a shared WebAssembly memory) against preprocess.ts's JavaScript loops: the same bits.
 */

/** A copy of X inside a registered shared WebAssembly memory (as the fast parse makes it). */
function shared(X: Float64Array): Float64Array {
  const buffer = sharedFloat64Memory(X.length * 8);
  if (buffer === null) throw new Error('no shared WebAssembly memory here');
  const S = new Float64Array(buffer, 0, X.length);
  S.set(X);
  return S;
}

/** Columns of every kind: small, large offsets (1e6 .. 1e12 with small spread), wide ranges; NaN, ±inf and huge values at the given rates. */
function matrix(n: number, d: number, seed: number, rates: { missing?: number; inf?: number; huge?: number } = {}): Float64Array {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) {
    const j = i % d;
    const kind = j % 4;
    const u = rng.next() - 0.5;
    X[i] = kind === 0 ? u : kind === 1 ? 10 ** (6 + (j % 7)) + u : kind === 2 ? u * 10 ** (j % 9) : Math.round(u * 6);
    const e = rng.next();
    if (e < (rates.missing ?? 0)) X[i] = NaN;
    else if (e < (rates.missing ?? 0) + (rates.inf ?? 0)) X[i] = rng.next() < 0.5 ? Infinity : -Infinity;
    else if (e < (rates.missing ?? 0) + (rates.inf ?? 0) + (rates.huge ?? 0)) X[i] = 1.5e308 * (rng.next() < 0.5 ? -1 : 1);
  }
  return X;
}

const widths = [1, 2, 3, 4, 5, 6, 7, 8, 20, 21, 23, 50];

describe.runIf(simdAvailable())('simdColumnSums', () => {
  it('gives jsColumnSums bit for bit: sums, centered sums and squares, every column count, subsets of rows', () => {
    for (const d of widths) {
      const n = 1000 + 37 * d;
      const X = matrix(n, d, d);
      const S = shared(X);
      for (const rows of [null, someRows(n, 0.7, d), Int32Array.from([3, 3, n - 1, 0])]) {
        const m = rows === null ? n : rows.length;
        const js = new Float64Array(d);
        const simd = new Float64Array(d);
        expect(jsColumnSums(X, rows, m, d, null, js, null)).toBe(true);
        expect(simdColumnSums(S, rows, m, d, null, simd, null)).toBe(true);
        expectSameBits(simd, js);
        const center = js.map((v) => v / m);
        const [jsSum, jsSq, simdSum, simdSq] = [0, 1, 2, 3].map(() => new Float64Array(d));
        jsColumnSums(X, rows, m, d, center, jsSum, jsSq);
        expect(simdColumnSums(S, rows, m, d, center, simdSum, simdSq)).toBe(true);
        expectSameBits(simdSum, jsSum);
        expectSameBits(simdSq, jsSq);
      }
    }
  });

  it('answers false exactly where jsColumnSums does: NaN, +inf beside -inf in a group, overflowing sums', () => {
    for (const d of [3, 4, 5, 8, 21]) {
      const n = 700;
      for (const [name, rates] of [['missing', { missing: 0.0005 }], ['inf', { inf: 0.002 }], ['huge', { huge: 0.01 }], ['none', {}]] as const) {
        const X = matrix(n, d, 5 + d, rates);
        const S = shared(X);
        const js = new Float64Array(d);
        const jsOk = jsColumnSums(X, null, n, d, null, js, null);
        const simd = new Float64Array(d);
        expect([name, d, simdColumnSums(S, null, n, d, null, simd, null)]).toEqual([name, d, jsOk]);
        if (jsOk) expectSameBits(simd, js);
      }
      // +inf in one column and -inf in another of the same group of four: a NaN group sum, no NaN value.
      const X = matrix(n, d, 9);
      X[10 * d] = Infinity;
      X[20 * d + (d > 1 ? 1 : 0)] = -Infinity;
      expect(simdColumnSums(shared(X), null, n, d, null, new Float64Array(d), null)).toBe(jsColumnSums(X, null, n, d, null, new Float64Array(d), null));
    }
  });

  it('declines a matrix outside a shared WebAssembly memory', () => {
    expect(simdColumnSums(new Float64Array(40), null, 10, 4, null, new Float64Array(4), null)).toBeNull();
  });

  it('fits the same preprocessor on a shared matrix as on a plain one', () => {
    for (const [d, rates] of [[20, {}], [7, { missing: 0.05 }], [9, { huge: 0.01 }]] as const) {
      const n = 5000;
      const X = matrix(n, d, 40 + d, rates);
      const rows = someRows(n, 0.7, 3);
      const a = fitPreprocessorOnRows(X, d, rows, true);
      const b = fitPreprocessorOnRows(shared(X), d, rows, true);
      for (const key of ['imputeMean', 'mean', 'scale'] as const) expectSameBits(b[key], a[key]);
    }
  });
});

/** takeScaledParts in JavaScript alone (the reference loop from the start). */
function jsParts(X: Float64Array, d: number, part: Int8Array, outs: Float64Array[], p: Preprocessor): (RefusedValue | null)[] {
  const refused: (RefusedValue | null)[] = outs.map(() => null);
  scaledPartsFrom(X, d, part, outs, p, refused, new Int32Array(outs.length), 0, 0);
  return refused;
}

/** part[] of a random split (-1 for rows in none), and each set's row count. */
function randomParts(n: number, seed: number, shares: number[]): { part: Int8Array; counts: number[] } {
  const rng = new Rng(seed);
  const part = new Int8Array(n);
  const counts = shares.map(() => 0);
  for (let r = 0; r < n; r++) {
    let u = rng.next();
    let s = 0;
    while (s < shares.length && u >= shares[s]) u -= shares[s++];
    part[r] = s < shares.length ? s : -1;
    if (s < shares.length) counts[s]++;
  }
  return { part, counts };
}

/** takeScaledParts on a shared copy of X (the first set in place) against the reference on a plain copy: outputs, X and refusals. */
function compareParts(X: Float64Array, d: number, part: Int8Array, counts: number[], p: Preprocessor): (RefusedValue | null)[] {
  const plain = X.slice();
  const expectedOuts = [plain, ...counts.slice(1).map((c) => new Float64Array(c * d))];
  const expected = jsParts(plain, d, part, expectedOuts, p);
  const S = shared(X);
  const outs = [S, ...counts.slice(1).map((c) => new Float64Array(c * d))];
  const got = takeScaledParts(S, d, part, outs, p);
  expect(got).toEqual(expected);
  expectSameBits(S, plain);
  for (let s = 1; s < counts.length; s++) expectSameBits(outs[s], expectedOuts[s]);
  // The kernels did the work (all of it when nothing is refused), not the JavaScript loop alone.
  const again = shared(X);
  const fill = new Int32Array(counts.length);
  const [row] = simdScaledParts(again, d, part, [again, ...counts.slice(1).map((c) => new Float64Array(c * d))], p, fill);
  if (expected.every((e) => e === null)) expect([row, ...fill]).toEqual([part.length, ...counts]);
  else expect(row).toBeLessThan(part.length);
  return got;
}

describe.runIf(simdAvailable())('takeScaledParts on the SIMD kernels', () => {
  it('scales every split as the JavaScript loop does, the first in place: every column count, missing values', () => {
    for (const d of widths) {
      const n = 9000 + 13 * d;
      const X = matrix(n, d, 60 + d, { missing: 0.02 });
      const { part, counts } = randomParts(n, d, [0.7, 0.1, 0.2]);
      const p = fitPreprocessorOnRows(X, d, Int32Array.from(part.keys()).filter((r) => part[r] === 0), true);
      expect(compareParts(X, d, part, counts, p)).toEqual([null, null, null]);
    }
  });

  it('scales without a split (every row in place) and with rows in no set', () => {
    const d = 20;
    const n = 20000;
    const X = matrix(n, d, 3);
    const all = randomParts(n, 1, [1]);
    const p = fitPreprocessorOnRows(X, d, Int32Array.from({ length: n }, (_, i) => i), true);
    compareParts(X, d, all.part, all.counts, p);
    const some = randomParts(n, 2, [0.5, 0.2]);
    compareParts(X, d, some.part, some.counts, p);
  });

  it('reports the first refused value of each split, its raw value, and writes the rest as the JavaScript loop does', () => {
    for (const d of [1, 2, 5, 20, 21]) {
      const n = 30000;
      const X = matrix(n, d, 80 + d);
      const { part, counts } = randomParts(n, 7 + d, [0.7, 0.1, 0.2]);
      const p = fitPreprocessorOnRows(X, d, Int32Array.from(part.keys()).filter((r) => part[r] === 0), false);
      // Refused values in every set, early and late, in either lane of a pair and in an odd last column.
      const bad = [Infinity, -Infinity, NaN, 2e155, -3e170];
      const rng = new Rng(d);
      for (let k = 0; k < 12; k++) {
        const r = Math.floor(rng.next() * n);
        X[r * d + Math.floor(rng.next() * d)] = bad[k % bad.length];
      }
      X[(n - 1) * d + d - 1] = Infinity;
      const got = compareParts(X, d, part, counts, p);
      expect(got.some((g) => g !== null)).toBe(true);
    }
  });

  it('refuses NaN where the imputation mean is NaN, and in the first row written in place', () => {
    const d = 4;
    const n = 3000;
    const X = matrix(n, d, 5);
    const { part, counts } = randomParts(n, 3, [1]);
    const p = fitPreprocessorOnRows(X, d, Int32Array.from({ length: n }, (_, i) => i), false);
    X[1] = Infinity;
    X[2] = -Infinity;
    compareParts(X, d, part, counts, p);
  });

  it('hands over the whole run where the kernels cannot run (a plain matrix)', () => {
    const fill = new Int32Array(1);
    const X = new Float64Array(12);
    const p = { imputeMean: new Float64Array(3), mean: new Float64Array(3), scale: new Float64Array(3).fill(1), standardize: true };
    expect(simdScaledParts(X, 3, new Int8Array(4), [X], p, fill)).toEqual([0, 0]);
  });
});
