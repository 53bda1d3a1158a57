// The evaluation's fast paths of issue 12 (stop 22) against the general ones, bit for bit (toEqual on the
// raw numbers: Object.is semantics, so -0 and NaN are checked too): the curves from the sorted classes
// (drawnSweep) against binaryCurves on the whole sweep, the calibrated diagrams in one pass and the
// isotonic table against applyCalibrator + reliability, the isotonic fit from a sweep against
// fitIsotonic, the multiclass evaluation's one sort per class against the general metrics and
// curves, the K-output decision values against the row-by-row sums, and a binary split evaluated
// without its row-order arrays against one evaluated with them.
import { describe, expect, it } from 'vitest';
import { drawnSweep } from '../../../../src/core/evaluate/drawnSweep';
import { averagePrecisionFromSweep, drawnRocFromSweep, thresholdSweep } from '../../../../src/core/evaluate/curves';
import { sortFloat64, sweepOfSortedClasses, unitSweep } from '../../../../src/core/evaluate/sortedScores';
import { applyCalibrator, fitIsotonic, fitIsotonicFromSweep, fitPlatt, IsotonicTable, reliability, reliabilityOfCalibrator, type IsotonicCalibrator } from '../../../../src/core/evaluate/calibration';
import { log1pExp } from '../../../../src/core/model/link';
import { positiveProbability } from '../../../../src/core/model/lossFamily';
import { binaryCurves, evaluateSplit, fitCalibrators, MAX_CURVE_POINTS, MAX_SWEEP_POINTS, sortedBinarySplit } from '../../../../src/core/evaluate/evaluate';
import { classificationMetrics } from '../../../../src/core/evaluate/metrics';
import { decisionOnPreprocessed, probaFromDecision, type ModelJson } from '../../../../src/core/model/model';
import { covarianceSums } from '../../../../src/core/evaluate/projection';
import { Rng } from '../../../../src/core/random';

const rng = new Rng(22);

function probabilities(n: number, ties = false): Float64Array {
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = ties ? Math.round(rng.next() * 40) / 40 : 1 / (1 + Math.exp(-rng.normal() * 4));
  return p;
}

function labelsFor(p: Float64Array): Int32Array {
  return Int32Array.from(p, (v) => (rng.next() < v ? 1 : 0));
}

/** Each class's scores, sorted ascending. */
function sortedClasses(y: Int32Array, p: Float64Array): [Float64Array, Float64Array] {
  const pos = p.filter((_, i) => y[i] === 1);
  const neg = p.filter((_, i) => y[i] === 0);
  return [sortFloat64(pos), sortFloat64(neg)];
}

describe('drawnSweep: the curves from the sorted classes, without the sweep arrays', () => {
  it('equals binaryCurves, drawnRocFromSweep and averagePrecisionFromSweep on the whole sweep, bit for bit', () => {
    const cases: Array<[Int32Array, Float64Array]> = [];
    // Long curves (thinned: more than 4096 thresholds), short ones, heavy ties, a lone row, one class only.
    for (const [n, ties] of [[20_000, false], [20_000, true], [3_000, false], [300, true], [5, false], [1, false]] as const) {
      const p = probabilities(n, ties);
      cases.push([labelsFor(p), p]);
    }
    cases.push([new Int32Array(60).fill(1), probabilities(60)], [new Int32Array(60), probabilities(60)]);
    // Runs of equal increments (collinear ROC points dropped) and exact zeros of both signs.
    const runs = Float64Array.from({ length: 4000 }, (_, i) => (i < 100 ? (i % 2 ? 0 : -0) : Math.floor(i / 7) / 600));
    cases.push([Int32Array.from(runs, (_, i) => (i % 5 < 2 ? 1 : 0)), runs]);
    // One scratch for every case, as oneVsRestCurves shares it among classes: left dirty by the longer
    // cases before the shorter ones read it (the last case, the longest but one, reuses it too).
    const longest = Math.max(...cases.map(([y]) => y.length));
    const scratch = { dTp: new Int32Array(longest).fill(-7), dFp: new Int32Array(longest).fill(9), cornerAt: new Int32Array(longest + 1).fill(3) };
    for (const [y, p] of cases) {
      const sweep = thresholdSweep(y, p);
      const [pos, neg] = sortedClasses(y, p);
      const fast = drawnSweep(pos, neg, MAX_CURVE_POINTS, MAX_SWEEP_POINTS);
      expect(drawnSweep(pos, neg, MAX_CURVE_POINTS, MAX_SWEEP_POINTS, scratch)).toEqual(fast);
      const general = binaryCurves(y, p);
      expect(fast.roc).toEqual(drawnRocFromSweep(sweep, MAX_CURVE_POINTS));
      expect(fast.averagePrecision).toEqual(averagePrecisionFromSweep(sweep));
      expect(fast.sweep).toEqual(general.sweep);
      expect(fast.pr).toEqual({ precision: general.pr.precision, recall: general.pr.recall, thresholds: general.pr.thresholds });
      expect(fast.roc.fpr).toEqual(general.roc.fpr);
      expect(fast.roc.thresholds).toEqual(general.roc.thresholds);
    }
  });
});

describe('calibrated reliability diagrams in one pass', () => {
  const isotonicOf = (n: number, ties: boolean): { c: IsotonicCalibrator; p: Float64Array; y: Int32Array } => {
    const p = probabilities(n, ties);
    const y = labelsFor(p);
    return { c: fitIsotonic(p, y), p, y };
  };

  it('IsotonicTable gives applyCalibrator at knots, between them, outside them, at -0 and NaN', () => {
    for (const [n, ties] of [[20_000, false], [500, true], [3, false]] as const) {
      const { c } = isotonicOf(n, ties);
      const table = new IsotonicTable(c);
      const f = (v: number) => table.at(v);
      const values = [...probabilities(5_000), ...c.x, ...c.x.map((x) => x + 1e-17), ...c.x.map((x) => x - 1e-12), -0, 0, 1, -1, 2, NaN, c.x[0], c.x[c.x.length - 1]];
      expect(values.map(f)).toEqual(values.map((v) => applyCalibrator(c, v)));
    }
    const single: IsotonicCalibrator = { kind: 'isotonic', x: [0.4], y: [0.3] };
    const one = new IsotonicTable(single);
    expect([0.1, 0.4, 0.9, NaN].map((v) => one.at(v))).toEqual([0.1, 0.4, 0.9, NaN].map((v) => applyCalibrator(single, v)));
  });

  it('reliabilityOfCalibrator equals reliability of the calibrated values (Platt and isotonic, 10 and 4 bins)', () => {
    const { c, p, y } = isotonicOf(8_000, false);
    const z = Float64Array.from(p, (v) => Math.log(v / (1 - v)));
    const platt = fitCalibrators(z, y)!.platt!;
    for (const nBins of [10, 4]) {
      expect(reliabilityOfCalibrator(c, p, y, nBins)).toEqual(reliability(y, Float64Array.from(p, (v) => applyCalibrator(c, v)), nBins));
      expect(reliabilityOfCalibrator(platt, z, y, nBins)).toEqual(reliability(y, Float64Array.from(z, (v) => applyCalibrator(platt, v)), nBins));
    }
    // A value the calibrator maps outside [0, 1] is reported as reliability reports it.
    expect(() => reliabilityOfCalibrator(c, Float64Array.of(0.5, NaN), Int32Array.of(1, 0), 10)).toThrow(/probability 1 is NaN/);
  });

  it('fitIsotonicFromSweep equals fitIsotonic (unit weights), and fitCalibrators with a sorted split equals it without', () => {
    for (const ties of [false, true]) {
      const p = probabilities(12_000, ties);
      for (let i = 0; i < 100; i++) p[i] = 1e-16 * i; // scores within 1e-15 of each other are merged
      const y = labelsFor(p);
      expect(fitIsotonicFromSweep(unitSweep(y, p, y.reduce((s, v) => s + v, 0)))).toEqual(fitIsotonic(p, y));
      const [pos, neg] = sortedClasses(y, p);
      expect(fitIsotonicFromSweep(sweepOfSortedClasses(pos, neg))).toEqual(fitIsotonic(p, y));
    }
    const n = 6_000;
    const z = Float64Array.from({ length: n }, () => rng.normal() * 2);
    const y = labelsFor(Float64Array.from(z, (v) => 1 / (1 + Math.exp(-v))));
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const sorted = sortedBinarySplit({ threshold: 0.5 }, z, y, rows, true);
    expect(fitCalibrators(z, y, sorted)).toEqual(fitCalibrators(z, y));
  });
});

/** fitPlatt as it was written before its gradient reused the objective's exponentials (stop 21): the reference. */
function referencePlatt(decision: Float64Array, y01: Int32Array, sampleWeight?: Float64Array): { a: number; b: number } {
  const n = decision.length;
  let prior0 = 0;
  let prior1 = 0;
  for (let i = 0; i < n; i++) {
    const w = sampleWeight ? sampleWeight[i] : 1;
    if (y01[i] === 1) prior1 += w;
    else prior0 += w;
  }
  const tPos = (prior1 + 1) / (prior1 + 2);
  const tNeg = 1 / (prior0 + 2);
  const target = (i: number): number => (y01[i] === 1 ? tPos : tNeg);
  const weightOf = (i: number): number => (sampleWeight ? sampleWeight[i] : 1);
  const objective = (a: number, b: number): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const z = a * decision[i] + b;
      loss += weightOf(i) * (log1pExp(z) - (1 - target(i)) * z);
    }
    return loss;
  };
  let a = 0;
  let b = Math.log((prior0 + 1) / (prior1 + 1));
  let loss = objective(a, b);
  const gradientTolerance = 1e-12 * (1 + prior0 + prior1);
  for (let iter = 0; iter < 100; iter++) {
    let gA = 0;
    let gB = 0;
    let hAA = 1e-12;
    let hAB = 0;
    let hBB = 1e-12;
    for (let i = 0; i < n; i++) {
      const f = decision[i];
      const w = weightOf(i);
      const p = positiveProbability(-(a * f + b));
      const d = w * (target(i) - p);
      const h = w * p * (1 - p);
      gA += d * f;
      gB += d;
      hAA += h * f * f;
      hAB += h * f;
      hBB += h;
    }
    if (Math.max(Math.abs(gA), Math.abs(gB)) <= gradientTolerance) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(hAA * gB - hAB * gA) / det;
    const slope = gA * dA + gB * dB;
    if (!(-slope > 4 * Number.EPSILON * Math.abs(loss))) break;
    let step = 1;
    let next = objective(a + dA, b + dB);
    while (next > loss + 1e-4 * step * slope && step > 1e-10) {
      step /= 2;
      next = objective(a + step * dA, b + step * dB);
    }
    if (!(next < loss + 1e-4 * step * slope)) break;
    a += step * dA;
    b += step * dB;
    loss = next;
  }
  return { a, b };
}

describe('fitPlatt: the gradient from the objective\'s exponentials', () => {
  it('gives the reference fit bit for bit (separable, noisy, weighted, saturated, zero decision values)', () => {
    const cases: Array<[Float64Array, Int32Array, Float64Array | undefined]> = [];
    for (const scale of [0.3, 3, 40]) {
      const z = Float64Array.from({ length: 3_000 }, () => rng.normal() * scale);
      const y = labelsFor(Float64Array.from(z, (v) => 1 / (1 + Math.exp(-v / scale))));
      cases.push([z, y, undefined], [z, y, Float64Array.from(z, () => rng.next() * 2)]);
    }
    const separable = Float64Array.from({ length: 400 }, (_, i) => (i < 200 ? -1 - i / 100 : 1 + i / 100));
    cases.push([separable, Int32Array.from(separable, (v) => (v > 0 ? 1 : 0)), undefined]);
    cases.push([new Float64Array(50), Int32Array.from({ length: 50 }, (_, i) => i % 3 === 0 ? 1 : 0), undefined]);
    for (const [z, y, w] of cases) {
      const fit = fitPlatt(z, y, w);
      expect({ a: fit.a, b: fit.b }).toEqual(referencePlatt(z, y, w));
    }
  });
});

describe('evaluateSplit: fast paths against the general functions', () => {
  /** A K-output model on n standard normal rows, its decision values and labels drawn from its probabilities. */
  function multiclass(n: number, K: number, kind: 'multinomial' | 'ovr') {
    const d = 5;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const W = Array.from({ length: K }, () => Array.from({ length: d }, () => rng.normal()));
    const b = Array.from({ length: K }, () => rng.normal() * 0.3);
    const model = { kind, featureNames: ['a', 'b', 'c', 'e', 'f'], coefStandardized: W, interceptStandardized: b, threshold: 0.5 } as unknown as ModelJson;
    const z = decisionOnPreprocessed(model, X, n);
    const proba = probaFromDecision(kind, z, n, K);
    const y = Int32Array.from({ length: n }, (_, i) => {
      let u = rng.next();
      for (let k = 0; k < K; k++) if ((u -= proba[i * K + k]) < 0) return k;
      return K - 1;
    });
    return { X, d, W, b, model, z, proba, y };
  }

  it('multiclass: one sort per class gives the general metrics and one-vs-rest curves', () => {
    for (const [n, K, kind] of [[6_000, 4, 'multinomial'], [2_000, 3, 'ovr'], [150, 5, 'multinomial']] as const) {
      const { model, z, proba, y } = multiclass(n, K, kind);
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      const classes = Array.from({ length: K }, (_, k) => `c${k}`);
      const ev = evaluateSplit('train', model, z, rows, { y, classes });
      expect(ev.metrics).toEqual(classificationMetrics(y, proba, K, { sampleWeight: new Float64Array(n).fill(1) }));
      const general = classes.map((_, k) => binaryCurves(Int32Array.from(y, (c) => (c === k ? 1 : 0)), Float64Array.from({ length: n }, (_, i) => proba[i * K + k])));
      expect(ev.perClassCurves).toEqual(general);
    }
  });

  it('multiclass: a NaN decision value is still reported by the sweep', () => {
    const { model, z, y } = multiclass(500, 3, 'multinomial');
    z[40] = NaN;
    expect(() => evaluateSplit('train', model, z, Int32Array.from({ length: 500 }, (_, i) => i), { y, classes: ['a', 'b', 'c'] })).toThrow(/is NaN/);
  });

  it('K-output decision values, four outputs at a time: the row-by-row sums bit for bit', () => {
    for (const K of [2, 3, 4, 7, 10]) {
      const n = 257;
      const { X, d, W, b, z } = multiclass(n, K, 'multinomial');
      const expected = new Float64Array(n * K);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < K; k++) {
          let s = b[k];
          for (let j = 0; j < d; j++) s += W[k][j] * X[i * d + j];
          expected[i * K + k] = s;
        }
      }
      expect(Array.from(z)).toEqual(Array.from(expected));
    }
  });

  it('binary: a split evaluated without its row-order arrays equals one evaluated with them (calibrated, small, subset rows)', () => {
    const n = 7_000;
    const z = Float64Array.from({ length: 2 * n }, () => rng.normal() * 3);
    const yAll = labelsFor(Float64Array.from(z, (v) => 1 / (1 + Math.exp(-v))));
    const rows = Int32Array.from({ length: n }, (_, i) => 2 * i + (i % 4 === 0 ? 1 : 0));
    const zRows = Float64Array.from(rows, (r) => z[r]);
    const yRows = Int32Array.from(rows, (r) => yAll[r]);
    const base = { kind: 'binary', coefStandardized: [[1]], interceptStandardized: [0], threshold: 0.45 } as unknown as ModelJson;
    const calibrated = { ...base, calibration: fitCalibrators(zRows, yRows) } as ModelJson;
    for (const model of [base, calibrated]) {
      for (const m of [n, 120]) {
        const r = rows.subarray(0, m);
        const zr = zRows.subarray(0, m);
        const kept = evaluateSplit('test', model, zr, r, { y: yAll, classes: ['0', '1'] }, sortedBinarySplit(model, zr, yAll, r, true));
        const lean = evaluateSplit('test', model, zr, r, { y: yAll, classes: ['0', '1'] }, sortedBinarySplit(model, zr, yAll, r, false));
        expect(lean).toEqual(kept);
        expect(evaluateSplit('test', model, zr, r, { y: yAll, classes: ['0', '1'] })).toEqual(kept);
      }
    }
  });
});

describe('sortedBinarySplit: the drawn sweep\'s counts in the dead array of unsorted scores', () => {
  it('holds them there when both classes are sorted into new arrays, and the report equals the general path\'s', () => {
    // Both classes past the bucket sort's 4096 (new sorted arrays), one class short (sorted in place), and
    // one class empty; the counts' views must then start at the unsorted array's start and its middle.
    for (const [n, share] of [[20_000, 0.5], [9_000, 0.2], [5_000, 0]] as const) {
      const z = Float64Array.from({ length: n }, () => rng.normal() * 3);
      const y = Int32Array.from(z, (v) => (share > 0 && rng.next() < 1 / (1 + Math.exp(-v)) * 2 * share ? 1 : 0));
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      const model = { kind: 'binary', coefStandardized: [[1]], interceptStandardized: [0], threshold: 0.5 } as unknown as ModelJson;
      const sorted = sortedBinarySplit(model, z, y, rows)!;
      const positives = y.reduce((s, v) => s + v, 0);
      const long = positives >= 4096 && n - positives >= 4096;
      expect(long).toBe(n === 20_000);
      if (long) {
        expect(sorted.counts!.dTp.buffer).toBe(sorted.counts!.dFp.buffer);
        // The unsorted scores' 8n bytes (their own array, or the WebAssembly sorts' arena: evaluateWasm.ts), clear of the sorted classes.
        expect(sorted.counts!.dFp.byteOffset - sorted.counts!.dTp.byteOffset).toBe(4 * n);
        if (sorted.pass.sortInto === null) expect([sorted.counts!.dTp.byteOffset, sorted.counts!.dTp.buffer.byteLength]).toEqual([0, 8 * n]);
        const overlap = (a: ArrayBufferView, b: ArrayBufferView) => a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
        const counts = new Int32Array(sorted.counts!.dTp.buffer, sorted.counts!.dTp.byteOffset, 2 * n);
        expect(overlap(counts, sorted.pass.pos) || overlap(counts, sorted.pass.neg)).toBe(false);
      } else expect(sorted.counts).toBeNull();
      const p1 = Float64Array.from(z, positiveProbability);
      const proba = probaFromDecision('binary', z, n, 1);
      const ev = evaluateSplit('train', model, z, rows, { y, classes: ['0', '1'] }, sorted);
      expect(ev.curves).toEqual(binaryCurves(y, p1));
      expect(ev.metrics).toEqual(classificationMetrics(y, proba, 2, { threshold: 0.5, sampleWeight: new Float64Array(n).fill(1) }));
    }
  });
});

describe('principalComponents: the covariance two rows at a time', () => {
  it('equals the row-by-row sums bit for bit (odd n, zero factors, a non-finite value kept out by its zero factor)', () => {
    for (const [n, d] of [[7, 3], [1_001, 6], [2, 4], [1, 2]] as const) {
      const X = Float64Array.from({ length: n * d }, () => (rng.next() < 0.2 ? 0 : rng.normal()));
      const center = Float64Array.from({ length: d }, (_, j) => (j === 1 ? 0 : rng.normal() * 0.1));
      if (n > 2) X[d + 1] = Infinity; // row 1, column 1: its factor is Infinity; others' zero factors skip it
      const expected = new Float64Array(d * d);
      for (let i = 0; i < n; i++) {
        const row = Float64Array.from({ length: d }, (_, j) => X[i * d + j] - center[j]);
        for (let a = 0; a < d; a++) {
          if (row[a] === 0) continue;
          for (let b = a; b < d; b++) expected[a * d + b] += row[a] * row[b];
        }
      }
      expect(Array.from(covarianceSums(X, n, d, center))).toEqual(Array.from(expected));
    }
  });
});
