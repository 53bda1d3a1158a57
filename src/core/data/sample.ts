import { Rng } from '../random';

/**
 * A stratified sample of at most `max` row indices: every stratum (e.g. class x split) keeps its share
 * of the sample, and every non-empty stratum keeps at least one row, so rare classes stay visible in
 * the decision-boundary plot. Deterministic for a seed; the result is sorted ascending.
 */
export function stratifiedSample(strata: ArrayLike<number>, max: number, seed: number): Int32Array {
  const n = strata.length;
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(strata[i]);
    if (g) g.push(i);
    else groups.set(strata[i], [i]);
  }
  const rng = new Rng(seed);
  // Largest-remainder allocation with a floor of one row per stratum.
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const quota = keys.map((k) => (groups.get(k)!.length * max) / n);
  const take = quota.map((q) => Math.max(1, Math.floor(q)));
  let left = max - take.reduce((a, b) => a + b, 0);
  const order = keys.map((_, i) => i).sort((a, b) => (quota[b] - Math.floor(quota[b])) - (quota[a] - Math.floor(quota[a])) || a - b);
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
    // Partial Fisher-Yates: the first take[i] entries become a uniform sample.
    const m = Math.min(take[i], rows.length);
    for (let a = 0; a < m; a++) {
      const b = a + rng.int(rows.length - a);
      const t = rows[a];
      rows[a] = rows[b];
      rows[b] = t;
    }
    for (let a = 0; a < m; a++) out.push(rows[a]);
  });
  return Int32Array.from(out).sort();
}
