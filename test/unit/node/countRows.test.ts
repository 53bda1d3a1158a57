/**
 * countPreviewRows on files larger than its 4 MB read buffer: records cut across reads, quoted line
 * breaks, a record longer than the buffer; the counts equal the full parser's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/core/data/csv';
import { previewTable } from '../../../src/core/data/preview';
import { Rng } from '../../../src/core/random';
import { countPreviewRows } from '../../../src/node/countRows';
import { previewFromFile } from '../../../src/node/loadDataset';

const dir = mkdtempSync(join(tmpdir(), 'logit-lab-count-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('countPreviewRows', () => {
  it('counts a 9 MB file with quoted line breaks and a 5 MB record as the full parser does', () => {
    const rng = new Rng(3);
    const lines = ['x,note,label'];
    for (let i = 0; i < 200_000; i++) {
      const note = rng.next() < 0.05 ? `"two\nlines, ""quoted"""` : rng.next() < 0.5 ? 'plain' : '';
      lines.push(`${rng.normal().toFixed(6)},${note},${['ant', 'bee', 'cat'][Math.floor(rng.next() * 3)]}${i % 1000 === 0 ? '\r' : ''}`);
      if (i === 100_000) lines.push(`1,"${'z'.repeat(5 << 20)}",bee`, '', '   ');
    }
    const path = join(dir, 'big.csv');
    const text = lines.join('\n') + '\n';
    writeFileSync(path, text);
    const estimate = previewFromFile(path, 'big.csv');
    expect(estimate.sample).toBeDefined();
    const counted = countPreviewRows(path, estimate);
    const whole = previewTable(parseCsv(new TextEncoder().encode(text), { fileName: 'big.csv' }), 'big.csv');
    expect(counted.nRows).toBe(whole.nRows);
    expect(counted.nRows).toBe(200_001);
    expect(counted.classBalance).toEqual(whole.classBalance);
    expect(counted.classBalance.reduce((a, b) => a + b.count, 0)).toBe(200_001);
    expect(counted.sample?.counted).toBe(true);
  });

  it('returns a whole-file preview as it is', () => {
    const path = join(dir, 'small.csv');
    writeFileSync(path, 'a,y\n1,x\n2,z\n');
    const p = previewFromFile(path, 'small.csv');
    expect(countPreviewRows(path, p)).toBe(p);
  });
});
