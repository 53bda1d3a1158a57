/** Issue 16 §4 in the CLI: --perceptron prints the perceptron's accuracy beside the logistic model's and its one ROC point; --json carries it. */
import { describe, expect, it } from 'vitest';
import { runCli, sample } from './runCli';

describe('train --perceptron', () => {
  it('summary: epochs, accuracy per split beside the logistic model, the single ROC point', async () => {
    const r = await runCli('train', sample('circles.csv'), '--perceptron');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Perceptron \(scikit-learn Perceptron, shuffle=False, same split\): \d+ epochs/);
    expect(r.out).toMatch(/accuracy {2}train 0\.\d{4} \(logistic 0\.\d{4}\), validation 0\.\d{4} \(logistic 0\.\d{4}\), test 0\.\d{4} \(logistic 0\.\d{4}\)/);
    expect(r.out).toMatch(/no probabilities: its ROC is one point \(test: FPR 0\.\d{4}, TPR 0\.\d{4}\), no log-loss, no calibration/);
  });

  it('--json has the perceptron; without the flag there is none', async () => {
    const withIt = JSON.parse((await runCli('train', sample('iris.csv'), '--perceptron', '--json')).out);
    // iris: 3 classes, one-vs-rest: 3 rows of 4 coefficients; no ROC point for a multiclass target.
    expect(withIt.perceptron.coefStandardized).toHaveLength(3);
    expect(withIt.perceptron.coef[0]).toHaveLength(4);
    expect(withIt.perceptron.splits.test.n).toBe(withIt.data.test);
    expect(withIt.perceptron.splits.test.rocPoint).toBeUndefined();
    const plain = await runCli('train', sample('iris.csv'), '--json');
    expect(JSON.parse(plain.out).perceptron).toBeUndefined();
  });
});
