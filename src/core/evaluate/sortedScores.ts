/**
 * Sorting scores once for every threshold-based quantity of a binary evaluation: a bucket sort of
 * float64 keys (the same order as Float64Array.prototype.sort, -0 before +0, in a few linear passes
 * and short sorts of each bucket), and the unit-weight threshold sweep built from the
 * two sorted classes (each distinct score one threshold, with its cumulative counts). ROC and PR
 * curves, their areas, the confusion matrix at any threshold and the isotonic fit all read this one
 * sweep (curves.ts, calibration.ts, evaluate.ts).
 *
 * Pure TypeScript: no vscode, node or DOM APIs.
 */
import { wasmLinearBucketSort } from './evaluateWasm';

/** Below this length the native sort is as fast as the bucket passes. */
const BUCKET_MIN = 4096;
/** A bucket longer than this is sorted natively, shorter ones by insertion. */
const INSERTION_MAX = 48;

/**
 * `a`'s keys sorted ascending, in the order of Float64Array.prototype.sort (numeric; -0 before +0):
 * `a` itself sorted in place when short (below BUCKET_MIN), else a new array, `a` left as it was (the
 * buckets' pass writes the keys to a new array: no copy back). Callers use the array returned.
 * `a` must hold no NaN (callers check scores are finite first). Buckets linear in the value where
 * the range is finite (linearBucketSort), else one bucket pass: each key's upper 32 bits, made order-preserving as an unsigned integer (negative: every bit flipped; otherwise the sign
 * bit set), relative to the smallest, shifted so that about n/8 buckets span the range; the buckets
 * are laid out in order by counting, then each is sorted (insertion for short ones, natively for long
 * ones: many equal or clustered scores cost a native sort of their bucket, never more).
 * `into`, when given (at least n long), receives the sorted keys of a long `a` (its first n entries;
 * the result is then that subarray): callers sorting many arrays in turn (one-vs-rest's classes) reuse
 * one output instead of allocating one per array.
 */
export function sortFloat64(a: Float64Array, into?: Float64Array): Float64Array {
  const n = a.length;
  if (n < BUCKET_MIN) return a.sort();
  const out = into && into.length >= n ? into.subarray(0, n) : new Float64Array(n);
  if (linearBucketSort(a, out)) return out;
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const key = new Uint32Array(n);
  let lo = 0xffffffff;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const w = words[2 * i + 1];
    const k = w & 0x80000000 ? ~w >>> 0 : (w | 0x80000000) >>> 0;
    key[i] = k;
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  let shift = 0;
  const target = Math.max(1024, n >>> 3);
  while ((hi - lo) / 2 ** shift >= target) shift++;
  const buckets = Math.floor((hi - lo) / 2 ** shift) + 1;
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) start[((key[i] - lo) >>> shift) + 1]++;
  prefixSums(start, buckets);
  const fill = start.slice(0, buckets);
  for (let i = 0; i < n; i++) out[fill[(key[i] - lo) >>> shift]++] = a[i];
  sortBuckets(out, start, buckets);
  return out;
}

/**
 * sortFloat64 with buckets linear in the value (floor((v - lo) · nb / (hi - lo)), monotone in v, so the
 * buckets are in order): about n/4 of them, even where the keys' exponents cluster (probabilities,
 * most of them in [0.5, 1)), where the upper-word buckets would be few and long. The sorted keys in
 * `out` (as long as `a`; `a` untouched) and true; false when the range is empty or not finite (the
 * upper-word buckets then sort). Each key's bucket is computed again in the scatter pass (the same
 * expression, so the same bucket) rather than kept in an array the length of `a`.
 */
function linearBucketSort(a: Float64Array, out: Float64Array): boolean {
  const wasm = wasmLinearBucketSort(a, out);
  if (wasm !== null) return wasm;
  const n = a.length;
  const range2 = Float64Array.of(Infinity, -Infinity);
  minMax(a, range2);
  const lo = range2[0];
  const hi = range2[1];
  const range = hi - lo;
  const buckets = n >>> 2;
  const scale = buckets / range;
  if (!(range > 0 && range < Infinity && scale < Infinity)) return false;
  const start = new Int32Array(buckets + 1);
  countLinear(a, lo, scale, buckets, start);
  prefixSums(start, buckets);
  scatterLinear(a, lo, scale, buckets, start.slice(0, buckets), out);
  sortBuckets(out, start, buckets);
  return true;
}

// linearBucketSort's passes, each a loop alone in its function with nothing after it. A run calls each
// with a million keys at once: the loop runs as compiled by on-stack replacement, whose code for what
// follows the loop has no type feedback (it never ran) and is discarded on leaving the loop, so that
// with the passes in one function each pass started interpreted, and so did the next class's sort
// (8 such deoptimizations per binary split, measured with --trace-deopt); here each function is compiled
// once and the second class's sort runs compiled from its first key. The same operations in the same order.

/** The smallest and largest keys into range2 (in an array, not in locals: a number carried across iterations of an OSR-compiled loop is boxed at each change). */
function minMax(a: Float64Array, range2: Float64Array): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v < range2[0]) range2[0] = v;
    if (v > range2[1]) range2[1] = v;
  }
}

/** Each bucket's count into start[bucket + 1]. */
function countLinear(a: Float64Array, lo: number, scale: number, buckets: number, start: Int32Array): void {
  for (let i = 0; i < a.length; i++) start[Math.min(buckets - 1, Math.floor((a[i] - lo) * scale)) + 1]++;
}

/** The counts into each bucket's start. */
function prefixSums(start: Int32Array, buckets: number): void {
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
}

/** Each key into the next free place of its bucket (fill: each bucket's start, advanced); its bucket computed as countLinear does. */
function scatterLinear(a: Float64Array, lo: number, scale: number, buckets: number, fill: Int32Array, out: Float64Array): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    out[fill[Math.min(buckets - 1, Math.floor((v - lo) * scale))]++] = v;
  }
}

/** Sorts each bucket [start[b], start[b + 1]) of `out` (insertion for short ones, natively for long ones). */
function sortBuckets(out: Float64Array, start: Int32Array, buckets: number): void {
  for (let b = 0; b < buckets; b++) {
    const from = start[b];
    const to = start[b + 1];
    if (to - from > INSERTION_MAX) out.subarray(from, to).sort();
    else insertionSort(out, from, to);
  }
}

/** x before y in Float64Array.prototype.sort's order (no NaN): numeric, -0 before +0. */
function before(x: number, y: number): boolean {
  return x < y || (x === 0 && y === 0 && 1 / x < 1 / y);
}

function insertionSort(a: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= from && before(v, a[j])) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** The unit-weight sweep: distinct scores descending with the counts of positives and negatives at or above each. */
export interface UnitSweep {
  thresholds: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * The threshold sweep with unit weights: the scores of each class sorted (sortFloat64), merged from
 * the top; each distinct score ends a group of ties (of either class) and is one threshold (-0 is
 * reported as 0). `y01` must hold only 0 and 1 and `score` only finite values (curves.ts checks).
 */
export function unitSweep(y01: ArrayLike<number>, score: ArrayLike<number>, nPositive: number): UnitSweep {
  const n = y01.length;
  const pos = new Float64Array(nPositive);
  const neg = new Float64Array(n - nPositive);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y01[i] === 1) pos[a++] = score[i];
    else neg[b++] = score[i];
  }
  return sweepOfSortedClasses(sortFloat64(pos), sortFloat64(neg));
}

/** The unit-weight sweep from each class's scores sorted ascending (sortFloat64). */
export function sweepOfSortedClasses(pos: Float64Array, neg: Float64Array): UnitSweep {
  const n = pos.length + neg.length;
  const thresholds = new Float64Array(n);
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let a = pos.length - 1;
  let b = neg.length - 1;
  let cumTp = 0;
  let cumFp = 0;
  let m = 0;
  while (a >= 0 || b >= 0) {
    const t = b < 0 || (a >= 0 && pos[a] >= neg[b]) ? pos[a] : neg[b];
    for (; a >= 0 && pos[a] === t; a--) cumTp++;
    for (; b >= 0 && neg[b] === t; b--) cumFp++;
    thresholds[m] = t + 0; // -0 -> 0
    tp[m] = cumTp;
    fp[m] = cumFp;
    m++;
  }
  // Mostly distinct scores: views (no copy); many ties: a copy of the short prefix (the rest is freed).
  const part = (a: Float64Array) => (m > n / 2 ? a.subarray(0, m) : a.slice(0, m));
  return { thresholds: part(thresholds), tp: part(tp), fp: part(fp), positives: cumTp, negatives: cumFp };
}
