/**
 * Live from the first click (issue 20): the run that starts as the model panel opens, before its
 * webview has said `ready`, reaches the webview whole. The real TrainingController and
 * TrainingSession (the real worker, bundled by esbuild) post through a PanelController (the model
 * panel's queue and coalescing, src/protocol/panel.ts's panelCoalesceKey) to a fake webview panel;
 * the vscode API the controller touches (progress notification, l10n, log, setContext) is faked.
 * And the end of a run: the session stops its worker (the table and its buffers go with it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../../src/core/random';
import type { DataPreview } from '../../../src/core/data/preview';
import { DEFAULT_SETTINGS, type TrainSettings } from '../../../src/core/run/settings';
import type { HostToWebview, RunRecord, WebviewToHost } from '../../../src/protocol/panel';
import { panelCoalesceKey } from '../../../src/protocol/panel';
import { checkPanelMessage } from '../../../src/protocol/validate';
import { PanelController } from '../../../src/host/panelController';
import type { RunStore } from '../../../src/host/runStore';
import { TrainingController } from '../../../src/host/trainingController';
import { TrainingSession } from '../../../src/host/trainingSession';
import { FakePanel } from './fakePanel';
import { dataFacts } from '../../../webview/panel/viewModel/dataFacts';

const { statusItems, statusTexts } = vi.hoisted(() => ({ statusItems: [] as { shown: boolean; disposed: boolean }[], statusTexts: [] as string[] }));

vi.mock('vscode', () => {
  const format = (m: string, ...args: unknown[]) => m.replace(/\{(\d+)\}/g, (all, i) => (Number(i) < args.length ? String(args[Number(i)]) : all));
  const quiet = { info() {}, warn() {}, error() {}, show() {}, dispose() {} };
  return {
    l10n: { t: format },
    window: {
      createOutputChannel: () => quiet,
      // The run's status bar item (runStatus.ts): every text it shows, and whether it was disposed.
      createStatusBarItem: () => {
        const item = { text: '', shown: false, disposed: false, show() { item.shown = true; }, dispose() { item.disposed = true; } };
        statusItems.push(item);
        return new Proxy(item, { set: (o, k, v) => { if (k === 'text') statusTexts.push(v as string); (o as Record<string | symbol, unknown>)[k] = v; return true; } });
      },
    },
    StatusBarAlignment: { Left: 1 },
    commands: { executeCommand: () => Promise.resolve() },
  };
});

let dir: string;
let workerFile: string;
let csv: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logit-lab-first-run-'));
  workerFile = join(dir, 'trainWorker.js');
  await build({ entryPoints: [join(__dirname, '../../../src/worker/trainWorker.ts')], outfile: workerFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', mainFields: ['module', 'main'] });
  // The session runs the worker in a process of its own (trainProcess.js, beside trainWorker.js).
  await build({ entryPoints: [join(__dirname, '../../../src/worker/trainProcess.ts')], outfile: join(dir, 'trainProcess.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  const rng = new Rng(11);
  const lines = ['x1,x2,label'];
  for (let i = 0; i < 10_000; i++) {
    const x1 = rng.normal();
    const x2 = rng.normal();
    lines.push(`${x1.toFixed(5)},${x2.toFixed(5)},${rng.next() < 1 / (1 + Math.exp(-(x1 - 2 * x2))) ? 'b' : 'a'}`);
  }
  csv = join(dir, 'data.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The model panel's messaging with the training wired to it, on a fake webview panel. */
class FirstRunPanel extends PanelController<WebviewToHost, HostToWebview, FakePanel> {
  readonly training: TrainingController;
  constructor(panel: FakePanel, session: TrainingSession) {
    super(panel, { validate: checkPanelMessage, warn: (m) => { throw new Error(m); } });
    const fileUri = { toString: () => `file://${csv}`, fsPath: csv } as never;
    const runs: RunRecord[] = [];
    const store = { get: async () => runs, add: async (_u: unknown, r: RunRecord) => [...runs, r], update: async () => undefined, nextId: () => 1 } as unknown as RunStore;
    this.training = new TrainingController({ fileUri, fileName: 'data.csv', localPath: () => csv, notLocal: () => { throw new Error('local'); }, post: (m) => this.post(m) }, session, store);
  }
  protected async initialMessages(): Promise<HostToWebview[]> {
    await this.training.runsLoaded;
    return [{ type: 'didInitialize', fileName: 'data.csv', preview: null, loadError: null, defaults: DEFAULT_SETTINGS, runs: this.training.runs, training: this.training.progressSnapshot(), readOnly: false }];
  }
  protected override coalesceKey(message: HostToWebview): string | undefined {
    return panelCoalesceKey(message);
  }
  protected async handle(): Promise<void> {}
}

const waitFor = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('the first run of a panel', () => {
  it('streams to a webview that becomes ready mid-run: snapshot, start, the latest progress, then live snapshots', async () => {
    const panel = new FakePanel();
    const session = new TrainingSession(workerFile, { info() {}, warn() {}, error() {} });
    const c = new FirstRunPanel(panel, session);
    // Gradient descent with a tiny tolerance: a few seconds of fitting, many snapshots.
    const settings: TrainSettings = { ...DEFAULT_SETTINGS, target: ['label'], solver: 'gd', maxIter: 1500, tol: 1e-14 };
    const done = c.training.train(settings);
    // The run starts before the webview listens: its start and several snapshots queue.
    await waitFor(() => c.journal.filter((j) => j.type === 'didUpdateProgress').length >= 3, 'progress before ready');
    expect(panel.posted).toEqual([]);
    panel.send({ type: 'ready' });
    const summary = await done;
    session.dispose();
    expect(summary.outcome).toBe('finished');

    const posted = panel.posted as HostToWebview[];
    const types = posted.map((m) => m.type);
    expect(types[0]).toBe('didInitialize');
    expect(types[1]).toBe('didStartTraining');
    expect(types[types.length - 1]).toBe('didFinishTraining');
    // The snapshot carries the run under way, so the webview shows it at once.
    const init = posted[0] as Extract<HostToWebview, { type: 'didInitialize' }>;
    expect(init.training).not.toBeNull();
    const progress = posted.filter((m): m is Extract<HostToWebview, { type: 'didUpdateProgress' }> => m.type === 'didUpdateProgress');
    // The queued ones coalesced into one; then the live ones: several full snapshots of run #1, in order.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(new Set(progress.map((p) => p.runId))).toEqual(new Set([1]));
    const fitting = progress.filter((p) => p.progress.phase === 'fitting');
    expect(fitting.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < fitting.length; i++) expect(fitting[i].progress.iteration).toBeGreaterThanOrEqual(fitting[i - 1].progress.iteration);
    // Each is a full snapshot: the loss history from iteration 1 up to its iteration.
    const last = fitting[fitting.length - 1].progress;
    expect(last.lossHistory.train.length).toBeGreaterThan(1);
    expect(last.lossHistory.train.length).toBeGreaterThanOrEqual(Math.min(last.iteration, 2));
    const finished = posted[posted.length - 1] as Extract<HostToWebview, { type: 'didFinishTraining' }>;
    expect(finished.run.id).toBe(1);
    expect(finished.run.report.convergence.iterations).toBeGreaterThanOrEqual(last.iteration);
    // The status bar: one item for the run, with a still icon (no ~spin: an endless animation), the
    // live iteration in words, and gone when the run ends.
    expect(statusItems.length).toBe(1);
    expect(statusItems[0].shown).toBe(true);
    expect(statusItems[0].disposed).toBe(true);
    expect(statusTexts[0]).toBe('$(graph-line) Logit Lab: training on data.csv');
    expect(statusTexts.every((t) => !t.includes('~spin'))).toBe(true);
    expect(statusTexts).toContain(`$(graph-line) Logit Lab: training on data.csv · iteration ${last.iteration}/1500`);
    expect(new Set(statusTexts).size).toBe(statusTexts.length);
  });
});

describe('the end of a run', () => {
  it('stops the worker at once (a preview keeps it for the run that follows); the next run starts a fresh one', async () => {
    const logged: string[] = [];
    const session = new TrainingSession(workerFile, { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) });
    const preview = await session.preview(csv, 'data.csv');
    expect(preview.kind).toBe('loaded');
    expect(logged.filter((m) => m.startsWith('training worker stopped'))).toHaveLength(0);
    const settings: TrainSettings = { ...DEFAULT_SETTINGS, target: ['label'] };
    for (let r = 1; r <= 2; r++) {
      const outcome = await session.train(csv, 'data.csv', settings);
      expect(outcome.kind).toBe('finished');
      expect(logged.filter((m) => m.startsWith('training worker stopped'))).toHaveLength(r);
      // The report is kept: each of its packed arrays in a buffer of its own, none a view into the IPC message's.
      const views: ArrayBufferView[] = [];
      JSON.stringify(outcome.kind === 'finished' && outcome.report, (_k, v: unknown) => (ArrayBuffer.isView(v) ? (views.push(v), 0) : v));
      expect(views.length).toBeGreaterThan(10);
      for (const v of views) expect([v.byteOffset, v.byteLength]).toEqual([0, v.buffer.byteLength]);
    }
    expect(logged.filter((m) => m.startsWith('training worker started'))).toHaveLength(2);
    session.dispose();
  });
});

describe('the loss landscape on request (issue 19)', () => {
  it('is computed in the worker and kept with the run; the worker keeps its sample for the slider, which runs only the latest rate', async () => {
    const logged: string[] = [];
    const panel = new FakePanel();
    const session = new TrainingSession(workerFile, { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) });
    const c = new FirstRunPanel(panel, session);
    panel.send({ type: 'ready' });
    const summary = await c.training.train({ ...DEFAULT_SETTINGS, target: ['label'] });
    expect(summary.outcome).toBe('finished');
    const run = c.training.run(summary.runId);
    expect(run.report.landscape).toBeUndefined();
    await c.training.landscapes.compute(summary.runId, { kind: 'auto' });
    const posted = () => panel.posted as HostToWebview[];
    const computed = posted().find((m): m is Extract<HostToWebview, { type: 'didComputeLandscape' }> => m.type === 'didComputeLandscape');
    expect(posted().map((m) => m.type)).toContain('didStartLandscape');
    expect(computed!.landscape.sampleRows).toBe(run.report.data.nTrain);
    expect(run.report.landscape).toEqual(computed!.landscape);
    // Five slider moves while the first runs: the first and the latest are run, the rest dropped.
    const factors = [0.1, 0.2, 0.4, 0.8, 2.5];
    await Promise.all(factors.map((f) => c.training.landscapes.descend(summary.runId, f)));
    const descended = posted().filter((m): m is Extract<HostToWebview, { type: 'didDescend' }> => m.type === 'didDescend');
    expect(descended.map((m) => m.factor)).toEqual([0.1, 2.5]);
    expect(descended[0].paths.gd.diverged).toBe(false);
    expect(descended[1].paths.gd.diverged).toBe(true);
    // The run's worker stopped after it; the landscape's one stayed up for the slider (its sample kept).
    expect(logged.filter((m) => m.startsWith('training worker started'))).toHaveLength(2);
    expect(logged.filter((m) => m.startsWith('training worker stopped'))).toHaveLength(1);
    session.dispose();
  }, 60_000);
});

/**
 * 150,000 rows (~5.5 MB, past the 4 MB preview sample) in `dir`; the last 10,000 add a class the
 * sample never sees. Returns the file and its label counts.
 */
function bigCsv(name: string, seed: number): { big: string; counts: Map<string, number> } {
  const rng = new Rng(seed);
  const lines = ['x1,x2,label'];
  const counts = new Map<string, number>();
  for (let i = 0; i < 150_000; i++) {
    const label = ['a', 'b', 'c'][Math.floor(rng.next() * (i < 140_000 ? 2 : 3))];
    counts.set(label, (counts.get(label) ?? 0) + 1);
    lines.push(`${rng.normal().toFixed(12)},${rng.normal().toFixed(12)},${label}`);
  }
  const big = join(dir, name);
  writeFileSync(big, lines.join('\n') + '\n');
  return { big, counts };
}

describe('loading a large file', () => {
  it('shows the first MB estimate at once, then the exact row count and class balance of every row (the real worker)', async () => {
    const { big, counts } = bigCsv('big.csv', 29);
    const session = new TrainingSession(workerFile, { info() {}, warn() {}, error() {} });
    const estimates: DataPreview[] = [];
    const outcome = await session.preview(big, 'big.csv', (p) => estimates.push(p));
    session.dispose();
    expect(estimates).toHaveLength(1);
    expect(estimates[0].sample?.counted).toBeUndefined();
    expect(estimates[0].nRows).not.toBe(150_000);
    expect(estimates[0].classBalance.map((b) => b.label)).toEqual(['a', 'b']);
    if (outcome.kind !== 'loaded') throw new Error(JSON.stringify(outcome));
    expect(outcome.preview.sample?.counted).toBe(true);
    expect(outcome.preview.nRows).toBe(150_000);
    expect(outcome.preview.classBalance).toEqual(['a', 'b', 'c'].map((label) => ({ label, count: counts.get(label) })));
  });

  it('with a run (count: false): the estimate settles the preview, no count beside the run; the run\'s report has the exact counts the Data tab shows', async () => {
    const { big, counts } = bigCsv('big-run.csv', 31);
    const logged: string[] = [];
    const session = new TrainingSession(workerFile, { info: (m) => logged.push(m), warn() {}, error() {} });
    const estimates: DataPreview[] = [];
    // The order of events: the preview waits in the training process until the run is done.
    const events: string[] = [];
    const previewing = session.preview(big, 'big-run.csv', (p) => estimates.push(p), false).then((o) => (events.push('preview'), o));
    const settings: TrainSettings = { ...DEFAULT_SETTINGS, target: ['label'] };
    const run = await session.train(big, 'big-run.csv', settings, (p) => events.at(-1) !== p.phase && events.push(p.phase));
    events.push('run');
    const outcome = await previewing;
    // The preview answered after the run: the worker (the run's heap) is stopped then, not kept idle.
    expect(logged.filter((m) => m.startsWith('training worker stopped'))).toHaveLength(1);
    session.dispose();
    // Answered by the training thread after the run (the host may see the two answers in either order).
    expect(events.indexOf('preview')).toBeGreaterThan(events.indexOf('evaluating'));
    // No separate estimate: the sample's preview is the answer, and it says it is one.
    expect(estimates).toHaveLength(0);
    if (outcome.kind !== 'loaded' || run.kind !== 'finished') throw new Error(JSON.stringify([outcome.kind, run.kind]));
    expect(outcome.preview.sample).toBeDefined();
    expect(outcome.preview.sample?.counted).toBeUndefined();
    expect(outcome.preview.nRows).not.toBe(150_000);
    expect(run.report.data.nRows).toBe(150_000);
    const record: RunRecord = { id: 1, label: '#1', startedAt: new Date(0).toISOString(), durationMs: 1, settings, report: run.report };
    const facts = dataFacts(outcome.preview, 'label', [record]);
    expect(facts.rowsExact).toBe(true);
    expect(facts.rows).toBe('150,000 (counted by run #1)');
    expect(facts.balance).toEqual(['a', 'b', 'c'].map((label) => ({ label, count: counts.get(label) })));
  }, 60_000);

  it('a preview asked with a run that never comes (count: false) is answered all the same: the estimate', async () => {
    const session = new TrainingSession(workerFile, { info() {}, warn() {}, error() {} });
    const outcome = await session.preview(join(dir, 'big-run.csv'), 'big-run.csv', undefined, false);
    session.dispose();
    if (outcome.kind !== 'loaded') throw new Error(JSON.stringify(outcome));
    expect(outcome.preview.sample?.bytes).toBeGreaterThan(0);
    expect(outcome.preview.sample?.counted).toBeUndefined();
    expect(outcome.preview.classBalance.map((b) => b.label)).toEqual(['a', 'b']);
  });

  it('queues only the latest preview for a webview that is not ready', () => {
    const a = { type: 'didLoadData', preview: {} } as HostToWebview;
    expect(panelCoalesceKey(a)).toBe('data');
  });
});

describe('the training process', () => {
  it('cancels a run through its own flag (a message to the process), within the grace period and without a kill', async () => {
    const logged: string[] = [];
    const session = new TrainingSession(workerFile, { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) });
    const progress: number[] = [];
    const settings: TrainSettings = { ...DEFAULT_SETTINGS, target: ['label'], solver: 'gd', maxIter: 5000, tol: 1e-300 };
    const run = session.train(csv, 'data.csv', settings, (p) => progress.push(p.iteration));
    let early: unknown = null;
    void run.then((o) => (early = o));
    await waitFor(() => progress.some((i) => i > 5) || early !== null, 'the run to fit');
    expect(early).toBeNull();
    await session.cancel(30_000);
    expect(await run).toEqual({ kind: 'cancelled' });
    expect(logged.some((m) => m.includes('did not stop'))).toBe(false);
    expect(logged.find((m) => m.startsWith('training worker started'))).toMatch(/^training worker started \(process \d+\)$/);
    session.dispose();
  });

  it('answers a preview while a run is going: the preview has a thread of its own, the run does not wait for it', async () => {
    const session = new TrainingSession(workerFile, { info() {}, warn() {}, error() {} });
    // A run that only ends when cancelled (gradient descent, a million iterations, no tolerance).
    const progress: number[] = [];
    const run = session.train(csv, 'data.csv', { ...DEFAULT_SETTINGS, target: ['label'], solver: 'gd', maxIter: 1_000_000, tol: 1e-300 }, (p) => progress.push(p.iteration));
    let ended = false;
    void run.then(() => (ended = true));
    await waitFor(() => progress.some((i) => i > 0), 'the run to fit');
    const estimates: DataPreview[] = [];
    const preview = await session.preview(csv, 'data.csv', (p) => estimates.push(p));
    if (preview.kind !== 'loaded') throw new Error(JSON.stringify(preview));
    expect(preview.preview.nRows).toBe(10_000);
    expect(preview.preview.classBalance.map((b) => b.label)).toEqual(['a', 'b']);
    // One thread would have answered the preview only after the run.
    expect(ended).toBe(false);
    await session.cancel(30_000);
    expect(await run).toEqual({ kind: 'cancelled' });
    session.dispose();
  }, 60_000);

  it('runs in a thread of the host when asked (isolation "thread")', async () => {
    const logged: string[] = [];
    const session = new TrainingSession(workerFile, { info: (m) => logged.push(m), warn() {}, error() {} }, 'thread');
    const outcome = await session.train(csv, 'data.csv', { ...DEFAULT_SETTINGS, target: ['label'] });
    expect(outcome.kind).toBe('finished');
    expect(logged[0]).toMatch(/^training worker started \(thread \d+\)$/);
    session.dispose();
  });
});
