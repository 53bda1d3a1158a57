import { describe, expect, it } from 'vitest';
import { thresholdSweep } from '../../../src/core/evaluate/curves';
import { atThreshold, confusionMatrix2, rowNormalize, snapThreshold, toSweep } from '../../../webview/panel/viewModel/threshold';

function brute(y: number[], p: number[], t: number) {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  y.forEach((yi, i) => {
    const pos = p[i] >= t;
    if (pos && yi) tp++;
    else if (pos) fp++;
    else if (yi) fn++;
    else tn++;
  });
  return { tp, fp, tn, fn };
}

describe('threshold lookup', () => {
  let seed = 3;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const y = Array.from({ length: 200 }, () => (rand() < 0.4 ? 1 : 0));
  const p = y.map((yi) => Math.round((yi ? 0.3 + 0.7 * rand() : 0.7 * rand()) * 100) / 100); // ties included
  const s = thresholdSweep(y, p);
  // As the report carries it: plain arrays.
  const reportSweep = { thresholds: Array.from(s.thresholds), tp: Array.from(s.tp), fp: Array.from(s.fp), positives: s.positives, negatives: s.negatives };
  const sweep = toSweep(reportSweep);

  it('matches brute-force counting at every threshold, including exact ties', () => {
    for (const t of [0, 0.001, 0.2, 0.35, 0.5, 0.5000001, 0.69, 0.7, 0.99, 1, ...p.slice(0, 20)]) {
      const at = atThreshold(sweep, t);
      const b = brute(y, p, t);
      expect({ tp: at.tp, fp: at.fp, tn: at.tn, fn: at.fn }).toEqual(b);
      expect(at.precision).toBeCloseTo(b.tp + b.fp ? b.tp / (b.tp + b.fp) : 0, 14);
      expect(at.recall).toBeCloseTo(b.tp / (b.tp + b.fn), 14);
      expect(at.tpr).toBe(at.recall);
      expect(at.fpr).toBeCloseTo(b.fp / (b.fp + b.tn), 14);
    }
  });

  it('lays the 2 x 2 matrix out as rows true, columns predicted', () => {
    const at = atThreshold(sweep, 0.5);
    expect(confusionMatrix2(at)).toEqual([
      [at.tn, at.fp],
      [at.fn, at.tp],
    ]);
  });
});

describe('rowNormalize and snapThreshold', () => {
  it('divides rows by their sums; empty rows stay 0', () => {
    expect(rowNormalize([[1, 3], [0, 0], [2, 2]])).toEqual([[0.25, 0.75], [0, 0], [0.5, 0.5]]);
  });
  it('clamps and rounds to the slider step', () => {
    expect(snapThreshold(0.12345)).toBe(0.123);
    expect(snapThreshold(-1)).toBe(0);
    expect(snapThreshold(2)).toBe(1);
    expect(snapThreshold(NaN)).toBe(0.5);
  });
});
