/** Issue 18 item 15: a streamed run's summary describes its hash split and epochs; an underfit model is warned about. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random';
import { runCli, tempDir } from './runCli';

const { file } = tempDir('logit-lab-stream-summary-');
const rng = new Rng(11);
const data = file(
  'stream.csv',
  'a,b,y\n' +
    Array.from({ length: 20_000 }, () => {
      const a = rng.normal();
      const b = rng.normal();
      return `${a.toFixed(4)},${b.toFixed(4)},${a + 0.5 * b + 0.3 * rng.normal() > 0 ? 1 : 0}`;
    }).join('\n') +
    '\n',
);

describe('streamed run summaries', () => {
  it('names the hash split and the epochs run, not stratified and max-iter', async () => {
    const r = await runCli('train', data, '--stream', '--epochs', '3');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Split {5}train \d+, validation \d+, test \d+ \(a seeded hash of the row number, seed 0\)/);
    expect(r.out).toMatch(/Fit {7}ran 3 epochs of streaming mini-batch SGD, projected gradient/);
    expect(r.out).not.toMatch(/stratified|max-iter|stopped after/);
  });

  it('warns about an underfit streamed model, and not about a fitted one', async () => {
    const under = await runCli('train', data, '--stream', '--epochs', '1', '--learning-rate', '0.00001', '--json');
    const warned = JSON.parse(under.out).warnings.filter((w: { code: string }) => w.code === 'fit.underfit');
    expect(warned).toHaveLength(1);
    expect(warned[0].message).toMatch(/after 1 epoch the projected gradient of the whole objective is 0\.\d+, above 0\.01: .* run more epochs \(--epochs\) or raise --learning-rate/);
    const fitted = await runCli('train', data, '--stream', '--epochs', '10', '--json');
    const j = JSON.parse(fitted.out);
    expect(j.gradientNorm).toBeLessThan(0.01);
    expect(j.warnings.map((w: { code: string }) => w.code)).not.toContain('fit.underfit');
  });
});
