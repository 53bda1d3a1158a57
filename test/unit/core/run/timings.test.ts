import { describe, expect, it } from 'vitest';
import { FastCsvParser, type FastTable } from '../../../../src/core/data/fastCsv';
import { fastTrainingSupport, trainFromBytes, trainFromTable } from '../../../../src/core/run/train';
import { timingPhases } from '../../../../src/core/report/report';
import { formatSummary } from '../../../../src/cli/summary';

/** The report's timings cover the whole run: reading, column typing, preparation, fit, evaluation. */
const rows = Array.from({ length: 400 }, (_, i) => `${(i * 37) % 101 / 10},${(i * 53) % 17},${(i * 7) % 3 === 0 ? 'a' : 'b'},${((i * 37) % 101) / 10 + ((i * 11) % 13) > 9 ? 1 : 0}`);
const csv = new TextEncoder().encode(['u,v,w,y', ...rows].join('\n') + '\n');

function fastTable(): FastTable {
  const parser = new FastCsvParser({ fileName: 't.csv' });
  parser.push(csv);
  const table = parser.finish();
  if ('fallback' in table) throw new Error(table.fallback);
  return table;
}

describe('timings', () => {
  it('has every phase of an in-memory run, and the summary prints them with their total', () => {
    const report = trainFromBytes(csv, { target: ['y'] }, { fileName: 't.csv', parseMs: 5 });
    const t = report.timings;
    for (const ms of [t.parseMs, t.typeMs, t.prepareMs, t.fitMs, t.evaluateMs]) expect(Number.isFinite(ms) && ms! >= 0).toBe(true);
    const { phases, totalMs } = timingPhases(t);
    expect(phases.map(([name]) => name)).toEqual(['read', 'type columns', 'prepare', 'fit', 'evaluate']);
    expect(totalMs).toBe(t.parseMs + t.typeMs! + t.prepareMs! + t.fitMs + t.evaluateMs);
    const line = formatSummary(report).split('\n').find((l) => l.startsWith('Time'));
    expect(line).toBe(`Time      ${phases.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ')} (total ${totalMs.toFixed(0)} ms)`);
  });

  it('counts a FastTable typed by fastTrainingSupport once, as that typing took', () => {
    const table = fastTable();
    expect(fastTrainingSupport(table, { target: ['y'] }, 't.csv')).toBeUndefined();
    const a = trainFromTable(table, { target: ['y'] }, { fileName: 't.csv' });
    const b = trainFromTable(table, { target: ['y'] }, { fileName: 't.csv' });
    expect(a.timings.typeMs).toBeGreaterThan(0);
    expect(Object.is(a.timings.typeMs, b.timings.typeMs)).toBe(true);
  });

  it('an older report without typing and preparation still sums its three phases', () => {
    expect(timingPhases({ parseMs: 1, fitMs: 2, evaluateMs: 4 })).toEqual({ phases: [['read', 1], ['fit', 2], ['evaluate', 4]], totalMs: 7 });
  });
});
