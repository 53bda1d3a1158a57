/**
 * The Model selection tab's job on the host (src/host/crossValidation.ts): cross-validation of C in
 * the real training worker (bundled by esbuild) through the real TrainingSession, never on the host's
 * thread. It posts its start, progress per fold and grid point, and the result (the same numbers as
 * the core run in this process), keeps the result in the run's report; Cancel stops it through the
 * shared flag; a streamed run or a busy worker is refused with one sentence.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCsv } from '../../../src/core/data/csv';
import { Rng } from '../../../src/core/random';
import { crossValidate, logGrid, type CvRequest } from '../../../src/core/run/crossValidate';
import { DEFAULT_SETTINGS } from '../../../src/core/run/settings';
import type { TrainReport } from '../../../src/core/report/report';
import type { HostToWebview, RunRecord } from '../../../src/protocol/panel';
import { CrossValidationJob } from '../../../src/host/crossValidation';
import type { RunStore } from '../../../src/host/runStore';
import { TrainingSession } from '../../../src/host/trainingSession';

vi.mock('vscode', () => {
  const format = (m: string, ...args: unknown[]) => m.replace(/\{(\d+)\}/g, (all, i) => (Number(i) < args.length ? String(args[Number(i)]) : all));
  const quiet = { info() {}, warn() {}, error() {}, show() {}, dispose() {} };
  return { l10n: { t: format }, window: { createOutputChannel: () => quiet }, commands: { executeCommand: () => Promise.resolve() } };
});

let dir: string;
let workerFile: string;
let csv: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logit-lab-cv-job-'));
  workerFile = join(dir, 'trainWorker.js');
  await build({ entryPoints: [join(__dirname, '../../../src/worker/trainWorker.ts')], outfile: workerFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', mainFields: ['module', 'main'] });
  // The session runs the worker in a process of its own (trainProcess.js, beside trainWorker.js).
  await build({ entryPoints: [join(__dirname, '../../../src/worker/trainProcess.ts')], outfile: join(dir, 'trainProcess.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  const rng = new Rng(16);
  const lines = ['x1,x2,x3,label'];
  for (let i = 0; i < 3000; i++) {
    const [a, b, c] = [rng.normal(), rng.normal(), rng.normal()];
    lines.push(`${a.toFixed(5)},${b.toFixed(5)},${c.toFixed(5)},${rng.next() < 1 / (1 + Math.exp(-(a - 2 * b))) ? 'b' : 'a'}`);
  }
  csv = join(dir, 'data.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(settings = { ...DEFAULT_SETTINGS, target: ['label'] }, busy = () => false) {
  const posted: HostToWebview[] = [];
  const run = { id: 3, label: '#3', startedAt: '', durationMs: 0, settings, report: {} as TrainReport } as RunRecord;
  let updates = 0;
  const store = { update: async () => void updates++ } as unknown as RunStore;
  const session = new TrainingSession(workerFile, { info() {}, warn() {}, error() {} });
  const target = { fileUri: { toString: () => `file://${csv}`, fsPath: csv } as never, fileName: 'data.csv', localPath: () => csv, notLocal: () => ({ severity: 'error' as const, code: 'x', message: 'not local' }), post: (m: HostToWebview) => void posted.push(m) };
  const job = new CrossValidationJob(target, session, store, { run: (id) => (id === 3 ? run : (() => { throw new Error('no run'); })()), busy });
  return { posted, run, job, session, updates: () => updates };
}

describe('cross-validation in the training worker', () => {
  it('posts start, progress per fold and point, and the same result as the core; keeps it in the run', async () => {
    const { posted, run, job, session, updates } = setup();
    const request: CvRequest = { folds: 4, Cs: logGrid(6), scoring: 'roc_auc', rule: '1se', penalty: 'l1' };
    await job.start(3, request);
    session.dispose();
    const types = posted.map((m) => m.type);
    expect(types[0]).toBe('didStartCrossValidation');
    expect(types[types.length - 1]).toBe('didFinishCrossValidation');
    const progress = posted.flatMap((m) => (m.type === 'didUpdateCrossValidation' ? [m.progress] : []));
    // Every fold's first point at least (the rest throttled to ~10 a second), the path's too, in order.
    expect(new Set(progress.map((p) => p.fold))).toEqual(new Set([0, 1, 2, 3, 4]));
    for (let i = 1; i < progress.length; i++) expect(progress[i].fold * 6 + progress[i].point).toBeGreaterThan(progress[i - 1].fold * 6 + progress[i - 1].point);
    const done = posted[posted.length - 1] as Extract<HostToWebview, { type: 'didFinishCrossValidation' }>;
    const { penalty: _p, ...cv } = request;
    const here = crossValidate(parseCsv(readFileSync(csv), { fileName: 'data.csv' }), { ...run.settings, penalty: 'l1' }, cv, { fileName: 'data.csv' });
    expect(done.crossValidation.result.scores).toEqual(here.scores);
    expect(done.crossValidation.result.chosenC).toBe(here.chosenC);
    expect(done.crossValidation.result.path.coef).toEqual(here.path.coef);
    expect(done.crossValidation.request).toEqual(request);
    expect(run.report.crossValidation).toBe(done.crossValidation);
    expect(updates()).toBe(1);
    expect(job.running).toBe(false);
  }, 60_000);

  it('Cancel stops it through the shared flag: didFailCrossValidation without diagnostics, the worker free again', async () => {
    const { posted, job, session } = setup({ ...DEFAULT_SETTINGS, target: ['label'], tol: 1e-14, maxIter: 100000 });
    const started = job.start(3, { folds: 10, Cs: logGrid(100), scoring: 'accuracy', rule: 'best', penalty: 'l2' });
    for (let i = 0; i < 400 && !posted.some((m) => m.type === 'didUpdateCrossValidation'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(job.running).toBe(true);
    await job.cancel();
    await started;
    expect(posted[posted.length - 1]).toEqual({ type: 'didFailCrossValidation', runId: 3, diagnostics: [] });
    expect(job.running).toBe(false);
    expect(session.isTraining).toBe(false);
    session.dispose();
  }, 60_000);

  it('refuses a streamed run, a busy worker and an invalid setting, in one sentence each', async () => {
    const request: CvRequest = { folds: 3, Cs: [1], scoring: 'accuracy', rule: 'best', penalty: 'l2' };
    const cases: [ReturnType<typeof setup>, RegExp][] = [
      [setup({ ...DEFAULT_SETTINGS, target: ['label'], stream: true }), /streamed the file from disk/],
      [setup({ ...DEFAULT_SETTINGS, target: ['label'] }, () => true), /Wait for the running training/],
      [setup({ ...DEFAULT_SETTINGS, target: ['label'], maxIter: -1 }), /./],
    ];
    for (const [{ posted, job, session }, message] of cases) {
      await job.start(3, request);
      session.dispose();
      expect(posted).toHaveLength(1);
      const m = posted[0] as Extract<HostToWebview, { type: 'didFailCrossValidation' }>;
      expect(m.type).toBe('didFailCrossValidation');
      expect(m.diagnostics).toHaveLength(1);
      expect(m.diagnostics[0].message).toMatch(message);
    }
  });
});
