/**
 * The binary evaluation's pass and class sorts on WebAssembly (evaluateWasm.ts) against the JavaScript loops
 * (setEvaluateWasm(false)): the same sorted keys and the same reports, bit for bit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setEvaluateWasm, sortArena } from '../../../../src/core/evaluate/evaluateWasm';
import { sortFloat64 } from '../../../../src/core/evaluate/sortedScores';
import { evaluateSplit, sortedBinarySplit } from '../../../../src/core/evaluate/evaluate';
import { drawnSweep } from '../../../../src/core/evaluate/drawnSweep';
import { decisionOnPreprocessed, type ModelJson } from '../../../../src/core/model/model';
import { EVALUATE_WASM_BASE64 } from '../../../../src/core/wasm/evaluate.generated';
import { Rng } from '../../../../src/core/random';
// @ts-expect-error: the generator is plain JavaScript (scripts/wasm/evaluate.mjs), run by node.
import { evaluateGeneratedSource, evaluateWasm } from '../../../../scripts/wasm/evaluate.mjs';

const rng = new Rng(31);

afterEach(() => setEvaluateWasm(true));

/** Bit patterns, so that -0 and +0 (and each NaN) differ. */
const bits = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/** a sorted by sortFloat64 in a sort arena (WebAssembly) and as a plain array (JavaScript). */
function bothSorts(a: Float64Array): { wasm: Float64Array; js: Float64Array } {
  const arena = sortArena(a.length);
  expect(arena).not.toBeNull();
  arena!.keys.set(a);
  const wasm = sortFloat64(arena!.keys, arena!.sorted);
  const js = sortFloat64(a.slice());
  return { wasm, js };
}

describe('evaluateWasm: the binary pass and the class sorts on WebAssembly', () => {
  it('is assembled from its generator', async () => {
    const source: string = evaluateGeneratedSource(await evaluateWasm());
    const generated = source.split('export const EVALUATE_WASM_BASE64 =')[1].split(';')[0].match(/'([^']*)'/g)!.map((q) => q.slice(1, -1)).join('');
    expect(EVALUATE_WASM_BASE64).toBe(generated);
  });

  it('sorts as the JavaScript passes and Float64Array.prototype.sort, bit for bit: clusters, ties, both zeros, long buckets', () => {
    const n = 60_000;
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rng.next();
      a[i] =
        r < 0.1 ? Math.round(rng.next() * 20) / 20
        : r < 0.15 ? (rng.next() < 0.5 ? -0 : 0)
        : r < 0.4 ? 0.5 + (rng.next() - 0.5) * 1e-12 // one dense cluster: long buckets, sorted natively
        : r < 0.45 ? rng.next() * 5e-324 * 1000
        : 1 / (1 + Math.exp(-rng.normal() * 4));
    }
    const { wasm, js } = bothSorts(a);
    expect(wasm.buffer).not.toBe(js.buffer);
    expect(bits(wasm)).toBe(bits(js));
    expect(bits(wasm)).toBe(bits(a.slice().sort()));
    expect(Object.is(wasm[wasm.findIndex((v) => v === 0)], -0)).toBe(true);
  });

  it('leaves an infinite range and an empty one to the upper-word buckets, with the same keys', () => {
    for (const fill of [(i: number) => (i % 7 === 0 ? Infinity : i * 1e-3), () => 0.25]) {
      const a = Float64Array.from({ length: 10_000 }, (_, i) => fill(i));
      const { wasm, js } = bothSorts(a);
      expect(bits(wasm)).toBe(bits(js));
    }
  });

  it("gives the JavaScript path's report, bit for bit, with and without a threshold and kept scores", () => {
    const n = 50_000;
    const d = 3;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const model = { kind: 'binary', featureNames: ['a', 'b', 'c'], coefStandardized: [[0.9, -1.4, 0.2]], interceptStandardized: [0.3] } as unknown as ModelJson;
    const z = decisionOnPreprocessed(model, X, n);
    for (let i = 0; i < 200; i++) z[i] = i % 2 ? 900 : -900; // saturated: p = 0 or 1 exactly
    for (let i = 200; i < 2000; i++) z[i] = -0.75; // ties
    const yAll = Int32Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-z[i])) ? 1 : 0));
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    for (const threshold of [undefined, 0.42]) {
      const m = { ...model, threshold } as ModelJson;
      const run = (wasm: boolean) => {
        setEvaluateWasm(wasm);
        const sorted = sortedBinarySplit(m, z, yAll, rows);
        return { ev: evaluateSplit('test', m, z, rows, { y: yAll, classes: ['0', '1'] }), sorted };
      };
      const wasm = run(true);
      const js = run(false);
      expect(wasm.ev).toEqual(js.ev);
      expect(JSON.stringify(wasm.ev)).toBe(JSON.stringify(js.ev));
      expect(bits(wasm.sorted!.pass.pos)).toBe(bits(js.sorted!.pass.pos));
      expect(bits(wasm.sorted!.pass.neg)).toBe(bits(js.sorted!.pass.neg));
      // The WebAssembly path sorted into its arena; the JavaScript path into arrays of its own, and both freed the unsorted scores for the sweep's counts.
      expect(wasm.sorted!.pass.sortInto).not.toBeNull();
      expect(js.sorted!.pass.sortInto).toBeNull();
      expect(wasm.sorted!.counts).not.toBeNull();
      expect(js.sorted!.counts).not.toBeNull();
      expect(wasm.sorted!.pass.pos.buffer).toBe(wasm.sorted!.pass.sortInto!.buffer);
    }
  });

  it('runs the binary pass as the JavaScript loop over two chunks of rows (a subset, gathered), kept scores bit for bit, and gives up where it does', () => {
    const n = 70_000; // past the pass's 65536-row chunks
    const z = Float64Array.from({ length: n }, () => rng.normal() * 4);
    for (let i = 0; i < 100; i++) z[i * 500] = i % 2 ? 40 : -40;
    const yAll = Int32Array.from({ length: 2 * n }, () => (rng.next() < 0.3 ? 1 : 0));
    const rows = Int32Array.from({ length: n }, (_, i) => 2 * i + (i % 5 === 0 ? 1 : 0));
    const model = { kind: 'binary', threshold: 0.3 } as unknown as ModelJson;
    const run = (wasm: boolean, zz: Float64Array, yy: Int32Array) => {
      setEvaluateWasm(wasm);
      return sortedBinarySplit(model, zz, yy, rows, true);
    };
    const wasm = run(true, z, yAll)!;
    const js = run(false, z, yAll)!;
    expect(wasm.pass.sortInto).not.toBeNull();
    expect(bits(wasm.pass.p1!)).toBe(bits(js.pass.p1!));
    expect([...wasm.pass.y!]).toEqual([...js.pass.y!]);
    expect(bits(wasm.pass.pos)).toBe(bits(js.pass.pos));
    expect(bits(wasm.pass.neg)).toBe(bits(js.pass.neg));
    const { pos: _p, neg: _n, sortInto: _w, ...restWasm } = wasm.pass;
    const { pos: _q, neg: _m, sortInto: _j, ...restJs } = js.pass;
    expect(restWasm).toEqual(restJs);
    expect(Object.is(wasm.pass.logLossSum, js.pass.logLossSum) && Object.is(wasm.pass.brierSum, js.pass.brierSum)).toBe(true);
    // A NaN decision value or a label other than 0/1 in the second chunk: both paths give up (the general path reports).
    const zNaN = z.slice();
    zNaN[68_000] = NaN;
    const yBad = yAll.slice();
    yBad[rows[69_000]] = 2;
    for (const wasmOn of [true, false]) {
      expect(run(wasmOn, zNaN, yAll)).toBeNull();
      expect(run(wasmOn, z, yBad)).toBeNull();
    }
  });

  it('draws the sweep as the JavaScript loops over several calls (more thresholds than a chunk), ties across the classes', () => {
    const P = 90_000;
    const N = 60_000;
    const score = () => (rng.next() < 0.2 ? Math.round(rng.next() * 50) / 50 : rng.next());
    const pos = Float64Array.from({ length: P }, score).sort();
    const neg = Float64Array.from({ length: N }, score).sort();
    const n = P + N;
    const arena = sortArena(n)!;
    arena.sorted.set(pos);
    arena.sorted.set(neg, P);
    const counts = { dTp: new Int32Array(arena.keys.buffer, 0, n), dFp: new Int32Array(arena.keys.buffer, 4 * n, n) };
    const wasm = drawnSweep(arena.sorted.subarray(0, P), arena.sorted.subarray(P), 1000, 4096, counts);
    const js = drawnSweep(pos, neg, 1000, 4096);
    expect(wasm).toEqual(js);
    expect(Object.is(wasm.roc.auc, js.roc.auc) && Object.is(wasm.averagePrecision, js.averagePrecision)).toBe(true);
    expect(js.sweep.thresholds.length).toBe(4096);
  });
});
