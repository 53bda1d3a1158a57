/**
 * One Python child process running the harness (media/python/logit_lab_gradcheck.py): spawning it
 * in a temporary working directory, the JSON-lines protocol, the time limit, cancellation, and the
 * interpreter problems (none found, no NumPy, a harness that does not start), each as one message
 * that names the interpreter and how to pick another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HarnessMessage } from './protocol';

/** An interpreter problem: no Python at that path, no NumPy, a harness that cannot start. */
export class PythonInterpreterError extends Error {}

/** The run hit its time limit (the child was killed). */
export class PythonTimeoutError extends Error {}

/** The run was cancelled (the child was killed). */
export class PythonCancelledError extends Error {}

export interface SessionOptions {
  python: string;
  /** How the user picks another interpreter, e.g. "pass --python PATH". */
  pickHint: string;
  harness?: string;
  /** Where the student's prints go (their stdout and stderr). */
  onOutput?: (text: string) => void;
  signal?: AbortSignal;
  /** Address space limit of the child, MB (RLIMIT_AS; default 4096). */
  memoryMb?: number;
}

/** The harness file: beside dist/ in the extension and the CLI bundle, under media/ in the sources. */
export function harnessPath(): string {
  const candidates = [join(__dirname, '..', 'media', 'python'), join(__dirname, '..', '..', '..', 'media', 'python')];
  for (const dir of candidates) {
    const file = join(dir, 'logit_lab_gradcheck.py');
    if (existsSync(file)) return file;
  }
  return join(candidates[0], 'logit_lab_gradcheck.py');
}

export class PythonSession {
  private readonly child: ChildProcess;
  private readonly dir: string;
  private buffer = '';
  private readonly queue: HarnessMessage[] = [];
  private waiting?: { resolve: (m: HarnessMessage) => void; reject: (e: Error) => void };
  private failure?: Error;
  private timer?: NodeJS.Timeout;
  private stderrTail = '';
  private exited = false;
  hello?: { executable: string; version: string; numpy: string };

  constructor(private readonly options: SessionOptions) {
    this.dir = mkdtempSync(join(tmpdir(), 'logit-lab-py-'));
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' };
    this.child = spawn(options.python, ['-u', '-B', options.harness ?? harnessPath()], { cwd: this.dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
      options.onOutput?.(chunk);
    });
    this.child.stdin!.on('error', () => undefined);
    this.child.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'ENOENT' ? 'no such program' : e.code === 'EACCES' ? 'not executable' : e.message;
      this.fail(new PythonInterpreterError(`cannot start the Python interpreter "${options.python}" (${why}): ${options.pickHint}`));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      if (!this.failure) this.fail(this.exitError(code, signal));
    });
    options.signal?.addEventListener('abort', () => this.fail(new PythonCancelledError('cancelled')), { once: true });
  }

  private exitError(code: number | null, signal: string | null): Error {
    const tail = this.stderrTail.trim().split('\n').slice(-3).join('\n');
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    if (!this.hello) {
      return new PythonInterpreterError(
        `the Python interpreter "${this.options.python}" ${how} before the Logit Lab harness started${tail ? `: ${tail}` : ''}. ${this.options.pickHint}`,
      );
    }
    const memory = /MemoryError|Cannot allocate memory/.test(this.stderrTail) ? ' (out of memory)' : '';
    return new Error(`Python ${how}${memory}${tail ? `: ${tail}` : ''}`);
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.trim() === '') continue;
      let message: HarnessMessage;
      try {
        message = JSON.parse(line) as HarnessMessage;
      } catch {
        this.fail(new PythonInterpreterError(`the Python interpreter "${this.options.python}" wrote something the harness protocol does not allow: ${line.slice(0, 200)}`));
        return;
      }
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w.resolve(message);
      } else this.queue.push(message);
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.kill();
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.reject(e);
    }
  }

  /** Starts the job and waits for the harness's hello (NumPy imported). */
  async start(job: unknown): Promise<void> {
    this.send(job);
    const first = await this.next();
    if (first.type === 'fatal') {
      const which = this.options.python;
      throw new PythonInterpreterError(
        first.kind === 'numpy'
          ? `the Python interpreter "${which}" has no NumPy (${first.message}): install it there (${which} -m pip install numpy) or ${lowerFirst(this.options.pickHint)}`
          : `the Python interpreter "${which}" cannot run the harness: ${first.message}. ${this.options.pickHint}`,
      );
    }
    if (first.type !== 'hello') throw new PythonInterpreterError(`the Python interpreter "${this.options.python}" did not start the harness. ${this.options.pickHint}`);
    this.hello = first;
  }

  send(message: unknown): void {
    if (this.failure || this.exited) return;
    this.child.stdin!.write(JSON.stringify(message) + '\n');
  }

  next(): Promise<HarnessMessage> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** (Re)starts the time limit: the child is killed when it runs out. */
  limit(ms: number, what: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fail(new PythonTimeoutError(`${what} did not finish within the time limit of ${ms / 1000} s (the Python process was stopped)`)), ms);
  }

  kill(): void {
    clearTimeout(this.timer);
    if (!this.exited && this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  /** Stops the child and removes its working directory. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    if (!this.exited && this.child.pid !== undefined) {
      this.child.stdin!.end();
      const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      const timeout = setTimeout(() => this.child.kill('SIGKILL'), 500);
      await done;
      clearTimeout(timeout);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
