// The fit phase, lbfgs against newton-cholesky (and what the solver 'auto' picks), one process per fit
// (dist/fit-bench.js), alternating order, medians of --runs: CPU time of the whole process during the
// fit (both threads of the loss pool), passes over X, iterations, and the fit's RSS (before, after,
// and the peak, which the load and parse phases may already have set). Two files:
//   - bench/data/binary_1000000x20.csv (bench/run.mjs makes it: dense standardized-able features);
//   - bench/data/onehot_1000000.csv, made here: 4 numeric columns and 3 categorical ones with 4, 6 and
//     8 levels, two of them rare (about 1% of rows), i.e. 22 features after one-hot encoding, the
//     shape scikit-learn recommends newton-cholesky for.
// Used by bench/run.mjs (fitLines) and on its own: node bench/fit.mjs [--runs 3] [--rows 1000000].
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, writeRows } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};

/** The one-hot file (deterministic): y ~ Bernoulli(σ(0.2 + Σ effects)). */
export async function generateOneHot(path, rows) {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const next = rng(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const levels = [4, 6, 8];
  const effects = levels.map((L) => Array.from({ length: L }, () => 1.2 * normal()));
  const pick = (L) => {
    // The last two levels are rare (0.5% each); the others share the rest.
    const u = next();
    if (u < 0.005) return L - 1;
    if (u < 0.01) return L - 2;
    return Math.floor(((u - 0.01) / 0.99) * (L - 2));
  };
  await writeRows(path, 'a,b,c,d,colour,shape,region,y', rows, () => {
    const num = [normal(), normal() * 10 + 50, normal() * 0.1, normal()];
    const cat = levels.map(pick);
    const z = 0.2 + 0.8 * num[0] - 0.05 * (num[1] - 50) + 3 * num[2] + cat.reduce((s, c, k) => s + effects[k][c], 0);
    const y = next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    return `${num.map((v) => v.toPrecision(6)).join(',')},c${cat[0]},s${cat[1]},r${cat[2]},${y}`;
  });
}

function fitOnce(file, solver) {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'fit-bench.js'), file, solver], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`fit-bench ${file} ${solver} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Markdown lines: one table per file, lbfgs and newton-cholesky side by side. */
export async function fitLines(binaryFile, { runs = 3, rows = 1000000 } = {}) {
  const oneHot = join(root, 'bench', 'data', `onehot_${rows}.csv`);
  await generateOneHot(oneHot, rows);
  const lines = [`Fit phase (bench/fit.mjs): one process per fit, medians of ${runs}, alternating order; CPU time of every thread (process.cpuUsage), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the start.`];
  for (const [label, file] of [['dense, 20 features', binaryFile], ['one-hot, 4 numeric + 3 categorical (22 features)', oneHot]]) {
    const results = { lbfgs: [], 'newton-cholesky': [] };
    for (let r = 0; r < runs; r++) {
      const order = r % 2 === 0 ? ['lbfgs', 'newton-cholesky'] : ['newton-cholesky', 'lbfgs'];
      for (const s of order) results[s].push(fitOnce(file, s));
    }
    const first = results.lbfgs[0];
    lines.push('', `${label}: ${first.rows} rows, ${first.features} features after encoding, ${first.threads} thread(s), L2 C = 1, tol 1e-8.`, '');
    lines.push('| solver | iterations | gradient passes | gradient+Hessian passes | fit CPU ms | CPU ms / gradient pass | CPU ms / Hessian pass | objective (C-sum) | RSS before → after fit MB | fit peak − start MB |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [s, rs] of Object.entries(results)) {
      const m = (k) => median(rs.map((x) => x[k]));
      lines.push(`| ${s} | ${m('iterations')} | ${m('gradientPasses')} | ${m('hessianPasses')} | ${m('fitCpuMs').toFixed(0)} | ${m('gradientCpuMs').toFixed(1)} | ${m('hessianCpuMs').toFixed(1)} | ${rs[0].objective.toFixed(6)} | ${m('rssBeforeMB').toFixed(0)} → ${m('rssAfterMB').toFixed(0)} | ${(m('peakAfterMB') - m('rssBeforeMB')).toFixed(0)} |`);
    }
    const a = results.lbfgs[0].theta;
    const b = results['newton-cholesky'][0].theta;
    const diff = Math.max(...a.map((v, p) => Math.abs(v - b[p])));
    lines.push('', `Largest coefficient difference between the two optima: ${diff.toExponential(1)}.`);
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = Number(arg('rows', 1000000));
  const binary = join(root, 'bench', 'data', `binary_${rows}x20.csv`);
  if (!existsSync(binary)) throw new Error(`${binary} is missing: npm run bench -- --rows ${rows} makes it`);
  console.log((await fitLines(binary, { runs: Number(arg('runs', 3)), rows })).join('\n'));
}
