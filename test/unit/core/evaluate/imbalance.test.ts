/**
 * Imbalance tools (issue 16 §5) against NumPy / scikit-learn run on the same numbers: the
 * cost-optimal threshold by brute force over every threshold, its confusion counts, balanced
 * accuracy (balanced_accuracy_score) and PR AUC (average_precision_score); random oversampling
 * touches the training rows only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/core/data/csv';
import { takeInt, takeRows } from '../../../../src/core/data/split';
import { costOptimalThreshold, countsAt, randomOversample } from '../../../../src/core/evaluate/imbalance';
import { decisionOnPreprocessed, probaFromDecision } from '../../../../src/core/model/model';
import { prepareRun, trainFromBytes } from '../../../../src/core/run/train';

const root = join(__dirname, '..', '..', '..', '..');
const file = 'test/fixtures/datasets/rare.csv';
const bytes = readFileSync(join(root, file));
const dir = mkdtempSync(join(tmpdir(), 'logit-lab-imbalance-'));
const PROBE = `import json, sys
import numpy as np
from sklearn.metrics import average_precision_score, balanced_accuracy_score
d = json.load(open(sys.argv[1]))
p, y = np.array(d['p']), np.array(d['y'])
ts = np.r_[np.inf, np.unique(p)[::-1]]
costs = [d['cfp'] * np.sum((p >= t) & (y == 0)) + d['cfn'] * np.sum((p < t) & (y == 1)) for t in ts]
k = int(np.argmin(costs))  # the first minimum: the highest threshold among ties
t = ts[k]
out = {'threshold': None if np.isinf(t) else float(t), 'cost': float(costs[k]),
       'fp': int(np.sum((p >= t) & (y == 0))), 'tp': int(np.sum((p >= t) & (y == 1))),
       'balanced': float(balanced_accuracy_score(y, (p >= 0.5).astype(int))), 'ap': float(average_precision_score(y, p))}
print(json.dumps(out))`;

describe('cost-based threshold', () => {
  const report = trainFromBytes(bytes, { costFP: 1, costFN: 20 }, { fileName: file });
  const run = prepareRun(parseCsv(bytes, { fileName: file }), {}, { fileName: file });
  const n = run.rowsOf.validation.length;
  const p = Array.from(probaFromDecision('binary', decisionOnPreprocessed(report.model, run.scaled.validation, n), n, 1)).filter((_, i) => i % 2 === 1);
  const y = Array.from(takeInt(run.ds.y, run.rowsOf.validation));

  for (const [cfp, cfn] of [[1, 20], [1, 1], [5, 1], [1, 0]] as const) {
    it(`FP ${cfp}, FN ${cfn}: the brute-force minimum on the validation rows`, () => {
      const path = join(dir, `cost_${cfp}_${cfn}.json`);
      writeFileSync(path, JSON.stringify({ p, y, cfp, cfn }));
      const want = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PROBE, path], { encoding: 'utf8' }));
      const sweep = report.evaluation.validation!.curves!.sweep;
      const t = costOptimalThreshold(sweep, cfp, cfn);
      const c = countsAt(sweep, t);
      expect(cfp * c.fp + cfn * c.fn).toBe(want.cost);
      expect({ fp: c.fp, tp: c.tp }).toEqual({ fp: want.fp, tp: want.tp });
      if (want.threshold === null) expect(t).toBeGreaterThan(Math.max(...p));
      else expect(t).toBeCloseTo(want.threshold, 12);
      if (cfp === 1 && cfn === 20) {
        // The run with these costs: the threshold is the model's, and each split's confusion at it.
        expect(report.model.threshold).toBe(t);
        expect(report.costThreshold!.chosenOn).toBe('validation');
        expect(report.costThreshold!.bayes).toBeCloseTo(1 / 21, 15);
        expect(report.costThreshold!.splits.validation.chosen).toMatchObject({ fp: want.fp, tp: want.tp, cost: want.cost });
      }
      // Balanced accuracy (macro recall) and PR AUC as scikit-learn computes them.
      const m = report.evaluation.validation!.metrics!;
      expect(m.macro.recall).toBeCloseTo(want.balanced, 12);
      expect(m.averagePrecision!).toBeCloseTo(want.ap, 12);
    }, 60_000);
  }
});

describe('random oversampling', () => {
  it('balances the training rows only: validation and test rows and values unchanged', () => {
    const table = () => parseCsv(bytes, { fileName: file });
    const plain = prepareRun(table(), {}, { fileName: file });
    const over = prepareRun(table(), { oversample: true }, { fileName: file });
    expect(Array.from(over.rowsOf.validation)).toEqual(Array.from(plain.rowsOf.validation));
    expect(Array.from(over.rowsOf.test)).toEqual(Array.from(plain.rowsOf.test));
    const raw = (r: typeof plain, s: 'validation' | 'test') => Array.from(takeRows(r.ds.X, r.ds.d, r.rowsOf[s]));
    expect(raw(over, 'validation')).toEqual(raw(plain, 'validation'));
    expect(raw(over, 'test')).toEqual(raw(plain, 'test'));
    // Training: the original rows first, then draws from the training rows of the smaller class.
    const trainSet = new Set(plain.rowsOf.train);
    expect(Array.from(over.rowsOf.train.subarray(0, plain.rowsOf.train.length))).toEqual(Array.from(plain.rowsOf.train));
    expect(Array.from(over.rowsOf.train).every((r) => trainSet.has(r))).toBe(true);
    const counts = [0, 0];
    for (const r of over.rowsOf.train) counts[over.ds.y[r]]++;
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBe(Array.from(plain.rowsOf.train).filter((r) => plain.ds.y[r] === 0).length);
  });

  it('is seeded and never draws from another class', () => {
    const y = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 2]);
    const rows = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const a = randomOversample(rows, y, 3, 7);
    expect(Array.from(a)).toEqual(Array.from(randomOversample(rows, y, 3, 7)));
    expect(a).toHaveLength(15);
    expect(Array.from(a.subarray(8, 11)).every((r) => y[r] === 1)).toBe(true);
    expect(Array.from(a.subarray(11)).every((r) => r === 7)).toBe(true);
  });
});
