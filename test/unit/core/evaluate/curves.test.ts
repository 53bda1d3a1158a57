import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  auc,
  averagePrecision,
  bestF1Threshold,
  confusionAtThreshold,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  thresholdSweep,
} from '../../../../src/core/evaluate/curves';
import { Rng } from '../../../../src/core/random';

/** Fixtures store NaN as null (JSON has no NaN). */
function loadFixture<T>(name: string): T {
  const text = readFileSync(new URL(`../../../fixtures/sklearn/metrics/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text, (_k, v: unknown) => (v === null ? NaN : v)) as T;
}

interface CurveSet {
  name: string;
  y: number[];
  score: number[];
  weight: number[] | number;
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
  rocAuc: number;
  pr: { precision: number[]; recall: number[]; thresholds: number[] };
  averagePrecision: number;
}

const TOL = 1e-12;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i])) expect(actual[i], `index ${i}`).toBeNaN();
    else expect(Math.abs(actual[i] - expected[i]), `index ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  }
}

const { sets } = loadFixture<{ sets: CurveSet[] }>('curves.json');
const weightsOf = (s: CurveSet): number[] | null => (Array.isArray(s.weight) ? s.weight : null);

describe('curves: parity with scikit-learn 1.2.1', () => {
  it.each(sets.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const w = weightsOf(s);
    const roc = rocCurve(s.y, s.score, w);
    // scikit-learn 1.2 puts max(score) + 1 in front; >= 1.3 and Logit Lab put Infinity.
    expect(roc.thresholds[0]).toBe(Infinity);
    expect(s.roc.thresholds[0]).toBeCloseTo(s.roc.thresholds[1] + 1, 12);
    expectClose(roc.thresholds.subarray(1), s.roc.thresholds.slice(1));
    expectClose(roc.fpr, s.roc.fpr);
    expectClose(roc.tpr, s.roc.tpr);

    const pr = precisionRecallCurve(s.y, s.score, w);
    expectClose(pr.precision, s.pr.precision);
    expectClose(pr.recall, s.pr.recall);
    expectClose(pr.thresholds, s.pr.thresholds);

    // roc_auc_score raises for one class; Logit Lab returns NaN.
    if (Number.isNaN(s.rocAuc)) expect(rocAuc(s.y, s.score, w)).toBeNaN();
    else expect(Math.abs(rocAuc(s.y, s.score, w) - s.rocAuc)).toBeLessThanOrEqual(TOL);

    const positives = s.y.reduce((acc, y, i) => acc + (y === 1 && (w ? w[i] : 1) > 0 ? 1 : 0), 0);
    if (positives === 0) {
      // scikit-learn 1.2 returns 0 (with a warning); AP is undefined without positives.
      expect(s.averagePrecision === 0).toBe(true);
      expect(averagePrecision(s.y, s.score, w)).toBeNaN();
    } else {
      expect(Math.abs(averagePrecision(s.y, s.score, w) - s.averagePrecision)).toBeLessThanOrEqual(TOL);
    }
  });

  it('covers ties, weights, separation and one class', () => {
    expect(sets.map((s) => s.name)).toEqual(['ties', 'weighted', 'weighted_ties', 'separated', 'all_tied', 'no_positives']);
    const separated = sets.find((s) => s.name === 'separated') as CurveSet;
    expect(rocAuc(separated.y, separated.score)).toBe(1);
    expect(averagePrecision(separated.y, separated.score)).toBe(1);
  });
});

/** Brute-force confusion counts for `score >= t`. */
function bruteForce(y: ArrayLike<number>, score: ArrayLike<number>, w: ArrayLike<number> | null, t: number) {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i] : 1;
    const positive = score[i] >= t;
    if (y[i] === 1) {
      if (positive) tp += wi;
      else fn += wi;
    } else if (positive) fp += wi;
    else tn += wi;
  }
  return { tp, fp, tn, fn };
}

function randomProblem(seed: number, n: number, weighted: boolean) {
  const rng = new Rng(seed);
  const y = new Uint8Array(n);
  const score = new Float64Array(n);
  const w = weighted ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    y[i] = rng.next() < 0.4 ? 1 : 0;
    // Coarse grid so that many scores tie.
    score[i] = Math.round((rng.normal() + y[i]) * 8) / 8;
    if (w) w[i] = rng.next() < 0.1 ? 0 : Math.round(rng.next() * 30) / 10;
  }
  return { y, score, w };
}

describe('thresholdSweep and confusionAtThreshold', () => {
  it('the unit-weight merge path gives the same sweep as the weighted sort path (ties, -0 and +0)', () => {
    const { y, score } = randomProblem(21, 2000, false);
    score[3] = -0;
    score[4] = 0;
    const unit = thresholdSweep(y, score);
    const doubled = thresholdSweep(y, score, new Float64Array(y.length).fill(2));
    expect(unit.thresholds.length).toBeLessThan(200); // the coarse grid ties most scores
    expect(Array.from(unit.thresholds)).toEqual(Array.from(doubled.thresholds));
    expect(Array.from(unit.tp, (v) => 2 * v)).toEqual(Array.from(doubled.tp));
    expect(Array.from(unit.fp, (v) => 2 * v)).toEqual(Array.from(doubled.fp));
    expect([2 * unit.positives, 2 * unit.negatives]).toEqual([doubled.positives, doubled.negatives]);
  });

  it('agrees with brute force at many random thresholds, sweep thresholds and beyond the ends', () => {
    for (const weighted of [false, true]) {
      const { y, score, w } = randomProblem(weighted ? 11 : 12, 300, weighted);
      const sweep = thresholdSweep(y, score, w);
      const rng = new Rng(5);
      const probes = [Infinity, -Infinity, 1e9, -1e9, ...sweep.thresholds];
      for (let k = 0; k < 500; k++) probes.push((rng.next() - 0.5) * 8);
      for (const t of probes) {
        const c = confusionAtThreshold(sweep, t);
        const b = bruteForce(y, score, w, t);
        for (const key of ['tp', 'fp', 'tn', 'fn'] as const) {
          expect(Math.abs(c[key] - b[key]), `${key} at ${t}`).toBeLessThanOrEqual(1e-9);
        }
        const precision = b.tp + b.fp > 0 ? b.tp / (b.tp + b.fp) : 0;
        const recall = b.tp / (b.tp + b.fn);
        expect(c.precision).toBeCloseTo(precision, 12);
        expect(c.recall).toBeCloseTo(recall, 12);
        expect(c.f1).toBeCloseTo(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0, 12);
        expect(c.accuracy).toBeCloseTo((b.tp + b.tn) / (b.tp + b.tn + b.fp + b.fn), 12);
        expect(c.fpr).toBeCloseTo(b.fp / (b.fp + b.tn), 12);
      }
    }
  });

  it('has descending distinct thresholds and drops zero-weight samples', () => {
    const sweep = thresholdSweep([1, 0, 1, 0, 1], [0.9, 0.5, 0.5, 0.7, 0.2], [1, 2, 3, 0, 1]);
    expect(Array.from(sweep.thresholds)).toEqual([0.9, 0.5, 0.2]);
    expect(Array.from(sweep.tp)).toEqual([1, 4, 5]);
    expect(Array.from(sweep.fp)).toEqual([0, 2, 2]);
    expect(sweep.positives).toBe(5);
    expect(sweep.negatives).toBe(2);
  });

  it('gives precision 0 for an empty prediction (zero_division=0)', () => {
    const c = confusionAtThreshold(thresholdSweep([1, 0], [0.3, 0.6]), 0.9);
    expect(c).toMatchObject({ tp: 0, fp: 0, tn: 1, fn: 1, precision: 0, recall: 0, f1: 0, accuracy: 0.5, fpr: 0 });
  });

  it('rejects bad input', () => {
    expect(() => thresholdSweep([0, 2], [0.1, 0.2])).toThrow(RangeError);
    expect(() => thresholdSweep([0, 1], [0.1, NaN])).toThrow(RangeError);
    expect(() => thresholdSweep([0, 1], [0.1])).toThrow(RangeError);
    expect(() => thresholdSweep([0, 1], [0.1, 0.2], [1, -1])).toThrow(RangeError);
  });
});

describe('bestF1Threshold', () => {
  it('finds the maximum of F1 over all sweep thresholds', () => {
    const { y, score, w } = randomProblem(3, 200, true);
    const sweep = thresholdSweep(y, score, w);
    const best = bestF1Threshold(sweep);
    let max = 0;
    for (const t of sweep.thresholds) max = Math.max(max, confusionAtThreshold(sweep, t).f1);
    expect(best.f1).toBe(max);
    expect(confusionAtThreshold(sweep, best.threshold).f1).toBe(max);
  });

  it('works on a hand example and prefers the higher threshold on ties', () => {
    // Scores 0.9(+) 0.8(-) 0.7(+) 0.1(-): F1 at 0.9 = 2/3, at 0.8 = 1/2, at 0.7 = 4/5, at 0.1 = 2/3.
    expect(bestF1Threshold(thresholdSweep([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]))).toEqual({ threshold: 0.7, f1: 0.8 });
    // Scores 0.9(+) 0.8(-) 0.7(-) 0.6(+): F1 = 2/3 at both 0.9 and 0.6.
    expect(bestF1Threshold(thresholdSweep([1, 0, 0, 1], [0.9, 0.8, 0.7, 0.6]))).toEqual({ threshold: 0.9, f1: 2 / 3 });
  });

  it('predicts nothing when there are no positives', () => {
    expect(bestF1Threshold(thresholdSweep([0, 0], [0.2, 0.4]))).toEqual({ threshold: Infinity, f1: 0 });
  });
});

describe('auc', () => {
  it('integrates by trapezoids in either direction', () => {
    expect(auc([0, 0.5, 1], [0, 1, 1])).toBeCloseTo(0.75, 15);
    expect(auc([1, 0.5, 0], [1, 1, 0])).toBeCloseTo(0.75, 15);
  });

  it('rejects non-monotonic x and single points', () => {
    expect(() => auc([0, 1, 0.5], [0, 1, 1])).toThrow(RangeError);
    expect(() => auc([0], [0])).toThrow(RangeError);
  });
});

describe('edge cases', () => {
  it('returns NaN rates and AUC when a class is missing', () => {
    const noNeg = rocCurve([1, 1, 1], [0.1, 0.5, 0.9]);
    expect(Array.from(noNeg.fpr).every(Number.isNaN)).toBe(true);
    // The collinear middle point (2/3) is dropped, as with drop_intermediate=True.
    expect(Array.from(noNeg.tpr)).toEqual([0, 1 / 3, 1]);
    expect(rocAuc([1, 1, 1], [0.1, 0.5, 0.9])).toBeNaN();
    expect(rocAuc([0, 0], [0.1, 0.5])).toBeNaN();
  });

  it('handles empty input', () => {
    const sweep = thresholdSweep([], []);
    expect(sweep.thresholds.length).toBe(0);
    expect(confusionAtThreshold(sweep, 0.5)).toMatchObject({ tp: 0, fp: 0, tn: 0, fn: 0, precision: 0, accuracy: 0 });
    expect(rocAuc([], [])).toBeNaN();
    expect(averagePrecision([], [])).toBeNaN();
  });
});
