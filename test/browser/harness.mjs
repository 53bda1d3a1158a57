// Harness for the model panel's browser tests: a tiny HTTP server on 127.0.0.1 (random port) that
// serves a page loading media/dist/panel.js + panel.css under the SAME CSP as the real panel
// (cspSource = the server's origin), with a fake acquireVsCodeApi that records posted messages and
// saved state. Tests talk to the page as the extension host would: window.postMessage({...}).
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { randomBytes } from 'node:crypto';

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.html': 'text/html; charset=utf-8',
  '.map': 'application/json',
};

/** Answers with `file`, typed by its extension and never cached, when it is a file under `inside`; else 404. */
export function sendFile(res, file, inside) {
  if (!file.startsWith(inside + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404);
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(readFileSync(file));
}

/** The panel's CSP, exactly as the host must send it (cspSource = webview.cspSource). */
export function panelCsp(cspSource, nonce) {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${cspSource}; font-src ${cspSource}; img-src ${cspSource} data:`;
}

/**
 * The page: CSP meta, the stylesheet, a nonce'd bootstrap (fake VS Code API, CSP-violation log),
 * then the bundle. `state` is what getState() returns at start (to test restore); `bodyClass`
 * sets the theme class VS Code puts on <body>; `l10n` is a bundle put on <body data-l10n> as the host does.
 */
function harnessHtml(origin, nonce, { state, bodyClass = 'vscode-light', fake = true, l10n } = {}) {
  const boot = `
window.__posted = [];
window.__stateLog = [];
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile + ':' + e.lineNumber });
});
${fake ? `let saved = ${JSON.stringify(state ?? null)};
let calls = 0;
window.acquireVsCodeApi = () => {
  if (++calls > 1) throw new Error('acquireVsCodeApi called twice');
  return {
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => saved,
    setState: (s) => { saved = s; window.__stateLog.push(JSON.parse(JSON.stringify(s))); },
  };
};` : ''}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${panelCsp(origin, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${origin}/media/dist/panel.css">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${origin}/media/dist/codicons/codicon.css">
<title>Logit Lab harness</title>
</head>
<body class="${bodyClass}"${l10n ? ` data-l10n="${escapeAttr(JSON.stringify(l10n))}"` : ''}>
<div id="app"></div>
<script nonce="${nonce}">${boot}</script>
<script nonce="${nonce}" src="${origin}/media/dist/panel.js"></script>
</body>
</html>`;
}

/** An HTML attribute value (the l10n bundle's JSON goes on <body data-l10n>, as webviewDocument puts it). */
const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startServer(root) {
  const pages = new Map();
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    if (pages.has(url.pathname)) {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
      res.end(pages.get(url.pathname));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    sendFile(res, normalize(join(root, decodeURIComponent(url.pathname))), join(root, 'media'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  let n = 0;
  return {
    origin,
    requests,
    /** Registers a harness page and returns its URL. */
    page(options) {
      const path = `/harness-${++n}.html`;
      pages.set(path, harnessHtml(origin, randomBytes(16).toString('base64'), options));
      return origin + path;
    },
    /** Registers arbitrary HTML (the exported report) and returns its URL. */
    raw(html) {
      const path = `/raw-${++n}.html`;
      pages.set(path, html);
      return origin + path;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * The browser tests' runner: `test(name, fn)` runs fn and prints `ok    name`, or `FAIL  name` with the
 * error's message; `finish()` prints "N passed, M failed" (the line scripts/test-all.mjs counts) and
 * exits, 1 when a test failed. A test that fails runs once more (each test opens its own pages): if it
 * passes then, it prints `ok    name (flaky: the first attempt failed: …)`, which scripts/test-all.mjs
 * lists by name in its summary; if it fails again, it fails. BROWSER_RETRIES=0 runs each test once.
 */
export function testRunner() {
  let passed = 0;
  let failed = 0;
  const retries = Number(process.env.BROWSER_RETRIES ?? 1);
  const indent = (e) => String(e?.message ?? e).split('\n').join('\n      ');
  return {
    async test(name, fn) {
      let first;
      for (let attempt = 0; attempt <= retries; attempt++) {
        try {
          await fn();
          passed++;
          console.log(first === undefined ? `ok    ${name}` : `ok    ${name} (flaky: the first attempt failed: ${String(first?.message ?? first).split('\n')[0]})`);
          return;
        } catch (e) {
          first ??= e;
          if (attempt < retries) continue;
          failed++;
          console.log(`FAIL  ${name}\n      ${indent(e)}${indent(e) === indent(first) ? '' : `\n      (the first attempt: ${indent(first)})`}`);
        }
      }
    },
    finish() {
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}
