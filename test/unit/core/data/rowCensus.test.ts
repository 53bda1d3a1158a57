/**
 * The whole-file count behind a sampled preview (issue 20, "exact numbers right after loading"): the
 * census's row count and class balances equal the full parser's (parseCsv + previewTable on the
 * whole file), on files with quoting, line-ending, blank-line, BOM, encoding and padding edge cases,
 * cut into chunks at every byte.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { previewTable, type DataPreview } from '../../../../src/core/data/preview';
import { countedPreview, rowCounterFor, type RowCounter } from '../../../../src/core/data/rowCensus';
import { Rng } from '../../../../src/core/random';

const enc = (s: string) => new TextEncoder().encode(s);

/** The census over `bytes` pushed in chunks of `size` bytes. */
function census(bytes: Uint8Array, preview: DataPreview, size: number) {
  const counter = rowCounterFor(preview);
  for (let i = 0; i < bytes.length; i += size) counter.push(bytes.subarray(i, i + size));
  return counter.finish();
}

/** What the full parser says: rows and every candidate target's balance. */
function truth(bytes: Uint8Array) {
  const p = previewTable(parseCsv(bytes, { fileName: 'f.csv' }), 'f.csv');
  return { p, nRows: p.nRows, balances: p.targetBalances };
}

function balancesOf(c: ReturnType<RowCounter['finish']>, p: DataPreview) {
  return countedPreview({ ...p, sample: { bytes: 1, fileBytes: 2 } }, c).targetBalances;
}

const CASES: Record<string, string> = {
  plain: 'a,b,y\n1,2,x\n3,4,z\n5,6,x\n7,8,x\n',
  'no final newline': 'a,b,y\n1,2,x\n3,4,z\n5,6,x',
  crlf: 'a,b,y\r\n1,2,x\r\n3,4,z\r\n5,6,x\r\n',
  'lone CR': 'a,b,y\r1,2,x\r3,4,z\r5,6,z\r',
  'blank and all-space lines': 'a,b,y\n\n1,2,x\n   \n3,4,z\r\n\r\n5,6,x\n\n\n',
  bom: '\ufeffa,b,y\n1,2,x\n3,4,z\n',
  'quoted cells with delimiters, line breaks and doubled quotes': 'a,note,y\n1,"x, y\nz",p\n2,"say ""hi""\r\nthere",q\n3,plain,"p"\n4,"",  q  \n5," r ",p\n',
  'quoted target with a quote inside': 'a,y\n1,"a""b"\n2,"a""b"\n3,c\n',
  'padded cells and missing labels': 'a,y\n1,  x \n2,\n3,x\n4,   \n5,NA\n6,y\n',
  'tab delimited, tabs are not pads': 'a\tb\ty\n1\t2\tx\n3\t\tz\n5\t6\tx\n',
  'semicolon with decimal commas': 'a;b;y\n1,5;2;x\n3,25;4;z\n',
  'unicode labels': 'a,y\n1,café\n2,naïve\n3,café\n4,日本\n',
};

describe('RowCounter', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`counts rows and class balances as the full parser does: ${name}`, () => {
      const bytes = enc(text);
      const t = truth(bytes);
      for (const size of [1, 2, 3, 5, 7, 64, bytes.length]) {
        const c = census(bytes, t.p, size);
        expect(c.nRows, `chunks of ${size}`).toBe(t.nRows);
        expect(balancesOf(c, t.p), `chunks of ${size}`).toEqual(t.balances);
      }
    });
  }

  it('reads Windows-1252 labels as the parser decodes them', () => {
    const bytes = Uint8Array.from([...enc('a,y\n1,caf'), 0xe9, ...enc('\n2,x\n3,caf'), 0xe9, ...enc('\n4,'), 0x80, ...enc('\n')]);
    const t = truth(bytes);
    expect(t.p.encoding).toBe('windows-1252');
    const c = census(bytes, t.p, 3);
    expect(c.nRows).toBe(4);
    expect(balancesOf(c, t.p)).toEqual(t.balances);
    expect(balancesOf(c, t.p).y).toEqual([{ label: 'café', count: 2 }, { label: 'x', count: 1 }, { label: '€', count: 1 }]);
  });

  it('drops a column whose labels pass 50 distinct values in the whole file (no class balance, as in the preview)', () => {
    const rows = ['id,y'];
    for (let i = 0; i < 200; i++) rows.push(`${i % 60},${i % 2}`);
    const text = rows.join('\n') + '\n';
    // A sample where `id` has 40 distinct values: a candidate target there, not in the whole file.
    const sample = previewTable(parseCsv(enc(rows.slice(0, 41).join('\n') + '\n'), { fileName: 'f.csv' }), 'f.csv', undefined, { bytes: 100, fileBytes: text.length });
    expect(Object.keys(sample.targetBalances).sort()).toEqual(['id', 'y']);
    const counted = countedPreview(sample, census(enc(text), sample, 17));
    expect(counted.nRows).toBe(200);
    expect(counted.targetBalances).toEqual({ y: [{ label: '0', count: 100 }, { label: '1', count: 100 }] });
    expect(counted.sample).toEqual({ bytes: 100, fileBytes: text.length, counted: true });
    expect(counted.warnings.find((w) => w.code === 'preview.sampled')?.message).toMatch(/counted over the whole file/);
  });

  it('replaces a sampled estimate with the exact counts of a random file', () => {
    const rng = new Rng(5);
    const rows = ['x1,x2,label'];
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 5000; i++) {
      const label = (['a', 'b', 'c'] as const)[Math.floor(rng.next() * (i < 1000 ? 2 : 3))];
      counts[label]++;
      rows.push(`${rng.normal().toFixed(4)},${rng.normal().toFixed(4)},${label}${rng.next() < 0.1 ? '\n' : ''}`);
    }
    const text = rows.join('\n') + '\n';
    const head = rows.slice(0, 800).join('\n') + '\n';
    const sample = previewTable(parseCsv(enc(head), { fileName: 'f.csv' }), 'f.csv', undefined, { bytes: head.length, fileBytes: text.length });
    // The sample saw two classes; the whole file has three.
    expect(sample.classBalance.map((b) => b.label)).toEqual(['a', 'b']);
    const counted = countedPreview(sample, census(enc(text), sample, 4096));
    expect(counted.nRows).toBe(5000);
    expect(counted.classBalance).toEqual([{ label: 'a', count: counts.a }, { label: 'b', count: counts.b }, { label: 'c', count: counts.c }]);
  });
});
