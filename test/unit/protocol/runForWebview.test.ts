/** The run as the model panel's webview gets it (src/protocol/panel.ts runForWebview, issue 20). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BinaryCurves, TrainReport } from '../../../src/core/report/report';
import { messageForWebview, perClassCurvesOf, runForWebview, type RunRecord } from '../../../src/protocol/panel';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/reports', name), 'utf8')) as TrainReport;
const runOf = (id: number, report: TrainReport): RunRecord => ({ id, label: `#${id}`, startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1, settings: report.model.settings, report });

describe('runForWebview', () => {
  it('leaves out every split of a multi-class run its per-class curves, counts them, and changes nothing else (nor the run given)', () => {
    const run = runOf(3, fixture('digits.json'));
    const copy = structuredClone(run);
    const posted = runForWebview(run);
    expect(run).toEqual(copy);
    expect(posted.curvesOmitted).toEqual({ train: 10, validation: 10, test: 10 });
    for (const s of ['train', 'validation', 'test'] as const) {
      expect(posted.report.evaluation[s]!.perClassCurves).toBeUndefined();
      expect(posted.report.evaluation[s]!.metrics).toBe(run.report.evaluation[s]!.metrics);
      expect(perClassCurvesOf([run], 3, s)).toBe(run.report.evaluation[s]!.perClassCurves);
    }
    expect(posted.report.model).toBe(run.report.model);
    expect(posted.report.points).toBe(run.report.points);
    expect({ ...posted.report, evaluation: undefined }).toEqual({ ...run.report, evaluation: undefined });
    // The message is smaller by at least the curves' JSON (the marker adds a few bytes).
    const curvesBytes = (['train', 'validation', 'test'] as const).reduce((n, s) => n + JSON.stringify(run.report.evaluation[s]!.perClassCurves).length, 0);
    expect(JSON.stringify(run).length - JSON.stringify(posted).length).toBeGreaterThan(curvesBytes - 100);
  });

  it('keeps a binary run whole (the threshold slider, the cost view and the perceptron read its curves), and a single label\'s curves', () => {
    const binary = runOf(1, fixture('binary.json'));
    expect(runForWebview(binary)).toBe(binary);
    const wine = fixture('wine.json');
    const one: BinaryCurves[] = wine.evaluation.test!.perClassCurves!.slice(0, 1);
    const single = runOf(2, { ...wine, evaluation: { test: { ...wine.evaluation.test!, perClassCurves: one } } });
    expect(runForWebview(single)).toBe(single);
  });

  it('maps the runs of didFinishTraining and didInitialize only', () => {
    const run = runOf(4, fixture('multiclass.json'));
    const finished = messageForWebview({ type: 'didFinishTraining', run });
    expect(finished.type === 'didFinishTraining' && finished.run.curvesOmitted).toEqual({ train: 3, validation: 3, test: 3 });
    const init = messageForWebview({ type: 'didInitialize', fileName: 'f.csv', preview: null, loadError: null, defaults: run.settings, runs: [run, runOf(5, fixture('binary.json'))], training: null, readOnly: false });
    expect(init.type === 'didInitialize' && init.runs.map((r) => r.curvesOmitted)).toEqual([{ train: 3, validation: 3, test: 3 }, undefined]);
    const curves = { type: 'didLoadCurves' as const, runId: 4, split: 'test' as const, curves: run.report.evaluation.test!.perClassCurves! };
    expect(messageForWebview(curves)).toBe(curves);
  });

  it('perClassCurvesOf says why there are none', () => {
    const run = runOf(4, fixture('binary.json'));
    expect(perClassCurvesOf([run], 7, 'test')).toBe('no-run');
    expect(perClassCurvesOf([run], 4, 'test')).toBe('no-curves');
  });
});
