/** Issue 18 item 17: one non-convergence warning with one figure; first-order solvers get a tolerance they reach. */
import { describe, expect, it } from 'vitest';
import { runCli, sample } from './runCli';

const warningsOf = async (...argv: string[]) => {
  const r = await runCli('train', ...argv, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.out).warnings as { code: string; message: string }[];
};

describe('convergence warnings', () => {
  it('says it once, with the summary figure, and advises standardizing only when it is off', async () => {
    const [w, ...rest] = (await warningsOf(sample('iris.csv'), '--max-iter', '5')).filter((x) => x.code === 'fit.not-converged');
    expect(rest).toEqual([]);
    expect(w.message).toMatch(/^the lbfgs solver did not converge in 5 iterations \(projected gradient [\d.]+e-\d+; it stops at 1e-8 times its starting value\); raise --max-iter or loosen --tol$/);
    expect(w.message.match(/converge/g)).toHaveLength(1);
    const raw = (await warningsOf(sample('iris.csv'), '--max-iter', '5', '--no-standardize')).find((x) => x.code === 'fit.not-converged')!;
    expect(raw.message).toMatch(/keep standardization on \(drop --no-standardize\)$/);
  });

  it('gd, sgd and minibatch converge on the bundled samples at their default tolerance', async () => {
    for (const solver of ['gd', 'sgd', 'minibatch']) {
      for (const f of ['binary.csv', 'iris.csv', 'blobs3.csv']) {
        const r = await runCli('train', sample(f), '--solver', solver, '--json');
        const j = JSON.parse(r.out);
        expect(j.converged, `${solver} on ${f}`).toBe(true);
        expect(j.model.settings.tol).toBe(1e-2);
        expect(j.warnings.map((w: { code: string }) => w.code)).not.toContain('fit.not-converged');
      }
    }
    // An explicit tolerance is kept.
    expect(JSON.parse((await runCli('train', sample('binary.csv'), '--solver', 'gd', '--tol', '1e-3', '--json')).out).model.settings.tol).toBe(1e-3);
  });
});
