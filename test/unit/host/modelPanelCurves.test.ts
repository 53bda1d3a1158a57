/**
 * The model panel posts a multi-class run without its per-class curves (issue 20) and answers the
 * webview's loadCurves with them. The real ModelPanel (its encode and its handler), TrainingController
 * and TrainingSession (the real worker, bundled by esbuild) on a fake webview panel; the vscode API
 * they touch is faked. What the fake webview receives is what the panel posts (packNumbers'd).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../../src/core/random';
import { DEFAULT_SETTINGS } from '../../../src/core/run/settings';
import type { SplitName } from '../../../src/core/report/report';
import type { HostToWebview, RunRecord } from '../../../src/protocol/panel';
import { unpackNumbers } from '../../../src/protocol/packNumbers';
import type { RunStore } from '../../../src/host/runStore';
import type * as Exports from '../../../src/host/exports';
import { FakePanel } from './fakePanel';

const { created, errors } = vi.hoisted(() => ({ created: [] as unknown[], errors: [] as string[] }));

vi.mock('vscode', () => {
  const format = (m: string, ...args: unknown[]) => m.replace(/\{(\d+)\}/g, (all, i) => (Number(i) < args.length ? String(args[Number(i)]) : all));
  const quiet = { info() {}, warn() {}, error: (m: string) => errors.push(m), show() {}, dispose() {} };
  const uri = (p: string) => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}` });
  return {
    l10n: { t: format, bundle: undefined },
    env: { language: 'en' },
    ViewColumn: { Active: 1, Beside: -2 },
    StatusBarAlignment: { Left: 1 },
    Uri: { joinPath: (base: { fsPath: string }, ...parts: string[]) => uri(join(base.fsPath, ...parts)), file: uri, parse: (s: string) => uri(s.replace(/^file:\/\//, '')) },
    workspace: { getConfiguration: () => ({ get: (_k: string, d: unknown) => d }) },
    commands: { executeCommand: () => Promise.resolve() },
    window: {
      activeTextEditor: undefined,
      createOutputChannel: () => quiet,
      createStatusBarItem: () => ({ text: '', show() {}, dispose() {} }),
      showErrorMessage: (m: string) => {
        errors.push(m);
        return Promise.resolve(undefined);
      },
      showWarningMessage: () => Promise.resolve(undefined),
      createWebviewPanel: () => {
        const panel = new FakePanel();
        Object.assign(panel, { title: 'Logit Lab', viewType: 'logitLab.modelPanel', reveal() {}, iconPath: undefined });
        Object.assign(panel.webview, { html: '', cspSource: 'test', asWebviewUri: (u: unknown) => u });
        created.push(panel);
        return panel;
      },
    },
  };
});

/** The runs the panel hands to exportReport (the HTML report is built from it). */
const exported = vi.hoisted(() => [] as RunRecord[]);
vi.mock('../../../src/host/exports', async (importOriginal) => ({
  ...(await importOriginal<typeof Exports>()),
  exportReport: async (_target: unknown, run: RunRecord) => (exported.push(run), undefined),
}));

// After the mock: modelPanel.ts imports vscode.
const { ModelPanel } = await import('../../../src/host/modelPanel');
const { RunStore: RealRunStore } = await import('../../../src/host/runStore');

let dir: string;
let csv: string;
const K = 10;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logit-lab-curves-'));
  mkdirSync(join(dir, 'dist'));
  // The panel's session runs dist/trainWorker.js of the extension (here: `dir`) in dist/trainProcess.js.
  const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node20', logLevel: 'error' as const };
  await build({ ...common, entryPoints: [join(__dirname, '../../../src/worker/trainWorker.ts')], outfile: join(dir, 'dist', 'trainWorker.js'), mainFields: ['module', 'main'] });
  await build({ ...common, entryPoints: [join(__dirname, '../../../src/worker/trainProcess.ts')], outfile: join(dir, 'dist', 'trainProcess.js') });
  // Ten classes around ten centres in four dimensions, overlapping (the curves are not all perfect).
  const rng = new Rng(5);
  const lines = ['x1,x2,x3,x4,label'];
  for (let i = 0; i < 3000; i++) {
    const k = i % K;
    const x = [Math.cos(k), Math.sin(k), k / K, (k % 3) / 3].map((c) => (c + 0.6 * rng.normal()).toFixed(5));
    lines.push(`${x.join(',')},c${k}`);
  }
  csv = join(dir, 'classes.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openPanel(real?: RunStore) {
  const runs: RunRecord[] = [];
  const store = real ?? ({ get: async () => runs, add: async (_u: unknown, r: RunRecord) => (runs.push(r), [...runs]), update: async () => undefined, nextId: () => 1, complete: async (_u: unknown, r: RunRecord) => r } as unknown as RunStore);
  const state = new Map<string, unknown>();
  const context = { extensionPath: dir, extensionUri: { fsPath: dir, path: dir }, workspaceState: { get: (k: string, d: unknown) => state.get(k) ?? d, update: async (k: string, v: unknown) => void state.set(k, v) } };
  const fileUri = { scheme: 'file', fsPath: csv, path: csv, toString: () => `file://${csv}` };
  const p = ModelPanel.createOrShow({ context, runs: store } as never, fileUri as never, true);
  return { p, panel: created[created.length - 1] as FakePanel };
}

const waitFor = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 800 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

/** What the webview gets: the posted messages as it unpacks them. */
const received = (panel: FakePanel) => panel.posted.map((m) => unpackNumbers(m) as HostToWebview);

describe('the per-class curves of a multi-class run (issue 20)', () => {
  it('are left out of the posted run, kept by the host, and answered to loadCurves exactly as the report has them', async () => {
    const { p, panel } = openPanel();
    try {
      panel.send({ type: 'ready' });
      const summary = await p.train({ ...DEFAULT_SETTINGS, target: ['label'], valSize: 0.1, testSize: 0.2 });
      expect(summary.outcome).toBe('finished');
      await waitFor(() => received(panel).some((m) => m.type === 'didFinishTraining'), 'the finished run');
      const host = p.training.runs[0];
      const hostReport = unpackNumbers(host.report);
      const splits = Object.keys(hostReport.evaluation) as SplitName[];
      expect(splits.sort()).toEqual(['test', 'train', 'validation']);

      const finished = received(panel).find((m): m is Extract<HostToWebview, { type: 'didFinishTraining' }> => m.type === 'didFinishTraining')!;
      const posted = finished.run;
      expect(posted.curvesOmitted).toEqual({ train: K, validation: K, test: K });
      for (const s of splits) {
        // The host keeps the curves (history, exports, the HTML report); the webview's copy has none.
        expect(hostReport.evaluation[s]!.perClassCurves).toHaveLength(K);
        expect(posted.report.evaluation[s]!.perClassCurves).toBeUndefined();
        // Everything else of the split (metrics for the header and the metrics table) as the host has it.
        const { perClassCurves: _curves, ...rest } = hostReport.evaluation[s]!;
        expect(posted.report.evaluation[s]).toEqual(rest);
      }
      expect(posted.report.model).toEqual(hostReport.model);
      expect(posted.report.points).toEqual(hostReport.points);
      // Without the curves the message is a fraction of the run's report.
      const bytes = (m: unknown) => JSON.stringify(unpackNumbers(m)).length;
      expect(bytes(posted)).toBeLessThan(0.5 * bytes({ ...host, report: hostReport }));

      // The webview asks for a split's curves: the answer is the host's report's, value for value.
      for (const split of ['test', 'train'] as const) {
        const before = panel.posted.length;
        panel.send({ type: 'loadCurves', runId: host.id, split });
        await waitFor(() => panel.posted.length > before, `the ${split} curves`);
        const answer = unpackNumbers(panel.posted[before]) as Extract<HostToWebview, { type: 'didLoadCurves' }>;
        expect(answer.type).toBe('didLoadCurves');
        expect(answer.runId).toBe(host.id);
        expect(answer.split).toBe(split);
        expect('curves' in answer && answer.curves).toEqual(hostReport.evaluation[split]!.perClassCurves);
        expect(JSON.stringify('curves' in answer && answer.curves)).toBe(JSON.stringify(hostReport.evaluation[split]!.perClassCurves));
      }

      // A run that is not there: an error, not silence.
      const before = panel.posted.length;
      panel.send({ type: 'loadCurves', runId: 99, split: 'test' });
      await waitFor(() => panel.posted.length > before, 'the answer for a missing run');
      expect(unpackNumbers(panel.posted[before])).toEqual({ type: 'didLoadCurves', runId: 99, split: 'test', error: 'Run #99 is no longer in this panel.' });

      // A reloaded webview's snapshot has the run without its curves too; the host's run is unchanged.
      const reload = panel.posted.length;
      panel.send({ type: 'ready' });
      await waitFor(() => panel.posted.length > reload, 'the snapshot');
      const init = unpackNumbers(panel.posted[reload]) as Extract<HostToWebview, { type: 'didInitialize' }>;
      expect(init.type).toBe('didInitialize');
      expect(init.runs).toHaveLength(1);
      expect(init.runs[0].curvesOmitted).toEqual({ train: K, validation: K, test: K });
      expect(init.runs[0].report.evaluation.test!.perClassCurves).toBeUndefined();
      expect(unpackNumbers(p.training.runs[0].report).evaluation.test!.perClassCurves).toHaveLength(K);
      expect(errors).toEqual([]);
    } finally {
      p.dispose();
    }
  }, 120_000);
});

describe('an older run of the panel keeps its per-class curves in its saved file only (issue 20, host memory)', () => {
  it('after a newer run they leave memory; loadCurves and the HTML report export read back exactly the original; a missing file gives an error', async () => {
    const storage = join(dir, 'storage');
    const warnings: string[] = [];
    const store = new RealRunStore({ scheme: 'file', fsPath: storage, path: storage, toString: () => `file://${storage}` } as never, (m) => warnings.push(m));
    const { p, panel } = openPanel(store);
    try {
      panel.send({ type: 'ready' });
      const settings = { ...DEFAULT_SETTINGS, target: ['label'], valSize: 0.1, testSize: 0.2 };
      expect((await p.train(settings)).outcome).toBe('finished');
      const first = p.training.runs[0];
      // The original curves, as JSON would give them, taken while the run is the newest.
      const original = unpackNumbers(first.report);
      expect(original.evaluation.test!.perClassCurves).toHaveLength(K);
      expect((await p.train({ ...settings, C: 0.5 })).outcome).toBe('finished');
      store.flush();
      // Run 1 is saved and no longer the newest: its curves are out of memory; run 2 keeps its own.
      expect(p.training.runs.map((r) => r.id)).toEqual([1, 2]);
      expect(first.curvesOmitted).toEqual({ train: K, validation: K, test: K });
      for (const s of ['train', 'validation', 'test'] as const) expect(first.report.evaluation[s]!.perClassCurves).toBeUndefined();
      expect(unpackNumbers(p.training.runs[1].report).evaluation.test!.perClassCurves).toHaveLength(K);

      // loadCurves of run 1: read from its file, exactly the original.
      const ask = async (runId: number, split: SplitName) => {
        const before = panel.posted.length;
        panel.send({ type: 'loadCurves', runId, split });
        await waitFor(() => panel.posted.length > before, `the ${split} curves of run ${runId}`);
        return unpackNumbers(panel.posted[before]) as Extract<HostToWebview, { type: 'didLoadCurves' }>;
      };
      for (const split of ['test', 'validation'] as const) {
        const answer = await ask(1, split);
        expect(answer).toMatchObject({ type: 'didLoadCurves', runId: 1, split });
        expect(JSON.stringify('curves' in answer && answer.curves)).toBe(JSON.stringify(original.evaluation[split]!.perClassCurves));
      }
      // Answering did not bring them back into memory.
      expect(first.report.evaluation.test!.perClassCurves).toBeUndefined();

      // The HTML report export of run 1 gets the whole run: its curves on every split, as the original.
      panel.send({ type: 'exportReport', runId: 1 });
      await waitFor(() => exported.length > 0, 'the export');
      const exportedRun = exported.pop()!;
      expect(exportedRun.id).toBe(1);
      expect(exportedRun.curvesOmitted).toBeUndefined();
      expect(JSON.stringify(unpackNumbers(exportedRun.report))).toBe(JSON.stringify(original));

      // Its file gone (deleted outside the extension): a clear error, nothing thrown.
      const runsDir = join(storage, 'runs');
      const folder = join(runsDir, readdirSync(runsDir)[0]);
      expect(existsSync(join(folder, '1.v8'))).toBe(true);
      unlinkSync(join(folder, '1.v8'));
      const failed = await ask(1, 'test');
      expect(failed).toMatchObject({ type: 'didLoadCurves', runId: 1, split: 'test' });
      expect('error' in failed && failed.error).toMatch(/^The curves of run #1 could not be read from its saved file: the saved file of run #1 could not be read \(.*ENOENT/);
      expect(errors).toEqual([]);
    } finally {
      p.dispose();
    }
  }, 120_000);
});
