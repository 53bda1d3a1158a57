// No long tasks (issue 20): the model panel's webview in headless Debian Chromium (the real bundle and
// CSP, test/browser/harness.mjs) gets a finished 1,000,000-row run, as the extension host posts it,
// and renders the Model tab, then the Evaluation tab, then the Model tab again after moving the
// threshold. A PerformanceObserver collects the 'longtask' entries (tasks over 50 ms) from the
// message on. On a machine that is not overloaded (load average below its core count) the test fails
// on any of them. On an overloaded one (this project's shared 2-core machine often runs at load 10-20,
// which stretches every task several times), a Chromium trace gives each task's thread CPU time, and
// the test fails on any task that used more than 50 ms of CPU: work the webview did, not time it
// waited for a core. Both lists are printed. The run is real: a deterministic 1,000,000 x 20 CSV
// (bench/run.mjs's generator: unscaled columns, y ~ Bernoulli(σ(0.3 + w·u))) trained by dist/cli.js
// with the default settings; the CSV and report are cached in test-results/longtask/.
// Run `node scripts/build.mjs` first, then:  node test/browser/longtasks.mjs [--report R.json] [--trace OUT.json] [--profile OUT.cpuprofile]
// (--trace saves the Chromium trace, for DevTools' Performance panel or a script; --profile the JS CPU profile;
// --cpu-throttle R slows the page's CPU R times (DevTools' CPU throttling), to estimate the headroom on a slower
// machine: judge that by the longtask entries (wall time) on a quiet machine, since throttling is not thread CPU time.)
// Prints "N passed, M failed"; exits 1 on failure.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generate } from '../../bench/generate.mjs';
import { startServer, testRunner } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'test-results', 'longtask');
mkdirSync(dir, { recursive: true });
const ROWS = 1_000_000;
const FEATURES = 20;
const LONG_TASK_MS = 50;

/** The report of the real run (cached; rebuilt when dist/cli.js is newer). */
async function realReport() {
  const i = process.argv.indexOf('--report');
  if (i >= 0) return readFileSync(process.argv[i + 1], 'utf8');
  const csv = join(dir, `binary_${ROWS}x${FEATURES}.csv`);
  const report = csv.replace(/\.csv$/, '.report.json');
  await generate(csv, ROWS, FEATURES, 2);
  if (!existsSync(report) || statSync(report).mtimeMs < statSync(join(root, 'dist', 'cli.js')).mtimeMs) {
    execFileSync(process.execPath, [join(root, 'dist', 'cli.js'), 'train', csv, '--report-json', report], { stdio: 'ignore' });
  }
  return readFileSync(report, 'utf8');
}

const { test, finish } = testRunner();

const reportText = await realReport();
const report = JSON.parse(reportText);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const server = await startServer(root);
const errors = [];

/** Clicks a tab and waits (frame by frame, without blocking the page) until `selector` is in its panel and two more frames passed. */
async function showTab(page, id, selector) {
  await page.evaluate(
    async ({ id, selector }) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      document.querySelector(`vscode-tab-header[data-tab="${id}"]`).click();
      for (let i = 0; i < 1200; i++) {
        if (document.querySelector(`vscode-tab-panel[data-panel="${id}"] ${selector}`)) break;
        await frame();
      }
      if (!document.querySelector(`vscode-tab-panel[data-panel="${id}"] ${selector}`)) throw new Error(`${selector} never appeared in the ${id} tab`);
      // Whatever is still rendering incrementally: wait for the tab to say it is complete.
      for (let i = 0; i < 1200 && document.querySelector(`vscode-tab-panel[data-panel="${id}"] [data-pending]`); i++) await frame();
      if (document.querySelector(`vscode-tab-panel[data-panel="${id}"] [data-pending]`)) throw new Error(`the ${id} tab never finished rendering`);
      for (let i = 0; i < 3; i++) await frame();
    },
    { id, selector },
  );
}

/** Names the phase the page is in: for the longtask entries (window.__phase) and, as a user-timing mark, for the trace's tasks. */
async function setPhase(page, phase) {
  await page.evaluate((phase) => {
    window.__phase = phase;
    performance.mark(`longtask-phase:${phase}`);
  }, phase);
}

await test(`no task over ${LONG_TASK_MS} ms while the Model and Evaluation tabs render a ${report.data.nRows.toLocaleString('en-US')}-row run (report ${(reportText.length / 1e6).toFixed(2)} MB)`, async () => {
  if (report.data.nRows !== ROWS && !process.argv.includes('--report')) throw new Error(`the run read ${report.data.nRows} rows`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.page({}));
  await page.waitForFunction(() => window.__posted && window.__posted.length > 0);
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push({ start: e.startTime, ms: Math.round(e.duration), at: window.__phase });
    }).observe({ type: 'longtask' });
    window.__phase = 'idle';
  });
  // The host's message, as it arrives: one structured-clone of the whole run.
  const run = { id: 1, label: '#1 lbfgs L2 C=1', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 4000, settings: report.model.settings, report };
  const init = { type: 'didInitialize', fileName: `binary_${ROWS}x${FEATURES}.csv`, preview: null, loadError: null, defaults: report.model.settings, runs: [run], training: null, readOnly: false };
  // The renderer's main-thread tasks with their thread CPU time (trace event `tdur`).
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const traced = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  // --profile OUT.cpuprofile: the renderer's JS CPU profile as well (DevTools opens it; it slows the page a little).
  const profileAt = process.argv.indexOf('--profile');
  if (profileAt >= 0) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const throttleAt = process.argv.indexOf('--cpu-throttle');
  if (throttleAt >= 0) await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.argv[throttleAt + 1]) });
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' });
  const load = loadavg()[0];
  // The harness's own work is left out: parsing the run from text and posting it (the host's
  // serialization, in VS Code another process's). The webview's share, receiving it (structured clone)
  // and handling it, runs in the next task and counts.
  await page.evaluate((text) => {
    window.__phase = 'harness';
    performance.mark('harness-start');
    window.postMessage(JSON.parse(text), '*');
    performance.mark('harness-end');
    window.__harness = [performance.getEntriesByName('harness-start')[0].startTime, performance.getEntriesByName('harness-end')[0].startTime];
    window.__phase = 'message';
    performance.mark('longtask-phase:message');
  }, JSON.stringify(init));
  await setPhase(page, 'model');
  await showTab(page, 'model', '[data-plot="decision-boundary"] svg');
  const boundary = await page.$eval('vscode-tab-panel[data-panel="model"] [data-plot="decision-boundary"]', (c) => ({
    images: c.querySelectorAll('image').length,
    paths: c.querySelectorAll('path').length,
    dots: c.querySelectorAll('g[aria-label="dot"] > *').length,
    canvases: c.querySelectorAll('canvas.ll-point-layer').length,
    pointsDrawn: Number(c.dataset.pointsDrawn),
    crossesDrawn: Number(c.dataset.crossesDrawn),
    misclassified: Number(c.dataset.misclassified),
  }));
  if (boundary.images < 1) throw new Error(`the boundary has no raster: ${JSON.stringify(boundary)}`);
  // The sampled points are drawn on the point layer (one canvas), not as SVG nodes.
  if (boundary.canvases !== 1 || boundary.dots !== 0) throw new Error(`the points are not on one canvas: ${JSON.stringify(boundary)}`);
  if (boundary.pointsDrawn !== report.points.y.length || boundary.crossesDrawn !== boundary.misclassified) throw new Error(`points drawn: ${JSON.stringify(boundary)} of ${report.points.y.length}`);
  await setPhase(page, 'evaluation');
  await showTab(page, 'evaluation', '#threshold');
  await setPhase(page, 'threshold');
  await page.evaluate(() => {
    const s = document.querySelector('#threshold');
    s.value = '0.3';
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await setPhase(page, 'model again');
  await showTab(page, 'model', '[data-plot="decision-boundary"] svg');
  await page.waitForTimeout(200);
  // The harness's task (it contains the two marks) is not the webview's.
  const long = await page.evaluate(() => window.__long.filter((l) => !(l.start <= window.__harness[0] && window.__harness[1] <= l.start + l.ms)));
  if (profileAt >= 0) writeFileSync(process.argv[profileAt + 1], JSON.stringify((await cdp.send('Profiler.stop')).profile));
  await cdp.send('Tracing.end');
  await traced;
  const traceAt = process.argv.indexOf('--trace');
  if (traceAt >= 0) writeFileSync(process.argv[traceAt + 1], JSON.stringify({ traceEvents: events }));
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const marks = events.filter((e) => e.name === 'harness-start' || e.name === 'harness-end').map((e) => e.ts);
  const harness = (e) => marks.length > 0 && marks.every((ts) => e.ts <= ts && ts <= e.ts + e.dur);
  const tasks = events.filter((e) => e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`) && e.dur > LONG_TASK_MS * 1000 && !harness(e));
  // The longest main-thread tasks by CPU (any length), with the phase they ran in: the headroom under
  // the 50 ms line, comparable between machines and builds.
  const phaseMarks = events.filter((e) => e.name.startsWith('longtask-phase:')).sort((a, b) => a.ts - b.ts);
  const phaseAt = (ts) => phaseMarks.filter((m) => m.ts <= ts).pop()?.name.slice('longtask-phase:'.length) ?? 'before';
  const top = events
    .filter((e) => e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`) && !harness(e))
    .sort((a, b) => (b.tdur ?? b.dur) - (a.tdur ?? a.dur))
    .slice(0, 5)
    .map((e) => `${Math.round((e.tdur ?? e.dur) / 1000)} ms CPU / ${Math.round(e.dur / 1000)} ms wall (${phaseAt(e.ts)})`);
  const cpuLong = tasks.filter((e) => (e.tdur ?? e.dur) > LONG_TASK_MS * 1000).map((e) => `${Math.round(e.dur / 1000)} ms wall, ${Math.round((e.tdur ?? e.dur) / 1000)} ms CPU`);
  const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  await page.screenshot({ path: join(root, 'test-results', 'panel-longtask-model.png'), fullPage: false });
  await page.close();
  const overloaded = Math.max(load, loadavg()[0]) >= cpus().length;
  console.log(`      load average ${load.toFixed(1)} on ${cpus().length} cores (${overloaded ? 'overloaded: judged by CPU time' : 'judged by wall time'})`);
  console.log(`      longtask entries: ${long.length ? long.map((l) => `${l.ms} ms (${l.at})`).join(', ') : 'none'}`);
  console.log(`      of the tasks over ${LONG_TASK_MS} ms wall, over ${LONG_TASK_MS} ms of CPU: ${cpuLong.length ? cpuLong.join('; ') : 'none'} (of ${tasks.length})`);
  console.log(`      longest main-thread tasks by CPU: ${top.join('; ')}`);
  console.log(`      ${domNodes} elements in the page; boundary ${JSON.stringify(boundary)}`);
  if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
  if (!overloaded && long.length) throw new Error(`${long.length} task(s) over ${LONG_TASK_MS} ms: ${long.map((l) => `${l.ms} ms during ${l.at}`).join(', ')}`);
  if (cpuLong.length) throw new Error(`${cpuLong.length} task(s) used more than ${LONG_TASK_MS} ms of CPU: ${cpuLong.join('; ')}`);
});

await browser.close();
await server.close();
finish();
