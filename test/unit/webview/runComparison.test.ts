/** Comparing any number of runs (webview/panel/viewModel/runComparison.ts) on real reports. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainReport } from '../../../src/core/report/report';
import { DEFAULT_SETTINGS } from '../../../src/core/run/settings';
import { comparisonSplit } from '../../../webview/panel/viewModel/metricsTable';
import { coefficientBars, multiComparisonRows, resolvedSettings, runLetter, settingsDiff } from '../../../webview/panel/viewModel/runComparison';
import { binaryModel, softmaxModel } from './modelFixture';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/reports', name), 'utf8')) as TrainReport;

describe('run letters', () => {
  it('are A…Z, then AA, AB…', () => {
    expect([0, 1, 2, 25, 26, 27].map(runLetter)).toEqual(['A', 'B', 'C', 'Z', 'AA', 'AB']);
  });
});

describe('multiComparisonRows', () => {
  const a = fixture('binary.json');
  const b = fixture('binary-gd.json');
  it('has one value per run on the common split and marks the best (lower for losses)', () => {
    const split = comparisonSplit(a, b, a);
    expect(split).toBe('test');
    const rows = multiComparisonRows([a, b, a], split);
    const acc = rows.find((r) => r.label === 'Accuracy')!;
    expect(acc.values).toEqual([a.evaluation.test!.metrics!.accuracy, b.evaluation.test!.metrics!.accuracy, a.evaluation.test!.metrics!.accuracy]);
    const loss = rows.find((r) => r.label === 'Log loss')!;
    const la = a.evaluation.test!.metrics!.logLoss;
    const lb = b.evaluation.test!.metrics!.logLoss;
    expect(loss.best).toEqual(la < lb ? [0, 2] : [1]);
    // Counts are not a quality: never "best".
    expect(rows.find((r) => r.label === 'Rows')!.best).toEqual([]);
  });
  it('marks nothing when every run ties', () => {
    expect(multiComparisonRows([a, a, a], 'test').every((r) => r.best.length === 0)).toBe(true);
  });
});

describe('settingsDiff', () => {
  it('lists only the settings that differ, one value per run', () => {
    const s1 = { ...DEFAULT_SETTINGS, penalty: 'l2' as const, C: 1 };
    const s2 = { ...DEFAULT_SETTINGS, penalty: 'l1' as const, C: 1 };
    const s3 = { ...DEFAULT_SETTINGS, penalty: 'l2' as const, C: 0.1 };
    expect(settingsDiff(s1, s2, s3)).toEqual([
      ['penalty', 'l2', 'l1', 'l2'],
      ['C', '1', '1', '0.1'],
    ]);
    expect(settingsDiff(s1, s1, s1)).toEqual([]);
  });
  it('does not list the target when one run guessed it and another named it', () => {
    const r = fixture('binary.json');
    const guessed = resolvedSettings({ settings: { ...r.model.settings, target: [] }, report: r });
    const named = resolvedSettings({ settings: { ...r.model.settings, target: [...r.data.target] }, report: r });
    expect(settingsDiff(guessed, named, guessed)).toEqual([]);
  });
});

describe('coefficientBars', () => {
  it('groups every run’s coefficient of a feature together, in the chosen units', () => {
    const m1 = binaryModel();
    const m2 = binaryModel({ coefStandardized: [[0, -3, 0.25]] });
    const runs = [m1, m2].map((model) => ({ report: { model } as TrainReport }));
    const { bars, groups, total } = coefficientBars(runs, 'standardized');
    expect(groups).toEqual(['a', 'b', 'c']);
    expect(total).toBe(3);
    expect(bars.filter((x) => x.group === 'b').map((x) => [x.letter, x.value])).toEqual([
      ['A', -1],
      ['B', -3],
    ]);
    // An L1 zero is a bar of length 0, not a missing bar.
    expect(bars.find((x) => x.group === 'a' && x.letter === 'B')!.value).toBe(0);
  });
  it('keeps the largest groups over all runs when there are more than the limit; multiclass groups are feature · class', () => {
    const m1 = binaryModel();
    const m2 = binaryModel({ coefStandardized: [[0, -3, 0.25]] });
    const { groups } = coefficientBars([m1, m2].map((model) => ({ report: { model } as TrainReport })), 'standardized', 2);
    expect(groups).toEqual(['b', 'a']);
    const soft = coefficientBars([{ report: { model: softmaxModel() } as TrainReport }], 'original');
    expect(soft.groups.slice(0, 2)).toEqual(['x · A', 'y · A']);
  });
});
