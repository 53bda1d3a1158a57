/**
 * The binary evaluation's class sorts on WebAssembly (scripts/wasm/evaluate.mjs): sortedScores.ts
 * linearBucketSort's passes with the same operations in the same order, so the same sorted keys (a
 * sort's output is unique: its order is total on the keys, -0 before +0, no NaN). WebAssembly is
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
}

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
  const pages = Math.ceil((long + 8 * (Math.floor(n / (INSERTION_MAX + 1)) + 1)) / WASM_PAGE);
  if (pages > 65536) return null;
  const kernels = new api.Instance(module).exports as SortKernels;
  if (pages > 1) kernels.memory.grow(pages - 1);
  const buffer = kernels.memory.buffer;
  arenas.set(buffer, { kernels, n, r, s, long });
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
