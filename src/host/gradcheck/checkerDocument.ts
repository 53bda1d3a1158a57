/**
 * The checker panel's HTML as a pure function (no vscode import), so the browser test serves exactly
 * the document and CSP the real panel gets. checkerHtml.ts supplies the webview URIs.
 */

export interface CheckerDocumentOptions {
  /** The webview's cspSource (the origin of media/ URIs). */
  cspSource: string;
  nonce: string;
  /** media/dist/gradcheck.js */
  scriptUri: string;
  /** media/dist/gradcheck.css (KaTeX, from the bundle) and media/gradcheck.css. */
  styleUris: string[];
}

/** The panel's Content-Security-Policy: scripts only with the nonce, styles/fonts/images only from media/. */
export function checkerCsp(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`, `img-src ${cspSource} data:`].join('; ');
}

function attr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function checkerDocument(o: CheckerDocumentOptions): string {
  const links = o.styleUris.map((u) => `<link rel="stylesheet" href="${attr(u)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(checkerCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>Gradient checker</title>
</head>
<body>
<main id="app"></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
