#!/usr/bin/env node
// The user's whole run, end to end (issue 12), first in `npm run bench`; alone:
// `node bench/endToEnd.mjs FILE [--runs R]` (FILE: a CSV whose last column is the target y, binary or
// multiclass, such as bench/data/binary_1000000x20.csv or bench/data/softmax_100000x50x10.csv, which
// `npm run bench` generates).
// Each run is one process under /usr/bin/time -v (wall, user + system CPU, peak RSS), the tools in
// alternating order:
// - Logit Lab: `logit-lab train FILE --target y --test-size 0 --val-size 0 --json` (dist/cli.js); its
//   phases are the report's timings (parse, fit, evaluate: wall clock), "other" the rest of the process
//   (start, preparing the rows, output);
// - pandas + scikit-learn (bench/sklearn_e2e.py): read_csv, StandardScaler, LogisticRegression(lbfgs,
//   tol 1e-8; multinomial for more than two classes) and the same evaluation as Logit Lab's for the
//   file's kind, each phase in wall and CPU time, "other" Python's start and imports;
// - polars + scikit-learn: the polars CSV reader (bench/polars_read.mjs, nodejs-polars) in its own
//   process, its read into the float64 matrix timed inside it, in place of the pandas read of the
//   scikit-learn run (whose Python start, imports, fit and evaluation it keeps): a composite route, since
//   Python's polars is not installable here (not in Debian; the npm registry is the only other one).
// A peer whose tool is missing is skipped with a message. Load averages are recorded with the figures:
// on a loaded machine wall clocks stretch, CPU times much less.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endToEndSummary, endToEndTable, option } from './summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const TIME = '/usr/bin/time';

/** One process under /usr/bin/time -v: its last stdout line as JSON, with wall, CPU and peak RSS; null on failure. */
function timed(cmd, args) {
  const load = loadavg()[0];
  const r = spawnSync(TIME, ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) return { failed: r.status, stderr: r.stderr.split('\n').slice(0, 3).join(' ') };
  const field = (name) => {
    const m = r.stderr.match(new RegExp(`${name}[^:]*: ([0-9.:]+)`));
    return m ? m[1] : '';
  };
  const clock = (r.stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/)?.[1] ?? '').split(':').map(Number);
  const wallMs = 1000 * clock.reduce((a, v) => a * 60 + v, 0);
  const cpuMs = 1000 * (Number(field('User time')) + Number(field('System time')));
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...out, wallMs, cpuMs, peakRssMB: Number(field('Maximum resident set size')) / 1024, load: [load, loadavg()[0]] };
}

function hasSklearn() {
  if (!existsSync(PYTHON)) return 'no /usr/bin/python3';
  const r = spawnSync(PYTHON, ['-c', 'import pandas, sklearn'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'needs /usr/bin/python3 with Debian python3-pandas and python3-sklearn';
}

/** nodejs-polars for this bench only, installed on demand from the npm registry into bench/.polars (gitignored). */
const POLARS = 'nodejs-polars@0.26.1';
/** Its native binary for this platform: an optional dependency that npm skips on Node 20 (it asks for Node 22), so named here. */
const POLARS_BINARY = `nodejs-polars-${process.platform}-${process.arch}${process.platform === 'linux' ? '-gnu' : process.platform === 'win32' ? '-msvc' : ''}@0.26.1`;

function hasPolars() {
  const probe = () => spawnSync(process.execPath, [join(root, 'bench', 'polars_read.mjs'), '--probe'], { encoding: 'utf8' }).status === 0;
  if (probe()) return null;
  const dir = join(root, 'bench', '.polars');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', POLARS, POLARS_BINARY], { encoding: 'utf8' });
  if (r.status === 0 && probe()) return null;
  return `${POLARS} could not be installed into bench/.polars (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`;
}

export function measureEndToEnd(file, runs = 3) {
  if (!existsSync(TIME)) return { skipped: 'needs /usr/bin/time (Debian package time)' };
  const noSklearn = hasSklearn();
  const noPolars = hasPolars();
  const results = { ll: [], sk: [], pl: [] };
  const tools = {
    ll: () => timed(process.execPath, [join(root, 'dist', 'cli.js'), 'train', file, '--target', 'y', '--test-size', '0', '--val-size', '0', '--json']),
    sk: noSklearn ? null : () => timed(PYTHON, [join(root, 'bench', 'sklearn_e2e.py'), file]),
    pl: noPolars ? null : () => timed(process.execPath, [join(root, 'bench', 'polars_read.mjs'), file]),
  };
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? ['ll', 'sk', 'pl'] : ['pl', 'sk', 'll'];
    for (const t of order) if (tools[t]) results[t].push(tools[t]());
  }
  return { file, runs, cores: cpus().length, results, noSklearn, noPolars };
}

export function endToEndLines(m) {
  if (m.skipped) return [`End to end: skipped (${m.skipped}).`];
  return endToEndTable(endToEndSummary(m));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file || !existsSync(file)) {
    console.error('usage: node bench/endToEnd.mjs FILE [--runs R]   (FILE: bench/data/binary_1000000x20.csv or softmax_100000x50x10.csv, which `npm run bench` generates)');
    process.exit(2);
  }
  console.log(endToEndLines(measureEndToEnd(file, Number(option('runs', 3)))).join('\n'));
}
