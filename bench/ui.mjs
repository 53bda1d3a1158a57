#!/usr/bin/env node
// The model panel on a big file in a real VS Code (issue 20), beside the CLI on the same file:
//   node bench/ui.mjs [--runs N] [--files binary_1000000x20.csv,softmax_100000x50x10.csv]
//                     [--ext DIR,DIR...] [--trace FILE] [--keep]
//   (or `npm run bench -- --ui`, after the CLI benchmark has generated bench/data/*.csv)
// Starts code-server (E2E_DIR, default /work/main/.e2e then .e2e; scripts/e2e/setup.sh installs it)
// with a throw-away profile (in the system's tmp), the extension loaded from this folder (built with
// `node scripts/build.mjs`, or `--production` as packaged; --ext compares several built folders, run
// in turn, alternating), and a workspace of links to bench/data files. Per run, in a fresh window:
// right-click the file → "Logit Lab: Train Logistic Regression", no click in the panel (it moves to
// the Training tab as the run starts); timed from the click (a MutationObserver in the webview):
//   first loss  the live loss curve has its first point;
//   finished    the run is in the panel's history (#run-select) and the Training tab shows it;
//   boundary    the Model tab, selected the moment the run finished, has drawn the decision boundary
//               (issue 12's "from the train command to the first decision boundary drawn").
// Where the time went: the host's `timeline` lines in the Output channel's log (src/host/timeline.ts:
// panel opened and worker forked, estimate, counted, webview ready, run sent, first fit progress,
// report at the host, run posted) and the webview's logit-lab:* performance marks (bundle fetched
// and evaluated, each message's arrival and handling); the CPU time of every process under the bench
// from the click to the finished run (training process, extension host, code-server, browser), from
// /proc; --trace FILE records a Chromium trace of the first run (chrome://tracing).
// Then the CLI (`dist/cli.js train F`) on the same file: wall and CPU (user+sys) time. The panel's
// figures are wall-clock, so they carry the machine's load: the load average is printed with them.
/* global document, MutationObserver */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg('runs', 1));
const files = arg('files', 'binary_1000000x20.csv,softmax_100000x50x10.csv').split(',');
// Extension folders to compare (each built with node scripts/build.mjs), run in turn: --ext /path/a,/path/b.
const exts = arg('ext', root).split(',').map((x) => resolve(x));
// A Chromium trace of the first run (click to boundary), for chrome://tracing or bench analysis: --trace FILE.
let traceFile = arg('trace', undefined);
const ENTRY = 'Logit Lab: Train Logistic Regression';

function e2eDir() {
  for (const d of [process.env.E2E_DIR, '/work/main/.e2e', join(root, '.e2e')]) if (d && existsSync(join(d, 'node_modules/.bin/code-server'))) return d;
  throw new Error('code-server is not installed: run scripts/e2e/setup.sh (or set E2E_DIR)');
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Process ids below `pid` (from /proc), deepest last. */
function descendants(pid) {
  let kids = [];
  try {
    for (const t of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) kids.push(Number(t), ...descendants(Number(t)));
  } catch {
    kids = [];
  }
  return kids;
}

async function startCodeServer(dir, e2e) {
  const port = await freePort();
  mkdirSync(join(dir, 'ud/User'), { recursive: true });
  writeFileSync(
    join(dir, 'ud/User/settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false, 'update.mode': 'none', 'workbench.tips.enabled': false, 'git.enabled': false, 'chat.commandCenter.enabled': false }),
  );
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_DATA_HOME: join(dir, 'xdg'), XDG_CACHE_HOME: join(dir, 'xdg') };
  const args = ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'exts')];
  const child = spawn(join(e2e, 'node_modules/.bin/code-server'), args, { env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('code-server did not start');
}

function stopCodeServer(child) {
  const kids = descendants(child.pid);
  child.kill();
  for (const pid of kids.reverse()) {
    try {
      process.kill(pid);
    } catch {
      /* gone */
    }
  }
}

/**
 * Installed in the panel's webview (once; later calls read it): stamps (Date.now()) the first DOM state
 * of each stage, from a MutationObserver, so the bench reads them without polling the DOM itself:
 *   firstLoss  the live loss curve has its first point (the Training tab, where a run moves the panel);
 *   finished   the run is in the panel's history (#run-select) and the Training tab shows it;
 *   boundary   the Model tab's decision boundary is drawn: the recorder selects the tab the moment the
 *              run is finished (a user with no reaction time), as issue 12's "first decision boundary drawn".
 * and returns them with the webview's own marks (performance.mark logit-lab:*, the bundle's fetch) in
 * epoch ms.
 */
function recorder() {
  const w = /** @type {any} */ (globalThis);
  if (!w.__llBench) {
    const times = {};
    const at = (k) => (times[k] ??= Date.now());
    const check = () => {
      if (document.querySelector('[data-view="live-training"] [data-plot="loss-curves"] svg')) at('firstLoss');
      if (times.finished === undefined && document.querySelector('#run-select vscode-option') && !document.querySelector('[data-view="live-training"]')) {
        at('finished');
        document.querySelector('vscode-tab-header[data-tab="model"]')?.click();
      }
      if (times.finished !== undefined && document.querySelector('vscode-tab-panel[data-panel="model"] [data-plot="decision-boundary"] svg')) at('boundary');
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true });
    check();
    w.__llBench = times;
  }
  const origin = performance.timeOrigin;
  const marks = Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('logit-lab:')).map((m) => [m.name.slice(10), Math.round(origin + m.startTime)]));
  const bundle = performance.getEntriesByType('resource').find((r) => r.name.includes('panel.js'));
  return { ...w.__llBench, webview: { document: Math.round(origin), ...(bundle ? { bundleFetched: Math.round(origin + bundle.responseEnd) } : {}), ...marks } };
}

/** One right-click → Train in a fresh window with the extension from `ext`; the webview's and the host's times (ms from the click). */
async function panelRun(browser, url, ws, file, ext, logsDir) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  try {
    const payload = encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${new URL(url).host}${ext}`]]));
    await page.goto(`${url}/?folder=${encodeURIComponent(ws)}&payload=${payload}`, { waitUntil: 'domcontentloaded' });
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first();
    await row.waitFor({ timeout: 120_000 });
    const entry = page.getByRole('menuitem', { name: ENTRY });
    const tab = page.locator('.tab', { hasText: `Logit Lab: ${file}` }).first();
    // The menu item sometimes misses a click while the menu settles (as in test/e2e/ui.test.mjs): the
    // clock starts at the click that opens the panel's tab.
    let t0 = 0;
    const cpu = cpuSampler();
    for (let attempt = 0; attempt < 5 && !(await tab.isVisible().catch(() => false)); attempt++) {
      for (let i = 0; i < 30; i++) {
        await row.click({ button: 'right' });
        if (await entry.waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
        await page.keyboard.press('Escape');
      }
      await page.waitForTimeout(300);
      if (traceFile && attempt === 0) await browser.startTracing(page, { path: traceFile, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8', 'blink', 'cc', 'gpu', 'viz'] });
      t0 = Date.now();
      cpu.start();
      await entry.click();
      await tab.waitFor({ timeout: 5000 }).catch(() => page.keyboard.press('Escape'));
    }
    const wv = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    // No clicks in the panel: it moves to the Training tab as the run starts, as a user sees it.
    const deadline = t0 + 600_000;
    let seen = {};
    while (Date.now() < deadline && seen.boundary === undefined) {
      seen = (await wv.locator('body').evaluate(recorder).catch(() => null)) ?? seen;
      if (seen.finished === undefined) cpu.sample();
      // The recorder stamps the times itself: a sparse poll, to take little CPU from the run.
      await page.waitForTimeout(250);
    }
    if (traceFile) {
      await browser.stopTracing();
      traceFile = undefined; // the first run only
    }
    if (seen.boundary === undefined) throw new Error('the run did not finish within 10 minutes');
    const rel = (ms) => (ms === undefined ? undefined : ms - t0);
    const host = await hostTimeline(logsDir, file, t0);
    const webview = Object.fromEntries(Object.entries(seen.webview).map(([k, v]) => [k, rel(v)]));
    return { firstLoss: rel(seen.firstLoss), finished: rel(seen.finished), boundary: rel(seen.boundary), host, webview, cpu: cpu.totals() };
  } catch (e) {
    const shot = join(process.env.TMPDIR ?? '/tmp', `logit-lab-ui-bench-${Date.now()}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    throw new Error(`${file}: ${e.message.split('\n')[0]} (screenshot: ${shot})`);
  } finally {
    await page.close();
  }
}

/** What a process under this bench is, from its command line. */
function processKind(cmd) {
  if (cmd.includes('trainProcess.js') || cmd.includes('logit-lab-train')) return 'training process';
  if (cmd.includes('extensionHost')) return 'extension host';
  if (cmd.includes('code-server') || cmd.includes('/out/server-main') || cmd.includes('ptyHost') || cmd.includes('fileWatcher')) return 'code-server';
  if (cmd.includes('chrom')) return cmd.includes('--type=renderer') ? 'browser renderers' : 'browser (other)';
  return 'other';
}

/**
 * CPU time (user + system, from /proc) of every process below this one (code-server, its extension
 * hosts and the training process, the browser) between `start()` and the last `sample()`, by kind.
 * Processes that end in between (the training process ends with its run) keep their last sample.
 */
function cpuSampler() {
  const tick = 10; // ms per clock tick (USER_HZ = 100)
  const first = new Map();
  const last = new Map();
  const kinds = new Map();
  const read = () => {
    const now = new Map();
    for (const pid of descendants(process.pid)) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        now.set(pid, (Number(f[11]) + Number(f[12])) * tick);
        if (!kinds.has(pid)) kinds.set(pid, processKind(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')));
      } catch {
        /* gone */
      }
    }
    return now;
  };
  return {
    start() {
      for (const [pid, ms] of read()) first.set(pid, ms);
    },
    sample() {
      for (const [pid, ms] of read()) last.set(pid, ms);
    },
    totals() {
      const out = {};
      for (const [pid, ms] of last) {
        const k = kinds.get(pid) ?? 'other';
        out[k] = (out[k] ?? 0) + ms - (first.get(pid) ?? 0);
      }
      return out;
    },
  };
}

/** Every file under `dir` (recursively) whose name ends with `suffix`. */
function filesUnder(dir, suffix) {
  const out = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...filesUnder(p, suffix));
    else if (d.name.endsWith(suffix)) out.push(p);
  }
  return out;
}

/**
 * The host's `timeline FILE: …` lines (src/host/timeline.ts) from the Logit Lab Output channel's log
 * file(s) of this code-server, of the panel opened after the click: the moment of each event in ms
 * from the click (this machine's clock).
 */
async function hostTimeline(logsDir, file, t0) {
  await new Promise((r) => setTimeout(r, 1500)); // the log is written asynchronously
  // Each line's own timestamp is when the log was written (in batches); the host's "+N ms" counts
  // from the panel's opening, whose wall-clock time the "opened at" line gives.
  for (const f of existsSync(logsDir) ? filesUnder(logsDir, 'Logit Lab.log') : []) {
    let opened;
    const events = {};
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const m = /\[info\] timeline (.+?): (?:opened at (\S+)|(.+) \+(\d+) ms)$/.exec(line);
      if (!m || m[1] !== file) continue;
      if (m[2] !== undefined) opened = new Date(m[2]).getTime();
      else if (opened !== undefined && opened >= t0 - 100) events[m[3]] ??= opened + Number(m[4]) - t0;
    }
    // A window per run: the log of the window opened for this click.
    if (opened !== undefined && opened >= t0 - 100) return { opened: opened - t0, ...events };
  }
  return {};
}

function cliRun(csv, ext = root) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, join(ext, 'dist/cli.js'), 'train', csv], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const [wall, user, sys, kb] = String(r.stderr).trim().split('\n').pop().split(' ').map(Number);
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000, peakMB: kb / 1024 };
}

export async function measureUi() {
  const e2e = e2eDir();
  const require = createRequire(join(e2e, 'node_modules/'));
  const { chromium } = require('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'logit-lab-bench-ui.'));
  for (const f of files) {
    const src = join(root, 'bench/data', f);
    if (!existsSync(src)) throw new Error(`${src} is missing: run npm run bench -- --rows 1000000 first`);
  }
  for (const x of exts) if (!existsSync(join(x, 'dist/extension.js'))) throw new Error(`${x}/dist/extension.js is missing: run node scripts/build.mjs there`);
  // A workspace folder per run: a window reopened on the same folder would restore the last panel and its runs.
  const workspace = (f, r) => {
    const ws = join(dir, `ws-${r}`);
    mkdirSync(ws, { recursive: true });
    symlinkSync(join(root, 'bench/data', f), join(ws, f));
    return ws;
  };
  const { url, child } = await startCodeServer(dir, e2e);
  const browser = await chromium.launch({ executablePath: process.env.CHROME ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
  const results = [];
  let n = 0;
  try {
    for (const f of files) {
      for (let r = 0; r < runs; r++) {
        // With several builds (--ext a,b), one run of each in turn, the order alternating: the same load for both.
        const order = r % 2 === 0 ? exts : [...exts].reverse();
        for (const ext of order) {
          const load = loadavg()[0];
          const ws = workspace(f, n++);
          const panel = await panelRun(browser, url, ws, f, ext, join(dir, 'ud/logs'));
          const cli = cliRun(join(ws, f), ext);
          const build = existsSync(join(ext, 'dist/extension.js.map')) ? 'development' : 'production';
          results.push({ file: f, run: r + 1, ext: exts.length > 1 ? ext : undefined, build, load, panel, cli });
          console.error(JSON.stringify(results[results.length - 1]));
        }
      }
    }
  } finally {
    await browser.close();
    stopCodeServer(child);
    if (process.argv.includes('--keep')) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

const median = (xs) => {
  const v = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return v.length === 0 ? undefined : v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** The host's and the webview's moments, named for the table (ms from the click). */
function phases(panel) {
  const h = panel.host;
  const w = panel.webview;
  return {
    opened: h.opened,
    estimate: h.estimate,
    counted: h.counted,
    ready: h['webview ready'],
    requested: h['run #1 requested'],
    firstProgress: h['run #1 first progress'],
    answered: h['run #1 worker answered'],
    posted: h['run #1 posted'],
    bundle: w.bundleFetched,
    start: w.start,
    init: w['didInitialize handled'],
    received: w.didFinishTraining,
    handled: w['didFinishTraining handled'],
  };
}

export function uiLines(results) {
  const s = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)}`);
  const name = (x) => `${x.file}${x.ext ? ` (${x.ext})` : ''}${x.build === 'production' ? ' [production build]' : ''}`;
  const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : '—');
  const groups = new Map();
  for (const x of results) groups.set(name(x), [...(groups.get(name(x)) ?? []), x]);
  return [
    'Model panel in code-server (VS Code 1.100), right-click → Train with the default settings, one fresh window per run, no click in the panel until the run is in its history (then the Model tab, at once); seconds from the click. Wall clock, so the load average (1 min) is given per run; the CLI (`node dist/cli.js train F`, the same settings) ran right after each panel run on the same file.',
    '',
    '| file | run | load | first live loss point | finished | boundary drawn | CLI wall | CLI CPU | finished / CLI | boundary / CLI |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((x) => `| ${name(x)} | ${x.run} | ${x.load.toFixed(1)} | ${s(x.panel.firstLoss)} | ${s(x.panel.finished)} | ${s(x.panel.boundary)} | ${s(x.cli.wallMs)} | ${s(x.cli.cpuMs)} | ${ratio(x.panel.finished, x.cli.wallMs)} | ${ratio(x.panel.boundary, x.cli.wallMs)} |`),
    '',
    'Where the time goes (medians, seconds from the click): the host (`timeline` lines of the Output channel) and the webview (its logit-lab:* performance marks).',
    '',
    '| file | runs | panel opened (worker forked) | estimate | counted | webview bundle fetched | bundle evaluated | webview ready (host) | snapshot handled | run sent | first fit progress | report at the host | run posted | run received | run handled | boundary drawn |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...[...groups].map(([g, xs]) => {
      const ps = xs.map((x) => phases(x.panel));
      const m = (k) => s(median(ps.map((p) => p[k])));
      return `| ${g} | ${xs.length} | ${m('opened')} | ${m('estimate')} | ${m('counted')} | ${m('bundle')} | ${m('start')} | ${m('ready')} | ${m('init')} | ${m('requested')} | ${m('firstProgress')} | ${m('answered')} | ${m('posted')} | ${m('received')} | ${m('handled')} | ${s(median(xs.map((x) => x.panel.boundary)))} |`;
    }),
    '',
    'CPU time from the click to the finished run (seconds, medians; /proc of every process under the bench), beside the CLI\'s own CPU time:',
    '',
    `| file | runs | ${CPU_KINDS.join(' | ')} | all | CLI |`,
    `|---|---:|${CPU_KINDS.map(() => '---:|').join('')}---:|---:|`,
    ...[...groups].map(([g, xs]) => {
      const m = (f) => s(median(xs.map(f)));
      return `| ${g} | ${xs.length} | ${CPU_KINDS.map((k) => m((x) => x.panel.cpu?.[k] ?? 0)).join(' | ')} | ${m((x) => Object.values(x.panel.cpu ?? {}).reduce((a, b) => a + b, 0))} | ${m((x) => x.cli.cpuMs)} |`;
    }),
  ];
}

const CPU_KINDS = ['training process', 'extension host', 'code-server', 'browser renderers', 'browser (other)', 'other'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(uiLines(await measureUi()).join('\n'));
}
