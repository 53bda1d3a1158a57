/**
 * The model panel posts a multi-class run without its per-class curves (issue 20) and answers the
 * webview's loadCurves with them. The real ModelPanel (its encode and its handler), TrainingController
 * and TrainingSession (the real worker, bundled by esbuild) on a fake webview panel; the vscode API
 * they touch is faked. What the fake webview receives is what the panel posts (packNumbers'd).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

// After the mock: modelPanel.ts imports vscode.
const { ModelPanel } = await import('../../../src/host/modelPanel');

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

function openPanel() {
  const runs: RunRecord[] = [];
  const store = { get: async () => runs, add: async (_u: unknown, r: RunRecord) => (runs.push(r), [...runs]), update: async () => undefined, nextId: () => 1 } as unknown as RunStore;
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
