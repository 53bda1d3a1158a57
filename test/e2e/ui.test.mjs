// UI test of the installed Logit Lab (the packaged VSIX) in a real VS Code workbench: code-server +
// headless Debian chromium through playwright-core.
//   right-click blobs.csv in the Explorer -> "Logit Lab: Train Logistic Regression" -> the model panel
//   opens and trains -> read the test accuracy from the webview -> retrain from the panel -> reload the
//   window: the panel is restored (serializer) with both runs -> no entry on a .txt file.
// Usage: CS_URL=http://127.0.0.1:PORT WS=/abs/copy/of/test/e2e/workspace OUT=test-results/e2e node test/e2e/ui.test.mjs
//        (EXT_DEV=/abs/repo to load the extension from its folder instead of an installed VSIX)
// Prints `N passed, M failed` (one per step); screenshots in OUT.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
function requirePlaywright() {
  try {
    return require('playwright-core');
  } catch {
    return require(require.resolve('playwright-core', { paths: [join(process.env.E2E_DIR ?? '.e2e', 'node_modules')] }));
  }
}
const { chromium } = requirePlaywright();

const CS_URL = process.env.CS_URL ?? 'http://127.0.0.1:8765';
const WS = process.env.WS;
const OUT = process.env.OUT ?? 'test-results/e2e';
const ENTRY = 'Logit Lab: Train Logistic Regression';
const t0 = Date.now();
const mark = (s) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
mkdirSync(OUT, { recursive: true });

const results = [];
async function step(name, body) {
  const t = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    mark(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    mark(`FAIL ${name}: ${e.message.split('\n')[0]}`);
    await page.screenshot({ path: join(OUT, `failure-${results.length}.png`) }).catch(() => {});
    throw e;
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
if (process.env.VERBOSE) page.on('console', (m) => console.log('[page]', m.type(), m.text()));

/** The model panel's content frame (the workbench's webview iframe, then its active-frame). */
const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
const explorerRow = (name) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();

async function openContextMenu(name, entry) {
  const row = explorerRow(name);
  if (!(await row.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+E');
  await row.waitFor({ timeout: 60_000 });
  // Menu contributions appear once the extension host is up: retry the right-click.
  for (let i = 0; i < 20; i++) {
    await row.click({ button: 'right' });
    try {
      await page.locator('.monaco-menu').first().waitFor({ timeout: 2000 });
      if (!entry) return;
      await entry.waitFor({ timeout: 2000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`no "${ENTRY}" in the context menu of ${name}`);
}

/** The Test column of a metric row in the Evaluation tab's metrics table. */
async function readMetric(label) {
  const wv = webview();
  await wv.locator('[data-tab="evaluation"]').click();
  const table = wv.locator('table[data-view="metrics"]');
  await table.waitFor({ timeout: 20_000 });
  const headers = await table.locator('thead th').allInnerTexts();
  const col = headers.findIndex((h) => h.trim() === 'Test');
  const row = table.locator('tbody tr', { has: wv.locator('th', { hasText: new RegExp(`^${label}$`) }) }).first();
  const cells = await row.locator('th, td').allInnerTexts();
  return { value: Number(cells[col]), headers, cells };
}

const runOptions = () => webview().locator('#run-select vscode-option');

async function waitForRuns(n, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if ((await runOptions().count().catch(() => 0)) === n) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`the panel did not show ${n} run(s) (has ${await runOptions().count().catch(() => 0)})`);
}

try {
  await step('workbench opens the workspace', async () => {
    let url = `${CS_URL}/?folder=${encodeURIComponent(WS)}`;
    // EXT_DEV=/abs/repo: load the extension from its folder instead of the installed VSIX (quick iteration).
    if (process.env.EXT_DEV) url += `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${new URL(CS_URL).host}${process.env.EXT_DEV}`]]))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await explorerRow('blobs.csv').waitFor({ timeout: 60_000 });
  });

  const entry = page.getByRole('menuitem', { name: ENTRY });
  await step(`Explorer context menu of blobs.csv has "${ENTRY}"`, async () => {
    await openContextMenu('blobs.csv', entry);
    await page.screenshot({ path: join(OUT, '1-context-menu.png') });
    await entry.click();
  });

  await step('the model panel opens, trains in the worker and shows the run', async () => {
    await page.locator('.tab', { hasText: 'Logit Lab: blobs.csv' }).first().waitFor({ timeout: 30_000 });
    await webview().locator('#app').waitFor({ timeout: 30_000 });
    await waitForRuns(1);
    await page.screenshot({ path: join(OUT, '2-panel-trained.png') });
  });

  let accuracy;
  await step('the Evaluation tab shows a plausible test accuracy', async () => {
    const m = await readMetric('Accuracy');
    accuracy = m.value;
    mark(`metrics: ${m.headers.join(' | ')} / ${m.cells.join(' | ')}`);
    if (!(accuracy >= 0.85 && accuracy <= 1)) throw new Error(`test accuracy ${accuracy}`);
    await page.screenshot({ path: join(OUT, '3-evaluation.png') });
  });

  await step('the Model tab draws the decision boundary and the fitted model in KaTeX', async () => {
    const wv = webview();
    await wv.locator('[data-tab="model"]').click();
    await wv.locator('.katex').first().waitFor({ timeout: 20_000 });
    const marks = await wv.locator('svg image, svg canvas, svg path').count();
    if (marks < 3) throw new Error(`decision boundary plot has ${marks} marks`);
    await page.screenshot({ path: join(OUT, '3b-model.png') });
  });

  await step('Train in the panel adds run #2 to the history', async () => {
    const wv = webview();
    await wv.locator('[data-tab="data"]').click();
    await wv.locator('vscode-button#train').click();
    await waitForRuns(2);
    await page.screenshot({ path: join(OUT, '4-retrained.png') });
  });

  await step('after a window reload the panel is restored with both runs', async () => {
    // "Developer: Reload Window" (not page.reload()): the workbench shuts down orderly and saves its
    // editors, like a user's reload; the panel then comes back through the WebviewPanelSerializer.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('>Developer: Reload Window');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reload Window' }).first().waitFor({ timeout: 10_000 });
    await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded', timeout: 60_000 }), page.keyboard.press('Enter')]);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.tab', { hasText: 'Logit Lab: blobs.csv' }).first().click({ timeout: 60_000 });
    await waitForRuns(2);
    const m = await readMetric('Accuracy');
    mark(`restored panel: test accuracy ${m.value}`);
    if (!(m.value >= 0.85 && m.value <= 1)) throw new Error(`test accuracy after reload ${m.value}`);
    await page.screenshot({ path: join(OUT, '5-restored.png') });
  });

  await step('no Logit Lab entry on notes.txt', async () => {
    await openContextMenu('notes.txt', null);
    await page.screenshot({ path: join(OUT, '6-txt-menu.png') });
    const n = await entry.count();
    await page.keyboard.press('Escape');
    if (n !== 0) throw new Error(`the entry appears ${n} time(s) on a .txt file`);
  });
} catch {
  // reported by step()
} finally {
  await browser.close();
}
const STEPS = 8; // steps after a failed one did not run: they count as failed
const passed = results.filter((r) => r.ok).length;
const failed = STEPS - passed;
console.log(`ui test: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
