/**
 * One parse measurement. Run the comparison (best of R fresh processes per path, a table of MB/s and
 * peak RSS) with
 *   node bench/parse.mjs [--rows 1000000] [--runs 3]
 * which bundles this file into dist/parse-bench.js when it is stale (and makes the data file with
 * bench/run.mjs, which needs `npm run build`, when it is missing), then runs per measurement
 *   node dist/parse-bench.js <fast|fast1|general> <file.csv>
 * fast: the fast path as loadTrainingData runs it (on two threads for a large file when
 * dist/parseWorker.js is built), then buildDatasetFromFast (consuming the table).
 * fast1: the same on one thread (the single pass through FastCsvParser).
 * general: read the whole file, parseCsv, inferColumns, buildDataset.
 * Prints one JSON line: parse and dataset times, MB/s of the parse and peak RSS.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseCsv } from '../src/core/data/csv';
import { guessTarget, inferColumns } from '../src/core/data/dataset';
import { inferFastColumns } from '../src/core/data/fastDataset';
import { buildDataset, buildDatasetFromFast } from '../src/core/data/dataPlan';
import { loadTrainingData } from '../src/node/loadDataset';

const [mode, file] = process.argv.slice(2);
const mb = statSync(file).size / 1e6;
const t0 = performance.now();
let parseMs: number;
let n: number;
let d: number;
if (mode === 'fast' || mode === 'fast1') {
  const loaded = loadTrainingData(file, 'bench.csv', undefined, mode === 'fast1' ? { parallel: { workerFile: null } } : {});
  if (!loaded.fast) throw new Error(`fast path fell back: ${loaded.fallback}`);
  parseMs = loaded.parseMs;
  const columns = inferFastColumns(loaded.fast);
  const target = guessTarget(loaded.fast, columns);
  const { dataset } = buildDatasetFromFast(loaded.fast, { target }, { columns, consume: true });
  ({ n, d } = dataset);
} else {
  const table = parseCsv(readFileSync(file), { fileName: 'bench.csv' });
  parseMs = performance.now() - t0;
  const columns = inferColumns(table);
  const dataset = buildDataset(table, columns, { target: guessTarget(table, columns) });
  ({ n, d } = dataset);
}
const totalMs = performance.now() - t0;
console.log(JSON.stringify({ mode, mb, n, d, parseMs, totalMs, parseMBps: mb / (parseMs / 1000), rssMB: process.resourceUsage().maxRSS / 1024 }));
