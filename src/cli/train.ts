import { freemem } from 'node:os';
import { basename, join } from 'node:path';
import { DataError } from '../core/diagnostics';
import type { Penalty } from '../core/model/loss';
import type { OptimizerName } from '../core/optimize/types';
import type { TrainReport } from '../core/report/report';
import type { LearningRateSchedule, ModelKind, SolverSetting, TrainSettings } from '../core/run/settings';
import type { StreamProgress } from '../core/run/streaming';
import { TrainingCancelled } from '../core/run/train';
import { trainFromFile } from '../node/loadDataset';
import { trainStreamFromFile } from '../node/streamCsv';
import { lossFactoryIn } from '../node/parallelLoss';
import { buildReportHtml } from '../node/reportAssets';
import { checkInputFile, inputFileError } from '../node/inputFile';
import { checkOutputs, type CheckedOutput } from '../node/outputPaths';
import { choiceFlag, listFlag, numberFlag, parseArgs, type FlagSpec, type ParsedArgs } from './args';
import { expansionProblems, parseBins, type ExpansionSpec } from '../core/data/featureExpansion';
import { EXIT_CANCELLED, EXIT_OK, type CliIo } from './io';
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
Features (after encoding, before scaling, as a scikit-learn pipeline; saved in the model)
  --poly 2|3              polynomial features of degree 2 or 3 (PolynomialFeatures names and order)
  --interactions          products of distinct features only (interaction_only; degree 2 unless --poly)
  --log a,b  --log1p a,b  replace features by log(x) (x > 0) or log(1 + x) (x > -1)
  --bin COL[:N],...       replace a numeric feature by a one-hot of N equal-width bins (default 5)
Compare
  --oversample            random oversampling of the training rows up to the largest class (never
                          validation or test rows)
  --cost-fp X --cost-fn Y binary: costs of a false positive / negative; the model's threshold becomes
                          the one minimizing X·FP + Y·FN on the validation rows
  --perceptron            also fit a perceptron (scikit-learn's Perceptron, no shuffling) on the same
                          split and print its accuracy beside the logistic model's
Solver
  --solver auto|lbfgs|newton|newton-cholesky|gd|sgd|minibatch   (default auto: by the data's shape)
  --optimizer sgd|momentum|adam   for gd/sgd/minibatch  (default adam)
  --learning-rate X  --schedule constant|invscaling|exponential  --batch-size N
  --max-iter N (default 1000)  --tol T (relative projected gradient; default 1e-8,
                          1e-2 for gd/sgd/minibatch, which rarely reach 1e-8)
  --early-stopping  --patience N    stop on validation loss (gd/sgd/minibatch; streaming: per epoch)
Larger than memory
  --stream                train by streaming mini-batch SGD, reading the file in blocks (bounded
                          memory, any file size): column types, categories and classes come from
                          the first 4 MB; the hold-out is a seeded hash of the row number; progress
                          on stderr, Ctrl-C cancels (exit 130, nothing written). Binary/multinomial.
  --epochs N              streaming: passes of mini-batch SGD over the file (default 5)
  --no-stream             load the file into memory even when it is large
                          (files over 1 GB or a quarter of free memory stream by default, unless a
                          full-batch --solver, --model ovr/multilabel or several targets are given)
Output
  --out model.json        write the fitted model (a new file; never the input)
  --report report.html    write a self-contained HTML report of the model panel
  --report-json FILE      write the full report as JSON
  --json                  print one JSON object instead of the summary
  --landscape             also compute the loss landscape (binary/multinomial, in memory) for
                          --report / --report-json: contours around the optimum on a sample of at
                          most 20,000 training rows, gradient descent and momentum paths, a slice`;

const FLAGS: FlagSpec = {
  target: 'value', features: 'value', 'positive-class': 'value', missing: 'value', 'no-standardize': 'switch',
  'test-size': 'value', 'val-size': 'value', seed: 'value', model: 'value', penalty: 'value', C: 'value', c: 'value',
  lambda: 'value', 'l1-ratio': 'value', 'class-weight': 'value', solver: 'value', optimizer: 'value',
  'learning-rate': 'value', schedule: 'value', 'batch-size': 'value', 'max-iter': 'value', tol: 'value',
  poly: 'value', interactions: 'switch', perceptron: 'switch', oversample: 'switch', 'cost-fp': 'value', 'cost-fn': 'value', log: 'value', log1p: 'value', bin: 'value',
  'early-stopping': 'switch', patience: 'value', stream: 'switch', 'no-stream': 'switch', epochs: 'value', out: 'value', report: 'value', 'report-json': 'value', json: 'switch',
  help: 'switch', landscape: 'switch',
};

const positive = (v: number) => v > 0;
const fraction = (v: number) => v >= 0 && v < 1;
const integer = (v: number) => Number.isInteger(v);

/** Turns the parsed flags into settings (only what was given; the core fills in defaults). */
export function settingsFromArgs(argv: string[]): {
  file: string | undefined;
  settings: Partial<TrainSettings>;
  outputs: { out?: string; report?: string; reportJson?: string; json: boolean; help: boolean; landscape: boolean };
  /** --stream (true), --no-stream (false), or neither (undefined: decided by the file size). */
  stream: boolean | undefined;
} {
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
  set('solver', choiceFlag<SolverSetting>(a, 'solver', ['auto', 'lbfgs', 'newton', 'newton-cholesky', 'gd', 'sgd', 'minibatch']));
  set('optimizer', choiceFlag<OptimizerName>(a, 'optimizer', ['sgd', 'momentum', 'adam']));
  set('learningRate', numberFlag(a, 'learning-rate', positive, 'a positive number'));
  set('schedule', choiceFlag<LearningRateSchedule>(a, 'schedule', ['constant', 'invscaling', 'exponential']));
  set('batchSize', numberFlag(a, 'batch-size', (v) => integer(v) && v >= 1, 'a positive integer'));
  set('maxIter', numberFlag(a, 'max-iter', (v) => integer(v) && v >= 1, 'a positive integer'));
  set('tol', numberFlag(a, 'tol', positive, 'a positive number'));
  if (a.switches.has('early-stopping')) s.earlyStopping = true;
  set('patience', numberFlag(a, 'patience', (v) => integer(v) && v >= 1, 'a positive integer'));
  set('epochs', numberFlag(a, 'epochs', (v) => integer(v) && v >= 1, 'a positive integer'));
  set('expansion', expansionFromArgs(a));
  if (a.switches.has('perceptron')) s.perceptron = true;
  if (a.switches.has('oversample')) s.oversample = true;
  set('costFP', numberFlag(a, 'cost-fp', (v) => v >= 0 && Number.isFinite(v), 'a non-negative number'));
  set('costFN', numberFlag(a, 'cost-fn', (v) => v >= 0 && Number.isFinite(v), 'a non-negative number'));
  if (a.switches.has('stream') && a.switches.has('no-stream')) throw new DataError({ code: 'cli.args', message: 'give either --stream or --no-stream, not both' });
  const stream = a.switches.has('stream') ? true : a.switches.has('no-stream') ? false : undefined;
  return {
    file: a.positional[0],
    stream,
    settings: s,
    outputs: { out: a.values.get('out'), report: a.values.get('report'), reportJson: a.values.get('report-json'), json: a.switches.has('json'), help: a.switches.has('help'), landscape: a.switches.has('landscape') },
  };
}

/** --poly, --interactions, --log, --log1p and --bin as an expansion spec; undefined when none is given. */
function expansionFromArgs(a: ParsedArgs): ExpansionSpec | undefined {
  const degree = numberFlag(a, 'poly', (v) => v === 2 || v === 3, '2 or 3');
  const interactionOnly = a.switches.has('interactions');
  const log = listFlag(a, 'log') ?? [];
  const log1p = listFlag(a, 'log1p') ?? [];
  const binText = a.values.get('bin');
  const bins = binText === undefined ? [] : parseBins(binText);
  if (degree === undefined && !interactionOnly && log.length + log1p.length + bins.length === 0) return undefined;
  const spec: ExpansionSpec = { degree: degree ?? (interactionOnly ? 2 : 1), interactionOnly, log, log1p, bins };
  const problems = expansionProblems(spec);
  if (problems.length > 0) throw new DataError({ code: 'cli.args', message: problems.join('; ') });
  return spec;
}

export function readInput(io: CliIo, file: string): Uint8Array {
  checkInputFile(file);
  try {
    return io.readBytes(file);
  } catch (e) {
    throw inputFileError(file)(e as NodeJS.ErrnoException);
  }
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
    inference: report.inference,
    ...(report.perceptron ? { perceptron: report.perceptron } : {}),
    ...(report.costThreshold ? { costThreshold: report.costThreshold } : {}),
    lossHistory: report.lossHistory,
    warnings: report.warnings,
    data: { rows: report.data.nRows, train: report.data.nTrain, validation: report.data.nValidation, test: report.data.nTest, droppedRows: report.data.droppedRows },
    timings: report.timings,
    model: m,
  };
}

/** Files above this size (or a quarter of free memory, if less) are streamed unless --no-stream. */
export const LARGE_FILE_BYTES = 1 << 30;

/**
 * How to train a file of `size` bytes: 'stream' (--stream, or a large file whose settings streaming
 * supports), 'memory', or 'memory-warn' (a large file with settings only the in-memory path has).
 */
export function trainingMode(size: number, freeBytes: number, stream: boolean | undefined, settings: Partial<TrainSettings>): 'stream' | 'memory' | 'memory-warn' {
  if (stream !== undefined) return stream ? 'stream' : 'memory';
  if (size <= Math.min(LARGE_FILE_BYTES, freeBytes / 4)) return 'memory';
  const streamable =
    (settings.solver === undefined || settings.solver === 'minibatch' || settings.solver === 'sgd') &&
    settings.model !== 'ovr' && settings.model !== 'multilabel' && (settings.target?.length ?? 0) <= 1 &&
    // Feature expansion, oversampling, costs and the perceptron need the in-memory path.
    settings.expansion === undefined && !settings.oversample && !settings.perceptron && settings.costFP === undefined && settings.costFN === undefined;
  return streamable ? 'stream' : 'memory-warn';
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 2)} GB`;

export function trainCommand(argv: string[], io: CliIo, mediaDist = join(__dirname, '..', 'media', 'dist')): number | Promise<number> {
  const { file, settings, outputs, stream } = settingsFromArgs(argv);
  if (outputs.help) {
    io.out(TRAIN_USAGE);
    return EXIT_OK;
  }
  if (!file) throw new DataError({ code: 'cli.args', message: 'train needs a FILE (logit-lab train data.csv)' });
  const size = checkInputFile(file);
  // Every output is checked (writable, not the input, not another output) before any training.
  const targets = checkOutputs(
    [
      { flag: '--out', path: outputs.out },
      { flag: '--report', path: outputs.report },
      { flag: '--report-json', path: outputs.reportJson },
    ].filter((o): o is { flag: string; path: string } => o.path !== undefined),
    [file],
  );
  const mode = trainingMode(size, freemem(), stream, settings);
  if (mode === 'stream') {
    if (outputs.landscape) throw new DataError({ code: 'cli.args', message: `--landscape needs the training rows in memory; ${basename(file)} would be streamed from disk (give --no-stream to load it)` });
    if (stream === undefined) io.err(`logit-lab: ${basename(file)} is ${gb(size)}, too large to load safely: training by streaming mini-batch SGD from disk (as --stream; --no-stream loads it into memory)`);
    return streamTrain(file, settings, targets, outputs.json, io, mediaDist);
  }
  if (mode === 'memory-warn') {
    io.err(`logit-lab: ${basename(file)} is ${gb(size)} and is loaded into memory (the settings given need the in-memory path); if it runs out of memory, use --stream (mini-batch SGD, binary or multinomial)`);
  }
  // The file is streamed through the fast CSV path (the general parser when it gives up), not read whole.
  const report = trainFromFile(file, settings, { fileName: basename(file), createLoss: lossFactoryIn(__dirname), readError: inputFileError(file), landscape: outputs.landscape });
  writeOutputs(report, file, targets, outputs.json, io, mediaDist);
  return EXIT_OK;
}

/** Renders every output before writing any, then writes each atomically, then prints the summary or JSON. */
function writeOutputs(report: TrainReport, file: string, targets: CheckedOutput[], json: boolean, io: CliIo, mediaDist: string): void {
  const render: Record<string, () => string> = {
    '--out': () => JSON.stringify(report.model, null, 2) + '\n',
    '--report-json': () => JSON.stringify(report) + '\n',
    '--report': () => buildReportHtml(mediaDist, report, `Logit Lab — ${basename(file)}`),
  };
  const writes = targets.map((t) => [t.real, render[t.flag](), t.path] as const);
  for (const [real, text] of writes) io.writeFileAtomic(real, text);
  if (json) {
    io.out(JSON.stringify(jsonResult(report)));
  } else {
    io.out(formatSummary(report));
    for (const [, , path] of writes) io.out(`Wrote ${path}`);
  }
}

/** Minimum time between two progress lines on stderr. */
const STREAM_PROGRESS_MS = 1000;

/**
 * Streaming training with progress lines on stderr; Ctrl-C (SIGINT) cancels between two mini-batches,
 * writes nothing and exits 130 (a second Ctrl-C quits at once).
 */
async function streamTrain(file: string, settings: Partial<TrainSettings>, targets: CheckedOutput[], json: boolean, io: CliIo, mediaDist: string): Promise<number> {
  let cancelled = false;
  const onSigint = () => {
    cancelled = true;
    io.err('logit-lab: cancelling…');
  };
  process.once('SIGINT', onSigint);
  let last = -Infinity;
  let passStart = performance.now();
  let previous = passStart;
  let passKey = '';
  const onStreamProgress = (p: StreamProgress) => {
    const key = `${p.pass}:${p.epoch}`;
    const t = performance.now();
    if (key !== passKey) {
      // A pass starts where the previous one's last block ended.
      passKey = key;
      passStart = previous;
    }
    previous = t;
    if (t - last < STREAM_PROGRESS_MS && p.bytes < p.totalBytes) return;
    last = t;
    const what = p.pass === 'statistics' ? 'statistics pass' : p.pass === 'training' ? `epoch ${p.epoch}/${p.epochs}` : 'evaluation pass';
    const rate = p.bytes / 1e6 / Math.max(1e-3, (t - passStart) / 1000);
    const val = p.validationLoss !== null ? `, validation log-loss ${p.validationLoss.toFixed(4)}` : '';
    io.err(`logit-lab: ${what} ${((100 * p.bytes) / Math.max(1, p.totalBytes)).toFixed(1)}% (${gb(p.bytes)} of ${gb(p.totalBytes)}, ${rate.toFixed(0)} MB/s${val})`);
  };
  try {
    const report = await trainStreamFromFile(file, settings, { fileName: basename(file), readError: inputFileError(file), shouldStop: () => cancelled, onStreamProgress });
    writeOutputs(report, file, targets, json, io, mediaDist);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof TrainingCancelled) {
      io.err('logit-lab: training cancelled; no output was written');
      return EXIT_CANCELLED;
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
