#!/usr/bin/env node
// The model panel on a large result (part of `npm run bench`; alone: `node bench/panel.mjs [--report R.json] [--csv F.csv]`).
// Trains the CSV through the CLI once (its --report-json is cached beside the CSV), then, in headless
// Debian Chromium under the panel's real CSP (the browser-test harness), measures:
//   open      didInitialize with the finished run -> the Model tab's boundary plot drawn;
//   slider    one threshold change -> confusion matrix, rates and curve marks updated (median, p95 of 40);
//   boundary  a new feature pair -> the Model tab re-rendered with a new 100 x 100 grid (median of 6);
//   grid      the 100 x 100 probability grid alone (sliceGrid, bundled for Node; median of 20);
// and the report's size (what the host posts to the webview). Prints markdown lines.
/* global window, document, requestAnimationFrame -- page.evaluate callbacks run in the browser */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../test/browser/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};

export async function measurePanel(csv = arg('csv', join(root, 'bench', 'data', 'binary_1000000x20.csv'))) {
  const reportFile = arg('report', csv.replace(/\.csv$/, '.report.json'));
  if (!existsSync(reportFile) || statSync(reportFile).mtimeMs < statSync(join(root, 'dist', 'cli.js')).mtimeMs) {
    execFileSync(process.execPath, [join(root, 'dist', 'cli.js'), 'train', csv, '--report-json', reportFile], { stdio: 'ignore' });
  }
  const reportText = readFileSync(reportFile, 'utf8');
  const report = JSON.parse(reportText);
  const gridMs = await timeGrid(report);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROME ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const server = await startServer(root);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.page({}));
    await page.waitForFunction(() => window.__posted && window.__posted.length > 0);
    const run = { id: 1, label: '#1 lbfgs L2 C=1', startedAt: new Date().toISOString(), durationMs: 0, settings: report.model.settings, report };
    const init = { type: 'didInitialize', fileName: csv.split('/').pop(), preview: null, loadError: null, defaults: report.model.settings, runs: [run], training: null, readOnly: false };
    // open: post, select the Model tab, wait (frame by frame) for the boundary plot.
    const openMs = await page.evaluate(async (msg) => {
      const t0 = performance.now();
      window.postMessage(msg, '*');
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      for (let i = 0; i < 600; i++) {
        const header = document.querySelector('vscode-tab-header[data-tab="model"]');
        if (header && !document.querySelector('vscode-tab-panel[data-panel="model"] [data-plot="decision-boundary"] svg')) header.click();
        if (document.querySelector('vscode-tab-panel[data-panel="model"] [data-plot="decision-boundary"] svg')) return performance.now() - t0;
        await frame();
      }
      throw new Error('the boundary plot never appeared');
    }, init);
    // boundary: in the slice view, pick another feature pair through the x-axis select's change handler.
    const boundaryMs = await page.evaluate(async (d) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const times = [];
      // The Model tab opens on the model's plane; the feature pair is chosen in the slice view.
      const view = document.querySelector('vscode-single-select#boundary-view');
      if (view && !document.querySelector('vscode-single-select#boundary-x')) {
        view.value = 'slice';
        view.dispatchEvent(new Event('change', { bubbles: true }));
      }
      for (let j = 2; j < Math.min(d, 8); j++) {
        // The Model tab renders in steps (modelPlaneSteps): the select may be between two of them.
        for (let i = 0; i < 300 && !document.querySelector('vscode-single-select#boundary-x'); i++) await frame();
        const sel = document.querySelector('vscode-single-select#boundary-x');
        const before = document.querySelector('[data-plot="decision-boundary"] svg');
        const t0 = performance.now();
        sel.value = String(j);
        sel.dispatchEvent(new Event('change', { bubbles: true }));
        for (let i = 0; i < 300 && document.querySelector('[data-plot="decision-boundary"] svg') === before; i++) await frame();
        void document.body.offsetHeight;
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    }, report.model.featureNames.length);
    // slider: the Evaluation tab, then 40 threshold changes, each timed to a forced layout.
    await page.click('vscode-tab-header[data-tab="evaluation"]');
    await page.waitForSelector('#threshold');
    const slider = await page.evaluate(() => {
      const s = document.querySelector('#threshold');
      const times = [];
      for (let k = 0; k < 40; k++) {
        const t0 = performance.now();
        s.value = String(0.05 + (0.9 * ((k * 7) % 40)) / 40);
        // 'change' updates synchronously ('input' defers the same update to the next frame).
        s.dispatchEvent(new Event('change', { bubbles: true }));
        void document.body.offsetHeight;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return { median: times[20], p95: times[Math.floor(0.95 * times.length)] };
    });
    return { rows: report.data?.nRows ?? report.evaluation?.train?.n, reportMB: reportText.length / 1e6, points: report.points?.y?.length, openMs, boundaryMs, gridMs, slider };
  } finally {
    await server.close();
    await browser.close();
  }
}

/** sliceGrid on the report's model over the first two features (the webview's own code, bundled for Node). */
async function timeGrid(report) {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    stdin: { contents: `export { sliceGrid, sliceBase, column, paddedExtent } from './webview/panel/viewModel/boundaryGrid';`, resolveDir: root, loader: 'ts' },
    bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error',
  });
  const { sliceGrid, sliceBase, column, paddedExtent } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const { model, points } = report;
  const d = model.featureNames.length;
  const { base } = sliceBase(model, points, model.settings.missing);
  const options = { pair: [0, 1], base, xExtent: paddedExtent(column(points.X, d, 0)), yExtent: paddedExtent(column(points.X, d, 1)), nx: 100, ny: 100 };
  const times = [];
  for (let r = 0; r < 20; r++) {
    const t0 = performance.now();
    sliceGrid(model, options);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[10];
}

export function panelLines(p) {
  return [
    `Model panel on the ${p.rows ?? '?'}-row result (report ${p.reportMB.toFixed(2)} MB, ${p.points} points drawn; headless Chromium, the panel's real bundle and CSP):`,
    `open to the drawn boundary ${p.openMs.toFixed(0)} ms (goal under 1000); threshold slider ${p.slider.median.toFixed(1)} ms median, ${p.slider.p95.toFixed(1)} ms p95 (goal under 16);`,
    `boundary grid (100 x 100 probabilities) ${p.gridMs.toFixed(1)} ms (goal under 50); a new feature pair re-renders the whole Model tab (grid, raster, contour, points, KaTeX, coefficients) in ${p.boundaryMs.toFixed(0)} ms median.`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(panelLines(await measurePanel()).join('\n'));
}
