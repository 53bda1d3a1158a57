/** Issue 18 item 6: an identifier-like target is refused; many real classes keep the report linear in K. */
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './runCli';

const { file } = tempDir('logit-lab-classes-');

describe('many classes', () => {
  it('refuses 5,000 labels in 10,000 rows at once, naming the column', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `${(i * 7919) % 1000},${(i * 104729) % 997},c${(i * 31) % 5000}`);
    const data = file('ids.csv', 'a,b,label\n' + rows.join('\n') + '\n');
    for (const extra of [[], ['--stream'], ['--max-iter', '1']]) {
      const r = await runCli('train', data, '--target', 'label', ...extra);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n').pop()).toBe(
        "ids.csv: error: 'label' has 5,000 distinct values in 10,000 rows: is it an identifier? A target with more than 50 classes needs at least 10 rows per class on average; choose another target column",
      );
    }
  });

  it('trains 60 classes with enough rows, with per-class scores but no K x K matrix or K curves', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `${i % 60 + ((i * 13) % 7) / 10},${(i * 17) % 11},k${i % 60}`);
    const r = await runCli('train', file('sixty.csv', 'a,b,label\n' + rows.join('\n') + '\n'), '--target', 'label', '--report-json', file('sixty.json', ''), '--json', '--max-iter', '50');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.classes).toHaveLength(60);
    expect(j.metrics.train.perClass).toHaveLength(60);
    expect(j.metrics.train.confusion).toEqual([]);
    expect(j.metrics.train.accuracy).toBeGreaterThan(0);
  });
});
