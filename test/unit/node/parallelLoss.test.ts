/**
 * ParallelLoss against LinearModelLoss: the same loss and gradient (to 1e-12 relative) for binary and
 * multinomial, with and without sample weights (one shard's weights all zero), every penalty, with and
 * without an intercept, for row counts not divisible by the thread count; the same optimum through
 * minimize(); the pool's threads exit on dispose(); it works when the caller is itself a worker; and
 * while the workers start, a caller whose X is in a shared memory computes their shards itself, bit
 * for bit as they do.
 * The shard worker is bundled with esbuild into a temporary folder first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinearModelLoss, type LossSpec, type Penalty } from '../../../src/core/model/loss';
import { minimize } from '../../../src/core/optimize/index';
import { Rng } from '../../../src/core/random';
import { sharedFloat64Memory, sharedMemoryOf } from '../../../src/core/model/simdKernels';
import { createLoss, ParallelLoss, PARALLEL_MIN_WORK } from '../../../src/node/parallelLoss';

const root = join(__dirname, '..', '..', '..');
let dir = '';
let workerFile = '';
let callerInWorkerFile = '';
let slowWorkerFile = '';
/** How long slowWorkerFile's workers sleep before they start serving. */
const SLOW_START_MS = 400;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logit-lab-parallel-'));
  workerFile = join(dir, 'lossShardWorker.js');
  callerInWorkerFile = join(dir, 'callerInWorker.js');
  slowWorkerFile = join(dir, 'slowLossShardWorker.js');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: root } as const;
  await esbuild.build({ ...common, entryPoints: ['src/worker/lossShardWorker.ts'], outfile: workerFile });
  // A shard worker that takes SLOW_START_MS to start: the caller computes its shard meanwhile.
  await esbuild.build({
    ...common,
    outfile: slowWorkerFile,
    stdin: {
      resolveDir: root,
      loader: 'ts',
      contents: `
        import { workerData } from 'node:worker_threads';
        import { serveLossShard } from './src/node/parallelLoss';
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${SLOW_START_MS});
        serveLossShard(workerData);
      `,
    },
  });
  // A worker that is itself the caller: builds a ParallelLoss (with its own pool) and compares it with LinearModelLoss.
  await esbuild.build({
    ...common,
    outfile: callerInWorkerFile,
    stdin: {
      resolveDir: root,
      loader: 'ts',
      contents: `
        import { parentPort, workerData } from 'node:worker_threads';
        import { LinearModelLoss } from './src/core/model/loss';
        import { ParallelLoss } from './src/node/parallelLoss';
        const { spec, workerFile } = workerData;
        const plain = new LinearModelLoss(spec);
        const par = new ParallelLoss(spec, { workerFile, threads: 2 });
        const theta = Float64Array.from({ length: plain.nParams }, (_, p) => 0.1 * Math.cos(p));
        const g1 = new Float64Array(plain.nParams);
        const g2 = new Float64Array(plain.nParams);
        const f1 = plain.lossGradient(theta, g1);
        const f2 = par.lossGradient(theta, g2);
        par.dispose().then(() => parentPort.postMessage({ f1, f2, g1, g2 }));
      `,
    },
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Variant {
  kind: 'binary' | 'multinomial';
  weights: 'none' | 'random' | 'zero-tail';
  fitIntercept: boolean;
  penalty: Penalty;
}

function problem(v: Variant, n = 101, d = 5, seed = 3): LossSpec {
  const rng = new Rng(seed);
  const K = v.kind === 'binary' ? 2 : 4;
  const X = Float64Array.from({ length: n * d }, (_, i) => rng.normal() * (1 + (i % d)) + (i % 3));
  const y = Int32Array.from({ length: n }, (_, i) => (i < K ? i : rng.int(K)));
  let sampleWeight: Float64Array | null = null;
  if (v.weights === 'random') sampleWeight = Float64Array.from({ length: n }, () => 0.1 + 2 * rng.next());
  // The last third of the rows (a whole worker shard with 3 threads) weighs nothing.
  if (v.weights === 'zero-tail') sampleWeight = Float64Array.from({ length: n }, (_, i) => (i < (2 * n) / 3 ? 0.5 + rng.next() : 0));
  return { X, n, d, kind: v.kind, y, nClasses: K, sampleWeight, fitIntercept: v.fitIntercept, penalty: v.penalty, C: 0.3, l1Ratio: 0.4 };
}

/** lossGradient of both losses at θ agree to 1e-12 (value against |value|, gradient against its largest component). */
function expectSamePass(plain: LinearModelLoss, par: LinearModelLoss, theta: Float64Array): void {
  const g1 = new Float64Array(plain.nParams);
  const g2 = new Float64Array(plain.nParams);
  const f1 = plain.lossGradient(theta, g1);
  const f2 = par.lossGradient(theta, g2);
  expect(Math.abs(f2 - f1)).toBeLessThanOrEqual(1e-12 * Math.abs(f1));
  const scale = Math.max(...g1.map(Math.abs));
  for (let p = 0; p < g1.length; p++) expect(Math.abs(g2[p] - g1[p])).toBeLessThanOrEqual(1e-12 * scale);
}

function randomTheta(loss: LinearModelLoss, rng: Rng): Float64Array {
  return Float64Array.from({ length: loss.nParams }, () => 0.3 * rng.normal());
}

/** θ with the softmax intercepts centred: adding a constant to every (unpenalized) intercept leaves F unchanged. */
function identifiable(theta: Float64Array, loss: LinearModelLoss): Float64Array {
  const t = theta.slice();
  if (loss.nCoefRows === 1) return t;
  const stride = loss.d + 1;
  let mean = 0;
  for (let k = 0; k < loss.nCoefRows; k++) mean += t[k * stride + loss.d] / loss.nCoefRows;
  for (let k = 0; k < loss.nCoefRows; k++) t[k * stride + loss.d] -= mean;
  return t;
}

const variants: Variant[] = [];
for (const kind of ['binary', 'multinomial'] as const)
  for (const weights of ['none', 'random', 'zero-tail'] as const)
    for (const fitIntercept of [true, false])
      for (const penalty of ['l2', 'l1', 'elasticnet', 'none'] as const) variants.push({ kind, weights, fitIntercept, penalty });

describe('ParallelLoss', () => {
  for (const v of variants) {
    const label = `${v.kind}, ${v.penalty}, weights ${v.weights}, ${v.fitIntercept ? 'intercept' : 'no intercept'}`;
    it(`equals LinearModelLoss: ${label}`, async () => {
      const spec = problem(v);
      const plain = new LinearModelLoss(spec);
      for (const threads of [2, 3]) {
        const par = new ParallelLoss(spec, { workerFile, threads });
        try {
          const rng = new Rng(threads);
          for (let rep = 0; rep < 3; rep++) {
            const theta = randomTheta(plain, rng);
            expectSamePass(plain, par, theta);
            expect(par.objective(theta)).toBe(plain.objective(theta));
          }
        } finally {
          await par.dispose();
        }
      }
    });
  }

  for (const kind of ['binary', 'multinomial'] as const) {
    it(`reads X in place from a shared WebAssembly memory in every thread, on the SIMD kernels (${kind})`, async () => {
      const base = problem({ kind, weights: 'random', fitIntercept: true, penalty: 'l2' }, 1001, 7, 5);
      const X = new Float64Array(sharedFloat64Memory(base.X.byteLength)!, 0, base.X.length);
      X.set(base.X);
      const memory = sharedMemoryOf(X.buffer)!;
      const plain = new LinearModelLoss({ ...base, simd: false });
      for (const threads of [2, 3]) {
        const before = memory.buffer.byteLength;
        const par = new ParallelLoss({ ...base, X, simd: true }, { workerFile, threads });
        try {
          expectSamePass(plain, par, randomTheta(plain, new Rng(threads)));
          await new Promise((resolve) => setTimeout(resolve, 300));
          expectSamePass(plain, par, randomTheta(plain, new Rng(threads + 1)));
          // Each thread that computed a shard grew the memory once for its scratch (one page here): the
          // caller in the first pool (the second reuses it), each worker that claimed a shard before the
          // caller did (see claims in parallelLoss.ts: on rows this few, the caller often takes them all).
          const pages = (memory.buffer.byteLength - before) / 65536;
          expect(pages).toBeGreaterThanOrEqual(threads === 2 ? 1 : 0);
          expect(pages).toBeLessThanOrEqual(threads === 2 ? threads : threads - 1);
          expect(Number.isInteger(pages)).toBe(true);
        } finally {
          await par.dispose();
        }
      }
    });
  }

  for (const kind of ['binary', 'multinomial'] as const) {
    it(`computes the shards of workers still starting itself, bit for bit as they do (${kind}, X in a shared memory)`, async () => {
      const base = problem({ kind, weights: 'zero-tail', fitIntercept: true, penalty: 'l2' }, 1001, 7, 6);
      const X = new Float64Array(sharedFloat64Memory(base.X.byteLength)!, 0, base.X.length);
      X.set(base.X);
      const plain = new LinearModelLoss({ ...base, simd: true });
      // The same rows in a shared memory (the caller may compute the shards) and in an ordinary array
      // (it never does: only the workers do, once started).
      const slow = new ParallelLoss({ ...base, X, simd: true }, { workerFile: slowWorkerFile, threads: 3 });
      const workers = new ParallelLoss({ ...base, simd: true }, { workerFile, threads: 3 });
      try {
        const N = slow.nParams;
        const theta = randomTheta(plain, new Rng(7));
        const pass = (loss: LinearModelLoss) => {
          const [g, H] = [new Float64Array(N), new Float64Array(N * N)];
          const f = loss.lossGradient(theta, g);
          const h = loss.lossGradientHessian(theta, new Float64Array(N), H);
          return { f, g: Array.from(g), h, H: Array.from(H) };
        };
        // slow's workers sleep SLOW_START_MS before they serve: this pass is all this thread's.
        const before = pass(slow);
        expect(before).toEqual(pass(workers));
        await new Promise((resolve) => setTimeout(resolve, 3 * SLOW_START_MS));
        expect(pass(slow)).toEqual(before);
        expectSamePass(plain, slow, theta);
      } finally {
        await slow.dispose();
        await workers.dispose();
      }
    });
  }

  for (const [kind, penalty] of [['binary', 'l2'], ['multinomial', 'l2'], ['binary', 'l1'], ['multinomial', 'elasticnet']] as const) {
    it(`reaches the same optimum through minimize (${kind}, ${penalty})`, async () => {
      const spec = problem({ kind, weights: 'random', fitIntercept: true, penalty }, 203, 6, 11);
      const a = minimize(new LinearModelLoss(spec), 'lbfgs');
      const par = new ParallelLoss(spec, { workerFile, threads: 2 });
      try {
        const b = minimize(par, 'lbfgs');
        expect(b.converged).toBe(true);
        expect(Math.abs(b.objective - a.objective)).toBeLessThanOrEqual(1e-12 * Math.abs(a.objective));
        const ta = identifiable(a.theta, par);
        const tb = identifiable(b.theta, par);
        for (let p = 0; p < ta.length; p++) expect(Math.abs(tb[p] - ta[p])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ta[p])));
      } finally {
        await par.dispose();
      }
    });
  }

  for (const v of variants.filter((w) => w.kind === 'binary' && w.penalty !== 'l1' && w.penalty !== 'elasticnet')) {
    it(`lossGradientHessian equals LinearModelLoss's: ${v.penalty}, weights ${v.weights}, ${v.fitIntercept ? 'intercept' : 'no intercept'}`, async () => {
      const spec = problem(v, 211, 6, 8);
      const plain = new LinearModelLoss(spec);
      const par = new ParallelLoss(spec, { workerFile, threads: 3 });
      try {
        const N = plain.nParams;
        const theta = randomTheta(plain, new Rng(4));
        const [g1, g2, H1, H2] = [new Float64Array(N), new Float64Array(N), new Float64Array(N * N), new Float64Array(N * N)];
        const f1 = plain.lossGradientHessian(theta, g1, H1);
        const f2 = par.lossGradientHessian(theta, g2, H2);
        expect(Math.abs(f2 - f1)).toBeLessThanOrEqual(1e-12 * Math.abs(f1));
        const gs = Math.max(...g1.map(Math.abs));
        for (let p = 0; p < N; p++) expect(Math.abs(g2[p] - g1[p])).toBeLessThanOrEqual(1e-12 * gs);
        const hs = Math.max(...H1.map(Math.abs));
        for (let p = 0; p < N * N; p++) expect(Math.abs(H2[p] - H1[p])).toBeLessThanOrEqual(1e-12 * hs);
        // A gradient request after a Hessian one still carries only the gradient.
        expectSamePass(plain, par, theta);
      } finally {
        await par.dispose();
      }
    });
  }

  it('ends its threads on dispose and refuses to run afterwards', async () => {
    const spec = problem({ kind: 'binary', weights: 'none', fitIntercept: true, penalty: 'l2' });
    const par = new ParallelLoss(spec, { workerFile, threads: 3 });
    const g = new Float64Array(par.nParams);
    par.lossGradient(new Float64Array(par.nParams), g);
    // Resolves only once every worker has emitted 'exit'.
    await par.dispose();
    await par.dispose();
    expect(() => par.lossGradient(new Float64Array(par.nParams), g)).toThrow(/disposed/);
  });

  it('works when the caller is itself a worker thread', async () => {
    const spec = problem({ kind: 'multinomial', weights: 'random', fitIntercept: true, penalty: 'l2' });
    const w = new Worker(callerInWorkerFile, { workerData: { spec, workerFile } });
    const result = await new Promise<{ f1: number; f2: number; g1: Float64Array; g2: Float64Array }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await new Promise((resolve) => w.once('exit', resolve));
    expect(Math.abs(result.f2 - result.f1)).toBeLessThanOrEqual(1e-12 * Math.abs(result.f1));
    const scale = Math.max(...result.g1.map(Math.abs));
    for (let p = 0; p < result.g1.length; p++) expect(Math.abs(result.g2[p] - result.g1[p])).toBeLessThanOrEqual(1e-12 * scale);
  });

  it('reports a missing worker bundle', () => {
    const spec = problem({ kind: 'binary', weights: 'none', fitIntercept: true, penalty: 'l2' });
    expect(() => new ParallelLoss(spec, { workerFile: join(dir, 'missing.js'), threads: 2 })).toThrow(/missing/);
  });
});

describe('createLoss', () => {
  it('shards only large problems, on several threads', async () => {
    const small = createLoss(problem({ kind: 'binary', weights: 'none', fitIntercept: true, penalty: 'l2' }), { workerFile, threads: 2 });
    expect(small.loss).not.toBeInstanceOf(ParallelLoss);
    await small.release();
    const d = 10;
    const n = Math.ceil(PARALLEL_MIN_WORK / d);
    const spec = problem({ kind: 'binary', weights: 'none', fitIntercept: true, penalty: 'l2' }, n, d);
    const single = createLoss(spec, { workerFile, threads: 1 });
    expect(single.loss).not.toBeInstanceOf(ParallelLoss);
    const large = createLoss(spec, { workerFile, threads: 2 });
    expect(large.loss).toBeInstanceOf(ParallelLoss);
    await large.release();
  });
});
