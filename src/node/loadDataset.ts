/**
 * Reads a CSV file for training and previewing, as the CLI, the worker and the benchmark share it: the
 * streaming fast path (fastCsv.ts, fastDataset.ts) first, and the general parser (csv.ts) on the
 * whole bytes only when the fast path gives up, so that it reports the precise error or handles what
 * the fast path does not. The fallback is silent: both paths give the same report. Node only.
 */
import { readFileSync, statSync } from 'node:fs';
import { freemem } from 'node:os';
import { parseCsv, type CsvTable } from '../core/data/csv';
import { DataError } from '../core/diagnostics';
import { type FastTable } from '../core/data/fastCsv';
import { previewTable, type DataPreview } from '../core/data/preview';
import type { TrainReport } from '../core/report/report';
import type { TrainSettings } from '../core/run/settings';
import { fastTrainingSupport, trainFromTable, type TrainOptions, type TrainingTable } from '../core/run/train';
import { parseFastFile, parseWorkerIn, type ParallelParseOptions } from './parallelCsv';
import { checkHeaderLine } from './headerCheck';
import { readHead } from './readChunks';

/** Turns a file-system error (ENOENT, EISDIR, EACCES, ...) into the caller's DataError. */
export type ReadError = (error: NodeJS.ErrnoException) => DataError;

export interface TrainingData {
  /** The general parser's table, when the fast path gave up. */
  table?: CsvTable;
  /** The fast path's table. */
  fast?: FastTable;
  /** Why the fast path gave up (set with `table`). */
  fallback?: string;
  /** Wall time spent reading and parsing, in milliseconds. */
  parseMs: number;
}

export interface LoadOptions {
  /**
   * How the fast path uses a second thread (parallelCsv.ts). Default: the parse worker beside this
   * bundle (dist/parseWorker.js) when it exists, for files of PARALLEL_PARSE_MIN_BYTES or more.
   */
  parallel?: ParallelParseOptions;
}

/**
 * Exactly one of `table` and `fast` is set. Large files are parsed on two threads (parallelCsv.ts),
 * with the single pass's result. Throws DataError (from the general parser) on bad input,
 * and readError's DataError (default: the file-system error itself) when the file cannot be read.
 */
export function loadTrainingData(path: string, fileName: string, readError?: ReadError, options: LoadOptions = {}): TrainingData {
  return reading(readError, () => {
    const t0 = performance.now();
    checkHeaderLine(path, fileName, statSync(path).size);
    const result = parseFastFile(path, fileName, { workerFile: parseWorkerIn(__dirname), ...options.parallel });
    if (!('fallback' in result)) return { fast: result, parseMs: performance.now() - t0 };
    const table = parseCsv(readFileSync(path), { fileName });
    return { table, fallback: result.fallback, parseMs: performance.now() - t0 };
  });
}

/**
 * Runs `use` on the file's table: the fast path's when the fast parser read the file and `supports`
 * (the caller's capability check) accepts its table, else the general parser's. parseMs is the time
 * spent reading and parsing. `use` may consume a FastTable (it is never used again).
 */
export function withTrainingTable<T>(
  path: string,
  fileName: string,
  use: (table: TrainingTable, parseMs: number) => T,
  readError?: ReadError,
  supports: (fast: FastTable) => boolean = () => true,
): T {
  const loaded = loadTrainingData(path, fileName, readError);
  if (loaded.fast && supports(loaded.fast)) return use(loaded.fast, loaded.parseMs);
  const t0 = performance.now();
  const table = loaded.table ?? reading(readError, () => parseCsv(readFileSync(path), { fileName }));
  return use(table, loaded.parseMs + performance.now() - t0);
}

/**
 * trainFromTable on the file, through withTrainingTable (a FastTable is consumed: the design matrix
 * is built in its value buffer) with fastTrainingSupport as the capability check. options.fileName
 * names the file in diagnostics; options.parseMs is replaced by the time spent here reading and parsing.
 */
export function trainFromFile(path: string, settings: Partial<TrainSettings>, options: TrainOptions & { readError?: ReadError }): TrainReport {
  const { readError, ...trainOptions } = options;
  // The fit may use the memory free now (the table is already in memory), unless the caller says otherwise.
  const availableBytes = trainOptions.availableBytes ?? freemem();
  const use = (table: TrainingTable, parseMs: number) => trainFromTable(table, settings, { ...trainOptions, availableBytes, parseMs, consumeTable: true });
  return withTrainingTable(path, options.fileName, use, readError, (fast) => fastTrainingSupport(fast, settings, options.fileName) === undefined);
}

/** Files up to this size are previewed whole; larger ones from their first PREVIEW_SAMPLE_BYTES. */
export const PREVIEW_SAMPLE_BYTES = 4 << 20;

/**
 * previewTable on the file. A file larger than sampleBytes is previewed from its first sampleBytes, cut
 * after the last whole line (see DataPreview.sample): opening a panel on a large file stays fast.
 * When that sample does not parse (a quoted field running past the cut, say), the whole file is used.
 */
export function previewFromFile(path: string, fileName: string, options: { readError?: ReadError; sampleBytes?: number; maxCategories?: number } = {}): DataPreview {
  const limit = options.sampleBytes ?? PREVIEW_SAMPLE_BYTES;
  return reading(options.readError, () => {
    const size = statSync(path).size;
    checkHeaderLine(path, fileName, size);
    if (size > limit) {
      const head = readHead(path, limit);
      const end = lastLineEnd(head);
      if (end > 0) {
        try {
          const table = parseCsv(head.subarray(0, end), { fileName });
          return previewTable(table, fileName, options.maxCategories, { bytes: end, fileBytes: size });
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
        }
      }
    }
    return previewTable(parseCsv(readFileSync(path), { fileName }), fileName, options.maxCategories);
  });
}

/** Runs `read`, turning a file-system error (one with a syscall) into readError's DataError. */
function reading<T>(readError: ReadError | undefined, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (readError && typeof (e as NodeJS.ErrnoException).syscall === 'string') throw readError(e as NodeJS.ErrnoException);
    throw e;
  }
}

/** The length of bytes up to and including the last line break (a CR of a CRLF cut in two counts), 0 when there is none. */
function lastLineEnd(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] === 0x0a || bytes[i] === 0x0d) return i + 1;
  return 0;
}
