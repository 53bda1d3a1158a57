import { describe, expect, it } from 'vitest';
import { parseCsv, parseNumber, type CsvTable } from '../../../../src/core/data/csv';
import { FastCsvParser, type FastCsvResult, type FastTable } from '../../../../src/core/data/fastCsv';
import { Rng } from '../../../../src/core/random';

const encoder = new TextEncoder();

/** Pushes bytes in chunks of `size` (whole when omitted) and finishes. */
function parseFast(bytes: Uint8Array, size = bytes.length || 1, options: { sizeHint?: number } = {}): FastCsvResult {
  const parser = new FastCsvParser({ fileName: 'f.csv', ...options });
  for (let i = 0; i < bytes.length; i += size) {
    // A copy that is then scribbled over: the parser must not keep references to pushed chunks.
    const chunk = bytes.slice(i, i + size);
    parser.push(chunk);
    chunk.fill(0x41);
  }
  return parser.finish();
}

function fastTable(bytes: Uint8Array, size?: number): FastTable {
  const result = parseFast(bytes, size);
  if ('fallback' in result) throw new Error(`unexpected fallback: ${result.fallback}`);
  return result;
}

/** Uniform numbers in [0, 1) from the core's seeded generator. */
function rng(seed: number): () => number {
  const random = new Rng(seed);
  return () => random.next();
}

/** The float64 bit pattern, so -0/0 and NaN payloads count. */
function bits(v: number): bigint {
  return new BigUint64Array(Float64Array.of(v).buffer)[0];
}

/** Checks the fast table holds exactly what the general parser holds, cell by cell. */
function expectSameAsGeneral(fast: FastTable, general: CsvTable): void {
  expect(fast.header).toEqual(general.header);
  expect(fast.nRows).toBe(general.nRows);
  expect(Array.from(fast.rowLines)).toEqual(Array.from(general.rowLines));
  expect(fast.delimiter).toBe(general.delimiter);
  expect(fast.decimalComma).toBe(general.decimalComma);
  expect(fast.warnings).toEqual(general.warnings);
  const width = general.header.length;
  general.columns.forEach((cells, j) => {
    const column = fast.columns[j];
    for (let i = 0; i < general.nRows; i++) {
      if (column.kind === 'dictionary') {
        expect(column.levels[column.codes[i]]).toBe(cells[i]);
      } else {
        const got = fast.values[i * width + j];
        const want = parseNumber(cells[i], general.decimalComma);
        if (bits(got) !== bits(want)) throw new Error(`row ${i} column ${j}: '${cells[i]}' gave ${got}, want ${want}`);
        if (!Number.isFinite(want) && !Number.isNaN(want)) expect(column.infiniteTexts.get(i)).toBe(cells[i]);
      }
    }
  });
}

/** Filler rows so that the cells after them go through the byte path, not the prefix. */
function filler(width: number, rows = 1100): string {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: width }, (_, j) => String((i * 7 + j) % 13)).join(',')).join('\n') + '\n';
}

function digits(next: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(next() * 10));
  return s;
}

/** A number in one of many textual forms. */
function randomNumberText(next: () => number): string {
  const sign = ['', '', '-', '+'][Math.floor(next() * 4)];
  const pad = () => (next() < 0.1 ? ' '.repeat(1 + Math.floor(next() * 2)) : '');
  let body: string;
  switch (Math.floor(next() * 6)) {
    case 0:
      body = digits(next, 1 + Math.floor(next() * 20));
      break;
    case 1:
      body = `${digits(next, Math.floor(next() * 8))}.${digits(next, 1 + Math.floor(next() * 20))}`;
      break;
    case 2:
      body = `${digits(next, 1 + Math.floor(next() * 17))}e${['', '+', '-'][Math.floor(next() * 3)]}${Math.floor(next() * 331)}`;
      break;
    case 3:
      body = `${digits(next, 1 + Math.floor(next() * 3))}.${digits(next, Math.floor(next() * 14))}E-${Math.floor(next() * 25)}`;
      break;
    case 4:
      body = (next() * 10 ** (Math.floor(next() * 40) - 20)).toPrecision(1 + Math.floor(next() * 17));
      break;
    default:
      body = String(Math.floor(next() * 1e6) / 1000);
  }
  return pad() + sign + body + pad();
}

const SPECIAL = [
  '0', '-0', '+0', '-0.0', '0e999', '-0e-999', '.5', '5.', '-.5', '+5.', '1e5', '1E+05', '1e-5', '00012', '0.000000000000000000000001',
  '4.9e-324', '5e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '2.2250738585072011e-308', '2.2250738585072014e-308',
  '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308', '1e309', '-1e400', '9007199254740993', '9007199254740992.5',
  '9007199254740993.0000000001', '0.1', '0.30000000000000004', '123456789012345', '1234567890123456', '999999999999999.9', '1e22', '1e23',
  '1.5e-22', '1.5e-23', '8.5e22', '123456789012345e-22', '123456789012345e7', 'inf', '-Infinity', 'INF',
];

describe('FastCsvParser numbers', () => {
  it('gives the general parser\'s values bit for bit, for random and special numbers in many forms', () => {
    const next = rng(7);
    const cells = [...SPECIAL, ...Array.from({ length: 20000 }, () => randomNumberText(next))];
    const text = 'x,y\n' + filler(2) + cells.map((c, i) => `${c},${SPECIAL[i % SPECIAL.length]}`).join('\n') + '\n';
    const bytes = encoder.encode(text);
    const fast = fastTable(bytes);
    const general = parseCsv(bytes, { fileName: 'f.csv' });
    expectSameAsGeneral(fast, general);
    // parseNumber itself equals Number() on plain decimal syntax.
    for (const c of cells) {
      const t = c.trim();
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) expect(bits(parseNumber(c, false))).toBe(bits(Number(t)));
    }
  });

  it('gives Number(text) bit for bit for generated decimal strings around the fast path\'s limits', () => {
    const next = rng(11);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const texts = [
      '0', '-0', '+0', '-0.0', '-.0', '+.5', '.5', '5.', '-5.', '+5', '-0e5', '0.0e-30', '9007199254740991', '9007199254740992',
      '9007199254740993', '-9007199254740993e-5', '900719925474099.3', '0.9007199254740993', '1e22', '1e-22', '9e22', '12345e22',
      '123456789012345678901234567890', '0.000000000000000000000000000001', '4.35', '0.1e-21', '17.9e21', '1.7976931348623157e308',
    ];
    for (let i = 0; i < 60000; i++) {
      // Mantissas of 1 to 25 digits (often past 2^53), with or without a point, leading zeros and an exponent.
      const lead = next() < 0.2 ? '0'.repeat(1 + Math.floor(next() * 4)) : '';
      const m = lead + digits(next, 1 + Math.floor(next() * (next() < 0.7 ? 16 : 25)));
      const cut = Math.floor(next() * (m.length + 1));
      const body = next() < 0.6 ? `${m.slice(0, cut)}.${m.slice(cut)}` : m;
      const exponent = next() < 0.5 ? `${pick(['e', 'E'])}${pick(['', '+', '-'])}${Math.floor(next() * (next() < 0.8 ? 30 : 330))}` : '';
      texts.push(pick(['', '', '-', '+']) + body + exponent);
    }
    const bytes = encoder.encode('x\n' + filler(1) + texts.join('\n') + '\n');
    const fast = fastTable(bytes, 65536);
    const offset = fast.nRows - texts.length;
    texts.forEach((t, i) => {
      const got = fast.values[offset + i];
      if (bits(got) !== bits(Number(t))) throw new Error(`'${t}' gave ${got}, Number() gives ${Number(t)}`);
    });
  });

  it('reads missing tokens as NaN and keeps the text of infinite cells', () => {
    const tokens = ['', 'NA', 'n/a', 'NaN', 'null', 'None', '?', '-', '--', '.', '#N/A', ' NA ', 'nil'];
    const text = 'x,y\n' + filler(2) + tokens.map((t, i) => `${t},${i % 2 ? 'inf' : '1e999'}`).join('\n') + '\n';
    const bytes = encoder.encode(text);
    const fast = fastTable(bytes);
    expectSameAsGeneral(fast, parseCsv(bytes, { fileName: 'f.csv' }));
    expect(fast.columns[0].kind).toBe('numeric');
    expect(fast.values[(fast.nRows - 1) * 2]).toBeNaN();
  });

  it('reads a decimal comma with the ; delimiter as the general parser decides it', () => {
    const next = rng(3);
    const rows = Array.from({ length: 3000 }, (_, i) => `${(next() * 100).toFixed(3).replace('.', ',')};${i % 7 === 0 ? 'NA' : (next() * 1e4).toFixed(1)};${i % 2 ? 'a' : 'b'}`);
    const bytes = encoder.encode('p;q;r\n' + rows.join('\n'));
    const fast = fastTable(bytes, 997);
    expect(fast.decimalComma).toBe(true);
    expect((fast.columns[0] as { commaCells: number }).commaCells).toBeGreaterThan(1000);
    expectSameAsGeneral(fast, parseCsv(bytes, { fileName: 'f.csv' }));
  });
});

describe('FastCsvParser structure', () => {
  const next = rng(11);
  const body = Array.from({ length: 2500 }, (_, i) =>
    i % 97 === 5 ? '' : `  ${(next() * 50 - 25).toFixed(4)} ,${i % 3 ? 'red' : ' blue'},${i % 11 === 0 ? 'NA' : String(i % 4)},é${i % 5}`,
  );
  const variants: Record<string, string> = {
    LF: 'a,b,c,d\n' + body.join('\n') + '\n',
    CRLF: 'a,b,c,d\r\n' + body.join('\r\n'),
    CR: 'a,b,c,d\r' + body.join('\r') + '\r\r',
    BOM: '\ufeffa,b,a,\n' + body.join('\n') + '\n  \n',
    tabs: 'a\tb\tc\td\n' + body.map((l) => l.replaceAll(',', '\t')).join('\n') + '\n',
    quotedHeader: '"a","b ""x""",c,d\n' + body.join('\n') + '\n',
  };
  for (const [name, text] of Object.entries(variants)) {
    it(`gives identical tables for every chunk size (${name})`, () => {
      const bytes = encoder.encode(text);
      const general = parseCsv(bytes, { fileName: 'f.csv' });
      const whole = fastTable(bytes);
      expectSameAsGeneral(whole, general);
      for (const size of [1, 2, 3, 7, 64, 4096]) {
        const t = fastTable(bytes, size);
        expect(Array.from(t.rowLines)).toEqual(Array.from(whole.rowLines));
        expect(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength)).toEqual(
          new Uint8Array(whole.values.buffer, whole.values.byteOffset, whole.values.byteLength),
        );
        expect(t.columns).toEqual(whole.columns);
        expect(t.header).toEqual(whole.header);
        expect(t.warnings).toEqual(whole.warnings);
      }
    });
  }

  it('handles small files entirely with the general rules, and pre-sizes from a size hint', () => {
    const bytes = encoder.encode('x,y\n1,a\n2,b\n3.5,a');
    expectSameAsGeneral(fastTable(bytes, 2), parseCsv(bytes, { fileName: 'f.csv' }));
    const big = encoder.encode('x,y\n' + filler(2, 5000));
    const hinted = parseFast(big, 1000, { sizeHint: big.length });
    expect('fallback' in hinted).toBe(false);
    expectSameAsGeneral(hinted as FastTable, parseCsv(big, { fileName: 'f.csv' }));
  });
});

describe('FastCsvParser fallback', () => {
  const head = 'x,y,z\n' + filler(3);
  const cases: [string, Uint8Array, RegExp][] = [
    ['a quote', encoder.encode(head + '1,"2",3\n'), /^quote at line 1102$/],
    ['a ragged row', encoder.encode(head + '1,2\n'), /^ragged row at line 1102$/],
    ['an extra field', encoder.encode(head + '1,2,3,4\n'), /^ragged row at line 1102$/],
    ['a NUL byte', encoder.encode(head + '1,\0,3\n'), /^control byte 0x00 at line 1102$/],
    ['invalid UTF-8', Uint8Array.from([...encoder.encode(head + '1,2,caf'), 0xe9, 0x0a]), /^non-UTF-8 byte at line 1102$/],
    ['Latin-1 in the first rows', Uint8Array.from([...encoder.encode('x,y\ncaf'), 0xe9, ...encoder.encode(',1\n')]), /^non-UTF-8 byte in the first rows$/],
    ['text in a numeric column', encoder.encode(head + '1,oops,3\n'), /^text 'oops' at line 1102 in column "y"/],
    ['an empty file', new Uint8Array(0), /the file is empty/],
    ['a header without rows', encoder.encode('x,y\n'), /header but no data rows/],
  ];
  for (const [name, bytes, reason] of cases) {
    it(`falls back on ${name}, with a reason`, () => {
      for (const size of [1, 5, bytes.length || 1]) {
        const result = parseFast(bytes, size);
        expect('fallback' in result && result.fallback).toMatch(reason);
      }
    });
  }

  it('falls back when a dictionary column has too many distinct strings', () => {
    const rows = Array.from({ length: 70000 }, (_, i) => `${i},s${i}`);
    const result = parseFast(encoder.encode('x,name\n' + rows.join('\n')), 1 << 16);
    expect('fallback' in result && result.fallback).toBe('too many distinct strings in column "name"');
  });

  it('stops reading once it has fallen back', () => {
    const parser = new FastCsvParser();
    parser.push(encoder.encode(head + '1,2\n'));
    expect(parser.fallback).toBe('ragged row at line 1102');
    parser.push(encoder.encode('1,2,3\n'));
    expect(parser.finish()).toEqual({ fallback: 'ragged row at line 1102' });
  });
});
