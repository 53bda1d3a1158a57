/** The result of a check as DOM: verdict, the loss and the claimed gradients, diagnoses, component tables, identities. */
import { toTex } from '../../src/core/gradcheck/index';
import type { Band, BlockReport, ParamReport } from '../../src/core/gradcheck/types';
import { el } from '../panel/dom';
import { math } from '../math';
import { t } from '../l10n';
import { formatError, formatValue, paramStatus, sentence, verdictHeadline } from './format';

/** Rows shown per component table; the rest is summed up in one line. */
export const MAX_ROWS = 100;

export function renderReport(report: BlockReport, options: { stale: boolean }): HTMLElement {
  const root = el('div', { class: `report verdict-${report.verdict}` });
  root.dataset.verdict = report.verdict;
  root.append(el('div', { class: `verdict verdict-${report.verdict}` }, verdictHeadline(report)));
  if (options.stale) root.append(el('p', { class: 'stale' }, t('The editor changed since this check: press Check to check it again.')));
  if (report.error) {
    const where = report.error.line > 0 ? t('Line {0}, column {1}: {2}', report.error.line, report.error.column, report.error.message) : report.error.message;
    root.append(el('p', { class: 'block-error' }, where));
  }
  if (report.tex.loss) {
    root.append(el('section', { class: 'formula' }, el('h3', null, t('Loss')), math(report.tex.loss, 'math loss-tex')));
  }
  for (const p of report.params) root.append(renderParam(p, report.tex.grads[p.name], false));
  const hessian = report.hessian ?? [];
  if (report.tex.hess && hessian.length !== 1) root.append(el('section', { class: 'formula' }, el('h3', null, t('Claimed Hessian')), math(report.tex.hess, 'math hess-tex')));
  for (const p of hessian) root.append(renderParam(p, hessian.length === 1 ? report.tex.hess : undefined, true));
  if (report.checks.length > 0) root.append(renderChecks(report));
  return root;
}

function renderParam(p: ParamReport, tex: string | undefined, hessian: boolean): HTMLElement {
  const section = el('section', { class: `param param-${p.verdict}` });
  section.dataset.param = p.name;
  const title = hessian ? t('Hessian with respect to {0}', p.name) : t('Gradient with respect to {0}', p.name);
  section.append(el('h3', null, title));
  if (tex) section.append(math(tex, hessian ? 'math hess-tex' : 'math grad-tex'));
  section.append(el('p', { class: 'param-status' }, el('span', { class: `badge badge-${p.verdict}` }, p.verdict === 'pass' ? '✓' : p.verdict === 'fail' ? '✗' : '⚠'), ' ', paramStatus(p)));
  if (p.verdict !== 'pass' && p.diagnosis.message) section.append(el('p', { class: `diagnosis diagnosis-${p.diagnosis.kind}` }, sentence(p.diagnosis.message)));
  if (p.components.length > 0) section.append(componentTable(p));
  return section;
}

function componentTable(p: ParamReport): HTMLElement {
  const table = el('table', { class: 'components' });
  table.append(
    el('thead', null, el('tr', null, el('th', null, t('component')), el('th', { class: 'num' }, t('analytic')), el('th', { class: 'num' }, t('numeric')), el('th', { class: 'num' }, t('relative error')), el('th', null, t('band')))),
  );
  const body = el('tbody');
  for (const row of p.components.slice(0, MAX_ROWS)) {
    const tr = el(
      'tr',
      { class: `band-${row.band}` },
      el('td', { class: 'index' }, row.name),
      el('td', { class: 'num' }, formatValue(row.analytic)),
      el('td', { class: 'num' }, formatValue(row.numeric)),
      el('td', { class: 'num' }, formatError(row.relError)),
      el('td', { class: 'band' }, el('span', { class: `band-chip band-chip-${row.band}` }, bandWord(row.band))),
    );
    body.append(tr);
  }
  table.append(body);
  const wrap = el('div', { class: 'table-wrap' }, table);
  if (p.components.length > MAX_ROWS) {
    const hidden = p.components.slice(MAX_ROWS);
    const wrong = hidden.filter((r) => r.band === 'wrong').length;
    wrap.append(el('p', { class: 'more' }, t('… {0} more components ({1} wrong)', hidden.length, wrong)));
  }
  return wrap;
}

/** A band's word in the table: good, suspicious, wrong. */
function bandWord(band: Band): string {
  return band === 'good' ? t('good') : band === 'suspicious' ? t('suspicious') : t('wrong');
}

function renderChecks(report: BlockReport): HTMLElement {
  const section = el('section', { class: 'checks' }, el('h3', null, report.checks.length > 1 ? t('Identities') : t('Identity')));
  const list = el('ul', { class: 'check-list' });
  for (const c of report.checks) {
    const item = el(
      'li',
      { class: c.holds ? 'check-holds' : 'check-fails' },
      el('span', { class: `badge badge-${c.holds ? 'pass' : 'fail'}` }, c.holds ? '✓' : '✗'),
      ' ',
      identity(c.source),
      el('span', { class: 'check-detail' }, ' ' + t('line {0} · max error {1}', c.line, formatError(c.maxError))),
    );
    if (c.message) item.append(el('div', { class: 'check-message' }, c.message));
    list.append(item);
  }
  section.append(list);
  return section;
}

/** An identity typeset inline (A =? B, with a question mark over the equals sign), or as code when it does not parse. */
function identity(source: string): HTMLElement {
  try {
    const node = math(toTex(`check ${source}`), 'math identity-tex', false);
    node.title = source;
    return node;
  } catch {
    return el('code', null, source);
  }
}
