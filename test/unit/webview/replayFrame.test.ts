import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictProba } from '../../../src/core/model/model';
import { modelAtStep } from '../../../src/core/run/snapshots';
import { trainFromBytes } from '../../../src/core/run/train';
import { column, paddedExtent, pcaGrid, projectPoints, sliceBase, sliceGrid } from '../../../webview/panel/viewModel/boundaryGrid';
import { pcaPlane, replayCache, replayFrame, slicePlane } from '../../../webview/panel/viewModel/replayFrame';

const datasets = join(__dirname, '..', '..', 'fixtures', 'datasets');
const train = (file: string, extra = {}) =>
  trainFromBytes(readFileSync(join(datasets, file)), { target: ['target'], seed: 1, solver: 'gd', maxIter: 60, ...extra }, { fileName: file });

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('replay frames', () => {
  it.each([['iris_vv.csv'], ['iris.csv']])('%s: the slice frame at every step equals the boundary grid of the model at that step', (file) => {
    const r = train(file);
    const model = r.model;
    const pair: [number, number] = [2, 3];
    const xe = paddedExtent(column(r.points.X, 4, 2));
    const ye = paddedExtent(column(r.points.X, 4, 3));
    const { base } = sliceBase(model, r.points);
    const cache = replayCache(model, r.replay!, r.points, slicePlane(model, pair, base, xe, ye, 40));
    expect(cache.steps[0]).toBe(0);
    for (const it of [0, 1, 7, cache.steps[cache.steps.length - 1]]) {
      const m = modelAtStep(model, r.replay!, it);
      const ref = sliceGrid(m, { pair, base, xExtent: xe, yExtent: ye, nx: 40, ny: 40 });
      const frame = replayFrame(cache, it, 0.5);
      expect(maxDiff(frame.value, ref.value)).toBeLessThan(1e-12);
      expect(Array.from(frame.argmax)).toEqual(Array.from(ref.argmax));
      // Points: predictions of the model at that step.
      const n = r.points.y.length;
      const p = predictProba(m, Float64Array.from(r.points.X), n);
      const K = p.length / n;
      const expected = Array.from({ length: n }, (_, i) => (K === 2 ? (p[2 * i + 1] >= 0.5 ? 1 : 0) : [0, 1, 2].reduce((b, k) => (p[i * K + k] > p[i * K + b] ? k : b), 0)));
      expect(Array.from(frame.predicted)).toEqual(expected);
      // Confusion matrix over the sampled training points, accuracy from the same counts.
      const trainRows = r.points.split.map((s, i) => (s === 0 ? i : -1)).filter((i) => i >= 0);
      const conf = Array.from({ length: cache.K }, () => new Array<number>(cache.K).fill(0));
      for (const i of trainRows) conf[r.points.y[i]][expected[i]]++;
      expect(frame.confusion).toEqual(conf);
      expect(frame.accuracy.train).toBeCloseTo(trainRows.filter((i) => expected[i] === r.points.y[i]).length / trainRows.length, 14);
    }
    // Gradient descent from zero: the weights grow from 0.
    expect(replayFrame(cache, 0, 0.5).weightNorm).toBe(0);
    expect(replayFrame(cache, cache.steps[cache.steps.length - 1], 0.5).weightNorm).toBeGreaterThan(0.5);
  });

  it('the PCA frame equals the PCA grid of the model at that step', () => {
    const r = train('wine.csv');
    const proj = r.projection!;
    const { u, v } = projectPoints(r.model, proj, r.points);
    const ue = paddedExtent(u);
    const ve = paddedExtent(v);
    const cache = replayCache(r.model, r.replay!, r.points, pcaPlane(proj.center, proj.components, ue, ve, 30));
    for (const it of [3, 30]) {
      const ref = pcaGrid(modelAtStep(r.model, r.replay!, it), proj, { uExtent: ue, vExtent: ve, nx: 30, ny: 30 });
      const frame = replayFrame(cache, it, 0.5);
      expect(maxDiff(frame.value, ref.value)).toBeLessThan(1e-12);
    }
  });
});
