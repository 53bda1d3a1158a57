/**
 * Feature expansion (issue 16 §3): PolynomialFeatures' names, order and values and
 * KBinsDiscretizer(uniform)'s bins against scikit-learn (scripts/fixtures/expansion_fixtures.py);
 * the circles sample, which no line separates, fitted with degree 2; the saved model predicting
 * through the expansion; the boundary grid evaluated through it; bad values named by line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binOf, expandRows, fitExpansion, polynomialTerms, termName, type ExpansionSpec } from '../../../../src/core/data/featureExpansion';
import { parseModelJson, predictProba } from '../../../../src/core/model/model';
import { predictionsCsv } from '../../../../src/core/run/predict';
import { trainFromBytes } from '../../../../src/core/run/train';
import { sliceGrid } from '../../../../webview/panel/viewModel/boundaryGrid';

const root = join(__dirname, '..', '..', '..', '..');
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/sklearn/expansion/polynomial.json'), 'utf8')) as {
  X: number[][]; names: string[];
  cases: { degree: number; interactionOnly: boolean; names: string[]; values: number[][] }[];
  bins: { train: number[]; values: number[]; n: number; edges: number[]; bin: number[] };
};
const circles = readFileSync(join(root, 'samples/circles.csv'));
const spec = (over: Partial<ExpansionSpec>): ExpansionSpec => ({ degree: 1, interactionOnly: false, log: [], log1p: [], bins: [], ...over });
const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('PolynomialFeatures parity', () => {
  for (const c of fixture.cases) {
    it(`degree ${c.degree}${c.interactionOnly ? ', interaction_only' : ''}: names, order and values`, () => {
      const n = fixture.X.length;
      const X = Float64Array.from(fixture.X.flat());
      const ex = fitExpansion(spec({ degree: c.degree, interactionOnly: c.interactionOnly }), X, 3, all(n), fixture.names, [true, true, true]);
      expect(ex.names).toEqual(c.names);
      const out = expandRows(ex, X, n);
      c.values.flat().forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
    });
  }

  it('term counts and names of a degree-3 expansion of 4 features', () => {
    const terms = polynomialTerms(4, 3, false);
    expect(terms).toHaveLength(4 + 10 + 20);
    expect(termName([0, 0, 2], ['p', 'q', 'r'])).toBe('p^2 r');
    expect(polynomialTerms(4, 3, true)).toHaveLength(4 + 6 + 4);
  });
});

describe('uniform bins match KBinsDiscretizer(strategy="uniform")', () => {
  it('edges from the training rows, and the bin of every value (outside the range too)', () => {
    const b = fixture.bins;
    const X = Float64Array.from(b.values);
    const ex = fitExpansion(spec({ bins: [{ feature: 'z', n: b.n }] }), X, 1, all(b.train.length), ['z'], [true]);
    ex.binEdges[0].forEach((e, k) => expect(Math.abs(e - b.edges[k])).toBeLessThan(1e-12));
    expect(b.values.map((v) => binOf(ex.binEdges[0], v))).toEqual(b.bin);
    expect(ex.names).toEqual(['z_bin0', 'z_bin1', 'z_bin2', 'z_bin3']);
    const out = expandRows(ex, X, X.length);
    b.bin.forEach((k, i) => expect(Array.from(out.subarray(4 * i, 4 * i + 4))).toEqual([0, 1, 2, 3].map((j) => (j === k ? 1 : 0))));
  });
});

describe('circles: a curved boundary from a linear model', () => {
  const plain = trainFromBytes(circles, {}, { fileName: 'circles.csv' });
  const poly = trainFromBytes(circles, { expansion: spec({ degree: 2 }) }, { fileName: 'circles.csv' });

  it('the plain model cannot separate the rings; degree 2 reaches accuracy > 0.95 on the test rows', () => {
    expect(plain.evaluation.test!.metrics!.accuracy).toBeLessThan(0.7);
    expect(poly.evaluation.test!.metrics!.accuracy).toBeGreaterThan(0.95);
    expect(poly.model.featureNames).toEqual(['x1', 'x2', 'x1^2', 'x1 x2', 'x2^2']);
    expect(poly.model.features.map((f) => f.name)).toEqual(['x1', 'x2']);
  });

  it('the saved model predicts through the expansion (predict = evaluation)', () => {
    const model = parseModelJson(JSON.stringify(poly.model));
    const out = predictionsCsv(model, circles, 'circles.csv').csv.trim().split('\n').slice(1);
    const lines = readFileSync(join(root, 'samples/circles.csv'), 'utf8').trim().split('\n').slice(1);
    let correct = 0;
    out.forEach((row, i) => (correct += row.split(',')[1] === lines[i].split(',')[2] ? 1 : 0));
    expect(correct / out.length).toBeGreaterThan(0.95);
    // One row by hand: expansion, then the scaler, then the linear model.
    const [x1, x2] = [0.1, -0.2];
    const feats = [x1, x2, x1 * x1, x1 * x2, x2 * x2];
    const { mean, scale } = model.preprocessor;
    const z = feats.reduce((s, v, j) => s + (model.coefStandardized[0][j] * (v - mean[j])) / scale[j], model.interceptStandardized[0]);
    expect(predictProba(model, Float64Array.from([x1, x2]), 1)[1]).toBeCloseTo(1 / (1 + Math.exp(-z)), 14);
  });

  it('the boundary grid is evaluated through the expansion: a closed curve in the original plane', () => {
    const grid = sliceGrid(poly.model, { pair: [0, 1], base: [0, 0], xExtent: [-1.2, 1.2], yExtent: [-1.2, 1.2], nx: 41, ny: 41 });
    const inner = poly.model.classes.indexOf('inner');
    const at = (r: number, c: number) => grid.argmax[r * 41 + c];
    // The centre is inner; all four edges' midpoints are outer: no straight line does that.
    expect(at(20, 20)).toBe(inner);
    for (const [r, c] of [[0, 20], [40, 20], [20, 0], [20, 40]]) expect(at(r, c)).toBe(1 - inner);
  });

  it('a model file whose expansion does not match its features is refused', () => {
    const broken = { ...poly.model, expansion: { ...poly.model.expansion!, names: ['x1', 'x2', 'x1^2', 'x2^2', 'x1 x2'] } };
    expect(() => parseModelJson(JSON.stringify(broken))).toThrow(/expansion/);
  });
});

describe('log, log1p and bins in a run', () => {
  const csv = 'a,b,y\n' + Array.from({ length: 60 }, (_, i) => `${1 + i},${(i * 7) % 13},${i % 3 === 0 ? 'p' : 'n'}`).join('\n') + '\n';

  it('columns replaced in input order, then the polynomial terms over them', () => {
    const r = trainFromBytes(new TextEncoder().encode(csv), { expansion: spec({ log: ['a'], bins: [{ feature: 'b', n: 3 }] }) }, { fileName: 'd.csv' });
    expect(r.model.featureNames).toEqual(['log(a)', 'b_bin0', 'b_bin1', 'b_bin2']);
    expect(r.model.expansion!.binEdges[0][0]).toBe(0);
  });

  it('a value log cannot take is an error naming the file and line', () => {
    const bad = csv.replace('\n5,', '\n-5,');
    expect(() => trainFromBytes(new TextEncoder().encode(bad), { expansion: spec({ log: ['a'] }) }, { fileName: 'd.csv' })).toThrow(/d\.csv:6: error: log of feature 'a' needs values above 0, got -5/);
  });

  it('an unknown feature and streaming are refused', () => {
    expect(() => trainFromBytes(new TextEncoder().encode(csv), { expansion: spec({ log1p: ['zz'] }) }, { fileName: 'd.csv' })).toThrow(/log1p names feature 'zz'/);
    expect(() => trainFromBytes(new TextEncoder().encode(csv), { stream: true, expansion: spec({ degree: 2 }) }, { fileName: 'd.csv' })).toThrow(/streaming/);
  });
});
