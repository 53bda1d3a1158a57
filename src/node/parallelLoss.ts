/**
 * LinearModelLoss with its data term split across threads: the rows are cut into one shard per thread,
 * the calling thread computes the first shard and a pool of worker_threads (dist/lossShardWorker.js)
 * the others, over shared memory, so that a gradient pass uses every core. Node only; the solvers see
 * an ordinary LinearModelLoss (every other method runs on the calling thread over the same data).
 *
 * Shared memory: each worker's rows of X, y and the sample weights are in SharedArrayBuffers (views of
 * the caller's arrays when those already are shared, else copied once; the caller's own shard is never
 * copied), and so are θ (`theta`, written by the caller) and one partial-result slot per worker
 * (`partial`: [Σ s_i ℓ_i, Σ s_i ∇ℓ_i (nParams)]). No message is posted per call.
 *
 * Synchronization, on the Int32Array control block `control` (all accesses through Atomics, which are
 * sequentially consistent, so the plain writes to `theta` and `partials` made before an Atomics write
 * are visible to the thread whose Atomics read observes that write):
 *   READY    each worker adds 1 once it can serve requests (or after setting FAILED, and exits). A caller
 *            whose X is not in a shared WebAssembly memory waits (Atomics.wait, bounded by
 *            STARTUP_TIMEOUT_MS) until READY equals the pool size before its first request; one whose X
 *            is does not wait (see claims).
 *   request  the caller writes θ into `theta`, stores PENDING = pool size and COMMAND, sets every
 *            worker's claim to 0, then adds 1 to SEQ and notifies SEQ. Each worker sleeps in
 *            Atomics.wait(SEQ, last seen value): a request published before the worker got there is not
 *            lost, since the wait returns at once when SEQ has already moved.
 *   claims   one Int32 per worker shard (`claims`): whoever turns it from 0 (compareExchange) computes
 *            the shard for the current request, into the worker's slot: the worker (1), or, once it has
 *            computed its own shard, a caller whose X lies in a shared WebAssembly memory (2), with the
 *            very loss the worker builds (shardLoss: the same rows, kernels and sums, so the same bits).
 *            So a worker still starting (20-40 ms, two passes of a 100k x 50 x 10 softmax fit) or not
 *            yet scheduled on a busy machine never holds the caller up; one already working on its shard
 *            is waited for. A worker re-reads COMMAND after it wins the claim (θ and COMMAND are written
 *            before the claims are reset, so it sees the request it claimed).
 *   reply    the claimer writes the shard's partial sums into the worker's `partials` slot, then
 *            subtracts 1 from PENDING; the one that brings it to 0 notifies PENDING. The caller, after
 *            its own shard and its claims, sleeps in Atomics.wait(PENDING, current value) until PENDING
 *            is 0, and sums the slots into its gradient (and adds the penalty once, in
 *            LinearModelLoss.finish).
 *   errors   a worker that throws sets FAILED before replying; the caller then throws.
 *   exit     dispose() stores COMMAND = EXIT and bumps SEQ; each worker leaves its loop and its thread
 *            ends. Workers are unref'd until then, so a pool left undisposed never keeps the process
 *            alive; dispose() refs them again so that its promise can settle.
 * One request is in flight at a time: lossGradient returns only after every reply, and the caller is a
 * single thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LinearModelLoss, type LossSpec } from '../core/model/loss';
import { registerSharedMemory, sharedMemoryOf, type WasmMemory } from '../core/model/simdKernels';

/** Slots of the control block. */
const SEQ = 0;
const COMMAND = 1;
const PENDING = 2;
const READY = 3;
const FAILED = 4;
const CONTROL_SLOTS = 5;

const GRADIENT = 1;
const EXIT = 2;
/** lossGradientHessian's data term (binary): the slot also carries the shard's Σ s_i h_i x̃_i x̃_iᵀ. */
const HESSIAN = 3;

/**
 * Largest nParams for which a binary pool's slots carry a Hessian ((nParams + 1 + nParams²) values per
 * worker, 2 MB at 512); above it lossGradientHessian's Hessian runs on the calling thread alone.
 */
export const PARALLEL_HESSIAN_MAX_PARAMS = 512;

/** How long the first request waits for the workers to start before giving up. */
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Smallest n·d·R (R = 1 binary, K multinomial: the multiply-adds of one pass) for which createLoss
 * shards: below it, starting the pool and copying the data to shared memory cost more than the
 * second core saves over a typical L-BFGS fit (measured: see docs/performance.md).
 */
export const PARALLEL_MIN_WORK = 2_000_000;

/** What a shard worker receives as workerData (typed arrays over SharedArrayBuffers are shared, not copied). */
export interface LossShardData {
  control: Int32Array;
  /** The shard's rows only: n × d, n labels, n weights (or null). */
  X: Float64Array;
  y: Int32Array;
  sampleWeight: Float64Array | null;
  n: number;
  d: number;
  kind: 'binary' | 'multinomial';
  nClasses: number;
  fitIntercept: boolean;
  /** LossSpec.simd of the whole loss. */
  simd: boolean | undefined;
  /** The shared WebAssembly memory X lives in, if any (registered by the worker, for the SIMD kernels to read X in place). */
  memory: WasmMemory | null;
  theta: Float64Array;
  /** Every shard's claim (see the protocol above), and this worker's index in it. */
  claims: Int32Array;
  index: number;
  /** This worker's slot: [Σ s_i ℓ_i, Σ s_i ∇ℓ_i (nParams), then, in a binary pool of at most PARALLEL_HESSIAN_MAX_PARAMS, the Hessian's data term (nParams²)]. */
  partial: Float64Array;
}

export interface ParallelOptions {
  /** The bundled shard worker, dist/lossShardWorker.js. */
  workerFile: string;
  /** Threads including the caller's; default os.availableParallelism(). */
  threads?: number;
}

export class ParallelLoss extends LinearModelLoss {
  /** Threads including the caller's. */
  readonly threads: number;
  private readonly control: Int32Array;
  private readonly sharedTheta: Float64Array;
  private readonly partials: Float64Array[];
  private readonly workers: Worker[];
  private readonly exited: Promise<void>;
  /** Rows [0, callerEnd) are the calling thread's shard. */
  private readonly callerEnd: number;
  /** The first 'error' a worker emitted (reported when the workers fail to start). */
  private workerError: Error | null = null;
  private started = false;
  private disposed = false;
  /** Whether the slots carry a Hessian (see HESSIAN). */
  private readonly slotsHessian: boolean;
  /** Every shard's claim (see the protocol above). */
  private readonly claims: Int32Array;
  /** What each worker receives, when this thread may compute their shards (X in a shared memory; see claims), else null. */
  private readonly shards: LossShardData[] | null = [];
  /** The loss each worker builds, made here the first time this thread claims a shard. */
  private readonly shardLosses: (LinearModelLoss | null | undefined)[] = [];

  constructor(spec: LossSpec, options: ParallelOptions) {
    super(spec);
    const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), spec.n));
    if (threads < 2) throw new Error('ParallelLoss needs at least 2 threads and 2 rows.');
    if (!existsSync(options.workerFile)) throw new Error(`the loss shard worker is missing (${options.workerFile}); run npm run build`);
    this.threads = threads;
    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    this.sharedTheta = new Float64Array(new SharedArrayBuffer(this.nParams * 8));
    this.claims = new Int32Array(new SharedArrayBuffer(4 * (threads - 1)));
    const bound = (t: number) => Math.round((t * this.n) / threads);
    this.callerEnd = bound(1);
    this.partials = [];
    this.workers = [];
    this.slotsHessian = this.kind === 'binary' && this.nParams <= PARALLEL_HESSIAN_MAX_PARAMS;
    const slot = this.nParams + 1 + (this.slotsHessian ? this.nParams * this.nParams : 0);
    for (let t = 1; t < threads; t++) {
      const start = bound(t);
      const end = bound(t + 1);
      const partial = new Float64Array(new SharedArrayBuffer(slot * 8));
      const data: LossShardData = {
        control: this.control,
        X: shared(this.X.subarray(start * this.d, end * this.d)),
        y: shared(this.y.subarray(start, end)),
        sampleWeight: this.sampleWeight ? shared(this.sampleWeight.subarray(start, end)) : null,
        n: end - start, d: this.d, kind: this.kind, nClasses: this.nClasses, fitIntercept: this.fitIntercept,
        simd: spec.simd, memory: sharedMemoryOf(this.X.buffer) ?? null, theta: this.sharedTheta, claims: this.claims, index: t - 1, partial,
      };
      const worker = new Worker(options.workerFile, { workerData: data });
      worker.on('error', (error) => {
        this.workerError ??= error;
      });
      worker.unref();
      this.shards?.push(data);
      this.partials.push(partial);
      this.workers.push(worker);
    }
    // Only a caller that reads X in place can stand in for the workers without another copy of their rows.
    if (sharedMemoryOf(this.X.buffer) === undefined) this.shards = null;
    else this.started = true;
    this.exited = Promise.all(this.workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())))).then(() => undefined);
  }

  /**
   * Ends the pool: each worker leaves its loop and its thread exits. The promise resolves once every
   * thread has exited; the loss must not be used for lossGradient afterwards. Idempotent.
   */
  dispose(): Promise<void> {
    if (!this.disposed) {
      this.disposed = true;
      Atomics.store(this.control, COMMAND, EXIT);
      Atomics.add(this.control, SEQ, 1);
      Atomics.notify(this.control, SEQ);
      for (const w of this.workers) w.ref();
    }
    return this.exited;
  }

  /** The data term over all rows: this thread's shard, plus the workers' shards (see the protocol above). */
  protected override accumulateData(theta: Float64Array, grad: Float64Array): number {
    return this.request(GRADIENT, theta, grad, null);
  }

  /** The data term with the binary Hessian's, every shard on its thread as accumulateData's (see HESSIAN). */
  protected override accumulateDataHessian(theta: Float64Array, grad: Float64Array, H: Float64Array): number {
    if (!this.slotsHessian) return super.accumulateDataHessian(theta, grad, H);
    return this.request(HESSIAN, theta, grad, H);
  }

  /** One request to every worker (the protocol above) while this thread computes its own shard; the sums of all shards. */
  private request(command: number, theta: Float64Array, grad: Float64Array, H: Float64Array | null): number {
    if (this.disposed) throw new Error('ParallelLoss was disposed.');
    const c = this.control;
    if (!this.started) this.awaitWorkers();
    this.sharedTheta.set(theta);
    Atomics.store(c, PENDING, this.workers.length);
    Atomics.store(c, COMMAND, command);
    for (let t = 0; t < this.workers.length; t++) Atomics.store(this.claims, t, 0);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    let sum = H ? this.accumulateRowsHessian(theta, 0, this.callerEnd, grad, H) : this.accumulateRows(theta, 0, this.callerEnd, grad);
    // The shards no worker has claimed yet: here (see claims).
    const shards = this.shards;
    for (let t = 0; shards && t < shards.length; t++) {
      if (Atomics.compareExchange(this.claims, t, 0, 2) !== 0) continue;
      if (this.shardLosses[t] === undefined) this.shardLosses[t] = shardLoss(shards[t]);
      computeShard(this.shardLosses[t]!, command, theta, shards[t].n, this.partials[t]);
      Atomics.sub(c, PENDING, 1);
    }
    for (let p = Atomics.load(c, PENDING); p !== 0; p = Atomics.load(c, PENDING)) Atomics.wait(c, PENDING, p);
    if (Atomics.load(c, FAILED) !== 0) throw new Error('a loss shard worker failed.');
    const N = grad.length;
    for (const partial of this.partials) {
      sum += partial[0];
      for (let p = 0; p < N; p++) grad[p] += partial[p + 1];
      if (H) for (let p = 0; p < N * N; p++) H[p] += partial[N + 1 + p];
    }
    return sum;
  }

  /** Sleeps until every worker has started (see READY); throws if one failed or they take too long. */
  private awaitWorkers(): void {
    const c = this.control;
    const deadline = performance.now() + STARTUP_TIMEOUT_MS;
    for (let r = Atomics.load(c, READY); r < this.workers.length; r = Atomics.load(c, READY)) {
      const left = deadline - performance.now();
      if (left <= 0) {
        const why = this.workerError ? `: ${this.workerError.message}` : '';
        throw new Error(`the loss shard workers did not start within ${STARTUP_TIMEOUT_MS / 1000} s${why}.`);
      }
      Atomics.wait(c, READY, r, left);
    }
    if (Atomics.load(c, FAILED) !== 0) throw new Error('a loss shard worker failed to start.');
    this.started = true;
  }
}

/**
 * The worker side of the protocol above: builds the shard's loss, reports READY, then serves requests
 * until EXIT. A shard whose weights are all zero contributes zeros. Runs in dist/lossShardWorker.js.
 */
export function serveLossShard(data: LossShardData): void {
  const { control: c, theta, claims, index, partial, n } = data;
  let loss: LinearModelLoss | null = null;
  if (data.memory) registerSharedMemory(data.memory, data.X.buffer);
  try {
    loss = shardLoss(data);
  } catch {
    Atomics.store(c, FAILED, 1);
    Atomics.add(c, READY, 1);
    Atomics.notify(c, READY);
    return;
  }
  Atomics.add(c, READY, 1);
  Atomics.notify(c, READY);
  let seen = 0;
  for (;;) {
    Atomics.wait(c, SEQ, seen);
    seen = Atomics.load(c, SEQ);
    if (Atomics.load(c, COMMAND) === EXIT) return;
    // The caller may have computed this shard already (see claims); the claimed request's command.
    if (Atomics.compareExchange(claims, index, 0, 1) !== 0) continue;
    try {
      computeShard(loss, Atomics.load(c, COMMAND), theta, n, partial);
    } catch {
      Atomics.store(c, FAILED, 1);
    }
    if (Atomics.sub(c, PENDING, 1) === 1) Atomics.notify(c, PENDING);
  }
}

/** The loss a shard worker serves: its rows without a penalty; null when all their weights are zero (the shard adds zeros). */
function shardLoss(data: LossShardData): LinearModelLoss | null {
  if (data.sampleWeight?.every((s) => s === 0)) return null;
  return new LinearModelLoss({
    X: data.X, n: data.n, d: data.d, kind: data.kind, y: data.y, nClasses: data.nClasses,
    sampleWeight: data.sampleWeight, fitIntercept: data.fitIntercept, penalty: 'none', C: Infinity, simd: data.simd,
  });
}

/** One request's partial sums of a shard into its slot (see LossShardData.partial), by the worker or, while it starts, by the caller. */
function computeShard(loss: LinearModelLoss | null, command: number, theta: Float64Array, n: number, partial: Float64Array): void {
  partial.fill(0);
  if (!loss) return;
  const N = loss.nParams;
  const grad = partial.subarray(1, N + 1);
  partial[0] = command === HESSIAN ? loss.accumulateRowsHessian(theta, 0, n, grad, partial.subarray(N + 1)) : loss.accumulateRows(theta, 0, n, grad);
}

/**
 * The objective for one fit: a ParallelLoss when there are several cores and n·d·R ≥ PARALLEL_MIN_WORK,
 * else a plain LinearModelLoss. Call release() when the fit is over (it ends the pool, if any).
 */
export function createLoss(spec: LossSpec, options: ParallelOptions): { loss: LinearModelLoss; release: () => Promise<void> } {
  const threads = options.threads ?? availableParallelism();
  const R = spec.kind === 'binary' ? 1 : spec.nClasses;
  if (threads < 2 || spec.n < 2 || spec.n * spec.d * R < PARALLEL_MIN_WORK) {
    return { loss: new LinearModelLoss(spec), release: () => Promise.resolve() };
  }
  const loss = new ParallelLoss(spec, { ...options, threads });
  return { loss, release: () => loss.dispose() };
}

/** `a` itself when its buffer is already shared, else a copy in a new SharedArrayBuffer. */
function shared<T extends Float64Array | Int32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

/**
 * TrainOptions.createLoss for a bundle in `dir` (dist/): createLoss with the shard worker beside it,
 * or undefined (one thread) when that file is absent, as when the CLI runs from source in tests.
 */
export function lossFactoryIn(dir: string): ((spec: LossSpec) => { loss: LinearModelLoss; release: () => Promise<void> }) | undefined {
  const workerFile = join(dir, 'lossShardWorker.js');
  return existsSync(workerFile) ? (spec) => createLoss(spec, { workerFile }) : undefined;
}
