/**
 * The training worker's process (issue 20, host memory): the extension host forks this script
 * (child_process.fork, V8 serialization over IPC) and it runs dist/trainWorker.js in a worker thread,
 * relaying messages both ways. When a run ends the host ends the process, and the operating system
 * gets all of its memory back: a worker thread inside the host left 80 MB of freed-but-kept malloc
 * arenas in the host's RSS after every 1M-row run. The solver's loop is synchronous, so cancellation
 * stays a shared Int32 flag, flipped here on the host's `cancel` message (a process cannot share the
 * host's SharedArrayBuffer). Previews run in a second thread, beside a run (see `preview` below), except
 * a preview asked with a run, which the training thread answers after it (see RUN_WAIT_MS).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from '../protocol/worker';

/** What the host sends the process: a request without its cancel flag, or the cancellation of one. */
export type HostToProcess = DistributiveOmit<HostToWorker, 'cancelFlag'> | { type: 'cancel'; requestId: number };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What the process sends the host: the worker's messages, or its crash. */
export type ProcessToHost = WorkerToHost | { type: 'crashed'; message: string; stack?: string };

if (!process.send) throw new Error('trainProcess.js must be started with child_process.fork');
const send = (m: ProcessToHost) => process.send!(m);
const FINAL = new Set(['didPreview', 'didCountRows', 'didFinish', 'didCompare', 'didCrossValidate', 'didLandscape', 'didDescend', 'didCancel', 'didFail']);
const isFinal = (m: WorkerToHost) => FINAL.has(m.type) && !(m.type === 'didPreview' && m.counting);

function start(name: string): Worker {
  const w = new Worker(join(__dirname, 'trainWorker.js'), { name });
  w.on('error', (e) => {
    send({ type: 'crashed', message: e.message, stack: e.stack });
    process.exit(1);
  });
  return w;
}

// Training, comparisons, cross-validation and landscapes, one at a time.
const worker = start('logit-lab-train');
const flags = new Map<number, Int32Array>();
worker.on('message', (m: WorkerToHost) => {
  if (isFinal(m)) flags.delete(m.requestId);
  send(m);
});
worker.on('exit', () => process.exit(0));

/**
 * Previews in a thread of their own, beside a run (issue 20): the panel asks for the preview and, when
 * it opens with a run, for the run at once; in one thread the run waited for the preview's pass over
 * the whole file. The thread ends when its previews are answered (its memory goes back at once).
 */
let previewer: { worker: Worker; pending: Set<number> } | undefined;
function preview(m: Extract<HostToProcess, { type: 'preview' }>): void {
  if (!previewer) {
    const p = { worker: start('logit-lab-preview'), pending: new Set<number>() };
    p.worker.on('message', (a: WorkerToHost) => {
      send(a);
      if (!isFinal(a)) return;
      p.pending.delete(a.requestId);
      if (p.pending.size === 0 && previewer === p) {
        previewer = undefined;
        void p.worker.terminate();
      }
    });
    previewer = p;
  }
  previewer.pending.add(m.requestId);
  previewer.worker.postMessage(m);
}

/**
 * A preview asked with a run (`count: false`: the panel opened to train at once) is answered by the
 * training thread after that run, not beside it: a thread of its own (start-up, the first MB's parse
 * and typing) took a core from the run's parallel parse on a two-core machine, and the run's first
 * loss point and end came later by about as much (0.3 s on 1M rows); after the evaluation it would
 * add its heap to the run's peak. So it waits for the run's request (which comes right after it) and
 * is queued behind it; if no run comes within RUN_WAIT_MS (refused before reaching the worker), the
 * idle training thread answers it at once.
 */
const RUN_WAIT_MS = 500;
const held: Extract<HostToProcess, { type: 'preview' }>[] = [];
let holdTimer: NodeJS.Timeout | undefined;
function releaseHeld(): void {
  clearTimeout(holdTimer);
  holdTimer = undefined;
  for (const m of held.splice(0)) worker.postMessage(m);
}

process.on('message', (m: HostToProcess) => {
  if (m.type === 'cancel') {
    const flag = flags.get(m.requestId);
    if (flag) Atomics.store(flag, 0, 1);
    return;
  }
  if (m.type === 'preview') {
    if (m.count !== false) preview(m);
    else {
      held.push(m);
      holdTimer ??= setTimeout(releaseHeld, RUN_WAIT_MS);
    }
    return;
  }
  const cancelFlag = new SharedArrayBuffer(4);
  flags.set(m.requestId, new Int32Array(cancelFlag));
  worker.postMessage({ ...m, cancelFlag });
  if (m.type === 'train') releaseHeld();
});
// The host went away (closed, crashed, or ended this process's IPC): so do we.
process.on('disconnect', () => process.exit(0));
