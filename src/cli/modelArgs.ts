/**
 * The command line of the commands that apply a saved model to a CSV (predict, export): MODEL.json
 * and FILE, --help, and --out checked against both inputs before anything is read.
 */
import { basename } from 'node:path';
import { parseModelJson, type ModelJson } from '../core/model/model';
import { checkOutputs, type CheckedOutput } from '../node/outputPaths';
import { commandArgs, type FlagSpec, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { readInput } from './train';

/** `name`'s flags with MODEL.json and FILE; undefined once --help has printed `usage`. `example` is a full command line. */
export function modelFileArgs(argv: string[], name: string, flags: FlagSpec, usage: string, example: string, io: CliIo): ParsedArgs | undefined {
  return commandArgs(argv, { name, flags, usage, files: 2, filesMessage: `${name} needs MODEL.json and FILE (${example})` }, io.out);
}

export interface ModelInputs {
  model: ModelJson;
  dataFile: string;
  /** --out as given, and where it is written (never one of the inputs). */
  out?: string;
  target?: CheckedOutput;
}

/** The model read and checked, the data file's path, and --out checked against both. */
export function modelInputs(args: ParsedArgs, io: CliIo): ModelInputs {
  const [modelFile, dataFile] = args.positional;
  const out = args.values.get('out');
  const [target] = out ? checkOutputs([{ flag: '--out', path: out }], [dataFile, modelFile]) : [];
  const model = parseModelJson(new TextDecoder().decode(readInput(io, modelFile)), basename(modelFile));
  return { model, dataFile, out, target };
}
