import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { RowScanner } from '../../../../src/core/data/csvScan';
import { FastCsvParser, type FastTable } from '../../../../src/core/data/fastCsv';
import { Rng } from '../../../../src/core/random';
import { CSV_SCAN_WASM_BASE64 } from '../../../../src/core/wasm/csv.generated';
// @ts-expect-error: the generator is plain JavaScript (scripts/wasm/csv.mjs), run by node.
import { csvGeneratedSource, csvWasm } from '../../../../scripts/wasm/csv.mjs';

const encoder = new TextEncoder();

function bits(v: number): bigint {
  return new BigUint64Array(Float64Array.of(v).buffer)[0];
}

/** Runs the scanner over `text` (complete lines) from offset 0; rows, stop and the values. */
function scanText(text: string, width: number, options: { delimiter?: string; tabPad?: boolean; maxRows?: number; kinds?: Uint8Array } = {}) {
  const scanner = RowScanner.forThread()!;
  const bytes = encoder.encode(text);
  scanner.load(bytes, 0, bytes.length, options.kinds ?? new Uint8Array(width).fill(1));
  const out = new Float64Array(4096 * width).fill(-7);
  const rows = scanner.scan(0, (options.delimiter ?? ',').charCodeAt(0), options.tabPad ?? true, options.maxRows ?? 4096, out, 0);
  const spans = Array.from({ length: rows }, (_, i) => Array.from({ length: width }, (_, j) => (options.kinds?.[j] === 0 ? scanner.spanStart(i, j) : -1)));
  return { rows, stop: scanner.stop, full: scanner.full, values: Array.from(out.subarray(0, rows * width)), spans };
}

function parse(bytes: Uint8Array, chunk: number, scanner: boolean): FastTable {
  const parser = new FastCsvParser({ fileName: 'f.csv', scanner });
  for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk));
  const result = parser.finish();
  if ('fallback' in result) throw new Error(result.fallback);
  return result;
}

function sameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (bits(a[i]) !== bits(b[i])) throw new Error(`value ${i}: ${a[i]} vs ${b[i]}`);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('RowScanner (WebAssembly)', () => {
  it('is assembled from its generator, and available on this runtime', async () => {
    const source = csvGeneratedSource(await csvWasm());
    const generated = source.split('export const CSV_SCAN_WASM_BASE64 =')[1].split(';')[0].match(/'([^']*)'/g).map((q: string) => q.slice(1, -1)).join('');
    expect(CSV_SCAN_WASM_BASE64).toBe(generated);
    expect(RowScanner.forThread()).not.toBeNull();
  });

  it('reads rows of numbers as Number() does, bit for bit, with pads, signs, exponents and empty fields', () => {
    const cells = ['0', '-0', '+0', '.5', '5.', '-.5', '+5.', '1e5', '1E+05', '1e-5', '00012', '12345678.12345678', '0.1', '-0.3000000000000004',
      '123456789012345', '9007199254740991', '1e22', '-1.5e-21', '8.5e22', '123456789012345e-22', '0e999', ' 3.25 ', '\t-4\t', '', '4503599627370495', '0.000000000000000001'];
    const text = cells.map((c, i) => `${c},${i}`).join('\n') + '\n';
    const { rows, stop, values } = scanText(text, 2);
    expect(rows).toBe(cells.length);
    expect(stop).toBe(encoder.encode(text).length);
    cells.forEach((c, i) => {
      const want = c.trim() === '' ? NaN : Number(c.trim());
      expect(bits(values[2 * i])).toBe(bits(want));
      expect(values[2 * i + 1]).toBe(i);
    });
  });

  const stops: [string, string][] = [
    ['a mantissa past 2^53', '9007199254740993'],
    ['20 digits', '12345678901234567890'],
    ['a decimal exponent past 22', '1e23'],
    ['a tiny exponent', '1.5e-23'],
    ['an exponent of 7 digits', '1e0000001'],
    ['an exponent without digits', '1e'],
    ['a missing token', 'NA'],
    ['a sign alone', '-'],
    ['a point alone', '.'],
    ['text after a number', '1.5x'],
    ['infinity', 'inf'],
    ['a quote', '"1"'],
  ];
  for (const [name, cell] of stops) {
    it(`stops before the row with ${name}, leaving it to the parser`, () => {
      const text = `1,2\n3,4\n${cell},5\n6,7\n`;
      const { rows, stop, values } = scanText(text, 2);
      expect(rows).toBe(2);
      expect(values).toEqual([1, 2, 3, 4]);
      expect(stop).toBe(8);
    });
  }

  it('leaves text fields to the caller: their offsets after leading pads, a 0 in their slots', () => {
    const kinds = Uint8Array.of(0, 1, 0);
    const r = scanText('ab,1, c d \n,2,\u00e9\n', 3, { kinds });
    expect(r).toMatchObject({ rows: 2, values: [0, 1, 0, 0, 2, 0] });
    expect(r.spans).toEqual([[0, -1, 6], [11, -1, 14]]);
    // A quote, or an empty first text field ending the line (a blank line), is the caller's.
    expect(scanText('a,1,b\n"a",1,b\n', 3, { kinds })).toMatchObject({ rows: 1, stop: 6 });
    expect(scanText('a\n  \nb\n', 1, { kinds: Uint8Array.of(0) })).toMatchObject({ rows: 1, stop: 2 });
  });

  it('stops before a blank line, a ragged row, a lone last CR, and at maxRows', () => {
    expect(scanText('1,2\n  \n3,4\n', 2)).toMatchObject({ rows: 1, stop: 4 });
    expect(scanText('1,2\n3\n', 2)).toMatchObject({ rows: 1, stop: 4 });
    expect(scanText('1,2\n3,4,5\n', 2)).toMatchObject({ rows: 1, stop: 4 });
    expect(scanText('1,2\r\n3,4\r', 2)).toMatchObject({ rows: 1, stop: 5 });
    expect(scanText('1,2\r3,4\r\n5,6\n', 2)).toMatchObject({ rows: 3, stop: 13, values: [1, 2, 3, 4, 5, 6] });
    expect(scanText('1,2\n3,4\n5,6\n', 2, { maxRows: 2 })).toMatchObject({ rows: 2, stop: 8 });
    // One column: a blank line is not a missing value.
    expect(scanText('1\n\n2\n', 1)).toMatchObject({ rows: 1, stop: 2 });
    // Tabs are pads unless they delimit.
    expect(scanText('1\t2\n3\t 4\n', 2, { delimiter: '\t', tabPad: false })).toMatchObject({ rows: 2, values: [1, 2, 3, 4] });
    expect(scanText('1;\t2\t\n', 2, { delimiter: ';' })).toMatchObject({ rows: 1, values: [1, 2] });
  });
});

describe('FastCsvParser with the scanner', () => {
  /** A file of numbers in many forms, with blank lines, pads, missing and infinite cells, and lines the scanner leaves. */
  function numbersFile(seed: number, lineBreak: string): Uint8Array {
    const random = new Rng(seed);
    const next = () => random.next();
    const cell = (): string => {
      const u = next();
      if (u < 0.002) return ['NA', '', 'inf', '-1e400', '1e23', '9007199254740993', '123456789012345678901', '.'][Math.floor(next() * 8)];
      if (u < 0.05) return ` ${(next() * 100 - 50).toFixed(Math.floor(next() * 6))}\t`;
      if (u < 0.1) return (next() * 10 ** (Math.floor(next() * 40) - 20)).toPrecision(1 + Math.floor(next() * 17));
      if (u < 0.15) return `${Math.floor(next() * 1e6)}e${Math.floor(next() * 50) - 25}`;
      return (next() * 200 - 100).toFixed(1 + Math.floor(next() * 9));
    };
    const lines = ['a,b,c,d,e'];
    for (let i = 0; i < 6000; i++) lines.push(i % 997 === 500 ? '' : Array.from({ length: 5 }, cell).join(','));
    return encoder.encode(lines.join(lineBreak) + lineBreak);
  }

  for (const [name, lineBreak] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const) {
    it(`gives the JavaScript byte parser's and the general parser's table, bit for bit, for every chunk size (${name})`, () => {
      const bytes = numbersFile(name.length, lineBreak);
      const scan = vi.spyOn(RowScanner.prototype, 'scan');
      const reference = parse(bytes, bytes.length, false);
      expect(scan).not.toHaveBeenCalled();
      const general = parseCsv(bytes, { fileName: 'f.csv' });
      expect(reference.nRows).toBe(general.nRows);
      for (const chunk of [bytes.length, 65536, 8191, 4999]) {
        scan.mockClear();
        const fast = parse(bytes, chunk, true);
        // The scanner took most rows (the prefix and the lines it leaves are the parser's).
        const scanned = scan.mock.results.reduce((n, r) => n + (r.value as number), 0);
        expect(scanned).toBeGreaterThan(3000);
        expect(fast.nRows).toBe(reference.nRows);
        expect(Array.from(fast.rowLines)).toEqual(Array.from(general.rowLines));
        sameBits(fast.values, reference.values);
        expect(fast.columns).toEqual(reference.columns);
      }
    });
  }

  it('reads text columns through the parser\'s own cell rules (codes, levels, pads, UTF-8, empty cells)', () => {
    const kinds = ['red', ' blue ', 'café', '', 'NA', 'ünïcödé', 'a b', 'x\ty'];
    const lines = ['kind,x,label'];
    for (let i = 0; i < 5000; i++) lines.push(i % 1234 === 700 ? '   ' : `${kinds[(i * 7) % kinds.length]},${(i * 0.37).toFixed(3)},${i % 3 === 0 ? 'yes' : 'no'}`);
    const bytes = encoder.encode(lines.join('\r\n') + '\r\n');
    const scan = vi.spyOn(RowScanner.prototype, 'scan');
    const reference = parse(bytes, bytes.length, false);
    for (const chunk of [bytes.length, 8191]) {
      scan.mockClear();
      const fast = parse(bytes, chunk, true);
      expect(scan.mock.results.reduce((n, r) => n + (r.value as number), 0)).toBeGreaterThan(3900);
      expect(fast.columns).toEqual(reference.columns);
      expect(Array.from(fast.rowLines)).toEqual(Array.from(reference.rowLines));
      sameBits(fast.values, reference.values);
    }
    const general = parseCsv(bytes, { fileName: 'f.csv' });
    const column = reference.columns[0] as { codes: Int32Array; levels: string[] };
    expect(Array.from(column.codes, (c) => column.levels[c])).toEqual(general.columns[0]);
  });

  it('leaves to the parser a file with a decimal comma', () => {
    const scan = vi.spyOn(RowScanner.prototype, 'scan');
    const comma = Array.from({ length: 3000 }, (_, i) => `${i},5;${i}`);
    const table = parse(encoder.encode('x;y\n' + comma.join('\n') + '\n'), 1 << 16, true);
    expect(table.decimalComma).toBe(true);
    expect(scan).not.toHaveBeenCalled();
  });

  it('falls back with the byte parser\'s reasons on rows the scanner leaves', () => {
    const head = 'x,y,z\n' + Array.from({ length: 1100 }, (_, i) => `${i},${i % 3},${i % 5}`).join('\n') + '\n';
    for (const [tail, reason] of [
      ['1,2\n', 'ragged row at line 1102'],
      ['1,"2",3\n', 'quote at line 1102'],
      ['1,oops,3\n', `text 'oops' at line 1102 in column "y", which is numeric in the first rows`],
    ]) {
      const parser = new FastCsvParser({ fileName: 'f.csv' });
      parser.push(encoder.encode(head + '4,5,6\n'.repeat(2000) + tail + '4,5,6\n'.repeat(2000)));
      expect(parser.finish()).toEqual({ fallback: reason.replace('1102', '3102') });
    }
    // In a text column, the scanner's rows meet textField's checks.
    const text = 'x,name\n' + Array.from({ length: 1100 }, (_, i) => `${i},n${i % 9}`).join('\n') + '\n' + '1,a\n'.repeat(2000);
    for (const [tail, reason] of [
      ['1,"b"\n', 'quote at line 3102'],
      ['1,b\u0001c\n', 'control byte 0x01 at line 3102'],
    ]) {
      const parser = new FastCsvParser({ fileName: 'f.csv' });
      parser.push(encoder.encode(text + tail + '1,a\n'.repeat(2000)));
      expect(parser.finish()).toEqual({ fallback: reason });
    }
    const invalid = new FastCsvParser({ fileName: 'f.csv' });
    invalid.push(Uint8Array.from([...encoder.encode(text + '1,caf'), 0xe9, 0x0a, ...encoder.encode('1,a\n'.repeat(2000))]));
    expect(invalid.finish()).toEqual({ fallback: 'non-UTF-8 byte at line 3102' });
  });
});
