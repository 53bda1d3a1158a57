import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinearModelLoss, type LossSpec } from '../../../../src/core/model/loss';
import { predictProba } from '../../../../src/core/model/model';
import type { TrainReport } from '../../../../src/core/report/report';
import type { TrainSettings } from '../../../../src/core/run/settings';
import { MAX_SNAPSHOTS, modelAtStep, replayObjective, replaySteps, SnapshotRecorder, stepIndex, thetaAt } from '../../../../src/core/run/snapshots';
import { trainFromBytes } from '../../../../src/core/run/train';

const datasets = join(__dirname, '..', '..', '..', 'fixtures', 'datasets');
const iris = readFileSync(join(datasets, 'iris.csv'));
const irisVv = readFileSync(join(datasets, 'iris_vv.csv'));

/** Trains and keeps the objective(s) the full-batch fits used (createLoss is the hook train.ts offers). */
function run(bytes: Uint8Array, settings: Partial<TrainSettings>): { report: TrainReport; losses: LinearModelLoss[] } {
  const losses: LinearModelLoss[] = [];
  const report = trainFromBytes(bytes, settings, {
    fileName: 'data.csv',
    createLoss: (spec: LossSpec) => {
      const loss = new LinearModelLoss(spec);
      losses.push(loss);
      return { loss, release: () => undefined };
    },
  });
  return { report, losses };
}

function expectExactReplay(report: TrainReport, loss: LinearModelLoss): number {
  const out = report.replay!.outputs[0];
  let checked = 0;
  for (const it of out.iterations) {
    if (it === 0) continue;
    expect(replayObjective(loss, thetaAt(report.replay!, 0, it))).toBe(report.lossHistory.train[it - 1]);
    checked++;
  }
  return checked;
}

describe('snapshots replay the run', () => {
  const base: Partial<TrainSettings> = { target: ['target'], seed: 3, maxIter: 300, valSize: 0.2, testSize: 0.2 };

  it.each([
    ['lbfgs', {}],
    ['newton', {}],
    ['gd', {}],
    ['gd', { optimizer: 'momentum' }],
    ['gd', { optimizer: 'adam', learningRate: 0.05 }],
    ['lbfgs', { penalty: 'l1', C: 0.5 }],
  ] as const)('%s %o: every kept step reproduces the loss history exactly', (solver, extra) => {
    const { report, losses } = run(irisVv, { ...base, solver, ...extra });
    expect(losses).toHaveLength(1);
    const out = report.replay!.outputs[0];
    expect(out.iterations[0]).toBe(0);
    expect(out.iterations[out.iterations.length - 1]).toBe(report.lossHistory.train.length);
    expect(expectExactReplay(report, losses[0])).toBe(report.lossHistory.train.length);
    // The start is the zero vector, and the last step is the fitted model.
    expect(Array.from(thetaAt(report.replay!, 0, 0))).toEqual(new Array(losses[0].nParams).fill(0));
    const last = modelAtStep(report.model, report.replay!, out.iterations[out.iterations.length - 1]);
    expect(last.coefStandardized).toEqual(report.model.coefStandardized);
    expect(last.interceptStandardized).toEqual(report.model.interceptStandardized);
    for (let k = 0; k < last.coef.length; k++) last.coef[k].forEach((v, j) => expect(v).toBeCloseTo(report.model.coef[k][j], 12));
  });

  it.each([['sgd'], ['minibatch']] as const)('%s: per-epoch snapshots reproduce the per-epoch objective exactly', (solver) => {
    // Same seed, same split, same data: the lbfgs run's objective is this run's objective.
    const { losses } = run(irisVv, { ...base, solver: 'lbfgs' });
    const { report } = run(irisVv, { ...base, solver, maxIter: 40, batchSize: 8 });
    expect(report.lossHistory.train.length).toBeGreaterThan(5);
    expect(expectExactReplay(report, losses[0])).toBe(report.lossHistory.train.length);
  });

  it('multinomial: snapshots hold the K rows and replay exactly', () => {
    const { report, losses } = run(iris, { ...base, solver: 'lbfgs' });
    expect(report.model.kind).toBe('multinomial');
    expect(report.replay!.outputs[0].nRows).toBe(3);
    expect(expectExactReplay(report, losses[0])).toBe(report.lossHistory.train.length);
  });

  it('OvR: each output holds its last step once it stops; the combined replay matches the combined history', () => {
    const { report, losses } = run(iris, { ...base, solver: 'lbfgs', model: 'ovr' });
    const replay = report.replay!;
    expect(replay.outputs).toHaveLength(3);
    const steps = replaySteps(replay);
    for (const it of steps) {
      if (it === 0) continue;
      let sum = 0;
      replay.outputs.forEach((_, o) => (sum += replayObjective(losses[o], thetaAt(replay, o, it))));
      expect(sum).toBe(report.lossHistory.train[it - 1]);
    }
    const m = modelAtStep(report.model, replay, steps[steps.length - 1]);
    expect(m.coefStandardized).toEqual(report.model.coefStandardized);
  });

  it('a model at an early step predicts differently from the fit, and step 0 predicts 1/2', () => {
    const { report } = run(irisVv, { ...base, solver: 'gd' });
    const m0 = modelAtStep(report.model, report.replay!, 0);
    const p = predictProba(m0, Float64Array.from(report.points.X.slice(0, 4 * 3)), 3);
    expect(Array.from(p)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });
});

describe('SnapshotRecorder', () => {
  it('thins to at most MAX_SNAPSHOTS evenly spaced steps and keeps the last iteration', () => {
    const rec = new SnapshotRecorder(1);
    const theta = new Float64Array(2);
    for (let it = 0; it <= 4999; it++) {
      theta[0] = it;
      theta[1] = -it;
      rec.record(it, theta);
    }
    const s = rec.finish();
    expect(s.iterations.length).toBeLessThanOrEqual(MAX_SNAPSHOTS);
    expect(s.iterations.length).toBeGreaterThan(MAX_SNAPSHOTS / 2);
    expect(s.iterations[0]).toBe(0);
    expect(s.iterations[s.iterations.length - 1]).toBe(4999);
    const stride = s.iterations[1];
    expect(stride).toBe(4);
    for (let i = 0; i < s.iterations.length - 1; i++) expect(s.iterations[i]).toBe(i * stride);
    // Each step's parameters are those recorded at its iteration.
    s.iterations.forEach((it, i) => expect([s.theta[2 * i], s.theta[2 * i + 1]]).toEqual([it, -it]));
  });

  it('keeps every step of a short run, and finds steps by iteration', () => {
    const rec = new SnapshotRecorder(1, 10);
    for (let it = 0; it < 5; it++) rec.record(it, Float64Array.of(it));
    expect(rec.finish()).toEqual({ nRows: 1, iterations: [0, 1, 2, 3, 4], theta: [0, 1, 2, 3, 4] });
    expect(stepIndex([0, 4, 8, 9], 7)).toBe(1);
    expect(stepIndex([0, 4, 8, 9], 9)).toBe(3);
    expect(stepIndex([0, 4, 8, 9], 100)).toBe(3);
  });
});
