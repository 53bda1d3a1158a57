import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainReport } from '../../../src/core/report/report';
import { coefficientRows, outputNames, sortCoefficients } from '../../../webview/panel/viewModel/coefficients';
import { comparisonRows, comparisonSplit, metricRows } from '../../../webview/panel/viewModel/metricsTable';
import { pointRows, pointScores } from '../../../webview/panel/viewModel/points';
import { fmt, fmtBytes, truncate } from '../../../webview/panel/viewModel/format';
import { mix, parseColor } from '../../../webview/panel/viewModel/colors';
import { binaryModel, sigmoid, softmaxModel } from './modelFixture';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/reports', name), 'utf8')) as TrainReport;

describe('coefficients', () => {
  it('has one row per feature and class, in both units', () => {
    const m = softmaxModel();
    const rows = coefficientRows(m);
    expect(rows).toHaveLength(6);
    expect(outputNames(m)).toEqual(['A', 'B', 'C']);
    expect(rows[4]).toEqual({ feature: 'x', j: 0, output: 2, outputName: 'C', original: -1, standardized: -1 });
    expect(outputNames(binaryModel())).toEqual(['yes']);
  });

  it('sorts by magnitude, value or name, in the chosen units, stably', () => {
    const rows = coefficientRows(binaryModel());
    // original = [1, -2, 0.5]; standardized = [2, -1, 0.5].
    expect(sortCoefficients(rows, 'abs', true, 'original').map((r) => r.feature)).toEqual(['b', 'a', 'c']);
    expect(sortCoefficients(rows, 'abs', true, 'standardized').map((r) => r.feature)).toEqual(['a', 'b', 'c']);
    expect(sortCoefficients(rows, 'value', false, 'original').map((r) => r.feature)).toEqual(['b', 'c', 'a']);
    expect(sortCoefficients(rows, 'feature', true, 'original').map((r) => r.feature)).toEqual(['c', 'b', 'a']);
    const withNaN = [...rows, { ...rows[0], feature: 'z', j: 3, original: NaN }];
    expect(sortCoefficients(withNaN, 'value', true, 'original').at(-1)!.feature).toBe('z');
  });
});

describe('points', () => {
  const points = { X: [1, 2, 3, 4, 5, 6, 0, 0, 0], y: [1, 0, 1], split: [2, 0, 0], predicted: [1, 1, 1], ofRows: 10 };
  it('orders train before test and misclassified last; the threshold decides binary predictions', () => {
    const m = binaryModel();
    const scores = pointScores(m, points);
    const z0 = 2 * ((1 - 1) / 2) - (2 - 2) / 0.5 + 0.5 * (3 - 3) + 0.25;
    expect(scores[0]).toBeCloseTo(sigmoid(z0), 14);
    // p = sigma(0.25) = 0.562, sigma(-1.25) = 0.223, sigma(1.75) = 0.852 for rows 0 (test), 1, 2 (train).
    expect(Array.from(scores).map((v) => Number(v.toFixed(3)))).toEqual([0.562, 0.223, 0.852]);
    const at05 = pointRows(points, { x: [10, 20, 30], y: [1, 2, 3], scores, threshold: 0.5 });
    expect(at05.map((r) => [r.i, r.split, r.predicted, r.wrong])).toEqual([
      [1, 'train', 0, false],
      [2, 'train', 1, false],
      [0, 'test', 1, false],
    ]);
    const at06 = pointRows(points, { x: [10, 20, 30], y: [1, 2, 3], scores, threshold: 0.6 });
    expect(at06.map((r) => [r.i, r.predicted, r.wrong])).toEqual([
      [1, 0, false],
      [2, 1, false],
      [0, 0, true],
    ]);
    expect(at06[2]).toMatchObject({ x: 10, y: 1, cls: 1 });
  });
  it('uses the host’s predictions when no threshold is given', () => {
    const rows = pointRows(points, { x: [0, 0, 0], y: [0, 0, 0] });
    expect(rows.filter((r) => r.wrong).map((r) => r.i)).toEqual([1]);
    expect(rows.at(-1)!.i).toBe(1);
  });
});

describe('metrics table and comparison', () => {
  const a = fixture('binary.json');
  const b = fixture('binary-gd.json');
  it('lists the splits evaluated and the report’s numbers', () => {
    const { splits, rows } = metricRows(a);
    expect(splits).toEqual(['train', 'validation', 'test']);
    const acc = rows.find((r) => r.label === 'Accuracy')!;
    expect(acc.values).toEqual([a.evaluation.train!.metrics!.accuracy, a.evaluation.validation!.metrics!.accuracy, a.evaluation.test!.metrics!.accuracy]);
  });
  it('compares two runs on the test split with the difference and the better run', () => {
    expect(comparisonSplit(a, b)).toBe('test');
    const rows = comparisonRows(a, b, 'test');
    const ll = rows.find((r) => r.label === 'Log loss')!;
    expect(ll.a).toBe(a.evaluation.test!.metrics!.logLoss);
    expect(ll.delta).toBeCloseTo(b.evaluation.test!.metrics!.logLoss - a.evaluation.test!.metrics!.logLoss, 15);
    expect(ll.better).toBe(ll.delta! < 0 ? 'b' : 'a');
    const auc = rows.find((r) => r.label === 'ROC AUC')!;
    if (auc.delta !== 0) expect(auc.better).toBe(auc.delta! > 0 ? 'b' : 'a');
    expect(rows.find((r) => r.label === 'Rows')!.better).toBeNull();
  });
});

describe('format and colours', () => {
  it('formats metric values', () => {
    expect(fmt(0.123456)).toBe('0.1235');
    expect(fmt(-2)).toBe('−2');
    expect(fmt(null)).toBe('—');
    expect(fmt(NaN)).toBe('—');
    expect(fmt(1.5e-7)).toBe('1.50e−7');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect([fmtBytes(512), fmtBytes(1472), fmtBytes(48.2e6), fmtBytes(5.2e9)]).toEqual(['512 B', '1.47 kB', '48.2 MB', '5.2 GB']);
  });
  it('parses and mixes colours', () => {
    expect(parseColor('#fff')).toEqual([255, 255, 255]);
    expect(parseColor('#1a85ffcc')).toEqual([26, 133, 255]);
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(parseColor('var(--x)')).toBeNull();
    expect(mix([0, 0, 0], [255, 255, 255], 0.5)).toBe('#808080');
  });
});
