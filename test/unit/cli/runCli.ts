/** Runs the CLI in-process with captured stdout / stderr (a DataError becomes exit code 2 inside main). */
import { main } from '../../../src/cli/main';
import { nodeIo, type CliIo } from '../../../src/cli/io';

export function runCli(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') };
  const code = main(argv, io) as number;
  return { code, out, err };
}
