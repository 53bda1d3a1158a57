/**
 * The run's perceptron (settings.perceptron, issue 16 §4) on the same split as the logistic model:
 * scikit-learn's Perceptron(shuffle=False), run by Debian's python3-sklearn on the run's own
 * standardized training rows, gives the same coefficients and the same accuracy on each split.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { takeInt } from '../../../../src/core/data/split';
import { prepareRun, trainFromBytes } from '../../../../src/core/run/train';

const root = join(__dirname, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'logit-lab-perceptron-'));
const PROBE = `import json, sys
import numpy as np
from sklearn.linear_model import Perceptron
d = json.load(open(sys.argv[1]))
X = np.array(d['train']).reshape(-1, d['d'])
p = Perceptron(shuffle=False, random_state=0, class_weight=d['classWeight']).fit(X, d['y'])
acc = {s: float(p.score(np.array(v['X']).reshape(-1, d['d']), v['y'])) for s, v in d['splits'].items()}
print(json.dumps({'coef': p.coef_.tolist(), 'intercept': p.intercept_.tolist(), 'nIter': int(p.n_iter_), 'accuracy': acc}))`;

describe('perceptron on the run’s split = scikit-learn', () => {
  for (const [file, settings] of [['samples/binary.csv', {}], ['samples/iris.csv', {}], ['test/fixtures/datasets/wine.csv', { classWeight: 'balanced' as const }]] as const) {
    it(`${file} ${JSON.stringify(settings)}`, () => {
      const bytes = readFileSync(join(root, file));
      const report = trainFromBytes(bytes, { ...settings, perceptron: true }, { fileName: file });
      const run = prepareRun(parseCsv(bytes, { fileName: file }), { ...settings }, { fileName: file });
      const y = (s: 'train' | 'validation' | 'test') => Array.from(takeInt(run.ds.y, run.rowsOf[s]));
      const input = {
        d: run.ds.d, train: Array.from(run.scaled.train), y: y('train'), classWeight: 'classWeight' in settings ? 'balanced' : null,
        splits: Object.fromEntries((['train', 'validation', 'test'] as const).map((s) => [s, { X: Array.from(run.scaled[s]), y: y(s) }])),
      };
      const path = join(dir, `${file.replace(/\W+/g, '_')}.json`);
      writeFileSync(path, JSON.stringify(input));
      const want = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PROBE, path], { encoding: 'utf8' }));
      const p = report.perceptron!;
      expect(p.nIter).toBe(want.nIter);
      want.coef.forEach((row: number[], k: number) => {
        row.forEach((w, j) => expect(Math.abs(p.coefStandardized[k][j] - w)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(w))));
        expect(Math.abs(p.interceptStandardized[k] - want.intercept[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.intercept[k])));
      });
      for (const s of ['train', 'validation', 'test'] as const) expect(p.splits[s]!.accuracy).toBeCloseTo(want.accuracy[s], 12);
      if (report.model.kind === 'binary') {
        const roc = p.splits.test!.rocPoint!;
        expect(roc.fpr).toBeGreaterThanOrEqual(0);
        expect(roc.tpr).toBeLessThanOrEqual(1);
      } else expect(p.splits.test!.rocPoint).toBeUndefined();
    }, 60_000);
  }

  it('no perceptron unless asked, nor for a multilabel model', () => {
    const csv = new TextEncoder().encode('x,a,b\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 2},${(i >> 1) % 2}`).join('\n') + '\n');
    expect(trainFromBytes(readFileSync(join(root, 'samples/binary.csv')), {}, { fileName: 'b.csv' }).perceptron).toBeUndefined();
    expect(trainFromBytes(csv, { target: ['a', 'b'], perceptron: true }, { fileName: 'm.csv' }).perceptron).toBeUndefined();
  });
});
