// Runs the extension-host suite (the @vscode/test-electron extensionTestsPath contract) inside
// code-server's real Node extension host, with headless Debian chromium as the workbench UI.
// code-server's command line rejects --extensionDevelopmentPath; the workbench URL payload works.
// Usage: CS_URL=http://127.0.0.1:PORT EXT_DEV=/abs/ext EXT_TESTS=/abs/ext/out/.../index.js WS=/abs/ws node run-ext-tests.mjs
// Prints the mocha output and `N passed, M failed`; exit code 0 only when all passed.
import { createRequire } from 'node:module';
import { format } from 'node:util';

const require = createRequire(import.meta.url);
const { chromium } = requirePlaywright();
const { CS_URL, EXT_DEV, EXT_TESTS, WS } = process.env;
const TIMEOUT = Number(process.env.TIMEOUT_MS || 300_000);
const t0 = Date.now();
const mark = (s) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);

function requirePlaywright() {
  try {
    return require('playwright-core');
  } catch {
    return require(require.resolve('playwright-core', { paths: [process.env.E2E_DIR ? `${process.env.E2E_DIR}/node_modules` : '.'] }));
  }
}

const authority = new URL(CS_URL).host; // code-server's remoteAuthority is host:port
const remote = (p) => `vscode-remote://${authority}${p}`;
const payload = [['extensionDevelopmentPath', remote(EXT_DEV)], ['extensionTestsPath', remote(EXT_TESTS)]];
if (process.env.EXT_ENV) payload.push(['extensionEnvironment', process.env.EXT_ENV]);
const url = `${CS_URL}/?folder=${encodeURIComponent(WS)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROME || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
let passed = 0;
let failed = 0;
let code = 'timeout';
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let done;
  const exited = new Promise((r) => (done = r));
  await page.exposeFunction('codeAutomationExit', (c) => { mark(`codeAutomationExit(${c})`); done(c); });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(args || []));
    // Only the mocha output (the workbench logs a lot of unrelated noise, e.g. offline marketplace errors).
    const m = /^\s*(\d+) (passing|failing)/.exec(text);
    if (m && m[2] === 'passing') passed = Number(m[1]);
    if (m && m[2] === 'failing') failed = Number(m[1]);
    if (type !== 'error' || /Logit|logit|assert|Error:/.test(text)) console.log(`[ext-host ${type}] ${text}`);
  });
  page.on('console', (m) => { if (process.env.VERBOSE) console.log('[page]', m.type(), m.text()); });
  mark(`open ${CS_URL} (folder ${WS})`);
  await page.goto(url);
  code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT))]);
  if (code !== 0 && process.env.OUT) await page.screenshot({ path: `${process.env.OUT}/ext-tests-failure.png` }).catch(() => {});
} finally {
  await browser.close();
}
if (code === 'timeout') { mark(`timed out after ${TIMEOUT} ms`); failed = Math.max(failed, 1); }
if (code !== 0 && failed === 0) failed = 1;
mark(`exit code ${code}`);
console.log(`extension-host tests: ${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
