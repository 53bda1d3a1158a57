// Browser test of the gradient checker webview: the real webview bundle (webview/gradcheck/main.ts,
// bundled with the build script's webview options) in headless Debian Chromium, served from a tiny
// HTTP server on 127.0.0.1 under the same HTML and CSP as the real panel (checkerDocument.ts). A
// harness script (gradcheck-harness.mjs, bundled with the real engine) plays the host.
//
// Usage: node test/browser/gradcheck.mjs [--headed]
// Screenshots: test-results/gradcheck/*.png. Last line: "N passed, M failed"; exit code 1 on failure.
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendFile, testRunner } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'test-results', 'gradcheck');
const site = join(out, 'site');
const headed = process.argv.includes('--headed');

// ---- build ---------------------------------------------------------------------------------------

rmSync(site, { recursive: true, force: true });
mkdirSync(join(site, 'media', 'dist'), { recursive: true });
const common = { bundle: true, absWorkingDir: root, logLevel: 'warning', legalComments: 'none', target: 'es2022' };
await esbuild.build({
  ...common,
  entryPoints: ['webview/gradcheck/main.ts'],
  outfile: join(site, 'media', 'dist', 'gradcheck.js'),
  platform: 'browser',
  format: 'iife',
  sourcemap: 'linked',
  loader: { '.woff2': 'file', '.woff': 'empty', '.ttf': 'empty' },
  assetNames: 'fonts/[name]',
});
copyFileSync(join(root, 'media', 'gradcheck.css'), join(site, 'media', 'gradcheck.css'));
await esbuild.build({ ...common, entryPoints: ['test/browser/gradcheck-harness.mjs'], outfile: join(site, 'harness.js'), platform: 'browser', format: 'iife' });
await esbuild.build({ ...common, entryPoints: ['src/host/gradcheck/checkerDocument.ts'], outfile: join(out, 'checkerDocument.cjs'), platform: 'node', format: 'cjs' });
await esbuild.build({ ...common, entryPoints: ['src/core/gradcheck/index.ts'], outfile: join(out, 'engine.cjs'), platform: 'node', format: 'cjs' });
const require = createRequire(import.meta.url);
const { checkerDocument } = require(join(out, 'checkerDocument.cjs'));
const { gallery } = require(join(out, 'engine.cjs'));

// ---- server --------------------------------------------------------------------------------------

let html = '';
let localizedHtml = '';
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path === '/favicon.ico') {
    // Chromium asks for it on its own; a webview would not.
    res.writeHead(204);
    res.end();
    return;
  }
  if (path === '/' || path === '/index.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
    return;
  }
  if (path === '/localized.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(localizedHtml);
    return;
  }
  sendFile(res, normalize(join(site, path)), site);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const nonce = randomBytes(18).toString('base64');
html = checkerDocument({
  cspSource: origin,
  nonce,
  scriptUri: `${origin}/media/dist/gradcheck.js`,
  styleUris: [`${origin}/media/dist/gradcheck.css`, `${origin}/media/gradcheck.css`],
}).replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/harness.js"></script>\n<script nonce=`);
// The same document with a pseudo-localized bundle (every message of l10n/bundle.l10n.json as ⟦…⟧)
// and a few German ones, as the host passes vscode.l10n.bundle.
const pseudo = Object.fromEntries(Object.entries(JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8'))).map(([k, v]) => [k, `⟦${v}⟧`]));
Object.assign(pseudo, { Check: 'Prüfen', 'Gradient wrong': 'Gradient falsch', 'Gradient with respect to {0}': 'Gradient nach {0}' });
localizedHtml = checkerDocument({
  cspSource: origin,
  nonce,
  scriptUri: `${origin}/media/dist/gradcheck.js`,
  styleUris: [`${origin}/media/dist/gradcheck.css`, `${origin}/media/gradcheck.css`],
  l10n: pseudo,
  lang: 'de',
}).replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/harness.js"></script>\n<script nonce=`);

// ---- browser -------------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: !headed,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
const page = await context.newPage();
const pageErrors = [];
const failedRequests = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('console', (m) => {
  if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
});
page.on('response', (r) => {
  if (r.status() >= 400) failedRequests.push(`${r.status()} ${r.url()}`);
});

const { test, finish } = testRunner();
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
const shot = (name) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
const posted = () => page.evaluate(() => window.__posted);
const editorText = () => page.evaluate(() => document.getElementById('editor').value);
async function setEditor(text) {
  await page.locator('#editor textarea').fill(text);
}
async function check() {
  const before = (await posted()).filter((m) => m.type === 'runCheck').length;
  await page.locator('#check').click();
  await page.waitForFunction((n) => window.__posted.filter((m) => m.type === 'runCheck').length > n, before);
  await page.waitForFunction(() => document.querySelector('#check')?.textContent === 'Check' && document.querySelector('#result .report'));
}
async function pick(id) {
  const item = gallery.find((g) => g.id === id);
  await page.locator('#gallery').click();
  await page.locator('#gallery').getByRole('option', { name: item.title, exact: true }).click();
  await page.waitForFunction((src) => document.getElementById('editor').value === src, item.source, { timeout: 5000 });
}

console.log(`gradcheck webview at ${origin}`);
await page.goto(origin + '/');

await test('the webview posts ready and shows the engine gallery in the picker', async () => {
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  await page.waitForFunction((n) => document.querySelectorAll('#gallery vscode-option').length === n + 1, gallery.length, { timeout: 5000 });
  const titles = await page.$$eval('#gallery vscode-option', (os) => os.map((o) => o.textContent));
  for (const g of gallery) assert(titles.includes(g.title), `missing gallery item ${g.title}`);
  assert(gallery.length >= 8, `gallery has ${gallery.length} items`);
});

await test('the empty panel explains what to do', async () => {
  const text = await page.textContent('#result');
  assert(/press Check/i.test(text ?? ''), `result placeholder: ${text}`);
  await shot('01-empty');
});

await test('picking a gallery example loads it into the editor and the preview typesets it', async () => {
  await pick('bce-dataset');
  await page.waitForSelector('#preview .katex');
  const roles = await page.$$eval('#preview .preview-line', (ls) => ls.map((l) => l.className));
  assert(roles.some((c) => c.includes('role-loss')) && roles.some((c) => c.includes('role-grad')), `preview roles: ${roles}`);
  const gradTex = await page.$eval('#preview .role-grad annotation', (a) => a.textContent);
  assert(gradTex.includes('^{\\top}'), `transpose not shown as \\top: ${gradTex}`);
  const description = await page.textContent('.gallery-description');
  assert(description === gallery.find((g) => g.id === 'bce-dataset').description, `description: ${description}`);
  const state = await page.evaluate(() => JSON.parse(sessionStorage.getItem('gradcheck-state')));
  assert(state.v === 1 && state.source === (await editorText()), `saved state: ${JSON.stringify(state)}`);
});

await test('a correct gradient: verdict, loss and gradient in KaTeX, good rows in the table', async () => {
  await check();
  const verdict = await page.textContent('#result .verdict');
  assert(verdict === '✓ Gradient correct', `verdict: ${verdict}`);
  assert((await page.locator('#result .loss-tex .katex').count()) === 1, 'no KaTeX loss');
  assert((await page.locator('#result .grad-tex .katex').count()) === 1, 'no KaTeX gradient');
  const rows = await page.$$eval('#result table.components tbody tr', (trs) => trs.map((t) => t.className));
  assert(rows.length === 2 && rows.every((c) => c === 'band-good'), `rows: ${rows}`);
  const cells = await page.$$eval('#result table.components tbody tr:first-child td', (tds) => tds.map((t) => t.textContent));
  assert(cells[0] === 'w[1]' && cells[4] === 'good', `cells: ${cells}`);
  const last = (await posted()).filter((m) => m.type === 'runCheck').pop();
  assert(last.source === (await editorText()), 'runCheck did not carry the editor text');
  await shot('02-correct');
});

await test('a wrong sign: the diagnosis sentence and wrong rows', async () => {
  const source = gallery.find((g) => g.id === 'bce-dataset').source.replace("grad(w) = X'", "grad(w) = -X'");
  await setEditor(source);
  await check();
  const verdict = await page.textContent('#result .verdict');
  assert(verdict === '✗ Gradient wrong', `verdict: ${verdict}`);
  const diagnosis = await page.textContent('#result .diagnosis');
  assert(/wrong sign/.test(diagnosis ?? '') && /^[A-Z]/.test(diagnosis ?? ''), `diagnosis: ${diagnosis}`);
  const rows = await page.$$eval('#result table.components tbody tr', (trs) => trs.map((t) => t.className));
  assert(rows.length === 2 && rows.every((c) => c === 'band-wrong'), `rows: ${rows}`);
  const bg = await page.$eval('#result tr.band-wrong td', (td) => getComputedStyle(td).backgroundColor);
  assert(bg !== 'rgba(0, 0, 0, 0)', `wrong rows are not coloured: ${bg}`);
  await shot('03-wrong-sign');
});

await test('a missing factor is diagnosed as a scale error', async () => {
  await setEditor('w = [0.3; -1.2]\nloss(w) = sum(w.^2)\ngrad(w) = w');
  await check();
  const diagnosis = await page.textContent('#result .diagnosis');
  assert(/factor 2/.test(diagnosis ?? ''), `diagnosis: ${diagnosis}`);
});

await test('the live preview follows typing', async () => {
  await setEditor('w = [1; 2]\nloss(w) = sum(w.^2)');
  await page.waitForFunction(() => document.querySelectorAll('#preview .preview-line').length === 2);
  await page.locator('#editor textarea').press('End');
  await page.locator('#editor textarea').pressSequentially('\ngrad(w) = 2*w\'', { delay: 10 });
  await page.waitForFunction(() => document.querySelectorAll('#preview .role-grad .katex').length === 1, null, { timeout: 3000 });
  const tex = await page.$eval('#preview .role-grad annotation', (a) => a.textContent);
  assert(tex.includes('\\nabla') && tex.includes('\\top'), `preview TeX: ${tex}`);
  await page.locator('#editor textarea').pressSequentially(' +', { delay: 10 });
  await page.waitForSelector('#preview .preview-error');
  const err = await page.textContent('#preview .preview-error');
  assert(/^Line 3:/.test(err ?? ''), `preview error: ${err}`);
  assert((await page.locator('#preview .preview-line .katex').count()) === 2, 'the lines that parse keep their preview');
  const stale = await page.textContent('#result .stale');
  assert(/changed since this check/.test(stale ?? ''), 'no stale note after editing');
  await shot('04-typing');
});

await test('Ctrl+Enter checks; a syntax error names its line and column', async () => {
  await setEditor('w = [1; 2]\nloss(w) = sum(w.^2\ngrad(w) = 2*w');
  const before = (await posted()).filter((m) => m.type === 'runCheck').length;
  await page.locator('#editor textarea').press('Control+Enter');
  await page.waitForFunction((n) => window.__posted.filter((m) => m.type === 'runCheck').length > n, before);
  await page.waitForFunction(() => document.querySelector('#result .verdict')?.textContent === '⚠ Error');
  const text = await page.textContent('#result .block-error');
  assert(/^Line 2, column \d+: /.test(text ?? ''), `error: ${text}`);
  const previewError = await page.textContent('#preview .preview-error');
  assert(/^Line 2:/.test(previewError ?? ''), `preview error: ${previewError}`);
  await shot('05-syntax-error');
});

await test('identities: each check with its verdict', async () => {
  await pick('softmax-identities');
  await check();
  const verdict = await page.textContent('#result .verdict');
  assert(/^✓ Identit/.test(verdict ?? ''), `verdict: ${verdict}`);
  const items = await page.$$eval('#result .check-list li', (ls) => ls.map((l) => l.className));
  assert(items.length === 2 && items.every((c) => c === 'check-holds'), `checks: ${items}`);
  assert((await page.locator('#result .check-list .identity-tex .katex').count()) === 2, 'identities not typeset');
  await shot('06-identities');
});

await test('the IRLS Hessian: Hessian TeX and its component table', async () => {
  await pick('irls-hessian');
  await check();
  const verdict = await page.textContent('#result .verdict');
  assert(verdict === '✓ Gradient and Hessian correct', `verdict: ${verdict}`);
  assert((await page.locator('#result .hess-tex .katex').count()) === 1, 'no KaTeX Hessian');
  const hessRows = await page.locator('#result .param[data-param="w"]').nth(1).locator('tbody tr').count();
  const hessTitle = await page.locator('#result .param[data-param="w"] h3').nth(1).textContent();
  assert(hessTitle === 'Hessian with respect to w', `Hessian title: ${hessTitle}`);
  assert(hessRows === 4, `Hessian rows: ${hessRows}`);
  await shot('07-hessian');
});

await test('softmax with W (K×d): matrix components named W[i,j]', async () => {
  await pick('softmax-ce');
  await check();
  const first = await page.$eval('#result table.components tbody tr td', (td) => td.textContent);
  assert(/^W\[\d+,\d+\]$/.test(first ?? ''), `first component: ${first}`);
  await shot('08-softmax');
});

await test('a check started by the host (Check gradient on a document block) loads that block', async () => {
  const source = 'z = [0.5; -1]\nloss(z) = sum(log(1 + exp(z)))\ngrad(z) = sigmoid(-z)';
  await page.evaluate((s) => window.__checkAsHost(s), source);
  await page.waitForFunction((s) => document.getElementById('editor').value === s, source);
  await page.waitForFunction(() => document.querySelector('#result .verdict')?.textContent === '✗ Gradient wrong');
  assert((await page.locator('#result .stale').count()) === 0, 'stale note on a fresh host check');
  await shot('09-from-document');
});

await test('an Octave function block: preview, loss and gradient in KaTeX, the term diagnosis', async () => {
  const source = [
    'function g = sigmoid(z)',
    'g = 1 ./ (1 + exp(-z));',
    'end',
    'function [J, grad] = costFunctionReg(theta, X, y, lambda)',
    'm = length(y);',
    'h = sigmoid(X * theta);',
    "J = (1/m) * (-y' * log(h) - (1 - y)' * log(1 - h)) + (lambda / (2*m)) * sum(theta(2:end) .^ 2);",
    "grad = (1/m) * X' * (h - y) + (lambda / m) * theta;",
    'end',
    'X = [ones(4, 1) [0.3 0.7; 0.5 0.2; 0.9 0.4; 0.1 0.8]]; y = [1; 0; 1; 0];',
    'check_gradient(@(t) costFunctionReg(t, X, y, 1), [0.1; -0.2; 0.3])',
  ].join('\n');
  await page.evaluate((s) => window.__checkAsHost(s), source);
  // The previous test's result has the same verdict: wait for this block's (it is about theta).
  await page.waitForFunction(() => document.querySelector('#result .verdict')?.textContent === '✗ Gradient wrong' && document.querySelector('#result .param')?.textContent.includes('theta'));
  const diagnosis = await page.textContent('#result .param');
  assert(diagnosis.includes('should leave theta(1) out'), `diagnosis: ${diagnosis}`);
  // The component table names components as the diagnosis does (Octave: 1-based, parentheses).
  const names = await page.locator('#result .param table.components td.index').allTextContents();
  assert(JSON.stringify(names) === JSON.stringify(['theta(1)', 'theta(2)', 'theta(3)']), `component names: ${names}`);
  assert((await page.locator('#result .loss-tex .katex').count()) === 1, 'no KaTeX loss');
  assert((await page.locator('#result .grad-tex .katex').count()) === 1, 'no KaTeX gradient');
  await page.waitForFunction(() => document.querySelectorAll('#preview .role-grad .katex').length === 1);
  assert((await page.locator('#preview .role-loss .katex').count()) === 1, 'no previewed loss');
  assert((await page.locator('#preview .preview-error').count()) === 0, 'a preview error on valid Octave');
  await shot('10-octave');
});

await test('the editor is restored from the saved state { v: 1, source } after a reload', async () => {
  const source = 'w = [2; 3]\nloss(w) = sum(w.^3)\ngrad(w) = 3*w.^2';
  await setEditor(source);
  await page.reload();
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  await page.waitForSelector('#preview .katex');
  assert((await editorText()) === source, `restored: ${await editorText()}`);
  const lines = await page.locator('#preview .preview-line').count();
  assert(lines === 3, `preview lines after reload: ${lines}`);
});

await test('no CSP violations, page errors or failed requests; KaTeX fonts load', async () => {
  await setEditor(gallery[0].source);
  await check();
  await page.evaluate(() => document.fonts.ready);
  const fonts = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family));
  assert(fonts.some((f) => /KaTeX/.test(f)), `KaTeX fonts not loaded: ${fonts}`);
  const violations = await page.evaluate(() => window.__cspViolations);
  assert(violations.length === 0, `CSP violations: ${JSON.stringify(violations)}`);
  assert(pageErrors.length === 0, `page errors: ${pageErrors.join('; ')}`);
  assert(failedRequests.length === 0, `failed requests: ${failedRequests.join('; ')}`);
});

await test('the CSP served is the panel CSP', async () => {
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  const expected = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${origin}; font-src ${origin}; img-src ${origin} data:`;
  assert(csp === expected, `CSP: ${csp}`);
});

await test('light theme variables (as VS Code sets them) are honoured', async () => {
  await page.evaluate(() => {
    const s = document.documentElement.style;
    s.setProperty('--vscode-editor-background', '#ffffff');
    s.setProperty('--vscode-foreground', '#1f1f1f');
    s.setProperty('--vscode-descriptionForeground', '#616161');
    s.setProperty('--vscode-errorForeground', '#c72e0f');
    s.setProperty('--vscode-testing-iconPassed', '#388a34');
    s.setProperty('--vscode-panel-border', '#d4d4d4');
    s.setProperty('--vscode-editorWarning-foreground', '#bf8803');
    s.setProperty('--vscode-editor-foreground', '#3b3b3b');
    s.setProperty('--vscode-settings-textInputBackground', '#ffffff');
    s.setProperty('--vscode-settings-textInputForeground', '#3b3b3b');
    s.setProperty('--vscode-settings-textInputBorder', '#cecece');
    s.setProperty('--vscode-settings-dropdownBackground', '#ffffff');
    s.setProperty('--vscode-settings-dropdownForeground', '#3b3b3b');
    s.setProperty('--vscode-settings-dropdownBorder', '#cecece');
  });
  const source = gallery.find((g) => g.id === 'bias').source.replace(/grad_b\(([^)]*)\) = /, 'grad_b($1) = 2 * ');
  await setEditor(source);
  await check();
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert(bg === 'rgb(255, 255, 255)', `body background: ${bg}`);
  const bRow = await page.$$eval('#result .param[data-param="b"] tbody tr td', (tds) => tds.map((t) => t.textContent));
  assert(bRow[0] === 'b' && bRow[4] === 'wrong', `scalar row: ${bRow}`);
  const diagnosis = await page.textContent('#result .param[data-param="b"] .diagnosis');
  assert(/factor 1\/2/.test(diagnosis ?? ''), `diagnosis of b: ${diagnosis}`);
  await shot('10-light-theme');
});

await test('localized: the bundle on <body data-l10n> changes the toolbar, the verdict and the tables; names from the block stay as written', async () => {
  const localized = await context.newPage();
  await localized.goto(origin + '/localized.html');
  await localized.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  assert((await localized.textContent('#check')) === 'Prüfen', `button: ${await localized.textContent('#check')}`);
  assert((await localized.textContent('h1')) === '⟦Gradient checker⟧', `title: ${await localized.textContent('h1')}`);
  assert((await localized.getAttribute('html', 'lang')) === 'de', 'document language');
  await localized.locator('#editor textarea').fill('w = [1; 2]\nloss(w) = sum(w.^2)\ngrad(w) = w');
  await localized.locator('#check').click();
  await localized.waitForSelector('#result .verdict');
  assert((await localized.textContent('#result .verdict')) === '✗ Gradient falsch', `verdict: ${await localized.textContent('#result .verdict')}`);
  assert((await localized.textContent('#result .param h3')) === 'Gradient nach w', 'heading with the parameter as its argument');
  const heads = await localized.$$eval('#result table.components th', (t) => t.map((x) => x.textContent));
  assert(heads.every((h) => h.startsWith('⟦')), `table headers: ${heads}`);
  const names = await localized.$$eval('#result table.components td.index', (t) => t.map((x) => x.textContent));
  assert(JSON.stringify(names) === JSON.stringify(['w[1]', 'w[2]']), `component names: ${names}`);
  await localized.close();
});

await browser.close();
await new Promise((resolve) => server.close(resolve));
console.log(`screenshots in ${out}`);
finish();
