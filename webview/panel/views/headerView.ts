/** The header: file name, run selector, training status and the run's exports. */
import { el } from '../dom';
import { button, selectControl } from '../elements';
import type { ViewContext } from '../context';
import type { TrainProgress } from '../../../src/core/report/report';
import { fmt } from '../viewModel/format';
import { t } from '../../l10n';

/** The header's words for a run in progress (updateLiveHeader redraws only them). */
function liveStatusText(p: TrainProgress | null): string {
  return p && p.phase === 'fitting' ? t('Training… iteration {0}, loss {1}', p.iteration, fmt(p.lossHistory.train[p.lossHistory.train.length - 1] ?? NaN)) : t('Training…');
}

/**
 * A new progress snapshot in a header that already shows the run (its Cancel button and runs stay):
 * only the status words change. Returns false when the header is not in that state (render it).
 */
export function updateLiveHeader(ctx: ViewContext, header: Element | null): boolean {
  const text = header?.querySelector(':scope > .ll-status-line > .ll-status-text');
  if (!ctx.data.training || !text) return false;
  text.textContent = liveStatusText(ctx.data.training.progress);
  return true;
}

export function headerView(ctx: ViewContext): HTMLElement {
  const { data } = ctx;
  const run = ctx.run;
  const title = el('div', { class: 'll-title' }, el('h1', null, 'Logit Lab'), el('span', { class: 'll-file', attrs: { title: data.fileName } }, data.fileName || t('no file')), data.readOnly ? el('span', { class: 'll-badge' }, t('report (read-only)')) : null);
  const right = el('div', { class: 'll-header-right' });
  if (data.runs.length > 0) {
    right.append(selectControl('run-select', t('Run shown'), [...data.runs].reverse().map((r) => [String(r.id), r.label] as const), String(run?.id ?? ''), (v) => ctx.setUi({ currentRun: Number(v) }), t('Run')));
  }
  if (run && !data.readOnly) {
    right.append(
      button(t('Save model'), { secondary: true, id: 'export-model', title: t('Save the fitted model as JSON'), onClick: () => ctx.post({ type: 'exportModel', runId: run.id }) }),
      button(t('Predictions CSV'), { secondary: true, id: 'export-predictions', title: t('Save predictions for every row as CSV'), onClick: () => ctx.post({ type: 'exportPredictions', runId: run.id }) }),
      button(t('HTML report'), { secondary: true, id: 'export-report', title: t('Save a self-contained HTML report of this run'), onClick: () => ctx.post({ type: 'exportReport', runId: run.id }) }),
    );
  }
  const status = el('div', { class: 'll-status-line', attrs: { role: 'status', 'aria-live': 'polite' } });
  if (data.training) {
    const p = data.training.progress;
    // A still icon, not the spinning ring: an endless animation repaints the webview every frame, and in
    // the browser-hosted VS Code that took about a core from the run itself (bench/ui.mjs, issue 20).
    status.append(el('span', { class: 'codicon codicon-pulse ll-ring', attrs: { 'aria-hidden': 'true' } }), el('span', { class: 'll-status-text' }, liveStatusText(p)));
    if (!data.readOnly) status.append(button(t('Cancel'), { secondary: true, id: 'cancel-header', onClick: () => ctx.post({ type: 'cancelTraining' }) }));
  } else if (data.notice) {
    status.append(data.notice);
  }
  return el('header', { class: 'll-header' }, title, right, status);
}
