/**
 * Logit Lab inside a real VS Code extension host (code-server here, desktop VS Code via runTest.ts).
 * The real webview loads in the workbench; the hidden `logitLab._test` command (registered only
 * in development/test mode) reports the panels' state and posts messages as the webview would.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type TrainSettings } from '../../../src/core/run/settings';
import {
  EXTENSION_ID, panelState, postToPanel, readBytes, sleep, testHook, waitFor, workspaceUri,
  type PanelState, type TrainSummary,
} from './helpers';

const settings = (over: Partial<TrainSettings> = {}): TrainSettings => ({ ...DEFAULT_SETTINGS, target: [], features: [], ...over });
const PNG_1x1 = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

suite('Logit Lab (extension host)', () => {
  const blobs = () => workspaceUri('blobs.csv');
  const bad = () => workspaceUri('bad.csv');
  const big = () => workspaceUri('big.csv');

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    await ext.activate();
    await vscode.workspace.fs.createDirectory(workspaceUri('out'));
  });

  suiteTeardown(async () => {
    await testHook({ op: 'disposeAll' });
  });

  test('contributes the commands, menus, settings and activation events', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['logitLab.train', 'logitLab.openSample', 'logitLab.showPanel', 'logitLab.checkGradient']) assert.ok(all.includes(id), `${id} registered`);
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    // No '*': the panels' serializers, Markdown/LaTeX for the gradient checker's CodeLens, Python files
    // and Jupyter notebooks for the Python checks' CodeLens and cell status bar item.
    assert.deepEqual(pkg.activationEvents, [
      'onWebviewPanel:logitLab.modelPanel',
      'onLanguage:markdown',
      'onLanguage:latex',
      'onWebviewPanel:logitLab.gradcheckPanel',
      'onLanguage:python',
      'onNotebook:jupyter-notebook',
    ]);
    const explorer = pkg.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'logitLab.train');
    assert.match(explorer.when, /csv\|tsv/);
    assert.ok(pkg.contributes.menus['editor/title'].some((m: { command: string }) => m.command === 'logitLab.train'));
    // Titles come from package.nls.json (%key% placeholders); VS Code hands extensions the manifest with them resolved.
    const nls = JSON.parse((await readBytes(vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'package.nls.json'))).toString('utf8')) as Record<string, string>;
    const resolve = (s: string) => s.replace(/^%([^%]+)%$/, (_, key: string) => nls[key] ?? s);
    const titles = Object.fromEntries(pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, resolve(c.title)]));
    assert.equal(titles['logitLab.train'], 'Logit Lab: Train Logistic Regression');
    const cfg = vscode.workspace.getConfiguration('logitLab');
    assert.equal(cfg.get('solver'), 'auto');
    assert.equal(cfg.get('penalty'), 'l2');
    assert.equal(cfg.get('C'), 1);
    assert.equal(cfg.get('standardize'), true);
    assert.equal(cfg.get('testSize'), 0.2);
    assert.equal(cfg.get('seed'), 0);
    assert.equal(cfg.get('maxPoints'), 2000);
    assert.equal(cfg.get('autoTrainOnOpen'), false);
  });

  test('the model panel serializer is registered in activate', () => {
    // A second registration for the same viewType is refused by VS Code: proof that ours exists.
    assert.throws(() => vscode.window.registerWebviewPanelSerializer('logitLab.modelPanel', { deserializeWebviewPanel: async () => undefined }), /already registered/);
  });

  test('logitLab.train opens the panel and trains in the worker', async () => {
    const summary = await vscode.commands.executeCommand<TrainSummary>('logitLab.train', blobs());
    assert.equal(summary.outcome, 'finished', JSON.stringify(summary));
    assert.deepEqual(summary.classes, ['A', 'B', 'C']);
    assert.ok(summary.accuracy! >= 0.85 && summary.accuracy! <= 1, `accuracy ${summary.accuracy}`);
    assert.ok(summary.iterations! > 0 && summary.iterations! <= DEFAULT_SETTINGS.maxIter, `iterations ${summary.iterations}`);

    const state = (await panelState(blobs()))!;
    assert.equal(state.viewType, 'logitLab.modelPanel');
    assert.equal(state.title, 'Logit Lab: blobs.csv');
    assert.equal(state.runs.length, 1);
    assert.equal(state.runs[0].id, summary.runId);
    assert.deepEqual(state.preview, { nRows: 90, nColumns: 3, guessedTarget: 'class' });
    // The panel's HTML: strict CSP with a nonce, resources from media/ only.
    assert.match(state.html.replace(/&#39;/g, "'"), /default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]+'; style-src [^;]+; font-src [^;]+; img-src [^;]+ data:/);
    assert.match(state.html, /<script nonce="[^"]+" src="[^"]*\/media\/dist\/panel\.js"/);
    assert.match(state.html, /data-file-uri="[^"]*blobs\.csv"/);
    const outTypes = state.journal.filter((j) => j.dir === 'out').map((j) => j.type);
    assert.ok(outTypes.includes('didStartTraining') && outTypes.includes('didFinishTraining'), outTypes.join());
  });

  test('the real webview loads under the CSP, posts ready and gets didInitialize with the run', async () => {
    const state = await waitFor('the webview to post ready', async () => {
      const s = await panelState(blobs());
      return s?.ready ? s : undefined;
    }, 45_000);
    const init = [...state.journal].reverse().find((j) => j.type === 'didInitialize');
    assert.ok(init, 'didInitialize was posted');
    // The webview may say ready while the first run is still under way: its snapshot then carries no
    // finished run yet, and the run's finish follows it through the queue (never dropped).
    const detail = init.detail as { runs: number; preview: boolean; loadError: unknown };
    assert.deepEqual({ preview: detail.preview, loadError: detail.loadError }, { preview: true, loadError: null });
    const done = await waitFor('the first run to reach the webview', async () => {
      const s = await panelState(blobs());
      return s && s.runs.length === 1 && (detail.runs === 1 || s.journal.some((j) => j.dir === 'out' && j.type === 'didFinishTraining')) ? s : undefined;
    }, 45_000);
    assert.equal(done.runs.length, 1);
  });

  test('retraining from the panel adds to the run history', async () => {
    await postToPanel(blobs(), { type: 'startTraining', settings: settings({ C: 0.05 }) });
    const state = (await panelState(blobs()))!;
    assert.deepEqual(state.runs.map((r) => r.id), [1, 2]);
    assert.match(state.runs[1].label, /^#2 lbfgs L2 C=0\.05$/);
    assert.deepEqual(state.runs[1].classes, ['A', 'B', 'C']);
  });

  test('invalid settings from the panel fail the run with diagnostics, not an exception', async () => {
    await postToPanel(blobs(), { type: 'startTraining', settings: settings({ C: -1 }) });
    const state = (await panelState(blobs()))!;
    const fail = [...state.journal].reverse().find((j) => j.type === 'didFailTraining');
    assert.ok(fail);
    const detail = fail.detail as { diagnostics: { code: string; message: string }[] };
    assert.equal(detail.diagnostics[0].code, 'settings.invalid');
    assert.match(detail.diagnostics[0].message, /C must be positive/);
    assert.equal(state.runs.length, 2);
  });

  test('Model selection: cross-validation of C runs in the worker, posts progress and keeps the chosen C with the run', async () => {
    const Cs = [0.01, 0.1, 1, 10];
    await postToPanel(blobs(), { type: 'crossValidate', runId: 2, request: { folds: 3, Cs, scoring: 'accuracy', rule: 'best', penalty: 'l2' } });
    const state = (await panelState(blobs()))!;
    const types = state.journal.filter((j) => j.dir === 'out').map((j) => j.type);
    const start = types.lastIndexOf('didStartCrossValidation');
    assert.ok(start >= 0, 'didStartCrossValidation posted');
    assert.ok(types.slice(start).includes('didUpdateCrossValidation'), 'progress posted');
    const finish = [...state.journal].reverse().find((j) => j.type === 'didFinishCrossValidation');
    assert.ok(finish, `finished: ${JSON.stringify(state.journal.slice(-3))}`);
    const chosen = state.runs[1].chosenC ?? null;
    assert.ok(chosen !== null && Cs.includes(chosen), `chosen C ${chosen}`);
    assert.deepEqual(finish.detail, { runId: 2, chosenC: chosen });
    assert.equal(state.training, null);
    // A malformed request is logged and ignored (validated like every webview message).
    await postToPanel(blobs(), { type: 'crossValidate', runId: 2, request: { folds: 1, Cs, scoring: 'accuracy', rule: 'best', penalty: 'l2' } });
    const after = (await panelState(blobs()))!;
    assert.equal(after.journal.filter((j) => j.type === 'didStartCrossValidation').length, state.journal.filter((j) => j.type === 'didStartCrossValidation').length);
  });

  test('a bad CSV produces didFailLoading with its line, not an exception', async () => {
    const shown = await vscode.commands.executeCommand<{ file: string }>('logitLab.showPanel', bad());
    assert.equal(shown.file, bad().toString());
    const state = await testHook<PanelState>({ op: 'idle', file: bad().toString() });
    assert.equal(state.preview, null);
    assert.ok(state.loadError && state.loadError.length === 1, JSON.stringify(state.loadError));
    assert.equal(state.loadError[0].code, 'csv.ragged-row');
    assert.equal(state.loadError[0].line, 5);
    assert.equal(state.loadError[0].file, 'bad.csv');
    assert.ok(state.journal.some((j) => j.dir === 'out' && j.type === 'didFailLoading'));

    // Training it reports the same diagnostic as the run's failure; the command resolves normally.
    const summary = await vscode.commands.executeCommand<TrainSummary>('logitLab.train', bad());
    assert.equal(summary.outcome, 'failed');
    assert.equal(summary.diagnostics![0].code, 'csv.ragged-row');
    assert.equal(summary.diagnostics![0].line, 5);
  });

  test('cancel stops the worker promptly, keeps the previous model, and the host stays responsive', async () => {
    // A file big enough that batch gradient descent runs for many seconds.
    const lines = ['a,b,c,d,e,f,label'];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 40_000; i++) {
      const x = Array.from({ length: 6 }, () => (rnd() * 4 - 2).toFixed(3));
      const z = Number(x[0]) - 0.5 * Number(x[1]) + 0.3 * Number(x[2]) + (rnd() - 0.5);
      lines.push(`${x.join(',')},${z > 0 ? 'yes' : 'no'}`);
    }
    await vscode.workspace.fs.writeFile(big(), Buffer.from(lines.join('\n') + '\n'));
    await vscode.commands.executeCommand('logitLab.showPanel', big());
    await postToPanel(big(), { type: 'startTraining', settings: settings({ maxIter: 5 }) });
    const before = (await panelState(big()))!;
    assert.equal(before.runs.length, 1);

    // Measure the extension host's event-loop lag while the worker trains.
    let maxGap = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 10);
    try {
      void postToPanel(big(), { type: 'startTraining', settings: settings({ solver: 'gd', optimizer: 'sgd', learningRate: 1e-4, maxIter: 1_000_000, tol: 1e-15 }) }, true);
      await waitFor('training progress', async () => {
        const s = await panelState(big());
        return s?.training && s.training.iteration > 10 ? s : undefined;
      });
      await sleep(300);
      const t0 = Date.now();
      await postToPanel(big(), { type: 'cancelTraining' });
      const cancelMs = Date.now() - t0;
      assert.ok(cancelMs < 1500, `cancel took ${cancelMs} ms`);
    } finally {
      clearInterval(timer);
    }
    // Training on the host's main thread would block it for the whole run (seconds); allow for GC
    // pauses and a loaded CI machine.
    assert.ok(maxGap < 1000, `the extension host's event loop stalled for ${maxGap} ms during training`);
    const after = (await panelState(big()))!;
    assert.equal(after.training, null);
    assert.deepEqual(after.runs.map((r) => r.id), [1]);
    assert.deepEqual(after.lastRun, before.lastRun);
    assert.ok(after.journal.some((j) => j.type === 'didCancelTraining' && (j.detail as { runId: number }).runId === 2));
    const progress = after.journal.filter((j) => j.type === 'didUpdateProgress' && (j.detail as { runId: number }).runId === 2);
    assert.ok(progress.length >= 2, `progress snapshots streamed (${progress.length})`);

    // The session still works after a cancel: a short run finishes as #3.
    await postToPanel(big(), { type: 'startTraining', settings: settings({ maxIter: 3 }) });
    assert.deepEqual((await panelState(big()))!.runs.map((r) => r.id), [1, 3]);
  });

  test('exports write new files atomically and leave the CSV byte-identical', async () => {
    const csvBefore = await readBytes(blobs());
    const out = (name: string) => workspaceUri('out', name);
    await testHook({ op: 'saveTargets', uris: [out('model.json'), out('predictions.csv'), out('boundary.svg'), out('boundary.png')].map(String) });
    await postToPanel(blobs(), { type: 'exportModel', runId: 1 });
    await postToPanel(blobs(), { type: 'exportPredictions', runId: 1 });
    await postToPanel(blobs(), { type: 'exportPlot', name: 'boundary', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>' });
    await postToPanel(blobs(), { type: 'exportPlot', name: 'boundary', format: 'png', data: PNG_1x1 });

    const model = JSON.parse((await readBytes(out('model.json'))).toString('utf8'));
    assert.equal(model.format, 'logit-lab-model');
    assert.deepEqual(model.classes, ['A', 'B', 'C']);
    assert.equal(model.coef.length, 3);
    const predictions = (await readBytes(out('predictions.csv'))).toString('utf8').trim().split(/\r?\n/);
    assert.equal(predictions.length, 91, 'header + one line per row');
    assert.match((await readBytes(out('boundary.svg'))).toString('utf8'), /^<\?xml[^>]*>\n<svg /);
    assert.equal((await readBytes(out('boundary.png'))).readUInt32BE(0), 0x89504e47);

    // Refuses to write over the data file; never leaves temp files behind.
    await testHook({ op: 'saveTargets', uris: [blobs().toString()] });
    await postToPanel(blobs(), { type: 'exportModel', runId: 1 });
    assert.ok(csvBefore.equals(await readBytes(blobs())), 'the CSV is byte-identical');
    const names = (await vscode.workspace.fs.readDirectory(workspaceUri('out'))).map(([n]) => n).sort();
    assert.deepEqual(names, ['boundary.png', 'boundary.svg', 'model.json', 'predictions.csv']);
    const top = (await vscode.workspace.fs.readDirectory(workspaceUri())).map(([n]) => n);
    assert.ok(!top.some((n) => n.endsWith('.tmp')), top.join());
    const state = (await panelState(blobs()))!;
    assert.deepEqual(
      state.journal.filter((j) => j.type === 'didExport').map((j) => (j.detail as { what: string }).what),
      ['model', 'predictions', 'boundary plot', 'boundary plot'],
    );
  });

  test('the HTML report export is self-contained', async () => {
    const target = workspaceUri('out', 'report.html');
    await testHook({ op: 'saveTargets', uris: [target.toString()] });
    await postToPanel(blobs(), { type: 'exportReport', runId: 2 });
    const html = (await readBytes(target)).toString('utf8');
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.ok(html.includes('blobs.csv'));
    assert.ok(!/<script[^>]+src=/i.test(html), 'no external scripts');
  });

  test('logitLab.openSample opens a bundled sample read-only with its panel', async () => {
    const opened = await vscode.commands.executeCommand<{ file: string }>('logitLab.openSample', 'blobs3.csv');
    assert.match(opened.file, /\/samples\/blobs3\.csv$/);
    const state = await testHook<PanelState>({ op: 'idle', file: opened.file });
    assert.equal(state.preview?.nRows, 300);
    assert.equal(state.runs.length, 0, 'autoTrainOnOpen is off by default');
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === opened.file), 'the sample is shown in an editor');
  });

  test('logitLab.* settings are the defaults of a new run', async () => {
    const cfg = vscode.workspace.getConfiguration('logitLab');
    await cfg.update('C', 0.25, vscode.ConfigurationTarget.Workspace);
    try {
      const summary = await vscode.commands.executeCommand<TrainSummary>('logitLab.train', blobs());
      assert.equal(summary.outcome, 'finished');
      const state = (await panelState(blobs()))!;
      assert.match(state.runs[state.runs.length - 1].label, /C=0\.25$/);
    } finally {
      await cfg.update('C', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
