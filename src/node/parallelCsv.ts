/**
 * The fast CSV path (src/core/data/fastCsv.ts) on two threads: a large file is cut at a line break near
 * its middle; the calling thread parses the first part with the file's own FastCsvParser while a
 * worker_thread (dist/parseWorker.js) parses the second part with FastCsvParser.continuing on the
 * first parser's decisions, reading its byte range itself; concatFastTables joins the two tables into
 * the one the single pass gives. Node only.
 *
 * Why any line break after the prefix is a safe cut: past its prefix, the byte parser reads line by
 * line and gives up on a quote at the start of a field, so a record never spans lines there; the only
 * state carried from one line to the next is the line number, the row count, the dictionary levels and
 * the limits' counters, which concatFastTables reproduces (or reports a fallback for). The cut is
 * never between the CR and LF of a CRLF, and the worker starts only once the first parser's prefix,
 * which lies before the cut, has been parsed.
 *
 * Memory: the first parser's value buffer is one SharedArrayBuffer (inside a shared WebAssembly memory
 * when possible, see simdKernels.ts) sized for both parts (each part's
 * estimate, as the single pass sizes its buffer for the whole file); the worker writes its rows into
 * the second region, and concatFastTables moves them down behind the first part's rows in place. The
 * worker's other arrays (row lines, dictionary codes) come back in the transfer list, not copied.
 *
 * The caller stays synchronous. The worker thread is started first and sleeps in Atomics.wait on a
 * shared TASK slot (so that its start-up overlaps the prefix's parse); the caller posts the task on a
 * MessagePort once the prefix is parsed and sets TASK, the worker takes it with receiveMessageOnPort.
 * After its own part, the caller sleeps in Atomics.wait on the DONE slot, which the worker sets after
 * posting its result on the port, and takes the result with receiveMessageOnPort. The worker catches every error and always reports; when it fails, reports a
 * fallback, takes too long or cannot start, the calling thread pushes the second part into its own
 * parser, which then is exactly the single pass (same result, same fallback reason). When the merge
 * itself reports a fallback (limits reached only over both parts), the caller reruns the single pass,
 * so the fallback reason is the single pass's too.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { concatFastTables, FastCsvParser, type FastCsvContinuation, type FastCsvResult, type FastTable } from '../core/data/fastCsv';
import { sharedFloat64Memory } from '../core/model/simdKernels';
import { readFileChunks } from './readChunks';

/** Smallest file (bytes) parsed on two threads: below it, starting the worker costs more than it saves. */
export const PARALLEL_PARSE_MIN_BYTES = 32 << 20;
/** Bytes read after the middle of the file to find the cut (a line break). */
const CUT_WINDOW = 1 << 16;
/**
 * Bytes per read after the prefix (one reused buffer per thread). 1 MiB: no slower than 4 MiB (CPU of
 * the two-thread parse of the 1M x 20 file 452-487 ms against 485-538 ms, four runs each), and 3 MiB
 * less memory in each thread until the next garbage collection.
 */
const READ_BYTES = 1 << 20;
/** Bytes per read until the first part's prefix is parsed. */
const HEAD_CHUNK = 1 << 16;
/** The worker gets this long, plus WAIT_FACTOR times what the calling thread's part took, before the caller parses its part itself. */
const WAIT_BASE_MS = 10_000;
const WAIT_FACTOR = 4;

const LF = 0x0a;
const CR = 0x0d;

/** Slots of the control block, and the values of TASK. */
const TASK = 0;
const DONE = 1;
const CONTROL_SLOTS = 2;
const WAITING = 0;
const POSTED = 1;
const CANCELLED = 2;

export interface ParallelParseOptions {
  /** The bundled parse worker (dist/parseWorker.js); null or a missing file: one thread. */
  workerFile?: string | null;
  /** Smallest file parsed on two threads (default PARALLEL_PARSE_MIN_BYTES). */
  minBytes?: number;
  /** Threads available (default os.availableParallelism()); fewer than 2: one thread. */
  threads?: number;
}

/** What the parse worker receives as workerData. */
export interface ParseWorkerData {
  port: MessagePort;
  /** Int32 slots TASK (WAITING, POSTED: the task is on `port`, CANCELLED) and DONE (1: the result is on `port`). */
  control: Int32Array;
}

/** The worker's task: bytes [start, end) of the file, as a continuation of `state`. */
export interface ParseTask {
  path: string;
  fileName: string;
  start: number;
  end: number;
  state: FastCsvContinuation;
  /** The worker's region of the shared value buffer (a view of a SharedArrayBuffer). */
  region: Float64Array;
}

/** The worker's answer: its table (values null when they are in its region), or why it gave up. */
export type ParseWorkerResult = { table: FastTable; valuesInRegion: boolean } | { fallback: string } | { error: string };

/** The parse worker dist/parseWorker.js beside a bundle in `dir`, or null when it is absent. */
export function parseWorkerIn(dir: string): string | null {
  const file = join(dir, 'parseWorker.js');
  return existsSync(file) ? file : null;
}

/**
 * The fast parser's result for the file: on two threads when the file is large enough, there are two
 * threads and a worker file, else in one pass. The same result, and the same fallback reason, as the
 * single pass in every case.
 */
export function parseFastFile(path: string, fileName: string, options: ParallelParseOptions = {}): FastCsvResult {
  const size = statSync(path).size;
  const workerFile = options.workerFile;
  const threads = options.threads ?? availableParallelism();
  if (!workerFile || threads < 2 || size < (options.minBytes ?? PARALLEL_PARSE_MIN_BYTES) || !existsSync(workerFile)) return parseSingle(path, fileName, size);
  const cut = findCut(path, size);
  if (cut <= 0) return parseSingle(path, fileName, size);
  // The thread starts now, while this one parses the prefix; it waits for its task.
  const worker = startWorker(workerFile);
  if (!worker) return parseSingle(path, fileName, size);

  let region: Float64Array | null = null;
  const parser = new FastCsvParser({
    fileName,
    sizeHint: cut,
    allocateValues: (estimate, width) => {
      // Room for the second part too, estimated in proportion to its bytes (whole rows): its margin
      // costs nothing (pages it leaves unwritten are never touched).
      const rest = Math.ceil((estimate * (size - cut)) / cut / width) * width;
      // The first part's rows counted from line breaks spread over it, with a small margin: the worker
      // writes from the end of the first part's room, so every row of room the first part leaves unused
      // is memory written and never used (the prefix's estimate, 10 % over, left 8 MiB on 1M x 21).
      const sampled = sampledLines(path, 0, cut);
      const length = sampled === null ? estimate : (Math.ceil(sampled * FIRST_PART_MARGIN) + 1024) * width;
      try {
        // In a shared WebAssembly memory when possible: the loss's SIMD kernels then read the design
        // matrix built in this buffer in place (src/core/model/simdKernels.ts).
        const bytes = (length + rest) * 8;
        const buffer = sharedFloat64Memory(bytes) ?? new SharedArrayBuffer(bytes);
        region = new Float64Array(buffer, length * 8, rest);
        return new Float64Array(buffer, 0, length);
      } catch {
        return new Float64Array(length);
      }
    },
  });
  const t0 = performance.now();
  try {
    // Small reads until the prefix is parsed (it then lies before the cut), so that the worker gets
    // its task early; then the rest of the first part in large reads.
    let at = 0;
    let posted = false;
    for (const chunk of readFileChunks(path, HEAD_CHUNK, 0, cut)) {
      parser.push(chunk);
      at += chunk.length;
      const state = parser.continuation();
      if (parser.fallback !== undefined || state === undefined) continue;
      if (region) posted = worker.post({ path, fileName, start: cut, end: size, state, region });
      break;
    }
    if (!posted) worker.stop();
    if (parser.fallback === undefined) {
      for (const chunk of readFileChunks(path, READ_BYTES, at, cut)) {
        parser.push(chunk);
        if (parser.fallback !== undefined) break;
      }
    }
    if (parser.fallback !== undefined || !posted || !region) return finishSingle(parser, path, cut);
    const answer = worker.wait(WAIT_BASE_MS + WAIT_FACTOR * (performance.now() - t0));
    if (!answer || !('table' in answer)) return finishSingle(parser, path, cut);
    const first = parser.finish();
    if ('fallback' in first) return first;
    const second = answer.table;
    if (answer.valuesInRegion) second.values = (region as Float64Array).subarray(0, second.nRows * second.header.length);
    const merged = concatFastTables([first, second], [0, parser.nextLine - 1]);
    return 'fallback' in merged ? parseSingle(path, fileName, size) : merged;
  } finally {
    worker.stop();
  }
}

/** The single pass over the whole file. */
function parseSingle(path: string, fileName: string, size: number): FastCsvResult {
  const parser = new FastCsvParser({ fileName, sizeHint: size });
  return finishSingle(parser, path, 0);
}

/** Pushes the file from byte `from` on into the parser (which has had the bytes before it), then finishes. */
function finishSingle(parser: FastCsvParser, path: string, from: number): FastCsvResult {
  if (parser.fallback === undefined) {
    for (const chunk of readFileChunks(path, READ_BYTES, from)) {
      parser.push(chunk);
      if (parser.fallback !== undefined) break;
    }
  }
  return parser.finish();
}

/** Windows of SAMPLE_BYTES read by sampledLines. */
const SAMPLE_WINDOWS = 32;
const SAMPLE_BYTES = 1 << 14;
/**
 * The first part's room over its sampled line count. Should the first part have more rows, its parser
 * grows into an array of its own and concatFastTables still assembles the table in the shared buffer.
 */
const FIRST_PART_MARGIN = 1.03;

/**
 * Lines in bytes [from, to) of the file, estimated from the line breaks (LF, else CR) in SAMPLE_WINDOWS
 * windows spread evenly over them (a row is at most one line past the prefix); null when the windows
 * hold no line break.
 */
export function sampledLines(path: string, from: number, to: number): number | null {
  const span = to - from;
  const windows = span <= SAMPLE_WINDOWS * SAMPLE_BYTES ? 1 : SAMPLE_WINDOWS;
  const window = new Uint8Array(Math.min(span, SAMPLE_BYTES * (windows === 1 ? SAMPLE_WINDOWS : 1)));
  const fd = openSync(path, 'r');
  try {
    let bytes = 0;
    let lf = 0;
    let cr = 0;
    for (let w = 0; w < windows; w++) {
      const at = from + Math.floor(((span - window.length) * w) / Math.max(1, windows - 1));
      const n = readSync(fd, window, 0, window.length, at);
      bytes += n;
      for (let i = 0; i < n; i++) {
        if (window[i] === LF) lf++;
        else if (window[i] === CR) cr++;
      }
    }
    const breaks = lf > 0 ? lf : cr;
    return breaks === 0 || bytes === 0 ? null : Math.ceil((span * breaks) / bytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * The cut: the offset just after the first line break at or after the middle of the file (after the
 * LF of a CRLF; a CR at the end of the window is not used), or 0 when the window has none.
 */
export function findCut(path: string, size: number): number {
  const middle = Math.floor(size / 2);
  const fd = openSync(path, 'r');
  try {
    const window = new Uint8Array(Math.min(CUT_WINDOW, size - middle));
    const n = readSync(fd, window, 0, window.length, middle);
    for (let i = 0; i < n; i++) {
      const c = window[i];
      if (c === LF) return middle + i + 1 < size ? middle + i + 1 : 0;
      if (c !== CR) continue;
      if (i + 1 >= n) return 0;
      const cut = middle + i + (window[i + 1] === LF ? 2 : 1);
      return cut < size ? cut : 0;
    }
    return 0;
  } finally {
    closeSync(fd);
  }
}

interface ParseWorker {
  /** Hands the worker its task; false when it could not be posted. */
  post(task: ParseTask): boolean;
  /** Sleeps until the worker answers (at most timeoutMs); undefined when it did not. */
  wait(timeoutMs: number): ParseWorkerResult | undefined;
  /** Ends the worker (it is unref'd: it never keeps the process alive). Idempotent. */
  stop(): void;
}

/** Starts the worker thread (it waits for its task); null when it cannot be started. */
function startWorker(workerFile: string): ParseWorker | null {
  const { port1, port2 } = new MessageChannel();
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  let worker: Worker;
  try {
    worker = new Worker(workerFile, { workerData: { port: port2, control } satisfies ParseWorkerData, transferList: [port2] });
  } catch {
    port1.close();
    return null;
  }
  worker.unref();
  // An 'error' event (the worker failed to load, say) is handled by the timeout; it must not be unhandled.
  worker.on('error', () => undefined);
  let stopped = false;
  return {
    post(task) {
      try {
        port1.postMessage(task);
      } catch {
        return false;
      }
      Atomics.store(control, TASK, POSTED);
      Atomics.notify(control, TASK);
      return true;
    },
    wait(timeoutMs) {
      if (Atomics.wait(control, DONE, 0, timeoutMs) === 'timed-out' && Atomics.load(control, DONE) === 0) return undefined;
      return receiveMessageOnPort(port1)?.message as ParseWorkerResult | undefined;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (Atomics.compareExchange(control, TASK, WAITING, CANCELLED) === WAITING) Atomics.notify(control, TASK);
      port1.close();
      void worker.terminate().catch(() => undefined);
    },
  };
}

/**
 * The worker side: waits for its task (or the cancellation), parses bytes [start, end) of the file as
 * a continuation of the first part (rows in its region of the shared buffer while they fit), posts the
 * table with its own arrays in the transfer list, then sets DONE. Never throws: an error is reported
 * as { error }. Runs in dist/parseWorker.js.
 */
export function serveParseRange(data: ParseWorkerData): void {
  const { port, control } = data;
  Atomics.wait(control, TASK, WAITING);
  if (Atomics.load(control, TASK) !== POSTED) return;
  let result: ParseWorkerResult;
  const transfer: ArrayBuffer[] = [];
  try {
    const task = receiveMessageOnPort(port)?.message as ParseTask | undefined;
    if (!task) throw new Error('the parse task did not arrive');
    const parser = FastCsvParser.continuing(task.state, { fileName: task.fileName, sizeHint: task.end - task.start, allocateValues: () => task.region });
    for (const chunk of readFileChunks(task.path, READ_BYTES, task.start, task.end)) {
      parser.push(chunk);
      if (parser.fallback !== undefined) break;
    }
    const table = parser.finish();
    if ('fallback' in table) {
      result = table;
    } else {
      const valuesInRegion = table.values.buffer === task.region.buffer;
      if (valuesInRegion) table.values = new Float64Array(0);
      const buffers = new Set<ArrayBufferLike>([table.rowLines.buffer, table.values.buffer]);
      for (const c of table.columns) if (c.kind === 'dictionary') buffers.add(c.codes.buffer);
      for (const b of buffers) if (b instanceof ArrayBuffer) transfer.push(b);
      result = { table, valuesInRegion };
    }
  } catch (e) {
    result = { error: e instanceof Error ? e.message : String(e) };
  }
  try {
    port.postMessage(result, transfer);
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies ParseWorkerResult);
  }
  port.close();
  Atomics.store(control, DONE, 1);
  Atomics.notify(control, DONE);
}
