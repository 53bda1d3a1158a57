/**
 * The blocked loss kernels (register-blocked scores and gradient, grouped logarithms, expNonPositive)
 * against a plain row-by-row reference written from the formulas with Math.exp / Math.log1p, on odd
 * sizes: d = 1, 3, 7, 50; K = 2 (binary), 3, 10; n not a multiple of the block or the register groups;
 * with and without sample weights (some zero) and intercept; full passes, row shards and mini-batches;
 * full passes and shards on the JavaScript kernels and on the WebAssembly SIMD kernels, with X copied
 * into the module's memory or read in place from a shared WebAssembly memory.
 * Bar: relative error 1e-12 (value against |value|, gradient against its largest component).
 * The softmax kernel alone: bit for bit against a row-by-row evaluation of its own arithmetic (expVec).
 */
import { describe, expect, it } from 'vitest';
import { expNonPositive, log1pUnit } from '../../../../src/core/model/link';
import { LinearModelLoss, type LossSpec } from '../../../../src/core/model/loss';
import { Rng } from '../../../../src/core/random';
import { sharedFloat64Memory, sharedMemoryOf, simdAvailable } from '../../../../src/core/model/simdKernels';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from '../../../../src/core/wasm/kernels.generated';
import { compileModule, wasmApi } from '../../../../src/core/wasm/load';
// @ts-expect-error: the generator is plain JavaScript (scripts/wasm/kernels.mjs), run by node.
import { generatedSource, kernelsWasm } from '../../../../scripts/wasm/kernels.mjs';

const TOL = 1e-12;

/** Σ s_i ℓ_i and Σ s_i ∇ℓ_i over `rows`, one row at a time (no penalty, no scaling). */
function reference(spec: LossSpec, theta: Float64Array, rows: ArrayLike<number>): { value: number; grad: Float64Array } {
  const { X, d, y, nClasses } = spec;
  const fit = spec.fitIntercept ?? true;
  const binary = spec.kind === 'binary';
  const R = binary ? 1 : nClasses;
  const grad = new Float64Array(R * (d + 1));
  const z = new Float64Array(R);
  let value = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const s = spec.sampleWeight ? spec.sampleWeight[i] : 1;
    if (s === 0) continue;
    for (let k = 0; k < R; k++) {
      let t = fit ? theta[k * (d + 1) + d] : 0;
      for (let j = 0; j < d; j++) t += X[i * d + j] * theta[k * (d + 1) + j];
      z[k] = t;
    }
    const res = new Float64Array(R);
    if (binary) {
      const zi = z[0];
      value += s * (Math.max(zi, 0) - y[i] * zi + Math.log1p(Math.exp(-Math.abs(zi))));
      res[0] = s * (1 / (1 + Math.exp(-zi)) - y[i]);
    } else {
      const m = Math.max(...z);
      let total = 0;
      for (let k = 0; k < R; k++) total += Math.exp(z[k] - m);
      value += s * (m + Math.log(total) - z[y[i]]);
      for (let k = 0; k < R; k++) res[k] = s * (Math.exp(z[k] - m) / total - (k === y[i] ? 1 : 0));
    }
    for (let k = 0; k < R; k++) {
      for (let j = 0; j < d; j++) grad[k * (d + 1) + j] += res[k] * X[i * d + j];
      if (fit) grad[k * (d + 1) + d] += res[k];
    }
  }
  return { value, grad };
}

function expectClose(got: { value: number; grad: Float64Array }, want: { value: number; grad: Float64Array }): void {
  expect(Math.abs(got.value - want.value)).toBeLessThanOrEqual(TOL * Math.max(Math.abs(want.value), 1e-300));
  let scale = 0;
  for (const g of want.grad) scale = Math.max(scale, Math.abs(g));
  for (let p = 0; p < want.grad.length; p++) {
    if (Math.abs(got.grad[p] - want.grad[p]) > TOL * scale) expect({ p, got: got.grad[p] }).toEqual({ p, got: want.grad[p] });
  }
}

type Kernels = 'js' | 'simd' | 'simd-shared';

function spec(rng: Rng, n: number, d: number, K: number, weights: boolean, fitIntercept: boolean, kernels: Kernels = 'js'): LossSpec {
  let X: Float64Array = Float64Array.from({ length: n * d }, (_, i) => rng.normal() * (1 + (i % 3)) + (i % d === 0 ? 2 : 0));
  if (kernels === 'simd-shared') {
    // Inside a shared WebAssembly memory, three values in (read in place, at an offset).
    const inShared = new Float64Array(sharedFloat64Memory((n * d + 3) * 8)!, 24, n * d);
    inShared.set(X);
    X = inShared;
  }
  const simd = kernels !== 'js';
  const y = Int32Array.from({ length: n }, () => rng.int(K));
  const sampleWeight = weights ? Float64Array.from({ length: n }, (_, i) => (i % 11 === 4 ? 0 : 0.1 + 2 * rng.next())) : null;
  return { X, n, d, kind: K === 2 ? 'binary' : 'multinomial', y, nClasses: K, sampleWeight, fitIntercept, penalty: 'l2', C: 0.5, simd };
}

describe('blocked loss kernels against a row-by-row reference', () => {
  const rng = new Rng(2024);
  it('has the WebAssembly SIMD kernels on this runtime, assembled from their generator', async () => {
    expect(simdAvailable()).toBe(true);
    expect(sharedFloat64Memory(8)).toBeInstanceOf(SharedArrayBuffer);
    const source = generatedSource(await kernelsWasm(false), await kernelsWasm(true));
    const generated = (name: string) => source.split(`export const ${name} =`)[1].split(';')[0].match(/'([^']*)'/g).map((q: string) => q.slice(1, -1)).join('');
    expect(KERNELS_WASM_BASE64).toBe(generated('KERNELS_WASM_BASE64'));
    expect(KERNELS_SHARED_WASM_BASE64).toBe(generated('KERNELS_SHARED_WASM_BASE64'));
  });
  for (const d of [1, 3, 7, 50]) {
    for (const K of [2, 3, 10, 11]) {
      for (const weights of [false, true]) {
        for (const fitIntercept of [true, false]) {
         for (const kernels of ['js', 'simd', 'simd-shared'] as const) {
          it(`d=${d} K=${K} weights=${weights} intercept=${fitIntercept} ${kernels}`, () => {
            // n: over a block (256 rows for small d, 256 down to 655 for d = 50), not a multiple of 4 or 16.
            const n = d === 50 ? 1037 : 613;
            const s = spec(rng, n, d, K, weights, fitIntercept, kernels);
            expect(sharedMemoryOf(s.X.buffer) !== undefined).toBe(kernels === 'simd-shared');
            const loss = new LinearModelLoss(s);
            for (const size of [0.3, 2.5]) {
              const theta = Float64Array.from({ length: loss.nParams }, () => size * rng.normal());
              const all = Int32Array.from({ length: n }, (_, i) => i);

              // Shards: the data term over a partition of the rows (SIMD: first the first shard's rows,
              // then all rows).
              for (const [a, b] of [[5, 262], [0, 5], [262, n], [0, n]]) {
                const grad = new Float64Array(loss.nParams);
                const value = loss.accumulateRows(theta, a, b, grad);
                const want = reference(s, theta, all.subarray(a, b));
                if (!fitIntercept) for (let k = 0; k < loss.nCoefRows; k++) grad[k * (d + 1) + d] = 0;
                expectClose({ value, grad }, want);
              }

              // Full pass: lossGradient = (data term)/S + L2.
              const grad = new Float64Array(loss.nParams);
              const f = loss.lossGradient(theta, grad);
              const want = reference(s, theta, all);
              let l2 = 0;
              for (let p = 0; p < loss.nParams; p++) {
                want.grad[p] /= loss.totalWeight;
                if (loss.penalizedMask[p]) {
                  want.grad[p] += loss.l2Strength * theta[p];
                  l2 += theta[p] * theta[p];
                }
              }
              want.value = want.value / loss.totalWeight + 0.5 * loss.l2Strength * l2;
              expectClose({ value: f, grad }, want);
              expect(loss.loss(theta)).toBeCloseTo(f, 12);

              // Mini-batch: a shuffled subset of 3 + 261 rows (scaled by n / (S·B)).
              const order = Int32Array.from(all);
              for (let i = n - 1; i > 0; i--) {
                const j = rng.int(i + 1);
                [order[i], order[j]] = [order[j], order[i]];
              }
              const bg = new Float64Array(loss.nParams);
              const fb = loss.lossGradientBatch(theta, order, 3, 264, bg);
              const wb = reference(s, theta, order.subarray(3, 264));
              const scale = n / (loss.totalWeight * 261);
              for (let p = 0; p < loss.nParams; p++) {
                wb.grad[p] = fitIntercept || (p + 1) % (d + 1) !== 0 ? wb.grad[p] * scale : 0;
                if (loss.penalizedMask[p]) wb.grad[p] += loss.l2Strength * theta[p];
              }
              wb.value = wb.value * scale + 0.5 * loss.l2Strength * l2;
              expectClose({ value: fb, grad: bg }, wb);
            }
          });
         }
        }
      }
    }
  }

  it('stays exact for confident predictions (tiny losses) and saturated scores', () => {
    const s = spec(rng, 333, 3, 2, false, true);
    for (let i = 0; i < s.n; i++) s.y[i] = s.X[i * 3] > 2 ? 1 : 0;
    const loss = new LinearModelLoss(s);
    const theta = Float64Array.of(40, 0, 0, -80);
    const grad = new Float64Array(4);
    const value = loss.accumulateRows(theta, 0, s.n, grad);
    expectClose({ value, grad }, reference(s, theta, Int32Array.from({ length: s.n }, (_, i) => i)));
    const big = Float64Array.of(1e5, 0, 0, 0);
    expect(Number.isFinite(loss.accumulateRows(big, 0, s.n, new Float64Array(4)))).toBe(true);
  });
});

/** The gap from a non-negative float64 to the next one up: one ulp. */
const ULP = new Float64Array(1);
const ULP_BITS = new BigInt64Array(ULP.buffer);
function ulp(x: number): number {
  ULP[0] = x;
  ULP_BITS[0] += 1n;
  return ULP[0] - x;
}

describe('expNonPositive', () => {
  it('is within 2 ulp of Math.exp on (-745, 0], exactly 1 at 0 and 0 below the range', () => {
    const rng = new Rng(7);
    for (let t = 0; t < 200000; t++) {
      const x = t % 2 ? -708 * rng.next() : -(2 ** (-60 * rng.next()));
      const want = Math.exp(x);
      expect(Math.abs(expNonPositive(x) - want)).toBeLessThanOrEqual(2 * ulp(want));
    }
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-800)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(NaN)).toBeNaN();
    expect(Math.abs(expNonPositive(-740) - Math.exp(-740))).toBeLessThan(1e-320);
  });
});

describe('log1pUnit', () => {
  it('is within 2 ulp of Math.log1p on [0, 1], exactly 0 at 0 and log 2 at 1', () => {
    const rng = new Rng(8);
    for (let t = 0; t < 200000; t++) {
      // Uniform on [0, 1], near the table's knots j/128, and log-uniform down to 1e-300.
      const e = t % 3 === 0 ? rng.next() : t % 3 === 1 ? Math.min(1, Math.floor(rng.next() * 129) / 128 + (rng.next() - 0.5) * 1e-9) : 10 ** (-300 * rng.next());
      if (e < 0) continue;
      const want = Math.log1p(e);
      expect(Math.abs(log1pUnit(e) - want), `e = ${e}`).toBeLessThanOrEqual(2 * ulp(want));
    }
    expect(log1pUnit(0)).toBe(0);
    expect(log1pUnit(1)).toBe(Math.LN2);
    expect(log1pUnit(NaN)).toBeNaN();
  });
});

/** roundTiesToEven (f64x2.nearest). */
function nearest(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const POW2 = new Float64Array(1);
const POW2_BITS = new BigInt64Array(POW2.buffer);

/** One lane of the kernels' expVec (scripts/wasm/kernels.mjs), the same operations in the same order. */
function expLane(v: number, taylor: number[]): number {
  const kf = nearest(v * (1 / Math.LN2));
  const r = v - kf * 6.93147180369123816490e-01 - kf * 1.90821492927058770002e-10;
  const r2 = r * r;
  const r4 = r2 * r2;
  const q = (i: number) => taylor[2 * i] + taylor[2 * i + 1] * r;
  const u0 = q(0) + q(1) * r2 + (q(2) + q(3) * r2) * r4;
  const u1 = q(4) + q(5) * r2 + q(6) * r4;
  POW2_BITS[0] = BigInt(Math.trunc(Math.max(kf, -1022)) + 1023) << 52n;
  const e = (u0 + u1 * (r4 * r4)) * POW2[0];
  return v < -708 ? 0 : e;
}

describe('the softmax kernel', () => {
  it('gives every row the bits of a row-by-row evaluation of its formulas (odd and even K, weights with zeros, blocks of odd length)', () => {
    const taylor = Array.from({ length: 14 }, (_, k) => {
      let f = 1;
      for (let i = 2; i <= k; i++) f *= i;
      return 1 / f;
    });
    const kernels = new (wasmApi()!.Instance)(compileModule(KERNELS_WASM_BASE64)!).exports as { memory: { buffer: ArrayBuffer }; softmax: (...args: number[]) => void };
    const rng = new Rng(31);
    for (const K of [2, 3, 10, 11]) {
      for (const hasW of [0, 1]) {
        const kp = K + (K & 1);
        const m = 37;
        const z = Float64Array.from({ length: m * kp }, (_, i) => (i % kp >= K ? 0 : i % 17 === 0 ? -750 * rng.next() : 6 * rng.normal()));
        const y = Int32Array.from({ length: m }, () => rng.int(K));
        const sw = Float64Array.from({ length: m }, (_, t) => (hasW ? (t % 5 === 2 ? 0 : 0.1 + 2 * rng.next()) : 1));
        const [zOff, outOff, yOff, swOff] = [0, m * kp * 8, m * kp * 8 + m * 16, m * kp * 8 + m * 16 + 8 * Math.ceil(m / 2)];
        const f64 = new Float64Array(kernels.memory.buffer);
        f64.set(z, zOff / 8);
        new Int32Array(kernels.memory.buffer).set(y, yOff / 4);
        f64.set(sw, swOff / 8);
        kernels.softmax(zOff, m, kp, K, yOff, swOff, hasW, outOff);
        for (let t = 0; t < m; t++) {
          const row = Array.from(z.subarray(t * kp, t * kp + kp));
          if (kp > K) row[K] = -Infinity;
          const mx = Math.max(...row);
          const e = row.map((v) => expLane(v - mx, taylor));
          let even = 0;
          let odd = 0;
          for (let k = 0; k < kp; k += 2) {
            even += e[k];
            odd += e[k + 1];
          }
          const total = even + odd;
          const s = sw[t];
          const residuals = e.map((v) => (s === 0 ? 0 : v * (s / total)));
          if (s !== 0) residuals[y[t]] -= s;
          expect([f64[outOff / 8 + 2 * t], f64[outOff / 8 + 2 * t + 1]]).toEqual(s === 0 ? [0, 1] : [s * (mx - z[t * kp + y[t]]), total]);
          expect(Array.from(f64.subarray(t * kp, t * kp + kp))).toEqual(residuals);
        }
      }
    }
  });
});
