/**
 * The checker panel's HTML as a pure function (no vscode import), so the browser test serves exactly
 * the document and CSP the real panel gets. checkerHtml.ts supplies the webview URIs.
 */
import type { L10nBundle } from '../../protocol/l10n';
import { webviewDocument } from '../webviewDocument';

export interface CheckerDocumentOptions {
  /** The webview's cspSource (the origin of media/ URIs). */
  cspSource: string;
  nonce: string;
  /** media/dist/gradcheck.js */
  scriptUri: string;
  /** media/dist/gradcheck.css (KaTeX, from the bundle) and media/gradcheck.css. */
  styleUris: string[];
  /** The document's title (the host passes it localized). */
  title?: string;
  /** The current language's l10n bundle (vscode.l10n.bundle), for the webview's t(). */
  l10n?: L10nBundle;
  lang?: string;
}

export function checkerDocument(o: CheckerDocumentOptions): string {
  return webviewDocument({ ...o, title: o.title ?? 'Gradient checker' });
}
