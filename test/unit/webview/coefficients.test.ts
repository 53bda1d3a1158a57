import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainReport } from '../../../src/core/report/report';
import { coefficientRows, groupOneHot, hasOddsRatios, pixelLayout, sortCoefficients } from '../../../webview/panel/viewModel/coefficients';

const report = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/reports', name), 'utf8')) as TrainReport;

describe('pixelLayout', () => {
  it('reads pixel_i_j names, leaving dropped constant pixels blank (digits: 61 of 64)', () => {
    const m = report('digits.json').model;
    const layout = pixelLayout(m.featureNames)!;
    expect([layout.rows, layout.cols]).toEqual([8, 8]);
    expect(layout.at[m.featureNames.indexOf('pixel_3_5')]).toEqual([3, 5]);
    expect(m.featureNames.length).toBe(61);
  });
  it('reads a square count of numbered pixels row by row', () => {
    const layout = pixelLayout(Array.from({ length: 784 }, (_, i) => `pixel${i}`))!;
    expect([layout.rows, layout.cols]).toEqual([28, 28]);
    expect(layout.at[29]).toEqual([1, 1]);
  });
  it('is null for ordinary features', () => {
    expect(pixelLayout(report('wine.json').model.featureNames)).toBeNull();
    expect(pixelLayout(Array.from({ length: 20 }, (_, i) => `x${i}`))).toBeNull();
  });
});

describe('groupOneHot', () => {
  it('keeps the levels of a variable together, at the place of its largest level (mixed-type table)', () => {
    const m = report('pbc.json').model;
    const rows = groupOneHot(sortCoefficients(coefficientRows(m), 'abs', true, 'standardized'), m.features);
    expect(rows).toHaveLength(m.featureNames.length);
    const columns = rows.map((r) => m.features[r.j].column);
    // Each variable's rows are contiguous.
    for (const c of new Set(columns)) {
      const first = columns.indexOf(c);
      const last = columns.lastIndexOf(c);
      expect(columns.slice(first, last + 1).every((x) => x === c)).toBe(true);
    }
    const stage = rows.filter((r) => m.features[r.j].column === 'stage');
    expect(stage).toHaveLength(4);
  });
});

describe('hasOddsRatios', () => {
  it('binary, one-vs-rest and multilabel outputs have odds ratios; multinomial ones do not', () => {
    expect(hasOddsRatios({ kind: 'binary' })).toBe(true);
    expect(hasOddsRatios({ kind: 'ovr' })).toBe(true);
    expect(hasOddsRatios({ kind: 'multinomial' })).toBe(false);
  });
});
