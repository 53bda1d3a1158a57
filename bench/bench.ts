/**
 * One Logit Lab benchmark run on one CSV file (spawned by bench/run.mjs, one process per run so that
 * RSS is this run's own). Prints one JSON line with phase timings, the objective and peak RSS.
 * Phases: read (0: streamed with the parse), parse (bytes from disk -> CSV -> typed columns -> design
 * matrix, by src/node/loadDataset.ts as the CLI does it; csvMs is its first part, bytes to typed
 * columns), standardize, fit
 * (L2, C = 1, lbfgs to convergence; binary or, with more than two classes, multinomial; sharded over
 * every core by ParallelLoss when createLoss finds the problem large enough, pool start and disposal
 * included), and the roofline: one streaming pass over the float64 matrix and one fused
 * loss+gradient pass with the fit's loss and with a one-thread LinearModelLoss (its second pass: the
 * first copies X for the SIMD kernels of a softmax loss).
 */
import { basename, join } from 'node:path';
import { tableColumns, tableDataset } from '../src/core/run/train';
import { withTrainingTable } from '../src/node/loadDataset';
import { fitPreprocessor, transformInPlace } from '../src/core/data/preprocess';
import { LinearModelLoss } from '../src/core/model/loss';
import { minimize } from '../src/core/optimize';
import { createLoss, ParallelLoss } from '../src/node/parallelLoss';

const file = process.argv[2];
const now = () => performance.now();

// Loaded as `logit-lab train` loads it: streamed through the fast CSV path (the general parser when
// it gives up), the design matrix built in the fast table's buffer. Reading is interleaved with
// parsing, so readMs is 0 and parseMs covers both.
const t0 = now();
const t1 = t0;
let csvMs = NaN;
const ds = withTrainingTable(file, basename(file), (table, parsed) => {
  csvMs = parsed;
  return tableDataset(table, tableColumns(table), { target: table.header[table.header.length - 1], fileName: basename(file) }, true);
});
const t2 = now();
const prep = fitPreprocessor(ds.X, ds.n, ds.d, true);
const X = transformInPlace(ds.X, ds.n, ds.d, prep); // as training does with its own copies
const t3 = now();
const K = ds.classes.length;
const spec = { X, n: ds.n, d: ds.d, kind: K > 2 ? 'multinomial' : 'binary', y: ds.y, nClasses: K, penalty: 'l2', C: 1 } as const;
const { loss, release } = createLoss(spec, { workerFile: join(__dirname, 'lossShardWorker.js') });
const result = minimize(loss, 'lbfgs', { maxIter: 1000 });
const threads = loss instanceof ParallelLoss ? loss.threads : 1;
const t4 = now();

// Roofline, each the median of five: one pass reading every float64 of the matrix, then one fused
// loss+gradient pass with the fit's loss, then (once the pool is released, so that it does not compete)
// one with a one-thread loss.
let sink = 0;
const median5 = (run: () => void): number => {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const a = now();
    run();
    times.push(now() - a);
  }
  return times.sort((a, b) => a - b)[2];
};
const passMs = median5(() => {
  let s = 0;
  for (let i = 0; i < X.length; i++) s += X[i];
  sink += s;
});
const grad = new Float64Array(loss.nParams);
const gradientMs = median5(() => loss.lossGradient(result.theta, grad));
const r3 = now();
const objective = loss.sklearnObjective(result.theta);
// Signals the workers to exit (synchronous; their threads end in the background): part of the fit.
void release();
const releaseMs = now() - r3;
const single = new LinearModelLoss(spec);
single.lossGradient(result.theta, grad); // warm: its first pass copies X for the SIMD kernels (softmax)
const gradient1Ms = median5(() => single.lossGradient(result.theta, grad));

process.stdout.write(
  JSON.stringify({
    tool: 'logit-lab',
    rows: ds.n,
    features: ds.d,
    classes: K,
    threads,
    readMs: t1 - t0,
    parseMs: t2 - t1,
    csvMs,
    scaleMs: t3 - t2,
    fitMs: t4 - t3 + releaseMs,
    totalMs: t4 - t0 + releaseMs,
    iterations: result.iterations,
    converged: result.converged,
    objective,
    passMs,
    gradientMs,
    gradient1Ms,
    rssMB: process.resourceUsage().maxRSS / 1024,
    sink: sink === 0.123456 ? 1 : 0,
  }) + '\n',
);
