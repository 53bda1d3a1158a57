/** Issue 18 item 4: values near 1.8e308 are standardized safely or refused; never "converged" with a non-finite gradient. */
import { describe, expect, it } from 'vitest';
import { fitPreprocessor } from '../../../src/core/data/preprocess';
import { runCli, tempDir } from './runCli';

const { file } = tempDir('logit-lab-extreme-');
const rows = Array.from({ length: 100 }, (_, i) => `${i === 5 ? '1e308' : ((i * 37) % 11) / 10},${((i * 53) % 17) / 10},${i % 2}`);
const data = file('big.csv', 'a,b,y\n' + rows.join('\n') + '\n');

describe('extreme values', () => {
  it('standardizes a column holding 1e308 without overflow', () => {
    const X = Float64Array.from([1e308, 0, 0, 0]);
    const p = fitPreprocessor(X, 4, 1, true);
    expect(p.mean[0] / 2.5e307).toBeCloseTo(1, 12);
    expect(p.scale[0] / ((1e308 * Math.sqrt(3)) / 4)).toBeCloseTo(1, 12);
    const two = fitPreprocessor(Float64Array.from([1.5e308, 1.5e308, -1e308, NaN]), 4, 1, true);
    expect(two.imputeMean[0] / ((2 / 3) * 1e308)).toBeCloseTo(1, 12);
    expect(Number.isFinite(two.scale[0])).toBe(true);
  });

  it('trains in memory with finite coefficients and a finite gradient', async () => {
    for (const split of [[], ['--test-size', '0', '--val-size', '0']]) {
      const r = await runCli('train', data, '--json', ...split);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.converged).toBe(true);
      expect(Number.isFinite(j.gradientNorm)).toBe(true);
      expect(j.coef[0].every(Number.isFinite)).toBe(true);
      expect(Math.abs(j.coef[0][1])).toBeGreaterThan(0);
    }
  });

  it('refuses raw units and a streamed overflow with exit 2 naming the column (and the line)', async () => {
    const raw = await runCli('train', data, '--no-standardize');
    expect(raw.code).toBe(2);
    expect(raw.err.trim()).toMatch(/^.*big\.csv:7: error: column 'a' has the value 1e\+308, which is beyond/);
    const streamed = await runCli('train', data, '--stream');
    expect(streamed.code).toBe(2);
    expect(streamed.err.trim().split('\n').pop()).toMatch(/big\.csv: error: column 'a' has values too large to standardize while streaming/);
  });
});
