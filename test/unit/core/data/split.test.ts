import { describe, expect, it } from 'vitest';
import { isStrictlyAscending, stratifiedSplit, takeInt, takeRows } from '../../../../src/core/data/split';
import { takeScaledRows } from '../../../../src/core/data/preprocess';

/** y with `counts[k]` rows of class k, interleaved so classes are not in blocks. */
function labels(counts: number[]): Int32Array {
  const y: number[] = [];
  const left = counts.slice();
  while (left.some((c) => c > 0)) {
    for (let k = 0; k < left.length; k++) {
      if (left[k] > 0) {
        y.push(k);
        left[k]--;
      }
    }
  }
  return Int32Array.from(y);
}

function classCounts(y: Int32Array, rows: Int32Array, K: number): number[] {
  const c = new Array<number>(K).fill(0);
  for (const r of rows) c[y[r]]++;
  return c;
}

function isSorted(a: Int32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1] >= a[i]) return false;
  return true;
}

describe('stratifiedSplit', () => {
  it('allocates each part in proportion to the classes', () => {
    const y = labels([50, 30, 20]);
    const s = stratifiedSplit(y, 3, { testSize: 0.2, valSize: 0.1, seed: 1 });
    expect(classCounts(y, s.test, 3)).toEqual([10, 6, 4]);
    expect(classCounts(y, s.validation, 3)).toEqual([5, 3, 2]);
    expect(classCounts(y, s.train, 3)).toEqual([35, 21, 14]);
  });

  it('returns sorted, disjoint parts covering every row', () => {
    const y = labels([13, 9, 4]);
    const s = stratifiedSplit(y, 3, { testSize: 0.25, valSize: 0.15, seed: 3 });
    for (const part of [s.train, s.validation, s.test]) expect(isSorted(part)).toBe(true);
    const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: y.length }, (_, i) => i));
    expect(s.test.length).toBe(Math.round(0.25 * 26));
    expect(s.validation.length).toBe(Math.round(0.15 * 26));
  });

  it('shares the remainder by largest remainder', () => {
    // 3 x 7 rows, testSize 0.5: 11 test rows (round(10.5)); ideal 3.5 each -> 4, 4, 3.
    const y = labels([7, 7, 7]);
    const s = stratifiedSplit(y, 3, { testSize: 0.5, valSize: 0, seed: 0 });
    expect(classCounts(y, s.test, 3)).toEqual([4, 4, 3]);
    // 10 + 3 rows, testSize 0.3: 4 test rows; ideal 3 and 0.9 -> 3 and 1.
    const y2 = labels([10, 3]);
    expect(classCounts(y2, stratifiedSplit(y2, 2, { testSize: 0.3, valSize: 0, seed: 0 }).test, 2)).toEqual([3, 1]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const y = labels([40, 40]);
    const opts = { testSize: 0.25, valSize: 0.25, seed: 42 };
    const a = stratifiedSplit(y, 2, opts);
    const b = stratifiedSplit(y, 2, opts);
    expect(a).toEqual(b);
    const c = stratifiedSplit(y, 2, { ...opts, seed: 43 });
    expect(Array.from(c.test)).not.toEqual(Array.from(a.test));
  });

  it('puts every row in train when both sizes are 0', () => {
    const y = labels([3, 2]);
    const s = stratifiedSplit(y, 2, { testSize: 0, valSize: 0, seed: 0 });
    expect(Array.from(s.train)).toEqual([0, 1, 2, 3, 4]);
    expect(s.test.length).toBe(0);
    expect(s.validation.length).toBe(0);
  });

  it('keeps a one-row class in train and at least one row of every class in train', () => {
    const y = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2]);
    const s = stratifiedSplit(y, 3, { testSize: 0.3, valSize: 0.3, seed: 5 });
    const train = classCounts(y, s.train, 3);
    expect(train[1]).toBe(1);
    expect(train[2]).toBeGreaterThanOrEqual(1);
    expect(train[0]).toBeGreaterThanOrEqual(1);
    expect(s.test.length).toBe(3);
    expect(s.validation.length).toBe(3);
  });

  it('splits unstratified data given y = zeros', () => {
    const s = stratifiedSplit(new Int32Array(10), 1, { testSize: 0.2, valSize: 0.2, seed: 9 });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([6, 2, 2]);
  });

  it('rejects bad fractions and class indices', () => {
    const y = labels([5, 5]);
    expect(() => stratifiedSplit(y, 2, { testSize: 0.6, valSize: 0.4, seed: 0 })).toThrow(RangeError);
    expect(() => stratifiedSplit(y, 2, { testSize: -0.1, valSize: 0, seed: 0 })).toThrow(RangeError);
    expect(() => stratifiedSplit(y, 1, { testSize: 0.2, valSize: 0, seed: 0 })).toThrow(/class index 1/);
  });
});

describe('takeRows / takeInt', () => {
  it('gathers rows into new arrays', () => {
    const X = Float64Array.from([1, 2, 3, 4, 5, 6]);
    expect(Array.from(takeRows(X, 2, Int32Array.from([2, 0])))).toEqual([5, 6, 1, 2]);
    expect(Array.from(takeInt(Int32Array.from([7, 8, 9]), Int32Array.from([1, 1, 2])))).toEqual([8, 8, 9]);
    expect(Array.from(X)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('takeScaledRows in place', () => {
  it('gives takeRows of the same rows, inside X, for each split of a stratified split (identity scaling)', () => {
    const n = 1000;
    const d = 3;
    const X = Float64Array.from({ length: n * d }, (_, i) => i * 1.5 - 7);
    const y = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
    const split = stratifiedSplit(y, 3, { testSize: 0.2, valSize: 0.1, seed: 4 });
    const identity = { imputeMean: new Float64Array(d), mean: new Float64Array(d), scale: new Float64Array(d).fill(1), standardize: false };
    for (const rows of [split.train, split.validation, split.test, Int32Array.from({ length: n }, (_, i) => i)]) {
      expect(isStrictlyAscending(rows)).toBe(true);
      const copy = X.slice();
      const expected = Array.from(takeRows(copy, d, rows));
      expect(takeScaledRows(copy, d, rows, identity, copy)).toBe(-1);
      expect(Array.from(copy.subarray(0, rows.length * d))).toEqual(expected);
    }
  });

  it('isStrictlyAscending refuses rows that are not ascending or repeat', () => {
    expect(isStrictlyAscending(Int32Array.from([0, 2, 1]))).toBe(false);
    expect(isStrictlyAscending(Int32Array.from([0, 2, 2]))).toBe(false);
    expect(isStrictlyAscending(Int32Array.from([0, 2, 5]))).toBe(true);
  });
});
