#!/usr/bin/env node
// Where the CLI's time goes, phase by phase (docs/performance.md, "Where the time goes"):
//   node bench/profile.mjs FILE [--split] [--interval US] [--top N] [--phases fn,fn,...] [--keep DIR]
//   (or `npm run bench:profile -- FILE`, or `npm run bench -- --profile` for both end-to-end files)
// Runs `node --cpu-prof dist/cli.js train FILE --target y --test-size 0 --val-size 0 --json` (the
// end-to-end bench's run; with --split, the CLI's default 0.7/0.1/0.2 split instead) and reads the main
// thread's profile (the biggest .cpuprofile: the loss and parse workers write their own, smaller ones).
// Each sample goes to the innermost phase function on its stack (PHASES, or --phases), "(other)" when
// none is (Node's start, GC, output); a phase nested in another (rawPrediction inside fitOutputs, when
// both are listed) takes its samples out of the outer one. Prints milliseconds and shares, the top
// functions by self time, and the worker threads' sampled time. Sampling is wall-clock based, so the
// figures carry the machine's load: the load average is printed with them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The phase functions of a training run (src/core/run/train.ts, src/cli), each with what it covers. */
export const PHASES = [
  ['loadTrainingData', 'parse: read, scan, design matrix'],
  ['fastTrainingSupport', 'column types'],
  ['tableProblem', 'dataset build'],
  ['splitRows', 'split'],
  ['oversampleSplit', 'oversampling'],
  ['expandDataset', 'feature expansion'],
  ['pointSample', 'point sample'],
  ['takeRows', 'rows of each split'],
  ['trainingRows', 'training rows'],
  ['fitPreprocessor', 'scaler fit'],
  ['fitPreprocessorOnRows', 'scaler fit (on the training rows in place)'],
  ['checkScaledRange', 'range check'],
  ['transformInPlace', 'standardize'],
  ['scaledSplits', 'splits gathered, range-checked and standardized'],
  ['prepareRun', 'prepare: the rest of it'],
  ['fitOutputs', 'fit (main thread; the loss workers are extra)'],
  ['evaluateSplits', 'evaluate: decision values, metrics, curves, reliability'],
  ['statisticalInference', 'standard errors'],
  ['pointsAndProjection', 'evaluate: points and PCA'],
  ['runLandscape', 'loss landscape (--landscape)'],
  ['assembleReport', 'report'],
  ['twoClassSoftmax', 'two-class softmax'],
  ['applyCostThreshold', 'cost threshold'],
  ['writeOutputs', 'output'],
];

/**
 * Samples of a V8 .cpuprofile by the innermost of `phases` on each sample's stack (a sample with none:
 * "(other)"), and by the sampled function itself (self time). Milliseconds from the profile's timeDeltas.
 */
export function phaseShares(profile, phases) {
  const wanted = new Set(phases);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // The phase of each node, memoized: itself when listed, else its parent's.
  const phaseOf = new Map();
  const resolve = (id) => {
    const chain = [];
    let cur = id;
    while (cur !== undefined && !phaseOf.has(cur)) {
      const fn = byId.get(cur).callFrame.functionName;
      if (wanted.has(fn)) {
        phaseOf.set(cur, fn);
        break;
      }
      chain.push(cur);
      cur = parent.get(cur);
    }
    const found = cur === undefined ? '(other)' : phaseOf.get(cur);
    for (const c of chain) phaseOf.set(c, found);
    return found;
  };
  const byPhase = new Map();
  const self = new Map();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    const phase = resolve(id);
    byPhase.set(phase, (byPhase.get(phase) ?? 0) + ms);
  });
  const sorted = (m) => [...m].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  return { totalMs, phases: sorted(byPhase), self: sorted(self), missing: phases.filter((p) => !byPhase.has(p)) };
}

/** The markdown table of phaseShares' result, with each phase's description when it has one. */
export function phaseTable(shares, labels = new Map(PHASES), top = 15) {
  const pct = (ms) => (shares.totalMs > 0 ? ((100 * ms) / shares.totalMs).toFixed(1) : '—');
  const lines = ['| phase | ms | share |', '|---|---:|---:|'];
  for (const { name, ms } of shares.phases) {
    const label = name === '(other)' ? 'start, GC, the rest (no phase function on the stack)' : `${labels.get(name) ?? name} (\`${name}\`)`;
    lines.push(`| ${label} | ${ms.toFixed(0)} | ${pct(ms)} % |`);
  }
  lines.push(`| total (main thread) | ${shares.totalMs.toFixed(0)} | 100 % |`);
  if (top > 0) {
    lines.push('', `Top ${top} functions by self time: ${shares.self.slice(0, top).map(({ name, ms }) => `${name} ${ms.toFixed(0)} ms`).join('; ')}.`);
  }
  return lines;
}

/** Runs the CLI under --cpu-prof on `file`; the main thread's shares and the other threads' sampled time. */
export function profileRun(file, { split = false, interval = 200, phases = PHASES.map(([p]) => p), keep } = {}) {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'logit-lab-prof-'));
  mkdirSync(dir, { recursive: true });
  const load = loadavg()[0];
  const args = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', String(interval), join(root, 'dist', 'cli.js'), 'train', file, '--target', 'y', ...(split ? [] : ['--test-size', '0', '--val-size', '0']), '--json'];
  try {
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`the CLI failed under --cpu-prof (exit ${r.status}): ${r.stderr.trim().split('\n').slice(0, 3).join(' ')}`);
    const profiles = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).size - statSync(a).size);
    if (profiles.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
    const main = phaseShares(JSON.parse(readFileSync(profiles[0], 'utf8')), phases);
    // A production build (`node scripts/build.mjs --production`) minifies the function names.
    if (main.missing.length === phases.length) throw new Error('no phase function on any sampled stack: dist/cli.js looks minified (a production build); run `node scripts/build.mjs` first');
    const workers = profiles.slice(1).map((p) => phaseShares(JSON.parse(readFileSync(p, 'utf8')), []).totalMs);
    return { file: file.split('/').pop(), split, interval, load: [load, loadavg()[0]], main, workers };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

export function profileLines(p, top = 15) {
  const lines = [
    `CPU profile of \`node --cpu-prof --cpu-prof-interval ${p.interval} dist/cli.js train ${p.file} --target y${p.split ? '' : ' --test-size 0 --val-size 0'} --json\` (${p.split ? 'the default 0.7/0.1/0.2 split' : 'no split'}; \`node bench/profile.mjs\`): the main thread's samples by the innermost phase function on the stack; load average (1 min) ${p.load.map((x) => x.toFixed(1)).join('-')}.`,
    '',
    ...phaseTable(p.main, undefined, top),
  ];
  if (p.workers.length) lines.push(`Other threads (loss and parse workers), sampled time each: ${p.workers.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}.`);
  if (p.main.missing.length) lines.push(`Phase functions on no sampled stack: ${p.main.missing.join(', ')}.`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = option;
  const file = process.argv[2];
  if (!file || !existsSync(file)) {
    console.error('usage: node bench/profile.mjs FILE [--split] [--interval US] [--top N] [--phases fn,fn,...] [--keep DIR]   (FILE: bench/data/binary_1000000x20.csv, which `npm run bench` generates)');
    process.exit(2);
  }
  if (!existsSync(join(root, 'dist', 'cli.js'))) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const phases = arg('phases', null)?.split(',');
  const options = { split: process.argv.includes('--split'), interval: Number(arg('interval', 200)), keep: arg('keep', undefined) };
  // --phases adds functions to the default phases (a nested one takes its samples out of the phase around it).
  if (phases) options.phases = [...PHASES.map(([fn]) => fn), ...phases];
  console.log(profileLines(profileRun(file, options), Number(arg('top', 15))).join('\n'));
}
