import * as vscode from 'vscode';
import { makeNonce } from '../panelHtml';
import { checkerDocument } from './checkerDocument';

/**
 * The gradient checker's document for a webview: media/dist/gradcheck.css (KaTeX, from the bundle),
 * media/gradcheck.css (the panel's styles) and the nonce'd media/dist/gradcheck.js, under the panel
 * CSP (`default-src 'none'; script-src 'nonce-…'; style-src/font-src cspSource; img-src cspSource data:`).
 */
export function checkerHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce: string = makeNonce()): string {
  const media = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...parts)).toString();
  return checkerDocument({
    cspSource: webview.cspSource,
    nonce,
    scriptUri: media('dist', 'gradcheck.js'),
    styleUris: [media('dist', 'gradcheck.css'), media('gradcheck.css')],
    title: vscode.l10n.t('Gradient checker'),
    l10n: vscode.l10n.bundle,
    lang: vscode.env.language,
  });
}
