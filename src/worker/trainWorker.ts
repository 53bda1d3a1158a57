/**
 * Training worker (worker_threads), started by the extension host's TrainingSession. Core and
 * protocol only: reads the file with node:fs, previews or trains, and answers with WorkerToHost
 * messages. Progress is throttled to ~10 complete snapshots per second (core's progressIntervalMs);
 * cancellation is a shared Int32 flag the solver polls through `shouldStop`.
 */
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { parseCsv } from '../core/csv';
import { DataError, type Diagnostic } from '../core/diagnostics';
import { previewTable } from '../core/preview';
import { trainFromBytes, TrainingCancelled } from '../core/train';
import { lossFactoryIn } from '../node/parallelLoss';
import type { HostToWorker, WorkerToHost } from '../protocol/worker';

/** Minimum time between two progress snapshots (~10 per second). */
export const PROGRESS_INTERVAL_MS = 100;

const port = parentPort;
if (!port) throw new Error('trainWorker.js must run in a worker thread');

function post(message: WorkerToHost): void {
  port!.postMessage(message);
}

port.on('message', (message: HostToWorker) => handle(message));

export function handle(message: HostToWorker): void {
  const { requestId } = message;
  try {
    const bytes = readBytes(message.filePath, message.fileName);
    switch (message.type) {
      case 'preview': {
        const table = parseCsv(bytes, { fileName: message.fileName });
        post({ type: 'didPreview', requestId, preview: previewTable(table, message.fileName) });
        return;
      }
      case 'train': {
        const flag = new Int32Array(message.cancelFlag);
        const shouldStop = () => Atomics.load(flag, 0) !== 0;
        if (shouldStop()) {
          post({ type: 'didCancel', requestId });
          return;
        }
        const report = trainFromBytes(bytes, message.settings, {
          fileName: message.fileName,
          onProgress: (progress) => post({ type: 'didUpdateProgress', requestId, progress }),
          progressIntervalMs: PROGRESS_INTERVAL_MS,
          shouldStop,
          createLoss: lossFactoryIn(__dirname),
        });
        post({ type: 'didFinish', requestId, report });
        return;
      }
      default: {
        const never: never = message;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
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
        file: message.fileName,
      };
      post({ type: 'didFail', requestId, diagnostics: [diagnostic], internal: { message: e.message, stack: e.stack } });
    }
  }
}

/** Reads the whole file; an unreadable file is the user's problem (a DataError), not a crash. */
function readBytes(filePath: string, fileName: string): Uint8Array {
  try {
    return readFileSync(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new DataError({ code: 'file.unreadable', file: fileName, message: `Cannot read the file: ${why}.` });
  }
}
