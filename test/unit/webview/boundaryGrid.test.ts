import { describe, expect, it } from 'vitest';
import { cellCentre, column, paddedExtent, pcaGrid, projectPoints, sliceBase, sliceGrid } from '../../../webview/panel/viewModel/boundaryGrid';
import type { PointSample, Projection } from '../../../src/core/report/report';
import { binaryModel, sigmoid, softmaxModel } from './modelFixture';

const points: PointSample = {
  // 3 rows x 3 features, original units.
  X: [0, 1, 2, 4, 3, 5, 2, 2, 2],
  y: [0, 1, 1],
  split: [0, 0, 2],
  predicted: [0, 1, 0],
  ofRows: 3,
};

describe('paddedExtent', () => {
  it('pads the range by 5% on each side', () => {
    expect(paddedExtent([0, 10, 5])).toEqual([-0.5, 10.5]);
    expect(paddedExtent([NaN, 2, Infinity, 4], 0.1)).toEqual([1.8, 4.2]);
  });
  it('widens a degenerate range', () => {
    expect(paddedExtent([3, 3])).toEqual([2.85, 3.15]);
    expect(paddedExtent([0, 0])).toEqual([-0.5, 0.5]);
    expect(paddedExtent([])).toEqual([-1, 1]);
  });
});

describe('sliceBase', () => {
  it('holds the other features at the standardizer means when standardized', () => {
    expect(sliceBase(binaryModel(), points)).toEqual({ base: [1, 2, 3], source: 'standardizer mean' });
  });
  it('uses the imputation means (training means) without standardization', () => {
    const m = binaryModel({ preprocessor: { imputeMean: [1.5, 2.5, 3.5], mean: [0, 0, 0], scale: [1, 1, 1], standardize: false } });
    expect(sliceBase(m, points, 'impute')).toEqual({ base: [1.5, 2.5, 3.5], source: 'imputation mean' });
  });
  it('falls back to the mean of the sample’s training rows when rows with missing values were dropped', () => {
    const m = binaryModel({ preprocessor: { imputeMean: [0, 0, 0], mean: [0, 0, 0], scale: [1, 1, 1], standardize: false } });
    expect(sliceBase(m, points, 'drop')).toEqual({ base: [2, 2, 3.5], source: 'sample mean' });
  });
});

describe('sliceGrid', () => {
  it('evaluates the model at every cell centre, the other features held at the base', () => {
    const m = binaryModel();
    const base = [1, 2, 3];
    const g = sliceGrid(m, { pair: [0, 1], base, xExtent: [0, 4], yExtent: [1, 3], nx: 4, ny: 2 });
    expect([g.nx, g.ny, g.x1, g.x2, g.y1, g.y2, g.K]).toEqual([4, 2, 0, 4, 1, 3, 2]);
    // Cell (r = 1, c = 2): x = 0 + 2.5 * 1 = 2.5, y = 1 + 1.5 * 1 = 2.5, feature c held at 3.
    const z = 2 * ((2.5 - 1) / 2) - 1 * ((2.5 - 2) / 0.5) + 0.5 * 0 + 0.25;
    expect(g.value[1 * 4 + 2]).toBeCloseTo(sigmoid(z), 14);
    expect(g.proba[2 * (1 * 4 + 2)]).toBeCloseTo(1 - sigmoid(z), 14);
    // Every cell agrees with the closed form.
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 4; c++) {
        const x = cellCentre(0, 4, 4, c);
        const y = cellCentre(1, 3, 2, r);
        expect(g.value[r * 4 + c]).toBeCloseTo(sigmoid(2 * ((x - 1) / 2) - (y - 2) / 0.5 + 0.25), 14);
        expect(g.argmax[r * 4 + c]).toBe(g.value[r * 4 + c] >= 0.5 ? 1 : 0);
      }
    }
  });

  it('puts the binary boundary where the original-unit coefficients say', () => {
    const m = binaryModel();
    // Along feature a with b, c at their means: p = 0.5 where w0 (a - 1)/2 + 0.25 = 0, a = 0.75.
    const g = sliceGrid(m, { pair: [0, 1], base: [1, 2, 3], xExtent: [0.7, 0.8], yExtent: [1.99, 2.01], nx: 2, ny: 1 });
    expect(g.value[0]).toBeLessThan(0.5);
    expect(g.value[1]).toBeGreaterThan(0.5);
  });

  it('gives argmax regions and margins for a softmax model', () => {
    const m = softmaxModel();
    const g = sliceGrid(m, { pair: [0, 1], base: [0, 0], xExtent: [-3, 3], yExtent: [-3, 3], nx: 3, ny: 3 });
    expect(g.K).toBe(3);
    // Cells: x, y in {-2, 0, 2}. (2, -2) -> A; (-2, 2) -> B; (-2, -2) -> C.
    expect(g.argmax[0 * 3 + 2]).toBe(0);
    expect(g.argmax[2 * 3 + 0]).toBe(1);
    expect(g.argmax[0]).toBe(2);
    const z = [2, -2, 0];
    const e = z.map(Math.exp);
    const s = e[0] + e[1] + e[2];
    expect(g.value[2]).toBeCloseTo(e[0] / s, 14);
    expect(g.margins[0][2]).toBeCloseTo(e[0] / s - e[2] / s, 14);
    // At the centre all classes tie: every margin is 0.
    for (let k = 0; k < 3; k++) expect(g.margins[k][4]).toBeCloseTo(0, 14);
  });
});

describe('PCA view', () => {
  const proj: Projection = {
    center: [0.5, -0.5, 0],
    components: [
      [1, 0, 0],
      [0, Math.SQRT1_2, Math.SQRT1_2],
    ],
    explained: [0.6, 0.3],
  };

  it('projects points through the standardizer onto the components', () => {
    const m = binaryModel();
    const { u, v } = projectPoints(m, proj, points);
    // Row 1: x = (4, 3, 5) -> standardized ((4-1)/2, (3-2)/0.5, (5-3)/1) = (1.5, 2, 2).
    expect(u[1]).toBeCloseTo(1.5 - 0.5, 14);
    expect(v[1]).toBeCloseTo((2 + 0.5) * Math.SQRT1_2 + 2 * Math.SQRT1_2, 14);
  });

  it('maps grid cells back to standardized space as center + u c1 + v c2', () => {
    const m = binaryModel();
    const g = pcaGrid(m, proj, { uExtent: [-1, 1], vExtent: [-2, 2], nx: 2, ny: 2 });
    // Cell (r = 1, c = 0): u = -0.5, v = 1; x_s = (0.5 - 0.5, -0.5 + 1/sqrt2, 1/sqrt2).
    const xs = [0, -0.5 + Math.SQRT1_2, Math.SQRT1_2];
    const z = 2 * xs[0] - xs[1] + 0.5 * xs[2] + 0.25;
    expect(g.value[2]).toBeCloseTo(sigmoid(z), 14);
  });
});

describe('column', () => {
  it('extracts a column of a row-major matrix', () => {
    expect(Array.from(column(points.X, 3, 1))).toEqual([1, 3, 2]);
  });
});
