#!/usr/bin/env node
// The extension host's memory across training runs, outside VS Code:
//   node bench/hostMemory.mjs [--csv F.csv] [--runs 3]
// Drives the real TrainingSession (src/host/trainingSession.ts, bundled on the fly) and the real
// worker (dist/trainWorker.js: run `node scripts/build.mjs` first) as the model panel does: one
// preview, then --runs training runs with the default settings, keeping each run's report (what the
// panel keeps). This process stands for the extension host: its RSS (process.memoryUsage.rss,
// worker threads included) is sampled every 20 ms, and so is the training process's (the session
// forks dist/trainProcess.js; --isolation thread keeps the worker in a thread of this process, as
// before issue 20); printed: idle before the first run, the peaks of each run, and 1 s and 5 s after
// each run's end; then the CLI's peak RSS on the same file (/usr/bin/time -f %M) for comparison. Default CSV: bench/data/binary_1000000x20.csv (made by
// `npm run bench -- --rows 1000000`). Figures go to docs/performance.md by hand.
// Also this process's CPU per run (process.cpuUsage from the request to the outcome: the fork, the
// IPC messages, the report's deserialization; the 20 ms sampler's reads of /proc are in it too), and
// the host's steps after the outcome, timed: `packNumbers` of the didFinishTraining message (what
// the model panel's post does) and, with `--keep array`, the run's file for the run history
// (`v8.serialize`, runStore; with the store, the store makes it SAVE_DELAY_MS later, untimed).
// The runs are kept as the panel keeps them (`--keep store`, the default): in the real RunStore
// (src/host/runStore.ts, bundled with a stub of the few vscode names it uses for file: URIs), saved
// under a temporary storage folder (deleted at the end) SAVE_DELAY_MS after each run; the store keeps
// older runs' per-class curves in their files only. `--keep array`: each report in an array of this
// process (what this benchmark did before; every curve stays in memory).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { serialize } from 'node:v8';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const csv = arg('csv', join(root, 'bench', 'data', 'binary_1000000x20.csv'));
const runs = Number(arg('runs', 3));
const isolation = arg('isolation', 'process');
const keep = arg('keep', 'store');
if (keep !== 'store' && keep !== 'array') throw new Error('--keep store|array');
const workerFile = join(root, 'dist', 'trainWorker.js');
for (const f of [csv, workerFile]) if (!existsSync(f)) throw new Error(`${f} is missing (see the header of bench/hostMemory.mjs)`);

const built = await esbuild.build({ entryPoints: [join(root, 'src/host/trainingSession.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error' });
const { TrainingSession } = await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
const { packNumbers, unpackNumbers } = await import(`data:text/javascript;base64,${Buffer.from((await esbuild.build({ entryPoints: [join(root, 'src/protocol/packNumbers.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'error' })).outputFiles[0].text).toString('base64')}`);
const { DEFAULT_SETTINGS } = await import(`data:text/javascript;base64,${Buffer.from((await esbuild.build({ entryPoints: [join(root, 'src/core/run/settings.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'error' })).outputFiles[0].text).toString('base64')}`);

// The vscode names runStore.ts uses, for file: URIs (it reads and writes those with node:fs).
const vscodeStub = `import { join } from 'node:path';
const uri = (fsPath) => ({ scheme: 'file', fsPath, path: fsPath, toString: () => 'file://' + fsPath });
export const Uri = { file: uri, joinPath: (base, ...parts) => uri(join(base.fsPath, ...parts)) };
export const workspace = { fs: {} };
export class FileSystemError extends Error {}`;
const stubVscode = { name: 'vscode-stub', setup: (b) => {
  b.onResolve({ filter: /^vscode$/ }, () => ({ path: 'vscode', namespace: 'stub' }));
  b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: vscodeStub, resolveDir: root, loader: 'js' }));
} };
const storeBuilt = await esbuild.build({ entryPoints: [join(root, 'src/host/runStore.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error', plugins: [stubVscode] });
const { RunStore, SAVE_DELAY_MS } = await import(`data:text/javascript;base64,${Buffer.from(storeBuilt.outputFiles[0].text).toString('base64')}`);
const { messageForWebview } = await import(`data:text/javascript;base64,${Buffer.from((await esbuild.build({ entryPoints: [join(root, 'src/protocol/panel.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'error' })).outputFiles[0].text).toString('base64')}`);
const storageDir = mkdtempSync(join(tmpdir(), 'logit-lab-hostmemory-'));
const store = new RunStore({ scheme: 'file', fsPath: storageDir, path: storageDir, toString: () => `file://${storageDir}` }, (m) => console.error(m));
const dataUri = { scheme: 'file', fsPath: csv, path: csv, toString: () => `file://${csv}` };

const MB = 2 ** 20;
const rss = () => process.memoryUsage.rss() / MB;
/** RSS (MB) of this process's training process(es) (children running trainProcess.js), from /proc. */
function childrenRss() {
  try {
    const pids = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((pid) => pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('trainProcess.js'));
    return pids.reduce((a, pid) => a + Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096, 0) / MB;
  } catch {
    return 0;
  }
}
let peak = 0;
let childPeak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, rss());
  childPeak = Math.max(childPeak, childrenRss());
}, 20);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(50);
  }
};

const fileName = basename(csv);
const session = new TrainingSession(workerFile, { info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) }, isolation);
await settle();
const idle = rss();
const idleHeap = process.memoryUsage();
const preview = await session.preview(csv, fileName);
if (preview.kind !== 'loaded') throw new Error(`preview failed: ${JSON.stringify(preview)}`);
const settings = { ...DEFAULT_SETTINGS, target: [preview.preview.guessedTarget] };
const reports = [];
let kept = await store.get(dataUri);
const rows = [];
/** The last run's report (the newest: the store keeps it whole), measured as JSON after all runs (not between them: that JSON would stay in the heap's size). */
let lastReport;
for (let r = 1; r <= runs; r++) {
  peak = rss();
  childPeak = 0;
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const outcome = await session.train(csv, fileName, settings);
  const cpu = process.cpuUsage(cpu0);
  if (outcome.kind !== 'finished') throw new Error(`run ${r}: ${JSON.stringify(outcome).slice(0, 300)}`);
  const ms = Date.now() - t0;
  const run = { id: r, label: `#${r}`, startedAt: new Date(t0).toISOString(), durationMs: ms, settings, report: outcome.report };
  let at = performance.now();
  // What the model panel's post does (ModelPanel.encode).
  packNumbers(messageForWebview({ type: 'didFinishTraining', run }));
  const postMs = performance.now() - at;
  // The run's file as the store makes it; timed here with --keep array only (the store writes it
  // SAVE_DELAY_MS after the run: a second serialization here would be memory the host does not use).
  let saveMs = NaN;
  if (keep === 'array') {
    at = performance.now();
    serialize({ v: 2, run });
    saveMs = performance.now() - at;
  }
  lastReport = outcome.report;
  if (keep === 'array') reports.push(outcome.report);
  // The panel's runs (TrainingController.runs): the store's list; the store saves the run after SAVE_DELAY_MS.
  else kept = await store.add(dataUri, run);
  const runPeak = peak;
  const trainPeak = childPeak;
  await sleep(1000);
  const after1 = rss();
  await sleep(4000);
  await settle();
  const after5 = rss();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  rows.push({ heapMB: heapUsed / MB, buffersMB: arrayBuffers / MB, r, ms, cpuMs: (cpu.user + cpu.system) / 1000, postMs, saveMs, runPeak, trainPeak, after1, after5, left: childrenRss() });

}
clearInterval(sampler);
session.dispose();
const reportMB = JSON.stringify(unpackNumbers(lastReport)).length / 1e6;
store.flush();
rmSync(storageDir, { recursive: true, force: true });

// /usr/bin/time writes the peak RSS (KiB) as the last line of stderr.
const timed = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, join(root, 'dist', 'cli.js'), 'train', csv], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
const cliPeak = Number(String(timed.stderr).trim().split('\n').pop()) / 1024;

const f = (v) => (Number.isFinite(v) ? v.toFixed(0) : '—');
console.log(`${fileName}, ${runs} runs, default settings, worker in a ${isolation}, runs kept in ${keep === 'store' ? `the RunStore (saved ${SAVE_DELAY_MS} ms after a run; ${kept.length} kept)` : 'an array'}; Node ${process.version}; load average ${loadavg()[0].toFixed(1)}; RSS in MB.`);
console.log(`idle JS heap / array buffers: ${f(idleHeap.heapUsed / MB)} / ${f(idleHeap.arrayBuffers / MB)} MB`);
console.log(`idle before the first run: ${f(idle)} MB; CLI peak on the same file: ${f(cliPeak)} MB; the last run's report ${reportMB.toFixed(1)} MB as JSON`);
console.log('| run | time | host CPU in the run | host after it: packNumbers / run file | host peak | training process peak | 1 s after | 5 s after | 5 s after - idle | JS heap / array buffers 5 s after | training process left |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const x of rows) console.log(`| ${x.r} | ${(x.ms / 1000).toFixed(2)} s | ${f(x.cpuMs)} ms | ${x.postMs.toFixed(1)} / ${Number.isNaN(x.saveMs) ? '—' : x.saveMs.toFixed(1)} ms | ${f(x.runPeak)} | ${isolation === 'process' ? f(x.trainPeak) : '(in the host)'} | ${f(x.after1)} | ${f(x.after5)} | ${f(x.after5 - idle)} | ${f(x.heapMB)} / ${f(x.buffersMB)} | ${f(x.left)} |`);
