/**
 * Streaming runs keep snapshots like in-memory runs (core/run/streaming.ts, SgdEpochs): θ at the start
 * and after each loss-history point, so the replay scrubber works on a streamed run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinearModelLoss } from '../../../src/core/model/loss';
import { Rng } from '../../../src/core/random';
import { streamSplitOf } from '../../../src/core/run/streaming';
import { replayObjective, replaySteps, thetaAt } from '../../../src/core/run/snapshots';
import { trainStreamFromFile } from '../../../src/node/streamCsv';

const dir = mkdtempSync(join(tmpdir(), 'logit-lab-stream-snap-'));

/** n rows of three numeric features and a yes/no label; the raw rows returned too. */
function generate(n: number): { path: string; rows: number[][]; labels: number[] } {
  const rng = new Rng(5);
  const rows: number[][] = [];
  const labels: number[] = [];
  const lines = ['x1,x2,x3,label'];
  for (let i = 0; i < n; i++) {
    const x = [rng.normal() * 2 + 1, rng.normal() * 0.5 - 3, rng.normal() * 10].map((v) => Number(v.toFixed(6)));
    const z = 1.5 * x[0] - 2 * x[1] + 0.05 * x[2] - 7.5;
    const y = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    rows.push(x);
    labels.push(y);
    lines.push(`${x.join(',')},${y ? 'yes' : 'no'}`);
  }
  const path = join(dir, `s${n}.csv`);
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, rows, labels };
}

describe('streaming snapshots', () => {
  it('one mini-batch an epoch: F at snapshot k reproduces the loss history’s point k (the batch loss before the step)', async () => {
    const { path, rows, labels } = generate(3000);
    const epochs = 6;
    const report = await trainStreamFromFile(path, { epochs, batchSize: 100_000, optimizer: 'sgd', learningRate: 0.5, schedule: 'constant', penalty: 'l2', C: 1 }, { fileName: 's.csv' });
    const replay = report.replay!;
    expect(replay.outputs).toHaveLength(1);
    expect(replaySteps(replay)).toEqual(Array.from({ length: epochs + 1 }, (_, k) => k));
    expect(report.lossHistory.train).toHaveLength(epochs);
    // The training rows (the hold-out hash of each row number), standardized as the model was.
    const pre = report.model.preprocessor;
    const train = rows.map((r, i) => ({ r, y: labels[i], s: streamSplitOf(i, 0, 0.1, 0.2) })).filter((t) => t.s === 0);
    const d = 3;
    const X = new Float64Array(train.length * d);
    train.forEach((t, i) => t.r.forEach((v, j) => (X[i * d + j] = (v - pre.mean[j]) / pre.scale[j])));
    const y = Int32Array.from(train, (t) => (report.model.classes[1] === 'yes' ? t.y : 1 - t.y));
    expect(train.length).toBe(report.data.nTrain);
    const loss = new LinearModelLoss({ X, n: train.length, d, kind: 'binary', y, nClasses: 2, penalty: 'l2', C: report.model.settings.C });
    for (let k = 0; k < epochs; k++) {
      const f = replayObjective(loss, thetaAt(replay, 0, k));
      expect(Math.abs(f - report.lossHistory.train[k]) / f).toBeLessThan(1e-12);
    }
    // The last snapshot is the fitted model.
    const last = thetaAt(replay, 0, epochs);
    expect(Array.from(last)).toEqual([...report.model.coefStandardized[0], report.model.interceptStandardized[0]]);
  });

  it('many points an epoch: one snapshot per history point, at most 2,000, the last the model', async () => {
    const { path } = generate(6000);
    const report = await trainStreamFromFile(path, { epochs: 3, batchSize: 16 }, { fileName: 's.csv' });
    const replay = report.replay!;
    const steps = replaySteps(replay);
    expect(steps[0]).toBe(0);
    expect(steps[steps.length - 1]).toBe(report.lossHistory.train.length);
    expect(steps.length).toBe(Math.min(2000, report.lossHistory.train.length + 1));
    const last = thetaAt(replay, 0, steps[steps.length - 1]);
    expect(Array.from(last)).toEqual([...report.model.coefStandardized[0], report.model.interceptStandardized[0]]);
  });
});
