import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBytes, isMissing, MISSING_TOKENS, parseCsv, parseCsvText, parseNumber } from '../../../../src/core/data/csv';
import { dataError } from '../../dataError';
import { Rng } from '../../../../src/core/random';

const FIXTURES = join(__dirname, '../../../fixtures/csv');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseCsvText: structure', () => {
  it('reads a header and columns, with 1-based row lines', () => {
    const t = parseCsvText('a,b,c\n1,2,3\n4,5,6\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.columns).toEqual([['1', '4'], ['2', '5'], ['3', '6']]);
    expect(t.nRows).toBe(2);
    expect(Array.from(t.rowLines)).toEqual([2, 3]);
    expect(t.delimiter).toBe(',');
    expect(t.decimalComma).toBe(false);
    expect(t.encoding).toBe('utf-8');
    expect(t.warnings).toEqual([]);
  });

  it('reads a last line without a newline', () => {
    const t = parseCsvText('a,b\n1,2\n3,4');
    expect(t.columns).toEqual([['1', '3'], ['2', '4']]);
  });

  it('handles CRLF and lone CR line ends', () => {
    const crlf = parseCsvText('a,b\r\n1,2\r\n3,4\r\n');
    expect(crlf.columns).toEqual([['1', '3'], ['2', '4']]);
    expect(Array.from(crlf.rowLines)).toEqual([2, 3]);
    const cr = parseCsvText('a,b\r1,2\r3,4\r');
    expect(cr.columns).toEqual([['1', '3'], ['2', '4']]);
    expect(Array.from(cr.rowLines)).toEqual([2, 3]);
  });

  it('skips blank and whitespace-only lines but keeps counting lines', () => {
    const t = parseCsvText('\n\na,b\n\n1,2\n   \n\r\n3,4\n\n');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.columns).toEqual([['1', '3'], ['2', '4']]);
    expect(Array.from(t.rowLines)).toEqual([5, 8]);
  });

  it('strips a BOM from text and from bytes', () => {
    expect(parseCsvText('\uFEFFa,b\n1,2').header).toEqual(['a', 'b']);
    const t = parseCsv(fixture('bom_crlf.csv'));
    expect(t.header).toEqual(['a', 'b', 'label']);
    expect(t.columns[2]).toEqual(['x', 'y', 'x']);
    expect(Array.from(t.rowLines)).toEqual([2, 3, 4]);
  });

  it('trims unquoted cells and header names, keeps quoted cells verbatim', () => {
    const t = parseCsvText(' a , b \n 1 , " x " \n');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.columns).toEqual([['1'], [' x ']]);
  });

  it('keeps empty fields', () => {
    const t = parseCsvText('a,b,c\n,,\n1,,3\n');
    expect(t.columns).toEqual([['', '1'], ['', ''], ['', '3']]);
  });

  it('does not mutate its input', () => {
    const bytes = fixture('latin1.csv');
    const copy = bytes.slice();
    parseCsv(bytes);
    expect(bytes).toEqual(copy);
  });
});

describe('parseCsvText: quoting (RFC 4180)', () => {
  it('reads quoted delimiters, doubled quotes and newlines inside quotes', () => {
    const t = parseCsv(fixture('quoted.csv'));
    expect(t.columns[0]).toEqual(['a, b', 'say "hi"', 'two\r\nlines', 'plain']);
    expect(t.columns[1]).toEqual(['1', '2', '3', '4']);
    // The row after the two-line cell starts on physical line 6.
    expect(Array.from(t.rowLines)).toEqual([2, 3, 4, 6]);
  });

  it('counts LF, CR and CRLF inside quotes for row lines', () => {
    const t = parseCsvText('a,b\n"x\ny",1\n"p\rq",2\n"r\r\ns\n\nt",3\nu,4\n');
    expect(t.columns[0]).toEqual(['x\ny', 'p\rq', 'r\r\ns\n\nt', 'u']);
    expect(Array.from(t.rowLines)).toEqual([2, 4, 6, 10]);
  });

  it('reads an empty quoted field and a quoted field at the end of the file', () => {
    const t = parseCsvText('a,b\n"",1\n2,"last"');
    expect(t.columns).toEqual([['', '2'], ['1', 'last']]);
  });

  it('treats a quote inside an unquoted field literally', () => {
    const t = parseCsvText('height,b\n5\'3",1\n');
    expect(t.columns[0]).toEqual(['5\'3"']);
  });

  it('accepts spaces around a quoted field', () => {
    const t = parseCsvText('a,b\n  "x,y"  ,1\n');
    expect(t.columns).toEqual([['x,y'], ['1']]);
  });

  it('reports an unterminated quote where it opened', () => {
    const e = dataError(() => parseCsv(fixture('unterminated.csv'), { fileName: 'data.csv' }));
    expect(e.diagnostic).toMatchObject({ code: 'csv.unterminated-quote', file: 'data.csv', line: 3, column: 3 });
    expect(e.message).toBe('data.csv:3:3: error: the quoted field opened at line 3, column 3 is never closed');
  });
});

describe('parseCsvText: delimiter sniffing', () => {
  it.each([
    [',', 'a,b,c\n1,2,3\n4,5,6\n'],
    [';', 'a;b;c\n1;2;3\n4;5;6\n'],
    ['\t', 'a\tb\tc\n1\t2\t3\n4\t5\t6\n'],
    ['|', 'a|b|c\n1|2|3\n4|5|6\n'],
  ])('detects %j', (delimiter, text) => {
    const t = parseCsvText(text);
    expect(t.delimiter).toBe(delimiter);
    expect(t.columns).toEqual([['1', '4'], ['2', '5'], ['3', '6']]);
  });

  it('ignores delimiters inside quotes', () => {
    // Counting raw semicolons would suggest ';' (2 per line); quoted, they are inside fields.
    const t = parseCsvText('name,note\n"a;b;c",x\n"d;e;f",y\n');
    expect(t.delimiter).toBe(',');
    expect(t.columns[0]).toEqual(['a;b;c', 'd;e;f']);
  });

  it('prefers the consistent delimiter over a more frequent but ragged one', () => {
    const t = parseCsvText('text;n\nhello, world;1\nfoo;2\na, b, c;3\n');
    expect(t.delimiter).toBe(';');
    expect(t.columns[0]).toEqual(['hello, world', 'foo', 'a, b, c']);
  });

  it('uses a forced delimiter', () => {
    const t = parseCsvText('a,b;c\n1,2;3\n', { delimiter: ';' });
    expect(t.header).toEqual(['a,b', 'c']);
  });

  it('falls back to a single column', () => {
    const t = parseCsvText('value\n1\n2\n');
    expect(t.header).toEqual(['value']);
    expect(t.columns).toEqual([['1', '2']]);
  });
});

describe('decimal comma', () => {
  it('detects decimal commas in a ;-separated file', () => {
    const t = parseCsv(fixture('semicolon_decimal.csv'));
    expect(t.delimiter).toBe(';');
    expect(t.decimalComma).toBe(true);
    expect(t.header).toEqual(['höhe', 'gewicht', 'klasse']);
    expect(t.columns[1]).toEqual(['70,5', '55', '82,25']);
    expect(t.columns[1].map((c) => parseNumber(c, t.decimalComma))).toEqual([70.5, 55, 82.25]);
  });

  it('does not flag decimal commas when ;-separated numbers use dots', () => {
    expect(parseCsvText('a;b\n1.5;2\n2.5;3\n').decimalComma).toBe(false);
  });

  it('is never on for comma-separated files', () => {
    expect(parseCsvText('a,b\n"1,5",2\n').decimalComma).toBe(false);
  });
});

describe('encoding', () => {
  it('decodes UTF-8', () => {
    const r = decodeBytes(utf8('naïve,€\n'));
    expect(r).toEqual({ text: 'naïve,€\n', encoding: 'utf-8' });
  });

  it('decodes invalid UTF-8 as Windows-1252 with a warning naming the byte', () => {
    const r = decodeBytes(new Uint8Array([0x63, 0x61, 0x66, 0xe9]));
    expect(r.text).toBe('café');
    expect(r.encoding).toBe('windows-1252');
    expect(r.warning).toMatchObject({ severity: 'warning', code: 'csv.encoding', line: 1, column: 4 });
    expect(r.warning?.message).toContain('0xE9');
  });

  it('decodes every byte as the WHATWG windows-1252 table does', () => {
    // Node 20's own TextDecoder('windows-1252') maps 0x80..0x9F to C1 controls (Latin-1), which is
    // why csv.ts carries the table; the expected code points come from the WHATWG index.
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const r = decodeBytes(bytes);
    expect(r.encoding).toBe('windows-1252');
    const codes = Array.from(r.text, (c) => c.codePointAt(0));
    expect(codes).toHaveLength(256);
    for (let b = 0; b < 256; b++) if (b < 0x80 || b > 0x9f) expect(codes[b]).toBe(b);
    expect(codes.slice(0x80, 0xa0).map((c) => c!.toString(16))).toEqual([
      '20ac', '81', '201a', '192', '201e', '2026', '2020', '2021', '2c6', '2030', '160', '2039', '152', '8d', '17d', '8f',
      '90', '2018', '2019', '201c', '201d', '2022', '2013', '2014', '2dc', '2122', '161', '203a', '153', '9d', '17e', '178',
    ]);
  });

  it('locates an invalid UTF-8 sequence after valid multi-byte characters', () => {
    // "é" (C3 A9), a newline, then an overlong encoding (C0 80) on line 2, column 3 in 1252 characters.
    const r = decodeBytes(new Uint8Array([0xc3, 0xa9, 0x0a, 0x61, 0x62, 0xc0, 0x80]));
    expect(r.encoding).toBe('windows-1252');
    expect(r.warning).toMatchObject({ line: 2, column: 3 });
    expect(r.warning?.message).toContain('0xC0');
  });

  it('parses a Latin-1 file, locating the first non-UTF-8 byte', () => {
    const t = parseCsv(fixture('latin1.csv'), { fileName: 'shop.csv' });
    expect(t.encoding).toBe('windows-1252');
    expect(t.columns[0]).toEqual(['café', 'thé', 'bière €']);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatchObject({ code: 'csv.encoding', file: 'shop.csv', line: 2, column: 4 });
  });

  it('skips a UTF-8 BOM when falling back to Windows-1252', () => {
    const r = decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0x62, 0xe9]));
    expect(r.text).toBe('a\nbé');
    expect(r.warning).toMatchObject({ line: 2, column: 2 });
  });

  it('rejects UTF-16 with a clear message', () => {
    const e = dataError(() => parseCsv(new Uint8Array([0xff, 0xfe, 0x61, 0x00]), { fileName: 'u.csv' }));
    expect(e.message).toContain('UTF-16');
  });
});

describe('bad input', () => {
  it('rejects an empty file', () => {
    const e = dataError(() => parseCsv(new Uint8Array(0), { fileName: 'data.csv' }));
    expect(e.message).toBe('data.csv: error: the file is empty');
    expect(dataError(() => parseCsvText('\n \r\n', { fileName: 'data.csv' })).message).toBe('data.csv: error: the file is empty');
  });

  it('rejects a header without data rows', () => {
    const e = dataError(() => parseCsvText('a,b,c\n\n', { fileName: 'data.csv' }));
    expect(e.diagnostic.code).toBe('csv.no-rows');
    expect(e.message).toContain('has a header but no data rows');
  });

  it('rejects a row with too many fields, naming the line and the counts', () => {
    const e = dataError(() => parseCsv(fixture('ragged_long.csv'), { fileName: 'data.csv' }));
    expect(e.diagnostic).toMatchObject({ code: 'csv.ragged-row', line: 4, column: 7 });
    expect(e.message).toContain('line 4 has 4 fields but the header has 3');
  });

  it('rejects a row with too few fields, naming the line and the column where it ends', () => {
    const e = dataError(() => parseCsv(fixture('ragged_short.csv'), { fileName: 'data.csv' }));
    expect(e.diagnostic).toMatchObject({ code: 'csv.ragged-row', line: 3, column: 4 });
    expect(e.message).toBe('data.csv:3:4: error: line 3 has 2 fields but the header has 3 (the row ends at column 4)');
  });

  it('names the physical line of a ragged row that follows a multi-line cell', () => {
    const e = dataError(() => parseCsvText('a,b\n"x\ny",1\n7\n'));
    expect(e.diagnostic).toMatchObject({ line: 4, column: 2 });
    expect(e.message).toContain('line 4 has 1 field but the header has 2');
  });

  it('rejects binary data with a NUL byte', () => {
    const e = dataError(() => parseCsv(fixture('garbage.csv'), { fileName: 'data.csv' }));
    expect(e.diagnostic).toMatchObject({ code: 'csv.binary', line: 1, column: 9 });
    expect(e.message).toContain('does not look like a text CSV file (found a NUL byte at line 1, column 9)');
  });

  it('rejects text made mostly of control characters', () => {
    const text = 'a,b\n' + '\u0001\u0002\u0003x,y\n'.repeat(20);
    const e = dataError(() => parseCsvText(text));
    expect(e.diagnostic).toMatchObject({ code: 'csv.binary', line: 2, column: 1 });
  });

  it('recognises an Excel workbook', () => {
    const e = dataError(() => parseCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])));
    expect(e.message).toBe(
      'line 1:6: error: does not look like a text CSV file (found a NUL byte at line 1, column 6); it looks like a ZIP or Excel .xlsx file, so save it as CSV',
    );
  });

  it('rejects more columns than maxColumns, naming the count and the limit', () => {
    const header = Array.from({ length: 2000 }, (_, j) => `c${j}`).join(',');
    const row = Array.from({ length: 2000 }, () => '1').join(',');
    const text = `${header}\n${row}\n`;
    const e = dataError(() => parseCsvText(text, { fileName: 'wide.csv', maxColumns: 1000 }));
    expect(e.diagnostic.code).toBe('csv.too-many-columns');
    expect(e.message).toContain('2,000 columns, more than the limit of 1,000');
    expect(parseCsvText(text, { maxColumns: 2000 }).header).toHaveLength(2000);
  });

  it('rejects a bad forced delimiter', () => {
    expect(dataError(() => parseCsvText('a,b\n1,2\n', { delimiter: ',,' })).diagnostic.code).toBe('csv.delimiter');
  });
});

describe('header names', () => {
  it('renames duplicate columns with a warning', () => {
    const t = parseCsvText('a,b,a,a,a_2\n1,2,3,4,5\n', { fileName: 'd.csv' });
    expect(t.header).toEqual(['a', 'b', 'a_2', 'a_3', 'a_2_2']);
    expect(t.warnings.map((w) => w.code)).toEqual(['csv.duplicate-column', 'csv.duplicate-column', 'csv.duplicate-column']);
    expect(t.warnings[0]).toMatchObject({ severity: 'warning', file: 'd.csv', line: 1 });
    expect(t.warnings[0].message).toContain("'a'");
    expect(t.warnings[0].message).toContain("'a_2'");
  });

  it('names empty header cells', () => {
    const t = parseCsvText(',x\n0,1\n');
    expect(t.header).toEqual(['column_1', 'x']);
    expect(t.warnings[0].code).toBe('csv.unnamed-column');
  });
});

describe('maxRows', () => {
  it('stops after maxRows rows with an info diagnostic', () => {
    const t = parseCsvText('a,b\n1,2\n3,4\n5,6\n', { maxRows: 2 });
    expect(t.nRows).toBe(2);
    expect(t.columns[0]).toEqual(['1', '3']);
    expect(t.warnings).toEqual([expect.objectContaining({ severity: 'info', code: 'csv.max-rows', line: 4 })]);
    expect(parseCsvText('a,b\n1,2\n3,4\n', { maxRows: 2 }).warnings).toEqual([]);
  });
});

describe('parseNumber', () => {
  it.each([
    ['1e-3', false, 0.001],
    [' 2.5 ', false, 2.5],
    ['+3', false, 3],
    ['.5', false, 0.5],
    ['5.', false, 5],
    ['1E+2', false, 100],
    ['1,5', true, 1.5],
    ['-0,25', true, -0.25],
    ['2.5', true, 2.5],
    ['inf', false, Infinity],
    ['-Infinity', false, -Infinity],
    ['1e999', false, Infinity],
  ])('parses %j (decimalComma=%s)', (cell, dc, expected) => {
    expect(parseNumber(cell, dc)).toBe(expected);
  });

  it('agrees exactly with Number() on random decimals (fast path and fallback)', () => {
    const rng = new Rng(11);
    for (let t = 0; t < 20000; t++) {
      const digits = Array.from({ length: 1 + rng.int(20) }, () => String(rng.int(10))).join('');
      const point = rng.int(digits.length + 1);
      let s = `${digits.slice(0, point)}.${digits.slice(point)}`;
      if (rng.next() < 0.3) s = '-' + s;
      if (rng.next() < 0.2) s += `e${rng.int(40) - 20}`;
      expect(parseNumber(s, false), s).toBe(Number(s));
      expect(parseNumber(s.replace('.', ','), true), s).toBe(Number(s));
    }
  });

  it('keeps the sign of -0', () => {
    expect(Object.is(parseNumber('-0', false), -0)).toBe(true);
  });

  it.each([
    ['1,5', false],
    ['1,234,5', true],
    ['1.234,5', true],
    ['', false],
    [' ', false],
    ['abc', false],
    ['0x1F', false],
    ['1e', false],
    ['e5', false],
    ['.', false],
    ['-', false],
    ['1 2', false],
    ['NaN', false],
    ['1_000', false],
  ])('rejects %j (decimalComma=%s)', (cell, dc) => {
    expect(parseNumber(cell, dc)).toBeNaN();
  });
});

describe('missing values', () => {
  it('recognises the missing tokens in any case, with spaces', () => {
    for (const token of ['', 'NA', 'n/a', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?', '-', ' na ', '#N/A']) {
      expect(isMissing(token), token).toBe(true);
    }
    expect(MISSING_TOKENS.has('NA')).toBe(true);
  });

  it('does not treat values as missing', () => {
    for (const value of ['0', 'no', 'nana', 'n', 'none of them', '-1', 'Nancy']) expect(isMissing(value), value).toBe(false);
  });
});

describe('scale', () => {
  it('parses 100k x 20 numeric cells (speed is measured in npm run bench, not here)', () => {
    const row = Array.from({ length: 20 }, (_, j) => (j * 1.25).toFixed(3)).join(',');
    const header = Array.from({ length: 20 }, (_, j) => `x${j}`).join(',');
    const t = parseCsvText(header + '\n' + (row + '\n').repeat(100_000));
    expect(t.nRows).toBe(100_000);
    expect(t.columns[19][99_999]).toBe('23.750');
    expect(t.rowLines[99_999]).toBe(100_001);
  });
});
