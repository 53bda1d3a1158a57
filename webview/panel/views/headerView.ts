/** The header: file name, run selector, training status and the run's exports. */
import { el } from '../dom';
import type { ViewContext } from '../context';
import { fmt } from '../viewModel/format';

export function headerView(ctx: ViewContext): HTMLElement {
  const { data } = ctx;
  const run = ctx.run;
  const title = el('div', { class: 'll-title' }, el('h1', null, 'Logit Lab'), el('span', { class: 'll-file', attrs: { title: data.fileName } }, data.fileName || 'no file'), data.readOnly ? el('span', { class: 'll-badge' }, 'report (read-only)') : null);
  const right = el('div', { class: 'll-header-right' });
  if (data.runs.length > 0) {
    const sel = el(
      'vscode-single-select',
      { attrs: { id: 'run-select', 'aria-label': 'Run shown', label: 'Run shown' } },
      ...[...data.runs].reverse().map((r) => el('vscode-option', { attrs: { value: String(r.id) } }, r.label)),
    );
    (sel as HTMLElement & { value: string }).value = String(run?.id ?? '');
    sel.addEventListener('change', () => ctx.setUi({ currentRun: Number((sel as HTMLElement & { value: string }).value) }));
    right.append(el('label', { class: 'll-inline-field' }, el('span', null, 'Run'), sel));
  }
  if (run && !data.readOnly) {
    right.append(
      el('vscode-button', { attrs: { secondary: true, id: 'export-model', title: 'Save the fitted model as JSON' }, on: { click: () => ctx.post({ type: 'exportModel', runId: run.id }) } }, 'Save model'),
      el('vscode-button', { attrs: { secondary: true, id: 'export-predictions', title: 'Save predictions for every row as CSV' }, on: { click: () => ctx.post({ type: 'exportPredictions', runId: run.id }) } }, 'Predictions CSV'),
      el('vscode-button', { attrs: { secondary: true, id: 'export-report', title: 'Save a self-contained HTML report of this run' }, on: { click: () => ctx.post({ type: 'exportReport', runId: run.id }) } }, 'HTML report'),
    );
  }
  const status = el('div', { class: 'll-status-line', attrs: { role: 'status', 'aria-live': 'polite' } });
  if (data.training) {
    const p = data.training.progress;
    status.append(el('vscode-progress-ring', { class: 'll-ring', attrs: { 'aria-label': 'Training' } }), p && p.phase === 'fitting' ? `Training… iteration ${p.iteration}, loss ${fmt(p.lossHistory.train[p.lossHistory.train.length - 1] ?? NaN)}` : 'Training…');
    if (!data.readOnly) status.append(el('vscode-button', { attrs: { secondary: true, id: 'cancel-header' }, on: { click: () => ctx.post({ type: 'cancelTraining' }) } }, 'Cancel'));
  } else if (data.notice) {
    status.append(data.notice);
  }
  return el('header', { class: 'll-header' }, title, right, status);
}
