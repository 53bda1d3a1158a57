import { expect } from 'vitest';
import { Rng } from '../../../../src/core/random';

/** The ascending rows of 0..n-1 that a seeded draw keeps with probability `keep`. */
export function someRows(n: number, keep: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (rng.next() < keep) rows.push(i);
  return Int32Array.from(rows);
}

/** a and b hold the same values, bit for bit (Object.is: NaN equals NaN, 0 differs from -0). */
export function expectSameBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect([i, a[i]]).toEqual([i, b[i]]);
}
