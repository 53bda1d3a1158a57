/**
 * One Logit Lab cross-validation run on one CSV file (spawned by bench/cv.mjs, one process per run):
 * `logit-lab cv`'s work on every row (--test-size 0 --val-size 0): stratified 5-fold CV over a
 * 20-point log grid of C (1e-4..1e4, warm starts, scaling fitted in each fold) plus the
 * regularization path on all rows, lbfgs, scoring neg_log_loss. Prints one JSON line: CPU time
 * (process.cpuUsage, user + system, every thread of the process) of loading and of the CV, wall
 * time, peak RSS, the chosen C and the mean scores along the grid (to check the agreement with
 * scikit-learn's run).
 *
 * Usage: node dist/cv-bench.js FILE [tol] [points] [folds]
 */
import { basename } from 'node:path';
import { crossValidate, logGrid } from '../src/core/run/crossValidate';
import { withTrainingTable } from '../src/node/loadDataset';

const [file, tolArg, pointsArg, foldsArg] = process.argv.slice(2);
const tol = Number(tolArg ?? 1e-4);
const points = Number(pointsArg ?? 20);
const folds = Number(foldsArg ?? 5);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const c0 = cpu();
const w0 = performance.now();
let loadCpuMs = 0;
let cvCpuMs = 0;
let cvWallMs = 0;
const name = basename(file);
const result = withTrainingTable(file, name, (table) => {
  const c1 = cpu();
  loadCpuMs = c1 - c0;
  const w1 = performance.now();
  const target = table.header[table.header.length - 1];
  const r = crossValidate(table, { target: [target], testSize: 0, valSize: 0, tol, solver: 'lbfgs', penalty: 'l2' }, { folds, Cs: logGrid(points), scoring: 'neg_log_loss', rule: 'best' }, { fileName: name });
  cvCpuMs = cpu() - c1;
  cvWallMs = performance.now() - w1;
  return r;
});
console.log(
  JSON.stringify({
    tool: 'logit-lab',
    loadCpuMs,
    cvCpuMs,
    cvWallMs,
    totalWallMs: performance.now() - w0,
    rssMB: process.resourceUsage().maxRSS / 1024,
    chosenC: result.chosenC,
    mean: result.mean,
    fits: result.iterations.reduce((s, row) => s + row.length, 0),
    iterations: result.iterations.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0),
    pathIterations: result.iterations[result.iterations.length - 1].reduce((a, b) => a + b, 0),
  }),
);
