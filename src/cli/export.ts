import { basename } from 'node:path';
import { DataError } from '../core/diagnostics';
import { exportScript, SCRIPT_KINDS, scriptSource, type ScriptKind } from '../core/report/exportScripts';
import { withTrainingTable } from '../node/loadDataset';
import { choiceFlag } from './args';
import { modelFileArgs, modelInputs } from './modelArgs';
import { EXIT_OK, type CliIo } from './io';

export const EXPORT_USAGE = `Usage: logit-lab export MODEL.json FILE --to sklearn|r|pyspark [--out PATH]

Writes code that reproduces a saved model from the CSV it was trained on: the same reading, split,
imputation, one-hot encoding and scaling, and the same objective.
  sklearn   a Python script (pandas + scikit-learn LogisticRegression with the model's C, penalty,
            l1_ratio and class_weight); it trains on Logit Lab's exact split
  r         an R script (glm without a penalty, glmnet with alpha = l1 ratio and lambda = 1/(C n_train))
  pyspark   a PySpark MLlib job for data beyond one machine (regParam = 1/(C n_train),
            elasticNetParam = l1 ratio, family binomial or multinomial; Spark's own seeded split)
Without --out the code goes to standard output.`;

export function exportCommand(argv: string[], io: CliIo): number {
  const a = modelFileArgs(argv, 'export', { to: 'value', out: 'value' }, EXPORT_USAGE, 'logit-lab export model.json data.csv --to sklearn', io);
  if (!a) return EXIT_OK;
  const kind = choiceFlag<ScriptKind>(a, 'to', SCRIPT_KINDS);
  if (!kind) throw new DataError({ code: 'cli.args', message: `export needs --to ${SCRIPT_KINDS.join('|')}` });
  const { model, dataFile, out, target } = modelInputs(a, io);
  const name = basename(dataFile);
  const source = withTrainingTable(dataFile, name, (table) => scriptSource(model, table, dataFile, name), (e) => new DataError({ code: 'cli.read', file: dataFile, message: e.code === 'ENOENT' ? 'no such file' : e.message }));
  const text = exportScript(kind, model, source);
  if (target) {
    io.writeFileAtomic(target.real, text);
    io.err(`Wrote ${out}`);
  } else io.out(text.trimEnd());
  return EXIT_OK;
}
