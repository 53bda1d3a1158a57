/**
 * The fast parser in parts: a file cut at a line start after the prefix, its first part parsed by the
 * file's own FastCsvParser and its second by FastCsvParser.continuing on the first's decisions, joined
 * by concatFastTables, gives exactly the single pass's table (values bit for bit, row lines, levels in
 * order of first appearance, codes, infinite texts, comma counts, warnings), or a fallback exactly when
 * the single pass gives one.
 */
import { describe, expect, it } from 'vitest';
import { concatFastTables, FastCsvParser, MAX_INFINITE, MAX_LEVELS, type FastCsvResult, type FastTable } from '../../../../src/core/data/fastCsv';
import { Rng } from '../../../../src/core/random';

const encoder = new TextEncoder();

/** Pushes bytes in chunks of `size`. */
function pushAll(parser: FastCsvParser, bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) parser.push(bytes.slice(i, i + size));
}

function single(bytes: Uint8Array): FastCsvResult {
  const parser = new FastCsvParser({ fileName: 'f.csv', sizeHint: bytes.length });
  pushAll(parser, bytes, 1 << 14);
  return parser.finish();
}

/**
 * The two-part parse cut at `cut`; `shared` puts both parts' values in one buffer (the first part's
 * region, then the second's), as the two-thread loader does. The second part's lines are numbered from
 * 1 and shifted by concatFastTables, or (`knownLine`) numbered from the first part's next line, so that
 * a fallback reason names the file's line.
 */
function inParts(bytes: Uint8Array, cut: number, shared: boolean | Room = false, knownLine = false): FastCsvResult {
  let region: Float64Array | undefined;
  const first = new FastCsvParser({
    fileName: 'f.csv',
    sizeHint: cut,
    allocateValues: typeof shared === 'object'
      ? (_length, width) => {
          const buffer = (shared.buffer = new SharedArrayBuffer((shared.firstRows + shared.restRows) * width * 8));
          region = new Float64Array(buffer, shared.firstRows * width * 8, shared.restRows * width);
          return new Float64Array(buffer, 0, shared.firstRows * width);
        }
      : shared
      ? (length, width) => {
          const rest = Math.ceil((length * (bytes.length - cut)) / cut / width) * width;
          const buffer = new ArrayBuffer((length + rest) * 8);
          region = new Float64Array(buffer, length * 8, rest);
          return new Float64Array(buffer, 0, length);
        }
      : undefined,
  });
  pushAll(first, bytes.subarray(0, cut), 4099);
  const state = first.continuation();
  if (!state) throw new Error(`no continuation (${first.fallback})`);
  const firstLine = knownLine ? first.nextLine : 1;
  const second = FastCsvParser.continuing(structuredClone(state), { fileName: 'f.csv', sizeHint: bytes.length - cut, firstLine, allocateValues: region ? () => region! : undefined });
  pushAll(second, bytes.subarray(cut), 3001);
  const a = first.finish();
  const b = second.finish();
  if ('fallback' in a) return a;
  if ('fallback' in b) return b;
  if (shared === true) expect(b.values.buffer).toBe(a.values.buffer);
  return concatFastTables([a, b], [0, first.nextLine - firstLine]);
}

/** A shared buffer with room for `firstRows` rows of the first part, then `restRows` of the second's (its buffer, once made). */
interface Room {
  firstRows: number;
  restRows: number;
  buffer?: SharedArrayBuffer;
}

/** The table with typed arrays as plain arrays (values as bit patterns, so -0 and NaN payloads count). */
function plain(result: FastCsvResult): unknown {
  if ('fallback' in result) return result;
  return {
    ...result,
    values: Array.from(new BigUint64Array(result.values.slice().buffer)),
    rowLines: Array.from(result.rowLines),
    columns: result.columns.map((c) => (c.kind === 'dictionary' ? { ...c, codes: Array.from(c.codes) } : { ...c, infiniteTexts: [...c.infiniteTexts] })),
  };
}

/** Offsets just after each line break in bytes[from, to). */
function lineStarts(bytes: Uint8Array, from: number, to: number): number[] {
  const starts: number[] = [];
  for (let i = from; i < to; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

/** Every `step`th cut at a line start in [from, to) of the bytes gives the single pass's result. */
function expectSameAtCuts(text: string, from: number, to: number, step = 1, knownLine = false): FastCsvResult {
  const bytes = encoder.encode(text);
  const expected = plain(single(bytes));
  const cuts = lineStarts(bytes, Math.floor(bytes.length * from), Math.floor(bytes.length * to)).filter((_, i) => i % step === 0);
  expect(cuts.length).toBeGreaterThan(0);
  for (const cut of cuts) expect(plain(inParts(bytes, cut, false, knownLine)), `cut at ${cut}`).toEqual(expected);
  expect(plain(inParts(bytes, cuts[0], true, knownLine))).toEqual(expected);
  return single(bytes);
}

interface FileOptions {
  rows?: number;
  delimiter?: string;
  decimalComma?: boolean;
  eol?: string;
  /** Row i's extra cell in a numeric column (text only in the second half, say). */
  cell?: (i: number) => string | undefined;
  /** Adds a blank line (spaces on odd rows) after row i. */
  blank?: (i: number) => boolean;
}

/**
 * Numeric columns with missing tokens, infinities, -0 and long digit strings; a categorical column
 * whose later levels first appear in the second half; blank lines here and there.
 */
function generated(options: FileOptions = {}): string {
  const { rows = 4000, delimiter = ',', decimalComma = false, eol = '\n' } = options;
  const random = new Rng(11);
  const num = (v: number, digits: number) => {
    const s = v.toFixed(digits);
    return decimalComma ? s.replace('.', ',') : s;
  };
  const lines = [['a', 'b', 'b', 'color', 'y'].join(delimiter)];
  for (let i = 0; i < rows; i++) {
    const u = random.next();
    const a = i % 97 === 5 ? 'NA' : i % 89 === 7 ? '' : i % 83 === 3 ? (i % 2 ? '-inf' : 'Infinity') : i % 79 === 1 ? '-0' : num(random.normal() * 100, i % 7);
    const b = options.cell?.(i) ?? (i % 61 === 0 ? '12345678901234567890' : num(u, 5));
    const colors = i < rows / 2 ? ['red', 'green', 'NA'] : ['red', 'green', 'blue', `c${i % 13}`, 'ünïcødé'];
    const color = colors[Math.floor(random.next() * colors.length)];
    lines.push([a, b, String(i % 5), color, u < 0.4 ? 'yes' : 'no'].join(delimiter));
    if (i % 431 === 17 || options.blank?.(i)) lines.push(i % 2 ? '  ' : '');
    if (i % 977 === 3) lines.push('   ');
  }
  return lines.join(eol) + eol;
}

describe('FastCsvParser.continuing + concatFastTables', () => {
  it('give the single pass table for every cut around the middle (numbers, missing, infinities, new levels, blank lines)', () => {
    const result = expectSameAtCuts(generated(), 0.45, 0.55, 6);
    expectSameAtCuts(generated(), 0.49, 0.51, 1, true);
    expect('fallback' in result).toBe(false);
    const table = result as FastTable;
    expect(table.header).toEqual(['a', 'b', 'b_2', 'color', 'y']);
    expect(table.warnings.map((w) => w.code)).toEqual(['csv.duplicate-column']);
    expect((table.columns[3] as { levels: string[] }).levels).toContain('ünïcødé');
    expect(table.columns[0].kind === 'numeric' && table.columns[0].infiniteTexts.size).toBeGreaterThan(0);
  });

  it('assemble the table in the shared buffer when the first part outgrew its room there (moving the second part up), and on the first part\'s own array when the buffer has no room', () => {
    const bytes = encoder.encode(generated({ rows: 20000 }));
    const cut = lineStarts(bytes, Math.floor(bytes.length / 2), bytes.length)[0];
    const expected = plain(single(bytes));
    const room: Room = { firstRows: 3000, restRows: 17500 };
    const joined = inParts(bytes, cut, room);
    expect(plain(joined)).toEqual(expected);
    expect((joined as FastTable).values.buffer).toBe(room.buffer);
    // No room for both parts in the shared buffer: a new array, the same table.
    const tight: Room = { firstRows: 3000, restRows: 10100 };
    const apart = inParts(bytes, cut, tight);
    expect(plain(apart)).toEqual(expected);
    expect((apart as FastTable).values.buffer).not.toBe(tight.buffer);
  });

  it('handle CRLF line ends, and blank lines right at the cut', () => {
    const text = generated({ eol: '\r\n', blank: (i) => i >= 1990 && i <= 2010 && i % 3 !== 0 });
    expect(text).toContain('\r\n\r\n');
    expectSameAtCuts(text, 0.49, 0.51, 1);
    expectSameAtCuts(text, 0.3, 0.7, 29);
  });

  it('handle lone CR line ends', () => {
    expectSameAtCuts(generated({ eol: '\r', rows: 2500 }), 0.5, 0.6, 7);
  });

  it('handle decimal commas with a ";" delimiter (comma counts summed)', () => {
    const result = expectSameAtCuts(generated({ delimiter: ';', decimalComma: true }), 0.4, 0.6, 11) as FastTable;
    expect(result.decimalComma).toBe(true);
    expect(result.columns[1].kind === 'numeric' && result.columns[1].commaCells).toBeGreaterThan(1000);
  });

  it('fall back like the single pass when a numeric column meets text only in the second half', () => {
    const text = generated({ cell: (i) => (i === 3500 ? 'oops' : undefined) });
    const result = expectSameAtCuts(text, 0.45, 0.55, 9, true);
    expect(result).toEqual({ fallback: expect.stringMatching(/text 'oops' at line \d+ in column "b"/) });
  });

  it('merge dictionaries over MAX_LEVELS into a fallback, as the single pass gives one', () => {
    const rows = MAX_LEVELS + 2000;
    const lines = ['x,id'];
    for (let i = 0; i < rows; i++) lines.push(`${i % 10},${i < 1500 ? 'k' + (i % 3) : 'id' + (i % (MAX_LEVELS - 2))}`);
    const bytes = encoder.encode(lines.join('\n') + '\n');
    // Fewer than MAX_LEVELS distinct ids in each half, more over both.
    expect(single(bytes)).toEqual({ fallback: 'too many distinct strings in column "id"' });
    const cut = lineStarts(bytes, bytes.length >> 1, bytes.length)[0];
    expect(inParts(bytes, cut)).toEqual({ fallback: 'too many distinct strings in column "id"' });
  });

  it('merge infinite values over MAX_INFINITE into a fallback', () => {
    const lines = ['x,y'];
    for (let i = 0; i < MAX_INFINITE + 2000; i++) lines.push(`${i > 1500 ? 'inf' : i},${i % 2}`);
    const bytes = encoder.encode(lines.join('\n') + '\n');
    expect(single(bytes)).toEqual({ fallback: 'too many infinite values' });
    const cut = lineStarts(bytes, bytes.length >> 1, bytes.length)[0];
    expect(inParts(bytes, cut)).toEqual({ fallback: 'too many infinite values' });
  });

  it('copy into a new buffer when a later part lies before its place in the first part\'s buffer', () => {
    const bytes = encoder.encode(generated({ rows: 3000 }));
    const cut = lineStarts(bytes, bytes.length >> 1, bytes.length)[0];
    const first = new FastCsvParser({ fileName: 'f.csv', sizeHint: cut });
    first.push(bytes.subarray(0, cut));
    const buffer = new ArrayBuffer(8 << 20);
    const second = FastCsvParser.continuing(first.continuation()!, { fileName: 'f.csv', allocateValues: () => new Float64Array(buffer, 0, 1 << 19) });
    second.push(bytes.subarray(cut));
    const a = first.finish() as FastTable;
    const b = second.finish() as FastTable;
    // The second part's values at the start of a buffer whose later bytes are the first part's view.
    const firstValues = new Float64Array(buffer, 4 << 20, a.values.length);
    firstValues.set(a.values);
    const merged = concatFastTables([{ ...a, values: firstValues }, b], [0, first.nextLine - 1]);
    expect(plain(merged)).toEqual(plain(single(bytes)));
    expect((merged as FastTable).values.buffer).not.toBe(buffer);
  });
});
