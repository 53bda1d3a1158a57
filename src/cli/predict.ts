import { basename } from 'node:path';
import { formatDiagnostic } from '../core/diagnostics';
import { parseModelJson } from '../core/model/model';
import { predictionsCsv } from '../core/run/predict';
import { commandArgs } from './args';
import { EXIT_OK, type CliIo } from './io';
import { checkOutputs } from '../node/outputPaths';
import { readInput } from './train';

export const PREDICT_USAGE = `Usage: logit-lab predict MODEL.json FILE [--out predictions.csv] [--raw]

Applies a saved model to a CSV with the same columns (same encoding, imputation and scaling) and
writes one row per data row: its line, the predicted class and the class probabilities.

  --out FILE   write the predictions to a new file (never the data or the model file)
  --raw        keep class labels that start with = + - @ as they are (by default such a text cell
               gets a leading ' so that a spreadsheet shows it instead of running it as a formula)`;

export function predictCommand(argv: string[], io: CliIo): number {
  const a = commandArgs(argv, {
    name: 'predict',
    flags: { out: 'value', raw: 'switch' },
    usage: PREDICT_USAGE,
    files: 2,
    filesMessage: 'predict needs MODEL.json and FILE (logit-lab predict model.json data.csv)',
  }, io.out);
  if (!a) return EXIT_OK;
  const [modelFile, dataFile] = a.positional;
  const out = a.values.get('out');
  const [target] = out ? checkOutputs([{ flag: '--out', path: out }], [dataFile, modelFile]) : [];
  const model = parseModelJson(new TextDecoder().decode(readInput(io, modelFile)), basename(modelFile));
  const result = predictionsCsv(model, readInput(io, dataFile), basename(dataFile), { raw: a.switches.has('raw') });
  for (const w of result.warnings) io.err(formatDiagnostic(w));
  if (target) {
    io.writeFileAtomic(target.real, result.csv);
    io.err(`Wrote ${result.n} predictions to ${out}`);
  } else {
    io.out(result.csv.trimEnd());
  }
  return EXIT_OK;
}
