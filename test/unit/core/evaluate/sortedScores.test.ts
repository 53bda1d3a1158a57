// The evaluation's fast paths against the general ones: the bucket sort against the native sort, the
// unit-weight sweep and isotonic fit against the weighted (comparator-sort) paths, the one-pass binary
// metrics against the general loop, the CSR stratified sample against the original Map grouping, and
// evaluateSplit's shared sort against separate calls. Bit-identical results are asserted with toEqual
// on the raw numbers (Object.is semantics: -0 and NaN are checked too).
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from '../../../../src/core/evaluate/sortedScores';
import { binaryPass } from '../../../../src/core/evaluate/binaryPass';
import { drawnRocFromSweep, prFromSweep, rocAucOf, rocFromSweep, thresholdSweep } from '../../../../src/core/evaluate/curves';
import { applyCalibrator, fitIsotonic, reliability } from '../../../../src/core/evaluate/calibration';
import { binaryMetrics, classificationMetrics } from '../../../../src/core/evaluate/metrics';
import { binaryCurves, evaluateSplit, fitCalibrators, MAX_CURVE_POINTS, thinIndices } from '../../../../src/core/evaluate/evaluate';
import { stratifiedSample, uniformSample } from '../../../../src/core/data/sample';
import { decisionOnPreprocessed, probaFromDecision, type ModelJson } from '../../../../src/core/model/model';
import { Rng } from '../../../../src/core/random';

const rng = new Rng(12);

/** Scores with ties, clusters, both zeros, extremes and subnormals: what could trip a bucket sort. */
function awkwardScores(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    a[i] =
      r < 0.1 ? Math.round(rng.next() * 20) / 20 // many exact ties
      : r < 0.15 ? (rng.next() < 0.5 ? -0 : 0)
      : r < 0.2 ? (rng.next() - 0.5) * 1e300
      : r < 0.22 ? (rng.next() < 0.5 ? Infinity : -Infinity)
      : r < 0.25 ? rng.next() * 5e-324 * 1000
      : r < 0.5 ? 0.5 + (rng.next() - 0.5) * 1e-12 // one dense cluster
      : rng.normal() * 3;
  }
  return a;
}

function probabilities(n: number, ties = false): Float64Array {
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = ties ? Math.round(rng.next() * 200) / 200 : 1 / (1 + Math.exp(-rng.normal() * 4));
  return p;
}

function labelsFor(p: Float64Array): Int32Array {
  return Int32Array.from(p, (v) => (rng.next() < v ? 1 : 0));
}

describe('sortFloat64', () => {
  it('orders as Float64Array.prototype.sort, bit for bit (-0 before +0), on small and bucketed lengths', () => {
    for (const n of [0, 1, 7, 4095, 4096, 50_000]) {
      const a = awkwardScores(n);
      const expected = Array.from(a.slice().sort());
      expect(Array.from(sortFloat64(a))).toEqual(expected);
    }
  });

  it('sorts probabilities and all-equal arrays', () => {
    const p = probabilities(30_000);
    expect(Array.from(sortFloat64(p.slice()))).toEqual(Array.from(p.slice().sort()));
    const same = new Float64Array(10_000).fill(0.25);
    expect(Array.from(sortFloat64(same))).toEqual(Array.from(new Float64Array(10_000).fill(0.25)));
  });

  it('returns a new array from the bucket passes (the argument left as it was), the argument itself when short', () => {
    // Probabilities: the linear buckets; awkward scores (infinities): the upper-word buckets.
    for (const a of [probabilities(30_000), awkwardScores(50_000)]) {
      const before = a.slice();
      const sorted = sortFloat64(a);
      expect(sorted).not.toBe(a);
      expect(Array.from(a)).toEqual(Array.from(before));
      expect(Array.from(sorted)).toEqual(Array.from(before.sort()));
    }
    const short = probabilities(100);
    expect(sortFloat64(short)).toBe(short);
    expect(Array.from(short)).toEqual(Array.from(short.slice().sort()));
  });
});

describe('unit-weight fast paths against the weighted ones', () => {
  it('thresholdSweep: unit weights give the weighted sweep of weights 1/2, doubled', () => {
    for (const ties of [false, true]) {
      const p = probabilities(20_000, ties);
      const y = labelsFor(p);
      const fast = thresholdSweep(y, p);
      const half = thresholdSweep(y, p, new Float64Array(p.length).fill(0.5));
      expect(Array.from(fast.thresholds)).toEqual(Array.from(half.thresholds));
      expect(Array.from(fast.tp)).toEqual(Array.from(half.tp, (v) => 2 * v));
      expect(Array.from(fast.fp)).toEqual(Array.from(half.fp, (v) => 2 * v));
      expect([fast.positives, fast.negatives]).toEqual([2 * half.positives, 2 * half.negatives]);
    }
  });

  it('fitIsotonic: without weights as with weights of 1, bit for bit (scores within 1e-15 merged alike)', () => {
    for (const ties of [false, true]) {
      const p = probabilities(20_000, ties);
      // Scores closer than 1e-15 exercise the merging of near-equal scores.
      for (let i = 0; i < 200; i++) p[i] = 1e-16 * i;
      const y = labelsFor(p);
      const fast = fitIsotonic(p, y);
      const general = fitIsotonic(p, y, new Float64Array(p.length).fill(1));
      expect(fast).toEqual(general);
      expect(fast.x.length).toBeGreaterThan(5);
    }
  });

  it('binaryMetrics equals classificationMetrics with weights of 1, with and without a threshold', () => {
    for (const ties of [false, true]) {
      const z = Float64Array.from(probabilities(10_000, ties), (v) => Math.log(v / (1 - v)));
      const proba = probaFromDecision('binary', z, z.length, 1);
      const y = labelsFor(Float64Array.from(z, (v) => 1 / (1 + Math.exp(-v))));
      const ones = new Float64Array(z.length).fill(1);
      for (const threshold of [undefined, 0.5, 0.3]) {
        const general = classificationMetrics(y, proba, 2, { threshold, sampleWeight: ones });
        expect(classificationMetrics(y, proba, 2, { threshold })).toEqual(general);
        const p1 = Float64Array.from({ length: z.length }, (_, i) => proba[2 * i + 1]);
        const ranking = { rocAuc: general.rocAuc ?? NaN, averagePrecision: general.averagePrecision ?? NaN, ece: general.ece };
        expect(binaryMetrics(y, p1, ranking, threshold)).toEqual(general);
      }
    }
  });

  it('a single class: undefined ranking metrics stay null', () => {
    const p = probabilities(100);
    const y = new Int32Array(100);
    const proba = Float64Array.from({ length: 200 }, (_, k) => (k % 2 ? p[k >> 1] : 1 - p[k >> 1]));
    const m = classificationMetrics(y, proba, 2);
    expect(m.rocAuc).toBeNull();
    expect(m).toEqual(classificationMetrics(y, proba, 2, { sampleWeight: new Float64Array(100).fill(1) }));
  });
});

describe('evaluateSplit (binary): one sort shared by the metrics and the curves', () => {
  it('gives what separate metrics and curves give', () => {
    const n = 30_000;
    const d = 3;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const model = { kind: 'binary', featureNames: ['a', 'b', 'c'], coefStandardized: [[0.8, -1.1, 0.3]], interceptStandardized: [0.2], threshold: 0.4 } as unknown as ModelJson;
    const z = decisionOnPreprocessed(model, X, n);
    const proba = probaFromDecision('binary', z, n, 1);
    const y = labelsFor(Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1]));
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const ev = evaluateSplit('test', model, z, rows, { y, classes: ['no', 'yes'] });
    expect(ev.metrics).toEqual(classificationMetrics(y, proba, 2, { threshold: 0.4, sampleWeight: new Float64Array(n).fill(1) }));
    const p1 = Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1]);
    expect(ev.curves).toEqual(binaryCurves(y, p1));
  });
});

describe('binaryCurves: the PR points drawn, computed alone', () => {
  it('are the whole curve\'s points at the thinned indices', () => {
    for (const n of [300, 20_000]) {
      const p = probabilities(n, n < 1000);
      const y = labelsFor(p);
      const pr = prFromSweep(thresholdSweep(y, p));
      const keep = thinIndices(pr.precision.length, MAX_CURVE_POINTS);
      const drawn = binaryCurves(y, p).pr;
      expect(drawn.precision).toEqual(Array.from(keep, (i) => pr.precision[i]));
      expect(drawn.recall).toEqual(Array.from(keep, (i) => pr.recall[i]));
      expect(drawn.thresholds).toEqual(Array.from(keep, (i) => (i < pr.thresholds.length ? pr.thresholds[i] : 1)));
    }
  });
});

/** stratifiedSample as it was written first (a Map of row lists): the reference for the CSR version. */
function referenceSample(strata: ArrayLike<number>, max: number, seed: number): Int32Array {
  const n = strata.length;
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(strata[i]);
    if (g) g.push(i);
    else groups.set(strata[i], [i]);
  }
  const r = new Rng(seed);
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const quota = keys.map((k) => (groups.get(k)!.length * max) / n);
  const take = quota.map((q) => Math.max(1, Math.floor(q)));
  let left = max - take.reduce((a, b) => a + b, 0);
  const order = keys.map((_, i) => i).sort((a, b) => quota[b] - Math.floor(quota[b]) - (quota[a] - Math.floor(quota[a])) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    if (take[i] < groups.get(keys[i])!.length) {
      take[i]++;
      left--;
    }
  }
  const out: number[] = [];
  keys.forEach((k, i) => {
    const rows = Int32Array.from(groups.get(k)!);
    const m = Math.min(take[i], rows.length);
    for (let a = 0; a < m; a++) {
      const b = a + r.int(rows.length - a);
      const t = rows[a];
      rows[a] = rows[b];
      rows[b] = t;
    }
    for (let a = 0; a < m; a++) out.push(rows[a]);
  });
  return Int32Array.from(out).sort();
}

describe('stratifiedSample and uniformSample against the reference grouping', () => {
  it('small integer strata, large or negative or fractional keys, and one stratum', () => {
    const n = 20_000;
    const cases: ArrayLike<number>[] = [
      Int32Array.from({ length: n }, () => Math.floor(rng.next() * 6)),
      Int32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 7 : 1)),
      Float64Array.from({ length: n }, () => [1e6, -3, 0.5, 70_000][Math.floor(rng.next() * 4)]),
      new Int32Array(n),
    ];
    for (const strata of cases) {
      for (const [max, seed] of [[2000, 0], [37, 5], [n, 1]]) {
        expect(Array.from(stratifiedSample(strata, max, seed))).toEqual(Array.from(referenceSample(strata, max, seed)));
      }
    }
    for (const [max, seed] of [[5000, 0], [3, 9], [n + 1, 2]]) {
      expect(Array.from(uniformSample(n, max, seed))).toEqual(Array.from(referenceSample(new Int32Array(n), max, seed)));
    }
  });
});

describe('evaluateSplit (binary): the fused pass (binaryPass.ts) against the general functions', () => {
  /** A binary model and its decision values on n standard normal rows. */
  function problem(n: number, threshold?: number) {
    const d = 4;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const model = { kind: 'binary', featureNames: ['a', 'b', 'c', 'e'], coefStandardized: [[1.3, -0.7, 0.05, 2]], interceptStandardized: [-0.4], threshold } as unknown as ModelJson;
    const z = decisionOnPreprocessed(model, X, n);
    return { X, d, model, z };
  }

  it('a subset of rows, with and without a threshold (argmax), ties and saturated scores', () => {
    const n = 9_000;
    const { model, z } = problem(n);
    // Saturated rows (p = 0 or 1 exactly) and exact ties.
    for (let i = 0; i < 300; i++) z[i] = i % 2 ? 800 : -800;
    for (let i = 300; i < 600; i++) z[i] = 0.25;
    const yAll = Int32Array.from({ length: 2 * n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-(z[i >> 1] ?? 0))) ? 1 : 0));
    const rows = Int32Array.from({ length: n }, (_, i) => 2 * i + (i % 3 === 0 ? 1 : 0));
    const y = Int32Array.from(rows, (r) => yAll[r]);
    const proba = probaFromDecision('binary', z, n, 1);
    const p1 = Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1]);
    for (const threshold of [undefined, 0.5, 0.37]) {
      const m = { ...model, threshold } as ModelJson;
      const ev = evaluateSplit('validation', m, z, rows, { y: yAll, classes: ['0', '1'] });
      expect(ev.metrics).toEqual(classificationMetrics(y, proba, 2, { threshold, sampleWeight: new Float64Array(n).fill(1) }));
      expect(ev.curves).toEqual(binaryCurves(y, p1));
    }
  });

  it('with calibrators, and a NaN decision value reported as the general path reports it', () => {
    const n = 5_000;
    const { model, z } = problem(n, 0.5);
    const proba = probaFromDecision('binary', z, n, 1);
    const p1 = Float64Array.from({ length: n }, (_, i) => proba[2 * i + 1]);
    const y = labelsFor(p1);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const calibrated = { ...model, calibration: fitCalibrators(z, y) } as ModelJson;
    const ev = evaluateSplit('test', calibrated, z, rows, { y, classes: ['0', '1'] });
    expect(ev.curves!.calibrated!.platt).toBeDefined();
    expect(ev.curves!.calibrated!.isotonic!.bins.length).toBe(10);
    const nBins = 10;
    expect(ev.curves!.calibrated!.platt).toEqual(reliability(y, Float64Array.from(z, (v) => applyCalibrator(calibrated.calibration!.platt!, v)), nBins));
    expect(ev.curves!.calibrated!.isotonic).toEqual(reliability(y, Float64Array.from(p1, (v) => applyCalibrator(calibrated.calibration!.isotonic!, v)), nBins));
    z[17] = NaN;
    expect(() => evaluateSplit('test', model, z, rows, { y, classes: ['0', '1'] })).toThrow(/score 17 is NaN/);
  });

  it('decision values of one output, four rows at a time: the row-by-row sums bit for bit (n not a multiple of 4)', () => {
    for (const n of [1, 3, 4, 1_001]) {
      const { X, d, model, z } = problem(n);
      const w = (model.coefStandardized as number[][])[0];
      const b = (model.interceptStandardized as number[])[0];
      const expected = Float64Array.from({ length: n }, (_, i) => {
        let s = b;
        for (let j = 0; j < d; j++) s += w[j] * X[i * d + j];
        return s;
      });
      expect(Array.from(z)).toEqual(Array.from(expected));
    }
  });
});

describe('drawnRocFromSweep: the drawn ROC points and area without the whole curve', () => {
  it('equals thinning rocFromSweep and rocAucOf, bit for bit (long and short curves, one class only, ties)', () => {
    const cases: Array<[Int32Array, Float64Array]> = [];
    for (const [n, ties] of [[20_000, false], [20_000, true], [300, false], [5, false]] as const) {
      const p = probabilities(n, ties);
      cases.push([labelsFor(p), p]);
    }
    cases.push([new Int32Array(50).fill(1), probabilities(50)], [new Int32Array(50), probabilities(50)]);
    for (const [y, p] of cases) {
      const sweep = thresholdSweep(y, p);
      const roc = rocFromSweep(sweep);
      const keep = thinIndices(roc.fpr.length, MAX_CURVE_POINTS);
      const drawn = drawnRocFromSweep(sweep, MAX_CURVE_POINTS);
      const finite = (v: number) => (v === Infinity ? 2 : v);
      expect(drawn.fpr).toEqual(Array.from(keep, (i) => roc.fpr[i]));
      expect(drawn.tpr).toEqual(Array.from(keep, (i) => roc.tpr[i]));
      expect(drawn.thresholds).toEqual(Array.from(keep, (i) => finite(roc.thresholds[i])));
      expect(drawn.auc).toEqual(rocAucOf(roc));
    }
  });
});

describe('binaryPass: each class\'s scores from the one pass over the labels', () => {
  it('holds each class\'s probabilities (the rows\' p1 by label), on a subset of rows, with or without the row-order arrays', () => {
    const n = 20_000;
    const z = Float64Array.from({ length: n }, () => rng.normal() * 3);
    const yAll = Int32Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const rows = Int32Array.from({ length: 12_000 }, () => Math.floor(rng.next() * n));
    const zRows = Float64Array.from(rows, (r) => z[r]);
    const kept = binaryPass(zRows, yAll, rows, 0.5, 10, true)!;
    const lean = binaryPass(zRows, yAll, rows, 0.5, 10, false)!;
    const byClass = (label: number) => Float64Array.from(kept.p1!.filter((_, i) => yAll[rows[i]] === label)).sort();
    for (const pass of [kept, lean]) {
      expect(pass.pos.length + pass.neg.length).toBe(rows.length);
      expect(Array.from(pass.pos.slice().sort())).toEqual(Array.from(byClass(1)));
      expect(Array.from(pass.neg.slice().sort())).toEqual(Array.from(byClass(0)));
      expect(pass.logLossSum).toBe(kept.logLossSum);
    }
    expect(Array.from(kept.y!)).toEqual(Array.from(rows, (r) => yAll[r]));
  });

  it('is null on a label other than 0/1 or a NaN decision value, wherever the row is', () => {
    const rows = Int32Array.from({ length: 5_000 }, (_, i) => i);
    const z = Float64Array.from(rows, () => rng.normal());
    for (const at of [0, 2_500, 4_999]) {
      const y = Int32Array.from(rows, () => (rng.next() < 0.5 ? 1 : 0));
      expect(binaryPass(z, y, rows, undefined, 10, false)).not.toBeNull();
      y[at] = 2;
      expect(binaryPass(z, y, rows, undefined, 10, false)).toBeNull();
      y[at] = 1;
      const zNaN = z.slice();
      zNaN[at] = NaN;
      expect(binaryPass(zNaN, y, rows, undefined, 10, true)).toBeNull();
    }
  });
});

// Last in the file: its draws from the shared generator leave the other tests' data as it was.
describe('sortFloat64 into a reused output (one-vs-rest classes)', () => {
  it('writes long arrays into a given output (its first n entries), whatever it held, and sorts short ones in place', () => {
    const into = new Float64Array(60_000).fill(-3);
    for (const a of [probabilities(30_000), awkwardScores(50_000), probabilities(20_000), new Float64Array(8_000).fill(0.5)]) {
      const before = a.slice();
      const sorted = sortFloat64(a, into);
      expect(sorted.buffer).toBe(into.buffer);
      expect(sorted.length).toBe(a.length);
      expect(Array.from(a)).toEqual(Array.from(before));
      expect(Array.from(sorted)).toEqual(Array.from(before.sort()));
    }
    // An output too short is not used: a new array.
    const p = probabilities(10_000);
    const small = new Float64Array(5_000);
    const sorted = sortFloat64(p, small);
    expect(sorted.buffer).not.toBe(small.buffer);
    expect(Array.from(sorted)).toEqual(Array.from(p.slice().sort()));
    const short = probabilities(100);
    expect(sortFloat64(short, into)).toBe(short);
  });
});
