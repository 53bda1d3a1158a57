/**
 * The file side of streaming training (src/core/run/streaming.ts): a CSV read in fixed chunks
 * (readChunks.ts) and cut into blocks of whole records (~16 MB), each parsed on its own by the fast
 * parser (the general parser when it gives up) with the file's header line in front, so memory stays
 * bounded whatever the file size. Cuts honour quoted fields (a line break inside quotes is not a record
 * end) and never split a CRLF. Every block knows the line of the file where it starts, so diagnostics
 * name file lines. Node only.
 */
import { statSync, type Stats } from 'node:fs';
import { parseCsv, type CsvTable } from '../core/data/csv';
import { DataError } from '../core/diagnostics';
import { FastCsvParser } from '../core/data/fastCsv';
import type { TrainReport } from '../core/report/report';
import type { TrainSettings } from '../core/run/settings';
import { trainStream, type StreamBlock, type StreamOptions, type StreamSource } from '../core/run/streaming';
import type { ReadError } from './loadDataset';
import { headerEnd } from './headerCheck';
import { readFileChunks, readHead } from './readChunks';

/** Bytes of the file's start that fix column types, categories and classes. */
export const STREAM_SAMPLE_BYTES = 4 << 20;
/** Target bytes per parsed block. */
export const STREAM_BLOCK_BYTES = 16 << 20;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

export interface StreamFileOptions {
  sampleBytes?: number;
  blockBytes?: number;
  /** Bytes per read (readFileChunks). */
  chunkBytes?: number;
}

/**
 * `bytes` as a Buffer over the same memory (no copy): Buffer's indexOf is a memchr, several times
 * faster than Uint8Array's on the long runs between quotes and line breaks.
 */
function searchable(bytes: Uint8Array, to: number): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(to, bytes.length));
}

/** Quotes in bytes[from, to). */
function countQuotes(bytes: Uint8Array, from: number, to: number): number {
  const b = searchable(bytes, to);
  let n = 0;
  for (let i = b.indexOf(QUOTE, from); i >= 0; i = b.indexOf(QUOTE, i + 1)) n++;
  return n;
}

/**
 * Length of the longest prefix of bytes[0, len) that ends with a record's line break: a LF or CR
 * outside quotes (an even number of quotes before it). A CR in the last byte is not a cut unless
 * `atEnd` (its LF may follow). 0 when there is no such break.
 */
export function lastRecordEnd(bytes: Uint8Array, len: number, atEnd: boolean): number {
  let quotes = countQuotes(bytes, 0, len);
  for (let i = len - 1; i >= 0; i--) {
    const c = bytes[i];
    if (c === QUOTE) quotes--;
    else if ((c === LF || c === CR) && quotes % 2 === 0) {
      if (c === CR && i === len - 1 && !atEnd) continue;
      return i + 1;
    }
  }
  return 0;
}

/** Line breaks in bytes[from, to) as csv.ts counts them: LF, CRLF, lone CR. */
export function countLines(bytes: Uint8Array, from: number, to: number): number {
  const b = searchable(bytes, to);
  let n = 0;
  for (let i = b.indexOf(LF, from); i >= 0; i = b.indexOf(LF, i + 1)) n++;
  for (let i = b.indexOf(CR, from); i >= 0; i = b.indexOf(CR, i + 1)) if (i + 1 >= to || bytes[i + 1] !== LF) n++;
  return n;
}

/** True when bytes[from, to) holds only line breaks, spaces and tabs (blank lines). */
function blank(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i];
    if (c !== LF && c !== CR && c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/**
 * Throws a DataError when the file is no longer the one the run started on: its size or modification
 * time changed, or more bytes were read than it had (a file still being written). Every pass checks at
 * its start and end, so the passes (statistics, epochs, evaluation) never count different rows silently.
 */
function unchanged(path: string, fileName: string, initial: Stats, read: number): void {
  const now = statSync(path);
  if (now.size === initial.size && now.mtimeMs === initial.mtimeMs && read <= initial.size) return;
  const size = Math.max(now.size, read);
  throw new DataError({
    code: 'stream.file-changed',
    file: fileName,
    message: `the file changed while it was being streamed (${initial.size.toLocaleString('en-US')} bytes at the start, ${size.toLocaleString('en-US')} now${now.mtimeMs !== initial.mtimeMs ? ', modified since' : ''}); streaming reads it once per pass, so wait until it is complete or train on a copy`,
  });
}

/** A DataError from parsing a block, moved to file lines (its line and any "line N" in its message). */
function atFileLines(e: DataError, offset: number): DataError {
  const d = e.diagnostic;
  if (d.line === undefined || offset === 0) return e;
  return new DataError({ ...d, line: d.line + offset, message: d.message.replace(/\bline (\d+)/g, (_, n: string) => `line ${Number(n) + offset}`) });
}

/**
 * The streaming source of a file: its sample (the general parser on the first sampleBytes, cut after
 * the last whole record) and passes of parsed blocks.
 */
export function fileStreamSource(path: string, fileName: string, options: StreamFileOptions = {}): StreamSource {
  const initial = statSync(path);
  const totalBytes = initial.size;
  const sampleLimit = options.sampleBytes ?? STREAM_SAMPLE_BYTES;
  const blockBytes = options.blockBytes ?? STREAM_BLOCK_BYTES;
  const chunkBytes = options.chunkBytes ?? Math.min(4 << 20, blockBytes);
  const head = readHead(path, Math.min(sampleLimit, totalBytes));
  const whole = head.length >= totalBytes;
  const sampleEnd = whole ? head.length : lastRecordEnd(head, head.length, false);
  const sample = parseCsv(head.subarray(0, sampleEnd > 0 ? sampleEnd : head.length), { fileName });
  const headerLength = headerEnd(head);
  if (headerLength === 0 && !whole) throw new DataError({ code: 'stream.header', file: fileName, line: 1, message: `the header line is longer than ${sampleLimit} bytes` });
  const header = head.slice(0, headerLength);
  const headerLines = countLines(header, 0, header.length);
  const delimiter = sample.delimiter;
  const delimiterByte = delimiter.length === 1 && delimiter.charCodeAt(0) < 0x80 ? delimiter.charCodeAt(0) : undefined;

  async function* pass(): AsyncGenerator<StreamBlock> {
    unchanged(path, fileName, initial, 0);
    let read = 0;
    // buffer[0, fill): the first block is the file's own start (its header included); later blocks are
    // the header followed by the records after the previous cut.
    let buffer = new Uint8Array(header.length + blockBytes + chunkBytes);
    let fill = 0;
    let first = true;
    let fileLine = 1;
    let consumed = 0;
    /** The block buffer[0, cut), parsed; null for a block of blank lines. Valid until the next block is requested. */
    const emit = (cut: number): StreamBlock | null => {
      const prefix = first ? 0 : header.length;
      const bytes = buffer.subarray(0, cut);
      const lineOffset = first ? 0 : fileLine - (headerLines + 1);
      consumed += cut - prefix;
      const isBlank = !first && blank(buffer, prefix, cut);
      fileLine += countLines(buffer, prefix, cut);
      first = false;
      if (isBlank) return null;
      const parser = new FastCsvParser({ fileName, delimiter: delimiterByte, sizeHint: bytes.length });
      parser.push(bytes);
      const result = parser.finish();
      let general: CsvTable | undefined;
      return {
        fast: 'fallback' in result ? undefined : result,
        general: () => {
          if (!general) {
            try {
              general = parseCsv(bytes, { fileName, delimiter });
            } catch (e) {
              throw e instanceof DataError ? atFileLines(e, lineOffset) : e;
            }
          }
          return general;
        },
        lineOffset,
        bytesEnd: consumed,
      };
    };
    for (const chunk of readFileChunks(path, chunkBytes)) {
      read += chunk.length;
      if (read > totalBytes) unchanged(path, fileName, initial, read);
      if (fill + chunk.length > buffer.length) {
        const grown = new Uint8Array(Math.max(buffer.length * 2, fill + chunk.length));
        grown.set(buffer.subarray(0, fill));
        buffer = grown;
      }
      buffer.set(chunk, fill);
      fill += chunk.length;
      const prefix = first ? 0 : header.length;
      if (fill - prefix < blockBytes) continue;
      const cut = lastRecordEnd(buffer, fill, false);
      // No record ends in the buffer yet (one record longer than a block): read on.
      if (cut <= prefix || (first && cut <= header.length)) continue;
      const block = emit(cut);
      if (block) {
        yield block;
        // A macrotask turn per block: signal handlers (Ctrl-C) and worker messages get to run.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // The incomplete record after the cut moves behind the header for the next block.
      const rest = fill - cut;
      buffer.copyWithin(header.length, cut, fill);
      buffer.set(header, 0);
      fill = header.length + rest;
    }
    unchanged(path, fileName, initial, read);
    if (fill > (first ? 0 : header.length)) {
      const block = emit(fill);
      if (block) yield block;
    }
  }

  return { sample, totalBytes, pass };
}

/** trainStream on a file: the CLI's --stream and the worker's `stream` setting. */
export async function trainStreamFromFile(
  path: string,
  settings: Partial<TrainSettings>,
  options: StreamOptions & { readError?: ReadError } & StreamFileOptions,
): Promise<TrainReport> {
  const { readError, sampleBytes, blockBytes, chunkBytes, ...streamOptions } = options;
  let source: StreamSource;
  try {
    source = fileStreamSource(path, options.fileName, { sampleBytes, blockBytes, chunkBytes });
  } catch (e) {
    if (readError && typeof (e as NodeJS.ErrnoException).syscall === 'string') throw readError(e as NodeJS.ErrnoException);
    throw e;
  }
  return trainStream(source, settings, streamOptions);
}
