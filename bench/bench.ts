/**
 * One Logit Lab benchmark run on one CSV file (spawned by bench/run.mjs, one process per run so that
 * RSS is this run's own). Prints one JSON line with phase timings, the objective and peak RSS.
 * Phases: read (bytes from disk), parse (CSV -> typed columns -> design matrix), standardize, fit
 * (L2, C = 1, lbfgs to convergence), and the roofline: one streaming pass over the float64 matrix
 * and one fused loss+gradient pass.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCsv } from '../src/core/csv';
import { buildDataset, inferColumns } from '../src/core/dataset';
import { fitPreprocessor, transform } from '../src/core/preprocess';
import { LinearModelLoss } from '../src/core/loss';
import { minimize } from '../src/core/optimize';

const file = process.argv[2];
const now = () => performance.now();

const t0 = now();
const bytes = readFileSync(file);
const t1 = now();
const table = parseCsv(bytes, { fileName: basename(file) });
const columns = inferColumns(table);
const ds = buildDataset(table, columns, { target: table.header[table.header.length - 1], fileName: basename(file) });
const t2 = now();
const prep = fitPreprocessor(ds.X, ds.n, ds.d, true);
const X = transform(ds.X, ds.n, ds.d, prep);
const t3 = now();
const loss = new LinearModelLoss({ X, n: ds.n, d: ds.d, kind: 'binary', y: ds.y, nClasses: 2, penalty: 'l2', C: 1 });
const result = minimize(loss, 'lbfgs', { maxIter: 1000 });
const t4 = now();

// Roofline: one pass reading every float64 of the matrix, then one fused loss+gradient pass.
let sink = 0;
const r0 = now();
for (let i = 0; i < X.length; i++) sink += X[i];
const r1 = now();
const grad = new Float64Array(loss.nParams);
loss.lossGradient(result.theta, grad);
const r2 = now();

process.stdout.write(
  JSON.stringify({
    tool: 'logit-lab',
    rows: ds.n,
    features: ds.d,
    readMs: t1 - t0,
    parseMs: t2 - t1,
    scaleMs: t3 - t2,
    fitMs: t4 - t3,
    totalMs: t4 - t0,
    iterations: result.iterations,
    converged: result.converged,
    objective: loss.sklearnObjective(result.theta),
    passMs: r1 - r0,
    gradientMs: r2 - r1,
    rssMB: process.resourceUsage().maxRSS / 1024,
    sink: sink === 0.123456 ? 1 : 0,
  }) + '\n',
);
