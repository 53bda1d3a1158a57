/**
 * The `logit-lab` command: train, predict and gradcheck, all on the same core the extension uses.
 * Exit codes: 0 ok, 2 bad input (one message on stderr, no stack trace), 3 a gradient is wrong
 * (gradcheck), 1 internal error.
 */
import { DataError, formatDiagnostic } from '../core/diagnostics';
import { VERSION } from '../core/version';
import { cvCommand } from './cv';
import { exportCommand } from './export';
import { gradcheckCommand } from './gradcheck';
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, nodeIo, type CliIo } from './io';
import { predictCommand } from './predict';
import { trainCommand } from './train';

export const USAGE = `logit-lab ${VERSION} — logistic and softmax regression on CSV files, and gradient checks

Usage:
  logit-lab train FILE [options]          train and print a summary (logit-lab train --help)
  logit-lab predict MODEL.json FILE       predict with a saved model
  logit-lab cv FILE [--folds k] [--Cs n|list] [--scoring ...] [--json]
                                          choose C by cross-validation (logit-lab cv --help)
  logit-lab export MODEL.json FILE --to sklearn|r|pyspark [--out PATH]
                                          code that reproduces the model (logit-lab export --help)
  logit-lab gradcheck FILE.md|FILE.gradcheck|FILE.py|FILE.ipynb [--json] [--points n] [--seed s]
      [--tolerance t] [--five-point] [--python PATH] [--time-limit s]
                                          check hand-derived gradients (logit-lab gradcheck --help)
  logit-lab --version`;

/**
 * Runs one command and returns its exit code; a streaming `train` (--stream, or a file too large to
 * load) returns a promise of it.
 */
export function main(argv: string[], io: CliIo = nodeIo): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train': {
        const code = trainCommand(rest, io);
        return typeof code === 'number' ? code : code.catch((e: unknown) => failure(e, io));
      }
      case 'predict':
        return predictCommand(rest, io);
      case 'gradcheck': {
        const code = gradcheckCommand(rest, io);
        return typeof code === 'number' ? code : code.catch((e: unknown) => failure(e, io));
      }
      case 'export':
        return exportCommand(rest, io);
      case 'cv':
        return cvCommand(rest, io);
      case '--version':
      case '-v':
        io.out(VERSION);
        return EXIT_OK;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return EXIT_OK;
      default:
        io.err(`logit-lab: unknown command '${command}'\n\n${USAGE}`);
        return EXIT_BAD_INPUT;
    }
  } catch (e) {
    return failure(e, io);
  }
}

/** The exit code of a thrown error, reported on stderr: DataError 2 (one line), anything else 1. */
function failure(e: unknown, io: CliIo): number {
  if (e instanceof DataError) {
    io.err(formatDiagnostic(e.diagnostic));
    return EXIT_BAD_INPUT;
  }
  const err = e as Error;
  io.err(`logit-lab: internal error: ${err?.message ?? String(e)}${process.env.LOGIT_LAB_DEBUG ? '\n' + err?.stack : ' (set LOGIT_LAB_DEBUG=1 for details)'}`);
  return EXIT_INTERNAL;
}

if (require.main === module) {
  const code = main(process.argv.slice(2));
  if (typeof code === 'number') process.exitCode = code;
  else void code.then((c) => (process.exitCode = c));
}
