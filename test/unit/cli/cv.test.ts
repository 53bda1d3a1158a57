/** `logit-lab cv`: the flags, the text table and --json, against the scikit-learn CV fixture. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliSync as run } from './runCli';

const root = join(__dirname, '..', '..', '..');
const fx = JSON.parse(readFileSync(join(root, 'test/fixtures/sklearn/cv/cv.json'), 'utf8'));

describe('logit-lab cv', () => {
  const ref = fx.cases.find((c: { name: string; scoring: string }) => c.name === 'wine3' && c.scoring === 'accuracy');
  const args = ['cv', join(root, ref.file), '--target', ref.target, '--features', ref.features.join(','), '--no-standardize', '--test-size', '0', '--val-size', '0', '--tol', '1e-10'];
  it('--json: the per-fold scores and the chosen C of LogisticRegressionCV', () => {
    const r = run(...args, '--Cs', fx.Cs.join(','), '--scoring', 'accuracy', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.Cs).toEqual(fx.Cs);
    j.scores.forEach((row: number[], f: number) => row.forEach((v, c) => expect(v).toBeCloseTo(ref.scores[f][c], 9)));
    expect(j.chosenC).toBeCloseTo(ref.C, 12);
    expect(j.path.coef).toHaveLength(fx.Cs.length);
  });
  it('the text table marks the best and the one-SE C and says how to train with it', () => {
    const r = run(...args, '--Cs', '5', '--folds', '4', '--rule', '1se');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/4 stratified folds/);
    expect(r.out).toMatch(/scoring neg_log_loss/);
    expect(r.out).toMatch(/best/);
    expect(r.out).toMatch(/1-SE/);
    expect(r.out).toMatch(/Chosen \(1se\) {4}C = .*: train with --C /);
  });
  it('bad flags are one clear message (exit 2)', () => {
    expect(run(...args, '--Cs', '0,1').code).toBe(2);
    expect(run(...args, '--Cs', '0,1').err).toMatch(/--Cs must be/);
    expect(run(...args, '--folds', '1').err).toMatch(/--folds must be an integer from 2 to 100/);
    expect(run(...args, '--scoring', 'f1').err).toMatch(/--scoring must be one of neg_log_loss, accuracy, roc_auc/);
    expect(run(...args, '--penalty', 'none').err).toMatch(/needs a penalty/);
    expect(run(...args, '--out', '/tmp/x.json').err).toMatch(/writes no model/);
  });
});
