#!/usr/bin/env node
// Cross-validation speed (part of `npm run bench`; also `node bench/cv.mjs FILE [--runs R] [--tol T] [--sk-tol T]`):
// a 20-point grid of C x 5 stratified folds on the binary 100k x 20 file, Logit Lab (dist/cv-bench.js:
// the work of `logit-lab cv`, plus the regularization path on all rows) and scikit-learn's
// LogisticRegressionCV (bench/sklearn_cv.py: lbfgs, the same grid, folds, scoring and tol) run side
// by side: alternating order, one process per run. Compared by CPU time (user + system over every
// thread, the machine is shared: wall time under load is not a speed figure), with the load average
// around the runs, peak RSS, iterations, the chosen C, and the accuracy each reached: the largest
// deviation of its mean scores along the grid from a reference run (Logit Lab at tol 1e-10).
//
// The tolerances differ on purpose: the two stopping rules are not the same (scikit-learn's lbfgs stops
// at an absolute projected gradient of tol, or on a relative objective change of 64 eps, whichever
// comes first; Logit Lab at tol times the projected gradient at zero). scikit-learn runs at its default
// tol 1e-4 (on this file it reached the same scores at 1e-6: its stop was the objective change), Logit
// Lab at 1e-5, where its scores are at least as accurate as scikit-learn's (the table shows both).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function runOne(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

export function hasSklearn() {
  return existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import pandas, sklearn'], { stdio: 'ignore' }).status === 0;
}

/** `runs` alternating pairs on `file`; medians per tool. */
export function measureCv(file, { runs = 3, llTol = 1e-5, skTol = 1e-4, refTol = 1e-10, points = 20, folds = 5 } = {}) {
  const python = hasSklearn();
  const results = { ll: [], sk: [] };
  const loadBefore = loadavg()[0];
  const rest = [String(points), String(folds)];
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? ['ll', 'sk'] : ['sk', 'll'];
    for (const tool of order) {
      if (tool === 'll') results.ll.push(runOne(process.execPath, [join(root, 'dist', 'cv-bench.js'), file, String(llTol), ...rest]));
      else if (python) results.sk.push(runOne('/usr/bin/python3', [join(root, 'bench', 'sklearn_cv.py'), file, String(skTol), ...rest]));
    }
  }
  const reference = runOne(process.execPath, [join(root, 'dist', 'cv-bench.js'), file, String(refTol), ...rest]);
  const deviation = (mean) => Math.max(...mean.map((v, c) => Math.abs(v - reference.mean[c])));
  const med = (rs, tol) =>
    rs.length === 0
      ? null
      : { tol, ...Object.fromEntries(['loadCpuMs', 'cvCpuMs', 'cvWallMs', 'rssMB', 'iterations', 'fits'].map((k) => [k, median(rs.map((x) => x[k]))])), chosenC: rs[0].chosenC, deviation: deviation(rs[0].mean) };
  return { file, runs, refTol, points, folds, load: [loadBefore, loadavg()[0]], ll: med(results.ll, llTol), sk: med(results.sk, skTol), reference: { chosenC: reference.chosenC, cvCpuMs: reference.cvCpuMs } };
}

export function cvLines(m) {
  const f = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '—');
  const lines = [
    `Cross-validation: ${m.points}-point grid of C x ${m.folds} stratified folds on ${m.file.split('/').pop()}, lbfgs, neg_log_loss; medians of ${m.runs} runs each, alternating order, one process per run; load average ${f(m.load[0], 1)} before and ${f(m.load[1], 1)} after (2 cores shared: CPU time, not wall time, is the figure).`,
    '',
    '| tool | tol | CV CPU ms | load+parse CPU ms | fits | iterations | peak RSS MB | chosen C | mean-score deviation from the reference |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, s] of [['Logit Lab (folds + path on all rows)', m.ll], ['scikit-learn LogisticRegressionCV (folds + refit)', m.sk]]) {
    if (s) lines.push(`| ${name} | ${s.tol} | ${f(s.cvCpuMs)} | ${f(s.loadCpuMs)} | ${s.fits} | ${f(s.iterations)} | ${f(s.rssMB)} | ${s.chosenC.toPrecision(4)} | ${s.deviation.toExponential(1)} |`);
  }
  lines.push('', `Reference: Logit Lab at tol ${m.refTol} (${f(m.reference.cvCpuMs)} ms CPU), chosen C ${m.reference.chosenC.toPrecision(4)}.`);
  if (m.ll && m.sk) {
    lines.push(`CV CPU time, Logit Lab / scikit-learn: ${f(m.ll.cvCpuMs / m.sk.cvCpuMs, 2)}x (goal: at most 1, at least as accurate: ${m.ll.deviation <= m.sk.deviation ? 'yes' : 'no'}); chosen C ${m.ll.chosenC === m.sk.chosenC ? 'the same' : 'different'}.`);
  } else lines.push('', 'scikit-learn: not run (needs /usr/bin/python3 with Debian python3-pandas and python3-sklearn).');
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : dflt;
  };
  const file = process.argv[2];
  if (!file || file.startsWith('--')) throw new Error('usage: node bench/cv.mjs FILE [--runs R] [--tol T] [--sk-tol T] [--points P] [--folds K]');
  console.log(cvLines(measureCv(file, { runs: Number(arg('runs', 3)), llTol: Number(arg('tol', 1e-5)), skTol: Number(arg('sk-tol', 1e-4)), points: Number(arg('points', 20)), folds: Number(arg('folds', 5)) })).join('\n'));
}
