// UI test of the installed Logit Lab (the packaged VSIX) in a real VS Code workbench: code-server +
// headless Debian chromium through playwright-core.
//   right-click blobs.csv in the Explorer -> "Logit Lab: Train Logistic Regression" -> the model panel
//   opens and trains -> read the test accuracy from the webview -> retrain from the panel -> reload the
//   window: the panel is restored (serializer) with both runs -> no entry on a .txt file ->
//   F1 "Logit Lab: Open Sample Dataset" (Binary) -> train it, move the threshold slider: the confusion
//   matrix follows -> Dark High Contrast theme reaches the webview -> CodeLens "Check gradient" on
//   homework.md: the checker panel's verdict (KaTeX) and a diagnostic in the Problems panel -> Python:
//   CodeLens on the "# %% gradcheck" cells of homework_numpy.py, the "Check gradient" item of notebook
//   cells in homework_numpy.ipynb (built-in notebook editor), verdicts and the checker panel.
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
// Warnings from the webviews (the panel's own code, @vscode-elements' codicons notice): none allowed.
const webviewWarnings = [];
page.on('console', (m) => {
  const url = m.location()?.url ?? '';
  // Chromium's note on the workbench's own webview iframe sandbox is VS Code's, not the panel's.
  if (/allow-scripts and allow-same-origin/.test(m.text())) return;
  if ((m.type() === 'warning' || m.type() === 'error') && (/webview|vscode-cdn|panel\.js/.test(url) || /codicon/i.test(m.text()))) webviewWarnings.push(`${m.type()}: ${m.text()} (${url})`);
});

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

/**
 * The content frame of the visible webview that shows `selector` (several webviews can be open side
 * by side, e.g. the model panel and the gradient checker): tries each `iframe.webview.ready` in turn.
 */
async function webviewWith(selector, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < n; i++) {
      const frame = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame');
      if (await frame.locator(selector).first().isVisible().catch(() => false)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview shows ${selector}`);
}

/** F1, type a command's title, pick it (the row that reads exactly `title`). */
async function runCommand(title) {
  const input = page.locator('.quick-input-widget input');
  // F1 sometimes goes nowhere while the focus moves between a webview and the workbench, and a palette
  // that opened can close again when a webview takes the focus back: open it again, then type.
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('F1');
    const opened = await input.waitFor({ timeout: 10_000 }).then(() => true, () => false);
    if (opened && (await input.fill(`>${title}`, { timeout: 5_000 }).then(() => true, () => false))) break;
    if (attempt === 2) throw new Error(`F1 opened no command palette to type in (for "${title}")`);
    await page.locator('.monaco-workbench').first().click({ position: { x: 5, y: 5 } }).catch(() => undefined);
  }
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
}

/** Closes every editor, then opens a workspace file from the Explorer (a double click pins it). */
async function openFromExplorer(name, { dblclick = false } = {}) {
  await runCommand('View: Close All Editor Groups');
  await page.locator('.tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  const row = explorerRow(name);
  if (!(await row.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+E');
  await (dblclick ? row.dblclick() : row.click());
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 20_000 });
}

/** A quick pick's rows' labels, once it shows `expected` rows (it fills in asynchronously). */
async function quickPickLabels(expected, timeout = 10_000) {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const deadline = Date.now() + timeout;
  while ((await rows.count()) < expected && Date.now() < deadline) await page.waitForTimeout(100);
  const labels = [];
  for (let i = 0; i < (await rows.count()); i++) labels.push((await rows.nth(i).locator('.label-name').first().innerText()).trim());
  return labels;
}

/** The binary confusion matrix's counts as drawn: diagonal text mark first ([tn, tp]), then the off-diagonal one ([fp, fn]). */
async function readConfusion(wv) {
  const groups = wv.locator('[data-plot="confusion-matrix"] g.ll-cm-count');
  const n = await groups.count();
  if (n !== 2) throw new Error(`confusion matrix has ${n} text marks (want 2)`);
  const num = (t) => Number(t.replace(/[^\d.]/g, ''));
  const [tn, tp] = (await groups.nth(0).locator('text').allTextContents()).map(num);
  const [fp, fn] = (await groups.nth(1).locator('text').allTextContents()).map(num);
  const cm = { tn, fp, fn, tp };
  if (Object.values(cm).some((v) => !Number.isFinite(v))) throw new Error(`confusion matrix cells ${JSON.stringify(cm)}`);
  return cm;
}

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
    // The whole boundary plot, with the fitted model's KaTeX above it.
    await wv.locator('.ll-card', { hasText: 'Decision boundary' }).first().evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '3c-boundary.png') });
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

  await step('"Stream from disk" trains run #3 from the panel and reports its validation log-loss', async () => {
    const wv = webview();
    await wv.locator('[data-tab="data"]').click();
    // The setting sits in the form's "Advanced" section: open it, as a user would.
    await wv.locator('vscode-collapsible[title^="Advanced"] .collapsible-header').click();
    await wv.locator('vscode-checkbox#stream').click();
    await wv.locator('vscode-button#train').click();
    await waitForRuns(3);
    const labels = await runOptions().allTextContents();
    if (!labels.some((l) => /#3 stream 5 epochs/.test(l))) throw new Error(`run labels ${JSON.stringify(labels)}`);
    await wv.locator('[data-tab="training"]').click();
    const card = wv.locator('[data-view="stream"]');
    await card.waitFor({ timeout: 30_000 });
    const text = (await card.textContent()) ?? '';
    mark(`stream card: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
    const loss = Number(/Final validation log-loss([\d.]+)/.exec(text)?.[1]);
    const epochs = [...(/by epoch \(progressive\)(.*?)Final/.exec(text)?.[1] ?? '').matchAll(/\d+: ([\d.]+)/g)].map((m) => Number(m[1]));
    // Three blobs, 68 training rows, 5 epochs of Adam from zero: below the uniform guess (ln 3) and falling.
    if (!(loss > 0 && loss < Math.log(3))) throw new Error(`final validation log-loss ${loss} in: ${text}`);
    if (!(epochs.length >= 2 && epochs[epochs.length - 1] < epochs[0])) throw new Error(`validation log-loss by epoch ${epochs} in: ${text}`);
    await page.screenshot({ path: join(OUT, '5b-streamed.png') });
  });

  await step('Inference: a penalized run says why there is no table; "Refit without penalty" trains one with standard errors', async () => {
    const wv = webview();
    await wv.locator('[data-tab="data"]').click();
    // Back to an in-memory run (the stream box is still checked from the previous step).
    await wv.locator('vscode-checkbox#stream').click();
    await wv.locator('vscode-button#train').click();
    await waitForRuns(4);
    await wv.locator('[data-tab="model"]').click();
    const refit = wv.locator('vscode-button#inference-refit');
    await refit.waitFor({ timeout: 20_000 });
    const note = (await wv.locator('[data-plot="inference"] .ll-note').textContent()) ?? '';
    if (!/penalized \(L2, C = 1\)/.test(note)) throw new Error(`inference note: ${note}`);
    await refit.click();
    await waitForRuns(5);
    await wv.locator('[data-tab="model"]').click();
    const table = wv.locator('.ll-inference-table');
    await table.waitFor({ timeout: 20_000 });
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    mark(`inference rows: ${JSON.stringify(rows)}`);
    // blobs.csv: 3 classes, 2 features -> 2 blocks (each class against the first) of intercept + 2 features.
    if (rows.length !== 6 || !rows[0][0].startsWith('(intercept)') || rows[1][1] !== 'B' || rows[3][1] !== 'C') throw new Error(`inference table rows ${JSON.stringify(rows)}`);
    const se = rows.map((r) => Number(r[3].replace('−', '-').replace('e+', 'e')));
    if (!se.every((v) => Number.isFinite(v) && v > 0)) throw new Error(`standard errors ${JSON.stringify(rows.map((r) => r[3]))}`);
    // The blobs are separable (training accuracy 1): without a penalty the estimates diverge, and the
    // panel says so above the table and marks the coefficients, instead of printing them as if fine.
    const flag = (await wv.locator('[data-flag="separation"]').textContent({ timeout: 5_000 })) ?? '';
    if (!/separation/.test(flag) || !rows.every((r) => r[0].endsWith('⚠'))) throw new Error(`separation flag: ${flag}; rows ${JSON.stringify(rows.map((r) => r[0]))}`);
    const bars = await wv.locator('[data-plot="coefficient-intervals-1"] svg g[aria-label="dot"] circle').count();
    if (bars !== 4) throw new Error(`error-bar dots: ${bars}`);
    await wv.locator('.ll-inference').first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '5c-inference.png') });
  });

  await step('Feature engineering: degree-2 features from the settings form; the card lists PolynomialFeatures names and the boundary stays in x1 × x2', async () => {
    const wv = webview();
    await wv.locator('[data-tab="data"]').click();
    await wv.locator('vscode-collapsible#expansion-group').evaluate((c) => { c.open = true; });
    await wv.locator('vscode-checkbox#expansion').click();
    await wv.locator('vscode-button#train').click();
    await waitForRuns(6);
    await wv.locator('[data-tab="model"]').click();
    const card = wv.locator('[data-plot="feature-expansion"]');
    await card.waitFor({ timeout: 20_000 });
    const names = await card.locator('.ll-expansion-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent));
    mark(`expanded features: ${JSON.stringify(names)}`);
    if (JSON.stringify(names) !== JSON.stringify(['x1', 'x2', 'x1^2', 'x1 x2', 'x2^2'])) throw new Error(`expanded features ${JSON.stringify(names)}`);
    const note = (await card.locator('.ll-note').first().textContent()) ?? '';
    if (!/degree-2 polynomial: 2 encoded features -> 5/.test(note) || !/PolynomialFeatures\(degree=2, include_bias=False\)/.test(note)) throw new Error(`expansion note: ${note}`);
    // The boundary is drawn over the two encoded features (the grid goes through the expansion).
    const title = (await wv.locator('[data-plot="decision-boundary"] h3').first().textContent()) ?? '';
    if (!/x1 × x2/.test(title)) throw new Error(`boundary title: ${title}`);
    if (!(await wv.locator('vscode-button#expansion-refit-plain').isVisible())) throw new Error('no "Refit without expansion" button');
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '5d-feature-expansion.png') });
    // Back to the plain features for the steps that follow.
    await wv.locator('[data-tab="data"]').click();
    await wv.locator('vscode-checkbox#expansion').click();
  });

  await step('Perceptron: trained on the same split from the form; accuracy beside the logistic model, its dashed lines on the boundary, no probabilities', async () => {
    const wv = webview();
    // (The Data tab is open and feature expansion unchecked by the step before.)
    await wv.locator('vscode-checkbox#perceptron').click();
    await wv.locator('vscode-button#train').click();
    await waitForRuns(7);
    await wv.locator('[data-tab="model"]').click();
    const card = wv.locator('[data-plot="perceptron"]');
    await card.locator('.ll-perceptron-table').waitFor({ timeout: 20_000 });
    const rows = await card.locator('.ll-perceptron-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    mark(`perceptron rows: ${JSON.stringify(rows)}`);
    if (rows.length !== 3 || rows[0][0] !== 'train' || !rows.every((r) => Number(r[2]) > 0.5 && Number(r[3]) > 0.3 && Number(r[3]) <= 1)) throw new Error(`perceptron table ${JSON.stringify(rows)}`);
    const note = (await card.locator('.ll-note').first().textContent()) ?? '';
    if (!/single point, it has no log-loss and no calibration curve/.test(note)) throw new Error(`perceptron note: ${note}`);
    // Three classes, one-vs-rest: three dashed perceptron lines over the boundary slice.
    const dashed = await wv.locator('[data-plot="decision-boundary"] svg [stroke-dasharray="7 4"]').count();
    if (dashed !== 3) throw new Error(`dashed perceptron lines on the boundary: ${dashed}`);
    await wv.locator('[data-plot="decision-boundary"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '5e-perceptron.png') });
  });

  await step('no Logit Lab entry on notes.txt', async () => {
    await openContextMenu('notes.txt', null);
    await page.screenshot({ path: join(OUT, '6-txt-menu.png') });
    const n = await entry.count();
    await page.keyboard.press('Escape');
    if (n !== 0) throw new Error(`the entry appears ${n} time(s) on a .txt file`);
  });

  // Runs in the same workspace window as the steps above (a second code-server profile for an empty
  // workspace would cost a second server start for one command): the assertions make sure the sample
  // comes from the extension's samples/ folder, not from the workspace (which has no binary.csv).
  await step('F1 "Logit Lab: Open Sample Dataset" opens the bundled Binary sample read-only with its panel', async () => {
    await runCommand('Logit Lab: Open Sample Dataset');
    const labels = await quickPickLabels(4);
    mark(`samples offered: ${labels.join(', ')}`);
    for (const want of ['Three blobs', 'Binary', 'Iris']) if (!labels.includes(want)) throw new Error(`the sample pick lacks "${want}": ${labels.join(', ')}`);
    await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Binary$/ }) }).click();
    // The group whose active tab is the sample file (the panel opens in the group beside it).
    const group = page.locator('.editor-group-container', { has: page.locator('.tab.active .label-name', { hasText: /^binary\.csv$/ }) }).first();
    await group.waitFor({ timeout: 20_000 });
    // The CSV's header is the editor's first line.
    const editor = group.locator('.monaco-editor').first();
    const firstLine = async () => (await editor.locator('.view-line').first().innerText()).replace(/\u00a0/g, ' ').trim();
    for (let i = 0; i < 50 && (await firstLine().catch(() => '')) !== 'x1,x2,label'; i++) await page.waitForTimeout(200);
    const header = await firstLine();
    if (header !== 'x1,x2,label') throw new Error(`first line of the sample editor: "${header}"`);
    // The file lives in the extension (the breadcrumbs show its samples/ folder), not in the workspace.
    const crumbs = (await group.locator('.breadcrumbs-control .monaco-breadcrumb-item').allInnerTexts()).map((t) => t.trim());
    if (!crumbs.includes('samples') || crumbs.at(-1) !== 'binary.csv') throw new Error(`breadcrumbs: ${crumbs.join(' > ')}`);
    if ((await explorerRow('binary.csv').count()) !== 0) throw new Error('binary.csv appeared in the workspace');
    // The panel opens beside it, with the columns inferred and the target guessed.
    await page.locator('.tab', { hasText: 'Logit Lab: binary.csv' }).first().waitFor({ timeout: 20_000 });
    const wv = webview();
    const rows = wv.locator('table.ll-columns tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    const cols = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    mark(`sample columns: ${cols.join(' / ')}`);
    if (cols.length !== 3 || !/^x1 numeric/.test(cols[0]) || !/^x2 numeric/.test(cols[1]) || !/^label\s*target categorical/.test(cols[2])) throw new Error(`columns table: ${cols.join(' / ')}`);
    await page.screenshot({ path: join(OUT, '7-open-sample.png') });
    // Read-only for the session: typing into the sample changes nothing.
    await editor.locator('.view-line').first().click();
    await page.keyboard.type('zz');
    await page.waitForTimeout(300);
    const after = await firstLine();
    if (after !== 'x1,x2,label') throw new Error(`the sample is editable: first line now "${after}"`);
  });

  await step('the threshold slider moves the binary confusion matrix, rates and curve marks', async () => {
    const wv = webview();
    await wv.locator('[data-tab="data"]').click();
    await wv.locator('vscode-button#train').click();
    await waitForRuns(1);
    // Maximize the panel's editor group: a wide panel puts the ROC and PR curves side by side.
    await page.locator('.tab', { hasText: 'Logit Lab: binary.csv' }).first().click();
    await runCommand('View: Toggle Maximize Editor Group');
    await page.waitForTimeout(500);
    await wv.locator('[data-tab="evaluation"]').click();
    const slider = wv.locator('input[type="range"]#threshold');
    await slider.waitFor({ timeout: 20_000 });
    await wv.locator('[data-plot="roc-curve"] svg').waitFor({ timeout: 20_000 });
    const t0 = Number(await slider.inputValue());
    const before = await readConfusion(wv);
    const title0 = await wv.locator('[data-plot="confusion-matrix"] h3').innerText();
    mark(`threshold ${t0}: ${JSON.stringify(before)} (${title0})`);
    if (Math.abs(t0 - 0.5) > 1e-9) throw new Error(`the slider starts at ${t0}, not the model's 0.5`);
    // Move it like a user would with the keyboard: focus, then PageUp steps of 0.1 (Chromium: a tenth of the range).
    await slider.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('PageUp');
    await page.waitForTimeout(300);
    const t1 = Number(await slider.inputValue());
    if (!(t1 >= 0.85 && t1 <= 0.95)) {
      // Fallback if the key step differs: set the value and fire what a drag fires.
      await slider.evaluate((el) => { el.value = '0.9'; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true })); });
    }
    const t = Number(await slider.inputValue());
    await wv.locator('output.ll-threshold-value', { hasText: t.toFixed(3) }).waitFor({ timeout: 5000 });
    await wv.locator('[data-plot="confusion-matrix"] h3', { hasText: `threshold ${t.toFixed(3)}` }).waitFor({ timeout: 5000 });
    const after = await readConfusion(wv);
    mark(`threshold ${t}: ${JSON.stringify(after)}`);
    const total = (c) => c.tn + c.fp + c.fn + c.tp;
    if (total(before) <= 0 || total(after) !== total(before)) throw new Error(`total changed: ${total(before)} -> ${total(after)}`);
    // Rows are the true classes: their totals cannot depend on the threshold.
    if (before.tn + before.fp !== after.tn + after.fp || before.fn + before.tp !== after.fn + after.tp) throw new Error('a true-class row total changed');
    if (JSON.stringify(before) === JSON.stringify(after)) throw new Error('the confusion matrix did not change');
    // A higher threshold predicts the positive class for fewer rows.
    if (!(after.tp + after.fp < before.tp + before.fp)) throw new Error(`predicted positives ${before.tp + before.fp} -> ${after.tp + after.fp} at a higher threshold`);
    // The readout agrees with the drawn cells.
    const recall = Number(await wv.locator('dd[data-metric="recall"]').innerText());
    const want = after.tp / (after.tp + after.fn);
    if (!(Math.abs(recall - want) < 5e-3)) throw new Error(`recall readout ${recall}, cells give ${want}`);
    for (const plot of ['roc-curve', 'pr-curve']) {
      const marks = (await wv.locator(`[data-plot="${plot}"] svg text`, { hasText: /^t = / }).allTextContents()).map((x) => Number(x.slice(4)));
      if (marks.length !== 1 || Math.abs(marks[0] - t) > 1e-9) throw new Error(`the ${plot} marks t = ${marks.join(', ')}, not ${t}`);
    }
    await wv.locator('[data-view="threshold"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '8-threshold.png') });
  });

  await step('replay: scrubbing the run with the keyboard moves the boundary, the misclassified marks and the confusion matrix', async () => {
    const wv = webview();
    await wv.locator('[data-tab="training"]').click();
    const card = wv.locator('[data-view="replay"]');
    await card.locator('canvas').waitFor({ timeout: 20_000 });
    const last = Number(await card.getAttribute('data-step'));
    const state = () => card.evaluate((el) => ({
      step: Number(el.dataset.step),
      status: el.querySelector('.ll-replay-status').textContent,
      label: el.querySelector('canvas').getAttribute('aria-label'),
      conf: [...el.querySelectorAll('table:not(.ll-replay-coef) tbody tr')].map((tr) => [...tr.querySelectorAll('.ll-num')].map((c) => Number(c.textContent))),
      pixels: el.querySelector('canvas').toDataURL().length,
    }));
    const end = await state();
    await wv.locator('#replay-step').focus();
    await page.keyboard.press('Home');
    await card.locator('.ll-replay-status', { hasText: 'Iteration 0' }).waitFor({ timeout: 5000 });
    const start = await state();
    mark(`replay: step ${end.step} ${JSON.stringify(end.conf)} -> step 0 ${JSON.stringify(start.conf)}`);
    if (!(last >= 2 && end.step === last)) throw new Error(`the replay starts at step ${end.step}, not the last iteration ${last}`);
    // At θ = 0 every probability is 1/2: every sampled training row gets the same prediction (which
    // one depends on the threshold the previous step left), so one predicted column is empty.
    if (!start.conf.some((_, c) => start.conf.every((row) => row[c] === 0))) throw new Error(`the rows are not all predicted alike at the start: ${JSON.stringify(start.conf)}`);
    if (JSON.stringify(start.conf) === JSON.stringify(end.conf)) throw new Error('the confusion matrix did not follow the scrubber');
    if (start.label === end.label) throw new Error('the misclassified count did not change');
    await page.keyboard.press('ArrowRight');
    await card.locator('.ll-replay-status', { hasText: 'Iteration 1 of' }).waitFor({ timeout: 5000 });
    await page.keyboard.press('End');
    await card.locator('.ll-replay-status', { hasText: `Iteration ${last} of ${last}` }).waitFor({ timeout: 5000 });
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '8b-replay.png') });
  });

  await step('Compare solvers: eight solvers (Newton-Cholesky on this binary problem) fitted in the worker, the gap plot and the passes table', async () => {
    const wv = webview();
    await wv.locator('#compare-solvers').click();
    const rows = wv.locator('.ll-compare-table tbody tr');
    const deadline = Date.now() + 180_000;
    while ((await rows.count()) < 8 && Date.now() < deadline) await page.waitForTimeout(300);
    const table = await wv.locator('.ll-compare-table').evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)));
    mark(`compare: ${table.map((r) => `${r[0]}: ${r[1]} passes`).join('; ')}`);
    if (table.length !== 8) throw new Error(`${table.length} solvers in the table`);
    if (!table.some((r) => r[0] === 'Newton-Cholesky')) throw new Error(`no Newton-Cholesky row: ${table.map((r) => r[0]).join(', ')}`);
    const passes = (name) => {
      const r = table.find((x) => x[0].startsWith(name));
      return r && r[1] !== 'not reached' ? Number(r[1]) : Infinity;
    };
    if (!(passes('Newton') < passes('batch gradient descent') && passes('L-BFGS') < passes('batch gradient descent'))) throw new Error('Newton and L-BFGS should need fewer passes than gradient descent');
    await wv.locator('[data-view="compare"] svg').first().waitFor({ timeout: 10_000 });
    await wv.locator('[data-view="compare"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '8c-compare.png') });
  });

  await step('the loss landscape on request: the worker computes it; the slider re-runs gradient descent live until it diverges, and the panel says so', async () => {
    const wv = webview();
    await wv.locator('#show-landscape').click();
    const verdict = wv.locator('[data-lr-verdict]');
    await verdict.waitFor({ timeout: 60_000 });
    const sampleNote = await wv.locator('[data-view="landscape"]').innerText();
    if (!/Computed on (all|a sample of)/.test(sampleNote)) throw new Error(`the plot does not say which rows: ${sampleNote.slice(0, 200)}`);
    /** Moves the slider with a key and waits for the worker's answer (the verdict's data-diverged comes back). */
    const move = async (key) => {
      await wv.locator('#lr-slider').focus();
      await page.keyboard.press(key);
      await wv.locator('[data-lr-verdict][data-diverged]').waitFor({ timeout: 30_000 });
      return verdict.getAttribute('data-diverged');
    };
    if ((await move('Home')) !== 'false') throw new Error('gradient descent diverges at the smallest rate');
    const momentum = await wv.locator('[data-momentum-verdict]').innerText();
    let steps = 0;
    while ((await verdict.getAttribute('data-diverged')) !== 'true' && steps < 60) {
      await move('PageUp');
      steps++;
    }
    const text = await verdict.innerText();
    mark(`landscape: diverged after ${steps} PageUp moves: ${text.slice(0, 90)}; momentum at the smallest rate: ${momentum.slice(0, 60)}`);
    if (!text.includes('Gradient descent diverges')) throw new Error(`the panel does not say GD diverges: ${text}`);
    await wv.locator('[data-view="landscape"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '8d-landscape.png') });
  });

  await step('the loss landscape over two chosen coefficients (the others at the optimum), and the coefficient slice', async () => {
    const wv = webview();
    await wv.locator('#landscape-directions').evaluate((s) => {
      s.value = 'coefficients';
      s.dispatchEvent(new Event('change'));
    });
    await wv.locator('[data-landscape-mode="coefficients"] #landscape-coef-a').waitFor({ timeout: 60_000 });
    const note = await wv.locator('[data-view="landscape"] .ll-note').first().innerText();
    if (!note.includes('every other coefficient stays at its fitted value')) throw new Error(`not the coefficients plane: ${note.slice(0, 160)}`);
    await wv.locator('[data-view="coefficient-slice"] svg').waitFor({ timeout: 10_000 });
    mark(`landscape: two chosen coefficients; slice: ${(await wv.locator('[data-slice-note]').innerText()).slice(0, 80)}`);
    await page.screenshot({ path: join(OUT, '8e-landscape-coefficients.png') });
    // Back to the Evaluation tab, where the next step reads the ROC curve's colours.
    await wv.locator('[data-tab="evaluation"]').click();
    await wv.locator('[data-plot="roc-curve"] svg').waitFor({ timeout: 20_000 });
  });

  await step('Imbalance: costs give a threshold marked on ROC and PR and applied to the confusion matrix; class weights balanced vs none side by side', async () => {
    const wv = webview();
    await wv.locator('[data-tab="evaluation"]').click();
    const card = wv.locator('[data-plot="imbalance"]');
    await card.waitFor({ timeout: 20_000 });
    const before = await readConfusion(wv);
    await card.locator('#cost-fp').evaluate((t) => { t.value = '1'; });
    await card.locator('#cost-fn').evaluate((t) => { t.value = '10'; });
    await card.locator('vscode-button#cost-apply').click();
    const t = Number(await card.locator('.ll-cost-result .ll-note').getAttribute('data-threshold'));
    mark(`cost threshold (FP 1, FN 10): ${t}`);
    // A false negative ten times as costly: the threshold drops well below 0.5.
    if (!(t > 0 && t < 0.5)) throw new Error(`cost threshold ${t}`);
    for (const kind of ['roc', 'pr']) {
      const dots = await card.locator(`[data-plot="cost-${kind}"] svg g[aria-label="dot"] circle`).count();
      if (dots !== 2) throw new Error(`${kind}: ${dots} marked points (want the cost threshold and 0.5)`);
    }
    await card.locator('vscode-button#cost-use').click();
    const after = await readConfusion(wv);
    mark(`confusion at 0.5 ${JSON.stringify(before)}, at the cost threshold ${JSON.stringify(after)}`);
    if (!(after.fn <= before.fn && after.tp >= before.tp && after.fp >= before.fp) || JSON.stringify(after) === JSON.stringify(before)) throw new Error(`confusion did not follow: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    await page.screenshot({ path: join(OUT, '8e-imbalance.png') });
    await wv.locator('vscode-button#class-weight-compare').click();
    await waitForRuns(2);
    await wv.locator('[data-tab="evaluation"]').click();
    const rows = await wv.locator('.ll-class-weight-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    mark(`class weights: ${JSON.stringify(rows)}`);
    if (rows.length !== 6 || rows[0][0] !== 'PR AUC' || !rows.every((r) => Number.isFinite(Number(r[1])) && Number.isFinite(Number(r[2])))) throw new Error(`class-weight table ${JSON.stringify(rows)}`);
  });

  await step('Model selection: L1 cross-validation of C in the worker (progress, curve, path), "Use this C" trains a run with it', async () => {
    const wv = webview();
    const runsBefore = await runOptions().count();
    await wv.locator('[data-tab="selection"]').click();
    const run = wv.locator('vscode-button#cv-run');
    await run.waitFor({ timeout: 20_000 });
    await wv.locator('#cv-penalty').evaluate((s) => {
      s.value = 'l1';
      s.dispatchEvent(new Event('change'));
    });
    await run.click();
    // The job's progress (or, on a fast machine, already its result).
    await wv.locator('#cv-progress, [data-plot="validation-curve"]').first().waitFor({ timeout: 60_000 });
    const curve = wv.locator('[data-plot="validation-curve"] svg');
    await curve.waitFor({ timeout: 180_000 });
    const chosen = Number(await wv.locator('[data-chosen-c]').getAttribute('data-chosen-c'));
    const entering = (await wv.locator('[data-plot="regularization-path"]').getAttribute('data-entering')) ?? '';
    const lines = await wv.locator('[data-plot="regularization-path"] svg g[aria-label="line"] path').count();
    const rows = await wv.locator('.ll-cv-table tbody tr').count();
    mark(`model selection: C = ${chosen}, entering ${entering}, ${lines} path lines, ${rows} grid rows`);
    if (!(chosen > 0) || rows !== 10 || lines !== 2 || entering.split('|').filter(Boolean).length !== 2) throw new Error(`model selection: C ${chosen}, ${rows} rows, ${lines} lines, entering "${entering}"`);
    await page.screenshot({ path: join(OUT, '8e-model-selection.png') });
    await wv.locator('vscode-button#cv-use-c').click();
    await waitForRuns(runsBefore + 1, 120_000);
    const label = (await runOptions().first().textContent()) ?? ''; // newest first
    mark(`Use this C trained: ${label}`);
    if (!label.includes(`L1 C=${chosen}`)) throw new Error(`the new run is not L1 at C = ${chosen}: ${label}`);
    // Back to the Evaluation tab, where the next step reads the ROC curve's colours.
    await wv.locator('[data-tab="evaluation"]').click();
    await wv.locator('[data-plot="roc-curve"] svg').waitFor({ timeout: 20_000 });
  });

  await step('Dark High Contrast reaches the model panel (webview body class, colours) and back', async () => {
    // (The web workbench's default theme follows the browser: headless chromium gets Light Modern.)
    const wv = webview();
    const bodyState = () => wv.locator('body').evaluate((b) => ({
      cls: [...b.classList].join(' '),
      bg: getComputedStyle(b).getPropertyValue('--vscode-editor-background').trim().toLowerCase(),
      auc: getComputedStyle(document.querySelector('[data-plot="roc-curve"] .ll-auc text') ?? b).fill,
    }));
    const before = await bodyState();
    mark(`theme before: ${JSON.stringify(before)}`);
    if (before.cls.includes('vscode-high-contrast')) throw new Error(`already high contrast: ${before.cls}`);
    /** Picks a colour theme in "Preferences: Color Theme"; returns the one that was current (the picker's focused row). */
    const setTheme = async (label) => {
      await runCommand('Preferences: Color Theme');
      const current = page.locator('.quick-input-list .monaco-list-row.focused .label-name').first();
      await current.waitFor({ timeout: 10_000 });
      const previous = (await current.innerText()).trim();
      const input = page.locator('.quick-input-widget input');
      await input.fill(label);
      const row = page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      return previous;
    };
    const original = await setTheme('Dark High Contrast');
    mark(`theme was "${original}"`);
    if (original === 'Dark High Contrast') throw new Error('could not read the current theme');
    await page.waitForFunction(() => document.querySelector('.monaco-workbench')?.classList.contains('hc-black'), null, { timeout: 10_000 });
    let hc;
    for (let i = 0; i < 50; i++) {
      hc = await bodyState();
      if (hc.cls.includes('vscode-high-contrast') && hc.auc !== before.auc) break;
      await page.waitForTimeout(200);
    }
    mark(`theme high contrast: ${JSON.stringify(hc)}`);
    if (!hc.cls.split(' ').includes('vscode-high-contrast')) throw new Error(`webview body class: ${hc.cls}`);
    if (hc.bg !== '#000000') throw new Error(`editor background in the webview: ${hc.bg}`);
    if (hc.auc === before.auc) throw new Error(`the plots kept their colours (${hc.auc}) after the theme switch`);
    const buttonColours = await wv.locator('vscode-button#export-model').evaluate((b) => {
      const inner = b.shadowRoot?.querySelector('button, .root, [part]') ?? b;
      const cs = getComputedStyle(inner);
      const host = getComputedStyle(b);
      return { fg: cs.color, bg: cs.backgroundColor, border: cs.borderColor, hostFg: host.color, hostBg: host.backgroundColor, opacity: host.opacity, inner: inner.tagName + '.' + inner.className, disabled: b.hasAttribute('disabled') };
    });
    mark(`high contrast secondary button: ${JSON.stringify(buttonColours)}`);
    // WCAG contrast of the secondary button's text on its background: at least 4.5 (AA).
    const luminance = (css) => {
      const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [l1, l2] = [luminance(buttonColours.fg), luminance(buttonColours.bg)].sort((a, b) => b - a);
    const contrast = (l1 + 0.05) / (l2 + 0.05);
    if (!(contrast >= 4.5)) throw new Error(`secondary button contrast ${contrast.toFixed(2)} (${buttonColours.fg} on ${buttonColours.bg})`);
    await page.screenshot({ path: join(OUT, 'hc-panel.png') });
    await setTheme(original);
    await page.waitForFunction(() => !document.querySelector('.monaco-workbench')?.classList.contains('hc-black'), null, { timeout: 10_000 });
    let back;
    for (let i = 0; i < 50; i++) {
      back = await bodyState();
      if (!back.cls.includes('vscode-high-contrast')) break;
      await page.waitForTimeout(200);
    }
    if (back.cls.includes('vscode-high-contrast') || back.bg !== before.bg) throw new Error(`not switched back: ${JSON.stringify(back)}`);
  });

  /** Opens `name` from the Explorer ("Train Logistic Regression"), waits for its first run, returns the panel's frame. */
  async function trainFromExplorer(name) {
    // The menu item sometimes misses a click while the menu settles: retry until the panel's tab opens.
    const tab = page.locator('.tab', { hasText: `Logit Lab: ${name}` }).first();
    for (let attempt = 0; attempt < 3 && !(await tab.isVisible().catch(() => false)); attempt++) {
      await openContextMenu(name, entry);
      await page.waitForTimeout(300);
      await entry.click();
      await tab.waitFor({ timeout: 10_000 }).catch(() => page.keyboard.press('Escape'));
    }
    await tab.waitFor({ timeout: 30_000 });
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      // Until the run ends the panel has no run selector: keep waiting up to the deadline.
      const wv = await webviewWith('#run-select', 30_000).catch(() => null);
      if (!wv) continue;
      if ((await wv.locator('.ll-header').textContent().catch(() => '')).includes(name) && (await wv.locator('#run-select vscode-option').count()) >= 1) return wv;
      await page.waitForTimeout(300);
    }
    throw new Error(`no run of ${name} appeared`);
  }
  /** The decision-boundary card's facts on the Model tab. */
  async function boundaryFacts(wv) {
    await wv.locator('[data-tab="model"]').click();
    const card = wv.locator('[data-plot="decision-boundary"]');
    await card.locator('svg').first().waitFor({ timeout: 30_000 });
    return card.evaluate((c) => ({
      view: c.dataset.view,
      regions: c.dataset.regions,
      agreement: Number(c.dataset.agreement),
      misclassified: Number(c.dataset.misclassified),
      // The points are pixels on the card's point layer (webview/panel/views/pointLayer.ts), counted by its drawing code.
      crosses: c.querySelector('svg canvas.ll-point-layer') ? Number(c.dataset.crossesDrawn) : -1,
      note: c.querySelector('.ll-note')?.textContent ?? '',
      scroll: document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth,
    }));
  }

  await step('mixed-type table (pbc.csv): target died, the patient id unchecked and ignored, both classes in the boundary', async () => {
    const wv = await trainFromExplorer('pbc.csv');
    await wv.locator('[data-tab="data"]').click();
    const target = await wv.locator('#target').evaluate((s) => s.value);
    if (target !== 'died') throw new Error(`target ${target}`);
    const patient = await wv.locator('vscode-checkbox[data-feature="patient"]').evaluate((c) => ({ checked: c.checked, disabled: c.hasAttribute('disabled'), note: c.parentElement.textContent }));
    if (patient.checked || !patient.disabled || !patient.note.includes('ignored: identifier-like')) throw new Error(`patient: ${JSON.stringify(patient)}`);
    await page.screenshot({ path: join(OUT, '12-mixed-data.png') });
    const f = await boundaryFacts(wv);
    mark(`pbc boundary: ${JSON.stringify({ ...f, note: f.note.slice(0, 120) })}`);
    if (f.view !== 'model' || f.regions !== '0,1' || f.misclassified !== f.crosses || f.scroll > 0) throw new Error(`boundary ${JSON.stringify(f)}`);
  });

  for (const [name, K] of [['wine.csv', 3], ['digits.csv', 10]]) {
    await step(`${name}: every one of the ${K} classes has a region in the default boundary view, and the crosses are the misclassified points; the Evaluation tab gets the one-vs-rest curves from the host`, async () => {
      const wv = await trainFromExplorer(name);
      const f = await boundaryFacts(wv);
      mark(`${name} boundary: ${JSON.stringify({ ...f, note: f.note.slice(0, 120) })}`);
      const all = Array.from({ length: K }, (_, k) => k).join(',');
      if (f.view !== 'model' || f.regions !== all) throw new Error(`regions ${f.regions} (view ${f.view})`);
      if (f.misclassified !== f.crosses || !(f.agreement >= 0.95)) throw new Error(`marks ${JSON.stringify(f)}`);
      if (f.scroll > 0) throw new Error(`the panel scrolls sideways by ${f.scroll}px`);
      await wv.locator('[data-plot="decision-boundary"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, `13-boundary-${name.replace('.csv', '')}.png`) });
      // The posted run has no per-class curves (issue 20): the Evaluation tab asks the host for them.
      await wv.locator('[data-tab="evaluation"]').click();
      await wv.locator('[data-plot="roc-curves"] svg').waitFor({ timeout: 20_000 });
      const lines = await wv.locator('[data-plot="roc-curves"] g[aria-label="line"]').last().locator('path').count();
      mark(`${name} one-vs-rest ROC lines: ${lines}`);
      if (lines !== K) throw new Error(`one-vs-rest ROC lines: ${lines}, not ${K}`);
    });
  }

  await step('a big file (1,500,000 rows): the first run streams its loss curve before it ends, and the Data tab shows the exact row count', async () => {
    await runCommand('View: Close All Editor Groups');
    // The menu item sometimes misses a click while the menu settles (as in trainFromExplorer): retry until the panel's tab opens.
    const tab = page.locator('.tab', { hasText: 'Logit Lab: big.csv' }).first();
    for (let attempt = 0; attempt < 3 && !(await tab.isVisible().catch(() => false)); attempt++) {
      await openContextMenu('big.csv', entry);
      await page.waitForTimeout(300);
      await entry.click();
      await tab.waitFor({ timeout: 10_000 }).catch(() => page.keyboard.press('Escape'));
    }
    // The live curve of the run that starts as the panel opens, while that run is still going. Its fit
    // can last a few hundred milliseconds, less than one poll of the frames: a MutationObserver in the
    // webview, installed as soon as its document is there (before the bundle renders), records the
    // first moment the live curve is drawn, with the run history's size at that moment.
    const wv = await webviewWith('#app', 60_000);
    await wv.locator('body').evaluate(() => {
      const w = /** @type {any} */ (globalThis);
      if (w.__llLive) return;
      const seen = (w.__llLive = { status: null, runs: null });
      const check = () => {
        if (seen.status !== null || !document.querySelector('[data-view="live-training"] [data-plot="loss-curves"] svg')) return;
        seen.status = document.querySelector('[data-view="live-training"] .ll-live-status')?.textContent ?? '';
        seen.runs = document.querySelectorAll('#run-select vscode-option').length;
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
      check();
    });
    const finishBy = Date.now() + 180_000;
    while ((await wv.locator('#run-select vscode-option').count()) < 1 && Date.now() < finishBy) await page.waitForTimeout(250);
    if ((await wv.locator('#run-select vscode-option').count()) < 1) throw new Error('the big run did not finish within 3 minutes');
    const seen = await wv.locator('body').evaluate(() => {
      // The webview's own marks (app.ts markOnce): when a message first arrived and was handled.
      const at = (name) => performance.getEntriesByName(`logit-lab:${name}`)[0]?.startTime ?? null;
      return { .../** @type {any} */ (globalThis).__llLive, progress: at('didUpdateProgress handled'), finish: at('didFinishTraining') };
    });
    if (seen.status === null) throw new Error('the first run finished without drawing its live loss curve');
    // Drawn while the run was going: the live progress was handled before the run's end reached the
    // webview (the observer may see the curve and the run's history in one batch of changes).
    if (seen.progress === null || seen.finish === null || !(seen.progress < seen.finish)) throw new Error(`the live curve came after the run's end (progress handled at ${seen.progress} ms, finish at ${seen.finish} ms; ${seen.runs} runs when drawn)`);
    mark(`live: ${seen.status.replace(/\s+/g, ' ')} (progress handled at ${Math.round(seen.progress)} ms, the run's end at ${Math.round(seen.finish)} ms)`);
    // After loading, the Data tab has the whole file's counts: a panel opened with a run does not
    // count the rows beside it (issue 20's speed), the run's parse counts them (its report), which
    // replaces the first MB's estimate; a panel opened without a run counts them (rowCensus.ts).
    await wv.locator('[data-tab="data"]').click();
    const rows = wv.locator('.ll-rows');
    await rows.waitFor({ timeout: 20_000 });
    const text = (await rows.innerText()).trim();
    const estimate = await rows.evaluate((e) => e.classList.contains('ll-estimate'));
    if (!/^1,500,000( \(counted by run #1\))?$/.test(text) || estimate) throw new Error(`rows after loading: "${text}"${estimate ? ' (an estimate)' : ''}`);
    const note = await wv.locator('.ll-balance-note').innerText();
    if (!/of all 1,500,000 labelled rows \((counted over the whole file|run #1)\)/.test(note)) throw new Error(`class balance note: ${note}`);
    // After the run, the column table is the run's (typed over every row), not the preview's sample's.
    const columnsNote = await wv.locator('.ll-columns-note').innerText();
    if (!/of all 1,500,000 rows \(run #1\)/.test(columnsNote)) throw new Error(`columns note: ${columnsNote}`);
    await page.screenshot({ path: join(OUT, '9-big-data.png') });
    await runCommand('View: Close All Editor Groups');
  });

  await step('no console warnings from the webviews (codicons.css included)', async () => {
    if (webviewWarnings.length) throw new Error(`${webviewWarnings.length} warnings: ${webviewWarnings.join(' | ')}`);
  });

  await step('CodeLens "Check gradient" on homework.md: checker verdicts in KaTeX, a wrong gradient is a diagnostic', async () => {
    await openFromExplorer('homework.md');
    const lenses = page.locator('.editor-group-container.active .codelens-decoration a');
    const deadline = Date.now() + 30_000;
    while ((await lenses.count()) < 2 && Date.now() < deadline) await page.waitForTimeout(200);
    const titles0 = (await lenses.allInnerTexts()).map((t) => t.trim());
    if (titles0.length !== 2 || titles0.some((t) => t !== 'Check gradient')) throw new Error(`CodeLenses: ${JSON.stringify(titles0)}`);

    // The first block is right.
    await lenses.nth(0).click();
    let wv = await webviewWith('.verdict');
    await wv.locator('.report[data-verdict="pass"]').waitFor({ timeout: 20_000 });
    const ok = (await wv.locator('.verdict').innerText()).trim();
    if (ok !== '✓ Gradient correct') throw new Error(`verdict of the first block: "${ok}"`);
    await page.locator('.tab', { hasText: 'Gradient checker' }).first().waitFor({ timeout: 10_000 });
    await page.locator('.editor-group-container .codelens-decoration a', { hasText: '✓ gradient correct' }).first().waitFor({ timeout: 10_000 });

    // The second forgot the 1/n: the claimed gradient is 3 times the true one (n = 3).
    await page.locator('.editor-group-container .codelens-decoration a', { hasText: /^Check gradient$/ }).first().click();
    wv = await webviewWith('.report[data-verdict="fail"]');
    const verdict = (await wv.locator('.verdict').innerText()).trim();
    const diagnosis = (await wv.locator('.diagnosis').first().innerText()).trim();
    const katex = await wv.locator('.katex').count();
    const wrongRows = await wv.locator('table.components tr.band-wrong').count();
    mark(`checker: ${verdict} / ${diagnosis} / ${katex} KaTeX nodes / ${wrongRows} wrong components`);
    if (verdict !== '✗ Gradient wrong') throw new Error(`verdict of the second block: "${verdict}"`);
    if (!/\b3×/.test(diagnosis) || !/1\/n/.test(diagnosis)) throw new Error(`diagnosis: "${diagnosis}"`);
    if (katex < 2) throw new Error(`${katex} KaTeX nodes (want the loss and the gradient)`);
    if (wrongRows !== 2) throw new Error(`${wrongRows} wrong components (want both of w)`);
    // Both lenses now carry their block's verdict. (The lens states the correcting factor, 1/3 = 0.333;
    // either reading is accepted.)
    const wrongLens = /^✗ gradient wrong: missing factor 1\/3$/;
    await page.locator('.editor-group-container .codelens-decoration a', { hasText: wrongLens }).first().waitFor({ timeout: 10_000 })
      .catch(async () => { throw new Error(`CodeLenses after the checks: ${JSON.stringify(await page.locator('.codelens-decoration a').allInnerTexts())}`); });
    const lensTitles = (await page.locator('.editor-group-container .codelens-decoration a').allInnerTexts()).map((t) => t.trim());
    if (lensTitles.length !== 2 || lensTitles[0] !== '✓ gradient correct' || !wrongLens.test(lensTitles[1])) throw new Error(`CodeLenses after the checks: ${JSON.stringify(lensTitles)}`);
    await wv.locator('.report').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, '9-gradcheck.png') });

    // The diagnostic: a squiggle on the grad line of the second block, and a row in Problems.
    await page.locator('.editor-group-container .monaco-editor .squiggly-error, .editor-group-container .monaco-editor .squiggly-warning').first().waitFor({ state: 'attached', timeout: 10_000 });
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel .monaco-list-row');
    await problems.first().waitFor({ timeout: 10_000 });
    const texts = (await problems.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    mark(`problems: ${texts.join(' | ')}`);
    const fileRows = texts.filter((t) => t.includes('homework.md'));
    const diagRows = texts.filter((t) => t.includes('Logit Lab gradcheck'));
    if (fileRows.length !== 1 || diagRows.length !== 1) throw new Error(`Problems rows: ${texts.join(' | ')}`);
    // On line 22 (the second block's grad line), not on the first block's.
    if (!/\[Ln 22, Col \d+\]/.test(diagRows[0])) throw new Error(`diagnostic position: ${diagRows[0]}`);
    await page.screenshot({ path: join(OUT, '9b-gradcheck-problems.png') });
  });
  await step('Python: CodeLens on the "# %% gradcheck" cells of homework_numpy.py, verdicts and the checker panel', async () => {
    await openFromExplorer('homework_numpy.py');
    const lenses = page.locator('.editor-group-container.active .codelens-decoration a');
    const deadline = Date.now() + 30_000;
    while ((await lenses.count()) < 2 && Date.now() < deadline) await page.waitForTimeout(200);
    const titles0 = (await lenses.allInnerTexts()).map((t) => t.trim());
    if (titles0.length !== 2 || titles0.some((t) => t !== 'Check gradient')) throw new Error(`CodeLenses: ${JSON.stringify(titles0)}`);
    await lenses.nth(0).click();
    // One run checks every cell of the file: both lenses get their verdict.
    const wrong = page.locator('.editor-group-container .codelens-decoration a', { hasText: '✗ gradient wrong: missing factor 2' });
    await wrong.first().waitFor({ timeout: 60_000 })
      .catch(async () => { throw new Error(`CodeLenses after the check: ${JSON.stringify(await page.locator('.codelens-decoration a').allInnerTexts())}`); });
    const titles = (await page.locator('.editor-group-container .codelens-decoration a').allInnerTexts()).map((t) => t.trim());
    if (titles[0] !== '✓ gradient correct') throw new Error(`CodeLenses after the check: ${JSON.stringify(titles)}`);
    const wv = await webviewWith('.report[data-verdict="fail"]');
    const verdict = (await wv.locator('.verdict').innerText()).trim();
    const diagnosis = (await wv.locator('.diagnosis').first().innerText()).trim();
    mark(`python checker: ${verdict} / ${diagnosis}`);
    if (verdict !== '✗ Gradient wrong' || !/a factor 2 is missing/.test(diagnosis)) throw new Error(`checker: "${verdict}" / "${diagnosis}"`);
    await page.locator('.editor-group-container .monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 10_000 });
    await page.screenshot({ path: join(OUT, '10-python-gradcheck.png') });
  });

  await step('Python: the "Check gradient" item in the status bar of a notebook cell (built-in notebook editor)', async () => {
    await openFromExplorer('homework_numpy.ipynb', { dblclick: true });
    // The notebook renders only the cells in view: close the bottom panel (Problems, from the step
    // before) and scroll down to the two # gradcheck cells.
    if (await page.locator('.part.panel').first().isVisible().catch(() => false)) await page.keyboard.press('Control+J');
    const items = page.locator('.notebook-editor .cell-status-item', { hasText: 'Check gradient' });
    const deadline = Date.now() + 30_000;
    while ((await items.count()) < 2 && Date.now() < deadline) {
      await page.mouse.move(900, 450); // over the notebook's cells
      await page.mouse.wheel(0, 300);
      await page.waitForTimeout(300);
    }
    if ((await items.count()) !== 2) {
      await page.screenshot({ path: join(OUT, '11-notebook-failure.png') });
      throw new Error(`cell status items: ${JSON.stringify(await page.locator('.notebook-editor .cell-status-item').allInnerTexts())}`);
    }
    await items.first().click();
    const wrong = page.locator('.notebook-editor .cell-status-item', { hasText: '✗ gradient wrong: sign error' });
    await wrong.first().waitFor({ timeout: 60_000 })
      .catch(async () => { throw new Error(`cell status items after the check: ${JSON.stringify(await page.locator('.notebook-editor .cell-status-item').allInnerTexts())}`); });
    const right = await page.locator('.notebook-editor .cell-status-item', { hasText: '✓ gradient correct' }).count();
    if (right !== 1) throw new Error(`${right} cells read "✓ gradient correct"`);
    const wv = await webviewWith('.report[data-verdict="fail"]');
    const diagnosis = (await wv.locator('.diagnosis').first().innerText()).trim();
    if (!/wrong sign/.test(diagnosis)) throw new Error(`diagnosis: "${diagnosis}"`);
    await page.screenshot({ path: join(OUT, '11-notebook-gradcheck.png') });
  });
} catch {
  // reported by step()
} finally {
  await browser.close();
}
const STEPS = 29; // steps after a failed one did not run: they count as failed
const passed = results.filter((r) => r.ok).length;
const failed = STEPS - passed;
console.log(`ui test: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
