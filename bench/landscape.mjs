#!/usr/bin/env node
// node bench/landscape.mjs [rows] [features]   (npm run bench:landscape)
// node bench/landscape.mjs --file data.csv      (the worker's whole request on a CSV: see the end)
// The loss landscape on request, part by part, in CPU time of this process (process.cpuUsage: robust
// on a shared machine; everything here runs on one thread): drawing the seeded sample of at most
// 20,000 training rows from a rows x features standardized binary problem (default 1M x 20, as the
// 1M-row bench file after preprocessing), the landscape on the sample (Hessian and condition numbers,
// the 60 x 60 grid, the run's path, gradient descent and momentum, the coefficient slice), and one
// learning-rate slider re-run (gradient descent and momentum, 40 steps each). Loading and parsing the
// file (bench/run.mjs measures it) is not included. Prints one JSON line with the load average.
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Bundled on the fly into a CommonJS file (the Node helpers use __dirname), loaded with require.
const bundle = join(mkdtempSync(join(tmpdir(), 'logit-lab-landscape-bench-')), 'core.cjs');
await esbuild.build({
  stdin: {
    contents: `export { computeLandscape, descentPaths, landscapeLoss } from './src/core/evaluate/landscape'; export { minimize } from './src/core/optimize'; export { LinearModelLoss } from './src/core/model/loss'; export { syntheticBinary } from './bench/synthetic'; export { landscapeProblem, landscapeOfRun } from './src/core/run/landscapeRun'; export { trainFromFile, withTrainingTable } from './src/node/loadDataset'; export { DEFAULT_SETTINGS } from './src/core/run/settings';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  outfile: bundle,
  logLevel: 'error',
});
const { computeLandscape, descentPaths, landscapeLoss, minimize, LinearModelLoss, syntheticBinary, landscapeProblem, landscapeOfRun, trainFromFile, withTrainingTable, DEFAULT_SETTINGS } = createRequire(import.meta.url)(bundle);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const fileArg = process.argv.indexOf('--file');
if (fileArg >= 0) {
  // What the training worker does for "Show the loss landscape" on a CSV (src/worker/landscapeJob.ts):
  // load the file and rebuild the run's problem (split, preprocessing) and its sample, then the
  // landscape. The run itself (trainFromFile, default settings) is not timed.
  const path = process.argv[fileArg + 1];
  const settings = { ...DEFAULT_SETTINGS };
  const report = trainFromFile(path, settings, { fileName: path });
  const a = cpu();
  const problem = withTrainingTable(path, path, (table) => landscapeProblem(table, settings, path));
  const b = cpu();
  const landscape = landscapeOfRun(problem, report.model, report.replay);
  const c = cpu();
  console.log(JSON.stringify({ file: path, trainRows: problem.ofRows, sampleRows: problem.sample.n, grid: landscape.n, loadAndSampleMs: Math.round(b - a), landscapeMs: Math.round(c - b), loadavg: loadavg().map((x) => Number(x.toFixed(2))) }));
  process.exit(0);
}
const n = Number(process.argv[2] ?? 1_000_000);
const d = Number(process.argv[3] ?? 20);
const { X, y, w } = syntheticBinary(n, d);
const spec = { X, n, d, kind: 'binary', y, nClasses: 2, penalty: 'l2', C: 1 };
const parts = {};
const timed = (name, f) => {
  const a = cpu();
  const r = f();
  parts[name] = Math.round(cpu() - a);
  return r;
};
// The fitted model and its path (not timed: the run did this): L-BFGS on the whole problem.
const full = new LinearModelLoss(spec);
const path = [new Float64Array(d + 1)];
const fit = minimize(full, 'lbfgs', { maxIter: 200, tol: 1e-8, onIteration: (info) => void path.push(info.theta.slice()) });
const sample = timed('sampleMs', () => landscapeLoss(spec, 0));
const landscape = timed('landscapeMs', () => computeLandscape({ sample, ofRows: n, thetaStar: fit.theta, path, scaler: null, featureNames: w.map((_, j) => `x${j + 1}`), seed: 0 }));
const paths = timed('sliderMs', () => descentPaths(sample, landscape.center, landscape.dirs[0], landscape.dirs[1], landscape.lambdaMax, 1.2));
const total = parts.sampleMs + parts.landscapeMs;
console.log(JSON.stringify({ rows: n, features: d, sampleRows: landscape.sampleRows, grid: landscape.n, ...parts, totalMs: total, goalMs: 500, withinGoal: total <= 500, gdDivergedAt1_2: paths.gd.diverged, loadavg: loadavg().map((x) => Number(x.toFixed(2))) }));
