/**
 * Where Logit Lab may write, and how: every output is a regular file that is none of the inputs and
 * none of the other outputs, compared by device and inode (the real file), never by spelling, so a
 * symlinked directory, `/proc/self/cwd/...`, `./x/../data.csv` or a hard link cannot reach the user's
 * data. Each output's directory is checked writable before any work starts, and every write is atomic
 * (temp file beside the target, then rename): a failed run leaves no half-written file. Node only.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from '../core/diagnostics';

/** An output the user named (`flag` as given on the command line, e.g. "--out"). */
export interface OutputRequest {
  flag: string;
  path: string;
}

/** A checked output: `real` is where it is written (symlinks resolved). */
export interface CheckedOutput extends OutputRequest {
  real: string;
}

/** The file's identity, following symlinks; undefined when it does not exist. */
export function fileIdentity(path: string): { dev: number; ino: number } | undefined {
  try {
    const s = statSync(path);
    return { dev: s.dev, ino: s.ino };
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** True when both paths name the same existing file (device and inode). */
export function sameFile(a: string, b: string): boolean {
  const x = fileIdentity(a);
  const y = fileIdentity(b);
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
}

const isMissing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');

/**
 * The real path a write to `path` lands on: the file's own real path when it exists (a symlink is
 * followed), else its directory's real path joined with its name. A DataError (exit 2) when the
 * directory does not exist or is not a directory.
 */
export function realOutputPath(request: OutputRequest): string {
  const abs = resolve(request.path);
  try {
    return realpathSync(abs);
  } catch (e) {
    if (!isMissing(e)) throw refusal(request, (e as Error).message);
  }
  // A dangling symlink: the write creates the file it points at.
  if (isSymlink(abs)) return realOutputPath({ ...request, path: resolve(dirname(abs), readlinkSync(abs)) });
  let dir: string;
  try {
    dir = realpathSync(dirname(abs));
  } catch {
    throw refusal(request, `the directory ${dirname(request.path)} does not exist`);
  }
  if (!statSync(dir).isDirectory()) throw refusal(request, `${dirname(request.path)} is not a directory`);
  return join(dir, basename(abs));
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function refusal(request: OutputRequest, why: string): DataError {
  return new DataError({ code: 'cli.output', file: request.path, message: `cannot write ${request.flag}: ${why}` });
}

/**
 * Checks every output before any work: each is a new or regular file, writable (a probe file is
 * created and removed in its directory), not one of `inputs`, and not the same file as another
 * output. Returns the outputs with their real paths; throws a DataError (exit 2) naming the output.
 */
export function checkOutputs(requests: OutputRequest[], inputs: string[]): CheckedOutput[] {
  const checked: CheckedOutput[] = [];
  for (const request of requests) {
    const real = realOutputPath(request);
    let stats: Stats | undefined;
    try {
      stats = statSync(real);
    } catch (e) {
      if (!isMissing(e)) throw refusal(request, (e as Error).message);
    }
    if (stats?.isDirectory()) throw refusal(request, 'it is a directory; give a file name');
    if (stats && !stats.isFile()) throw refusal(request, 'it is not a regular file');
    for (const input of inputs) {
      if (resolve(input) === real || (stats && sameFile(input, real))) {
        throw new DataError({ code: 'cli.output-is-input', file: request.path, message: `${request.flag} ${request.path} is the input file ${input}; Logit Lab never overwrites its input, choose another path` });
      }
    }
    const twin = checked.find((c) => c.real === real);
    if (twin) throw new DataError({ code: 'cli.output-twice', file: request.path, message: `${request.flag} and ${twin.flag} name the same file; give each output its own path` });
    probeWritable(request, dirname(real));
    checked.push({ ...request, real });
  }
  return checked;
}

/** Creates and removes a temp file in dir: the rename of a real write will succeed there. */
function probeWritable(request: OutputRequest, dir: string): void {
  const probe = tempPathIn(dir, 'probe');
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : (e as Error).message;
    throw refusal(request, `the directory ${dirname(request.path)} is not writable (${why})`);
  }
  unlinkSync(probe);
}

function tempPathIn(dir: string, name: string): string {
  return join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes a new file atomically: the data goes to a temp file beside the target (created exclusively),
 * which is then renamed over it, so a failed write leaves no half-written file (the temp file is
 * removed). A symlink target is followed: the file it points to is replaced, not the link.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = realOutputPath({ flag: 'output', path });
  const tmp = tempPathIn(dirname(target), basename(target));
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // The temp file was never created, or is already gone.
    }
    throw e;
  }
}
