/**
 * Runs gradient checks in a worker thread (dist/gradcheckWorker.js) so a slow or endless block never
 * blocks the caller's thread. One worker is kept warm and reused; when a check outlives its time
 * limit plus a grace period, the worker is terminated (whatever the block is doing) and a fresh one
 * is started for the next check.
 */
import { Worker } from 'node:worker_threads';
import type { BlockReport, GradcheckOptions, SourceBlock } from '../core/gradcheck/types';

export interface GradcheckRequest {
  id: number;
  block: SourceBlock;
  options: Omit<GradcheckOptions, 'resolve'>;
  /** The document's folder: NAME.m files are looked up there. */
  folder?: string;
}

export type GradcheckResponse = { id: number; report: BlockReport } | { id: number; error: string } | { ready: true };

/** The worker went away without answering (not a time limit): the caller may retry or run in-process. */
export class WorkerStopped extends Error {}

/** Time the worker gets beyond the engine's own time limit before it is terminated (a busy machine's GC and scheduling). */
export const GRACE_MS = 2000;

export class GradcheckWorkerClient {
  private worker: Worker | undefined;
  /** Resolves when the current worker has loaded its bundle. */
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: BlockReport) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly script: string) {}

  /** Checks one block; rejects when the worker failed or had to be terminated. */
  async check(block: SourceBlock, options: Omit<GradcheckOptions, 'resolve'>, folder?: string): Promise<BlockReport> {
    const worker = this.ensure();
    await this.ready;
    const id = this.nextId++;
    const limit = (options.timeLimitMs ?? 2000) + GRACE_MS;
    return new Promise<BlockReport>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.kill();
        reject(new Error(`the check did not finish within ${limit} ms and was stopped`));
      }, limit);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, block, options, folder } satisfies GradcheckRequest);
    });
  }

  dispose(): void {
    this.kill();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref();
    let loaded: () => void = () => undefined;
    let failed: (e: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      loaded = resolve;
      failed = reject;
    });
    this.ready.catch(() => undefined);
    worker.on('message', (m: GradcheckResponse) => {
      if ('ready' in m) {
        loaded();
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if ('report' in m) p.resolve(m.report);
      else p.reject(new Error(m.error));
    });
    const fail = (e: Error): void => {
      failed(e);
      if (this.worker === worker) this.worker = undefined;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(e);
        this.pending.delete(id);
      }
    };
    worker.on('error', (e) => fail(new WorkerStopped(e.message)));
    worker.on('exit', (code) => fail(new WorkerStopped(`the gradient-check worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private kill(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('the check was stopped'));
      this.pending.delete(id);
    }
  }
}
