/**
 * Builds the self-contained HTML report from the built webview bundle (media/dist/panel.js and
 * panel.css, KaTeX fonts inlined as data: URLs). Node-only; shared by the CLI (--report) and the
 * extension host (Export report).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainReport } from '../core/report/report';
import { renderReportHtml } from '../core/report/reportHtml';

/** `l10n` and `lang`: the language the report's text is in (the extension's vscode.l10n.bundle and vscode.env.language). */
export function buildReportHtml(mediaDist: string, report: TrainReport, title: string, l10n?: Record<string, string>, lang?: string): string {
  const script = join(mediaDist, 'panel.js');
  if (!existsSync(script)) throw new Error(`the webview bundle is missing (${script}); run npm run build`);
  const cssPath = join(mediaDist, 'panel.css');
  const css = existsSync(cssPath) ? readFileSync(cssPath, 'utf8') : '';
  const fontDataUrls: Record<string, string> = {};
  const fonts = join(mediaDist, 'fonts');
  if (existsSync(fonts)) {
    for (const f of readdirSync(fonts)) {
      if (f.endsWith('.woff2')) fontDataUrls[f] = `data:font/woff2;base64,${readFileSync(join(fonts, f)).toString('base64')}`;
    }
  }
  return renderReportHtml({ title, script: readFileSync(script, 'utf8'), css, report, fontDataUrls, l10n, lang });
}
