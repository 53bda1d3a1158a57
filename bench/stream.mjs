#!/usr/bin/env node
// node bench/stream.mjs [--gb G] [--epochs E] [--keep]
// Larger-than-memory training: generates (once) a deterministic CSV of about G GB (default 1) in
// bench/data/stream_<G>gb.csv (git-ignored; 10 numeric features, a 4-level category and a binary label
// from a logistic model), then runs `node dist/cli.js train FILE --stream --epochs E --report-json ...`
// in a child process under /usr/bin/time -v (when present) and prints wall time, MB/s (file bytes times
// the passes over the file: statistics, E epochs, evaluation, divided by wall time), the child's peak
// RSS and the final validation log-loss. Needs `node scripts/build.mjs` first. Not part of `npm run
// bench`; bench/run.mjs runs it when given --stream-gb G. Goal: peak RSS under 600 MB at any size.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const gb = Number(arg('gb', 1));
const epochs = Number(arg('epochs', 1));
const dataDir = join(root, 'bench', 'data');
mkdirSync(dataDir, { recursive: true });
const file = join(dataDir, `stream_${gb}gb.csv`);

/** Deterministic generator (mulberry32 + Box-Muller), written in 8 MB pieces to a temp file then renamed. */
function generate(path, bytes) {
  let state = 12345;
  const next = () => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const w = [1.2, -0.8, 0.5, 0, 0.3, -1.5, 0.9, 0.1, -0.4, 0.7];
  const levels = ['alpha', 'beta', 'gamma', 'delta'];
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let written = 0;
  let piece = 'x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,kind,label\n';
  while (written + piece.length < bytes) {
    let z = -0.2;
    const cells = [];
    for (let j = 0; j < 10; j++) {
      const v = normal() * (j + 1) + j;
      z += (w[j] * (v - j)) / (j + 1);
      cells.push(v.toFixed(4));
    }
    const k = Math.floor(next() * 4);
    z += k === 2 ? 0.8 : 0;
    cells.push(levels[k], next() < 1 / (1 + Math.exp(-z)) ? '1' : '0');
    piece += cells.join(',') + '\n';
    if (piece.length >= 8 << 20) {
      written += writeSync(fd, piece);
      piece = '';
    }
  }
  written += writeSync(fd, piece);
  closeSync(fd);
  renameSync(tmp, path);
  return written;
}

if (!existsSync(file)) {
  const t0 = performance.now();
  process.stderr.write(`generating ${file} (${gb} GB)…\n`);
  generate(file, gb * 1e9);
  process.stderr.write(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
const size = statSync(file).size;
const report = join(dataDir, `stream_${gb}gb.report.json`);
const cli = join(root, 'dist', 'cli.js');
const args = [cli, 'train', file, '--stream', '--epochs', String(epochs), '--report-json', report, '--json'];
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const t0 = performance.now();
const out = timeBin
  ? spawnSync(timeBin, ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
  : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
const wallS = (performance.now() - t0) / 1000;
if (out.status !== 0) {
  process.stderr.write(out.stderr);
  process.exit(out.status ?? 1);
}
const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(out.stderr)?.[1] ?? NaN);
const r = JSON.parse(readFileSync(report, 'utf8'));
const passes = epochs + 2;
const result = {
  file: file.replace(root + '/', ''),
  gigabytes: +(size / 1e9).toFixed(3),
  rows: r.data.nRows,
  epochs,
  wallSeconds: +wallS.toFixed(1),
  megabytesPerSecond: +((size * passes) / 1e6 / wallS).toFixed(1),
  passes,
  peakRssMB: Number.isFinite(rssKb) ? +(rssKb / 1024).toFixed(0) : null,
  finalValidationLogLoss: r.stream.finalValidationLoss,
  validationAccuracy: r.evaluation.validation.metrics.accuracy,
  timings: r.timings,
};
console.log(JSON.stringify(result, null, 2));
if (result.peakRssMB !== null && result.peakRssMB >= 600) {
  process.stderr.write(`peak RSS ${result.peakRssMB} MB is over the 600 MB goal\n`);
  process.exitCode = 1;
}
if (!process.argv.includes('--keep')) rmSync(report, { force: true });
