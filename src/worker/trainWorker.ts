/**
 * Training worker (worker_threads), started by the extension host's TrainingSession. Core and
 * protocol, with the file loading of src/node: previews or trains, and answers with WorkerToHost
 * messages. Progress is throttled to ~10 complete snapshots per second (core's progressIntervalMs);
 * cancellation is a shared Int32 flag the solver polls through `shouldStop`.
 */
import { parentPort } from 'node:worker_threads';
import { DataError, type Diagnostic } from '../core/diagnostics';
import type { DataPreview } from '../core/data/preview';
import { TrainingCancelled } from '../core/run/train';
import { compareSolvers } from '../core/run/compareSolvers';
import { crossValidate } from '../core/run/crossValidate';
import { previewFromFile, trainFromFile, withTrainingTable } from '../node/loadDataset';
import { checkInputFile } from '../node/inputFile';
import { countPreviewRows } from '../node/countRows';
import { lossFactoryIn } from '../node/parallelLoss';
import { trainStreamFromFile } from '../node/streamCsv';
import { descendJob, landscapeJob } from './landscapeJob';
import type { HostToWorker, WorkerToHost } from '../protocol/worker';
import { packReport } from '../protocol/packNumbers';

/** Minimum time between two progress snapshots (~10 per second). */
export const PROGRESS_INTERVAL_MS = 100;
/** The sample of a preview asked with a run (`count: false`), answered after that run (trainProcess.ts). */
export const RUN_PREVIEW_BYTES = 1 << 20;

const port = parentPort;
if (!port) throw new Error('trainWorker.js must run in a worker thread');

function post(message: WorkerToHost): void {
  port!.postMessage(message);
}

port.on('message', (message: HostToWorker) => handle(message));

export function handle(message: HostToWorker): void {
  const { requestId } = message;
  try {
    const readError = unreadable(message.fileName);
    checkInputFile(message.filePath, message.fileName, readError);
    switch (message.type) {
      case 'preview':
        previewJob(message, readError);
        return;
      case 'train':
        trainJob(message, readError);
        return;
      case 'compare': {
        const flag = new Int32Array(message.cancelFlag);
        const comparison = withTrainingTable(
          message.filePath,
          message.fileName,
          (table) =>
            compareSolvers(table, message.settings, {
              fileName: message.fileName,
              shouldStop: () => Atomics.load(flag, 0) !== 0,
              onSolver: (done, total, label) => post({ type: 'didCompareStep', requestId, done, total, label }),
            }),
          readError,
        );
        post({ type: 'didCompare', requestId, comparison });
        return;
      }
      case 'landscape':
        post({ type: 'didLandscape', requestId, landscape: landscapeJob(message, readError) });
        return;
      case 'descend':
        post({ type: 'didDescend', requestId, paths: descendJob(message, readError) });
        return;
      case 'crossValidate': {
        const flag = new Int32Array(message.cancelFlag);
        let last = -Infinity;
        const result = withTrainingTable(
          message.filePath,
          message.fileName,
          (table) =>
            crossValidate(table, message.settings, message.cv, {
              fileName: message.fileName,
              shouldStop: () => Atomics.load(flag, 0) !== 0,
              // Every fold's start, else at most ~10 a second.
              onProgress: (progress) => {
                const now = performance.now();
                if (progress.point > 0 && now - last < PROGRESS_INTERVAL_MS) return;
                last = now;
                post({ type: 'didCvStep', requestId, progress });
              },
            }),
          readError,
        );
        post({ type: 'didCrossValidate', requestId, result });
        return;
      }
      default: {
        const never: never = message;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    fail(requestId, message.fileName, error);
  }
}

/** A preview, then (for a sampled large file, unless a run reads it anyway) its exact counts. */
function previewJob(message: Extract<HostToWorker, { type: 'preview' }>, readError: ReadErrorFn): void {
  const { requestId } = message;
  // A large file is previewed from its first few MB (the preview says so), then its rows and
  // class balances are counted in one fast pass over the whole file (the estimate is replaced),
  // unless the host says a run reads the file anyway (`count: false`: the estimate settles it,
  // from the first RUN_PREVIEW_BYTES only: the run's report gives the Data tab the exact counts
  // and the columns typed over every row; the sample gives the settings form and the first rows).
  const sampleBytes = message.count === false ? RUN_PREVIEW_BYTES : undefined;
  const preview = previewFromFile(message.filePath, message.fileName, { readError, sampleBytes });
  const counting = preview.sample !== undefined && message.count !== false;
  post({ type: 'didPreview', requestId, preview, counting });
  if (counting) post({ type: 'didCountRows', requestId, preview: counted(message.filePath, preview) });
}

/** One run: streamed (larger than memory, answered asynchronously) or loaded through the fast CSV path. */
function trainJob(message: Extract<HostToWorker, { type: 'train' }>, readError: ReadErrorFn): void {
  const { requestId } = message;
  const flag = new Int32Array(message.cancelFlag);
  const shouldStop = () => Atomics.load(flag, 0) !== 0;
  if (shouldStop()) {
    post({ type: 'didCancel', requestId });
    return;
  }
  if (message.settings.stream) {
    // Larger than memory: streaming mini-batch SGD over blocks of the file (answers asynchronously).
    trainStreamFromFile(message.filePath, message.settings, {
      fileName: message.fileName,
      readError,
      onProgress: (progress) => post({ type: 'didUpdateProgress', requestId, progress }),
      progressIntervalMs: PROGRESS_INTERVAL_MS,
      shouldStop,
    }).then(
      (report) => post({ type: 'didFinish', requestId, report: packReport(report) }),
      (error: unknown) => fail(requestId, message.fileName, error),
    );
    return;
  }
  // Streamed through the fast CSV path; the general parser when it gives up (same report).
  const report = trainFromFile(message.filePath, message.settings, {
    fileName: message.fileName,
    readError,
    onProgress: (progress) => post({ type: 'didUpdateProgress', requestId, progress }),
    progressIntervalMs: PROGRESS_INTERVAL_MS,
    shouldStop,
    createLoss: lossFactoryIn(__dirname),
  });
  // Its curves and points as binary, cloned as bytes on the way to the webview (packReport).
  post({ type: 'didFinish', requestId, report: packReport(report) });
}

/** The preview with its exact counts; the estimate when the file cannot be read again (it is labelled as one). */
function counted(filePath: string, preview: DataPreview): DataPreview {
  try {
    return countPreviewRows(filePath, preview);
  } catch {
    return preview;
  }
}

/** Answers a failed request: cancelled, the user's input problem, or an internal error. */
function fail(requestId: number, fileName: string, error: unknown): void {
  if (error instanceof TrainingCancelled) {
    post({ type: 'didCancel', requestId });
  } else if (error instanceof DataError) {
    post({ type: 'didFail', requestId, diagnostics: [error.diagnostic] });
  } else {
    const e = error instanceof Error ? error : new Error(String(error));
    const diagnostic: Diagnostic = {
      severity: 'error',
      code: 'internal',
      message: `Internal error: ${e.message}. See Output › Logit Lab for details.`,
      file: fileName,
    };
    post({ type: 'didFail', requestId, diagnostics: [diagnostic], internal: { message: e.message, stack: e.stack } });
  }
}

/** An unreadable file is the user's problem (a DataError), not a crash. */
type ReadErrorFn = (error: NodeJS.ErrnoException) => DataError;

function unreadable(fileName: string): ReadErrorFn {
  return (error) => {
    const code = error.code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : error.message;
    return new DataError({ code: 'file.unreadable', file: fileName, message: `Cannot read the file: ${why}.` });
  };
}
