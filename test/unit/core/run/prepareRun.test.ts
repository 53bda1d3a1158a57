import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { FastCsvParser, type FastTable } from '../../../../src/core/data/fastCsv';
import { DataError } from '../../../../src/core/diagnostics';
import { sharedFloat64Memory } from '../../../../src/core/model/simdKernels';
import { Rng } from '../../../../src/core/random';
import { prepareRun, trainFromTable } from '../../../../src/core/run/train';
import type { TrainSettings } from '../../../../src/core/run/settings';

/**
 * prepareRun's fast path on the CLI's table (a FastTable whose values lie in a shared WebAssembly
 * memory, consumed: the training rows are standardized in place at its front) against the general
 * parser's table of the same file (new matrices): the same report, bit for bit, apart from timings.
 * 40,000 rows x 9 features: the training rows are above the SIMD threshold, so the in-place path is taken.
 */
const N = 40000;
const D = 9;

function file(extreme?: (row: number) => string | undefined): Uint8Array {
  const rng = new Rng(8);
  const lines = [[...Array.from({ length: D }, (_, j) => `x${j}`), 'y'].join(',')];
  for (let i = 0; i < N; i++) {
    const x = Array.from({ length: D }, (_, j) => ((rng.next() - 0.5) * 10 ** (j % 4)).toPrecision(7));
    if (i % 97 === 5) x[i % D] = '';
    const z = x.reduce((s, v, j) => s + (v === '' ? 0 : Number(v) * (j % 2 ? 1 : -1) / 10 ** (j % 4)), 0);
    // An extreme value replaces a feature after the label is drawn: the split stays the same.
    const e = extreme?.(i);
    if (e !== undefined) x[2] = e;
    // A numeric target: the design matrix is built inside the consumed table's values.
    lines.push([...x, z + rng.next() - 0.5 > 0 ? (i % 7 === 0 ? 2 : 1) : 0].join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** The CLI's table: the fast parse's values moved into a shared WebAssembly memory, as the two-thread parse leaves them. */
function sharedFastTable(bytes: Uint8Array): FastTable {
  const parser = new FastCsvParser({ fileName: 'p.csv' });
  parser.push(bytes);
  const table = parser.finish();
  if ('fallback' in table) throw new Error(table.fallback);
  const buffer = sharedFloat64Memory(table.values.length * 8);
  expect(buffer).not.toBeNull();
  const values = new Float64Array(buffer!, 0, table.values.length);
  values.set(table.values);
  table.values = values;
  return table;
}

function withoutTimings(report: object): unknown {
  return JSON.parse(JSON.stringify({ ...report, timings: undefined }));
}

describe('prepareRun on the CLI path', () => {
  const bytes = file();
  const cases: [string, Partial<TrainSettings>][] = [
    ['the default split', { target: ['y'] }],
    ['no split', { target: ['y'], testSize: 0, valSize: 0 }],
    ['oversampling (repeated training rows: a new matrix; main stopped with an internal error here)', { target: ['y'], oversample: true }],
    ['no standardization', { target: ['y'], standardize: false, valSize: 0.2 }],
  ];
  for (const [name, settings] of cases) {
    it(`gives the general parser's report, bit for bit: ${name}`, () => {
      const table = sharedFastTable(bytes);
      const fast = trainFromTable(table, settings, { fileName: 'p.csv', consumeTable: true });
      const general = trainFromTable(parseCsv(bytes, { fileName: 'p.csv' }), settings, { fileName: 'p.csv' });
      expect(withoutTimings(fast)).toEqual(withoutTimings(general));
      expect(fast.data.nTrain).toBeGreaterThan(10000);
    });
  }

  it('moves the training rows to the front of the shared buffer, standardized, and leaves the other splits in their own matrices', () => {
    const table = sharedFastTable(bytes);
    const run = prepareRun(table, { target: ['y'] }, { fileName: 'p.csv', consumeTable: true });
    expect(run.scaled.train.buffer).toBe(table.values.buffer);
    expect(run.scaled.train.byteOffset).toBe(table.values.byteOffset);
    expect(run.scaled.validation.buffer).not.toBe(table.values.buffer);
    const general = prepareRun(parseCsv(bytes, { fileName: 'p.csv' }), { target: ['y'] }, { fileName: 'p.csv' });
    for (const s of ['train', 'validation', 'test'] as const) expect(Array.from(run.scaled[s])).toEqual(Array.from(general.scaled[s]));
  });

  it('keeps one copy of the line numbers and the labels when every row trains (copies otherwise), with the same values', () => {
    const table = sharedFastTable(bytes);
    const lines = table.rowLines;
    const all = prepareRun(table, { target: ['y'], testSize: 0, valSize: 0 }, { fileName: 'p.csv', consumeTable: true });
    expect(all.ds.rowLines).toBe(lines);
    expect(all.outputs[0].yTrain).toBe(all.ds.y);
    expect(Array.from(all.rowsOf.train)).toEqual(Array.from({ length: N }, (_, i) => i));
    const split = prepareRun(sharedFastTable(bytes), { target: ['y'] }, { fileName: 'p.csv', consumeTable: true });
    expect(split.outputs[0].yTrain).not.toBe(split.ds.y);
    expect(Array.from(split.outputs[0].yTrain)).toEqual(Array.from(split.rowsOf.train, (r) => split.ds.y[r]));
    // The general parser's table gives the same line numbers and labels.
    const general = prepareRun(parseCsv(bytes, { fileName: 'p.csv' }), { target: ['y'], testSize: 0, valSize: 0 }, { fileName: 'p.csv' });
    expect(Array.from(all.ds.rowLines)).toEqual(Array.from(general.ds.rowLines));
    expect(Array.from(all.outputs[0].yTrain)).toEqual(Array.from(general.outputs[0].yTrain));
  });

  it('reports the first value no fit can use in the training rows before those of the other splits', () => {
    const settings: Partial<TrainSettings> = { target: ['y'], standardize: false };
    const { rowsOf } = prepareRun(parseCsv(bytes, { fileName: 'p.csv' }), settings, { fileName: 'p.csv' });
    const inTrain = new Set(rowsOf.train);
    // Values beyond ±1e150 (refused on raw units): first in a row of another split, then in a training
    // row, then in another split's row again.
    const other = Array.from({ length: N }, (_, i) => i).filter((i) => !inTrain.has(i));
    const firstTrain = rowsOf.train.find((r) => r > other[0])!;
    const marks = new Set([other[0], firstTrain, other.find((r) => r > firstTrain)!]);
    const bad = file((i) => (marks.has(i) ? `${i + 1}e160` : undefined));
    for (const table of [sharedFastTable(bad), parseCsv(bad, { fileName: 'p.csv' })]) {
      let error: unknown;
      try {
        prepareRun(table, settings, { fileName: 'p.csv', consumeTable: true });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).diagnostic.line).toBe(firstTrain + 2);
      expect((error as DataError).message).toContain(`column 'x2' has the value ${Number(`${firstTrain + 1}e160`)}`);
    }
  });
});
