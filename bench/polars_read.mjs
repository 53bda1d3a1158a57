#!/usr/bin/env node
// The polars CSV reader's part of the polars + scikit-learn route (bench/endToEnd.mjs): nodejs-polars
// (the Rust engine of Python's polars; bench/endToEnd.mjs installs it on demand into bench/.polars,
// outside package.json: its lock entry pins one platform and breaks `npm ci` elsewhere) reads FILE and the features
// become one row-major float64 matrix, as `df.to_numpy()` hands them to scikit-learn, and the target
// (the last column) an array of its values, numeric or text. Prints one JSON
// line: wall and CPU milliseconds, rows, columns and this process's peak RSS. Exits 3 when
// nodejs-polars (or its binary package for this platform) is not installed.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

let pl;
try {
  // bench/.polars (installed by endToEnd.mjs) first, then the project's own node_modules.
  const local = createRequire(new URL('./.polars/package.json', import.meta.url));
  try {
    pl = local('nodejs-polars');
  } catch {
    pl = createRequire(import.meta.url)('nodejs-polars');
  }
} catch (e) {
  process.stderr.write(`nodejs-polars is not installed: ${e.message.split('\n')[0]}\n`);
  process.exit(3);
}
if (process.argv[2] === '--probe') process.exit(0);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const w0 = performance.now();
const c0 = cpu();
const df = pl.readCSV(process.argv[2]);
const names = df.columns.slice(0, -1);
const n = df.height;
const X = new Float64Array(n * names.length);
names.forEach((name, j) => {
  const col = df.getColumn(name).cast(pl.Float64).toTypedArray();
  for (let i = 0; i < n; i++) X[i * names.length + j] = col[i];
});
// The target as scikit-learn gets it from `df['y'].to_numpy()`: a typed array when numeric, the labels
// themselves when text (a multiclass file's target, such as c0..c9).
const target = df.getColumn(df.columns[df.columns.length - 1]);
const y = target.isNumeric() ? target.toTypedArray() : target.toArray();
process.stdout.write(JSON.stringify({ parseMs: performance.now() - w0, parseCpuMs: cpu() - c0, rows: n, features: names.length, labels: y.length, classes: new Set(y).size, rssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
