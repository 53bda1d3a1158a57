/** Issue 18 item 10: a failed run says why columns were left out; thousands separators are named. */
import { describe, expect, it } from 'vitest';
import { isThousandsSeparated, withoutSeparators } from '../../../src/core/data/thousands';
import { runCli, tempDir } from './runCli';

const { file } = tempDir('logit-lab-warn-');

describe('warnings of a failed run', () => {
  it('names the excluded columns in the one-line error, in memory and streaming', async () => {
    const data = file('sep.csv', 'id,amount,y\n' + Array.from({ length: 12 }, (_, i) => `${i + 1},"${i + 1}.${String(100 + i * 37).padStart(3, '0')},${10 + i}",${i % 2}`).join('\n') + '\n');
    for (const extra of [[], ['--stream']]) {
      const r = await runCli('train', data, ...extra);
      expect(r.code).toBe(2);
      const line = r.err.trim().split('\n').pop()!;
      expect(line).toMatch(/sep\.csv: error: no usable feature columns remain: column 'id' is not used as a feature: looks like a row identifier/);
      expect(line).toMatch(/column 'amount' is not used as a feature: it holds numbers with thousands separators \('1\.100,10' at line 2\), which are read as text; save the column without them \(1100\.10\)/);
    }
  });

  it('names the format in the summary when other features remain', async () => {
    const data = file('mixed.csv', 'x,amount,y\n' + Array.from({ length: 40 }, (_, i) => `${i % 7},"${(i % 9) + 1},${String(200 + i).padStart(3, '0')}.5",${i % 2}`).join('\n') + '\n');
    const r = await runCli('train', data);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warning: column 'amount' is not used as a feature: it holds numbers with thousands separators \('1,200\.5' at line 2\)/);
  });

  it('recognizes grouped numbers and only them', () => {
    for (const v of ['4.824,14', '1,234.5', '12 345', '-1.000.000', "1'234"]) expect(isThousandsSeparated(v)).toBe(true);
    for (const v of ['1.5', '1,5', '1234', 'abc', '1,23', '1.234.5', '1,234,5']) expect(isThousandsSeparated(v)).toBe(false);
    expect(withoutSeparators('4.824,14')).toBe('4824.14');
    expect(withoutSeparators('1,234.5')).toBe('1234.5');
  });
});
