import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCalibrator, fitIsotonic, fitPlatt, reliability, reliabilityBinCount } from '../../../../src/core/evaluate/calibration';
import { Rng } from '../../../../src/core/random';

function loadFixture<T>(name: string): T {
  const text = readFileSync(new URL(`../../../fixtures/sklearn/metrics/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text) as T;
}

interface Fixture {
  reliability: {
    y: number[];
    prob: number[];
    curves: { nBins: number; fractionPositive: number[]; meanPredicted: number[] }[];
    brier: number;
    ece10: number;
  };
  platt: {
    name: string;
    decision: number[];
    y: number[];
    weight: number[] | null;
    sklearn: { a: number; b: number };
    refined: { a: number; b: number; maxGradient: number };
  }[];
  isotonic: {
    name: string;
    score: number[];
    y: number[];
    weight: number[] | null;
    x: number[];
    fitted: number[];
    query: number[];
    predicted: number[];
  }[];
}

const fx = loadFixture<Fixture>('calibration.json');
const TOL = 1e-12;
const close = (actual: number, expected: number, what: string, tol = TOL): void => {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
};

describe('reliability', () => {
  it('matches calibration_curve(strategy="uniform") on the non-empty bins', () => {
    const { y, prob, curves } = fx.reliability;
    // The fixture puts probabilities exactly on edges (0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1).
    expect(prob.slice(0, 8)).toEqual([0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1]);
    for (const c of curves) {
      const r = reliability(y, prob, c.nBins);
      expect(r.bins).toHaveLength(c.nBins);
      const nonEmpty = r.bins.filter((b) => b.count > 0);
      expect(nonEmpty).toHaveLength(c.fractionPositive.length);
      nonEmpty.forEach((b, j) => {
        close(b.fractionPositive, c.fractionPositive[j], `nBins ${c.nBins} bin ${j} fraction`);
        close(b.meanPredicted, c.meanPredicted[j], `nBins ${c.nBins} bin ${j} mean`);
      });
      expect(r.bins.reduce((s, b) => s + b.count, 0)).toBe(prob.length);
    }
    const r10 = reliability(y, prob);
    close(r10.brier, fx.reliability.brier, 'brier_score_loss');
    close(r10.ece, fx.reliability.ece10, 'ece');
  });

  it('puts a probability on an edge in the lower bin, 0 in the first and 1 in the last', () => {
    const r = reliability([0, 1, 0, 1], [0, 0.1, 0.5, 1], 10);
    expect(r.bins.map((b) => b.count)).toEqual([2, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(r.bins[0]).toMatchObject({ lower: 0, upper: 0.1, count: 2, weight: 2, meanPredicted: 0.05, fractionPositive: 0.5 });
    expect(r.bins[9].upper).toBe(1);
  });

  it('computes ECE on a hand example with weights and reports empty bins', () => {
    // 4 bins. Bin (0.25, 0.5]: p 0.3 (y 0, w 1), 0.4 (y 1, w 3): mean 1.5/4 = 0.375, fraction 3/4.
    // Bin (0.75, 1]: p 0.9 (y 1, w 2), 0.8 (y 0, w 2): mean 0.85, fraction 0.5.
    // W = 8: ECE = (4/8)|0.75 - 0.375| + (4/8)|0.5 - 0.85| = 0.1875 + 0.175 = 0.3625.
    const r = reliability([0, 1, 1, 0], [0.3, 0.4, 0.9, 0.8], 4, [1, 3, 2, 2]);
    expect(r.ece).toBeCloseTo(0.3625, 15);
    expect(r.bins[1]).toMatchObject({ count: 2, weight: 4, fractionPositive: 0.75 });
    expect(r.bins[1].meanPredicted).toBeCloseTo(0.375, 15);
    expect(r.bins[0].count).toBe(0);
    expect(r.bins[0].weight).toBe(0);
    expect(r.bins[0].meanPredicted).toBeNaN();
    expect(r.bins[2].fractionPositive).toBeNaN();
    // Brier: (1·0.09 + 3·0.36 + 2·0.01 + 2·0.64) / 8.
    expect(r.brier).toBeCloseTo((0.09 + 1.08 + 0.02 + 1.28) / 8, 15);
  });

  it('is 0 for a perfectly calibrated bin and NaN for no data', () => {
    expect(reliability([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5]).ece).toBe(0);
    const empty = reliability([], []);
    expect(empty.ece).toBeNaN();
    expect(empty.bins.every((b) => b.count === 0)).toBe(true);
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => reliability([1], [1.2])).toThrow(RangeError);
    expect(() => reliability([1], [NaN])).toThrow(RangeError);
    expect(() => reliability([1], [0.5], 0)).toThrow(RangeError);
  });
});

describe('fitPlatt: parity with sklearn.calibration._sigmoid_calibration', () => {
  it.each(fx.platt.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    const c = fitPlatt(p.decision, p.y, p.weight);
    expect(c.kind).toBe('platt');
    // The exact optimum of the same objective (scipy trust-exact, gradient < 1e-10).
    expect(p.refined.maxGradient).toBeLessThan(1e-10);
    close(c.a, p.refined.a, 'a vs optimum', 1e-9);
    close(c.b, p.refined.b, 'b vs optimum', 1e-9);
    // scikit-learn's BFGS stops at gradient norm 1e-5: its parameters are ~1e-6 from the optimum.
    close(c.a, p.sklearn.a, 'a vs sklearn', 2e-6);
    close(c.b, p.sklearn.b, 'b vs sklearn', 2e-6);
  });

  it('maps decision values through 1/(1 + exp(a f + b))', () => {
    const c = { kind: 'platt' as const, a: -2, b: 0.5 };
    expect(applyCalibrator(c, 1)).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 15);
    expect(applyCalibrator(c, -1000)).toBe(0);
    expect(applyCalibrator(c, 1000)).toBe(1);
  });

  it('stays finite on separable data and with one class only', () => {
    const sep = fitPlatt([-3, -2, -1, 1, 2, 3], [0, 0, 0, 1, 1, 1]);
    expect(Number.isFinite(sep.a) && Number.isFinite(sep.b)).toBe(true);
    expect(sep.a).toBeLessThan(0);
    const oneClass = fitPlatt([0.1, 0.5, 0.9], [1, 1, 1]);
    // Targets (3+1)/(3+2) = 0.8 everywhere: the optimum is any line with p = 0.8, found with a ≈ 0.
    expect(applyCalibrator(oneClass, 0.5)).toBeCloseTo(0.8, 9);
  });
});

describe('fitPlatt on many rows', () => {
  it('stops once the loss can no longer resolve a Newton step (a few passes, not hundreds)', () => {
    // 100,000 well-calibrated decisions: the optimum is a ≈ -1, b ≈ 0. Near it the Newton step changes
    // the summed loss by less than its rounding; the fit must stop there instead of backtracking forever.
    const rng = new Rng(11);
    const n = 100_000;
    const f = new Float64Array(n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      f[i] = 2 * rng.normal();
      y[i] = rng.next() < 1 / (1 + Math.exp(-f[i])) ? 1 : 0;
    }
    let reads = 0;
    const counted = new Proxy(f, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        const v = Reflect.get(target, key, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as unknown as ArrayLike<number>;
    const p = fitPlatt(counted, y);
    expect(p.a).toBeCloseTo(-1, 1);
    expect(Math.abs(p.b)).toBeLessThan(0.05);
    expect(reads / n).toBeLessThan(60); // each Newton iteration reads every decision about twice
    const again = fitPlatt(f, y);
    expect([again.a, again.b]).toEqual([p.a, p.b]);
  });
});

describe('fitIsotonic: parity with IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip")', () => {
  it.each(fx.isotonic.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const c = fitIsotonic(s.score, s.y, s.weight);
    expect(c.x).toHaveLength(s.x.length);
    c.x.forEach((v, j) => close(v, s.x[j], `x[${j}]`, 0));
    c.y.forEach((v, j) => close(v, s.fitted[j], `y[${j}]`));
    s.query.forEach((q, j) => close(applyCalibrator(c, q), s.predicted[j], `predict(${q})`));
  });

  it('pools violators with weights by hand', () => {
    // Scores 0.1..0.4 with labels 1, 0, 0, 1 and weights 1, 1, 2, 1: the first three pool to 1/4.
    const c = fitIsotonic([0.1, 0.2, 0.3, 0.4], [1, 0, 0, 1], [1, 1, 2, 1]);
    expect(c.x).toEqual([0.1, 0.3, 0.4]);
    expect(c.y).toEqual([0.25, 0.25, 1]);
    expect(applyCalibrator(c, 0.35)).toBeCloseTo(0.625, 15);
    expect(applyCalibrator(c, 0)).toBe(0.25);
    expect(applyCalibrator(c, 2)).toBe(1);
    expect(applyCalibrator(c, NaN)).toBeNaN();
  });

  it('is monotone, within [0, 1], and constant for a single distinct score', () => {
    const rng = new Rng(4);
    const score: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 500; i++) {
      score.push(Math.round(rng.next() * 50) / 50);
      y.push(rng.next() < score[i] ? 1 : 0);
    }
    const c = fitIsotonic(score, y);
    for (let j = 1; j < c.x.length; j++) {
      expect(c.x[j]).toBeGreaterThan(c.x[j - 1]);
      expect(c.y[j]).toBeGreaterThanOrEqual(c.y[j - 1]);
    }
    expect(Math.min(...c.y)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...c.y)).toBeLessThanOrEqual(1);
    const single = fitIsotonic([0.3, 0.3, 0.3], [1, 0, 1]);
    expect(single).toEqual({ kind: 'isotonic', x: [0.3], y: [2 / 3] });
    expect(applyCalibrator(single, 0.9)).toBe(2 / 3);
  });

  it('rejects input without positive weight', () => {
    expect(() => fitIsotonic([0.2], [1], [0])).toThrow(RangeError);
  });
});

describe('reliabilityBinCount', () => {
  it('about 25 rows per bin, between 3 and 10 bins', () => {
    expect([10, 84, 114, 250, 5000].map(reliabilityBinCount)).toEqual([3, 3, 4, 10, 10]);
  });
});
