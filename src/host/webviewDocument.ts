/**
 * The HTML document of a Logit Lab webview, as a pure function (no vscode import) so the browser
 * tests serve exactly the document and Content-Security-Policy the real panels get. Callers supply
 * the webview URIs (asWebviewUri) of the bundle's script and stylesheets.
 */
import { escapeHtml } from '../core/report/reportHtml';
import { L10N_DATA_KEY, type L10nBundle } from '../protocol/l10n';

/**
 * Scripts only with the nonce; styles, fonts and images only from media/ (the webview's cspSource).
 * No inline styles: Observable Plot's <style> rules live in panel.css (see webview/panel/plots.ts).
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}


export interface WebviewDocumentOptions {
  cspSource: string;
  nonce: string;
  title: string;
  scriptUri: string;
  styleUris: string[];
  /** media/dist/codicons/codicon.css: linked with the id @vscode-elements' icon component looks for. */
  codiconUri?: string;
  /** data-* attributes on <body>, e.g. { 'file-uri': ... }. */
  bodyData?: Record<string, string>;
  /**
   * The current language's l10n bundle (vscode.l10n.bundle; undefined in English): put on <body> as
   * `data-l10n` JSON, where the webview's t() finds it (webview/l10n.ts).
   */
  l10n?: L10nBundle;
  /** The document language (vscode.env.language), "en" by default. */
  lang?: string;
}

export function webviewDocument(o: WebviewDocumentOptions): string {
  const links = [
    ...o.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`),
    ...(o.codiconUri ? [`<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(o.codiconUri)}">`] : []),
  ].join('\n');
  const body = { ...(o.bodyData ?? {}), ...(o.l10n && Object.keys(o.l10n).length > 0 ? { [L10N_DATA_KEY]: JSON.stringify(o.l10n) } : {}) };
  const data = Object.entries(body)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(o.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(webviewCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${escapeHtml(o.title)}</title>
</head>
<body${data}>
<div id="app"></div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
