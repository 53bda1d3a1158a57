/**
 * Train / validation / test splits, stratified by class, reproducible from a seed.
 */
import { Rng } from '../random';
import { sharedFloat64Memory } from '../model/simdKernels';

/** Row indices of each part, each sorted ascending. */
export interface Split {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * Splits rows so each class is spread over the parts in proportion to its size.
 *
 * testSize and valSize are fractions of all rows in [0, 1) with a sum below 1; the part sizes are
 * round(fraction * n), shared out among the classes by largest remainder. Every class keeps at
 * least one row in train (a class with one row stays there), which may make a part slightly
 * smaller than asked. Rows within a class are shuffled with Rng(seed). For multilabel data pass
 * y = zeros and nClasses = 1 (no stratification).
 */
export function stratifiedSplit(y: Int32Array, nClasses: number, options: { testSize: number; valSize: number; seed: number }): Split {
  const { testSize, valSize, seed } = options;
  if (!(testSize >= 0 && testSize < 1 && valSize >= 0 && valSize < 1 && testSize + valSize < 1)) {
    throw new RangeError(`test and validation fractions must be in [0, 1) with a sum below 1, got ${testSize} and ${valSize}`);
  }
  const counts = Array.from(classCounts(y, nClasses));
  const n = y.length;

  const testCap = counts.map((c) => (c >= 2 ? c - 1 : 0));
  const nTest = Math.min(Math.round(testSize * n), sum(testCap));
  const nTestPerClass = allocate(nTest, counts.map((c) => testSize * c), testCap);

  const valCap = testCap.map((cap, k) => cap - nTestPerClass[k]);
  const nVal = Math.min(Math.round(valSize * n), sum(valCap));
  const nValPerClass = allocate(nVal, counts.map((c) => valSize * c), valCap);

  // Nothing held out: every row trains, in order (no shuffle decides anything).
  if (nTest + nVal === 0) {
    const train = new Int32Array(n);
    for (let i = 0; i < n; i++) train[i] = i;
    return { train, validation: new Int32Array(0), test: new Int32Array(0) };
  }
  const byClass = groupByClass(y, counts);
  const rng = new Rng(seed);
  // Each row's part (0 train, 1 validation, 2 test), then each part's rows in ascending order: typed arrays, no sort.
  const part = new Uint8Array(n);
  for (let k = 0; k < nClasses; k++) {
    const rows = rng.shuffle(byClass[k]);
    const a = nTestPerClass[k];
    const b = a + nValPerClass[k];
    for (let i = 0; i < b; i++) part[rows[i]] = i < a ? 2 : 1;
  }
  const parts = [new Int32Array(n - nVal - nTest), new Int32Array(nVal), new Int32Array(nTest)];
  const fill = [0, 0, 0];
  for (let i = 0; i < n; i++) parts[part[i]][fill[part[i]]++] = i;
  return { train: parts[0], validation: parts[1], test: parts[2] };
}

/**
 * The split of a training run (train.ts, and the script exports that reproduce it): stratified on the
 * class; multilabel rows are split without strata.
 */
export function splitDataset(ds: { task: string; n: number; y: Int32Array; classes: string[] }, s: { testSize: number; valSize: number; seed: number }): Split {
  const multilabel = ds.task === 'multilabel';
  return stratifiedSplit(multilabel ? new Int32Array(ds.n) : ds.y, multilabel ? 1 : ds.classes.length, { testSize: s.testSize, valSize: s.valSize, seed: s.seed });
}

/** Rows of each class; throws RangeError on a class index outside [0, nClasses). Also the report's class counts (train.ts). */
export function classCounts(y: Int32Array, nClasses: number): Int32Array {
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < y.length; i++) {
    const k = y[i];
    if (!(k >= 0 && k < nClasses)) throw new RangeError(`class index ${k} at row ${i} is outside [0, ${nClasses})`);
    counts[k]++;
  }
  return counts;
}

/** Row indices of each class, ascending (`counts` from classCounts). */
function groupByClass(y: Int32Array, counts: readonly number[]): Int32Array[] {
  const groups = counts.map((c) => new Int32Array(c));
  const fill = new Int32Array(counts.length);
  for (let i = 0; i < y.length; i++) groups[y[i]][fill[y[i]]++] = i;
  return groups;
}

/** Whether a split with these fractions holds any of n rows out (else every row trains, in order, whatever the classes). */
export function holdsOut(n: number, s: { testSize: number; valSize: number }): boolean {
  return Math.round(s.testSize * n) + Math.round(s.valSize * n) > 0;
}

/**
 * Largest-remainder apportionment of `total` units given each class's ideal (fractional) share,
 * never giving a class more than its cap. Ties go to the larger ideal share, then the lower class.
 * Requires total <= sum(cap).
 */
function allocate(total: number, ideal: number[], cap: number[]): number[] {
  const alloc = ideal.map((v, k) => Math.min(Math.floor(v), cap[k]));
  let rest = total - sum(alloc);
  const order = ideal
    .map((_, k) => k)
    .sort((a, b) => ideal[b] - Math.floor(ideal[b]) - (ideal[a] - Math.floor(ideal[a])) || ideal[b] - ideal[a] || a - b);
  while (rest > 0) {
    for (const k of order) {
      if (rest === 0) break;
      if (alloc[k] < cap[k]) {
        alloc[k]++;
        rest--;
      }
    }
  }
  return alloc;
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * Rows `rows` of a row-major matrix with d columns, as a new array; `shared`: inside a shared
 * WebAssembly memory where there is one (the loss's SIMD kernels then read it in place, from every
 * thread, instead of copying it; see simdKernels.ts).
 */
export function takeRows(X: Float64Array, d: number, rows: Int32Array, shared = false): Float64Array {
  const out = rowBuffer(rows.length, d, shared);
  for (let i = 0; i < rows.length; i++) out.set(X.subarray(rows[i] * d, rows[i] * d + d), i * d);
  return out;
}

/** A new zeroed m x d matrix; `shared`: inside a shared WebAssembly memory where there is one (see takeRows). */
export function rowBuffer(m: number, d: number, shared: boolean): Float64Array {
  const buffer = shared ? sharedFloat64Memory(m * d * 8) : null;
  return buffer ? new Float64Array(buffer, 0, m * d) : new Float64Array(m * d);
}

/** Whether rows[i] < rows[i + 1] for every i (preprocess.ts takeScaledRows' in-place condition). */
export function isStrictlyAscending(rows: Int32Array): boolean {
  for (let i = 1; i < rows.length; i++) if (!(rows[i - 1] < rows[i])) return false;
  return true;
}

/** Entries `rows` of y, as a new array. */
export function takeInt(y: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
  return out;
}
