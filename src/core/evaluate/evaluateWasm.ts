/**
 * A binary split's pass and class sorts on WebAssembly (scripts/wasm/evaluate.mjs): binaryPass.ts
 * passRows's loop (Math.exp and Math.log imported: the same bits) and sortedScores.ts
 * linearBucketSort's passes, with the same operations in the same order, so the same sums and the
 * same sorted keys (a sort's output is unique: its order is total on the keys, -0 before +0, no NaN;
 * ties are equal bits, so their order cannot show). WebAssembly is
 * compiled before it runs (Liftoff, then TurboFan between calls), where a fresh process's JavaScript
 * runs each long loop interpreted and then by on-stack replacement, about twice its optimized time.
 * An instance per binary split (sortArena), its memory sized to the split and dropped with its sorted
 * scores (nothing held between evaluations). Where WebAssembly cannot run the JavaScript passes sort.
 *
 * Pure ECMAScript: WebAssembly is a standard global (src/core/wasm/load.ts).
 */
import { EVALUATE_WASM_BASE64 } from '../wasm/evaluate.generated';
import { compileModule, wasmApi, WASM_PAGE, type WasmMemory } from '../wasm/load';

interface SortKernels {
  memory: WasmMemory;
  minmax(a: number, n: number, r: number): void;
  count(a: number, n: number, lo: number, scale: number, top: number, s: number): void;
  prefix(s: number, buckets: number): void;
  scatter(a: number, n: number, lo: number, scale: number, top: number, s: number, out: number): void;
  buckets(out: number, s: number, b0: number, b1: number, long: number): number;
  pass(z: number, y: number, p1: number, c: number, keys: number, st: number, bins: number, edges: number, nb: number, thr: number, hasThr: number, eps: number, oneEps: number): number;
  shape(pos: number, neg: number, tp: number, fp: number, st: number, limit: number): number;
  areas(tps: number, fps: number, i: number, to: number, m: number, P: number, N: number, corners: number, st: number): void;
}

/** Keys (or buckets) per call of a pass: V8 tiers a WebAssembly function up between calls, never within one. */
const CHUNK = 1 << 16;
/** A bucket longer than this is sorted natively (sortedScores.ts INSERTION_MAX, the module's constant). */
const INSERTION_MAX = 48;

let enabled = true;

/** Turns the WebAssembly sorts off (false) or back on: the tests compare both paths' reports. */
export function setEvaluateWasm(on: boolean): void {
  enabled = on;
}

/** An instance's layout for up to n keys: keys, sorted keys, min and max, bucket starts, the long buckets' [from, to) pairs. */
interface Arena {
  kernels: SortKernels;
  n: number;
  r: number;
  s: number;
  long: number;
  /** The binary pass's staged rows (CHUNK decision values, labels and probabilities), its state (and the sweep's), bins and edges; the sweep's corners (n + 1). */
  corners: number;
  z: number;
  y: number;
  p1: number;
  st: number;
  bins: number;
  edges: number;
}

/** The reliability bins the pass's arena has room for (binaryPass: 10). */
const MAX_BINS = 16;

/** Each arena's memory buffer (a grown memory gets a new one: arenas never grow after their start). */
const arenas = new WeakMap<ArrayBufferLike, Arena>();

/**
 * Room for sorting n keys in WebAssembly memory: `keys` (n, where the caller writes the keys) and
 * `sorted` (n, what sortFloat64 is given as `into`), views of a fresh instance's memory; null where
 * WebAssembly cannot run or is turned off. The copy-free path: keys written where the kernels read
 * them, sorted keys read where they write them (a copy in and out cost more than the passes gained).
 */
export function sortArena(n: number): { keys: Float64Array; sorted: Float64Array } | null {
  const api = wasmApi();
  const module = enabled && api ? compileModule(EVALUATE_WASM_BASE64) : null;
  if (!api || !module) return null;
  const r = 16 * n;
  const s = r + 16;
  const long = s + 4 * ((n >>> 2) + 1);
  const corners = long + 8 * (Math.floor(n / (INSERTION_MAX + 1)) + 1);
  const z = 8 * Math.ceil((corners + 4 * (n + 1)) / 8);
  const y = z + 8 * CHUNK;
  const p1 = y + 4 * CHUNK;
  const st = p1 + 8 * CHUNK;
  const bins = st + 128;
  const edges = bins + 3 * 8 * MAX_BINS;
  const pages = Math.ceil((edges + 8 * (MAX_BINS + 1)) / WASM_PAGE);
  if (pages > 65536) return null;
  const kernels = new api.Instance(module, { math: { exp: Math.exp, log: Math.log } }).exports as SortKernels;
  if (pages > 1) kernels.memory.grow(pages - 1);
  const buffer = kernels.memory.buffer;
  arenas.set(buffer, { kernels, n, r, s, long, corners, z, y, p1, st, bins, edges });
  return { keys: new Float64Array(buffer, 0, n), sorted: new Float64Array(buffer, 8 * n, n) };
}

/** Runs pass(from, count) over [0, n) in chunks. */
function chunks(n: number, pass: (from: number, count: number) => void): void {
  for (let i = 0; i < n; i += CHUNK) pass(i, Math.min(CHUNK, n - i));
}

/**
 * linearBucketSort on WebAssembly, for `a` and `out` in one sortArena's memory (null otherwise: the
 * caller runs its JavaScript): `a`'s keys sorted into `out` and true; false when the range is empty or
 * not finite (as linearBucketSort), `a` untouched either way.
 */
export function wasmLinearBucketSort(a: Float64Array, out: Float64Array): boolean | null {
  const arena = arenas.get(a.buffer);
  const n = a.length;
  if (!arena || out.buffer !== a.buffer || n > arena.n || out.length < n) return null;
  const { kernels: k, r: R, s: S, long: LONG } = arena;
  const A = a.byteOffset;
  const OUT = out.byteOffset;
  const buckets = n >>> 2;
  const r = new Float64Array(a.buffer, R, 2);
  r[0] = Infinity;
  r[1] = -Infinity;
  chunks(n, (i, c) => k.minmax(A + 8 * i, c, R));
  const lo = r[0];
  const hi = r[1];
  const range = hi - lo;
  const scale = buckets / range;
  if (!(range > 0 && range < Infinity && scale < Infinity)) return false;
  const top = buckets - 1;
  new Int32Array(a.buffer, S, buckets + 1).fill(0);
  chunks(n, (i, c) => k.count(A + 8 * i, c, lo, scale, top, S));
  chunks(buckets, (b, c) => k.prefix(S + 4 * b, c));
  chunks(n, (i, c) => k.scatter(A + 8 * i, c, lo, scale, top, S, OUT));
  let long = 0;
  chunks(buckets, (b, c) => {
    long += k.buckets(OUT, S, b, b + c, LONG + 8 * long);
  });
  const pairs = new Int32Array(a.buffer, LONG, 2 * long);
  for (let j = 0; j < long; j++) out.subarray(pairs[2 * j], pairs[2 * j + 1]).sort();
  return true;
}

/** What binaryPass's loop gives besides the scores (binaryPass.ts passRows's counts and sums). */
export interface PassSums {
  counts: Int32Array;
  sums: Float64Array;
}

/**
 * binaryPass.ts passRows on WebAssembly for `scores`, a sortArena's keys: the same values into the
 * same arrays (y and p1 when keepScores, scores, acc's count, sumP and sumY, sums [log-loss, Brier],
 * counts [tn, fp, fn, tp]); false when a label is not 0/1 or a decision value is NaN; null where
 * `scores` is not an arena's keys (the caller runs its loop). Math.exp and Math.log are the module's
 * imports: the same functions, so the same bits. Rows are staged CHUNK at a time: the decision values
 * copied, the labels gathered (into y when kept).
 */
export function wasmBinaryPass(
  z: Float64Array,
  yAll: Int32Array,
  rows: Int32Array,
  threshold: number | undefined,
  eps: number,
  keepScores: boolean,
  y: Int32Array,
  p1: Float64Array,
  scores: Float64Array,
  acc: { edges: Float64Array; count: Float64Array; sumP: Float64Array; sumY: Float64Array },
  sums: Float64Array,
  counts: Int32Array,
): boolean | null {
  const arena = arenas.get(scores.buffer);
  const n = rows.length;
  const nb = acc.count.length;
  if (!arena || scores.byteOffset !== 0 || scores.length !== n || n > arena.n || nb > MAX_BINS || z.length < n) return null;
  const { kernels: k, buffer } = { kernels: arena.kernels, buffer: scores.buffer };
  const stI = new Int32Array(buffer, arena.st, 6);
  const stF = new Float64Array(buffer, arena.st + 24, 2);
  stI.set([0, n - 1, 0, 0, 0, 0]);
  stF.fill(0);
  const bins = new Float64Array(buffer, arena.bins, 3 * nb);
  bins.fill(0);
  new Float64Array(buffer, arena.edges, nb + 1).set(acc.edges);
  const zStage = new Float64Array(buffer, arena.z, CHUNK);
  const yStage = new Int32Array(buffer, arena.y, CHUNK);
  const pStage = new Float64Array(buffer, arena.p1, CHUNK);
  for (let i = 0; i < n; i += CHUNK) {
    const c = Math.min(CHUNK, n - i);
    zStage.set(z.subarray(i, i + c));
    gather(yAll, rows, i, c, yStage);
    const ok = k.pass(arena.z, arena.y, keepScores ? arena.p1 : 0, c, 0, arena.st, arena.bins, arena.edges, nb, threshold ?? 0, threshold !== undefined ? 1 : 0, eps, 1 - eps);
    if (!ok) return false;
    if (keepScores) {
      y.set(yStage.subarray(0, c), i);
      p1.set(pStage.subarray(0, c), i);
    }
  }
  counts.set(stI.subarray(2, 6));
  sums[0] = stF[1];
  sums[1] = stF[0];
  acc.count.set(bins.subarray(0, nb));
  acc.sumP.set(bins.subarray(nb, 2 * nb));
  acc.sumY.set(bins.subarray(2 * nb, 3 * nb));
  return true;
}

/** The labels of rows i..i+c-1 into out. */
function gather(yAll: Int32Array, rows: Int32Array, i: number, c: number, out: Int32Array): void {
  for (let j = 0; j < c; j++) out[j] = yAll[rows[i + j]];
}

/**
 * drawnSweep.ts sweepShape and sweepAreas on WebAssembly, for sorted classes and count arrays all in
 * one sortArena's memory (null otherwise: the caller runs its loops): the same counts into tps and
 * fps, sums[0] the average precision and sums[1] the ROC area, and the corners (cornerAt[0] their
 * number, cornerAt[c] corner c's threshold) in the arena; m the number of thresholds.
 */
export function wasmSweep(pos: Float64Array, neg: Float64Array, tps: Int32Array, fps: Int32Array, sums: Float64Array): { m: number; cornerAt: Int32Array } | null {
  const arena = arenas.get(pos.buffer);
  const P = pos.length;
  const N = neg.length;
  const n = P + N;
  if (!arena || neg.buffer !== pos.buffer || tps.buffer !== pos.buffer || fps.buffer !== pos.buffer || n > arena.n || tps.length < n || fps.length < n) return null;
  const k = arena.kernels;
  const buffer = pos.buffer;
  const st = new Int32Array(buffer, arena.st, 17);
  st.set([P - 1, N - 1, 0]);
  while (!k.shape(pos.byteOffset, neg.byteOffset, tps.byteOffset, fps.byteOffset, arena.st, CHUNK));
  const m = st[2];
  new Float64Array(buffer, arena.st + 16, 5).fill(0);
  st.set([0, 0, 1], 14);
  const cornerAt = new Int32Array(buffer, arena.corners, n + 1);
  cornerAt[0] = 0;
  chunks(m, (i, c) => k.areas(tps.byteOffset, fps.byteOffset, i, i + c, m, P, N, arena.corners, arena.st));
  const f = new Float64Array(buffer, arena.st + 16, 2);
  sums[0] = f[0];
  sums[1] = f[1];
  return { m, cornerAt };
}
