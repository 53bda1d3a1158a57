import { Rng } from '../random';

/**
 * A stratified sample of at most `max` row indices: every stratum (e.g. class x split) keeps its share
 * of the sample, and every non-empty stratum keeps at least one row, so rare classes stay visible in
 * the decision-boundary plot. Deterministic for a seed; the result is sorted ascending.
 */
export function stratifiedSample(strata: ArrayLike<number>, max: number, seed: number): Int32Array {
  const n = strata.length;
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  let small = true;
  let top = 0;
  for (let i = 0; i < n && small; i++) {
    const v = strata[i];
    if (!(Number.isInteger(v) && v >= 0 && v < 1 << 16)) small = false;
    else if (v > top) top = v;
  }
  if (small) {
    const count = new Int32Array(top + 1);
    for (let i = 0; i < n; i++) count[strata[i]]++;
    return stratifiedSampleOfValues(strata, count, max, seed);
  }
  // Other keys: each row's index among the distinct keys ascending, through a Map.
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!index.has(strata[i])) index.set(strata[i], 0);
  const keys = [...index.keys()].sort((x, y) => x - y);
  keys.forEach((k, g) => index.set(k, g));
  const id = new Int32Array(n);
  const sizes = new Int32Array(keys.length);
  for (let i = 0; i < n; i++) sizes[(id[i] = index.get(strata[i])!)]++;
  return sampleOfIds(id, Int32Array.from(keys, (_, g) => g), sizes, max, seed);
}

/**
 * stratifiedSample of strata that are non-negative integers below count.length, with count[v] the
 * number of rows of value v (counted by the caller, e.g. train.ts's pointSample as it sets them).
 */
export function stratifiedSampleOfValues(strata: ArrayLike<number>, count: Int32Array, max: number, seed: number): Int32Array {
  const n = strata.length;
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const rank = new Int32Array(count.length);
  const sizes: number[] = [];
  for (let v = 0; v < count.length; v++) if (count[v] > 0) rank[v] = sizes.push(count[v]) - 1;
  return sampleOfIds(strata, rank, Int32Array.from(sizes), max, seed);
}

/**
 * stratifiedSample of rows whose strata are values whose dense ids (0..G-1, each present, in the
 * order of the strata's keys) are rank[value], sizes[g] rows of id g, with n > max. Each stratum's rows ascending are its group; a partial Fisher-Yates
 * shuffle of each group, in group order, takes its share. The positions a shuffle draws depend only on
 * the groups' sizes, so the shuffles run on positions (a few displaced ones in a Map, not a group's
 * array), and one pass over the rows then picks the row at each drawn position: no array the length
 * of the rows, and the rows come out ascending.
 */
function sampleOfIds(values: ArrayLike<number>, rank: Int32Array, sizes: Int32Array, max: number, seed: number): Int32Array {
  const n = values.length;
  const G = sizes.length;
  const rng = new Rng(seed);
  // Largest-remainder allocation with a floor of one row per stratum.
  const quota = Array.from(sizes, (size) => (size * max) / n);
  const take = quota.map((q) => Math.max(1, Math.floor(q)));
  let left = max - take.reduce((a, b) => a + b, 0);
  const order = quota.map((_, i) => i).sort((a, b) => (quota[b] - Math.floor(quota[b])) - (quota[a] - Math.floor(quota[a])) || a - b);
  for (const g of order) {
    if (left <= 0) break;
    if (take[g] < sizes[g]) {
      take[g]++;
      left--;
    }
  }
  // Each group's drawn positions (ascending), then the next one wanted while the rows are passed.
  const drawn = Array.from(sizes, (size, g) => partialShuffle(size, Math.min(take[g], size), rng).sort());
  const next = new Int32Array(G);
  const seen = new Int32Array(G);
  let total = 0;
  for (const positions of drawn) total += positions.length;
  const out = new Int32Array(total);
  for (let i = 0, o = 0; o < total; i++) {
    const g = rank[values[i]];
    if (seen[g]++ === drawn[g][next[g]]) {
      out[o++] = i;
      next[g]++;
    }
  }
  return out;
}

/**
 * The first m entries of a partial Fisher-Yates shuffle of 0..size-1 (positions a and a + rng.int(size - a)
 * swapped for a = 0..m-1), with only the displaced entries held: position a is never read again once set.
 */
function partialShuffle(size: number, m: number, rng: Rng): Int32Array {
  const first = new Int32Array(m);
  const moved = new Map<number, number>();
  for (let a = 0; a < m; a++) {
    const b = a + rng.int(size - a);
    const atB = moved.get(b) ?? b;
    moved.set(b, moved.get(a) ?? a);
    first[a] = atB;
  }
  return first;
}

/**
 * stratifiedSample with a single stratum (the same indices for the same seed), without grouping:
 * at most `max` of the row indices 0..n-1, uniformly, sorted ascending.
 */
export function uniformSample(n: number, max: number, seed: number): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  return partialShuffle(n, max, new Rng(seed)).sort();
}
