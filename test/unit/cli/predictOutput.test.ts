/** Issue 18 item 9: predict neutralizes formula labels (CLI and the panel's export share predictionsCsv). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/core/data/csv';
import { runCli, tempDir } from './runCli';

const { dir, file } = tempDir('logit-lab-predict-');
const labels = ['=HYPERLINK("http://evil.invalid","x")', "+cmd|' /C calc'!A0", '@SUM(1+1)', '-1'];
const rows = Array.from({ length: 80 }, (_, i) => {
  const k = i % 4;
  return `${k * 3 + (i % 7) * 0.1},${(i % 5) * 0.2},"${labels[k].replace(/"/g, '""')}"`;
});
const data = file('labels.csv', 'x,z,label\n' + rows.join('\n') + '\n');

describe('logit-lab predict --out', () => {
  it('neutralizes formula labels, keeps numbers, and --raw keeps them raw', async () => {
    const model = join(dir, 'm.json');
    expect((await runCli('train', data, '--target', 'label', '--out', model, '--test-size', '0', '--val-size', '0')).code).toBe(0);
    const out = join(dir, 'p.csv');
    expect((await runCli('predict', model, data, '--out', out)).code).toBe(0);
    const table = parseCsv(readFileSync(out), { fileName: 'p.csv' });
    const predicted = new Set(table.columns[1]);
    expect(predicted).toEqual(new Set(["'" + labels[0], "'" + labels[1], "'" + labels[2], '-1']));
    for (const col of table.columns.slice(2)) for (const p of col) expect(Number(p)).toBeGreaterThanOrEqual(0);
    const raw = join(dir, 'raw.csv');
    expect((await runCli('predict', model, data, '--out', raw, '--raw')).code).toBe(0);
    expect(new Set(parseCsv(readFileSync(raw), { fileName: 'raw.csv' }).columns[1])).toEqual(new Set(labels));
  });
});
