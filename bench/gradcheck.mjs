#!/usr/bin/env node
// Gradient checker timing (part of `npm run bench`; also `node bench/gradcheck.mjs [--runs R] [--json]`).
// The editor path: the sample homework block (samples/octave-homework/notes.md, costFunctionReg.m and
// sigmoid.m read from its folder) checked in the worker the extension uses (dist/gradcheckWorker.js),
// timed from posting the request to receiving the report. Reports the first check (worker start and
// bundle load included) and the median of warm checks. Goal: under 300 ms.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 15;
const folder = join(root, 'samples', 'octave-homework');

/** The first gradcheck block of the sample notes, with its document line. */
function sampleBlock() {
  const lines = readFileSync(join(folder, 'notes.md'), 'utf8').split('\n');
  const open = lines.findIndex((l) => l.startsWith('```gradcheck'));
  const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
  return { line: open + 2, source: lines.slice(open + 1, close).join('\n'), language: 'markdown' };
}

export async function measureGradcheck(count = runs) {
  const block = sampleBlock();
  const start = performance.now();
  const worker = new Worker(join(root, 'dist', 'gradcheckWorker.js'));
  let id = 0;
  const check = () =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const mine = ++id;
      const onMessage = (m) => {
        if (m.id !== mine) return;
        worker.off('message', onMessage);
        if (m.error) reject(new Error(m.error));
        else resolve({ ms: performance.now() - t0, report: m.report });
      };
      worker.on('message', onMessage);
      worker.postMessage({ id: mine, block, options: { seed: 0 }, folder });
    });
  const first = await check();
  const firstMs = performance.now() - start;
  const warm = [];
  let verdict = first.report.verdict;
  for (let k = 0; k < count; k++) {
    const r = await check();
    warm.push(r.ms);
    verdict = r.report.verdict;
  }
  await worker.terminate();
  warm.sort((a, b) => a - b);
  return { firstMs, medianMs: warm[Math.floor(warm.length / 2)], runs: count, verdict };
}

export function gradcheckLines(r) {
  return [
    `Gradient checker (editor path: the sample homework block, costFunctionReg.m + sigmoid.m from its folder, in the worker): ` +
      `first check ${r.firstMs.toFixed(0)} ms (worker start and bundle load included), median of ${r.runs} warm checks ${r.medianMs.toFixed(1)} ms ` +
      `(goal < 300 ms), verdict ${r.verdict}.`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await measureGradcheck();
  console.log(process.argv.includes('--json') ? JSON.stringify(r) : gradcheckLines(r).join('\n'));
}
