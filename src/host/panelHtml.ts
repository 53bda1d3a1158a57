import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** A fresh nonce for one rendering of the panel's HTML. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The panel's Content-Security-Policy. One small function so it is easy to adjust (e.g. pass
 * `styleNonce: true` to allow nonce'd <style> elements as well as stylesheets from media/).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string, options: { styleNonce?: boolean } = {}): string {
  const style = options.styleNonce ? `${cspSource} 'nonce-${nonce}'` : cspSource;
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${style}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

/** Webview options: scripts on, resources only from media/. */
export function panelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Escapes text for element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PanelHtmlOptions {
  /** The data file this panel shows; echoed by the webview into its saved state (see modelPanel.ts). */
  fileUri: string;
  fileName: string;
  nonce?: string;
}

/**
 * The model panel's document: media/dist/panel.css and media/dist/panel.js through asWebviewUri,
 * the nonce'd script, and the file as data attributes on <body>
 * (`data-file-uri`, `data-file-name`; the webview keeps `fileUri` in its saved state).
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, options: PanelHtmlOptions): string {
  const nonce = options.nonce ?? makeNonce();
  const media = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...parts)).toString();
  const csp = contentSecurityPolicy(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(media('dist', 'panel.css'))}">
<title>Logit Lab: ${escapeHtml(options.fileName)}</title>
</head>
<body data-file-uri="${escapeHtml(options.fileUri)}" data-file-name="${escapeHtml(options.fileName)}">
<div id="app"></div>
<script nonce="${nonce}" src="${escapeHtml(media('dist', 'panel.js'))}"></script>
</body>
</html>`;
}
