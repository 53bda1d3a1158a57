/** The inference section of `logit-lab train`: --json carries the tables, the text summary prints them as R does. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliSync as run } from './runCli';

const root = join(__dirname, '..', '..', '..');
const sm = JSON.parse(readFileSync(join(root, 'test/fixtures/statsmodels/inference.json'), 'utf8'));


describe('logit-lab train: inference', () => {
  const iris = join(root, 'test/fixtures/datasets/iris_vv.csv');
  it('--json holds the statsmodels table (standard errors within 1e-6)', () => {
    const r = run('train', iris, '--penalty', 'none', '--test-size', '0', '--val-size', '0', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const ref = sm.cases.iris_vv;
    expect(j.inference.available).toBe(true);
    const terms = j.inference.tables[0].blocks[0].terms;
    expect(terms.map((t: { term: string }) => t.term)).toEqual(ref.terms);
    terms.forEach((t: { se: number; p: number }, i: number) => {
      expect(Math.abs(t.se / ref.bse[i] - 1)).toBeLessThan(1e-6);
      expect(Math.abs(t.p / ref.pvalues[i] - 1)).toBeLessThan(1e-6);
    });
    expect(j.inference.tables[0].fit.aic).toBeCloseTo(ref.aic, 8);
  });
  it('the text summary prints the coefficient table and the fit statistics', () => {
    const r = run('train', iris, '--penalty', 'none', '--test-size', '0', '--val-size', '0');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/log-odds of 'virginica': 100 rows, 5 parameters/);
    expect(r.out).toMatch(/LR chi2\(4\) = 126\.7309, p < 2e-16/);
    expect(r.out).toMatch(/McFadden pseudo-R2 0\.9142, AIC 21\.8985, BIC 34\.9244/);
    expect(r.out).toMatch(/petal_length\s+9\.4294\s+4\.7372\s+1\.9905\s+0\.0465/);
  });
  it('a penalized fit prints why there is no table and how to get one', () => {
    const r = run('train', iris);
    expect(r.out).toMatch(/Inference\n {2}not shown: the fit is penalized \(L2, C = 1\).*--penalty none/);
    expect(JSON.parse(run('train', iris, '--json').out).inference.available).toBe(false);
  });
  it('a singular design names the collinear columns', () => {
    const r = run('train', join(root, 'test/fixtures/datasets/collinear.csv'), '--penalty', 'none');
    expect(r.out).toMatch(/singular: .*'color=red' = a combination of '\(intercept\)', 'color=blue', 'color=green'/);
  });
});
