import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostics';
import type { DataPreview } from '../core/data/preview';
import type { TrainProgress, TrainReport } from '../core/report/report';
import type { TrainSettings } from '../core/run/settings';
import type { SolverComparison } from '../core/run/compareSolvers';
import type { DescentPaths, Landscape } from '../core/evaluate/landscape';
import type { CvOptions, CvProgress, CvResult } from '../core/run/crossValidate';
import type { HostToWorker, WorkerToHost } from '../protocol/worker';
import { ownBuffers } from '../protocol/packNumbers';
import type { HostToProcess, ProcessToHost } from '../worker/trainProcess';
import { localize } from './localize';

export interface InternalError {
  message: string;
  stack?: string;
}

export type PreviewOutcome =
  | { kind: 'loaded'; preview: DataPreview }
  | { kind: 'failed'; diagnostics: Diagnostic[]; internal?: InternalError };

export type TrainOutcome =
  | { kind: 'finished'; report: TrainReport }
  | { kind: 'cancelled' }
  | { kind: 'failed'; diagnostics: Diagnostic[]; internal?: InternalError };

export type CompareOutcome =
  | { kind: 'compared'; comparison: SolverComparison }
  | { kind: 'cancelled' }
  | { kind: 'failed'; diagnostics: Diagnostic[]; internal?: InternalError };

export type LandscapeOutcome =
  | { kind: 'landscape'; landscape: Landscape }
  | { kind: 'descended'; paths: DescentPaths }
  | { kind: 'failed'; diagnostics: Diagnostic[]; internal?: InternalError };

type Outcome = PreviewOutcome | TrainOutcome | CompareOutcome | LandscapeOutcome | CvOutcome;

type WithoutRequestId<M> = M extends unknown ? Omit<M, 'requestId'> : never;

/** Requests after which the worker stays up (IDLE_TIMEOUT_MS): previews, and the landscape's, whose sample the worker keeps for the slider. */
const KEEPS_WORKER = new Set<HostToWorker['type']>(['preview', 'landscape', 'descend']);
export type CvOutcome =
  | { kind: 'crossValidated'; result: CvResult }
  | { kind: 'cancelled' }
  | { kind: 'failed'; diagnostics: Diagnostic[]; internal?: InternalError };


/** What the session needs from a logger (the host passes the LogOutputChannel). */
export interface SessionLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

interface Pending {
  message: HostToWorker;
  resolve(outcome: Outcome): void;
  onProgress?: (p: TrainProgress) => void;
  onCompareStep?: (done: number, total: number, label: string) => void;
  /** A preview's estimate (from the file's first MB), before its exact counts settle the request. */
  onEstimate?: (preview: DataPreview) => void;
  onCvStep?: (p: CvProgress) => void;
}

/** How long `cancel()` waits for the worker to notice the flag before terminating it. */
export const CANCEL_GRACE_MS = 1000;
/** A worker idle after a preview is stopped after this long (at once after a run); the next request starts a new one. */
export const IDLE_TIMEOUT_MS = 60_000;

/** Where the training worker runs: its own process (the default: all its memory goes back to the system when it ends), or a thread of this one. */
export type Isolation = 'process' | 'thread';

/** The running worker, whichever its isolation. */
interface TrainWorker {
  /** Process id or thread id (for the log). */
  readonly id: string;
  post(message: HostToWorker): void;
  /** Asks the worker to stop request `requestId` (the process flips its own flag; a thread shares the host's). */
  cancel(requestId: number): void;
  stop(): void;
}

interface WorkerEvents {
  message(m: WorkerToHost): void;
  crash(e: InternalError): void;
  exit(code: number | null): void;
}

/** dist/trainWorker.js in a worker thread of the extension host. */
function startThread(workerPath: string, on: WorkerEvents): TrainWorker {
  const worker = new Worker(workerPath, { name: 'logit-lab-train' });
  worker.on('message', on.message);
  worker.on('error', (e) => on.crash({ message: e.message, stack: e.stack }));
  worker.on('exit', on.exit);
  return { id: `thread ${worker.threadId}`, post: (m) => worker.postMessage(m), cancel: () => undefined, stop: () => void worker.terminate() };
}

/**
 * dist/trainProcess.js (beside trainWorker.js) in a child process, which runs trainWorker.js in a
 * thread of its own. Messages go by IPC with V8 serialization (typed arrays survive); the cancel
 * flag does not cross processes, so a cancellation is a message.
 */
function startProcess(workerPath: string, on: WorkerEvents): TrainWorker {
  const child = fork(join(dirname(workerPath), 'trainProcess.js'), [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
  child.on('message', (m: ProcessToHost) => {
    if (m.type === 'crashed') on.crash({ message: m.message, stack: m.stack });
    else on.message(m);
  });
  child.on('error', (e) => on.crash({ message: e.message, stack: e.stack }));
  child.on('exit', (code, signal) => {
    // A crash of the process itself (out of memory, a native fault): its last words are the message.
    if (code !== 0 && signal === null && stderr.trim()) on.crash({ message: stderr.trim().split('\n').slice(-3).join(' ') });
    on.exit(code);
  });
  const send = (m: HostToProcess) => {
    if (child.connected) child.send(m);
  };
  return {
    id: `process ${child.pid}`,
    post: (m) => {
      const { cancelFlag: _flag, ...rest } = m as HostToWorker & { cancelFlag?: SharedArrayBuffer };
      send(rest as HostToProcess);
    },
    cancel: (requestId) => send({ type: 'cancel', requestId }),
    stop: () => void child.kill(),
  };
}

/**
 * Owns one training worker (dist/trainWorker.js; by default in its own process, trainProcess.js)
 * that previews and trains; the extension host's main thread never runs the solver. The worker handles
 * one request at a time, in order, except previews: in the process they run in a thread of their own,
 * so a run asked for as the panel opens starts at once, beside the preview. Cancellation flips a shared Int32 flag the solver polls; if the worker has not
 * answered within CANCEL_GRACE_MS it is terminated (queued previews are re-sent to a fresh worker).
 */
export class TrainingSession {
  private worker: TrainWorker | undefined;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  private active: { requestId: number; flag: Int32Array; done: Promise<unknown> } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** The current worker has run a request after which it is not kept (a run's table is in its heap). */
  private workerRan = false;

  constructor(
    private readonly workerPath: string,
    private readonly logger: SessionLogger,
    private readonly isolation: Isolation = 'process',
  ) {}

  get isTraining(): boolean {
    return this.active !== undefined;
  }

  /**
   * The file's preview. A large file is previewed from its first MB: `onEstimate` gets that preview
   * at once, and the promise the same preview with the row count and class balances counted over the
   * whole file (DataPreview.sample.counted). `count: false` (a run that reads every row starts with
   * the preview): no count, the promise gets the estimate (sample.counted unset).
   */
  preview(filePath: string, fileName: string, onEstimate?: (preview: DataPreview) => void, count = true): Promise<PreviewOutcome> {
    return this.request({ type: 'preview', requestId: this.nextRequestId++, filePath, fileName, ...(count ? {} : { count }) }, undefined, undefined, onEstimate) as Promise<PreviewOutcome>;
  }

  train(filePath: string, fileName: string, settings: TrainSettings, onProgress?: (p: TrainProgress) => void): Promise<TrainOutcome> {
    return this.cancellable((requestId, cancelFlag) => this.request({ type: 'train', requestId, filePath, fileName, settings, cancelFlag }, onProgress) as Promise<TrainOutcome>);
  }

  /** "Compare solvers" in the worker; cancelled like a training run (cancel()). */
  compare(filePath: string, fileName: string, settings: TrainSettings, onStep?: (done: number, total: number, label: string) => void): Promise<CompareOutcome> {
    return this.cancellable((requestId, cancelFlag) => this.request({ type: 'compare', requestId, filePath, fileName, settings, cancelFlag }, undefined, onStep) as Promise<CompareOutcome>);
  }

  /** The loss landscape of a run (or, `descend`, gradient descent on its sample) in the worker; not cancellable (bounded by the sample). */
  landscape(message: WithoutRequestId<Extract<HostToWorker, { type: 'landscape' | 'descend' }>>): Promise<LandscapeOutcome> {
    return this.request({ ...message, requestId: this.nextRequestId++ } as HostToWorker) as Promise<LandscapeOutcome>;
  }

  /** Cross-validation of C in the worker; cancelled like a training run (cancel()). */
  crossValidate(filePath: string, fileName: string, settings: TrainSettings, cv: CvOptions, onStep?: (p: CvProgress) => void): Promise<CvOutcome> {
    return this.cancellable((requestId, cancelFlag) => {
      const promise = this.request({ type: 'crossValidate', requestId, filePath, fileName, settings, cv, cancelFlag });
      const pending = this.pending.get(requestId);
      if (pending) pending.onCvStep = onStep;
      return promise as Promise<CvOutcome>;
    });
  }

  private cancellable<T>(start: (requestId: number, cancelFlag: SharedArrayBuffer) => Promise<T>): Promise<T> {
    if (this.active) throw new Error('a training run is already in progress in this session');
    const cancelFlag = new SharedArrayBuffer(4);
    const requestId = this.nextRequestId++;
    const done = start(requestId, cancelFlag);
    const active = { requestId, flag: new Int32Array(cancelFlag), done };
    this.active = active;
    void done.finally(() => {
      if (this.active === active) this.active = undefined;
    });
    return done;
  }

  /** Stops the running training (if any): resolves once its outcome is known (at most ~CANCEL_GRACE_MS). */
  async cancel(graceMs = CANCEL_GRACE_MS): Promise<void> {
    const active = this.active;
    if (!active) return;
    Atomics.store(active.flag, 0, 1);
    this.worker?.cancel(active.requestId);
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      active.done.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!stopped && this.pending.has(active.requestId)) {
      this.logger.warn(`training worker did not stop within ${graceMs} ms; terminating it`);
      this.settle(active.requestId, { kind: 'cancelled' });
      this.restartWorker();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.active) {
      Atomics.store(this.active.flag, 0, 1);
      this.worker?.cancel(this.active.requestId);
    }
    for (const id of [...this.pending.keys()]) {
      const p = this.pending.get(id)!;
      this.settle(id, KEEPS_WORKER.has(p.message.type) ? { kind: 'failed', diagnostics: [] } : { kind: 'cancelled' });
    }
    this.stopWorker();
  }

  private request(message: HostToWorker, onProgress?: (p: TrainProgress) => void, onCompareStep?: Pending['onCompareStep'], onEstimate?: Pending['onEstimate']): Promise<Outcome> {
    if (this.disposed) return Promise.resolve({ kind: 'failed', diagnostics: [] });
    return new Promise((resolve) => {
      this.pending.set(message.requestId, { message, resolve, onProgress, onCompareStep, onEstimate });
      clearTimeout(this.idleTimer);
      const worker = this.ensureWorker();
      if (!KEEPS_WORKER.has(message.type)) this.workerRan = true;
      worker.post(message);
    });
  }

  private ensureWorker(): TrainWorker {
    if (this.worker) return this.worker;
    // Events refer to the worker they came from (`started.worker`): a stopped one's are ignored.
    const started: { worker?: TrainWorker } = {};
    const events: WorkerEvents = {
      message: (m) => this.onMessage(m),
      crash: (e) => {
        // An uncaught exception in the worker: a bug. Everything pending fails with it.
        this.logger.error(`training worker crashed: ${e.stack ?? e.message}`);
        if (started.worker && this.worker === started.worker) this.worker = undefined;
        this.failAll(e);
      },
      exit: (code) => {
        if (!started.worker || this.worker !== started.worker) return; // stopped on purpose (restart/dispose/idle)
        this.worker = undefined;
        this.logger.warn(`training worker exited with code ${code}`);
        this.failAll({ message: localize('the training worker exited unexpectedly (code {0})', String(code)) });
      },
    };
    const worker = this.isolation === 'process' ? startProcess(this.workerPath, events) : startThread(this.workerPath, events);
    started.worker = worker;
    this.worker = worker;
    this.workerRan = false;
    this.logger.info(`training worker started (${worker.id})`);
    return worker;
  }

  private onMessage(m: WorkerToHost): void {
    const p = this.pending.get(m.requestId);
    if (!p) return; // a late answer to a request already settled (e.g. cancelled by terminate)
    switch (m.type) {
      case 'didUpdateProgress':
        p.onProgress?.(m.progress);
        return;
      case 'didPreview':
        if (m.counting) p.onEstimate?.(m.preview);
        else this.settle(m.requestId, { kind: 'loaded', preview: m.preview });
        return;
      case 'didCountRows':
        this.settle(m.requestId, { kind: 'loaded', preview: m.preview });
        return;
      case 'didFinish':
        // The report is kept (the run history): its arrays in buffers of their own, the message's freed.
        this.settle(m.requestId, { kind: 'finished', report: ownBuffers(m.report) });
        return;
      case 'didCompareStep':
        p.onCompareStep?.(m.done, m.total, m.label);
        return;
      case 'didCompare':
        this.settle(m.requestId, { kind: 'compared', comparison: m.comparison });
        return;
      case 'didLandscape':
        this.settle(m.requestId, { kind: 'landscape', landscape: m.landscape });
        return;
      case 'didDescend':
        this.settle(m.requestId, { kind: 'descended', paths: m.paths });
        return;
      case 'didCvStep':
        p.onCvStep?.(m.progress);
        return;
      case 'didCrossValidate':
        this.settle(m.requestId, { kind: 'crossValidated', result: m.result });
        return;
      case 'didCancel':
        this.settle(m.requestId, { kind: 'cancelled' });
        return;
      case 'didFail':
        if (m.internal) this.logger.error(`training worker internal error: ${m.internal.stack ?? m.internal.message}`);
        this.settle(m.requestId, { kind: 'failed', diagnostics: m.diagnostics, internal: m.internal });
        return;
      default: {
        const never: never = m;
        this.logger.warn(`unknown worker message ${JSON.stringify(never)}`);
      }
    }
  }

  private settle(requestId: number, outcome: Outcome): void {
    const p = this.pending.get(requestId);
    if (!p) return;
    this.pending.delete(requestId);
    p.resolve(outcome);
    if (this.pending.size === 0 && this.worker && !this.disposed && (!KEEPS_WORKER.has(p.message.type) || this.workerRan)) {
      // The end of a run or comparison (or of a preview answered after the run it came with): the
      // worker's heap holds the whole table and its buffers (hundreds of MB for a million rows).
      // Only the report is kept (by the caller); the next request starts a fresh worker.
      this.stopWorker();
      return;
    }
    if (this.pending.size === 0 && this.worker && !this.disposed) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => {
        if (this.pending.size === 0) this.stopWorker();
      }, IDLE_TIMEOUT_MS);
      this.idleTimer.unref?.();
    }
  }

  private failAll(internal: InternalError): void {
    const diagnostics: Diagnostic[] = [{ severity: 'error', code: 'internal', message: localize('Internal error: {0}. See Output › Logit Lab for details.', internal.message) }];
    for (const id of [...this.pending.keys()]) this.settle(id, { kind: 'failed', diagnostics, internal });
  }

  /** Terminates the current worker and re-sends still-pending requests (queued previews) to a new one. */
  private restartWorker(): void {
    this.stopWorker();
    if (this.pending.size === 0 || this.disposed) return;
    const worker = this.ensureWorker();
    for (const p of this.pending.values()) worker.post(p.message);
  }

  private stopWorker(): void {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      worker.stop();
      this.logger.info(`training worker stopped (${worker.id})`);
    }
  }
}
