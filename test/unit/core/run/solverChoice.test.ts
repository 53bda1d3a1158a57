/**
 * The solver 'auto' chooses by the problem's shape (chooseSolver), and a run says which and why:
 * newton-cholesky for binary outputs (binary, one-vs-rest, multilabel) with L2 or no penalty, one-hot
 * encoded categories among at most AUTO_NEWTON_MAX_FEATURES features and at least
 * AUTO_NEWTON_ROWS_PER_PARAMETER rows per parameter; lbfgs otherwise (dense numeric features too); an explicit solver is kept. The automatic newton-cholesky run reaches lbfgs's optimum.
 */
import { describe, expect, it } from 'vitest';
import { AUTO_NEWTON_MAX_FEATURES, AUTO_NEWTON_ROWS_PER_PARAMETER, chooseSolver, DEFAULT_SETTINGS } from '../../../../src/core/run/settings';
import { trainFromBytes } from '../../../../src/core/run/train';
import { Rng } from '../../../../src/core/random';

describe('chooseSolver', () => {
  const shape = { rows: 100_000, features: 20, oneHotFeatures: 12, binaryOutputs: true };
  it("is 'auto' by default", () => expect(DEFAULT_SETTINGS.solver).toBe('auto'));
  it('picks newton-cholesky when the rows dwarf a few features, binary, L2 or none', () => {
    for (const penalty of ['l2', 'none'] as const) {
      const c = chooseSolver({ solver: 'auto', penalty }, shape);
      expect(c.solver).toBe('newton-cholesky');
      expect(c.reason).toBe('newton-cholesky, chosen automatically: 100,000 training rows ≫ 20 features, 12 of them one-hot, so a few Newton steps (each one pass over the rows with the 21×21 Hessian) beat L-BFGS\'s many.');
    }
    expect(chooseSolver({ solver: 'auto', penalty: 'l2' }, { ...shape, rows: AUTO_NEWTON_ROWS_PER_PARAMETER * 21 }).solver).toBe('newton-cholesky');
    expect(chooseSolver({ solver: 'auto', penalty: 'l2' }, { ...shape, rows: 1e7, features: AUTO_NEWTON_MAX_FEATURES }).solver).toBe('newton-cholesky');
  });
  it('picks lbfgs otherwise, saying why', () => {
    const lbfgs = (s: Parameters<typeof chooseSolver>[0], sh: Parameters<typeof chooseSolver>[1]) => {
      const c = chooseSolver(s, sh);
      expect(c.solver).toBe('lbfgs');
      return c.reason;
    };
    expect(lbfgs({ solver: 'auto', penalty: 'l1' }, shape)).toBe('lbfgs, chosen automatically: the L1 penalty needs OWL-QN.');
    expect(lbfgs({ solver: 'auto', penalty: 'elasticnet' }, shape)).toMatch(/elastic-net penalty/);
    expect(lbfgs({ solver: 'auto', penalty: 'l2' }, { ...shape, binaryOutputs: false })).toMatch(/multinomial model/);
    expect(lbfgs({ solver: 'auto', penalty: 'l2' }, { ...shape, oneHotFeatures: 0 })).toMatch(/the features are numeric/);
    expect(lbfgs({ solver: 'auto', penalty: 'l2' }, { ...shape, features: AUTO_NEWTON_MAX_FEATURES + 1 })).toMatch(/49 features is past 48/);
    expect(lbfgs({ solver: 'auto', penalty: 'l2' }, { ...shape, rows: AUTO_NEWTON_ROWS_PER_PARAMETER * 21 - 1 })).toMatch(/1,049 training rows are fewer than 50 per parameter/);
  });
  it('keeps an explicit solver', () => {
    expect(chooseSolver({ solver: 'gd', penalty: 'l2' }, shape)).toEqual({ solver: 'gd', reason: 'gd, as set.' });
    expect(chooseSolver({ solver: 'newton-cholesky', penalty: 'l2' }, { ...shape, binaryOutputs: false }).solver).toBe('newton-cholesky');
  });
});

/** d numeric columns and one categorical column of 5 levels (two rare); y from both. */
function csv(n: number, d: number, classes: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const effect = [0.8, -0.6, 0.1, 2, -2];
  const lines = [[...Array.from({ length: d }, (_, j) => `x${j}`), 'colour', 'y'].join(',')];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: d }, () => rng.normal());
    const u = rng.next();
    const level = u < 0.02 ? 3 : u < 0.04 ? 4 : Math.floor(((u - 0.04) / 0.96) * 3);
    const z = 0.3 + effect[level] + x.reduce((s, v, j) => s + v * (j % 2 ? 0.7 : -0.4), 0) + rng.normal();
    const y = classes === 2 ? (z > 0 ? 1 : 0) : Math.min(classes - 1, Math.max(0, Math.floor(z + classes / 2)));
    lines.push([...x.map((v) => v.toFixed(6)), `c${level}`, `k${y}`].join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

describe('a run with the solver left on auto', () => {
  it('fits a tall binary problem with newton-cholesky, says why, and reaches the lbfgs optimum', () => {
    const bytes = csv(3000, 4, 2, 5);
    const auto = trainFromBytes(bytes, { target: ['y'] }, { fileName: 'tall.csv' });
    expect(auto.convergence.solver).toBe('newton-cholesky');
    expect(auto.model.training.solver).toBe('newton-cholesky');
    expect(auto.convergence.solverReason).toMatch(/^newton-cholesky, chosen automatically: 2,100 training rows ≫ 9 features, 5 of them one-hot/);
    expect(auto.convergence.converged).toBe(true);
    const lbfgs = trainFromBytes(bytes, { target: ['y'], solver: 'lbfgs' }, { fileName: 'tall.csv' });
    expect(lbfgs.convergence.solverReason).toBe('lbfgs, as set.');
    expect(auto.convergence.iterations).toBeLessThan(lbfgs.convergence.iterations);
    expect(Math.abs(auto.convergence.objective - lbfgs.convergence.objective)).toBeLessThanOrEqual(1e-9 * lbfgs.convergence.objective);
  });

  it('fits dense numeric features with lbfgs', () => {
    const r = trainFromBytes(csv(3000, 4, 2, 5), { target: ['y'], features: ['x0', 'x1', 'x2', 'x3'] }, { fileName: 'tall.csv' });
    expect(r.convergence.solver).toBe('lbfgs');
    expect(r.convergence.solverReason).toMatch(/the features are numeric/);
  });

  it('fits a multinomial problem with lbfgs', () => {
    const r = trainFromBytes(csv(3000, 4, 3, 6), { target: ['y'] }, { fileName: 'three.csv' });
    expect(r.convergence.solver).toBe('lbfgs');
    expect(r.convergence.solverReason).toMatch(/multinomial model/);
  });

  it('fits one-vs-rest outputs with newton-cholesky', () => {
    const r = trainFromBytes(csv(3000, 4, 3, 7), { target: ['y'], model: 'ovr' }, { fileName: 'three.csv' });
    expect(r.convergence.solver).toBe('newton-cholesky');
    expect(r.convergence.converged).toBe(true);
  });
});
