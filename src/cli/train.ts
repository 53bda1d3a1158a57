import { basename, join, resolve } from 'node:path';
import { DataError } from '../core/diagnostics';
import type { Penalty } from '../core/loss';
import type { OptimizerName, SolverName } from '../core/optimize/types';
import type { TrainReport } from '../core/report';
import type { LearningRateSchedule, ModelKind, TrainSettings } from '../core/settings';
import { trainFromFile } from '../node/loadDataset';
import { lossFactoryIn } from '../node/parallelLoss';
import { buildReportHtml } from '../node/reportAssets';
import { choiceFlag, listFlag, numberFlag, parseArgs, type FlagSpec } from './args';
import { EXIT_OK, type CliIo } from './io';
import { formatSummary } from './summary';

export const TRAIN_USAGE = `Usage: logit-lab train FILE [options]

Trains a logistic / softmax regression on a CSV or TSV file and prints a summary.

Data
  --target COL[,COL...]   target column (several 0/1 columns: multilabel); default: guessed
  --features a,b,...      feature columns; default: every usable column
  --positive-class LABEL  binary: the positive class (default: the second in sorted order)
  --missing impute|drop   missing feature values: mean-impute (default) or drop rows
  --no-standardize        fit on raw feature units (default: standardize as StandardScaler)
  --test-size F           fraction of rows held out for testing (default 0.2)
  --val-size F            fraction of rows for validation (default 0.1)
  --seed N                seed for the split and stochastic solvers (default 0)
Model
  --model auto|binary|multinomial|ovr|multilabel        (default auto)
  --penalty l2|l1|elasticnet|none                       (default l2)
  --C X | --lambda X      inverse strength (default 1), or lambda = 1/(C n)
  --l1-ratio R            elastic-net mixing (default 0.5)
  --class-weight balanced|none
Solver
  --solver lbfgs|newton|gd|sgd|minibatch                (default lbfgs)
  --optimizer sgd|momentum|adam   for gd/sgd/minibatch  (default adam)
  --learning-rate X  --schedule constant|invscaling|exponential  --batch-size N
  --max-iter N (default 1000)  --tol T (default 1e-8, relative projected gradient)
  --early-stopping  --patience N    stop on validation loss (gd/sgd/minibatch)
Output
  --out model.json        write the fitted model (a new file; never the input)
  --report report.html    write a self-contained HTML report of the model panel
  --report-json FILE      write the full report as JSON
  --json                  print one JSON object instead of the summary`;

const FLAGS: FlagSpec = {
  target: 'value', features: 'value', 'positive-class': 'value', missing: 'value', 'no-standardize': 'switch',
  'test-size': 'value', 'val-size': 'value', seed: 'value', model: 'value', penalty: 'value', C: 'value', c: 'value',
  lambda: 'value', 'l1-ratio': 'value', 'class-weight': 'value', solver: 'value', optimizer: 'value',
  'learning-rate': 'value', schedule: 'value', 'batch-size': 'value', 'max-iter': 'value', tol: 'value',
  'early-stopping': 'switch', patience: 'value', out: 'value', report: 'value', 'report-json': 'value', json: 'switch',
  help: 'switch',
};

const positive = (v: number) => v > 0;
const fraction = (v: number) => v >= 0 && v < 1;
const integer = (v: number) => Number.isInteger(v);

/** Turns the parsed flags into settings (only what was given; the core fills in defaults). */
export function settingsFromArgs(argv: string[]): { file: string | undefined; settings: Partial<TrainSettings>; outputs: { out?: string; report?: string; reportJson?: string; json: boolean; help: boolean } } {
  const a = parseArgs(argv, FLAGS, 'train');
  if (a.positional.length > 1) throw new DataError({ code: 'cli.args', message: `train takes one FILE, got ${a.positional.length}: ${a.positional.join(' ')}` });
  const s: Partial<TrainSettings> = {};
  const set = <K extends keyof TrainSettings>(k: K, v: TrainSettings[K] | undefined) => {
    if (v !== undefined) s[k] = v;
  };
  set('target', listFlag(a, 'target'));
  set('features', listFlag(a, 'features'));
  set('positiveClass', a.values.get('positive-class'));
  set('missing', choiceFlag(a, 'missing', ['impute', 'drop'] as const));
  if (a.switches.has('no-standardize')) s.standardize = false;
  set('testSize', numberFlag(a, 'test-size', fraction, 'a fraction in [0, 1)'));
  set('valSize', numberFlag(a, 'val-size', fraction, 'a fraction in [0, 1)'));
  set('seed', numberFlag(a, 'seed', integer, 'an integer'));
  set('model', choiceFlag<ModelKind>(a, 'model', ['auto', 'binary', 'multinomial', 'ovr', 'multilabel']));
  set('penalty', choiceFlag<Penalty>(a, 'penalty', ['l2', 'l1', 'elasticnet', 'none']));
  if (a.values.has('C') && a.values.has('c')) throw new DataError({ code: 'cli.args', message: 'give --C once' });
  if (a.values.has('c')) a.values.set('C', a.values.get('c')!);
  set('C', numberFlag(a, 'C', positive, 'a positive number (or inf)'));
  set('lambda', numberFlag(a, 'lambda', positive, 'a positive number'));
  if (s.C !== undefined && s.lambda !== undefined) throw new DataError({ code: 'cli.args', message: 'give either --C or --lambda, not both' });
  set('l1Ratio', numberFlag(a, 'l1-ratio', (v) => v >= 0 && v <= 1, 'in [0, 1]'));
  const cw = choiceFlag(a, 'class-weight', ['balanced', 'none'] as const);
  set('classWeight', cw);
  set('solver', choiceFlag<SolverName>(a, 'solver', ['lbfgs', 'newton', 'gd', 'sgd', 'minibatch']));
  set('optimizer', choiceFlag<OptimizerName>(a, 'optimizer', ['sgd', 'momentum', 'adam']));
  set('learningRate', numberFlag(a, 'learning-rate', positive, 'a positive number'));
  set('schedule', choiceFlag<LearningRateSchedule>(a, 'schedule', ['constant', 'invscaling', 'exponential']));
  set('batchSize', numberFlag(a, 'batch-size', (v) => integer(v) && v >= 1, 'a positive integer'));
  set('maxIter', numberFlag(a, 'max-iter', (v) => integer(v) && v >= 1, 'a positive integer'));
  set('tol', numberFlag(a, 'tol', positive, 'a positive number'));
  if (a.switches.has('early-stopping')) s.earlyStopping = true;
  set('patience', numberFlag(a, 'patience', (v) => integer(v) && v >= 1, 'a positive integer'));
  return {
    file: a.positional[0],
    settings: s,
    outputs: { out: a.values.get('out'), report: a.values.get('report'), reportJson: a.values.get('report-json'), json: a.switches.has('json'), help: a.switches.has('help') },
  };
}

/** Output paths must be new files, never the input (Logit Lab never modifies a user's CSV). */
export function checkOutputPath(out: string, input: string, flag: string): void {
  if (resolve(out) === resolve(input)) {
    throw new DataError({ code: 'cli.output-is-input', message: `${flag} ${out} is the input file; Logit Lab never overwrites its input, choose another path` });
  }
}

export function readInput(io: CliIo, file: string): Uint8Array {
  try {
    return io.readBytes(file);
  } catch (e) {
    throw readError(file)(e as NodeJS.ErrnoException);
  }
}

/** The DataError for an input file that cannot be read. */
function readError(file: string): (e: NodeJS.ErrnoException) => DataError {
  return (e) => {
    const code = e.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : e.message;
    return new DataError({ code: 'cli.read', file, message: why });
  };
}

/** The --json object: the fields an autograder or script needs, plus the full model. */
export function jsonResult(report: TrainReport): Record<string, unknown> {
  const m = report.model;
  const metrics: Record<string, unknown> = {};
  for (const [s, ev] of Object.entries(report.evaluation)) metrics[s] = ev.metrics ?? ev.multilabel;
  return {
    classes: m.classes,
    featureNames: m.featureNames,
    kind: m.kind,
    coef: m.coef,
    intercept: m.intercept,
    ...(m.preprocessor.standardize ? { coefStandardized: m.coefStandardized, interceptStandardized: m.interceptStandardized } : {}),
    C: m.settings.C,
    lambda: m.settings.lambda,
    objective: report.convergence.objective,
    iterations: report.convergence.iterations,
    converged: report.convergence.converged,
    gradientNorm: report.convergence.gradientNorm,
    stopReason: report.convergence.stopReason,
    metrics,
    lossHistory: report.lossHistory,
    warnings: report.warnings,
    data: { rows: report.data.nRows, train: report.data.nTrain, validation: report.data.nValidation, test: report.data.nTest, droppedRows: report.data.droppedRows },
    timings: report.timings,
    model: m,
  };
}

export function trainCommand(argv: string[], io: CliIo, mediaDist = join(__dirname, '..', 'media', 'dist')): number {
  const { file, settings, outputs } = settingsFromArgs(argv);
  if (outputs.help) {
    io.out(TRAIN_USAGE);
    return EXIT_OK;
  }
  if (!file) throw new DataError({ code: 'cli.args', message: 'train needs a FILE (logit-lab train data.csv)' });
  for (const [flag, path] of [['--out', outputs.out], ['--report', outputs.report], ['--report-json', outputs.reportJson]] as const) {
    if (path) checkOutputPath(path, file, flag);
  }
  // The file is streamed through the fast CSV path (the general parser when it gives up), not read whole.
  const report = trainFromFile(file, settings, { fileName: basename(file), createLoss: lossFactoryIn(__dirname), readError: readError(file) });
  // Every output is rendered before any is written, then written atomically.
  const writes: [string, string][] = [];
  if (outputs.out) writes.push([outputs.out, JSON.stringify(report.model, null, 2) + '\n']);
  if (outputs.reportJson) writes.push([outputs.reportJson, JSON.stringify(report) + '\n']);
  if (outputs.report) writes.push([outputs.report, buildReportHtml(mediaDist, report, `Logit Lab — ${basename(file)}`)]);
  for (const [path, text] of writes) io.writeFileAtomic(path, text);
  if (outputs.json) {
    io.out(JSON.stringify(jsonResult(report)));
  } else {
    io.out(formatSummary(report));
    for (const [path] of writes) io.out(`Wrote ${path}`);
  }
  return EXIT_OK;
}
