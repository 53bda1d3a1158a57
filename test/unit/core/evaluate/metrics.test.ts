import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classificationMetrics, logLoss, multilabelMetrics, predictFromProba } from '../../../../src/core/evaluate/metrics';

/** Fixtures store NaN/None as null. */
function loadFixture<T>(name: string): T {
  const text = readFileSync(new URL(`../../../fixtures/sklearn/metrics/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text) as T;
}

interface Case {
  name: string;
  K: number;
  y: number[];
  proba: number[];
  weight: number[] | null;
  threshold: number | null;
  pred: number[];
  accuracy: number;
  logLoss: number;
  brier: number;
  confusion: number[][];
  perClass: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  rocAuc: number | null;
  averagePrecision: number | null;
  ece: number;
}

interface MultilabelCase {
  Y: number[];
  P: number[];
  L: number;
  threshold: number;
  subsetAccuracy: number;
  hammingLoss: number;
  micro: { precision: number; recall: number; f1: number };
  macro: { precision: number; recall: number; f1: number };
  perLabelF1: number[];
  perLabelAuc: number[];
}

const TOL = 1e-12;
const close = (actual: number, expected: number, what: string, tol = TOL): void => {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
};

const { cases, multilabel } = loadFixture<{ cases: Case[]; multilabel: MultilabelCase }>('metrics.json');

describe('classificationMetrics: parity with scikit-learn 1.2.1', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const y = Int32Array.from(c.y);
    const proba = Float64Array.from(c.proba);
    const sampleWeight = c.weight ? Float64Array.from(c.weight) : null;
    const threshold = c.threshold ?? undefined;
    expect(Array.from(predictFromProba(proba, c.K, threshold))).toEqual(c.pred);

    const m = classificationMetrics(y, proba, c.K, { sampleWeight, threshold });
    expect(m.n).toBe(c.y.length);
    close(m.accuracy, c.accuracy, 'accuracy');
    close(m.logLoss, c.logLoss, 'log_loss');
    close(m.brier, c.brier, 'brier');
    for (let t = 0; t < c.K; t++) for (let p = 0; p < c.K; p++) close(m.confusion[t][p], c.confusion[t][p], `confusion[${t}][${p}]`);
    for (let k = 0; k < c.K; k++) {
      close(m.perClass[k].precision, c.perClass.precision[k], `precision[${k}]`);
      close(m.perClass[k].recall, c.perClass.recall[k], `recall[${k}]`);
      close(m.perClass[k].f1, c.perClass.f1[k], `f1[${k}]`);
      close(m.perClass[k].support, c.perClass.support[k], `support[${k}]`);
    }
    for (const avg of ['macro', 'weighted'] as const) {
      for (const key of ['precision', 'recall', 'f1'] as const) close(m[avg][key], c[avg][key], `${avg} ${key}`);
    }
    // roc_auc_score raises when a class is absent; Logit Lab reports null.
    if (c.rocAuc === null) expect(m.rocAuc).toBeNull();
    else close(m.rocAuc as number, c.rocAuc, 'roc_auc');
    if (c.averagePrecision === null) expect(m.averagePrecision).toBeNull();
    else close(m.averagePrecision as number, c.averagePrecision, 'average_precision');
    // Reference ECE: calibration_curve's binning, weighted |fraction positive - mean predicted|.
    close(m.ece, c.ece, 'ece');
  });

  it('covers binary, thresholded, weighted, multiclass and absent-class cases', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'binary',
      'binary_threshold_0.3',
      'binary_weighted',
      'binary_no_positives',
      'multiclass3',
      'multiclass4_weighted',
      'multiclass_absent_class',
    ]);
  });
});

describe('multilabelMetrics: parity with scikit-learn 1.2.1', () => {
  it('matches micro/macro averages, subset accuracy and Hamming loss', () => {
    const m = multilabelMetrics(Uint8Array.from(multilabel.Y), Float64Array.from(multilabel.P), multilabel.L, multilabel.threshold);
    close(m.subsetAccuracy, multilabel.subsetAccuracy, 'subset accuracy');
    close(m.hammingLoss, multilabel.hammingLoss, 'hamming loss');
    for (const avg of ['micro', 'macro'] as const) {
      for (const key of ['precision', 'recall', 'f1'] as const) close(m[avg][key], multilabel[avg][key], `${avg} ${key}`);
    }
    expect(m.perLabel).toHaveLength(multilabel.L);
    m.perLabel.forEach((label, l) => {
      close(label.perClass[1].f1, multilabel.perLabelF1[l], `label ${l} f1`);
      close(label.rocAuc as number, multilabel.perLabelAuc[l], `label ${l} auc`);
    });
  });
});

describe('predictFromProba', () => {
  it('breaks argmax ties toward the lowest index, like numpy', () => {
    expect(Array.from(predictFromProba(Float64Array.from([0.5, 0.5, 0.2, 0.4, 0.1, 0.4, 0.4, 0.1]), 4))).toEqual([0, 1]);
  });

  it('uses p1 >= threshold for binary models', () => {
    const proba = Float64Array.from([0.5, 0.5, 0.7, 0.3, 0.2, 0.8]);
    expect(Array.from(predictFromProba(proba, 2))).toEqual([0, 0, 1]);
    expect(Array.from(predictFromProba(proba, 2, 0.5))).toEqual([1, 0, 1]);
    expect(Array.from(predictFromProba(proba, 2, 0.25))).toEqual([1, 1, 1]);
    expect(() => predictFromProba(Float64Array.from([0.2, 0.3, 0.5]), 3, 0.5)).toThrow(RangeError);
  });
});

describe('hand-computed examples', () => {
  it('computes the top-label ECE of a multiclass model', () => {
    // Confidences 0.95 (hit), 0.92 (miss), 0.55 (hit), 0.45 (miss):
    // bin (0.9, 1]: |1/2 - 0.935| = 0.435 with weight 2/4; bin (0.5, 0.6]: |1 - 0.55| = 0.45 with 1/4;
    // bin (0.4, 0.5]: |0 - 0.45| = 0.45 with 1/4. ECE = 0.2175 + 0.1125 + 0.1125 = 0.4425.
    const proba = Float64Array.from([0.95, 0.03, 0.02, 0.92, 0.05, 0.03, 0.2, 0.55, 0.25, 0.3, 0.25, 0.45]);
    const m = classificationMetrics(Int32Array.from([0, 1, 1, 0]), proba, 3);
    expect(m.ece).toBeCloseTo(0.4425, 14);
    expect(m.accuracy).toBe(0.5);
    // Brier: Σ_k (p_k - onehot)^2 per row, averaged.
    const rows = [
      0.05 ** 2 + 0.03 ** 2 + 0.02 ** 2,
      0.92 ** 2 + 0.95 ** 2 + 0.03 ** 2,
      0.2 ** 2 + 0.45 ** 2 + 0.25 ** 2,
      0.7 ** 2 + 0.25 ** 2 + 0.45 ** 2,
    ];
    expect(m.brier).toBeCloseTo(rows.reduce((s, v) => s + v, 0) / 4, 14);
  });

  it('clips log loss at 1e-15 like scikit-learn 1.2', () => {
    const loss = logLoss(Int32Array.from([1]), Float64Array.from([1, 0]), 2);
    expect(loss).toBeCloseTo(-Math.log(1e-15 / (1 - 1e-15 + 1e-15)), 10);
  });

  it('scores zero-division cases as 0 and keeps unpredicted classes in the macro average', () => {
    // Class 2 is never true nor predicted: precision = recall = f1 = 0, and it counts in the macro mean.
    const proba = Float64Array.from([0.9, 0.1, 0, 0.2, 0.8, 0]);
    const m = classificationMetrics(Int32Array.from([0, 1]), proba, 3);
    expect(m.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macro.f1).toBeCloseTo(2 / 3, 15);
    expect(m.weighted.f1).toBe(1);
  });

  it('reports null AUC and AP when a class is absent', () => {
    const m = classificationMetrics(Int32Array.from([0, 0, 0]), Float64Array.from([0.9, 0.1, 0.6, 0.4, 0.3, 0.7]), 2);
    expect(m.rocAuc).toBeNull();
    expect(m.averagePrecision).toBeNull();
  });

  it('rejects inconsistent shapes and out-of-range labels', () => {
    expect(() => classificationMetrics(Int32Array.from([0, 1]), Float64Array.from([0.5, 0.5, 0.5]), 2)).toThrow(RangeError);
    expect(() => classificationMetrics(Int32Array.from([0, 2]), Float64Array.from([0.5, 0.5, 0.5, 0.5]), 2)).toThrow(RangeError);
    expect(() => classificationMetrics(Int32Array.from([0]), Float64Array.from([1]), 1)).toThrow(RangeError);
  });
});

// Issue 12: unit weights and the argmax (no threshold) with K > 2 go through one fused pass
// (multiclassUnitPass); weights of 1 take the general loops. Both must give the same bits (toEqual:
// Object.is on every number).
describe('classificationMetrics: the fused multiclass pass against the general loops', () => {
  /** n rows of K probabilities (rows sum to about 1), with exact ties, zeros and ones among them; labels drawn at random. */
  function data(n: number, K: number, seed: number): { y: Int32Array; proba: Float64Array } {
    let s = seed >>> 0;
    const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const proba = new Float64Array(n * K);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const kind = i % 7;
      let total = 0;
      for (let k = 0; k < K; k++) total += proba[i * K + k] = kind === 0 ? 1 : kind === 1 && k > 0 ? 0 : next() ** 3;
      for (let k = 0; k < K; k++) proba[i * K + k] /= total;
      y[i] = Math.floor(next() * K);
    }
    return { y, proba };
  }

  it('gives the weighted loops\' metrics with weights of 1, bit for bit (ties, 0 and 1, several sizes and class counts)', () => {
    for (const [n, K] of [[1_000, 3], [257, 10], [60, 4], [500, 55]]) {
      const { y, proba } = data(n, K, n + K);
      const fused = classificationMetrics(y, proba, K);
      expect(fused).toEqual(classificationMetrics(y, proba, K, { sampleWeight: new Float64Array(n).fill(1) }));
      if (K > 50) expect(fused.confusion).toEqual([]);
      else expect(fused.confusion.flat().reduce((a, b) => a + b, 0)).toBe(n);
    }
  });

  it('takes the caller\'s one-vs-rest areas as given', () => {
    const { y, proba } = data(300, 3, 7);
    const oneVsRest = [
      { rocAuc: 0.5, averagePrecision: 0.25 },
      { rocAuc: 0.75, averagePrecision: 0.5 },
      { rocAuc: 1, averagePrecision: 0.75 },
    ];
    const m = classificationMetrics(y, proba, 3, { oneVsRest });
    expect(m.rocAuc).toBe(0.75);
    expect(m.averagePrecision).toBe(0.5);
    expect(m.accuracy).toBe(classificationMetrics(y, proba, 3).accuracy);
  });

  it('a top-label probability above 1 or NaN is reported as the general loops report it', () => {
    for (const bad of [1.5, NaN]) {
      const { y, proba } = data(100, 3, 3);
      proba[40 * 3] = bad;
      proba[40 * 3 + 1] = 0;
      proba[40 * 3 + 2] = 0;
      const message = (f: () => unknown): string => {
        try {
          f();
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      };
      const general = message(() => classificationMetrics(y, proba, 3, { sampleWeight: new Float64Array(100).fill(1) }));
      expect(general).toMatch(bad > 1 ? /probability 40 is 1.5/ : /score 40 is NaN/);
      expect(message(() => classificationMetrics(y, proba, 3))).toBe(general);
    }
  });
});
