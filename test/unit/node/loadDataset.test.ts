/**
 * The file loading shared by the CLI and the worker: trainFromFile (streaming fast path, silent fallback
 * to the general parser) gives the report trainFromBytes gives on the same bytes, errors included, and
 * previewFromFile previews large files from their first bytes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/core/data/csv';
import { DataError } from '../../../src/core/diagnostics';
import { previewTable } from '../../../src/core/data/preview';
import type { TrainReport } from '../../../src/core/report/report';
import type { TrainSettings } from '../../../src/core/run/settings';
import { trainFromBytes } from '../../../src/core/run/train';
import { loadTrainingData, previewFromFile, trainFromFile } from '../../../src/node/loadDataset';

const ROOT = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'logit-lab-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The report without its timings, the run's and the loss landscape's (the only parts that differ between two runs). */
function comparable(report: TrainReport): Omit<TrainReport, 'timings'> {
  const { timings: _t, ...rest } = report;
  return rest.landscape ? { ...rest, landscape: { ...rest.landscape, computeMs: undefined } } : rest;
}

function outcome(run: () => TrainReport): { report: Omit<TrainReport, 'timings'> } | { diagnostic: unknown } {
  try {
    return { report: comparable(run()) };
  } catch (e) {
    if (e instanceof DataError) return { diagnostic: e.diagnostic };
    throw e;
  }
}

/** trainFromFile and trainFromBytes (the general parser) agree on the file, report or error. */
function expectSameTraining(path: string, settings: Partial<TrainSettings> = {}) {
  const fileName = 'data.csv';
  const general = outcome(() => trainFromBytes(readFileSync(path), settings, { fileName }));
  const streamed = outcome(() => trainFromFile(path, settings, { fileName }));
  expect(streamed).toEqual(general);
  return general;
}

/** A 3000-row file (past the fast parser's 1001-line prefix) with numeric, categorical and missing cells. */
function generated(rowAt: (i: number) => string[]): string {
  const rows = Array.from({ length: 3000 }, (_, i) => rowAt(i).join(','));
  return ['a,b,color,y', ...rows].join('\n') + '\n';
}
const base = (i: number) => [((i * 37) % 101 / 7).toFixed(3), i % 17 === 0 ? 'NA' : String((i * 13) % 29 - 14.5), ['red', 'green', 'blue'][i % 3], i % 3 === 0 || (i * 7) % 11 < 4 ? 'yes' : 'no'];

describe('trainFromFile', () => {
  for (const name of ['iris.csv', 'binary.csv', 'blobs3.csv']) {
    it(`gives trainFromBytes' report for samples/${name}`, () => {
      const report = expectSameTraining(join(ROOT, 'samples', name), { seed: 1 });
      expect(report).toHaveProperty('report');
    });
  }

  it('gives the same report on the fast path for a larger file, with drop and ovr settings', () => {
    const path = write('big.csv', generated(base));
    expect(loadTrainingData(path, 'big.csv').fast).toBeDefined();
    const report = expectSameTraining(path);
    expect((report as { report: TrainReport }).report.model.classes).toEqual(['no', 'yes']);
    expectSameTraining(path, { missing: 'drop', positiveClass: 'no', features: ['color', 'a'] });
    expectSameTraining(path, { target: ['color'], model: 'ovr', maxIter: 50 });
  });

  it('falls back silently when the parser gives up (a quoted cell after the first rows)', () => {
    const path = write('quoted.csv', generated((i) => (i === 2500 ? ['1.5', '2', '"red"', 'yes'] : base(i))));
    expect(loadTrainingData(path, 'quoted.csv').fallback).toMatch(/quote/);
    expect(expectSameTraining(path)).toHaveProperty('report');
  });

  it('falls back silently when the dataset needs a cell text the fast table lacks (an infinite target value)', () => {
    const path = write('inf.csv', generated((i) => {
      const r = base(i);
      return [r[0], r[1], r[2], i === 2000 ? 'inf' : i % 2 ? '1' : '0'];
    }));
    expect(loadTrainingData(path, 'inf.csv').fast).toBeDefined();
    expect(expectSameTraining(path)).toHaveProperty('report');
  });

  it('throws the general path\'s errors, with their lines', () => {
    const ragged = write('ragged.csv', generated((i) => (i === 2500 ? [...base(i), '9'] : base(i))));
    const oneClass = write('one.csv', generated((i) => [...base(i).slice(0, 3), 'yes']));
    const unknown = write('unknown.csv', generated(base));
    const cases: [string, Partial<TrainSettings>][] = [[ragged, {}], [oneClass, {}], [unknown, { target: ['nope'] }]];
    for (const [path, settings] of cases) {
      const result = expectSameTraining(path, settings);
      expect(result).toHaveProperty('diagnostic');
    }
  });

  it('turns an unreadable file into the caller\'s DataError', () => {
    const readError = (e: NodeJS.ErrnoException) => new DataError({ code: 'test.read', message: e.code ?? 'unknown' });
    expect(() => trainFromFile(join(dir, 'missing.csv'), {}, { fileName: 'missing.csv', readError })).toThrow(/ENOENT/);
    expect(() => trainFromFile(dir, {}, { fileName: 'dir', readError })).toThrow(/EISDIR/);
    expect(() => previewFromFile(join(dir, 'missing.csv'), 'missing.csv', { readError })).toThrow(/ENOENT/);
  });
});

describe('previewFromFile', () => {
  it('previews a file up to the sample size whole, as previewTable on the general parser', () => {
    const path = join(ROOT, 'samples', 'iris.csv');
    expect(previewFromFile(path, 'iris.csv')).toEqual(previewTable(parseCsv(readFileSync(path), { fileName: 'iris.csv' }), 'iris.csv'));
  });

  it('previews a larger file from its first whole lines, estimating the row count', () => {
    const text = generated(base);
    const path = write('sampled.csv', text);
    const preview = previewFromFile(path, 'sampled.csv', { sampleBytes: 4000 });
    const cut = text.lastIndexOf('\n', 3999) + 1;
    const sampleTable = parseCsv(new TextEncoder().encode(text.slice(0, cut)), { fileName: 'sampled.csv' });
    expect(preview.sample).toEqual({ bytes: cut, fileBytes: text.length });
    expect(preview.nRows).toBe(Math.round((sampleTable.nRows * text.length) / cut));
    expect(Math.abs(preview.nRows - 3000)).toBeLessThan(300);
    expect(preview.columns).toEqual(previewTable(sampleTable, 'sampled.csv').columns);
    expect(preview.guessedTarget).toBe('y');
    expect(preview.warnings.map((w) => w.code)).toContain('preview.sampled');
  });

  it('uses the whole file when the sample does not parse (a quoted field running past the cut)', () => {
    const text = 'a,b,y\n' + Array.from({ length: 200 }, (_, i) => `${i},"x\n${'y'.repeat(i % 7)}",${i % 2}`).join('\n') + '\n';
    const path = write('multiline.csv', text);
    const whole = previewTable(parseCsv(readFileSync(path), { fileName: 'm.csv' }), 'm.csv');
    // The sample would end with the line break inside the quoted field that opens after byte 1000.
    const inside = text.indexOf('\n', text.indexOf('"x', 1000));
    expect(previewFromFile(path, 'm.csv', { sampleBytes: inside + 1 })).toEqual(whole);
    expect(whole.nRows).toBe(200);
  });
});
