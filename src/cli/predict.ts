import { basename } from 'node:path';
import { formatDiagnostic } from '../core/diagnostics';
import { predictionsCsv } from '../core/run/predict';
import { EXIT_OK, type CliIo } from './io';
import { modelFileArgs, modelInputs } from './modelArgs';
import { readInput } from './train';

export const PREDICT_USAGE = `Usage: logit-lab predict MODEL.json FILE [--out predictions.csv] [--raw]

Applies a saved model to a CSV with the same columns (same encoding, imputation and scaling) and
writes one row per data row: its line, the predicted class and the class probabilities.

  --out FILE   write the predictions to a new file (never the data or the model file)
  --raw        keep class labels that start with = + - @ as they are (by default such a text cell
               gets a leading ' so that a spreadsheet shows it instead of running it as a formula)`;

export function predictCommand(argv: string[], io: CliIo): number {
  const a = modelFileArgs(argv, 'predict', { out: 'value', raw: 'switch' }, PREDICT_USAGE, 'logit-lab predict model.json data.csv', io);
  if (!a) return EXIT_OK;
  const { model, dataFile, out, target } = modelInputs(a, io);
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
