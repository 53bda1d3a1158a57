/** Issue 18 item 16: --positive-class does not change which rows land in train, validation and test. */
import { describe, expect, it } from 'vitest';
import { runCli, sample } from './runCli';

describe('--positive-class and the split', () => {
  it('splits the same rows whichever class is positive', async () => {
    const runs = [];
    for (const positive of ['no', 'yes']) {
      const r = await runCli('train', sample('binary.csv'), '--json', '--positive-class', positive);
      expect(r.code).toBe(0);
      runs.push(JSON.parse(r.out));
    }
    const [a, b] = runs;
    expect(a.classes).toEqual(['yes', 'no']);
    expect(b.classes).toEqual(['no', 'yes']);
    expect(a.data).toEqual(b.data);
    for (const s of ['train', 'validation', 'test']) {
      // The same rows with the mirrored model: the same accuracy and log-loss, the confusion matrix mirrored.
      expect(a.metrics[s].accuracy).toBe(b.metrics[s].accuracy);
      expect(a.metrics[s].logLoss).toBeCloseTo(b.metrics[s].logLoss, 9);
      const [[tn, fp], [fn, tp]] = b.metrics[s].confusion;
      expect(a.metrics[s].confusion).toEqual([[tp, fn], [fp, tn]]);
    }
    expect(a.coef[0][0]).toBeCloseTo(-b.coef[0][0], 6);
  });
});
