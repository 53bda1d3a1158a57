/** Shared by the CLI tests: run `main` with captured output, and make files in a temp directory. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { nodeIo, type CliIo } from '../../../src/cli/io';

export const root = join(__dirname, '..', '..', '..');
export const sample = (f: string) => join(root, 'samples', f);

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs one command in-process (a streaming train is awaited). */
export async function runCli(...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') };
  const code = await main(argv, io);
  return { code, out, err };
}

/** A fresh temp directory with a `file(name, content)` writer. */
export function tempDir(prefix: string): { dir: string; file: (name: string, content: string | Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
  };
}

export const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Runs one non-streaming command synchronously (main returns a number for those). */
export function runCliSync(...argv: string[]): CliResult {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') };
  const code = main(argv, io) as number;
  return { code, out, err };
}
