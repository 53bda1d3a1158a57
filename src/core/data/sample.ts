import { Rng } from '../random';

/**
 * A stratified sample of at most `max` row indices: every stratum (e.g. class x split) keeps its share
 * of the sample, and every non-empty stratum keeps at least one row, so rare classes stay visible in
 * the decision-boundary plot. Deterministic for a seed; the result is sorted ascending.
 */
export function stratifiedSample(strata: ArrayLike<number>, max: number, seed: number): Int32Array {
  const n = strata.length;
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  // Rows grouped by stratum (keys ascending, rows ascending within each) in one array, by counting.
  const { keys, id } = denseIds(strata);
  const G = keys.length;
  const start = new Int32Array(G + 1);
  for (let i = 0; i < n; i++) start[id[i] + 1]++;
  for (let g = 0; g < G; g++) start[g + 1] += start[g];
  const rows = new Int32Array(n);
  const fill = start.slice(0, G);
  for (let i = 0; i < n; i++) rows[fill[id[i]]++] = i;
  const size = (g: number) => start[g + 1] - start[g];
  const rng = new Rng(seed);
  // Largest-remainder allocation with a floor of one row per stratum.
  const quota = keys.map((_, g) => (size(g) * max) / n);
  const take = quota.map((q) => Math.max(1, Math.floor(q)));
  let left = max - take.reduce((a, b) => a + b, 0);
  const order = keys.map((_, i) => i).sort((a, b) => (quota[b] - Math.floor(quota[b])) - (quota[a] - Math.floor(quota[a])) || a - b);
  for (const g of order) {
    if (left <= 0) break;
    if (take[g] < size(g)) {
      take[g]++;
      left--;
    }
  }
  const out: number[] = [];
  for (let g = 0; g < G; g++) {
    const group = rows.subarray(start[g], start[g + 1]);
    // Partial Fisher-Yates: the first take[g] entries become a uniform sample.
    const m = Math.min(take[g], group.length);
    for (let a = 0; a < m; a++) {
      const b = a + rng.int(group.length - a);
      const t = group[a];
      group[a] = group[b];
      group[b] = t;
    }
    for (let a = 0; a < m; a++) out.push(group[a]);
  }
  return Int32Array.from(out).sort();
}

/** The distinct strata ascending, and each row's index among them (a table for small non-negative integers, else a Map). */
function denseIds(strata: ArrayLike<number>): { keys: number[]; id: Int32Array } {
  const n = strata.length;
  const id = new Int32Array(n);
  let small = true;
  let top = 0;
  for (let i = 0; i < n && small; i++) {
    const v = strata[i];
    if (!(Number.isInteger(v) && v >= 0 && v < 1 << 16)) small = false;
    else if (v > top) top = v;
  }
  if (small) {
    const seen = new Int32Array(top + 1).fill(-1);
    for (let i = 0; i < n; i++) seen[strata[i]] = 0;
    const keys: number[] = [];
    for (let v = 0; v <= top; v++) if (seen[v] === 0) seen[v] = keys.push(v) - 1;
    for (let i = 0; i < n; i++) id[i] = seen[strata[i]];
    return { keys, id };
  }
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!index.has(strata[i])) index.set(strata[i], 0);
  const keys = [...index.keys()].sort((a, b) => a - b);
  keys.forEach((k, g) => index.set(k, g));
  for (let i = 0; i < n; i++) id[i] = index.get(strata[i])!;
  return { keys, id };
}

/**
 * stratifiedSample with a single stratum (the same indices for the same seed), without grouping:
 * at most `max` of the row indices 0..n-1, uniformly, sorted ascending.
 */
export function uniformSample(n: number, max: number, seed: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  if (n <= max) return rows;
  const rng = new Rng(seed);
  for (let a = 0; a < max; a++) {
    const b = a + rng.int(n - a);
    const t = rows[a];
    rows[a] = rows[b];
    rows[b] = t;
  }
  return rows.slice(0, max).sort();
}
