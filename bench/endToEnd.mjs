#!/usr/bin/env node
// The user's whole run, end to end (issue 12), first in `npm run bench`; alone:
// `node bench/endToEnd.mjs FILE [--runs R]` (FILE: a binary CSV whose last column is y, such as
// bench/data/binary_1000000x20.csv, which `npm run bench -- --rows 1000000` generates).
// Each run is one process under /usr/bin/time -v (wall, user + system CPU, peak RSS), the tools in
// alternating order:
// - Logit Lab: `logit-lab train FILE --target y --test-size 0 --val-size 0 --json` (dist/cli.js); its
//   phases are the report's timings (parse, fit, evaluate: wall clock), "other" the rest of the process
//   (start, preparing the rows, output);
// - pandas + scikit-learn (bench/sklearn_e2e.py): read_csv, StandardScaler, LogisticRegression(lbfgs,
//   tol 1e-8) and the same evaluation, each phase in wall and CPU time, "other" Python's start and imports;
// - polars + scikit-learn: the polars CSV reader (bench/polars_read.mjs, nodejs-polars) in its own
//   process, plus the scikit-learn phases and Python's start of the pandas run: a composite route, since
//   Python's polars is not installable here (not in Debian; the npm registry is the only other one).
// A peer whose tool is missing is skipped with a message. Load averages are recorded with the figures:
// on a loaded machine wall clocks stretch, CPU times much less.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const TIME = '/usr/bin/time';

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

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
  const tmp = mkdtempSync(join(tmpdir(), 'logit-lab-e2e-'));
  const results = { ll: [], sk: [], pl: [] };
  const tools = {
    ll: () => timed(process.execPath, [join(root, 'dist', 'cli.js'), 'train', file, '--target', 'y', '--test-size', '0', '--val-size', '0', '--json']),
    sk: noSklearn ? null : () => timed(PYTHON, [join(root, 'bench', 'sklearn_e2e.py'), file]),
    pl: noPolars ? null : () => timed(process.execPath, [join(root, 'bench', 'polars_read.mjs'), file]),
  };
  try {
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? ['ll', 'sk', 'pl'] : ['pl', 'sk', 'll'];
      for (const t of order) if (tools[t]) results[t].push(tools[t]());
    }
    // The loss landscape's share of the evaluation (computed on every single-output run until it is on demand): one more run with the full report.
    const reportPath = join(tmp, 'report.json');
    const withReport = timed(process.execPath, [join(root, 'dist', 'cli.js'), 'train', file, '--target', 'y', '--test-size', '0', '--val-size', '0', '--json', '--report-json', reportPath]);
    const landscapeMs = existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, 'utf8')).landscape?.computeMs : undefined;
    return { file, runs, cores: cpus().length, results, noSklearn, noPolars, landscapeMs, withReportEvaluateMs: withReport?.timings?.evaluateMs };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const f = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const s = (ms) => f(ms / 1000, 2);

export function endToEndLines(m) {
  if (m.skipped) return [`End to end: skipped (${m.skipped}).`];
  const ok = (rs) => rs.filter((x) => !x.failed);
  const failures = Object.entries(m.results).flatMap(([t, rs]) => rs.filter((x) => x.failed).map((x) => `${t}: exit ${x.failed} ${x.stderr}`));
  const med = (rs, key) => median(ok(rs).map((x) => (typeof key === 'function' ? key(x) : x[key])));
  const ll = ok(m.results.ll);
  const sk = ok(m.results.sk);
  const pl = ok(m.results.pl);
  const loads = Object.values(m.results).flat().filter((x) => x.load).flatMap((x) => x.load);
  const lines = [];
  lines.push(`End to end on ${m.file.split('/').pop()} (binary, no split: the training rows evaluated), medians of ${m.runs} runs, one process per run under /usr/bin/time -v, alternating order; load average (1 min) ${f(Math.min(...loads), 1)}-${f(Math.max(...loads), 1)} during the runs on ${m.cores ?? 'this'} cores.`);
  lines.push('');
  lines.push('| route | wall s | CPU s (user+sys) | parse s | fit s | evaluate s | other s | iterations | objective | peak RSS MB |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const llParse = med(ll, (x) => x.timings.parseMs);
  const llFit = med(ll, (x) => x.timings.fitMs);
  const llEval = med(ll, (x) => x.timings.evaluateMs);
  const llWall = med(ll, 'wallMs');
  const llCpu = med(ll, 'cpuMs');
  lines.push(`| Logit Lab CLI (\`train --json\`) | ${s(llWall)} | ${s(llCpu)} | ${s(llParse)} | ${s(llFit)} | ${s(llEval)} | ${s(med(ll, (x) => x.wallMs - x.timings.parseMs - x.timings.fitMs - x.timings.evaluateMs))} | ${f(med(ll, 'iterations'))} | ${f(med(ll, 'objective'), 4)} | ${f(med(ll, 'peakRssMB'))} |`);
  const skOther = (x) => x.wallMs - x.parseMs - x.fitMs - x.evaluateMs;
  const skOtherCpu = (x) => x.cpuMs - x.parseCpuMs - x.fitCpuMs - x.evaluateCpuMs;
  if (sk.length) {
    lines.push(`| pandas + scikit-learn | ${s(med(sk, 'wallMs'))} | ${s(med(sk, 'cpuMs'))} | ${s(med(sk, 'parseMs'))} (CPU ${s(med(sk, 'parseCpuMs'))}) | ${s(med(sk, 'fitMs'))} (CPU ${s(med(sk, 'fitCpuMs'))}) | ${s(med(sk, 'evaluateMs'))} (CPU ${s(med(sk, 'evaluateCpuMs'))}) | ${s(med(sk, skOther))} (CPU ${s(med(sk, skOtherCpu))}) | ${f(med(sk, 'iterations'))} | ${f(med(sk, 'objective'), 4)} | ${f(med(sk, 'peakRssMB'))} |`);
  }
  // The composite route: polars' reader, then the scikit-learn process less its pandas read.
  const plWall = sk.length && pl.length ? med(pl, 'wallMs') + med(sk, (x) => x.wallMs - x.parseMs) : NaN;
  const plCpu = sk.length && pl.length ? med(pl, 'cpuMs') + med(sk, (x) => x.cpuMs - x.parseCpuMs) : NaN;
  if (sk.length && pl.length) {
    lines.push(`| polars reader + scikit-learn (composite) | ${s(plWall)} | ${s(plCpu)} | ${s(med(pl, 'wallMs'))} (CPU ${s(med(pl, 'cpuMs'))}; whole reader process) | ${s(med(sk, 'fitMs'))} | ${s(med(sk, 'evaluateMs'))} | ${s(med(sk, skOther))} | ${f(med(sk, 'iterations'))} | ${f(med(sk, 'objective'), 4)} | reader alone ${f(med(pl, 'peakRssMB'))} |`);
  }
  lines.push('');
  if (Number.isFinite(m.landscapeMs)) lines.push(`Logit Lab's evaluate phase includes the loss landscape, computed on every single-output run until issue 19 makes it on demand: ${f(m.landscapeMs)} ms of ${f(m.withReportEvaluateMs)} ms in one more run.`);
  const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '—');
  if (sk.length) lines.push(`Ratios, Logit Lab / pandas + scikit-learn: wall ${ratio(llWall, med(sk, 'wallMs'))}, CPU ${ratio(llCpu, med(sk, 'cpuMs'))}, peak RSS ${ratio(med(ll, 'peakRssMB'), med(sk, 'peakRssMB'))}; objective difference ${(med(ll, 'objective') - med(sk, 'objective')).toExponential(2)} (negative: Logit Lab's lower).`);
  else lines.push(`pandas + scikit-learn: skipped (${m.noSklearn}).`);
  if (sk.length && pl.length) lines.push(`Ratios, Logit Lab / polars reader + scikit-learn: wall ${ratio(llWall, plWall)}, CPU ${ratio(llCpu, plCpu)}; parse alone: wall ${ratio(llParse, med(pl, 'wallMs'))} (Logit Lab's parse phase against the whole polars reader process).`);
  else lines.push(`polars + scikit-learn: skipped (${m.noPolars ?? m.noSklearn}).`);
  if (failures.length) lines.push(`Failed runs: ${failures.join('; ')}`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file || !existsSync(file)) {
    console.error('usage: node bench/endToEnd.mjs FILE [--runs R]   (FILE: bench/data/binary_1000000x20.csv from `npm run bench -- --rows 1000000`)');
    process.exit(2);
  }
  const at = process.argv.indexOf('--runs');
  console.log(endToEndLines(measureEndToEnd(file, at > 0 ? Number(process.argv[at + 1]) : 3)).join('\n'));
}
