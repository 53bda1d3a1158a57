#!/usr/bin/env node
// Python gradient check speed (part of `npm run bench`; also `node bench/python.mjs [--runs R]`).
// Checks samples/python/softmax_homework.py: the softmax gradients of a 5 x 4 weight matrix (two
// checks, one right and one wrong; each 4 points x 40 loss evaluations) through
// `logit-lab gradcheck FILE.py`, each run a fresh Node process and a fresh Python (/usr/bin/python3
// with NumPy): everything the editor's "Check gradient" does, plus Node's own start. Goal: under
// 1 s. Also Python's start with NumPy alone.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';


const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function measurePython(runs = 5) {
  const file = join(root, 'samples/python/softmax_homework.py');
  const check = [];
  const start = [];
  for (let r = 0; r < runs; r++) {
    let t = performance.now();
    const p = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'gradcheck', file, '--python', PYTHON], { encoding: 'utf8' });
    check.push(performance.now() - t);
    // Exit 3: the sample's second gradient is wrong, as it should be.
    if (p.status !== 3) throw new Error(`the Python gradient check did not run as expected (exit ${p.status}):\n${p.stdout}${p.stderr}`);
    t = performance.now();
    spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
    start.push(performance.now() - t);
  }
  return { check: median(check), start: median(start), runs };
}

export function pythonLines(m) {
  return [
    `Python gradient check (samples/python/softmax_homework.py: two checks of a 5 x 4 weight matrix, \`logit-lab gradcheck\`; Node and Python started each run; median of ${m.runs}): ${m.check.toFixed(0)} ms (goal: under 1000 ms); of which Python's start with NumPy: ${m.start.toFixed(0)} ms.`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs');
  console.log(pythonLines(measurePython(i >= 0 ? Number(process.argv[i + 1]) : 5)).join('\n'));
}
