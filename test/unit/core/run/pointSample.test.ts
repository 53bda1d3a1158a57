/**
 * The run's point sample (train.ts pointSample, counting its strata as it sets them) against
 * stratifiedSample of each row's class x split stratum built as before: the same rows, labels and
 * splits, also when an oversampled training split names rows several times, and with a multilabel target.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { stratifiedSample } from '../../../../src/core/data/sample';
import { prepareRun } from '../../../../src/core/run/train';
import type { TrainSettings } from '../../../../src/core/run/settings';
import { Rng } from '../../../../src/core/random';

function csv(n: number, multilabel: boolean): Uint8Array {
  const rng = new Rng(n);
  const lines = [multilabel ? 'a,b,y1,y2' : 'a,b,y'];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    // Imbalanced: about one row in eight positive.
    const y = rng.next() < (a > 1 ? 0.7 : 0.05) ? 1 : 0;
    lines.push(multilabel ? `${a},${b},${y},${rng.next() < 0.4 ? 1 : 0}` : `${a},${b},${y}`);
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

describe('pointSample', () => {
  const cases: [string, boolean, Partial<TrainSettings>][] = [
    ['the default split', false, {}],
    ['an oversampled training split', false, { oversample: true }],
    ['nothing held out', false, { testSize: 0, valSize: 0 }],
    ['a multilabel target', true, { target: ['y1', 'y2'] }],
  ];
  for (const [name, multilabel, settings] of cases) {
    it(`draws what stratifiedSample of the class x split strata draws (${name})`, () => {
      const n = 3000;
      const file = 'points.csv';
      const run = prepareRun(parseCsv(csv(n, multilabel), { fileName: file }), { maxPoints: 200, seed: 7, ...settings }, { fileName: file });
      const { ds, rowsOf, sample } = run;
      const splitOf = new Int8Array(ds.n);
      (['train', 'validation', 'test'] as const).forEach((s, k) => rowsOf[s].forEach((r) => (splitOf[r] = k)));
      const strata = Int32Array.from({ length: ds.n }, (_, r) => (multilabel ? 0 : ds.y[r]) * 3 + splitOf[r]);
      const picked = stratifiedSample(strata, 200, 7);
      expect(picked.length).toBeGreaterThan(150);
      expect(sample.split).toEqual(Array.from(picked, (r) => splitOf[r]));
      expect(sample.y).toEqual(Array.from(picked, (r) => (multilabel ? ds.Y![2 * r] | (ds.Y![2 * r + 1] << 1) : ds.y[r])));
      expect(sample.ofRows).toBe(ds.n);
      if (!multilabel) expect(new Set(Array.from(sample.split)).size).toBe(settings.testSize === 0 ? 1 : 3);
      expect(sample.X.length).toBe(picked.length * 2);
    });
  }
});
