/**
 * The Data tab's row count and class balance: an estimate from a sampled preview says so, and a run
 * that read the whole file replaces it with its exact counts; a capped distinct count reads as a bound.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvText } from '../../../src/core/data/csv';
import { DISTINCT_CAP, inferColumns } from '../../../src/core/data/dataset';
import { previewTable } from '../../../src/core/data/preview';
import { countedPreview, rowCounterFor } from '../../../src/core/data/rowCensus';
import type { TrainReport } from '../../../src/core/report/report';
import type { RunRecord } from '../../../src/protocol/panel';
import { columnFacts, dataFacts, distinctLabel } from '../../../webview/panel/viewModel/dataFacts';

const root = join(__dirname, '../../..');
const csvText = readFileSync(join(root, 'samples/binary.csv'), 'utf8');
const report = JSON.parse(readFileSync(join(root, 'test/fixtures/reports/binary.json'), 'utf8')) as TrainReport;
const run = (id: number, r: TrainReport = report): RunRecord => ({ id, label: `#${id}`, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1, settings: r.model.settings, report: r });

// The first 61 lines (header + 60 rows) as the preview's sample of the 300-row file.
const prefix = csvText.split('\n').slice(0, 61).join('\n') + '\n';
const sampleBytes = new TextEncoder().encode(prefix).length;
const fileBytes = new TextEncoder().encode(csvText).length;
const sampled = previewTable(parseCsv(new TextEncoder().encode(prefix), { fileName: 'binary.csv' }), 'binary.csv', undefined, { bytes: sampleBytes, fileBytes });
const whole = previewTable(parseCsv(new TextEncoder().encode(csvText), { fileName: 'binary.csv' }), 'binary.csv');
const prefixCounts = (label: string) => prefix.split('\n').slice(1).filter((l) => l.endsWith(`,${label}`)).length;

describe('columnFacts', () => {
  it("a sampled preview's column table is the sample's (and says so) until a run has read the file; then the run's, typed over every row", () => {
    const before = columnFacts(sampled, []);
    expect(before.columns).toBe(sampled.columns);
    expect(before.note).toBe(`Types, missing and distinct counts of the first ${(sampleBytes / 1e6).toFixed(1)} MB (the preview's sample).`);
    const after = columnFacts(sampled, [run(1), run(2)]);
    // The run's columns are those of a preview of the whole file.
    expect(after.columns).toEqual(whole.columns);
    expect(after.columns).not.toEqual(sampled.columns);
    expect(after.note).toBe('Types, missing and distinct counts of all 300 rows (run #2).');
    expect(columnFacts(whole, [run(1)])).toEqual({ columns: whole.columns, note: null });
  });
});

describe('dataFacts', () => {
  it('labels the sampled preview as an estimate: rows scaled from the sample, the sample class balance', () => {
    const f = dataFacts(sampled, 'label', []);
    const estimate = Math.round((60 * fileBytes) / sampleBytes);
    expect(f.rows).toBe(`about ${estimate.toLocaleString('en-US')} (estimated from the first ${(sampleBytes / 1e6).toFixed(1)} MB of ${(fileBytes / 1e6).toFixed(1)} MB)`);
    expect(f.rowsExact).toBe(false);
    expect(f.balance).toEqual([{ label: 'no', count: prefixCounts('no') }, { label: 'yes', count: prefixCounts('yes') }]);
    expect(prefixCounts('no') + prefixCounts('yes')).toBe(60);
    expect(f.balanceNote).toContain('an estimate until a run has read every row');
  });

  it('replaces the estimates by the exact counts of a run that read the whole file', () => {
    const f = dataFacts(sampled, 'label', [run(1), run(2)]);
    expect(f.rows).toBe('300 (counted by run #2)');
    expect(f.rowsExact).toBe(true);
    expect(f.balance).toEqual([{ label: 'no', count: 150 }, { label: 'yes', count: 150 }]);
    expect(f.balanceNote).toBe('of all 300 labelled rows (run #2)');
  });

  it('keeps the sample balance for a target no run trained on, with the exact row count', () => {
    const f = dataFacts(sampled, 'x2', [run(1)]);
    expect(f.rows).toBe('300 (counted by run #1)');
    expect(f.balance).toEqual(sampled.targetBalances.x2 ?? []);
    expect(f.balanceNote).toBe(f.balance.length > 0 ? `of the first ${(sampleBytes / 1e6).toFixed(1)} MB of ${(fileBytes / 1e6).toFixed(1)} MB (an estimate until a run has read every row)` : null);
  });

  it('shows the counts of the whole file as soon as the worker has counted them (before any run)', () => {
    const counter = rowCounterFor(sampled);
    counter.push(new TextEncoder().encode(csvText));
    const counted = countedPreview(sampled, counter.finish());
    const f = dataFacts(counted, 'label', []);
    expect(f).toEqual({ rows: '300', rowsExact: true, balance: [{ label: 'no', count: 150 }, { label: 'yes', count: 150 }], balanceNote: 'of all 300 labelled rows (counted over the whole file)' });
  });

  it('ignores runs on another file', () => {
    const other = { ...report, data: { ...report.data, fileName: 'other.csv' } };
    expect(dataFacts(sampled, 'label', [run(1, other)]).rowsExact).toBe(false);
  });

  it('a preview of the whole file is exact and needs no note', () => {
    const f = dataFacts(whole, 'label', []);
    expect(f).toEqual({ rows: '300', rowsExact: true, balance: [{ label: 'no', count: 150 }, { label: 'yes', count: 150 }], balanceNote: null });
  });
});

describe('distinct counts', () => {
  it('a numeric column counted up to the cap reads "≥ 10,000"; an id column and a small one are exact', () => {
    const n = DISTINCT_CAP + 50;
    const lines = ['x,id,small'];
    for (let i = 0; i < n; i++) lines.push(`${(i * 0.5).toFixed(1)},${i},${i % 3}`);
    const cols = inferColumns(parseCsvText(lines.join('\n'), { fileName: 'big.csv' }));
    expect(cols.map((c) => [c.name, c.distinct, c.distinctCapped ?? false])).toEqual([
      ['x', DISTINCT_CAP, true],
      ['id', n, false],
      ['small', 3, false],
    ]);
    expect(cols.map(distinctLabel)).toEqual(['≥ 10,000', '10,050', '3']);
  });
});
