import type { Projection } from '../report/report';
import { Rng } from '../random';

/**
 * The first two principal components of rows X (n x d, row-major; already standardized), by power
 * iteration with deflation on the covariance matrix. Signs are fixed so that the largest-magnitude
 * loading of each component is positive (deterministic plots).
 */
export function principalComponents(X: Float64Array, n: number, d: number, seed = 0): Projection | null {
  if (n < 3 || d < 2) return null;
  const center = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) center[j] += X[i * d + j];
  for (let j = 0; j < d; j++) center[j] /= n;
  // Covariance (d x d); d is the number of encoded features, bounded by the column limit.
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = X[i * d + j] - center[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ra * row[b];
    }
  }
  let total = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n;
    total += cov[a * d + a];
  }
  if (!(total > 0)) return null;
  const rng = new Rng(seed);
  const components: number[][] = [];
  const explained: number[] = [];
  for (let c = 0; c < 2; c++) {
    let v = new Float64Array(d);
    for (let j = 0; j < d; j++) v[j] = rng.normal();
    let lambda = 0;
    for (let it = 0; it < 500; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += cov[a * d + b] * v[b];
        w[a] = s;
      }
      const norm = Math.hypot(...w);
      if (!(norm > 0)) break;
      for (let j = 0; j < d; j++) w[j] /= norm;
      let delta = 0;
      for (let j = 0; j < d; j++) delta = Math.max(delta, Math.abs(Math.abs(w[j]) - Math.abs(v[j])));
      v = w;
      lambda = norm;
      if (delta < 1e-12) break;
    }
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
    components.push(Array.from(v));
    explained.push(lambda / total);
    // Deflate: cov -= lambda v v'.
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b] -= lambda * v[a] * v[b];
  }
  return { center, components, explained };
}
