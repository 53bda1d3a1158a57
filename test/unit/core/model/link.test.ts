import { describe, expect, it } from 'vitest';
import { log1pExp, logSigmoid, logSumExp, sigmoid, softmaxInPlace } from '../../../../src/core/model/link';

describe('sigmoid', () => {
  it('is finite and exact in both tails', () => {
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(-700) / Math.exp(-700)).toBeCloseTo(1, 14);
    expect(sigmoid(0)).toBe(0.5);
  });
  it('satisfies σ(-z) = 1 - σ(z)', () => {
    for (const z of [-30, -3.5, -0.1, 0.2, 4, 25]) expect(sigmoid(-z)).toBeCloseTo(1 - sigmoid(z), 15);
  });
});

describe('logSigmoid and log1pExp', () => {
  it('keeps the tails', () => {
    expect(logSigmoid(-800)).toBeCloseTo(-800, 10);
    expect(logSigmoid(800)).toBe(-0);
    expect(logSigmoid(40) / -Math.exp(-40)).toBeCloseTo(1, 14);
    expect(log1pExp(800)).toBe(800);
    expect(log1pExp(-800)).toBe(0);
    expect(log1pExp(-40) / Math.exp(-40)).toBeCloseTo(1, 14);
  });
  it('matches the naive formula where it is accurate', () => {
    for (const z of [-5, -1, 0, 0.5, 3, 10]) {
      expect(log1pExp(z)).toBeCloseTo(Math.log(1 + Math.exp(z)), 13);
      expect(logSigmoid(z)).toBeCloseTo(Math.log(sigmoid(z)), 13);
    }
  });
});

describe('logSumExp', () => {
  it('does not overflow', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 12);
    expect(logSumExp([1, 2, 3])).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 14);
  });
  it('honours offset and length', () => {
    expect(logSumExp([9, 0, 0, 9], 1, 2)).toBeCloseTo(Math.LN2, 15);
    expect(logSumExp([], 0, 0)).toBe(-Infinity);
    expect(logSumExp([-Infinity, 0])).toBe(0);
  });
});

describe('softmaxInPlace', () => {
  it('normalizes a slice and is shift invariant', () => {
    const a = new Float64Array([7, 1000, 1001, 1002, 7]);
    softmaxInPlace(a, 1, 3);
    const b = new Float64Array([0, 1, 2]);
    softmaxInPlace(b, 0, 3);
    expect(a[0]).toBe(7);
    expect(a[4]).toBe(7);
    expect(a[1] + a[2] + a[3]).toBeCloseTo(1, 15);
    for (let k = 0; k < 3; k++) expect(a[1 + k]).toBeCloseTo(b[k], 15);
    expect(b[2] / b[1]).toBeCloseTo(Math.E, 14);
  });
});
