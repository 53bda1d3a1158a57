// stratifiedSplit's typed parts (each row's part in a Uint8Array, read back in row order) against the
// split as it was first written (rows pushed to JS arrays, then sorted): the same rows in every part,
// for several class mixes, fractions and seeds; nothing held out gives every row, in order.
import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../../../../src/core/data/split';
import { Rng } from '../../../../src/core/random';

/** The former implementation, with the same apportionment (taken from the result's per-class counts). */
function reference(y: Int32Array, nClasses: number, seed: number, testPer: number[], valPer: number[]) {
  const byClass = Array.from({ length: nClasses }, (_, k) => Int32Array.from(Array.from(y.keys()).filter((i) => y[i] === k)));
  const rng = new Rng(seed);
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (let k = 0; k < nClasses; k++) {
    const rows = rng.shuffle(byClass[k]);
    for (let i = 0; i < rows.length; i++) (i < testPer[k] ? test : i < testPer[k] + valPer[k] ? validation : train).push(rows[i]);
  }
  const sorted = (v: number[]) => Array.from(Int32Array.from(v).sort());
  return { train: sorted(train), validation: sorted(validation), test: sorted(test) };
}

describe('stratifiedSplit without JS arrays', () => {
  const rng = new Rng(3);
  it('the same parts as pushing and sorting', () => {
    for (const [n, nClasses, testSize, valSize, seed] of [[5_000, 2, 0.2, 0.1, 0], [3_001, 3, 0.25, 0, 7], [997, 5, 0, 0.3, 2], [50, 2, 0.5, 0.2, 11]]) {
      const y = Int32Array.from({ length: n }, () => Math.floor(rng.next() ** 2 * nClasses));
      const split = stratifiedSplit(y, nClasses, { testSize, valSize, seed });
      const per = (rows: Int32Array) => Array.from({ length: nClasses }, (_, k) => rows.filter((r) => y[r] === k).length);
      const ref = reference(y, nClasses, seed, per(split.test), per(split.validation));
      expect(Array.from(split.train)).toEqual(ref.train);
      expect(Array.from(split.validation)).toEqual(ref.validation);
      expect(Array.from(split.test)).toEqual(ref.test);
      expect(split.test.length).toBe(Math.round(testSize * n));
    }
  });

  it('nothing held out: every row trains, in order', () => {
    const y = Int32Array.from({ length: 1_000 }, (_, i) => i % 2);
    const split = stratifiedSplit(y, 2, { testSize: 0, valSize: 0, seed: 4 });
    expect(Array.from(split.train)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect([split.validation.length, split.test.length]).toEqual([0, 0]);
  });
});
