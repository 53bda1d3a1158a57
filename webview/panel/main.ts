/**
 * Entry of the model panel's webview bundle (media/dist/panel.js + panel.css). In VS Code it talks
 * to the extension host; in the self-contained HTML report it finds the embedded report
 * (<script type="application/json" id="logit-lab-report">) and renders it read-only.
 */
import 'katex/dist/katex.min.css';
import './panel.css';
import type { TrainReport } from '../../src/core/report/report';
import { getVsCodeApi } from '../vscodeApi';
import { App } from './app';
import { t } from '../l10n';

export const REPORT_ELEMENT_ID = 'logit-lab-report';

function start(): void {
  // The bundle is loaded and evaluated (bench/ui.mjs reads the webview's logit-lab:* marks).
  performance.mark('logit-lab:start');
  const api = getVsCodeApi();
  const mount = document.getElementById('app') ?? document.body;
  const app = new App(api, mount);
  const embedded = document.getElementById(REPORT_ELEMENT_ID);
  if (embedded) {
    let report: TrainReport;
    try {
      report = JSON.parse(embedded.textContent ?? '') as TrainReport;
    } catch (e) {
      mount.append(document.createTextNode(t('The report data could not be read: {0}', (e as Error).message)));
      return;
    }
    app.showReport(report);
    return;
  }
  app.connect();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
