/**
 * Input files: only regular files are read. A device (`/dev/zero`, `/dev/urandom`) never ends and a
 * named pipe or socket cannot be read twice or sized, so each is refused before a byte is read, with
 * one message naming the file. Node only.
 */
import { statSync } from 'node:fs';
import { DataError } from '../core/diagnostics';

/** The DataError for an input file that cannot be read (ENOENT, EISDIR, EACCES, ...). */
export function inputFileError(file: string): (e: NodeJS.ErrnoException) => DataError {
  return (e) => {
    const code = e.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : e.message;
    return new DataError({ code: 'cli.read', file, message: why });
  };
}

/**
 * The size of `file`, a regular file; a DataError (exit 2) naming it (as `name`) otherwise, or
 * readError's when it cannot be read at all.
 */
export function checkInputFile(file: string, name = file, readError = inputFileError(name)): number {
  let stats;
  try {
    stats = statSync(file);
  } catch (e) {
    throw readError(e as NodeJS.ErrnoException);
  }
  if (stats.isFile()) return stats.size;
  const what = stats.isDirectory()
    ? 'is a directory'
    : stats.isFIFO()
      ? 'is a named pipe, not a regular file; save the data to a file first'
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? 'is a device, not a regular file'
        : 'is not a regular file';
  throw new DataError({ code: 'cli.not-a-file', file: name, message: what });
}
