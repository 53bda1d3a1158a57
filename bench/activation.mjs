#!/usr/bin/env node
// Activation cost and bundle sizes (part of `npm run bench`; also `node bench/activation.mjs [--runs R] [--json]`).
// Each run is a fresh Node process that loads dist/extension.js and calls activate() against a stub
// `vscode` module (every API call is a no-op returning a disposable), so the time is our own: module
// evaluation plus registration, without VS Code's part. Prints the median and the bundle sizes.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 15;

// The child: a stub vscode, then require + activate, timed with performance.now().
const child = `
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
const disposable = { dispose() {} };
const stub = () => new Proxy(function () {}, {
  get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 0 : stub()),
  apply: () => disposable,
  construct: () => stub(),
});
// A plain object of stub namespaces: esbuild's interop copies the module's own properties.
const NAMES = ['commands', 'window', 'workspace', 'languages', 'l10n', 'extensions', 'env', 'Uri', 'ExtensionMode', 'EventEmitter',
  'Disposable', 'Range', 'Position', 'CodeLens', 'Diagnostic', 'DiagnosticSeverity', 'ViewColumn', 'ProgressLocation',
  'StatusBarAlignment', 'ThemeIcon', 'RelativePattern', 'MarkdownString', 'CancellationTokenSource', 'FileType', 'TextEdit',
  'WorkspaceEdit', 'Selection', 'ConfigurationTarget', 'ColorThemeKind', 'QuickPickItemKind', 'workspaceState', 'globalState',
  'notebooks', 'NotebookCellKind', 'NotebookCellStatusBarItem', 'NotebookCellStatusBarAlignment'];
const vscode = Object.fromEntries(NAMES.map((n) => [n, stub()]));
vscode.ExtensionMode = { Production: 1, Development: 2, Test: 3 };
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const t0 = performance.now();
const ext = require(process.argv[1]);
const t1 = performance.now();
const context = { subscriptions: [], extensionUri: { fsPath: process.argv[2] }, extensionPath: process.argv[2], storageUri: undefined, globalStorageUri: { fsPath: '/tmp' }, extensionMode: 1, workspaceState: vscode.workspaceState, globalState: vscode.globalState };
ext.activate(context);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, subscriptions: context.subscriptions.length }));
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function measureActivation(n = runs) {
  const bundle = join(root, 'dist', 'extension.js');
  if (!existsSync(bundle)) throw new Error('dist/extension.js is missing: run npm run build');
  const samples = [];
  for (let r = 0; r < n; r++) {
    const p = spawnSync(process.execPath, ['-e', child, bundle, root], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`activation run failed:\n${p.stderr}`);
    samples.push(JSON.parse(p.stdout));
  }
  const sizes = {};
  for (const dir of ['dist', join('media', 'dist')]) {
    for (const f of readdirSync(join(root, dir))) if (f in LOADED) sizes[`${dir}/${f}`] = statSync(join(root, dir, f)).size;
  }
  return {
    runs: n,
    requireMs: median(samples.map((s) => s.requireMs)),
    activateMs: median(samples.map((s) => s.activateMs)),
    totalMs: median(samples.map((s) => s.requireMs + s.activateMs)),
    subscriptions: samples[0].subscriptions,
    sizes,
  };
}

/** Markdown lines for docs/performance.md. */
export function activationLines(a) {
  const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;
  return [
    `Activation (dist/extension.js against a stub vscode API; median of ${a.runs} fresh processes): require ${a.requireMs.toFixed(1)} ms + activate() ${a.activateMs.toFixed(1)} ms = ${a.totalMs.toFixed(1)} ms (goal: under 50 ms); ${a.subscriptions} registrations.`,
    '',
    '| bundle | size | loaded |',
    '|---|---:|---|',
    ...Object.entries(a.sizes).map(([f, s]) => `| ${f} | ${kib(s)} | ${LOADED[f.split('/').pop()] ?? ''} |`),
  ];
}

const LOADED = {
  'extension.js': 'at activation',
  'trainWorker.js': 'in a worker thread, on the first preview or training',
  'lossShardWorker.js': 'in worker threads, for large full-batch fits',
  'parseWorker.js': 'in a worker thread, to parse the second half of a CSV file of 32 MB or more',
  'cli.js': 'by the `logit-lab` command',
  'gradcheckEngine.js': 'on the first gradient check',
  'panel.js': 'in the model panel webview',
  'gradcheck.js': 'in the gradient checker webview',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const a = measureActivation();
  console.log(process.argv.includes('--json') ? JSON.stringify(a) : activationLines(a).join('\n'));
}
