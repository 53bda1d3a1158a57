#!/usr/bin/env node
// npm run bench -- [--rows N] [--features D] [--runs R] [--cases binary,softmax] [--no-panel] [--no-cv] [--write] [--stream-gb G] [--ui]
//                   [--e2e-rows N (default 1000000)] [--e2e-runs R (default 3)] [--no-e2e]
// First the user's whole run end to end (bench/endToEnd.mjs: the CLI beside pandas + scikit-learn and the
// polars reader + scikit-learn, with the same evaluation; peak RSS; phases), then the parts:
// Generates deterministic CSVs (unscaled features, like real data): binary N x D, and softmax
// 100000 x 50 with 10 classes. For each, runs in alternating order, one process per run: Logit Lab
// (dist/bench.js) and, when /usr/bin/python3 has pandas and scikit-learn, pandas.read_csv +
// StandardScaler + LogisticRegression(lbfgs; multinomial for more than two classes) on the same file.
// Prints medians, the ratios, RSS, objectives and the roofline; --write puts the tables in
// docs/performance.md. Speed goals live here, never in timed tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { activationLines, measureActivation } from './activation.mjs';
import { measurePanel, panelLines } from './panel.mjs';
import { measurePython, pythonLines } from './python.mjs';
import { gradcheckLines, measureGradcheck } from './gradcheck.mjs';
import { fitLines } from './fit.mjs';
import { generate } from './generate.mjs';
import { cvLines, measureCv } from './cv.mjs';
import { endToEndLines, measureEndToEnd } from './endToEnd.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const rows = Number(arg('rows', 100000));
const features = Number(arg('features', 20));
const runs = Number(arg('runs', 3));
const cases = arg('cases', 'binary,softmax').split(',');
const write = process.argv.includes('--write');

function runOne(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function hasSklearn() {
  if (!existsSync('/usr/bin/python3')) return false;
  return spawnSync('/usr/bin/python3', ['-c', 'import pandas, sklearn'], { stdio: 'ignore' }).status === 0;
}

if (!existsSync(join(root, 'dist', 'fit-bench.js')) || !existsSync(join(root, 'dist', 'bench.js')) || !existsSync(join(root, 'dist', 'lossShardWorker.js')) || !existsSync(join(root, 'dist', 'parseWorker.js'))) execFileSync('node', [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const python = hasSklearn();
const summarize = (rs) =>
  rs.length === 0
    ? null
    : Object.fromEntries(['readMs', 'parseMs', 'csvMs', 'scaleMs', 'fitMs', 'totalMs', 'rssMB', 'objective', 'iterations', 'passMs', 'gradientMs', 'gradient1Ms', 'threads'].map((k) => [k, median(rs.map((x) => x[k] ?? NaN))]));
const f = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const lines = [];
lines.push(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the start.`);
const shapes = { binary: { rows, features, classes: 2 }, softmax: { rows: 100000, features: 50, classes: 10 } };
if (!process.argv.includes('--no-e2e')) {
  const e2eRows = Number(arg('e2e-rows', 1000000));
  const e2eFile = join(root, 'bench', 'data', `binary_${e2eRows}x${features}.csv`);
  await generate(e2eFile, e2eRows, features, 2);
  lines.push('', ...endToEndLines(measureEndToEnd(e2eFile, Number(arg('e2e-runs', 3)))));
}
for (const name of cases) {
  const shape = shapes[name];
  if (!shape) throw new Error(`unknown case ${name} (binary, softmax)`);
  const file = join(root, 'bench', 'data', shape.classes > 2 ? `softmax_${shape.rows}x${shape.features}x${shape.classes}.csv` : `binary_${shape.rows}x${shape.features}.csv`);
  await generate(file, shape.rows, shape.features, shape.classes);
  const mb = statSync(file).size / 1e6;
  const results = { 'logit-lab': [], 'pandas+sklearn': [] };
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? ['logit-lab', 'pandas+sklearn'] : ['pandas+sklearn', 'logit-lab'];
    for (const tool of order) {
      if (tool === 'logit-lab') results[tool].push(runOne(process.execPath, [join(root, 'dist', 'bench.js'), file]));
      else if (python) results[tool].push(runOne('/usr/bin/python3', [join(root, 'bench', 'sklearn_baseline.py'), file]));
    }
  }
  const ll = summarize(results['logit-lab']);
  const sk = summarize(results['pandas+sklearn']);
  lines.push('');
  lines.push(`${name === 'binary' ? 'Binary' : `Softmax, ${shape.classes} classes`}: ${shape.rows} rows x ${shape.features} features, ${mb.toFixed(1)} MB; medians of ${runs} runs each, alternating order, one process per run.`);
  lines.push('');
  lines.push('| tool | read+parse ms | standardize ms | fit ms | total ms | iterations | objective (C-sum) | peak RSS MB |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [tool, s] of [['Logit Lab', ll], ['pandas + scikit-learn', sk]]) {
    if (s) lines.push(`| ${tool} | ${f(s.readMs + s.parseMs)} | ${f(s.scaleMs)} | ${f(s.fitMs)} | ${f(s.totalMs)} | ${f(s.iterations)} | ${s.objective.toFixed(6)} | ${f(s.rssMB)} |`);
  }
  lines.push('');
  lines.push(
    `Throughput: CSV parse (bytes to typed columns) ${f(mb / (ll.csvMs / 1000), 1)} MB/s; read+parse with the column scan and design matrix ${f(mb / ((ll.readMs + ll.parseMs) / 1000), 1)} MB/s. Roofline: one streaming pass over the float64 matrix ${f(ll.passMs, 1)} ms; ` +
      `one fused loss+gradient pass ${f(ll.gradientMs, 1)} ms on ${f(ll.threads)} thread(s) (${f(ll.gradientMs / ll.passMs, 2)}x the pass), ${f(ll.gradient1Ms, 1)} ms on one.`,
  );
  if (sk) {
    lines.push(`Ratios, Logit Lab / (pandas + scikit-learn): total ${f(ll.totalMs / sk.totalMs, 2)}x, fit ${f(ll.fitMs / sk.fitMs, 2)}x; objective difference ${(ll.objective - sk.objective).toExponential(2)} (negative = Logit Lab lower).`);
  } else {
    lines.push('pandas + scikit-learn: not run (needs /usr/bin/python3 with Debian python3-pandas and python3-sklearn).');
  }
}
// The fit phase, lbfgs against newton-cholesky, on the binary file and a one-hot file (bench/fit.mjs).
if (cases.includes('binary') && features === 20) lines.push('', ...(await fitLines(join(root, 'bench', 'data', `binary_${rows}x${features}.csv`), { runs, rows })));
// Model selection: a 20-point grid of C x 5 folds on the binary file, beside LogisticRegressionCV.
if (cases.includes('binary') && !process.argv.includes('--no-cv')) lines.push('', ...cvLines(measureCv(join(root, 'bench', 'data', `binary_${rows}x${features}.csv`), { runs })));
// The extension side: activation cost, bundle sizes, and the model panel on the binary case's result.
lines.push('', ...activationLines(measureActivation()));
if (existsSync('/usr/bin/python3')) lines.push('', ...pythonLines(measurePython()));
lines.push('', ...gradcheckLines(await measureGradcheck()));
if (cases.includes('binary') && !process.argv.includes('--no-panel')) {
  const binaryFile = join(root, 'bench', 'data', `binary_${rows}x${features}.csv`);
  lines.push('', ...panelLines(await measurePanel(binaryFile)));
}
// The model panel in code-server on the big files, beside the CLI (only when asked: --ui; bench/ui.mjs).
if (process.argv.includes('--ui')) {
  const { measureUi, uiLines } = await import('./ui.mjs');
  lines.push('', ...uiLines(await measureUi()));
}
// Larger than memory (only when asked: it writes a file of that size): bench/stream.mjs --gb G.
const streamAt = process.argv.indexOf('--stream-gb');
if (streamAt >= 0) {
  const out = spawnSync(process.execPath, [join(root, 'bench', 'stream.mjs'), '--gb', process.argv[streamAt + 1]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const r = out.status === 0 ? JSON.parse(out.stdout) : null;
  lines.push('', r ? `Streaming (--stream --epochs ${r.epochs}) on ${r.gigabytes} GB, ${r.rows} rows: ${r.wallSeconds} s for ${r.passes} passes (${r.megabytesPerSecond} MB/s), peak RSS ${r.peakRssMB} MB, validation log-loss ${r.finalValidationLogLoss.toFixed(4)}.` : 'Streaming benchmark failed (see stderr).');
}
const text = lines.join('\n');
console.log(text);

if (write) {
  const doc = join(root, 'docs', 'performance.md');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const old = existsSync(doc) ? readFileSync(doc, 'utf8') : `# Performance\n\n${begin}\n${end}\n`;
  const a = old.indexOf(begin);
  const b = old.indexOf(end);
  const next = a >= 0 && b > a ? old.slice(0, a + begin.length) + '\n' + text + '\n' + old.slice(b) : old + `\n${begin}\n${text}\n${end}\n`;
  writeFileSync(doc, next);
  console.log(`updated ${doc}`);
}
