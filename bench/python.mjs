#!/usr/bin/env node
// Python gradient check speed (part of `npm run bench`; also `node bench/python.mjs [--runs R]`).
// Checks the softmax gradient of a 5 x 4 weight matrix (samples/python/softmax_homework.py's
// first check, 4 points x 40 loss evaluations) through `logit-lab gradcheck FILE.py`, each run a
// fresh Node process and a fresh Python (/usr/bin/python3 with NumPy): everything the editor's
// "Check gradient" does, plus Node's own start. Goal: under 1 s. Also Python's start with NumPy alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';

const FILE = `# %%
import numpy as np
rng = np.random.default_rng(0)
X = rng.normal(size=(12, 5))
y = rng.integers(0, 4, size=12)
W0 = 0.01 * rng.normal(size=(5, 4))

def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X @ W
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(num_train), y]).sum() / num_train + reg * np.sum(W * W)
    dscores = probs.copy()
    dscores[np.arange(num_train), y] -= 1
    dW = X.T @ dscores / num_train + 2 * reg * W
    return loss, dW

# %% gradcheck
check_gradient(lambda W: softmax_loss_vectorized(W, X, y, 0.1), W0)
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function measurePython(runs = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'logit-lab-bench-py-'));
  try {
    const file = join(dir, 'softmax.py');
    writeFileSync(file, FILE);
    const check = [];
    const start = [];
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      const p = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'gradcheck', file, '--python', PYTHON], { encoding: 'utf8' });
      check.push(performance.now() - t);
      if (p.status !== 0) throw new Error(`the Python gradient check failed (exit ${p.status}):\n${p.stdout}${p.stderr}`);
      t = performance.now();
      spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
      start.push(performance.now() - t);
    }
    return { check: median(check), start: median(start), runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pythonLines(m) {
  return [
    `Python gradient check (a 5 x 4 softmax weight matrix, \`logit-lab gradcheck FILE.py\`, Node and Python started each run; median of ${m.runs}): ${m.check.toFixed(0)} ms (goal: under 1000 ms); of which Python's start with NumPy: ${m.start.toFixed(0)} ms.`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs');
  console.log(pythonLines(measurePython(i >= 0 ? Number(process.argv[i + 1]) : 5)).join('\n'));
}
