import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { principalComponents, sampledComponents } from '../../../../src/core/evaluate/projection';
import { stratifiedSample } from '../../../../src/core/data/sample';
import { parseCsv } from '../../../../src/core/data/csv';
import { inferColumns } from '../../../../src/core/data/dataset';
import { buildDataset } from '../../../../src/core/data/dataPlan';
import { fitPreprocessor, transform } from '../../../../src/core/data/preprocess';

describe('principalComponents', () => {
  it('matches scikit-learn PCA on standardized iris (signs fixed by the largest loading)', () => {
    const table = parseCsv(readFileSync(join(__dirname, '..', '..', '..', '..', 'samples', 'iris.csv')), { fileName: 'iris.csv' });
    const ds = buildDataset(table, inferColumns(table), { target: 'species' });
    const Xs = transform(ds.X, ds.n, ds.d, fitPreprocessor(ds.X, ds.n, ds.d, true));
    const p = principalComponents(Xs, ds.n, ds.d)!;
    // sklearn.decomposition.PCA(2) on StandardScaler().fit_transform(load_iris().data)
    const ref = [
      [0.5210659146701195, -0.2693474425059429, 0.5804130957962944, 0.5648565357793611],
      [0.37741761556456715, 0.9232956595407147, 0.024491609085586674, 0.06694198696805853],
    ];
    p.components.forEach((c, k) => c.forEach((v, j) => expect(v).toBeCloseTo(ref[k][j], 9)));
    expect(p.explained[0]).toBeCloseTo(0.7296244541329987, 10);
    expect(p.explained[1]).toBeCloseTo(0.2285076178670178, 10);
  });

  it('returns null when there is nothing to project', () => {
    expect(principalComponents(new Float64Array([1, 2, 3]), 3, 1)).toBeNull();
    expect(principalComponents(new Float64Array(8).fill(2), 4, 2)).toBeNull();
  });
});

describe('sampledComponents (the run\'s PCA picture)', () => {
  // Two strong directions (x0 + x1, x2 - x3) over small noise, rows in no order.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296 - 0.5);
  const n = 23_457;
  const d = 5;
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = 3 * rnd();
    const b = 2 * rnd();
    const row = [a, a, b, -b, 0];
    for (let j = 0; j < d; j++) X[i * d + j] = row[j] + 0.05 * rnd();
  }

  it('is principalComponents of every row up to maxRows', () => {
    expect(sampledComponents(X, 4000, d, 3, 4000)).toEqual(principalComponents(X, 4000, d, 3));
  });

  it('above maxRows: principalComponents of evenly spaced blocks of consecutive rows, in order', () => {
    const p = sampledComponents(X, n, d, 0, 5000)!;
    // optimize/precondition.ts sampledRanges: ceil(5000 / 64) = 79 blocks of 64 rows at floor(b n / 79).
    const rows: number[] = [];
    for (let b = 0; b < 79; b++) for (let r = Math.floor((b * n) / 79); r < Math.floor((b * n) / 79) + 64; r++) rows.push(r);
    const picked = new Float64Array(rows.length * d);
    rows.forEach((r, k) => picked.set(X.subarray(r * d, (r + 1) * d), k * d));
    expect(p).toEqual(principalComponents(picked, rows.length, d, 0));
    // And close to the PCA of all the rows (a picture: the same plane).
    const all = principalComponents(X, n, d, 0)!;
    for (let k = 0; k < 2; k++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += p.components[k][j] * all.components[k][j];
      expect(Math.abs(dot)).toBeGreaterThan(0.999);
      expect(p.explained[k]).toBeCloseTo(all.explained[k], 1);
    }
  });
});

describe('stratifiedSample', () => {
  it('keeps every stratum, in proportion, deterministically', () => {
    const strata = Int32Array.from({ length: 10_000 }, (_, i) => (i < 9_900 ? 0 : i < 9_990 ? 1 : 2));
    const a = stratifiedSample(strata, 500, 7);
    expect(a.length).toBe(500);
    const count = (s: number) => Array.from(a).filter((i) => strata[i] === s).length;
    expect(count(0)).toBe(495);
    expect(count(1)).toBeGreaterThanOrEqual(4);
    expect(count(2)).toBeGreaterThanOrEqual(1);
    expect(Array.from(stratifiedSample(strata, 500, 7))).toEqual(Array.from(a));
    expect(Array.from(stratifiedSample(strata, 500, 8))).not.toEqual(Array.from(a));
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
  });

  it('returns every row when they fit', () => {
    expect(Array.from(stratifiedSample([3, 1, 2], 10, 0))).toEqual([0, 1, 2]);
  });
});
