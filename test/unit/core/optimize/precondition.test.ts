/**
 * StandardizingPreconditioner's column statistics against a row-by-row reference of the documented
 * sample (every row up to 8192, else 128 blocks of 64 rows at floor(b n / 128)): the weighted means
 * and scales, bit for bit, with and without weights (all sampled weights zero: unweighted), with and
 * without an intercept, with a constant column; and T D Tᵀ is symmetric positive definite (qᵀ apply(q)
 * equals norm2(q) > 0).
 */
import { describe, expect, it } from 'vitest';
import { LinearModelLoss } from '../../../../src/core/model/loss';
import { StandardizingPreconditioner } from '../../../../src/core/optimize/precondition';
import { Rng } from '../../../../src/core/random';

/** The sampled rows in order, as the preconditioner's documentation states them. */
function sampledRows(n: number): number[] {
  if (n <= 8192) return Array.from({ length: n }, (_, i) => i);
  const rows: number[] = [];
  for (let b = 0; b < 128; b++) {
    const r0 = Math.floor((b * n) / 128);
    for (let i = r0; i < Math.min(r0 + 64, n); i++) rows.push(i);
  }
  return rows;
}

function reference(X: Float64Array, d: number, rows: number[], weights: Float64Array | null, fitIntercept: boolean): { mean: number[]; invScale: number[] } {
  let S = 0;
  for (const i of rows) S += weights ? weights[i] : 1;
  const w = S > 0 ? weights : null;
  if (!(S > 0)) S = rows.length;
  const mean: number[] = [];
  const invScale: number[] = [];
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (const i of rows) sum += (w ? w[i] : 1) * X[i * d + j];
    mean.push(fitIntercept ? sum / S : 0);
  }
  for (let j = 0; j < d; j++) {
    let sq = 0;
    for (const i of rows) {
      const c = X[i * d + j] - mean[j];
      sq += (w ? w[i] : 1) * c * c;
    }
    const sd = Math.sqrt(sq / S);
    const rms = Math.sqrt(sd * sd + mean[j] * mean[j]);
    if (sd > 1e-10 * rms) invScale.push(1 / sd);
    else {
      mean[j] = 0;
      invScale.push(rms > 0 ? 1 / rms : 1);
    }
  }
  return { mean, invScale };
}

describe('StandardizingPreconditioner', () => {
  for (const n of [500, 20011]) {
    for (const weights of ['none', 'random', 'zero'] as const) {
      for (const fitIntercept of [true, false]) {
        it(`takes the documented sample's statistics: n ${n}, weights ${weights}, ${fitIntercept ? 'intercept' : 'no intercept'}`, () => {
          const rng = new Rng(n);
          const d = 6;
          // Column 3 is constant; the others have scales 10^-2..10^2 and offsets.
          const X = Float64Array.from({ length: n * d }, (_, i) => (i % d === 3 ? 7 : 10 ** ((i % d) - 2) * rng.normal() + 5 * (i % d)));
          const sw = weights === 'none' ? null : Float64Array.from({ length: n }, (_, i) => (weights === 'zero' ? 0 : i % 7 === 0 ? 0 : 0.2 + rng.next()));
          const y = Int32Array.from({ length: n }, (_, i) => i % 3);
          // A zero weight everywhere is refused by the loss: give the rows outside the sample the weight.
          if (sw && weights === 'zero') sw[n - 1] = n > 8192 ? 1 : 0;
          if (sw && weights === 'zero' && n <= 8192) sw[0] = 1;
          const loss = new LinearModelLoss({ X, n, d, kind: 'multinomial', y, nClasses: 3, sampleWeight: sw, fitIntercept, penalty: 'l2', C: 1 });
          const pc = new StandardizingPreconditioner(loss);
          const want = reference(X, d, sampledRows(n), sw, fitIntercept);
          const got = pc as unknown as { mean: Float64Array; invScale: Float64Array };
          expect(Array.from(got.mean)).toEqual(want.mean);
          expect(Array.from(got.invScale)).toEqual(want.invScale);
          const q = Float64Array.from({ length: loss.nParams }, () => rng.normal());
          const out = new Float64Array(loss.nParams);
          pc.apply(q, out);
          let qHq = 0;
          for (let p = 0; p < q.length; p++) qHq += q[p] * out[p];
          expect(pc.norm2(q)).toBeGreaterThan(0);
          expect(Math.abs(qHq - pc.norm2(q))).toBeLessThanOrEqual(1e-12 * pc.norm2(q));
        });
      }
    }
  }
});
