/**
 * One column-source interface over the general parser's CsvTable and the fast parser's FastTable:
 * the same cells, and the one feature encoder (training and prediction) gives the same design matrix,
 * bit for bit, and the same warnings from either table of the same file.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { cellText, codeLevels, codeNumbers, columnSource, MISSING_POS, UNKNOWN_POS } from '../../../../src/core/data/columnSource';
import type { FeatureSpec } from '../../../../src/core/data/dataset';
import { DataPlan, encodeForPrediction } from '../../../../src/core/data/dataPlan';
import { FastCsvParser, type FastTable } from '../../../../src/core/data/fastCsv';

function fastTable(text: string): FastTable {
  const parser = new FastCsvParser({ fileName: 'new.csv' });
  parser.push(new TextEncoder().encode(text));
  const result = parser.finish();
  if ('fallback' in result) throw new Error(`unexpected fallback: ${result.fallback}`);
  return result;
}

const FILE = ['x,colour,z,y', '1.5,red,7,a', ',blue,inf,b', '2,green,,a', '-3e2,,8,b', '4,red,NA,a', ''].join('\n');
const FEATURES: FeatureSpec[] = [
  { kind: 'numeric', column: 'x', name: 'x' },
  { kind: 'onehot', column: 'colour', level: 'red', name: 'colour=red' },
  { kind: 'onehot', column: 'colour', level: 'blue', name: 'colour=blue' },
  { kind: 'numeric', column: 'z', name: 'z' },
];

describe('columnSource', () => {
  it('reads the same cells from a CsvTable and a FastTable', () => {
    const csv = columnSource(parseCsv(new TextEncoder().encode(FILE), { fileName: 'new.csv' }));
    const fast = columnSource(fastTable(FILE));
    expect(fast.column(0).kind).toBe('number');
    expect(fast.column(1).kind).toBe('code');
    expect(csv.column(1).kind).toBe('text');
    for (let j = 1; j < 4; j += 2) for (let i = 0; i < csv.nRows; i++) expect(cellText(fast.column(j), i), `row ${i} column ${j}`).toBe(cellText(csv.column(j), i));
    expect(cellText(fast.column(2), 1)).toBe('inf'); // an infinite cell keeps its text
  });

  it('decides numbers and levels once per dictionary text', () => {
    expect(codeNumbers(['1,5', 'NA', 'x', '-2'], true)).toEqual({ value: Float64Array.from([1.5, NaN, NaN, -2]), bad: Uint8Array.from([0, 0, 1, 0]) });
    expect(Array.from(codeLevels([' red', '', 'mauve', 'blue'], new Map([['red', 4], ['blue', 5]])))).toEqual([4, MISSING_POS, UNKNOWN_POS, 5]);
  });
});

describe('encodeForPrediction through a column source', () => {
  it('gives the same X bits and warnings from either table', () => {
    const fromCsv = encodeForPrediction(parseCsv(new TextEncoder().encode(FILE), { fileName: 'new.csv' }), FEATURES, { fileName: 'new.csv' });
    const fromFast = encodeForPrediction(fastTable(FILE), FEATURES, { fileName: 'new.csv' });
    expect(Array.from(fromCsv.X)).toEqual([1.5, 1, 0, 7, NaN, 0, 1, NaN, 2, 0, 0, NaN, -300, 0, 0, 8, 4, 1, 0, NaN]);
    expect(new Uint8Array(fromFast.X.buffer)).toEqual(new Uint8Array(fromCsv.X.buffer));
    expect(fromFast.warnings).toEqual(fromCsv.warnings);
    expect(fromCsv.warnings.map((w) => w.message)).toEqual([
      "column 'colour' has 1 value not seen in training (first 'green' at line 4); encoded as all zeros",
      "column 'z' has 1 value that is not a finite number (first 'inf' at line 3); treated as missing",
    ]);
  });

  it('plan.encodes: a one-hot feature needs the texts a numeric FastTable column does not keep', () => {
    const fast = columnSource(fastTable(FILE));
    expect(DataPlan.fromModel({ features: FEATURES }).encodes(fast)).toBe(true);
    expect(DataPlan.fromModel({ features: [{ kind: 'onehot', column: 'x', level: '2', name: 'x=2' }] }).encodes(fast)).toBe(false);
    expect(() => encodeForPrediction(fastTable(FILE), [{ kind: 'onehot', column: 'x', level: '2', name: 'x=2' }])).toThrow(/check plan.encodes first/);
  });
});
