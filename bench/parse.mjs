#!/usr/bin/env node
// node bench/parse.mjs [--rows N] [--runs R]
// CSV ingestion throughput, general parser (parseCsv + buildDataset) vs the streaming fast path
// (FastCsvParser + buildDatasetFromFast) on one thread (fast1) and as loadTrainingData runs it (fast:
// two threads for a large file), each run in a fresh process; prints best-of-R and median MB/s and
// peak RSS. The data file is bench/data/binary_<N>x20.csv, made by bench/run.mjs when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const rows = Number(arg('rows', 1000000));
const runs = Number(arg('runs', 3));
const file = join(root, 'bench', 'data', `binary_${rows}x20.csv`);
if (!existsSync(file)) execFileSync(process.execPath, [join(root, 'bench', 'run.mjs'), '--rows', String(rows), '--runs', '1'], { stdio: 'inherit' });
const bundle = join(root, 'dist', 'parse-bench.js');
const sources = ['bench/parse.ts', 'src/core/data/fastCsv.ts', 'src/core/data/csvScan.ts', 'src/core/wasm/csv.generated.ts', 'src/core/data/fastDataset.ts', 'src/core/data/csv.ts', 'src/core/data/dataset.ts', 'src/node/loadDataset.ts', 'src/node/readChunks.ts', 'src/node/parallelCsv.ts', 'src/core/run/train.ts'];
// The fast path's parse worker, found beside the bundle (dist/parseWorker.js, as scripts/build.mjs makes it).
const workerBundle = join(root, 'dist', 'parseWorker.js');
for (const [entry, out] of [['bench/parse.ts', bundle], ['src/worker/parseWorker.ts', workerBundle]]) {
  const stale = !existsSync(out) || sources.some((s) => statSync(join(root, s)).mtimeMs > statSync(out).mtimeMs);
  if (stale) execFileSync('npx', ['esbuild', entry, '--bundle', '--platform=node', `--outfile=${out}`, '--log-level=warning'], { cwd: root, stdio: 'inherit' });
}

const modes = ['general', 'fast1', 'fast'];
const results = Object.fromEntries(modes.map((m) => [m, []]));
for (let r = 0; r < runs; r++) {
  for (const mode of r % 2 === 0 ? modes : [...modes].reverse()) {
    const out = spawnSync(process.execPath, [bundle, mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (out.status !== 0) throw new Error(`${mode} run failed:\n${out.stderr}`);
    results[mode].push(JSON.parse(out.stdout.trim().split('\n').pop()));
  }
}
const matrixMB = (rows * 20 * 8) / 2 ** 20;
console.log(`File ${file} (${(statSync(file).size / 1e6).toFixed(1)} MB), best and median of ${runs} runs per mode, one process each.`);
console.log(`float64 matrix ${matrixMB.toFixed(0)} MiB; memory goal 1.5x + 64 = ${(1.5 * matrixMB + 64).toFixed(0)} MiB.`);
console.log('| path | parse ms (best) | parse MB/s (best) | parse MB/s (median) | parse+dataset ms (best) | peak RSS MiB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const mode of modes) {
  const sorted = [...results[mode]].sort((a, b) => a.parseMs - b.parseMs);
  const best = sorted[0];
  const median = sorted[(sorted.length - 1) >> 1];
  const rss = Math.min(...results[mode].map((x) => x.rssMB));
  console.log(
    `| ${mode} | ${best.parseMs.toFixed(0)} | ${best.parseMBps.toFixed(1)} | ${median.parseMBps.toFixed(1)} | ` +
      `${Math.min(...results[mode].map((x) => x.totalMs)).toFixed(0)} | ${rss.toFixed(0)} |`,
  );
}
