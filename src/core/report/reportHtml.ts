/**
 * The self-contained HTML report: one file that opens in any browser, offline. It holds the model
 * panel's own bundle (media/dist/panel.js, inlined), its stylesheet (inlined, with the KaTeX font
 * URLs replaced by data: URLs) and the TrainReport as JSON in
 * <script type="application/json" id="logit-lab-report">, which the panel renders read-only.
 *
 * Security: the file has its own CSP, `default-src 'none'; script-src 'nonce-N'; style-src 'nonce-N';
 * font-src data:; img-src data:` — only the inlined bundle runs (by nonce), nothing is fetched. The
 * report JSON escapes `<` as \u003c so a CSV header such as `</script><script>...` cannot close
 * the data element; the bundle and stylesheet have `</script` / `</style` and `<!--` neutralized.
 * Pure string building: no DOM, no Node APIs.
 */
import type { TrainReport } from './report';

export const REPORT_ELEMENT_ID = 'logit-lab-report';

export interface ReportHtmlParts {
  title: string;
  /** The panel bundle (media/dist/panel.js). */
  script: string;
  /** The panel stylesheet (media/dist/panel.css). */
  css: string;
  report: TrainReport;
  /** Font file name (e.g. "KaTeX_Main-Regular.woff2") -> data: URL. */
  fontDataUrls?: Record<string, string>;
  /** The language's l10n bundle (the host's vscode.l10n.bundle): on <body data-l10n>, as in the panel. */
  l10n?: Record<string, string>;
  /** The document language, "en" by default. */
  lang?: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * JSON for a <script type="application/json"> element: `<` (so no `</script>` or `<!--` can
 * appear), `>` , `&` and the JavaScript line separators escaped as \uXXXX — still valid JSON that
 * parses to the same value. NaN and infinities become null, as in JSON.stringify.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A script's text made safe inside <script>...</script>: `</script` becomes `<\/script` and `<!--`
 * becomes `<\!--` (both only occur inside string literals or regular expressions of a bundle,
 * where the backslash escape denotes the same characters).
 */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** A stylesheet made safe inside <style>: `</style` becomes `<\/style` (a CSS escape of "/"). */
export function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

/**
 * Replaces url(...) references to font files with their data: URLs (matched by file name, so
 * "./fonts/KaTeX_Main-Regular.woff2" and "fonts/KaTeX_Main-Regular.woff2" both work). References
 * to fonts that were not provided (woff/ttf fallbacks) are dropped from their `src` lists by
 * pointing them at an empty data URL, so the report never tries to fetch a file.
 */
export function inlineFonts(css: string, fontDataUrls: Record<string, string>): string {
  return css.replace(/url\(\s*(['"]?)([^'")]*?)\1\s*\)/g, (whole, _q: string, url: string) => {
    if (url.startsWith('data:')) return whole;
    const name = url.split(/[?#]/)[0].split('/').pop() ?? '';
    if (!/\.(woff2?|ttf|otf|eot)$/i.test(name)) return whole;
    const data = fontDataUrls[name];
    return data ? `url(${JSON.stringify(data)})` : 'url("data:,")';
  });
}

/** A random nonce (base64 of 16 bytes) from the Web Crypto API (browsers and Node 20 both have it). */
function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function renderReportHtml(parts: ReportHtmlParts, nonce: string = makeNonce()): string {
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; font-src data:; img-src data:`;
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(parts.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Logit Lab">',
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style nonce="${nonce}">${inlineStyle(inlineFonts(parts.css, parts.fontDataUrls ?? {}))}</style>`,
    '</head>',
    parts.l10n && Object.keys(parts.l10n).length > 0 ? `<body data-l10n="${escapeHtml(JSON.stringify(parts.l10n))}">` : '<body>',
    '<div id="app"></div>',
    `<script type="application/json" id="${REPORT_ELEMENT_ID}">${jsonForScript(parts.report)}</script>`,
    `<script nonce="${nonce}">${inlineScript(parts.script)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
