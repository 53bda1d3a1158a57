import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { guessTarget, inferColumns, type Dataset, type DatasetOptions } from '../../../../src/core/data/dataset';
import { DataError, type Diagnostic } from '../../../../src/core/diagnostics';
import { FastCsvParser, type FastTable } from '../../../../src/core/data/fastCsv';
import { fastDatasetSupport, inferFastColumns } from '../../../../src/core/data/fastDataset';
import { buildDataset, buildDatasetFromFast } from '../../../../src/core/data/dataPlan';
import { Rng } from '../../../../src/core/random';

const ROOT = join(__dirname, '../../../..');
const encoder = new TextEncoder();

function fastTable(bytes: Uint8Array, fileName: string): FastTable {
  const parser = new FastCsvParser({ fileName });
  for (let i = 0; i < bytes.length; i += 8192) parser.push(bytes.subarray(i, i + 8192));
  const result = parser.finish();
  if ('fallback' in result) throw new Error(`unexpected fallback: ${result.fallback}`);
  return result;
}

function rawBytes(a: Float64Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Everything a Dataset holds, with X compared bit for bit. */
function expectSameDataset(fast: Dataset, general: Dataset): void {
  expect(rawBytes(fast.X)).toEqual(rawBytes(general.X));
  const { X: _a, ...rest } = fast;
  const { X: _b, ...want } = general;
  expect(rest).toEqual(want);
}

type Outcome = { dataset: Dataset } | { error: string; diagnostic?: Diagnostic };

/** The dataset, or the error with its whole diagnostic (code, message, file, line, column). */
function outcome(build: () => Dataset): Outcome {
  try {
    return { dataset: build() };
  } catch (e) {
    return e instanceof DataError ? { error: e.message, diagnostic: e.diagnostic } : { error: (e as Error).message };
  }
}

/** Builds the dataset both ways (and with consume) and checks they agree, errors included. */
/**
 * A macrotask's pause between the heavy steps: vitest's worker answers its runner over an RPC with a
 * fixed 60 s timeout, and a test file that never yields to the event loop for that long (this one's
 * general path on 46,000 rows took 52 s on a loaded 2-core machine) fails the run with "Timeout calling
 * onTaskUpdate" although every test passed.
 */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function expectEquivalent(bytes: Uint8Array, fileName: string, options: Partial<DatasetOptions> = {}): Promise<Outcome> {
  await breathe();
  const table = parseCsv(bytes, { fileName });
  const columns = inferColumns(table, { maxCategories: options.maxCategories });
  const opts: DatasetOptions = { target: options.target ?? guessTarget(table, columns), fileName, ...options };
  const general = outcome(() => buildDataset(table, columns, opts));
  await breathe();

  const fast = fastTable(bytes, fileName);
  expect(inferFastColumns(fast, { maxCategories: options.maxCategories })).toEqual(columns);
  // Consumed, the table is typed as the training run types it: the target columns' label ids read by
  // the typing scan (keep); not consumed, by numericLabels' own pass.
  const targets = [opts.target].flat().map((t) => fast.header.indexOf(t)).filter((j) => j >= 0);
  for (const [consume, keep] of [[false, false], [true, true]]) {
    const t = consume ? fastTable(bytes, fileName) : fast;
    const columns = keep ? inferFastColumns(t, { maxCategories: options.maxCategories, keep: targets }) : undefined;
    const got = outcome(() => buildDatasetFromFast(t, opts, { consume, columns }).dataset);
    if ('error' in general) expect(got).toEqual(general);
    else if ('error' in got) throw new Error(`fast path failed: ${got.error}`);
    else expectSameDataset(got.dataset, general.dataset);
    await breathe();
  }
  return general;
}

/** Uniform numbers in [0, 1) from the core's seeded generator. */
function rng(seed: number): () => number {
  const random = new Rng(seed);
  return () => random.next();
}

function csv(header: string[], rows: string[][], eol = '\n', delimiter = ','): Uint8Array {
  return encoder.encode([header, ...rows].map((r) => r.join(delimiter)).join(eol) + eol);
}

describe('buildDatasetFromFast on files', () => {
  const files = [
    ...readdirSync(join(ROOT, 'samples')).filter((f) => f.endsWith('.csv')).map((f) => join(ROOT, 'samples', f)),
    ...readdirSync(join(ROOT, 'test/fixtures/datasets')).filter((f) => f.endsWith('.csv')).map((f) => join(ROOT, 'test/fixtures/datasets', f)),
  ];
  for (const path of files) {
    it(`equals buildDataset for ${path.slice(ROOT.length + 1)}`, async () => {
      const result = await expectEquivalent(readFileSync(path), 'data.csv');
      expect('dataset' in result).toBe(true);
    });
  }
});

describe('inferFastColumns distinct counts and statistics', () => {
  it('matches inferColumns at the distinct cap, for -0/+0, missing values and integers vs fractions', async () => {
    const n = 10050;
    const header = ['below', 'at', 'above', 'zeros', 'holes', 'ints', 'fracs', 'late', 'row_id', 'odd_late', 'late_zeros', 'target'];
    const rows = Array.from({ length: n }, (_, i) => [
      String(i % 9999),
      String((i * 7) % 10000),
      (i * 0.5).toString(),
      ['-0', '0', '0.0', '-0.0', '+0', '1', '-1e-320'][i % 7],
      i % 3 === 0 ? ['NA', '', 'nan', 'NaN'][i % 4] : String((i % 5) - 2.25),
      ['3', '3.0', '-12', '1e2', '0'][i % 5],
      i === n - 1 ? '2.5' : String(i % 11),
      i < n - 2 ? String(i % 4) : String(i),
      String(n - i),
      // Past the cap (the sums-and-bounds-only scan): an infinity first, a missing value, another infinity.
      i === 10020 ? 'inf' : i === 10030 ? 'NA' : i === 10040 ? '-1e400' : (i * 0.37 - 900).toString(),
      // All distinct in the first block (counted ahead after it), then both zeros, repeats and a hole.
      i < 128 ? String(i + 0.5) : ['-0', '0', '0.0', String((i % 3) + 0.5), 'NA'][i % 5],
      String(i % 3),
    ]);
    const bytes = csv(header, rows);
    await expectEquivalent(bytes, 'cap.csv', { target: 'target' });
    const columns = inferFastColumns(fastTable(bytes, 'cap.csv'));
    const distinct = Object.fromEntries(columns.map((c) => [c.name, c.distinct]));
    expect(distinct).toMatchObject({ below: 9999, at: 10000, above: 10000, zeros: 3, ints: 4, row_id: n, late_zeros: 129 });
    expect(distinct.late).toBe(6);
    const oddLate = columns.find((c) => c.name === 'odd_late')!;
    expect(oddLate).toMatchObject({ missing: 3, distinct: 10000, min: -900 });
    expect(oddLate.max).toBeCloseTo(10049 * 0.37 - 900, 9);
  });
});

describe('inferFastColumns four plain columns at a time', () => {
  it('matches inferColumns bit for bit (sums in row order) with holes and infinities in any of the four, and a column that never reaches the cap', async () => {
    // More rows than countAhead counts down one column (4 x DISTINCT_CAP after the first block): the
    // column that never reaches its cap is counted on in the block scan, with new values near the end.
    const n = 46000;
    const random = rng(17);
    const header = ['a', 'b', 'c', 'd', 'e', 'f', 'few', 'y'];
    const rows = Array.from({ length: n }, (_, i) => {
      // Magnitudes from 1e-3 to 1e9: a sum in another order than row order gives other bits.
      const cells = [0, 1, 2, 3, 4, 5].map((j) => ((random() - 0.3) * 10 ** ((i * (j + 3)) % 13 - 3)).toPrecision(9));
      // Past the cap, holes and infinities in one column of a row at a time, and in two at once.
      if (i > 15000 && i % 997 === 0) cells[i % 6] = ['NA', 'inf', '-inf', ''][i % 4];
      if (i > 15000 && i % 1999 === 0) cells[(i + 1) % 6] = 'NA';
      if (i === n - 3) cells[5] = 'NA';
      // Values of their own right where the block scan takes over (row 128 + 40,000) and at the end.
      const few = i >= 40128 && i < 40228 ? 5000 + i / 8 : i < 44000 ? Math.floor(random() * 3000) / 7 : 1000 + Math.floor(random() * 500) / 3;
      cells.push(few.toFixed(4), String(i % 2));
      return cells;
    });
    const bytes = csv(header, rows);
    await expectEquivalent(bytes, 'plain.csv', { target: 'y' });
    const columns = inferFastColumns(fastTable(bytes, 'plain.csv'));
    expect(columns.find((c) => c.name === 'few')!.distinct).toBeGreaterThan(3300);
    expect(columns.find((c) => c.name === 'few')!.distinct).toBeLessThan(10000);
    expect(columns.filter((c) => c.distinct === 10000).length).toBe(6);
    expect(columns.find((c) => c.name === 'a')!.missing).toBeGreaterThan(0);
  });
});

describe('buildDatasetFromFast on generated files', () => {
  const next = rng(5);
  const n = 1500;
  const num = (scale: number) => (next() * scale - scale / 2).toFixed(Math.floor(next() * 5));
  const mixed = Array.from({ length: n }, (_, i) => [
    i % 50 === 3 ? ['NA', '', '?', 'nan'][i % 4] : num(10),
    i === 1200 ? 'inf' : i === 1300 ? '-1e400' : num(1000),
    ['red', 'green', ' blue', 'NA'][i % 4],
    String(i + 1),
    '7',
    i % 9 === 0 ? 'n/a' : i % 3 ? 'yes' : 'no',
    i % 400 === 0 ? 'NA' : i % 2 ? '1' : '0',
    i % 2 ? 'true' : 'false',
    i % 5 ? '+1' : '-1',
    i % 4 === 0 ? '2' : i % 4 === 1 ? '1.0' : '0',
  ]);
  const header = ['f1', 'f2', 'color', 'row_id', 'const', 'answer', 'l1', 'l2', 'pm', 'three'];

  it('string target yes/no with categorical, id, constant, missing and infinite columns (LF and CRLF)', async () => {
    for (const eol of ['\n', '\r\n']) {
      const bytes = csv(header, mixed, eol);
      await expectEquivalent(bytes, 'g.csv', { target: 'answer' });
      await expectEquivalent(bytes, 'g.csv', { target: 'answer', missing: 'drop', positiveClass: 'no' });
      await expectEquivalent(bytes, 'g.csv', { target: 'answer', features: ['color', 'f2', 'f1'], maxCategories: 2 });
      await expectEquivalent(bytes, 'g.csv', { target: 'answer', features: ['f2', 'f1'] });
    }
  });

  it('a -1/+1 target, a numeric multiclass target, and a positive class', async () => {
    const bytes = csv(header, mixed);
    await expectEquivalent(bytes, 'g.csv', { target: 'pm' });
    await expectEquivalent(bytes, 'g.csv', { target: 'pm', positiveClass: '-1' });
    await expectEquivalent(bytes, 'g.csv', { target: 'three', missing: 'drop' });
    await expectEquivalent(bytes, 'g.csv', { target: 'l1', features: ['f1', 'color'] });
  });

  it('a multilabel target, and the errors buildDataset throws', async () => {
    const bytes = csv(header, mixed);
    await expectEquivalent(bytes, 'g.csv', { target: ['l1', 'l2', 'answer'] });
    await expectEquivalent(bytes, 'g.csv', { target: ['l1', 'pm'], positiveClass: '1' });
    expect(await expectEquivalent(bytes, 'g.csv', { target: ['l2', 'color'] })).toHaveProperty('error');
    expect(await expectEquivalent(bytes, 'g.csv', { target: 'f1' })).toHaveProperty('error');
    expect(await expectEquivalent(bytes, 'g.csv', { target: 'const' })).toHaveProperty('error');
    expect(await expectEquivalent(bytes, 'g.csv', { target: 'row_id' })).toHaveProperty('error');
    expect(await expectEquivalent(bytes, 'g.csv', { target: 'nope' })).toHaveProperty('error');
    expect(await expectEquivalent(bytes, 'g.csv', { target: 'answer', features: ['f1', 'nope'] })).toHaveProperty('diagnostic.code', 'dataset.unknown-column');
    expect(await expectEquivalent(bytes, 'g.csv', { target: ['l1', 'answer', 'color'] })).toHaveProperty('diagnostic.line');
    expect(await expectEquivalent(bytes, 'g.csv', { target: 'answer', features: ['const', 'row_id'] })).toHaveProperty('error');
  });

  it('a decimal comma with the ; delimiter', async () => {
    const rows = mixed.map((r) => r.map((c) => c.replace('.', ',')));
    const bytes = csv(header, rows, '\n', ';');
    expect(fastTable(bytes, 'g.csv').decimalComma).toBe(true);
    await expectEquivalent(bytes, 'g.csv', { target: 'answer' });
    await expectEquivalent(bytes, 'g.csv', { target: 'three' });
  });

  it('fastDatasetSupport names the numeric cell text it lacks, and accepts the rest', () => {
    const rows = mixed.map((r, i) => [r[0].replace('.', ','), i === 1400 ? 'inf' : r[6], r[7] === 'true' ? '1,0' : '0']);
    const table = fastTable(csv(['x', 'y', 'z'], rows, '\n', ';'), 'u.csv');
    expect(table.decimalComma).toBe(true);
    const columns = inferFastColumns(table);
    expect(fastDatasetSupport(table, columns, { target: 'y' })).toBe("target 'y' has an infinite value");
    expect(fastDatasetSupport(table, columns, { target: ['z', 'y'] })).toBe("label column 'z' has numbers with a decimal comma");
    expect(fastDatasetSupport(table, columns, { target: 'z' })).toBeUndefined();
    const plain = fastTable(csv(['x', 'z', 'w'], rows.map((r, i) => [r[0], r[2] === '0' ? '0' : '2', String(i % 2)]), '\n', ';'), 'v.csv');
    const plainColumns = inferFastColumns(plain);
    expect(fastDatasetSupport(plain, plainColumns, { target: ['w', 'z'] })).toBe("label column 'z' has a value that is not 0/1");
    expect(fastDatasetSupport(plain, plainColumns, { target: ['w', 'x'] })).toBe("label column 'x' has numbers with a decimal comma");
    expect(fastDatasetSupport(plain, plainColumns, { target: ['w', 'w2'] })).toBeUndefined(); // an unknown column: the build's own DataError
    expect(() => buildDatasetFromFast(plain, { target: ['w', 'w2'] }, { columns: plainColumns })).toThrow(DataError);
  });

  it('builds X inside the table when consuming an all-numeric table', () => {
    const table = fastTable(csv(header, mixed), 'g.csv');
    const { dataset } = buildDatasetFromFast(table, { target: 'l1', features: ['f1', 'f2'] }, { consume: true });
    expect(dataset.X.buffer).toBe(table.values.buffer);
  });
});
