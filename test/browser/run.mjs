// Browser tests of the model panel webview: the built bundle (media/dist/panel.js + panel.css) in
// headless Debian Chromium (playwright-core), under the real panel's CSP, driven like the extension
// host drives it. Run `node scripts/build.mjs` first, then:  node test/browser/run.mjs
// Screenshots go to test-results/panel-*.png. Prints "N passed, M failed"; exits 1 on failure.
import { chromium } from 'playwright-core';
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, testRunner } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'test-results');
mkdirSync(out, { recursive: true });
const XSS = '<img src=x onerror="window.__xss=1">';

for (const f of ['media/dist/panel.js', 'media/dist/panel.css']) {
  if (!existsSync(join(root, f))) {
    console.error(`${f} is missing: run node scripts/build.mjs first`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// Pure core helpers for fixtures (real previews, the HTML report) bundled on the fly.
const core = await esbuild.build({
  stdin: {
    contents: `export { parseCsv } from './src/core/data/csv'; export { previewTable } from './src/core/data/preview'; export { renderReportHtml } from './src/core/report/reportHtml'; export { compareSolvers } from './src/core/run/compareSolvers'; export { crossValidate, logGrid } from './src/core/run/crossValidate'; export { trainFromBytes } from './src/core/run/train'; export { landscapeProblem, landscapeOfRun, descentOnLandscape } from './src/core/run/landscapeRun'; export { trainStreamFromFile } from './src/node/streamCsv'; export { packNumbers, packReport } from './src/protocol/packNumbers'; export { messageForWebview } from './src/protocol/panel';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
  logLevel: 'error',
});
const { parseCsv, previewTable, renderReportHtml, compareSolvers, crossValidate, logGrid, trainFromBytes, landscapeProblem, landscapeOfRun, descentOnLandscape, trainStreamFromFile, packNumbers, packReport, messageForWebview } = await import(`data:text/javascript;base64,${Buffer.from(core.outputFiles[0].text).toString('base64')}`);

const fixture = (name) => JSON.parse(readFileSync(join(root, 'test/fixtures/reports', name), 'utf8'));
const reports = {
  binary: fixture('binary.json'),
  binaryGd: fixture('binary-gd.json'),
  multiclass: fixture('multiclass.json'),
  xss: fixture('xss.json'),
  wine: fixture('wine.json'),
  digits: fixture('digits.json'),
  pbc: fixture('pbc.json'),
  inference: fixture('inference.json'),
  inferenceSingular: fixture('inference-singular.json'),
  inferencePenalized: fixture('inference-penalized.json'),
};
const previewOf = (csvText, fileName) => previewTable(parseCsv(new TextEncoder().encode(csvText), { fileName }), fileName);
const binaryPreview = previewOf(readFileSync(join(root, 'samples/binary.csv'), 'utf8'), 'binary.csv');
const xssCsv = [`"${XSS.replace(/"/g, '""')}",x2,label`, ...Array.from({ length: 12 }, (_, i) => `${i},${i % 3},"${i % 2 ? XSS.replace(/"/g, '""') : 'ok'}"`)].join('\n');
const xssPreview = previewOf(xssCsv, 'xss.csv');

// What the host sends as defaults: TrainSettings as the user chose them (C given, lambda unset).
const DEFAULTS = { ...reports.binary.model.settings };
delete DEFAULTS.lambda;
const run = (id, report, label) => ({ id, label: label ?? `#${id} ${report.convergence.solver} L2 C=${report.model.settings.C}`, startedAt: '2025-01-01T12:00:00.000Z', durationMs: 42, settings: report.model.settings, report });
const init = (extra = {}) => ({ type: 'didInitialize', fileName: 'binary.csv', preview: binaryPreview, loadError: null, defaults: DEFAULTS, runs: [], training: null, readOnly: false, ...extra });

/** The confusion counts at a threshold, straight from the sweep (independent of the webview code). */
function expectedConfusion(sweep, t) {
  let k = 0;
  while (k < sweep.thresholds.length && sweep.thresholds[k] >= t) k++;
  const tp = k ? sweep.tp[k - 1] : 0;
  const fp = k ? sweep.fp[k - 1] : 0;
  return { tp, fp, fn: sweep.positives - tp, tn: sweep.negatives - fp };
}
/** The panel's number format for metric values (4 significant digits). */
const fmt4 = (v) => String(Number(v.toPrecision(4)));

// ---------------------------------------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const server = await startServer(root);
const runner = testRunner();
const cspLog = [];
const errors = [];

async function open(options = {}, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => errors.push(`${e.message}`));
  page.on('console', (m) => {
    // CSP refusals are checked through the securitypolicyviolation log instead.
    if (m.type() === 'error' && !m.text().includes('Content Security Policy')) errors.push(`console: ${m.text()}`);
    // No warnings either (the codicons.css warning of @vscode-elements' icons, Lit's dev notices).
    if (m.type() === 'warning') errors.push(`console warning: ${m.text()}`);
  });
  await page.goto(server.page(options));
  await page.waitForFunction(() => window.__posted && window.__posted.length > 0);
  return page;
}
const send = (page, msg) => page.evaluate((m) => window.postMessage(m, '*'), msg);
const posted = (page) => page.evaluate(() => window.__posted);
const tab = async (page, id) => {
  await page.click(`vscode-tab-header[data-tab="${id}"]`);
  await page.waitForSelector(`vscode-tab-panel[data-panel="${id}"] .ll-tab-body`);
  // Model and Evaluation render card by card (webview/panel/incremental.ts): wait until none is pending.
  await page.waitForFunction((id) => !document.querySelector(`vscode-tab-panel[data-panel="${id}"] [data-pending]`), id);
  await page.waitForTimeout(150);
};
async function csp(page) {
  const v = await page.evaluate(() => window.__csp.splice(0));
  cspLog.push(...v);
  return v;
}
const shot = (page, name) => page.screenshot({ path: join(out, `panel-${name}.png`), fullPage: true });
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function eq(actual, expected, message) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** GREP=text runs only the tests whose name contains it (while working on one view). */
const GREP = process.env.GREP;

async function test(name, fn) {
  // ONLY=text runs the tests whose name contains it (while working on one view).
  if (process.env.ONLY && !name.includes(process.env.ONLY)) return;
  if (GREP && !name.includes(GREP)) return;
  const before = errors.length;
  await runner.test(name, async () => {
    await fn();
    if (errors.length > before) throw new Error(`page errors: ${errors.slice(before).join(' | ')}`);
  });
}

// ---------------------------------------------------------------------------------------------
await test('CSP is enforced in the harness (a deliberate inline <style> is refused)', async () => {
  const page = await open();
  await page.evaluate(() => {
    const s = document.createElement('style');
    s.textContent = 'body { outline: 1px solid red }';
    document.head.append(s);
  });
  await page.waitForTimeout(100);
  const v = await page.evaluate(() => window.__csp.splice(0));
  assert(v.some((x) => x.directive.startsWith('style-src')), `no violation recorded for an inline <style>: ${JSON.stringify(v)}`);
  const outline = await page.evaluate(() => getComputedStyle(document.body).outlineStyle);
  eq(outline, 'none', 'the inline style must not apply');
  await page.close();
});

await test('posts ready first, then shows the data summary and a settings form with defaults', async () => {
  const page = await open();
  eq((await posted(page))[0], { type: 'ready' }, 'first message');
  await send(page, init());
  await page.waitForSelector('.ll-columns');
  const cols = await page.$$eval('.ll-columns tbody tr th', (ths) => ths.map((t) => t.textContent));
  assert(cols[0].startsWith('x1') && cols[2].startsWith('label'), `columns: ${cols}`);
  assert(await page.$('[data-plot="class-balance"] svg'), 'class balance plot');
  const balance = await page.$eval('[data-plot="class-balance"] svg', (s) => s.textContent);
  assert(balance.includes('150 (50.0%)'), `class balance labels: ${balance}`);
  eq(await page.$$eval('.ll-feature-list vscode-checkbox', (b) => b.map((x) => x.getAttribute('label'))), ['x1', 'x2'], 'feature checkboxes');
  await page.waitForTimeout(300);
  await shot(page, 'data');
  await page.click('#train');
  const msgs = await posted(page);
  const start = msgs.find((m) => m.type === 'startTraining');
  assert(start, `no startTraining in ${JSON.stringify(msgs)}`);
  eq(start.settings.target, ['label'], 'target');
  eq(start.settings.features, [], 'features (all)');
  eq(start.settings.solver, 'lbfgs', 'solver');
  eq(start.settings.C, 1, 'C');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('invalid settings are reported in the form and not sent', async () => {
  const page = await open();
  await send(page, init());
  await page.waitForSelector('#C');
  await page.evaluate(() => {
    document.querySelector('#C').value = '-3';
  });
  await page.click('#train');
  const problems = await page.textContent('.ll-problems');
  assert(problems.includes('C must be positive'), `problems: ${problems}`);
  assert(!(await posted(page)).some((m) => m.type === 'startTraining'), 'startTraining must not be posted');
  await page.close();
});

await test('streams live loss curves while training; Cancel posts cancelTraining', async () => {
  const page = await open();
  await send(page, init());
  await send(page, { type: 'didStartTraining', runId: 1, settings: DEFAULTS });
  const h = reports.binaryGd.lossHistory;
  for (const n of [5, 40, 120]) {
    await send(page, { type: 'didUpdateProgress', runId: 1, progress: { phase: 'fitting', iteration: n, maxIter: 300, output: 0, outputs: 1, gradientNorm: 0.01, lossHistory: { train: h.train.slice(0, n), validation: h.validation.slice(0, n) } } });
    await page.waitForTimeout(60);
  }
  await page.waitForSelector('[data-view="live-training"] [data-plot="loss-curves"] svg');
  const paths = await page.$$eval('[data-plot="loss-curves"] svg path', (p) => p.length);
  assert(paths >= 2, `loss curve paths: ${paths}`);
  // The last snapshot is drawn within LIVE_DRAW_INTERVAL_MS (250 ms) of its arrival, not at once.
  await page.waitForFunction(() => document.querySelector('.ll-live-status')?.textContent.includes('iteration 120 of at most 300'), null, { timeout: 5000 }).catch(() => {});
  const status = await page.textContent('.ll-live-status');
  assert(status.includes('iteration 120 of at most 300'), `status: ${status}`);
  await shot(page, 'training-live');
  await page.click('#cancel-header');
  assert((await posted(page)).some((m) => m.type === 'cancelTraining'), 'cancelTraining posted');
  await send(page, { type: 'didCancelTraining', runId: 1 });
  await page.waitForFunction(() => document.querySelector('.ll-status-line')?.textContent.includes('cancelled'));
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('a run that finishes: the Training tab draws the loss curves, convergence and warnings before its other cards; the Model tab the decision boundary before the formula', async () => {
  const page = await open();
  await send(page, init());
  await send(page, { type: 'didStartTraining', runId: 1, settings: DEFAULTS });
  await page.waitForSelector('[data-view="live-training"]');
  // The order in which the cards take their places (webview/panel/incremental.ts), recorded in the page.
  await page.evaluate(() => {
    window.__cards = [];
    const seen = new Set();
    new MutationObserver(() => {
      for (const c of document.querySelectorAll('.ll-training > [data-plot], .ll-training > [data-view], .ll-model > [data-plot], .ll-model > [data-view]')) {
        const panel = c.closest('vscode-tab-panel').dataset.panel;
        const name = `${panel}:${c.dataset.plot ?? c.dataset.view}`;
        if (!seen.has(name) && !c.closest('[data-pending]')) {
          seen.add(name);
          window.__cards.push(name);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await send(page, { type: 'didFinishTraining', run: run(1, reports.binary) });
  await page.waitForFunction(() => !document.querySelector('[data-view="live-training"]') && document.querySelector('vscode-tab-panel[data-panel="training"] [data-view="replay"]') && !document.querySelector('vscode-tab-panel[data-panel="training"] [data-pending]'));
  const training = (await page.evaluate(() => window.__cards)).filter((c) => c.startsWith('training:'));
  eq(training.slice(0, 2), ['training:loss-curves', 'training:convergence'], `the Training tab’s first cards, in the order drawn (${training.join(', ')})`);
  assert(training.indexOf('training:replay') > 1, `the replay after them: ${training.join(', ')}`);
  // In the page: the cards' places keep the reading order.
  const page1 = await page.$$eval('vscode-tab-panel[data-panel="training"] .ll-training > *', (cs) => cs.map((c) => c.dataset.plot ?? c.dataset.view ?? c.className));
  assert(page1[0] === 'loss-curves' && page1.indexOf('replay') > 0 && page1.indexOf('replay') < page1.indexOf('solver-comparison') && page1.indexOf('solver-comparison') < page1.indexOf('convergence'), `the Training tab’s cards in the page: ${page1.join(', ')}`);
  await tab(page, 'model');
  const model = (await page.evaluate(() => window.__cards)).filter((c) => c.startsWith('model:'));
  eq(model[0], 'model:decision-boundary', `the Model tab draws the boundary first (${model.join(', ')})`);
  const order = await page.$$eval('vscode-tab-panel[data-panel="model"] .ll-model > *', (cs) => cs.map((c) => c.dataset.plot ?? c.dataset.view ?? c.className));
  eq(order.slice(0, 2), ['formula', 'decision-boundary'], `the formula, then the boundary, in the page (${order.join(', ')})`);
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

const selectedTab = (page) => page.evaluate(() => ['data', 'model', 'evaluation', 'training', 'selection', 'runs'][document.querySelector('#tabs').selectedIndex]);
const progressAt = (n) => {
  const h = reports.binaryGd.lossHistory;
  return { phase: 'fitting', iteration: n, maxIter: 300, output: 0, outputs: 1, gradientNorm: 0.01, lossHistory: { train: h.train.slice(0, n), validation: h.validation.slice(0, n) } };
};

await test('the first run (started as the panel opens): snapshot, then the queued start and progress, live on the Training tab', async () => {
  const page = await open();
  // What the host's PanelController sends after `ready` while the first run is going: the snapshot
  // (with the run's latest progress), then the queued didStartTraining and the latest coalesced progress.
  await send(page, init({ training: progressAt(10) }));
  await page.waitForSelector('[data-view="live-training"] [data-plot="loss-curves"] svg');
  eq(await selectedTab(page), 'training', 'tab after a snapshot with a run under way');
  await send(page, { type: 'didStartTraining', runId: 1, settings: DEFAULTS });
  await send(page, { type: 'didUpdateProgress', runId: 1, progress: progressAt(40) });
  await send(page, { type: 'didUpdateProgress', runId: 1, progress: progressAt(90) });
  await page.waitForFunction(() => document.querySelector('.ll-live-status')?.textContent.includes('iteration 90 of at most 300'));
  eq(await selectedTab(page), 'training', 'tab while the first run streams');
  assert((await page.$$eval('[data-plot="loss-curves"] svg path', (p) => p.length)) >= 2, 'live loss curves drawn');
  await page.close();
});

await test('live progress is drawn at a bounded rate (LIVE_DRAW_INTERVAL_MS, 250 ms): snapshots streamed every 20 ms draw a few plots, the last always; a panel opened with a run says the file is being read', async () => {
  const page = await open();
  // A panel opened to train at once gets its preview after the run has read the file (trainProcess.ts).
  await send(page, init({ preview: null, training: progressAt(1) }));
  await page.waitForSelector('[data-view="live-training"] [data-plot="loss-curves"] svg');
  await send(page, { type: 'didStartTraining', runId: 1, settings: DEFAULTS });
  await page.waitForSelector('[data-view="live-training"]');
  // Stream 30 snapshots, one every 20 ms (600 ms; 3x the worker's rate), and stamp every loss plot
  // (a new <svg> in the live card) as it is added: drawing per snapshot (or per animation frame)
  // adds ~30, 20 ms apart; drawing at most every 250 ms adds at most 4, each 250 ms after the last.
  const { draws, lastIteration } = await page.evaluate(async (snapshots) => {
    const seen = new Set();
    const draws = [];
    new MutationObserver(() => {
      for (const svg of document.querySelectorAll('[data-view="live-training"] [data-plot="loss-curves"] .ll-plot-box svg')) {
        if (!seen.has(svg)) {
          seen.add(svg);
          draws.push(performance.now());
        }
      }
    }).observe(document.body, { subtree: true, childList: true });
    const start = performance.now();
    for (const progress of snapshots) {
      window.postMessage({ type: 'didUpdateProgress', runId: 1, progress }, '*');
      await new Promise((r) => setTimeout(r, 20));
    }
    const streamed = performance.now() - start;
    await new Promise((r) => setTimeout(r, 600));
    // The last snapshot's plot: its train line has one point per iteration.
    const line = document.querySelector('[data-view="live-training"] [data-plot="loss-curves"] .ll-plot-box svg g[aria-label="line"] path');
    return { draws: draws.map((t) => t - start), streamed, lastIteration: line ? (line.getAttribute('d').match(/L/g) ?? []).length + 1 : 0 };
  }, Array.from({ length: 30 }, (_, k) => progressAt(11 + 3 * k)));
  const gaps = draws.slice(1).map((t, i) => t - draws[i]);
  assert(draws.length >= 2, `the stream was drawn (a first draw and the last snapshot's): ${draws.length} draws`);
  // Timers fire a little early or late (1 ms clamps, a loaded machine): 230 of the 250 ms.
  assert(gaps.every((g) => g >= 230), `live draws at least 250 ms apart: gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);
  assert(draws.length <= 2 + Math.ceil(draws[draws.length - 1] / 250), `live draws for 30 snapshots over ~600 ms: ${draws.length}`);
  eq(lastIteration, 11 + 3 * 29, 'points in the last drawn loss curve (the last snapshot)');
  const status = await page.textContent('.ll-live-status');
  assert(status.includes(`iteration ${11 + 3 * 29} of at most 300`), `status: ${status}`);
  await tab(page, 'data');
  const reading = await page.textContent('vscode-tab-panel[data-panel="data"] .ll-empty');
  assert(reading.includes('Reading the file'), `Data tab before the preview: ${reading}`);
  await send(page, { type: 'didLoadData', preview: binaryPreview });
  await page.waitForSelector('vscode-tab-panel[data-panel="data"] .ll-rows');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('a run that starts leaves the user on a tab they chose; pressing Train moves to Training again', async () => {
  const page = await open();
  await send(page, init({ runs: [run(1, reports.binary)] }));
  await page.waitForSelector('.ll-columns');
  await tab(page, 'evaluation');
  await send(page, { type: 'didStartTraining', runId: 2, settings: DEFAULTS });
  await send(page, { type: 'didUpdateProgress', runId: 2, progress: progressAt(5) });
  await page.waitForTimeout(150);
  eq(await selectedTab(page), 'evaluation', 'tab the user chose, during a run');
  await send(page, { type: 'didCancelTraining', runId: 2 });
  await tab(page, 'data');
  await page.click('#train');
  assert((await posted(page)).some((m) => m.type === 'startTraining'), 'startTraining posted');
  await send(page, { type: 'didStartTraining', runId: 3, settings: DEFAULTS });
  await page.waitForSelector('vscode-tab-panel[data-panel="training"] [data-view="live-training"]');
  eq(await selectedTab(page), 'training', 'tab after pressing Train');
  await page.close();
});

await test('Data tab: a sampled preview says its figures are estimates; a finished run replaces them by exact counts; a capped distinct count reads "≥ 10,000"', async () => {
  const text = readFileSync(join(root, 'samples/binary.csv'), 'utf8');
  const prefix = text.split('\n').slice(0, 61).join('\n') + '\n';
  const sample = { bytes: Buffer.byteLength(prefix), fileBytes: Buffer.byteLength(text) };
  const sampledPreview = previewTable(parseCsv(new TextEncoder().encode(prefix), { fileName: 'binary.csv' }), 'binary.csv', undefined, sample);
  const page = await open();
  await send(page, init({ preview: sampledPreview }));
  await page.waitForSelector('.ll-rows');
  const estimate = Math.round((60 * sample.fileBytes) / sample.bytes).toLocaleString('en-US');
  eq(await page.textContent('.ll-rows'), `about ${estimate} (estimated from the first 0.0 MB of 0.0 MB)`, 'rows before a run');
  assert((await page.textContent('.ll-balance-note')).includes('an estimate until a run has read every row'), 'the sample balance is labelled');
  const sampleBalance = await page.$eval('[data-plot="class-balance"] svg', (s) => s.textContent);
  assert(!sampleBalance.includes('150 (50.0%)'), `the sample's balance before the run: ${sampleBalance}`);
  eq(await page.textContent('.ll-columns-note'), "Types, missing and distinct counts of the first 0.0 MB (the preview's sample).", 'columns note before a run');
  await send(page, { type: 'didFinishTraining', run: run(1, reports.binary) });
  await tab(page, 'data');
  await page.waitForFunction(() => document.querySelector('.ll-rows')?.textContent.startsWith('300'));
  eq(await page.textContent('.ll-rows'), '300 (counted by run #1)', 'rows after the run');
  const balance = await page.$eval('[data-plot="class-balance"] svg', (s) => s.textContent);
  assert(balance.includes('150 (50.0%)'), `the whole file's balance after the run: ${balance}`);
  eq(await page.textContent('.ll-balance-note'), 'Class balance of all 300 labelled rows (run #1).', 'balance note after the run');
  // The column table is the run's, typed over every row.
  eq(await page.textContent('.ll-columns-note'), 'Types, missing and distinct counts of all 300 rows (run #1).', 'columns note after the run');
  const distinctAfter = await page.$$eval('.ll-columns tbody tr', (trs) => trs.map((tr) => tr.querySelectorAll('td')[2]?.textContent));
  eq(distinctAfter, reports.binary.data.columns.map((c) => c.distinct.toLocaleString('en-US')), "the run's distinct counts");
  await page.close();

  const lines = ['x,label'];
  for (let i = 0; i < 10_050; i++) lines.push(`${(i * 0.5).toFixed(1)},${i % 2 ? 'a' : 'b'}`);
  const page2 = await open();
  await send(page2, init({ preview: previewOf(lines.join('\n'), 'wide.csv'), fileName: 'wide.csv' }));
  await page2.waitForSelector('.ll-columns');
  const distinct = await page2.$$eval('.ll-columns tbody tr', (trs) => trs.map((tr) => tr.querySelectorAll('td')[2]?.textContent));
  eq(distinct, ['≥ 10,000', '2'], 'Distinct cells');
  await page2.close();
});

await test('binary model: boundary raster + contour, KaTeX formula, coefficients', async () => {
  const page = await open();
  await send(page, init());
  await send(page, { type: 'didFinishTraining', run: run(1, reports.binary) });
  await tab(page, 'model');
  await page.waitForSelector('[data-plot="decision-boundary"] svg');
  const b = await page.$eval('[data-plot="decision-boundary"] svg', (svg) => ({
    images: svg.querySelectorAll('image').length,
    href: (svg.querySelector('image')?.getAttribute('href') ?? '').slice(0, 22),
    contourPaths: [...svg.querySelectorAll('g[aria-label="contour"] path')].filter((p) => (p.getAttribute('d') ?? '').length > 20).length,
    dots: svg.querySelectorAll('g[aria-label="dot"] path, g[aria-label="dot"] circle').length,
    layers: svg.querySelectorAll('foreignObject[aria-label="points"] canvas.ll-point-layer').length,
    layerLabel: svg.querySelector('canvas.ll-point-layer')?.getAttribute('aria-label') ?? '',
    pointsDrawn: Number(svg.closest('[data-plot]').dataset.pointsDrawn),
    crossesDrawn: Number(svg.closest('[data-plot]').dataset.crossesDrawn),
    misclassified: Number(svg.closest('[data-plot]').dataset.misclassified),
    text: svg.textContent,
  }));
  assert(b.images === 1 && b.href === 'data:image/png;base64,', `raster image: ${JSON.stringify(b)}`);
  assert(b.contourPaths >= 1, `contour paths: ${b.contourPaths}`);
  // The points are pixels on one canvas (webview/panel/views/pointLayer.ts), not SVG nodes.
  eq([b.layers, b.dots], [1, 0], 'one point layer, no SVG dots');
  eq(b.pointsDrawn, reports.binary.points.y.length, 'points drawn');
  const wrongBinary = reports.binary.points.y.filter((y, i) => reports.binary.points.predicted[i] !== y).length;
  eq([b.misclassified, b.crossesDrawn], [wrongBinary, wrongBinary], 'misclassified points and crosses drawn');
  assert(b.layerLabel.includes(`${reports.binary.points.y.length} sampled points`) && b.layerLabel.includes(`${wrongBinary} misclassified`), `layer label: ${b.layerLabel}`);
  await checkPointPixels(page, reports.binary);
  assert(b.text.includes('x1') && b.text.includes('x2'), 'axis labels');
  const katex = await page.$$eval('.ll-formula .katex', (k) => k.length);
  assert(katex >= 3, `katex elements: ${katex}`);
  const formula = await page.textContent('.ll-math-main');
  assert(formula.includes('σ') && formula.includes('yes') && formula.includes('1.26'), `formula text: ${formula}`);
  const objective = await page.textContent('.ll-formula');
  assert(objective.includes('C=1') || objective.includes('C = 1') || /C\s*=\s*1/.test(objective), `objective constants: ${objective.slice(0, 400)}`);
  const coef = await page.$$eval('.ll-coef-table tbody tr th', (t) => t.map((x) => x.textContent));
  eq(coef, ['x1', 'x2', '(intercept)'], 'coefficient rows sorted by |value|');
  // Sort by feature name ascending then descending.
  // The coefficient table's row heads; when there is no table, what the page shows instead (for a failure's message).
  const coefRows = () =>
    page.evaluate(() => {
      const rows = [...document.querySelectorAll('.ll-coef-table tbody tr th')].map((x) => x.textContent);
      if (rows.length > 0) return rows;
      const model = document.querySelector('vscode-tab-panel[data-panel="model"] .ll-model');
      return [`no table: tab ${document.querySelector('vscode-tabs')?.selectedIndex}, model cards ${model ? [...model.children].map((c) => c.getAttribute('data-view') ?? c.className).join('|') : 'none'}, pending ${document.querySelectorAll('[data-pending]').length}, sort buttons ${document.querySelectorAll('button[data-sort]').length}`];
    });
  await page.click('button[data-sort="feature"]');
  await page.waitForFunction(() => [...document.querySelectorAll('.ll-coef-table tbody tr th')].map((x) => x.textContent).join() === 'x1,x2,(intercept)', null, { timeout: 5000 }).catch(() => {});
  eq(await coefRows(), ['x1', 'x2', '(intercept)'], 'sorted by feature');
  await page.click('button[data-sort="feature"]');
  // The tab re-renders card by card (incremental.ts): wait for the new order, then check it.
  await page.waitForFunction(() => [...document.querySelectorAll('.ll-coef-table tbody tr th')].map((x) => x.textContent).join() === 'x2,x1,(intercept)', null, { timeout: 5000 }).catch(() => {});
  eq(await coefRows(), ['x2', 'x1', '(intercept)'], 'sorted by feature, descending');
  await page.waitForTimeout(200);
  await shot(page, 'model-binary');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('inference: fit statistics, the coefficient table and 95 % error bars; flags; the refit offered for a penalized fit', async () => {
  const page = await open();
  await send(page, init());
  await send(page, { type: 'didFinishTraining', run: run(1, reports.inference) });
  await tab(page, 'model');
  await page.waitForSelector('.ll-inference-table');
  const t = reports.inference.inference.tables[0];
  const rows = await page.$$eval('.ll-inference-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  eq(rows.map((r) => r[0]), ['(intercept)', 'x1', 'x2'], 'terms, intercept first');
  t.blocks[0].terms.forEach((c, i) => {
    eq(rows[i][1], fmt4(c.estimate).replace(/-/g, "−"), `estimate of ${c.term}`);
    eq(rows[i][2], fmt4(c.se), `standard error of ${c.term}`);
  });
  const fit = await page.textContent('.ll-inference-fit');
  assert(fit.includes(`χ²(${t.fit.llrDf})`) && fit.includes(fmt4(t.fit.aic)), `fit statistics: ${fit}`);
  // One error bar (rule) and one dot per coefficient, the intercept left out.
  const bars = await page.$eval('[data-plot="coefficient-intervals-1"] svg', (svg) => ({
    rules: svg.querySelectorAll('g[aria-label="rule"] line').length,
    dots: svg.querySelectorAll('g[aria-label="dot"] circle').length,
  }));
  eq(bars, { rules: 3, dots: 2 }, 'error bars (2 intervals + the zero rule) and dots');
  assert(!(await page.$('#inference-refit')), 'no refit button on an unpenalized fit');
  await shot(page, 'model-inference');

  await send(page, { type: 'didFinishTraining', run: run(2, reports.inferenceSingular) });
  await page.waitForSelector('[data-flag="singular"]');
  const flag = await page.textContent('[data-flag="singular"]');
  assert(flag.includes("'color=red' = a combination of '(intercept)', 'color=blue', 'color=green'"), `singular flag: ${flag}`);
  eq(await page.$$eval('.ll-inference-table tbody tr', (trs) => trs.map((tr) => tr.children[2].textContent)), ['—', '—', '—', '—', '—'], 'no standard errors on a singular design');

  await send(page, { type: 'didFinishTraining', run: run(3, reports.inferencePenalized) });
  await page.waitForSelector('#inference-refit');
  const note = await page.textContent('[data-plot="inference"] .ll-note');
  assert(note.includes('penalized (L2, C = 1)'), `reason: ${note}`);
  await page.click('#inference-refit');
  const start = (await posted(page)).find((m) => m.type === 'startTraining');
  const expected = { ...reports.inferencePenalized.model.settings, penalty: 'none' };
  delete expected.lambda;
  eq(start?.settings, expected, 'refit: the same settings without the penalty (and no resolved lambda)');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('evaluation: confusion matrix, ROC/PR with AUC/AP, threshold slider (mouse and keyboard)', async () => {
  const page = await open();
  await send(page, init());
  await send(page, { type: 'didFinishTraining', run: run(1, reports.binary) });
  await tab(page, 'evaluation');
  await page.waitForSelector('[data-plot="confusion-matrix"] svg');
  const cur = reports.binary.evaluation.test.curves;
  const counts = () => page.$$eval('[data-plot="confusion-matrix"] .ll-cm-count text', (t) => t.map((x) => x.textContent));
  const asList = (c) => [c.tn, c.tp, c.fp, c.fn].map(String).sort();
  const e05 = expectedConfusion(cur.sweep, 0.5);
  eq((await counts()).sort(), asList(e05), 'counts at 0.5');
  eq(e05.tp + e05.tn, Math.round(reports.binary.evaluation.test.metrics.accuracy * 60), 'sweep agrees with accuracy');
  const auc = await page.textContent('.ll-auc');
  eq(auc, `AUC = ${fmt4(cur.roc.auc)}`, 'AUC text');
  const ap = await page.textContent('.ll-ap');
  eq(ap, `AP = ${fmt4(cur.pr.averagePrecision)}`, 'AP text');
  const metricsText = await page.textContent('[data-view="metrics"]');
  assert(metricsText.includes(fmt4(reports.binary.evaluation.test.metrics.rocAuc)), 'metrics table has the test ROC AUC');
  await shot(page, 'evaluation-binary');
  // Set the slider and fire input + change, as a drag does.
  await page.$eval('#threshold', (s) => {
    s.value = '0.8';
    s.dispatchEvent(new Event('input', { bubbles: true }));
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const e08 = expectedConfusion(cur.sweep, 0.8);
  eq((await counts()).sort(), asList(e08), 'counts at 0.8');
  assert(e08.tp !== e05.tp || e08.fp !== e05.fp, 'threshold 0.8 must change the matrix');
  const precision = await page.textContent('[data-metric="precision"]');
  eq(precision, fmt4(e08.tp / (e08.tp + e08.fp)), 'precision at 0.8');
  const recall = await page.textContent('[data-metric="recall"]');
  eq(recall, fmt4(e08.tp / (e08.tp + e08.fn)), 'recall at 0.8');
  const title = await page.textContent('[data-plot="confusion-matrix"] h3');
  assert(title.includes('0.800'), `title follows threshold: ${title}`);
  // Keyboard: focus the slider and press End (1.0), then Home (0.0).
  await page.focus('#threshold');
  await page.keyboard.press('Home');
  await page.waitForTimeout(50);
  const e0 = expectedConfusion(cur.sweep, 0);
  eq((await counts()).sort(), asList(e0), 'counts at 0 after Home');
  await page.keyboard.press('PageUp');
  const v = Number(await page.$eval('#threshold', (s) => s.value));
  assert(v > 0, `PageUp moved the slider: ${v}`);
  eq((await counts()).sort(), asList(expectedConfusion(cur.sweep, v)), `counts at ${v} after PageUp`);
  // The boundary follows the same threshold.
  const saved = await page.evaluate(() => window.__stateLog.at(-1));
  eq(saved.v, 1, 'saved state version');
  eq(saved.threshold, v, 'saved threshold');
  // Row-normalized.
  await page.$eval('#threshold', (s) => {
    s.value = '0.5';
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.click('#cm-normalize');
  await page.waitForTimeout(100);
  const normText = (await counts()).join(' ');
  assert(/%/.test(normText), `normalized cells show percentages: ${normText}`);
  await page.click('#cm-normalize');
  // Calibration with Platt / isotonic.
  const ece = await page.textContent('.ll-ece');
  assert(ece.includes(`ECE = ${fmt4(cur.reliability.ece)}`), `ECE text: ${ece}`);
  assert(await page.$('#calibration'), 'Platt/isotonic toggle');
  await page.waitForTimeout(200);
  await shot(page, 'evaluation-binary-after');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('multiclass (10 classes) posted without its per-class curves: the one-vs-rest card says they are loading, asks once, and draws K curves when they come; an error is shown; the HTML report draws them at once', async () => {
  const page = await open();
  await send(page, init({ fileName: 'digits.csv', preview: null }));
  const report = reports.digits;
  const K = report.model.classes.length;
  // As the host posts it: without the curves (messageForWebview), numbers packed.
  const message = packNumbers(messageForWebview({ type: 'didFinishTraining', run: run(1, report) }));
  eq(message.run.curvesOmitted, { train: K, validation: K, test: K }, 'the posted run counts the curves it lacks');
  await page.evaluate((m) => window.postMessage(m, '*'), message);
  await tab(page, 'evaluation');
  const card = '[data-plot="roc-curves"]';
  await page.waitForSelector(`${card}[data-curves="loading"]`);
  const loading = await page.$eval(card, (c) => ({ text: c.querySelector('[role="status"]')?.textContent, svg: !!c.querySelector('svg'), height: c.getBoundingClientRect().height, below: c.nextElementSibling?.getBoundingClientRect().top }));
  eq(loading.text, 'Loading per-class curves…', 'the loading state');
  assert(!loading.svg, 'no plot while loading');
  // The confusion matrix, drawn from the metrics the posted run keeps.
  assert(await page.$('[data-plot="confusion-matrix"] svg'), 'confusion matrix');
  await shot(page, 'evaluation-curves-loading');
  // The page asked for the shown split's curves, once.
  let asked = (await posted(page)).filter((m) => m.type === 'loadCurves');
  eq(asked, [{ type: 'loadCurves', runId: 1, split: 'test' }], 'loadCurves posted');
  await page.evaluate((m) => window.postMessage(m, '*'), packNumbers({ type: 'didLoadCurves', runId: 1, split: 'test', curves: report.evaluation.test.perClassCurves }));
  await page.waitForSelector(`${card} svg`);
  const drawn = await page.$eval(card, (c) => ({
    // The curves' line mark (after the dashed diagonal's): one path per class.
    lines: [...c.querySelectorAll('g[aria-label="line"]')].pop()?.querySelectorAll('path').length,
    legend: [...c.querySelectorAll('.ll-legend-item')].map((x) => x.textContent),
    pending: c.getAttribute('data-curves'),
    height: c.getBoundingClientRect().height,
    below: c.nextElementSibling?.getBoundingClientRect().top,
  }));
  eq(drawn.lines, K, 'one ROC line per class');
  eq(drawn.legend.length, K, 'one legend entry per class');
  report.evaluation.test.perClassCurves.forEach((c, k) => assert(drawn.legend[k] === `${report.model.classes[k]}: AUC ${fmt4(c.roc.auc)}, AP ${fmt4(c.pr.averagePrecision)}`, `legend ${k}: ${drawn.legend[k]}`));
  assert(drawn.pending === null, 'the drawn card is not the pending one');
  // The pending card kept the card's place (header, legend, plot): nothing below moves.
  assert(Math.abs(drawn.height - loading.height) <= 1 && Math.abs(drawn.below - loading.below) <= 1, `card ${loading.height} -> ${drawn.height} px, next card at ${loading.below} -> ${drawn.below}`);
  await shot(page, 'evaluation-curves-loaded');
  // Another split: asked when shown; the host's error is shown in the card (no endless loading).
  await page.evaluate(() => {
    const s = document.querySelector('#eval-split');
    s.value = 'validation';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForSelector(`${card}[data-curves="loading"]`);
  asked = (await posted(page)).filter((m) => m.type === 'loadCurves');
  eq(asked.map((m) => m.split), ['test', 'validation'], 'loadCurves for the split shown');
  await send(page, { type: 'didLoadCurves', runId: 1, split: 'validation', error: 'Run #1 is no longer in this panel.' });
  await page.waitForSelector(`${card}[data-curves="failed"]`);
  eq(await page.textContent(`${card} [role="alert"]`), 'The per-class curves could not be loaded: Run #1 is no longer in this panel.', 'the error');
  // Back on test: the curves that came are drawn at once, without asking again.
  await page.evaluate(() => {
    const s = document.querySelector('#eval-split');
    s.value = 'test';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForSelector(`${card} svg`);
  eq((await posted(page)).filter((m) => m.type === 'loadCurves').length, 2, 'no request for curves the run has');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
  // The HTML report (read-only, no host to ask) embeds the whole report: the curves are drawn at once.
  const html = renderReportHtml({ title: 'digits report', script: readFileSync(join(root, 'media/dist/panel.js'), 'utf8'), css: readFileSync(join(root, 'media/dist/panel.css'), 'utf8'), report });
  const rp = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  rp.on('pageerror', (e) => errors.push(e.message));
  await rp.goto(server.raw(html));
  await tab(rp, 'evaluation');
  await rp.waitForSelector(`${card} svg`);
  eq(await rp.$eval(card, (c) => [...c.querySelectorAll('g[aria-label="line"]')].pop()?.querySelectorAll('path').length), K, 'the report draws one ROC line per class');
  assert(!(await rp.$('[data-curves]')), 'no pending card in the report');
  await rp.close();
});

await test('multiclass: argmax regions, slice note and PCA view, confusion from the report', async () => {
  const page = await open();
  await send(page, init({ fileName: 'iris.csv', preview: null }));
  await send(page, { type: 'didFinishTraining', run: run(1, reports.multiclass) });
  await tab(page, 'model');
  await page.waitForSelector('[data-plot="decision-boundary"] svg');
  const planeNote = await page.textContent('[data-plot="decision-boundary"] .ll-note');
  assert(planeNote.includes('the picture is exact'), `model-plane note: ${planeNote}`);
  await page.evaluate(() => {
    const s = document.querySelector('#boundary-view');
    s.value = 'slice';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => document.querySelector('[data-plot="decision-boundary"] .ll-note')?.textContent.includes('held at their training means'));
  const contours = await page.$$eval('[data-plot="decision-boundary"] g[aria-label="contour"]', (g) => g.length);
  eq(contours, 3, 'one contour mark per class');
  const katexText = await page.textContent('.ll-formula');
  assert(katexText.includes('setosa') && katexText.includes('versicolor'), 'softmax definitions name the classes');
  await shot(page, 'model-multiclass-slice');
  await page.evaluate(() => {
    const s = document.querySelector('#boundary-view');
    s.value = 'pca';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => document.querySelector('[data-plot="decision-boundary"] h3')?.textContent.includes('PCA'));
  const pcaText = await page.$eval('[data-plot="decision-boundary"] svg', (s) => s.textContent);
  assert(pcaText.includes('PC1') && pcaText.includes('PC2'), 'PCA axis labels');
  assert(await page.$('[data-plot="decision-boundary"] svg image'), 'PCA raster');
  await shot(page, 'model-multiclass-pca');
  await tab(page, 'evaluation');
  await page.waitForSelector('[data-plot="confusion-matrix"] svg');
  const cells = await page.$$eval('[data-plot="confusion-matrix"] .ll-cm-count text', (t) => t.map((x) => Number(x.textContent)));
  const expected = reports.multiclass.evaluation.test.metrics.confusion.flat();
  eq(cells.reduce((a, b) => a + b, 0), expected.reduce((a, b) => a + b, 0), 'confusion total');
  eq([...cells].sort((a, b) => a - b), [...expected].sort((a, b) => a - b), 'confusion cells');
  assert(await page.$('[data-plot="roc-curves"] svg'), 'one-vs-rest ROC curves');
  await shot(page, 'evaluation-multiclass');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

/**
 * A finished run as the extension host posts it (issue 20, hpanel4): the report packed by the worker
 * (packReport), through the process's IPC (V8 serialization), then the host's packNumbers. Sent with
 * its Float64Arrays as Float64Arrays (structured clone, as VS Code delivers the buffers).
 */
async function sendPacked(page, report) {
  const atHost = deserialize(serialize(packReport(report)));
  const message = packNumbers({ type: 'didFinishTraining', run: run(1, atHost) });
  const text = JSON.stringify(message, (_k, v) => (v instanceof Float64Array ? { $f64: Array.from(v) } : v));
  assert(text.includes('"$f64"'), 'the message has packed arrays');
  await page.evaluate((t) => window.postMessage(JSON.parse(t, (_k, v) => (v && typeof v === 'object' && v.$f64 ? new Float64Array(v.$f64) : v)), '*'), text);
}

for (const name of ['digits', 'pbc']) {
  await test(`${name}: a report packed as the worker and host send it renders the Model and Evaluation tabs as the plain report does`, async () => {
    const html = async (packed) => {
      const page = await open();
      await send(page, init({ fileName: `${name}.csv`, preview: null }));
      if (packed) await sendPacked(page, reports[name]);
      else await send(page, { type: 'didFinishTraining', run: run(1, reports[name]) });
      const out = {};
      for (const id of ['model', 'evaluation']) {
        await tab(page, id);
        out[id] = await page.$eval(`vscode-tab-panel[data-panel="${id}"]`, (p) => p.innerHTML);
      }
      await page.close();
      return out;
    };
    const plain = await html(false);
    const packed = await html(true);
    assert(plain.evaluation.includes('roc') && plain.evaluation.length > 10_000, `the Evaluation tab has its curves (${plain.evaluation.length} characters)`);
    eq(packed.model, plain.model, 'Model tab DOM');
    eq(packed.evaluation, plain.evaluation, 'Evaluation tab DOM');
  });
}

/**
 * The boundary's point layer shows the report's points where the plot's axes put them: for a
 * two-feature run (slice view: the axes are the features), each isolated point's position is
 * computed from the report and the axis ticks (not from the drawing code); its centre pixel on the
 * canvas must have its class's colour (the legend's swatch), or the ✕'s colour (the plot's text
 * colour) when the model gets it wrong. Hovering it shows one tooltip that names its class.
 */
async function checkPointPixels(page, report) {
  const d = report.model.featureNames.length;
  const probes = await page.$eval(
    '[data-plot="decision-boundary"]',
    (card, { X, y, predicted, names, d }) => {
      const svg = card.querySelector('svg');
      const canvas = svg.querySelector('canvas.ll-point-layer');
      const num = (s) => Number(s.replace(/\u2212/g, '-').replace(/,/g, ''));
      // A linear axis from its first and last tick (tick marks give the exact screen position, their labels the value).
      const axis = (name, horizontal) => {
        const ticks = [...svg.querySelectorAll(`g[aria-label="${name}-axis tick"] path`)].map((p) => {
          const r = p.getBoundingClientRect();
          return horizontal ? r.left + r.width / 2 : r.top + r.height / 2;
        });
        const values = [...svg.querySelectorAll(`g[aria-label="${name}-axis tick label"] text`)].map((t) => num(t.textContent));
        const [a, b, va, vb] = [ticks[0], ticks[ticks.length - 1], values[0], values[values.length - 1]];
        return { map: (v) => a + ((v - va) * (b - a)) / (vb - va), label: svg.querySelector(`g[aria-label="${name}-axis label"]`)?.textContent ?? '' };
      };
      const ax = axis('x', true);
      const ay = axis('y', false);
      const fx = names.findIndex((n) => ax.label.includes(n));
      const fy = names.findIndex((n) => ay.label.includes(n));
      const n = y.length;
      const sx = Array.from({ length: n }, (_, i) => ax.map(X[i * d + fx]));
      const sy = Array.from({ length: n }, (_, i) => ay.map(X[i * d + fy]));
      const cr = canvas.getBoundingClientRect();
      // One read of the whole canvas (repeated reads log a console warning).
      const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const rgb = (c) => c.match(/\d+/g).slice(0, 3).map(Number);
      const swatches = [...card.querySelectorAll('.ll-legend .ll-swatch')].map((s) => rgb(getComputedStyle(s).backgroundColor));
      const fg = rgb(getComputedStyle(svg).color);
      const out = [];
      for (let i = 0; i < n && out.length < 12; i++) {
        let near = Infinity;
        for (let j = 0; j < n; j++) if (j !== i) near = Math.min(near, Math.hypot(sx[i] - sx[j], sy[i] - sy[j]));
        if (near < 12) continue;
        const px = Math.floor(((sx[i] - cr.left) * canvas.width) / cr.width);
        const py = Math.floor(((sy[i] - cr.top) * canvas.height) / cr.height);
        const at = 4 * (py * canvas.width + px);
        const pixel = [image[at], image[at + 1], image[at + 2]];
        out.push({ i, cls: y[i], wrong: predicted[i] !== y[i], x: sx[i], y: sy[i], pixel, expected: predicted[i] !== y[i] ? fg : swatches[y[i]] });
      }
      const sr = svg.getBoundingClientRect();
      return { out, fx, fy, swatches: swatches.length, svg: { left: sr.left, top: sr.top, unit: Number(svg.getAttribute('width')) / sr.width } };
    },
    { X: report.points.X, y: report.points.y, predicted: report.points.predicted, names: report.model.featureNames, d },
  );
  assert(probes.fx >= 0 && probes.fy >= 0 && probes.fx !== probes.fy, `axes name the features: ${JSON.stringify(probes).slice(0, 300)}`);
  assert(probes.out.length >= 4, `isolated points to probe: ${probes.out.length}`);
  for (const p of probes.out) {
    const off = Math.max(...p.pixel.map((v, k) => Math.abs(v - p.expected[k])));
    assert(off <= 40, `point ${p.i} (class ${p.cls}${p.wrong ? ', misclassified' : ''}) at (${p.x.toFixed(1)}, ${p.y.toFixed(1)}): pixel ${p.pixel} expected ${p.expected}`);
  }
  // The tooltip: one element, the nearest point's class, hidden when the pointer leaves.
  const probe = probes.out[0];
  await page.mouse.move(probe.x + 1, probe.y - 1);
  const tip = await page.waitForSelector('[data-plot="decision-boundary"] .ll-point-tip:not([hidden])', { timeout: 2000 }).then((t) => t.textContent());
  const name = report.model.classes[probe.cls];
  assert(tip.startsWith(`${name} (`) && tip.includes(`${report.model.featureNames[probes.fx]} = `), `tooltip at point ${probe.i} (class ${name}): ${tip}`);
  eq(await page.$$eval('.ll-point-tip', (t) => t.length), 1, 'one tooltip element');
  await page.mouse.move(2, 2);
  eq(await page.$eval('.ll-point-tip', (t) => t.hidden), true, 'tooltip hidden after leaving');
  // The exports hold the points as vector paths (plots.ts setExportReplacement), no canvas; the PNG shows them.
  await page.evaluate(() => (window.__posted.length = 0));
  await page.click('[data-plot="decision-boundary"] vscode-button[data-export="decision-boundary.svg"]');
  await page.click('[data-plot="decision-boundary"] vscode-button[data-export="decision-boundary.png"]');
  await page.waitForFunction(() => window.__posted.filter((m) => m.type === 'exportPlot').length === 2);
  const [svgOut, pngOut] = (await posted(page)).filter((m) => m.type === 'exportPlot');
  const counts = await page.$eval('[data-plot="decision-boundary"]', (c) => [Number(c.dataset.pointsDrawn), Number(c.dataset.crossesDrawn)]);
  // Read as text (parsing it in the page would apply the page's CSP to the file's <style>).
  const layer = svgOut.data.match(/<g aria-label="points"><g aria-label="dot"[^>]*>(.*?)<\/g><g aria-label="dot"[^>]*>(.*?)<\/g><\/g>/s);
  const exported = { canvas: (svgOut.data.match(/<canvas|<foreignObject/g) ?? []).length, groups: layer ? [layer[1], layer[2]].map((g) => (g.match(/<path /g) ?? []).length) : [] };
  eq(exported, { canvas: 0, groups: counts }, 'exported SVG: the points and crosses as paths');
  const pngPixels = await page.evaluate(
    async ({ url, pts }) => {
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d', { willReadFrequently: true });
      g.drawImage(img, 0, 0);
      const data = g.getImageData(0, 0, c.width, c.height).data;
      // The export is drawn at 2x, under a 28-pixel title band.
      return pts.map(([x, y]) => {
        const at = 4 * (Math.floor(2 * (y + 28)) * c.width + Math.floor(2 * x));
        return [data[at], data[at + 1], data[at + 2]];
      });
    },
    { url: pngOut.data, pts: probes.out.map((p) => [(p.x - probes.svg.left) * probes.svg.unit, (p.y - probes.svg.top) * probes.svg.unit]) },
  );
  probes.out.forEach((p, k) => {
    const off = Math.max(...pngPixels[k].map((v, j) => Math.abs(v - p.expected[j])));
    assert(off <= 40, `exported PNG at point ${p.i} (class ${p.cls}${p.wrong ? ', misclassified' : ''}): pixel ${pngPixels[k]} expected ${p.expected}`);
  });
}

/** The boundary card's facts, and the crosses drawn, for a run shown on the Model tab. */
async function boundaryFacts(page) {
  await page.waitForSelector('[data-plot="decision-boundary"] svg');
  return page.$eval('[data-plot="decision-boundary"]', (card) => ({
    view: card.dataset.view,
    regions: card.dataset.regions.split(',').map(Number),
    agreement: Number(card.dataset.agreement),
    misclassified: Number(card.dataset.misclassified),
    // Counted by the point layer's drawing code (its pixels are checked in checkPointPixels).
    crosses: card.querySelector('svg canvas.ll-point-layer') ? Number(card.dataset.crossesDrawn) : -1,
    title: card.querySelector('h3')?.textContent ?? '',
    note: card.querySelector('.ll-note')?.textContent ?? '',
  }));
}

for (const [name, K, minAgree] of [['wine', 3, 0.97], ['digits', 10, 0.95]]) {
  await test(`${name}: the default boundary view gives all ${K} classes a region and agrees with the misclassification marks`, async () => {
    const report = reports[name];
    const page = await open();
    await send(page, init({ fileName: `${name}.csv`, preview: null }));
    await send(page, { type: 'didFinishTraining', run: run(1, report) });
    await tab(page, 'model');
    const f = await boundaryFacts(page);
    eq(f.view, 'model', 'default view');
    eq(f.regions, Array.from({ length: K }, (_, k) => k), 'classes with a region');
    assert(f.agreement >= minAgree, `share of points in their predicted class's region: ${f.agreement}`);
    // The crosses are the rows the model gets wrong, from the report itself.
    const wrong = report.points.y.filter((y, i) => report.points.predicted[i] !== y).length;
    eq(f.misclassified, wrong, 'misclassified count');
    eq(f.crosses, wrong, 'crosses drawn');
    assert(f.note.includes(`${K} of ${K} classes have a region`), `note: ${f.note}`);
    assert(K === 3 ? f.note.includes('the picture is exact') : f.note.includes('no flat picture shows exactly'), `note says what the picture is: ${f.note}`);
    if (name === 'digits') {
      // Per-class weights as 8 x 8 images: 10 facets of 61 pixels each.
      await page.waitForSelector('[data-plot="coefficient-images"] svg');
      const cells = await page.$$eval('[data-plot="coefficient-images"] svg g[aria-label="cell"] rect', (r) => r.length);
      eq(cells, 10 * report.model.featureNames.length, 'pixel cells');
    } else {
      await page.waitForSelector('[data-plot="coefficient-heatmap"] svg');
      const cells = await page.$$eval('[data-plot="coefficient-heatmap"] svg g[aria-label="cell"] rect', (r) => r.length);
      eq(cells, K * report.model.featureNames.length, 'heatmap cells');
    }
    await shot(page, `model-${name}`);
    eq(await csp(page), [], 'CSP violations');
    await page.close();
  });
}

await test('mixed-type table: the slice defaults to two different variables and offers a refit on them', async () => {
  const report = reports.pbc;
  const page = await open();
  await send(page, init({ fileName: 'pbc.csv', preview: null }));
  await send(page, { type: 'didFinishTraining', run: run(1, report) });
  await tab(page, 'model');
  eq((await boundaryFacts(page)).view, 'model', 'default view');
  await page.evaluate(() => {
    const s = document.querySelector('#boundary-view');
    s.value = 'slice';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForSelector('#boundary-refit');
  const f = await boundaryFacts(page);
  eq(f.view, 'slice', 'slice view');
  const m = report.model;
  const pair = await page.evaluate(() => [document.querySelector('#boundary-x').value, document.querySelector('#boundary-y').value].map(Number));
  assert(m.features[pair[0]].column !== m.features[pair[1]].column, `axes from one variable: ${pair.map((j) => m.featureNames[j])}`);
  assert(f.note.includes('follows the model’s prediction for the point itself, not the slice'), `slice note: ${f.note}`);
  // Coefficients: standardized by default, odds ratios per unit and per SD, the top 15 rows then Show all.
  const head = await page.$$eval('.ll-coef-table thead th', (t) => t.map((x) => x.textContent));
  assert(head.some((h) => h.startsWith('Standardized')) && head.includes('Odds ×/unit') && head.includes('Odds ×/SD'), `coefficient headers: ${head}`);
  const visible = () => page.$$eval('.ll-coef-table tbody tr:not([hidden]):not(.ll-intercept)', (r) => r.length);
  eq(await visible(), 15, 'top rows shown');
  const first = await page.$eval('.ll-coef-table tbody tr th', (th) => th.textContent);
  const w = m.coefStandardized[0];
  const top = w.map((x, j) => [Math.abs(x), j]).sort((p, q) => q[0] - p[0])[0][1];
  eq(first, m.featureNames[top], 'largest standardized coefficient first');
  const oddsSd = await page.$eval('.ll-coef-table tbody tr td:nth-of-type(5)', (td) => Number(td.textContent));
  assert(Math.abs(oddsSd - Math.exp(w[top])) <= 1e-3 * Math.exp(w[top]), `odds per SD ${oddsSd} vs ${Math.exp(w[top])}`);
  await page.click('#coef-show-all');
  eq(await visible(), m.featureNames.length, 'all rows after Show all');
  await page.click('#boundary-refit');
  const start = (await posted(page)).find((msg) => msg.type === 'startTraining');
  eq(start?.settings.features, pair.map((j) => m.features[j].column), 'refit features');
  await page.close();
});

await test('mixed-type file: target died, the id text column unchecked and ignored, summaries follow the target, a nonsense target is refused', async () => {
  const pbcPreview = previewOf(readFileSync(join(root, 'test/fixtures/datasets/pbc.csv'), 'utf8'), 'pbc.csv');
  const page = await open();
  await send(page, init({ fileName: 'pbc.csv', preview: pbcPreview }));
  await page.waitForSelector('.ll-feature-list');
  eq(await page.$eval('#target', (s) => s.value), 'died', 'guessed target');
  const patient = await page.$eval('vscode-checkbox[data-feature="patient"]', (c) => ({ checked: c.checked, disabled: c.hasAttribute('disabled'), note: c.parentElement.textContent }));
  eq([patient.checked, patient.disabled], [false, true], 'patient checkbox unchecked and disabled');
  assert(patient.note.includes('ignored: identifier-like'), `patient note: ${patient.note}`);
  const balanceTitle = () => page.$eval('[data-plot="class-balance"] h3', (h) => h.textContent);
  assert((await balanceTitle()).includes('died'), 'class balance of died');
  eq(await page.$eval('.ll-columns tbody', (b) => [...b.querySelectorAll('tr')].find((r) => r.querySelector('.ll-badge'))?.querySelector('th span').firstChild.textContent), 'died', 'target badge');
  await page.evaluate(() => {
    const s = document.querySelector('#target');
    s.value = 'stage';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => document.querySelector('[data-plot="class-balance"] h3')?.textContent.includes('stage'));
  const bars = await page.$eval('[data-plot="class-balance"] svg', (s) => s.textContent);
  assert(bars.includes('stage 4'), `balance follows the target: ${bars.slice(0, 200)}`);
  eq(await page.$eval('.ll-columns tbody', (b) => [...b.querySelectorAll('tr')].find((r) => r.querySelector('.ll-badge'))?.querySelector('th span').firstChild.textContent), 'stage', 'badge follows');
  await page.evaluate(() => {
    const s = document.querySelector('#target');
    s.value = 'patient';
    s.dispatchEvent(new Event('change'));
  });
  await page.click('#train');
  const problems = await page.textContent('.ll-problems');
  assert(problems.includes('has 418 distinct values in 418 rows'), `problems: ${problems}`);
  assert(!(await posted(page)).some((m) => m.type === 'startTraining'), 'no training on a nonsense target');
  await shot(page, 'data-mixed');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('calibration admits its noise: bins for the rows there are, counts shown, a calibrator that makes ECE worse is called out', async () => {
  const report = reports.pbc;
  const cur = report.evaluation.test.curves;
  const page = await open();
  await send(page, init({ fileName: 'pbc.csv', preview: null }));
  await send(page, { type: 'didFinishTraining', run: run(1, report) });
  await tab(page, 'evaluation');
  await page.waitForSelector('[data-plot="reliability"] svg');
  eq(cur.reliability.bins.length, 3, 'bins for 84 test rows');
  const counts = await page.$$eval('[data-plot="reliability"] .ll-bin-count text', (t) => t.map((x) => x.textContent));
  eq(counts, cur.reliability.bins.filter((b) => b.count > 0).map((b) => `n=${b.count}`), 'bin counts beside the dots');
  eq(await page.textContent('[data-plot="reliability"] .ll-ece'), `ECE = ${fmt4(cur.reliability.ece)} over 3 bins   Brier = ${fmt4(cur.reliability.brier)}`, 'ECE line under the plot');
  // The ECE line is outside the plot: it cannot cover a point.
  eq(await page.$$eval('[data-plot="reliability"] svg .ll-ece', (x) => x.length), 0, 'no ECE label inside the plot');
  assert(!(await page.$('.ll-calibration-worse')), 'no warning for the uncalibrated model');
  await page.evaluate(() => {
    const s = document.querySelector('#calibration');
    s.value = 'isotonic';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForSelector('.ll-calibration-worse');
  const warning = await page.textContent('.ll-calibration-worse');
  assert(warning.includes(`ECE ${fmt4(cur.reliability.ece)} → ${fmt4(cur.calibrated.isotonic.ece)}`) && warning.includes('42 validation rows'), `warning: ${warning}`);
  await shot(page, 'calibration-worse');
  await page.close();
});

await test('XSS: CSV-derived names render as literal text and execute nothing', async () => {
  const page = await open();
  await send(page, init({ fileName: XSS, preview: xssPreview, defaults: { ...DEFAULTS, target: [] } }));
  await page.waitForSelector('.ll-columns');
  await send(page, { type: 'didFinishTraining', run: run(1, reports.xss, `#1 ${XSS}`) });
  for (const t of ['data', 'model', 'evaluation', 'training', 'runs']) {
    await tab(page, t);
    await page.waitForTimeout(100);
    if (t === 'model') await shot(page, 'xss-model');
  }
  await tab(page, 'model');
  const r = await page.evaluate(() => ({
    xss: window.__xss,
    injected: document.querySelectorAll('img[src="x"], img[onerror]').length,
    body: document.body.innerText,
    svgText: [...document.querySelectorAll('svg')].map((s) => s.textContent).join(' '),
    // A TeX error shows as KaTeX's red .katex-error (throwOnError false) or, for anything else, the fallback line.
    katexErrors: [...document.querySelectorAll('.ll-math')].filter((m) => m.textContent.includes('formula not shown')).length + document.querySelectorAll('.ll-math .katex-error').length,
    katexNodes: document.querySelectorAll('.ll-formula .katex').length,
    header: document.querySelector('.ll-file')?.textContent,
  }));
  eq(r.xss, undefined, 'window.__xss');
  eq(r.injected, 0, 'injected <img> elements');
  assert(r.body.includes(XSS), 'the header appears as literal text in the page');
  assert(r.svgText.includes(XSS), 'the header appears as literal text in a plot (axis label)');
  eq(r.header, XSS, 'file name shown literally');
  eq(r.katexErrors, 0, 'TeX of escaped names renders');
  assert(r.katexNodes >= 2, 'formula rendered');
  const tex = await page.textContent('.ll-formula');
  assert(tex.includes('a_b}\\def\\x{$&#^%~'), `TeX specials typeset literally: ${tex.slice(0, 300)}`);
  await tab(page, 'data');
  await shot(page, 'xss-data');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('run history: two runs compared side by side with overlaid loss curves', async () => {
  const page = await open();
  const named = { ...run(2, reports.binaryGd, '#2 gd L2 C=0.1') };
  named.settings = { ...named.settings, target: [...reports.binaryGd.data.target] };
  const guessed = run(1, reports.binary);
  guessed.settings = { ...guessed.settings, target: [] };
  await send(page, init({ runs: [guessed, named] }));
  await tab(page, 'runs');
  await page.waitForSelector('.ll-runs-table');
  eq(await page.$$eval('.ll-runs-table tbody tr', (r) => r.length), 2, 'two runs listed');
  await page.click('vscode-checkbox[data-run="1"]');
  await page.click('vscode-checkbox[data-run="2"]');
  await page.waitForSelector('[data-view="compare"]');
  const rows = await page.$$eval('.ll-compare tbody tr', (r) => r.map((x) => [...x.children].map((c) => c.textContent)));
  const acc = rows.find((r) => r[0] === 'Accuracy');
  eq(acc.slice(1, 3).map((s) => s.replace(' ◀', '')), [fmt4(reports.binary.evaluation.test.metrics.accuracy), fmt4(reports.binaryGd.evaluation.test.metrics.accuracy)], 'accuracy side by side');
  const lines = await page.$$eval('[data-plot="loss-curves-compare"] svg g[aria-label="line"] path', (p) => p.length);
  assert(lines >= 3, `overlaid loss lines: ${lines}`);
  const diff = await page.textContent('[data-view="compare"]');
  assert(diff.includes('solver') && diff.includes('gd'), 'settings diff lists the solver');
  // The same target (one run guessed it, the other named it) is not a difference; A and B are named.
  const settingRows = await page.$$eval('[data-view="compare"] h4 + div tbody th', (t) => t.map((x) => x.textContent));
  assert(!settingRows.includes('target') && !settingRows.includes('features'), `settings that differ: ${settingRows}`);
  const heads = await page.$$eval('.ll-compare thead th', (t) => t.map((x) => x.textContent));
  eq(heads, ['Metric', 'A: #1 lbfgs L2 C=1', 'B: #2 gd L2 C=0.1', 'B − A'], 'comparison headers');
  const saved = await page.evaluate(() => window.__stateLog.at(-1));
  eq(saved.selectedRuns, [1, 2], 'selected runs saved');
  await page.waitForTimeout(200);
  await shot(page, 'runs-compare');
  // The header selector switches the run shown.
  await page.click('vscode-button[data-show-run="1"]');
  await page.waitForSelector('vscode-tab-panel[data-panel="model"] .ll-formula');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

/** Three runs on breast cancer (30 features): L2 C=1, L1 C=0.1 (zeros) and L2 C=0.01, all L-BFGS. */
function threeRuns() {
  const bytes = readFileSync(join(root, 'test/fixtures/datasets/breast_cancer.csv'));
  const fit = (settings) => trainFromBytes(bytes, { target: ['target'], solver: 'lbfgs', maxIter: 500, ...settings }, { fileName: 'breast_cancer.csv' });
  // The host keeps the settings as the user chose them: C given, lambda unset (the report resolves it).
  const asChosen = (r) => {
    const settings = { ...r.settings };
    delete settings.lambda;
    return { ...r, settings };
  };
  return [run(1, fit({ penalty: 'l2', C: 1 }), '#1 lbfgs L2 C=1'), run(2, fit({ penalty: 'l1', C: 0.1 }), '#2 lbfgs L1 C=0.1'), run(3, fit({ penalty: 'l2', C: 0.01 }), '#3 lbfgs L2 C=0.01')].map(asChosen);
}

await test('run history: three runs side by side: metrics per run with the best marked, only the settings that differ, coefficient bars per feature (L1 next to L2)', async () => {
  const page = await open();
  const runs = threeRuns();
  await send(page, init({ fileName: 'breast_cancer.csv', preview: null, runs }));
  await tab(page, 'runs');
  await page.waitForSelector('.ll-runs-table');
  for (const id of [1, 2, 3]) await page.click(`vscode-checkbox[data-run="${id}"]`);
  await page.waitForSelector('.ll-compare-many');
  eq(await page.$$eval('.ll-compare-many thead th', (t) => t.map((x) => x.textContent)), ['Metric', 'A: #1 lbfgs L2 C=1', 'B: #2 lbfgs L1 C=0.1', 'C: #3 lbfgs L2 C=0.01'], 'one column per run, lettered');
  eq(await page.$$eval('.ll-run-letter', (l) => l.map((x) => x.textContent)), ['C', 'B', 'A'], 'letters beside the checkboxes (newest run first)');
  const rows = await page.$$eval('.ll-compare-many tbody tr', (r) => r.map((x) => [...x.children].map((c) => ({ text: c.textContent.replace(' ◀', ''), best: c.querySelector('[data-best]') !== null }))));
  for (const [label, key] of [['Accuracy', 'accuracy'], ['Log loss', 'logLoss'], ['ROC AUC', 'rocAuc']]) {
    const row = rows.find((r) => r[0].text === label);
    const values = runs.map((r) => r.report.evaluation.test.metrics[key]);
    eq(row.slice(1).map((c) => c.text), values.map(fmt4), `${label} of each run`);
    const best = key === 'logLoss' ? Math.min(...values) : Math.max(...values);
    eq(row.slice(1).map((c) => c.best), values.map((v) => v === best && !values.every((w) => w === best)), `${label}: the best marked`);
  }
  // Settings that differ: only penalty and C (target and features are the same; the solver too).
  const diff = await page.$$eval('.ll-settings-diff tbody tr', (r) => r.map((x) => [...x.children].map((c) => c.textContent)));
  eq(diff.map((r) => r[0]).sort(), ['C', 'penalty'], 'settings that differ');
  eq(diff.find((r) => r[0] === 'penalty').slice(1), ['l2', 'l1', 'l2'], 'the penalty of each run');
  // Coefficients: one bar per run and feature, with the standardized values of each report.
  const titles = await page.$$eval('[data-plot="coefficients-compare"] g[aria-label="bar"] rect title', (t) => t.map((x) => x.textContent));
  const features = runs[0].report.model.featureNames;
  eq(titles.length, 3 * Math.min(30, features.length), 'bars: runs × features');
  const panelFmt = (v) => fmt4(v).replace(/-/g, '−');
  const f = features[0];
  const expected = runs.map((r, i) => `${'ABC'[i]}: ${f}: ${r.report.model.coefStandardized[0][0] === 0 ? '0' : panelFmt(r.report.model.coefStandardized[0][0])}`);
  for (const e of expected) assert(titles.includes(e), `bar “${e}” missing (have ${titles.filter((x) => x.includes(f)).join(' | ')})`);
  const l1Zeros = runs[1].report.model.coefStandardized[0].filter((w) => w === 0).length;
  assert(l1Zeros > 0, 'the L1 run has zero coefficients');
  eq(titles.filter((x) => /^B: .*: 0$/.test(x)).length, l1Zeros, 'the L1 run’s zeros are bars of length 0 beside the L2 bars');
  const lines = await page.$$eval('[data-plot="loss-curves-compare"] svg g[aria-label="line"] path', (p) => p.length);
  assert(lines >= 3, `overlaid loss lines: ${lines}`);
  eq((await page.evaluate(() => window.__stateLog.at(-1))).selectedRuns, [1, 2, 3], 'three runs saved');
  await shot(page, 'runs-compare-3');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('run history at 400 px: three runs compared, the Runs table scrolls inside its own box (never the page), headers wrap between words only', async () => {
  const page = await open({}, { width: 400, height: 900 });
  await send(page, init({ fileName: 'breast_cancer.csv', preview: null, runs: threeRuns() }));
  await tab(page, 'runs');
  for (const id of [1, 2, 3]) await page.click(`vscode-checkbox[data-run="${id}"]`);
  await page.waitForSelector('.ll-compare-many');
  await page.waitForTimeout(200);
  const m = await page.evaluate(() => {
    const se = document.scrollingElement;
    const box = document.querySelector('.ll-runs-box');
    const broken = [];
    for (const th of document.querySelectorAll('.ll-runs-table thead th, .ll-compare-many thead th, .ll-settings-diff thead th')) {
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const re = /[^\s]+/g;
        for (let w = re.exec(node.data); w; w = re.exec(node.data)) {
          const range = document.createRange();
          range.setStart(node, w.index);
          range.setEnd(node, w.index + w[0].length);
          if (new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size > 1) broken.push(w[0]);
        }
      }
    }
    const wrapped = [...document.querySelectorAll('.ll-compare-many thead th')].some((th) => th.getClientRects().length > 0 && th.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(th).lineHeight || '16'));
    return { page: se.scrollWidth - se.clientWidth, box: box.scrollWidth - box.clientWidth, overflow: getComputedStyle(box).overflowX, broken, wrapped };
  });
  assert(m.page <= 0, `the page scrolls sideways by ${m.page}px`);
  assert(m.box > 0 && m.overflow === 'auto', `the Runs table should scroll inside its box: ${JSON.stringify(m)}`);
  eq(m.broken, [], 'header words broken across lines');
  await shot(page, 'runs-compare-3-narrow');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('localized: a pseudo/German l10n bundle on <body data-l10n> changes the rendered tabs, Runs table, comparison and settings form', async () => {
  const bundle = JSON.parse(readFileSync(join(root, 'l10n/bundle.l10n.json'), 'utf8'));
  const pseudo = Object.fromEntries(Object.entries(bundle).map(([k, v]) => [k, `⟦${v}⟧`]));
  Object.assign(pseudo, { Runs: 'Läufe', Compare: 'Vergleichen', 'Settings that differ': 'Abweichende Einstellungen', 'Runs ({0})': 'Läufe ({0})' });
  const page = await open({ l10n: pseudo });
  await send(page, init({ runs: [run(1, reports.binary), run(2, reports.binaryGd, '#2 gd L2 C=0.1')] }));
  await page.waitForSelector('vscode-tab-header[data-tab="runs"]');
  eq(await page.$$eval('vscode-tab-header', (h) => h.map((x) => x.textContent.trim())), ['⟦Data & Settings⟧⟦Data⟧', '⟦Model⟧', '⟦Evaluation⟧', '⟦Training⟧', '⟦Model selection⟧⟦Choose C⟧', 'Läufe'], 'tab labels');
  const fieldLabels = await page.$$eval('.ll-settings vscode-label', (l) => l.map((x) => x.textContent));
  assert(fieldLabels.includes('⟦Target column⟧') && fieldLabels.every((x) => x.startsWith('⟦')), `settings labels: ${fieldLabels.slice(0, 5)}`);
  await tab(page, 'runs');
  eq(await page.textContent('[data-view="runs"] h3'), 'Läufe (2)', 'the Runs card title, with its argument');
  const heads = await page.$$eval('.ll-runs-table thead th', (t) => t.map((x) => x.textContent));
  eq(heads[1], 'Vergleichen', 'a German header');
  assert(heads.every((h) => h.startsWith('⟦') || h === 'Vergleichen'), `every Runs header localized: ${heads}`);
  await page.click('vscode-checkbox[data-run="1"]');
  await page.click('vscode-checkbox[data-run="2"]');
  await page.waitForSelector('[data-view="compare"] h4');
  eq(await page.textContent('[data-view="compare"] h4'), 'Abweichende Einstellungen', 'the comparison heading');
  // Labels from the data stay as they are (text, never markup).
  eq(await page.$$eval('.ll-compare thead th', (t) => t.map((x) => x.textContent).slice(1, 3)), ['A: #1 lbfgs L2 C=1', 'B: #2 gd L2 C=0.1'], 'run labels untouched');
  // The Evaluation tab: every card heading (metrics, threshold, confusion matrix, ROC, PR, calibration, imbalance) and note comes from the bundle.
  await tab(page, 'evaluation');
  const evalHeads = await page.$$eval('vscode-tab-panel[data-panel="evaluation"] .ll-card-head h3, vscode-tab-panel[data-panel="evaluation"] .ll-card h4', (h) => h.map((x) => x.textContent));
  assert(evalHeads.length >= 6 && evalHeads.every((h) => h.startsWith('⟦')), `every Evaluation heading localized: ${evalHeads}`);
  const evalNotes = await page.$$eval('vscode-tab-panel[data-panel="evaluation"] .ll-note', (n) => n.map((x) => x.textContent));
  assert(evalNotes.length >= 4 && evalNotes.every((n) => n.startsWith('⟦')), `every Evaluation note localized: ${evalNotes.map((n) => n.slice(0, 40))}`);
  eq(await page.textContent('[data-view="metrics"] thead th'), '⟦Metric⟧', 'the metrics table header');
  // Model selection, with a cross-validation result on the shown run: the form, the curve, the path and the scores table.
  const cvSettings = { ...reports.binary.model.settings };
  delete cvSettings.lambda;
  const cvRequest = { folds: 3, Cs: logGrid(4), scoring: 'neg_log_loss', rule: 'best', penalty: 'l2' };
  const cvResult = crossValidate(parseCsv(readFileSync(join(root, 'samples/binary.csv')), { fileName: 'binary.csv' }), cvSettings, { folds: 3, Cs: cvRequest.Cs, scoring: cvRequest.scoring, rule: cvRequest.rule }, { fileName: 'binary.csv' });
  for (const runId of [1, 2]) await send(page, { type: 'didFinishCrossValidation', runId, crossValidation: { request: cvRequest, result: cvResult } });
  await tab(page, 'selection');
  await page.waitForSelector('[data-plot="validation-curve"] svg');
  const cvHeads = await page.$$eval('vscode-tab-panel[data-panel="selection"] .ll-card-head h3', (h) => h.map((x) => x.textContent));
  eq(cvHeads, ['⟦Model selection: choose C by cross-validation⟧', '⟦Validation curve⟧', '⟦Regularization path⟧', '⟦Scores per C and fold⟧'], 'Model selection headings');
  assert((await page.textContent('.ll-cv-summary')).startsWith('⟦Chosen by the best mean score: C = '), 'the chosen-C sentence, whole, with its arguments');
  eq((await page.$$eval('.ll-cv-table thead th', (t) => t.map((x) => x.textContent))).slice(1, 3), ['⟦mean ± SD⟧', '⟦fold 1⟧'], 'scores table headers, with the fold number');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('training tab: convergence, warnings shown plainly, log scale', async () => {
  const page = await open();
  const withWarning = structuredClone(reports.binaryGd);
  withWarning.warnings = [{ severity: 'warning', code: 'solver.max-iter', message: 'the gd solver did not converge in 300 iterations', file: 'binary.csv' }];
  await send(page, init({ runs: [run(2, withWarning)] }));
  await tab(page, 'training');
  await page.waitForSelector('[data-view="convergence"]');
  const text = await page.textContent('vscode-tab-panel[data-panel="training"] .ll-tab-body');
  assert(text.includes('did not converge in 300 iterations'), `warning text: ${text.slice(0, 300)}`);
  assert(text.includes(String(withWarning.convergence.iterations)), 'iterations');
  // One objective, written one way: the final J(w) is the loss curve's last point (mean form).
  const fmt6 = (v) => String(Number(v.toPrecision(6)));
  const last = withWarning.lossHistory.train.at(-1);
  const J = withWarning.convergence.objective / (withWarning.data.nTrain * withWarning.model.settings.C);
  assert(Math.abs(J - last) <= 1e-9 * Math.abs(last), `J ${J} vs the curve's last point ${last}`);
  assert(text.includes(`Final objective J(w)${fmt6(J)}`), `final objective: ${text.slice(text.indexOf('Final objective'), text.indexOf('Final objective') + 120)}`);
  await page.click('#log-scale');
  await page.waitForFunction(() => document.querySelector('[data-plot="loss-curves"] svg')?.textContent.includes('log scale'));
  await shot(page, 'training');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('replay: the scrubber (keyboard and play) moves the boundary, misclassified marks, coefficients, loss marker and confusion matrix', async () => {
  const page = await open();
  const report = reports.binaryGd;
  await send(page, init({ runs: [run(2, report)] }));
  await tab(page, 'training');
  await page.waitForSelector('[data-view="replay"] canvas');
  const last = report.lossHistory.train.length;
  const state = () =>
    page.evaluate(() => {
      const card = document.querySelector('[data-view="replay"]');
      const cells = [...card.querySelectorAll('.ll-replay-coef td')].map((td) => td.textContent);
      const conf = [...card.querySelectorAll('table:not(.ll-replay-coef) tbody tr')].map((tr) => [...tr.querySelectorAll('.ll-num')].map((c) => Number(c.textContent)));
      const marker = card.querySelector('.ll-replay-marker')?.getAttribute('x1');
      return { step: Number(card.dataset.step), status: card.querySelector('.ll-replay-status').textContent, cells, conf, marker, pixels: card.querySelector('canvas').toDataURL(), label: card.querySelector('canvas').getAttribute('aria-label'), ms: Number(card.dataset.stepMs) };
    });
  const end = await state();
  eq(end.step, last, 'starts at the last iteration');
  assert(end.status.includes(`Iteration ${last} of ${last}`), `status: ${end.status}`);
  // The last step is the fitted model: its standardized coefficient is shown.
  const w = report.model.coefStandardized[0];
  const top = w.map((v, j) => j).sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]))[0];
  eq(end.cells[0], fmt4(w[top]), 'coefficient at the last step');
  await page.focus('#replay-step');
  await page.keyboard.press('Home');
  const start = await state();
  eq(start.step, 0, 'Home goes to the start');
  assert(start.status.includes('Iteration 0') && start.status.includes('the start'), `status: ${start.status}`);
  // At θ = 0 every probability is 1/2 >= the 0.5 threshold: every training point is predicted positive.
  eq(start.conf.map((r) => r[0]), [0, 0], 'no point predicted negative at the start');
  eq(start.conf.flat().reduce((a, b) => a + b, 0), report.points.split.filter((s) => s === 0).length, 'confusion counts the sampled training rows');
  eq(start.cells[0], '0', 'coefficients start at 0');
  assert(start.pixels !== end.pixels, 'the canvas changes with the step');
  assert(start.label.includes(`${report.points.y.filter((y) => y === 0).length} of ${report.points.y.length} sampled points misclassified`), `aria label: ${start.label}`);
  await page.keyboard.press('ArrowRight');
  const one = await state();
  eq(one.step, 1, 'ArrowRight steps once');
  assert(one.marker !== end.marker, 'the loss marker moves');
  assert(one.status.includes(`objective ${fmt4(report.lossHistory.train[0]).slice(0, 4)}`), `objective in status: ${one.status}`);
  // Play runs to the end.
  await page.click('#replay-play');
  await page.waitForFunction((n) => Number(document.querySelector('[data-view="replay"]').dataset.step) === n, last, { timeout: 20000 });
  // Time per step over every step (measured, not asserted).
  const ms = await page.evaluate(() => {
    const s = document.querySelector('#replay-step');
    const times = [];
    for (let i = 0; i <= Number(s.max); i++) {
      s.value = String(i);
      s.dispatchEvent(new Event('input'));
      times.push(Number(document.querySelector('[data-view="replay"]').dataset.stepMs));
    }
    times.sort((a, b) => a - b);
    return { median: times[times.length >> 1], max: times[times.length - 1] };
  });
  console.log(`      replay step: median ${ms.median} ms, max ${ms.max} ms (${report.points.y.length} points, 100 x 100 grid)`);
  await shot(page, 'replay');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('replay of a streamed run: one step per loss-curve point, the last the fitted model', async () => {
  const page = await open();
  const report = await trainStreamFromFile(join(root, 'samples/binary.csv'), { epochs: 2, batchSize: 8 }, { fileName: 'binary.csv' });
  await send(page, init({ runs: [run(7, report, '#7 stream 2 epochs L2 C=1')] }));
  await tab(page, 'training');
  await page.waitForSelector('[data-view="replay"] canvas');
  const last = report.lossHistory.train.length;
  eq(await page.$eval('[data-view="replay"]', (c) => Number(c.dataset.step)), last, 'starts at the last loss-curve point');
  assert((await page.textContent('[data-view="replay"]')).includes('loss-curve points of the streamed epochs'), 'says what a step is');
  await page.focus('#replay-step');
  await page.keyboard.press('Home');
  eq(await page.$eval('[data-view="replay"]', (c) => Number(c.dataset.step)), 0, 'Home goes to the start');
  const conf = await page.$$eval('[data-view="replay"] table:not(.ll-replay-coef) tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('.ll-num')].map((c) => Number(c.textContent))));
  eq(conf.map((r) => r[0]), [0, 0], 'θ = 0: every sampled point predicted positive');
  // The streamed run has no landscape: the card says why.
  assert((await page.textContent('[data-view="landscape"]')).includes('streamed the file from disk'), 'landscape refused for a streamed run');
  eq(await page.$$eval('#show-landscape', (b) => b.length), 0, 'no button');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('replay (multiclass): argmax regions and a K x K confusion matrix at every step', async () => {
  const page = await open();
  const report = reports.multiclass;
  await send(page, init({ runs: [run(3, report)] }));
  await tab(page, 'training');
  await page.waitForSelector('[data-view="replay"] canvas');
  const conf = await page.$$eval('[data-view="replay"] table:not(.ll-replay-coef) tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('.ll-num')].map((c) => Number(c.textContent))));
  eq(conf.length, report.model.classes.length, 'K rows');
  eq(conf.flat().reduce((a, b) => a + b, 0), report.points.split.filter((s) => s === 0).length, 'sampled training rows');
  await page.focus('#replay-step');
  await page.keyboard.press('End');
  eq(await page.$eval('[data-view="replay"]', (c) => Number(c.dataset.step)), report.lossHistory.train.length, 'End goes to the last iteration');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('compare solvers: the button asks the host, progress shows, then the gap plot (three x axes) and the table', async () => {
  const page = await open();
  const report = reports.binary;
  const settings = { ...report.model.settings };
  delete settings.lambda;
  const comparison = compareSolvers(parseCsv(readFileSync(join(root, 'samples/binary.csv')), { fileName: 'binary.csv' }), settings, { fileName: 'binary.csv' });
  await send(page, init({ runs: [run(4, report)] }));
  await tab(page, 'training');
  await page.waitForSelector('#compare-solvers');
  await page.click('#compare-solvers');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'compareSolvers'));
  eq((await posted(page)).find((m) => m.type === 'compareSolvers'), { type: 'compareSolvers', runId: 4 }, 'compareSolvers message');
  await send(page, { type: 'didStartComparison', runId: 4 });
  await send(page, { type: 'didUpdateComparison', runId: 4, done: 3, total: 7, label: 'mini-batch SGD (32 rows)' });
  await page.waitForSelector('[data-compare-status]');
  eq(await page.textContent('[data-compare-status]'), 'Comparing solvers: 3 of 7 done (last: mini-batch SGD (32 rows))…', 'progress');
  await page.click('#cancel-compare');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'cancelComparison'));
  await send(page, { type: 'didFinishComparison', runId: 4, comparison });
  await page.waitForSelector('[data-view="compare"] svg');
  const rows = await page.$$eval('.ll-compare-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  eq(rows.map((r) => r[0]), comparison.traces.map((t) => t.label), 'one row per solver');
  comparison.traces.forEach((t, i) => eq(rows[i][1], t.passesToTol === null ? 'not reached' : fmt4(t.passesToTol), `passes to tol of ${t.id}`));
  assert(comparison.traces.find((t) => t.id === 'newton').passesToTol < comparison.traces.find((t) => t.id === 'gd').passesToTol, 'Newton needs fewer passes than GD');
  assert((await page.textContent('[data-view="compare"] svg')).includes('passes over the training rows'), 'x axis: passes');
  await page.evaluate(() => {
    const s = document.querySelector('#compare-axis');
    s.value = 'time';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => document.querySelector('[data-view="compare"] svg')?.textContent.includes('wall time'));
  await shot(page, 'compare');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('model selection: the form asks the host, progress per fold and point, Cancel, then the curve, the L1 path and Use this C', async () => {
  const page = await open();
  const report = JSON.parse(JSON.stringify(reports.binary));
  const settings = { ...report.model.settings, penalty: 'l1' };
  delete settings.lambda;
  const request = { folds: 4, Cs: logGrid(8), scoring: 'accuracy', rule: 'best', penalty: 'l1' };
  const cv = { folds: request.folds, Cs: request.Cs, scoring: request.scoring, rule: request.rule };
  const result = crossValidate(parseCsv(readFileSync(join(root, 'samples/binary.csv')), { fileName: 'binary.csv' }), settings, cv, { fileName: 'binary.csv' });
  await send(page, init({ runs: [run(6, report)] }));
  await page.waitForSelector('#train');
  await tab(page, 'selection');
  await page.waitForSelector('#cv-run');
  await page.evaluate(() => {
    const set = (id, v) => {
      const t = document.querySelector(id);
      t.value = v;
      t.dispatchEvent(new Event('input'));
    };
    set('#cv-folds', 'x');
  });
  await page.click('#cv-run');
  await page.waitForSelector('.ll-cv-form .ll-problems:not(:empty)');
  eq(await page.textContent('.ll-cv-form .ll-problems'), 'Folds must be an integer from 2 to 100, got “x”.', 'a bad fold count is refused in the form');
  await page.evaluate(() => {
    const set = (id, v, ev) => {
      const t = document.querySelector(id);
      t.value = v;
      t.dispatchEvent(new Event(ev));
    };
    set('#cv-folds', '4', 'input');
    set('#cv-grid', '8', 'input');
    set('#cv-scoring', 'accuracy', 'change');
    set('#cv-penalty', 'l1', 'change');
  });
  await page.click('#cv-run');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'crossValidate'));
  const asked = (await posted(page)).find((m) => m.type === 'crossValidate');
  // Chromium's and Node's Math.pow may differ in the last bit: the grid within 1e-15 relative.
  request.Cs.forEach((C, i) => assert(Math.abs(asked.request.Cs[i] - C) <= 1e-15 * C, `grid point ${i}: ${asked.request.Cs[i]} vs ${C}`));
  eq({ ...asked, request: { ...asked.request, Cs: request.Cs } }, { type: 'crossValidate', runId: 6, request }, 'crossValidate message');
  await send(page, { type: 'didStartCrossValidation', runId: 6, request });
  await page.waitForSelector('#cv-progress');
  await send(page, { type: 'didUpdateCrossValidation', runId: 6, progress: { fold: 2, folds: 4, point: 3, points: 8 } });
  await page.waitForFunction(() => document.querySelector('[data-cv-status]')?.textContent.includes('fold 3'));
  eq(await page.textContent('[data-cv-status]'), 'Cross-validating: fold 3 of 4, C 4 of 8…', 'progress line');
  eq(await page.$eval('#cv-progress', (b) => b.value), (2 * 8 + 3) / (5 * 8), 'progress bar: fits done of (folds + path) × points');
  await page.click('#cv-cancel');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'cancelCrossValidation'));
  await send(page, { type: 'didFinishCrossValidation', runId: 6, crossValidation: { request, result } });
  await page.waitForSelector('[data-plot="validation-curve"] svg');
  eq(Number(await page.$eval('[data-chosen-c]', (e) => e.dataset.chosenC)), result.chosenC, 'the chosen C (best)');
  const nPath = await page.$$eval('[data-plot="regularization-path"] svg g[aria-label="line"] path', (p) => p.length);
  eq(nPath, result.path.featureNames.length, 'one path line per coefficient');
  const entering = (await page.$eval('[data-plot="regularization-path"]', (e) => e.dataset.entering)).split('|');
  const firstNonzero = (j) => result.path.coef.findIndex((rows) => Math.abs(rows[0][j]) > 1e-10);
  const expected = result.path.featureNames.map((f, j) => [f, firstNonzero(j)]).filter(([, c]) => c >= 0).sort((a, b) => a[1] - b[1]).map(([f]) => f);
  eq(entering, expected, 'L1 coefficients enter in the order of the path');
  eq(result.path.coef[0][0].every((w) => Math.abs(w) < 1e-10), true, 'all zero at C = 1e-4');
  const rows = await page.$$eval('.ll-cv-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  eq(rows.length, 8, 'one row per C');
  eq(rows[result.bestIndex][1].split(' ± ')[0], fmt4(result.mean[result.bestIndex]), 'best mean in the table');
  await page.evaluate(() => {
    const s = document.querySelector('#cv-rule');
    s.value = '1se';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction((c) => Number(document.querySelector('[data-chosen-c]')?.dataset.chosenC) === c, result.Cs[result.oneSeIndex]);
  await shot(page, 'model-selection');
  await page.click('#cv-use-c');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'startTraining'));
  const start = (await posted(page)).find((m) => m.type === 'startTraining');
  eq([start.settings.C, start.settings.penalty, start.settings.lambda], [result.Cs[result.oneSeIndex], 'l1', undefined], 'Use this C trains with the chosen C and penalty from the form');
  eq(await page.$eval('#C', (t) => Number(t.value)), result.Cs[result.oneSeIndex], 'the settings form shows the C');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
  // The HTML report of a run with a cross-validation has the tab, read-only.
  const html = renderReportHtml({ title: 'cv report', script: readFileSync(join(root, 'media/dist/panel.js'), 'utf8'), css: readFileSync(join(root, 'media/dist/panel.css'), 'utf8'), report: { ...report, crossValidation: { request, result } } });
  const rp = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  rp.on('pageerror', (e) => errors.push(e.message));
  await rp.goto(server.raw(html));
  await rp.waitForSelector('.ll-formula .katex');
  await tab(rp, 'selection');
  await rp.waitForSelector('[data-plot="validation-curve"] svg');
  eq(Number(await rp.$eval('[data-chosen-c]', (e) => e.dataset.chosenC)), result.chosenC, 'the report shows the chosen C');
  assert(!(await rp.$('#cv-run')) && !(await rp.$('#cv-use-c')), 'no form and no Use this C in the report');
  await rp.close();
});

await test('loss landscape on request: the button, contours, the live learning-rate slider until GD diverges, momentum, two chosen coefficients, the slice', async () => {
  const page = await open();
  // The host's part, in Node: the run's problem on its sample, the landscape and the slider's re-runs.
  const { landscape: stale, ...rest } = reports.binary;
  const report = { ...rest };
  const settings = report.model.settings;
  const problem = landscapeProblem(parseCsv(readFileSync(join(root, 'samples/binary.csv')), { fileName: 'binary.csv' }), settings, 'binary.csv');
  const l = landscapeOfRun(problem, report.model, report.replay);
  await send(page, init({ runs: [run(5, { ...report, landscape: stale })] }));
  await tab(page, 'training');
  // An older report's landscape (another shape) is not drawn: the button asks for a new one.
  await page.click('#show-landscape');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'computeLandscape'));
  eq((await posted(page)).find((m) => m.type === 'computeLandscape'), { type: 'computeLandscape', runId: 5, directions: { kind: 'auto' } }, 'computeLandscape message');
  await send(page, { type: 'didStartLandscape', runId: 5 });
  await page.waitForSelector('[data-landscape-status]');
  await send(page, { type: 'didComputeLandscape', runId: 5, landscape: l });
  await page.waitForSelector('[data-view="landscape"] svg');
  assert((await page.textContent('[data-condition]')).includes(fmt4(l.condition.standardized).slice(0, 4)), 'condition number shown');
  eq(await page.$eval('[data-lr-verdict]', (e) => e.dataset.diverged), String(l.descent.gd.diverged), 'the default rate’s verdict');
  const momentum = await page.textContent('[data-momentum-verdict]');
  assert(l.descent.momentum.rises > 0 ? momentum.includes('overshoots') : momentum.includes('downhill'), `momentum verdict: ${momentum}`);
  // End: 3 × 2/λmax. The webview asks the host (debounced) and says it is running until the answer comes.
  await page.focus('#lr-slider');
  await page.keyboard.press('End');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'descend'));
  const asked = (await posted(page)).filter((m) => m.type === 'descend');
  eq(asked.length, 1, 'one descend message for one move');
  eq(asked[0].runId, 5, 'descend run');
  assert(Math.abs(asked[0].factor - 3) < 1e-12, `factor at the end: ${asked[0].factor}`);
  assert((await page.textContent('[data-lr-verdict]')).includes('running gradient descent'), 'waiting for the worker');
  const overlays = () => page.$eval('.ll-landscape-layer', (e) => e.innerHTML.length);
  const before = await overlays();
  const high = descentOnLandscape(problem, l, asked[0].factor);
  await send(page, { type: 'didDescend', runId: 5, factor: asked[0].factor, paths: high });
  await page.waitForFunction(() => document.querySelector('[data-lr-verdict]').dataset.diverged !== undefined);
  const text = await page.textContent('[data-lr-verdict]');
  assert(high.gd.diverged && text.includes('Gradient descent diverges'), `the panel says GD diverges: ${text}`);
  assert((await overlays()) !== before, 'the paths were redrawn');
  // Home: the smallest rate converges.
  await page.keyboard.press('Home');
  await page.waitForFunction(() => window.__posted.filter((m) => m.type === 'descend').length === 2);
  const low = (await posted(page)).filter((m) => m.type === 'descend')[1];
  await send(page, { type: 'didDescend', runId: 5, factor: low.factor, paths: descentOnLandscape(problem, l, low.factor) });
  await page.waitForFunction(() => document.querySelector('[data-lr-verdict]').dataset.diverged === 'false');
  await shot(page, 'landscape');
  // The coefficient slice and its note.
  await page.waitForSelector('[data-view="coefficient-slice"] svg');
  assert((await page.textContent('[data-slice-note]')).includes(l.slice.name), 'slice names its coefficient');
  // Two chosen coefficients: the directions chooser asks for (0, 1).
  await page.evaluate(() => {
    const s = document.querySelector('#landscape-directions');
    s.value = 'coefficients';
    s.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'computeLandscape' && m.directions.kind === 'coefficients'));
  eq((await posted(page)).filter((m) => m.type === 'computeLandscape').pop(), { type: 'computeLandscape', runId: 5, directions: { kind: 'coefficients', i: 0, j: 1 } }, 'coefficients request');
  const chosen = landscapeOfRun(problem, report.model, report.replay, { kind: 'coefficients', i: 0, j: 1 });
  await send(page, { type: 'didComputeLandscape', runId: 5, landscape: chosen });
  await page.waitForSelector('[data-landscape-mode="coefficients"] #landscape-coef-a');
  const axes = await page.$eval('[data-view="landscape"] svg', (svg) => svg.textContent);
  assert(axes.includes(report.model.featureNames[0]) && axes.includes(report.model.featureNames[1]), `axes name the coefficients: ${axes.slice(0, 120)}`);
  // A failure is shown, with its message.
  await send(page, { type: 'didFailLandscape', runId: 5, diagnostics: [{ severity: 'error', code: 'landscape.stale', message: 'the file changed since the run; train again' }] });
  await page.waitForFunction(() => document.querySelector('[data-view="landscape"]').textContent.includes('the file changed since the run'));
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('the boundary’s contours (plots.ts gridContour): the same paths as Plot.contour with interpolate none, on binary, 10-class and stepwise grids', async () => {
  // Both drawn in a blank page by Plot itself (no panel): every contour's <g> compared as markup.
  const bundle = await esbuild.build({
    stdin: {
      contents: `import * as Plot from '@observablehq/plot'; import { gridContour } from './webview/panel/plots.ts'; window.__contours = { Plot, gridContour };`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    logLevel: 'silent',
  });
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`${e.message}`));
  await page.setContent('<!doctype html><body></body>');
  await page.evaluate(bundle.outputFiles[0].text);
  const result = await page.evaluate(() => {
    const { Plot, gridContour } = window.__contours;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const nx = 100;
    const ny = 100;
    const dense = { width: nx, height: ny, x1: -3.7, x2: 5.2, y1: -1.3, y2: 2.9 };
    const at = (i) => [dense.x1 + ((i % nx) + 0.5) * ((dense.x2 - dense.x1) / nx), dense.y1 + (Math.floor(i / nx) + 0.5) * ((dense.y2 - dense.y1) / ny)];
    const grids = [];
    // Binary: P(positive) of a curved score, at the threshold 0.37.
    grids.push({ values: Float64Array.from({ length: nx * ny }, (_, i) => { const [x, y] = at(i); return 1 / (1 + Math.exp(-(1.3 * x - 2.1 * y + Math.sin(3 * x)))); }), thresholds: [0.37] });
    // Ten classes: each margin p_k - max_{j != k} p_j of a softmax of random linear scores, at 0.
    const W = Array.from({ length: 10 }, () => [rand() * 4 - 2, rand() * 4 - 2, rand() - 0.5]);
    const P = Array.from({ length: nx * ny }, (_, i) => { const [x, y] = at(i); const z = W.map(([a, b, c]) => Math.exp(a * x + b * y + c)); const s = z.reduce((u, v) => u + v, 0); return z.map((v) => v / s); });
    for (let k = 0; k < 10; k++) grids.push({ values: Float64Array.from(P, (p) => p[k] - Math.max(...p.filter((_, j) => j !== k))), thresholds: [0] });
    // A map of nearest predictions: margins of -1 / 1 (the stepwise background of a many-class model).
    const centres = Array.from({ length: 30 }, () => [dense.x1 + rand() * 8.9, dense.y1 + rand() * 4.2, Math.floor(rand() * 4)]);
    const near = Array.from({ length: nx * ny }, (_, i) => { const [x, y] = at(i); let best = 0; let bd = Infinity; for (const [u, v, c] of centres) { const d = (u - x) ** 2 + (v - y) ** 2; if (d < bd) [bd, best] = [d, c]; } return best; });
    for (let k = 0; k < 4; k++) grids.push({ values: Float64Array.from(near, (c) => (c === k ? 1 : -1)), thresholds: [0] });
    const layout = { width: 640, height: 460, marginLeft: 56, marginBottom: 40, marginTop: 20, marginRight: 20, x: { domain: [dense.x1, dense.x2] }, y: { domain: [dense.y1, dense.y2] } };
    const draw = (mark) => Plot.plot({ ...layout, marks: [mark] }).querySelector('g[aria-label="contour"]');
    const out = { same: 0, drawn: 0, differ: [], paths: 0, plotMs: 0, gridMs: 0 };
    grids.forEach(({ values, thresholds }, n) => {
      const style = { thresholds, fill: 'none', stroke: 'black', strokeWidth: 1.6 };
      let t0 = performance.now();
      const a = draw(Plot.contour(values, { ...dense, interpolate: 'none', ...style }));
      out.plotMs += performance.now() - t0;
      t0 = performance.now();
      const b = draw(gridContour(values, dense, style));
      out.gridMs += performance.now() - t0;
      out.paths += a.querySelectorAll('path').length;
      if (a.outerHTML === b.outerHTML) out.same++;
      else out.differ.push(n);
      if (a.querySelector('path')?.getAttribute('d')) out.drawn++;
    });
    return out;
  });
  eq(result.differ, [], 'grids whose contours differ');
  eq(result.same, 15, 'grids compared');
  assert(result.drawn >= 10, `grids with a drawn contour: ${result.drawn} of 15`);
  console.log(`      contours of 15 grids: Plot.contour interpolate none ${result.plotMs.toFixed(0)} ms, gridContour ${result.gridMs.toFixed(0)} ms`);
  await page.close();
});

await test('textbook facts: softmax = sigmoid at 2C, shift invariance, weight norm on separable data with and without L2', async () => {
  const page = await open();
  const bytes = readFileSync(join(root, 'samples/binary.csv'));
  const target = reports.binary.model.targetNames;
  const soft = trainFromBytes(bytes, { target, model: 'multinomial', C: 0.5, tol: 1e-10 }, { fileName: 'binary.csv' });
  const lines = ['x1,x2,label'];
  for (let i = 0; i < 60; i++) lines.push(`${(i % 2 ? 1 : -1) * (10 + (i % 7) / 10)},${((i * 37) % 11) / 5 - 1},${i % 2 ? 'a' : 'b'}`);
  const sep = new TextEncoder().encode(lines.join('\n'));
  const base = { target: ['label'], solver: 'gd', optimizer: 'sgd', maxIter: 2000, tol: 1e-9, testSize: 0, valSize: 0 };
  const free = trainFromBytes(sep, { ...base, penalty: 'none' }, { fileName: 'sep.csv' });
  const l2 = trainFromBytes(sep, { ...base, penalty: 'l2', C: 1 }, { fileName: 'sep.csv' });
  await send(page, init({ runs: [run(6, soft, '#6 multinomial'), run(7, l2, '#7 gd L2'), run(8, free, '#8 gd none')], preview: null }));
  // The latest run (#8, no penalty, separable) on the Training tab: its norm and the L2 run's.
  await tab(page, 'training');
  await page.waitForSelector('[data-view="weight-norm"] svg');
  eq(await page.$$eval('[data-view="weight-norm"] .ll-legend-item', (xs) => xs.map((x) => x.textContent)), ['#7 gd L2', '#8 gd none'], 'both runs on the same features');
  assert((await page.textContent('[data-view="weight-norm"]')).includes('linearly separable'), 'linked to the separability warning');
  assert((await page.textContent('vscode-tab-panel[data-panel="training"]')).includes('fit.separable') || free.warnings.some((w) => w.code === 'fit.separable'), 'the warning exists');
  // The multinomial run on the Model tab.
  await page.evaluate(() => {
    const s = document.querySelector('#run-select');
    s.value = '6';
    s.dispatchEvent(new Event('change'));
  });
  await tab(page, 'model');
  await page.waitForSelector('[data-view="softmax-sigmoid"] table');
  const rows = await page.$$eval('[data-view="softmax-sigmoid"] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  eq(rows.length, soft.model.featureNames.length + 1, 'one row per weight and the intercept');
  const num = (t) => Number(t.replace('\u2212', '-'));
  rows.forEach((r) => assert(Math.abs(num(r[1]) - num(r[2])) < 1e-4 && Number.isFinite(num(r[1])), `softmax difference = sigmoid at 2C: ${r}`));
  assert(soft.softmaxAsSigmoid.maxProbabilityDifference < 1e-7, 'same probabilities');
  await page.focus('#shift-c');
  await page.keyboard.press('End');
  const change = await page.$eval('[data-shift-result]', (o) => ({ text: o.textContent, max: Number(o.dataset.maxChange) }));
  assert(change.text.startsWith('c = 20') && change.max < 1e-12, `shift invariance: ${JSON.stringify(change)}`);
  await shot(page, 'facts');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('training tab: a streamed run shows its epochs and validation log-loss', async () => {
  const page = await open();
  const streamed = structuredClone(reports.binary);
  streamed.stream = { epochs: 3, epochValidationLoss: [0.4512, 0.4133, 0.4101], finalValidationLoss: 0.4087, windowRows: 65536, reservoirRows: 20000, totalBytes: 5.2e9 };
  Object.assign(streamed.convergence, { solver: 'minibatch', stopReason: 'max-iter', converged: false, iterations: 3, message: 'streaming mini-batch SGD ran 3 epochs' });
  await send(page, init({ runs: [run(1, streamed)] }));
  await tab(page, 'training');
  await page.waitForSelector('[data-view="stream"]');
  const text = await page.textContent('[data-view="stream"]');
  for (const want of ['Streamed from disk', 'Epochs3', '5.2 GB', '65,536 rows', '1: 0.4512, 2: 0.4133, 3: 0.4101', 'Final validation log-loss0.4087']) {
    assert(text.includes(want), `stream card lacks "${want}": ${text}`);
  }
  // Stopping after its epochs is what a streaming run does: stated plainly, not as a warning.
  const status = await page.locator('[data-view="convergence"] .ll-status');
  eq(await status.textContent(), 'Ran all 3 epochs of streaming mini-batch SGD; for more passes, raise “Epochs (streaming)” under Advanced.', 'status text');
  eq(await status.getAttribute('class'), 'll-status ll-ok', 'status class');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('bad CSV: diagnostics with file, line and column; reload posts reloadData', async () => {
  const page = await open();
  await send(page, init({ preview: null, loadError: [{ severity: 'error', code: 'csv.ragged-row', message: 'row has 4 fields but the header has 3', file: 'data.csv', line: 12, column: 3 }] }));
  await page.waitForSelector('.ll-diagnostics');
  const text = await page.textContent('.ll-diagnostics');
  assert(text.includes('data.csv, line 12, column 3') && text.includes('row has 4 fields'), `diagnostic: ${text}`);
  await page.click('#reload');
  assert((await posted(page)).some((m) => m.type === 'reloadData'), 'reloadData');
  await send(page, { type: 'didFailTraining', runId: 3, diagnostics: [{ severity: 'error', code: 'target.continuous', message: 'the target looks continuous', file: 'data.csv', column: 2 }] });
  await page.waitForFunction(() => document.body.innerText.includes('the target looks continuous'));
  await shot(page, 'errors');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('saved UI state: restored on reload (v1), dropped on version mismatch', async () => {
  const state = { v: 1, tab: 'evaluation', featurePair: [0, 1], boundaryView: 'slice', threshold: 0.7, logScale: true, selectedRuns: [], currentRun: null, normalizeConfusion: false, coefUnits: 'standardized', coefSort: { key: 'abs', descending: true, output: 0 }, calibration: 'none', split: 'test' };
  const page = await open({ state });
  await send(page, init({ runs: [run(1, reports.binary)] }));
  await page.waitForSelector('#threshold');
  eq(await page.$eval('#threshold', (s) => s.value), '0.7', 'threshold restored');
  eq(await page.$eval('vscode-tabs', (t) => t.selectedIndex), 2, 'tab restored');
  await page.close();
  const old = await open({ state: { ...state, v: 0 } });
  await send(old, init({ runs: [run(1, reports.binary)] }));
  await old.waitForSelector('.ll-columns');
  eq(await old.$eval('vscode-tabs', (t) => t.selectedIndex), 0, 'state of another version dropped');
  await old.close();
});

await test('exports: model/predictions/report messages, plot SVG and PNG', async () => {
  const page = await open();
  await send(page, init({ runs: [run(4, reports.binary)] }));
  await page.click('#export-model');
  await page.click('#export-predictions');
  await page.click('#export-report');
  await tab(page, 'evaluation');
  await page.click('[data-plot="roc-curve"] vscode-button[data-export="roc-curve.svg"]');
  await page.click('[data-plot="roc-curve"] vscode-button[data-export="roc-curve.png"]');
  await page.waitForFunction(() => window.__posted.filter((m) => m.type === 'exportPlot').length === 2);
  const msgs = await posted(page);
  for (const t of ['exportModel', 'exportPredictions', 'exportReport']) eq(msgs.find((m) => m.type === t)?.runId, 4, t);
  const [svg, png] = msgs.filter((m) => m.type === 'exportPlot');
  eq([svg.name, svg.format, png.name, png.format], ['roc-curve', 'svg', 'roc-curve', 'png'], 'plot export names');
  assert(svg.data.startsWith('<svg') && svg.data.includes('ROC curve') && svg.data.includes('AUC ='), 'SVG text with title');
  assert(png.data.startsWith('data:image/png;base64,') && png.data.length > 5000, `PNG data URL (${png.data.length})`);
  await send(page, { type: 'didExport', what: 'the model', path: '/tmp/model.json' });
  await page.waitForFunction(() => document.querySelector('.ll-status-line')?.textContent.includes('/tmp/model.json'));
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

await test('accessible names: every select, text area, checkbox, button and column header on every tab', async () => {
  const page = await open();
  await send(page, init({ fileName: 'iris.csv', runs: [run(1, reports.multiclass), run(2, reports.multiclass, '#2 again')] }));
  const missing = [];
  for (const id of ['data', 'training', 'model', 'evaluation', 'selection', 'runs']) {
    await tab(page, id);
    await page.waitForTimeout(200);
    const found = await page.evaluate(() => {
      const out = [];
      const named = (e) => (e.getAttribute('aria-label') ?? '').trim() || (e.textContent ?? '').trim() || (e.getAttribute('label') ?? '').trim();
      const visible = (e) => e.offsetParent !== null || e.getClientRects().length > 0;
      for (const e of document.querySelectorAll('vscode-single-select, vscode-textarea, vscode-textfield')) {
        if (!visible(e)) continue;
        // The name must reach the focusable control inside the shadow root, not only the host.
        const inner = e.shadowRoot?.querySelector('[role="combobox"], [role="button"], input, textarea, .select-face');
        const name = inner?.getAttribute('aria-label') ?? '';
        if (!name.trim() && !e.closest('label')?.textContent?.trim()) out.push(`${e.tagName.toLowerCase()}#${e.id}`);
        else if (!name.trim() && e.tagName === 'VSCODE-SINGLE-SELECT') out.push(`${e.tagName.toLowerCase()}#${e.id} (inner control unnamed)`);
      }
      for (const e of document.querySelectorAll('vscode-button, vscode-checkbox, button')) if (visible(e) && !named(e)) out.push(`${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`);
      for (const th of document.querySelectorAll('thead th')) if (visible(th) && !th.textContent.trim()) out.push(`empty column header in ${th.closest('table')?.className}`);
      return out;
    });
    missing.push(...found.map((f) => `${id}: ${f}`));
  }
  eq(missing, [], 'controls without an accessible name');
  // Keyboard: the tab headers are reachable with Tab and switch panels with the arrow keys.
  await page.focus('vscode-tabs');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.tagName.toLowerCase());
  assert(focused !== 'body', `Tab moves focus into the panel (focused: ${focused})`);
  await page.close();
});

await test('dark theme through VS Code variables', async () => {
  const page = await open({ bodyClass: 'vscode-dark' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.evaluate(() => {
    const s = document.documentElement.style;
    s.setProperty('--vscode-foreground', '#cccccc');
    s.setProperty('--vscode-editor-background', '#1e1e1e');
    s.setProperty('--vscode-descriptionForeground', '#9d9d9d');
    s.setProperty('--vscode-panel-border', '#3c3c3c');
    s.setProperty('--vscode-focusBorder', '#0078d4');
  });
  await send(page, init({ runs: [run(1, reports.binary)] }));
  await tab(page, 'model');
  await page.waitForSelector('[data-plot="decision-boundary"] svg');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  eq(bg, 'rgb(30, 30, 30)', 'background from --vscode-editor-background');
  const axisFill = await page.$eval('[data-plot="decision-boundary"] svg', (s) => getComputedStyle(s).color);
  eq(axisFill, 'rgb(204, 204, 204)', 'plot text colour from --vscode-foreground');
  await shot(page, 'model-dark');
  await tab(page, 'evaluation');
  await page.waitForTimeout(200);
  await shot(page, 'evaluation-dark');
  eq(await csp(page), [], 'CSP violations');
  await page.close();
});

for (const width of [400, 600, 900]) {
  await test(`narrow panel (${width} px): every tab reflows, no horizontal scroll, no clipped tab, no word broken inside`, async () => {
    const page = await open({}, { width, height: 900 });
    const pbcPreview = previewOf(readFileSync(join(root, 'test/fixtures/datasets/pbc.csv'), 'utf8'), 'pbc.csv');
    await send(page, init({ fileName: 'pbc.csv', preview: pbcPreview, runs: [run(1, reports.pbc), run(2, reports.wine), run(3, reports.digits)] }));
    for (const t of ['data', 'model', 'evaluation', 'training', 'selection', 'runs']) {
      await tab(page, t);
      await page.waitForTimeout(200);
      const m = await page.evaluate(() => {
        const se = document.scrollingElement;
        const vw = document.documentElement.clientWidth;
        const tabs = [...document.querySelectorAll('vscode-tab-header')].map((h) => {
          const r = h.getBoundingClientRect();
          return { text: h.textContent.trim(), right: r.right, clipped: h.scrollWidth > h.clientWidth + 1 };
        });
        // A word (a header's, a number's) laid out on two lines has two client rects.
        const broken = [];
        for (const cell of document.querySelectorAll('th, td')) {
          if (!cell.offsetParent) continue;
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const re = /[^\s\-–—/]+/g; // hyphens, dashes and slashes are break opportunities
            for (let w = re.exec(node.data); w; w = re.exec(node.data)) {
              const range = document.createRange();
              range.setStart(node, w.index);
              range.setEnd(node, w.index + w[0].length);
              const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
              if (lines.size > 1 && w[0].length <= 24) broken.push(w[0]);
            }
          }
        }
        return { scroll: se.scrollWidth - se.clientWidth, vw, tabs, broken };
      });
      assert(m.scroll <= 0, `${t}: the page scrolls sideways by ${m.scroll}px (tab headers end at ${m.tabs.map((h) => Math.round(h.right)).join(", ")})`);
      for (const h of m.tabs) assert(!h.clipped && h.right <= m.vw + 1, `${t}: tab “${h.text}” clipped or off screen (${JSON.stringify(h)})`);
      eq(m.broken.slice(0, 8), [], `${t}: words broken across lines`);
      if (width === 400) await shot(page, `narrow-${t}`);
    }
    eq(await csp(page), [], 'CSP violations');
    await page.close();
  });
}

await test('HTML report: self-contained, read-only, same bundle, no CSP violations, no requests', async () => {
  const fonts = {};
  const fontDir = join(root, 'media/dist/fonts');
  for (const f of ['KaTeX_Main-Regular.woff2', 'KaTeX_Math-Italic.woff2']) fonts[f] = `data:font/woff2;base64,${readFileSync(join(fontDir, f)).toString('base64')}`;
  const report = reports.xss;
  const html = renderReportHtml({ title: `Logit Lab report: ${XSS}`, script: readFileSync(join(root, 'media/dist/panel.js'), 'utf8'), css: readFileSync(join(root, 'media/dist/panel.css'), 'utf8'), report, fontDataUrls: fonts });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
  });
  const url = server.raw(html);
  await page.goto(url);
  await page.waitForSelector('.ll-formula .katex');
  assert(!(await page.$('#train')), 'no settings form in the report');
  assert(!(await page.$('#export-model')), 'no host exports in the report');
  eq(await page.evaluate(() => window.__xss), undefined, 'window.__xss');
  const title = await page.title();
  eq(title, `Logit Lab report: ${XSS}`, 'title is text');
  await page.waitForTimeout(300);
  await shot(page, 'report');
  await tab(page, 'evaluation');
  await page.waitForSelector('.ll-auc');
  eq(await page.textContent('.ll-auc'), `AUC = ${fmt4(report.evaluation.test.curves.roc.auc)}`, 'AUC in the report');
  await tab(page, 'training');
  await page.waitForSelector('[data-view="replay"] canvas');
  await page.focus('#replay-step');
  await page.keyboard.press('Home');
  eq(await page.$eval('[data-view="replay"]', (c) => c.dataset.step), '0', 'the report replays the run');
  const v = await page.evaluate(() => window.__csp);
  cspLog.push(...v);
  eq(v, [], 'CSP violations in the report');
  const foreign = requests.filter((r) => r !== url && !r.startsWith('data:'));
  eq(foreign, [], 'requests besides the page itself');
  await page.close();
});

await browser.close();
await server.close();
console.log(cspLog.length ? `CSP violations seen: ${JSON.stringify(cspLog)}` : 'No CSP violations seen by the panel.');
console.log(`Screenshots in ${out}`);
runner.finish();
