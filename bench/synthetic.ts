/**
 * The benches' in-memory synthetic binary problem (deterministic): n x d standardized rows of standard
 * normals, y ~ Bernoulli(σ(0.3 + w·x)) with w_j = ±(0.2 + (j mod 7)/10), the same weights as
 * bench/generate.mjs's CSVs. Used by bench/evaluate.ts and bench/landscape.mjs.
 */
import { Rng } from '../src/core/random';

export const SYNTHETIC_INTERCEPT = 0.3;

export function syntheticBinary(n: number, d: number): { X: Float64Array; y: Int32Array; w: number[] } {
  const rng = new Rng(1);
  const X = new Float64Array(n * d);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const w = Array.from({ length: d }, (_, j) => (j % 2 ? 1 : -1) * (0.2 + (j % 7) / 10));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let z = SYNTHETIC_INTERCEPT;
    for (let j = 0; j < d; j++) z += w[j] * X[i * d + j];
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X, y, w };
}
