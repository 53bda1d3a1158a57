import { describe, expect, it } from 'vitest';
import { fitPreprocessor, fitPreprocessorOnRows, takeScaledParts, takeScaledRows, transform, type Preprocessor } from '../../../../src/core/data/preprocess';
import { checkScaledRange } from '../../../../src/core/data/extremeValues';
import { stratifiedSplit, takeRows } from '../../../../src/core/data/split';
import type { DataError } from '../../../../src/core/diagnostics';
import { Rng } from '../../../../src/core/random';
import { expectSameBits, someRows } from './rowHelpers';

/**
 * The fast path of train.ts prepareRun (fitPreprocessorOnRows, then takeScaledRows per split) against
 * the general one (gather the rows with takeRows, fitPreprocessor, checkScaledRange, transform): the
 * same bits, and the same first value refused.
 */
function matrix(n: number, d: number, seed: number, missing = 0, extreme = 0): Float64Array {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) {
    const j = i % d;
    X[i] = (rng.next() - 0.5) * 10 ** (j % 5) + j * 1e6 * (j % 3 === 2 ? 1 : 0);
    if (rng.next() < missing) X[i] = NaN;
    if (rng.next() < extreme) X[i] = 1.5e308 * (rng.next() < 0.5 ? -1 : 1);
  }
  return X;
}

function expectSamePreprocessor(a: Preprocessor, b: Preprocessor): void {
  expectSameBits(a.imputeMean, b.imputeMean);
  expectSameBits(a.mean, b.mean);
  expectSameBits(a.scale, b.scale);
  expect(a.standardize).toBe(b.standardize);
}

describe('fitPreprocessorOnRows', () => {
  const cases: [string, number, number][] = [
    ['complete', 0, 0],
    ['with missing values', 0.05, 0],
    ['with values near 1.8e308 (refitted columns)', 0.02, 0.01],
  ];
  for (const [name, missing, extreme] of cases) {
    for (const standardize of [true, false]) {
      it(`fits the rows where they are as fitPreprocessor fits them gathered: ${name}, standardize ${standardize}`, () => {
        const n = 1000;
        const d = 7;
        const X = matrix(n, d, 3, missing, extreme);
        for (const rows of [someRows(n, 0.7, 1), Int32Array.from({ length: n }, (_, i) => i), Int32Array.from([5, 2, 2, 900, 17])]) {
          const general = fitPreprocessor(takeRows(X, d, rows), rows.length, d, standardize);
          expectSamePreprocessor(fitPreprocessorOnRows(X, d, rows, standardize), general);
        }
      });
    }
  }

  it('refuses a row outside the matrix', () => {
    expect(() => fitPreprocessorOnRows(new Float64Array(6), 2, Int32Array.from([0, 3]), true)).toThrow(RangeError);
  });
});

describe('takeScaledRows', () => {
  it('gathers, imputes and scales as takeRows then transform, into a new matrix or in place', () => {
    const n = 500;
    const d = 6;
    const X = matrix(n, d, 7, 0.05);
    const rows = someRows(n, 0.6, 2);
    const p = fitPreprocessorOnRows(X, d, rows, true);
    const general = transform(takeRows(X, d, rows), rows.length, d, p);
    const out = new Float64Array(rows.length * d);
    expect(takeScaledRows(X, d, rows, p, out)).toBe(-1);
    expectSameBits(out, general);
    const inPlace = X.slice();
    expect(takeScaledRows(inPlace, d, rows, p, inPlace)).toBe(-1);
    expectSameBits(inPlace.subarray(0, rows.length * d), general);
  });

  it('stops at the value checkScaledRange refuses, with its raw value still in X', () => {
    const n = 200;
    const d = 3;
    const X = matrix(n, d, 11);
    const rows = someRows(n, 0.5, 4);
    const p = fitPreprocessorOnRows(X, d, rows, false);
    // Two values no fit can use: the first in row order is the one reported.
    X[rows[40] * d + 2] = Infinity;
    X[rows[60] * d + 0] = 1e200;
    const raw = takeRows(X, d, rows);
    let message = '';
    try {
      checkScaledRange(raw, rows.length, d, p, ['a', 'b', 'c'], (i) => rows[i] + 2, 'f.csv');
    } catch (e) {
      message = (e as DataError).message;
    }
    expect(message).toContain("column 'c' has the value Infinity");
    for (const inPlace of [false, true]) {
      const Xc = X.slice();
      const bad = takeScaledRows(Xc, d, rows, p, inPlace ? Xc : new Float64Array(rows.length * d));
      expect(bad).toBe(40 * d + 2);
      expect(Xc[rows[Math.floor(bad / d)] * d + (bad % d)]).toBe(Infinity);
    }
  });
});

describe('takeScaledParts', () => {
  const n = 3000;
  const d = 5;
  const y = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
  const split = stratifiedSplit(y, 3, { testSize: 0.2, valSize: 0.1, seed: 6 });
  const sets = [split.train, split.validation, split.test];
  const part = new Int8Array(n).fill(-1);
  sets.forEach((rows, k) => rows.forEach((r) => (part[r] = k)));

  it('gives takeScaledRows of each split in one pass, the training rows in place', () => {
    const X = matrix(n, d, 21, 0.03);
    const p = fitPreprocessorOnRows(X, d, split.train, true);
    const expected = sets.map((rows) => {
      const out = new Float64Array(rows.length * d);
      expect(takeScaledRows(X, d, rows, p, out)).toBe(-1);
      return out;
    });
    const Xc = X.slice();
    const outs = [Xc, new Float64Array(split.validation.length * d), new Float64Array(split.test.length * d)];
    expect(takeScaledParts(Xc, d, part, outs, p)).toEqual([null, null, null]);
    expectSameBits(Xc.subarray(0, split.train.length * d), expected[0]);
    expectSameBits(outs[1], expected[1]);
    expectSameBits(outs[2], expected[2]);
  });

  it('reports, per split, the first value takeScaledRows stops at, with its raw value', () => {
    const X = matrix(n, d, 22);
    const p = fitPreprocessorOnRows(X, d, split.train, false);
    // Two refused values in each split: the first in row order is the one reported.
    for (const rows of sets) {
      X[rows[7] * d + 1] = -Infinity;
      X[rows[9] * d + 3] = 2e155;
    }
    const expected = sets.map((rows) => {
      const at = takeScaledRows(X, d, rows, p, new Float64Array(rows.length * d));
      return { at, value: X[rows[Math.floor(at / d)] * d + (at % d)] };
    });
    expect(expected.map((e) => e.at)).toEqual([7 * d + 1, 7 * d + 1, 7 * d + 1]);
    const Xc = X.slice();
    const outs = [Xc, new Float64Array(split.validation.length * d), new Float64Array(split.test.length * d)];
    expect(takeScaledParts(Xc, d, part, outs, p)).toEqual(expected);
  });
});
