/** Reads a file in fixed-size chunks without ever holding all of it. Node only. */
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Yields the file's bytes [start, end) in order (default: all of them), chunkSize bytes at a time
 * (the last chunk may be shorter). Every chunk is a view of one reused buffer: it is valid only until
 * the next iteration, so the consumer must copy whatever it keeps. The file is closed when the
 * iteration ends or is abandoned.
 */
export function* readFileChunks(path: string, chunkSize = 4 << 20, start = 0, end = Infinity): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(chunkSize);
    // The whole file is read sequentially (no positions), so that pipes work too.
    const sequential = start === 0 && end === Infinity;
    let position = start;
    while (position < end) {
      const n = readSync(fd, buffer, 0, Math.min(chunkSize, end - position), sequential ? null : position);
      if (n === 0) return;
      position += n;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** The first `limit` bytes of the file (fewer if it is shorter). */
export function readHead(path: string, limit: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(limit);
    let n = 0;
    while (n < limit) {
      const k = readSync(fd, buffer, n, limit - n, null);
      if (k === 0) break;
      n += k;
    }
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
