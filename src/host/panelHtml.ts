import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { webviewDocument } from './webviewDocument';

/** A fresh nonce for one rendering of the panel's HTML. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Webview options: scripts on, resources only from media/. */
export function panelWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
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
  const media = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...parts)).toString();
  return webviewDocument({
    cspSource: webview.cspSource,
    nonce: options.nonce ?? makeNonce(),
    title: vscode.l10n.t('Logit Lab: {0}', options.fileName),
    scriptUri: media('dist', 'panel.js'),
    styleUris: [media('dist', 'panel.css')],
    codiconUri: media('dist', 'codicons', 'codicon.css'),
    bodyData: { 'file-uri': options.fileUri, 'file-name': options.fileName },
    l10n: vscode.l10n.bundle,
    lang: vscode.env.language,
  });
}
