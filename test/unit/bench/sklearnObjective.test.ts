/**
 * The end-to-end bench's scikit-learn peer (bench/sklearn_e2e.py) reports its objective in Logit Lab's
 * terms: its `objective` function, on fixed coefficients and data, equals LinearModelLoss's
 * sklearnObjective (the summed cross-entropy + 0.5 ||W||², C = 1) for a multinomial and a binary model.
 * Runs /usr/bin/python3 with NumPy; skipped where it is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinearModelLoss } from '../../../src/core/model/loss';
import { Rng } from '../../../src/core/random';

const PYTHON = '/usr/bin/python3';
const root = join(__dirname, '..', '..', '..');
const hasNumpy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

/** The bench's objective on X (n × d), class indices y and θ in Logit Lab's layout (blocks [W_k, b_k]). */
function pythonObjective(X: Float64Array, n: number, d: number, y: Int32Array, theta: Float64Array, rowsOut: number): number {
  const coef = Array.from({ length: rowsOut }, (_, k) => Array.from(theta.subarray(k * (d + 1), k * (d + 1) + d)));
  const intercept = Array.from({ length: rowsOut }, (_, k) => theta[k * (d + 1) + d]);
  const input = JSON.stringify({ X: Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * d, (i + 1) * d))), y: Array.from(y), coef, intercept });
  const code = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(join(root, 'bench'))})`,
    'import numpy as np',
    'from sklearn_e2e import objective',
    'a = json.load(sys.stdin)',
    "print(repr(objective(np.array(a['X']), np.array(a['y']), np.array(a['coef']), np.array(a['intercept']))))",
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', code], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

function problem(n: number, d: number, K: number, seed: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Int32Array.from({ length: n }, () => Math.floor(rng.next() * K));
  // Large enough coefficients that some scores saturate (logsumexp and logaddexp must stay exact).
  const R = K === 2 ? 1 : K;
  const theta = Float64Array.from({ length: R * (d + 1) }, (_, j) => (j % 7 === 0 ? 30 : 1.5) * rng.normal());
  return { X, y, theta, R };
}

describe.skipIf(!hasNumpy)('bench/sklearn_e2e.py objective', () => {
  it('equals Logit Lab sklearnObjective for a multinomial model', () => {
    const n = 60;
    const d = 4;
    const K = 5;
    const { X, y, theta, R } = problem(n, d, K, 7);
    const loss = new LinearModelLoss({ X, n, d, kind: 'multinomial', y, nClasses: K, penalty: 'l2', C: 1 });
    const expected = loss.sklearnObjective(theta);
    expect(Math.abs(pythonObjective(X, n, d, y, theta, R) - expected) / expected).toBeLessThan(1e-12);
  });

  it('equals Logit Lab sklearnObjective for a binary model', () => {
    const n = 50;
    const d = 3;
    const { X, y, theta, R } = problem(n, d, 2, 11);
    const loss = new LinearModelLoss({ X, n, d, kind: 'binary', y, nClasses: 2, penalty: 'l2', C: 1 });
    const expected = loss.sklearnObjective(theta);
    expect(Math.abs(pythonObjective(X, n, d, y, theta, R) - expected) / expected).toBeLessThan(1e-12);
  });
});
