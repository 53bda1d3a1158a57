import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../node/outputPaths';

/** What a CLI subcommand may touch; tests pass a fake to capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readBytes(path: string): Uint8Array;
  /** Writes a new file atomically (temp file + rename): a failed run leaves no half-written file. */
  writeFileAtomic(path: string, data: string | Uint8Array): void;
}

/** Exit codes shared by every subcommand. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_GRADIENT_WRONG = 3;
/** Training cancelled with Ctrl-C (128 + SIGINT, as shells report it). */
export const EXIT_CANCELLED = 130;

export const nodeIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  readBytes: (p) => readFileSync(p),
  writeFileAtomic,
};
