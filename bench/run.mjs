#!/usr/bin/env node
// npm run bench -- [--rows N] [--features D] [--runs R] [--cases binary,softmax] [--no-panel] [--no-cv] [--write] [--stream-gb G]
//                   [--e2e-rows N (default 1000000)] [--e2e-runs R (default 3)] [--no-e2e]
//                   [--no-ui] [--ui-runs R (default 1)] [--profile]
// Leads with the user's whole run, end to end (issue 12):
// 1. the CLI end to end (bench/endToEnd.mjs) on the binary file (--e2e-rows x 20) and on the softmax
//    file (100000 x 50, 10 classes), beside pandas + scikit-learn and the polars reader + scikit-learn
//    doing the same evaluation; peak RSS; phases;
// 2. the panel end to end (bench/ui.mjs: code-server, right-click → Train, click → finished) on the same
//    two files, when code-server is installed (E2E_DIR, /work/main/.e2e or .e2e; scripts/e2e/setup.sh);
//    skipped with a message otherwise, or with --no-ui;
// 3. with --profile, where the CLI's time goes on each file (bench/profile.mjs);
// then the parts: generates deterministic CSVs (unscaled features, like real data): binary N x D, and
// softmax 100000 x 50 with 10 classes. For each, runs in alternating order, one process per run: Logit Lab
// (dist/bench.js) and, when /usr/bin/python3 has pandas and scikit-learn, pandas.read_csv +
// StandardScaler + LogisticRegression(lbfgs; multinomial for more than two classes) on the same file.
// Prints medians, the ratios, RSS, objectives and the roofline; --write puts all of it between the bench
// markers of docs/performance.md. Speed goals live here, never in timed tests.
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
import { profileLines, profileRun } from './profile.mjs';
import { endToEndSummary, fixed, leadTable, median, option, panelSummary } from './summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = option;
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


function hasSklearn() {
  if (!existsSync('/usr/bin/python3')) return false;
  return spawnSync('/usr/bin/python3', ['-c', 'import pandas, sklearn'], { stdio: 'ignore' }).status === 0;
}

/** code-server's folder for the UI bench, as bench/ui.mjs looks for it; null when it is not installed. */
function codeServerDir() {
  for (const d of [process.env.E2E_DIR, '/work/main/.e2e', join(root, '.e2e')]) if (d && existsSync(join(d, 'node_modules/.bin/code-server'))) return d;
  return null;
}

/** The panel end to end on the given files (bench/ui.mjs): its results and table, or why it was skipped. */
async function measurePanels(files) {
  if (process.argv.includes('--no-ui')) return { skipped: 'skipped (--no-ui)' };
  if (!codeServerDir()) return { skipped: 'skipped: code-server is not installed (scripts/e2e/setup.sh, or set E2E_DIR)' };
  // bench/ui.mjs reads --runs and --files from the command line when it loads: give it the panel's.
  const argv = process.argv;
  process.argv = [argv[0], argv[1], '--runs', arg('ui-runs', '1'), '--files', files.map((f) => f.split('/').pop()).join(',')];
  try {
    const { measureUi, uiLines } = await import('./ui.mjs');
    const results = await measureUi();
    return { results, lines: uiLines(results) };
  } catch (e) {
    return { skipped: `failed: ${e.message.split('\n')[0]}` };
  } finally {
    process.argv = argv;
  }
}

if (!existsSync(join(root, 'dist', 'fit-bench.js')) || !existsSync(join(root, 'dist', 'bench.js')) || !existsSync(join(root, 'dist', 'lossShardWorker.js')) || !existsSync(join(root, 'dist', 'parseWorker.js'))) execFileSync('node', [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const python = hasSklearn();
const summarize = (rs) =>
  rs.length === 0
    ? null
    : Object.fromEntries(['readMs', 'parseMs', 'csvMs', 'scaleMs', 'fitMs', 'totalMs', 'rssMB', 'objective', 'iterations', 'passMs', 'gradientMs', 'gradient1Ms', 'threads'].map((k) => [k, median(rs.map((x) => x[k] ?? NaN))]));
const f = fixed;
const lines = [];
lines.push(`Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the start.`);
const shapes = { binary: { rows, features, classes: 2 }, softmax: { rows: 100000, features: 50, classes: 10 } };
const e2eFiles = [];
if (!process.argv.includes('--no-e2e')) {
  const e2eRows = Number(arg('e2e-rows', 1000000));
  const e2eRuns = Number(arg('e2e-runs', 3));
  e2eFiles.push(join(root, 'bench', 'data', `binary_${e2eRows}x${features}.csv`), join(root, 'bench', 'data', 'softmax_100000x50x10.csv'));
  await generate(e2eFiles[0], e2eRows, features, 2);
  await generate(e2eFiles[1], 100000, 50, 10);
  const measured = e2eFiles.map((file) => measureEndToEnd(file, e2eRuns));
  const panels = await measurePanels(e2eFiles);
  const summaries = measured.filter((m) => !m.skipped).map(endToEndSummary);
  lines.push('', '### End to end: the CLI and the panel against the peers', '');
  lines.push('Wall clock, medians (the CLI\'s CPU-time ratios, user + system of every thread, in brackets); the peers do the same evaluation of the training rows (tables below). The panel runs with its default settings (a 0.7/0.1/0.2 split with calibration); its last column compares it with the CLI on the same settings, run right after it.', '');
  lines.push(...leadTable(summaries, panels.results ? panelSummary(panels.results) : null));
  for (const m of measured) lines.push('', ...endToEndLines(m));
  lines.push('', ...(panels.lines ?? [`Panel end to end: ${panels.skipped}.`]));
  if (process.argv.includes('--profile')) for (const file of e2eFiles) lines.push('', ...profileLines(profileRun(file)));
  lines.push('', '### The parts');
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
/** One part's lines; a part that fails says so (its first error line) and the others still run and print. */
async function part(name, measure) {
  try {
    return ['', ...(await measure())];
  } catch (e) {
    console.error(e);
    return ['', `${name}: failed (${String(e.message).split('\n')[0]}).`];
  }
}
// The fit phase, lbfgs against newton-cholesky, on the binary file and a one-hot file (bench/fit.mjs).
if (cases.includes('binary') && features === 20) lines.push(...(await part('Fit phase', () => fitLines(join(root, 'bench', 'data', `binary_${rows}x${features}.csv`), { runs, rows }))));
// Model selection: a 20-point grid of C x 5 folds on the binary file, beside LogisticRegressionCV.
if (cases.includes('binary') && !process.argv.includes('--no-cv')) lines.push(...(await part('Cross-validation', () => cvLines(measureCv(join(root, 'bench', 'data', `binary_${rows}x${features}.csv`), { runs })))));
// The extension side: activation cost, bundle sizes, and the model panel on the binary case's result.
lines.push(...(await part('Activation', () => activationLines(measureActivation()))));
if (existsSync('/usr/bin/python3')) lines.push(...(await part('Python gradient check', () => pythonLines(measurePython()))));
lines.push(...(await part('Gradient checker', async () => gradcheckLines(await measureGradcheck()))));
if (cases.includes('binary') && !process.argv.includes('--no-panel')) {
  const binaryFile = join(root, 'bench', 'data', `binary_${rows}x${features}.csv`);
  lines.push(...(await part('Model panel', async () => panelLines(await measurePanel(binaryFile)))));
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
