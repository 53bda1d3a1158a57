/** The result of a check as DOM: verdict, the loss and the claimed gradients, diagnoses, component tables, identities. */
import { toTex } from '../../src/core/gradcheck/index';
import type { BlockReport, ParamReport } from '../../src/core/gradcheck/types';
import { el, math } from './dom';
import { formatError, formatValue, paramStatus, sentence, verdictHeadline } from './format';

/** Rows shown per component table; the rest is summed up in one line. */
export const MAX_ROWS = 100;

export function renderReport(report: BlockReport, options: { stale: boolean }): HTMLElement {
  const root = el('div', `report verdict-${report.verdict}`);
  root.dataset.verdict = report.verdict;
  root.append(el('div', `verdict verdict-${report.verdict}`, verdictHeadline(report)));
  if (options.stale) root.append(el('p', 'stale', 'The editor changed since this check: press Check to check it again.'));
  if (report.error) {
    const where = report.error.line > 0 ? `Line ${report.error.line}, column ${report.error.column}: ` : '';
    root.append(el('p', 'block-error', where + report.error.message));
  }
  if (report.tex.loss) {
    root.append(el('section', 'formula', el('h3', undefined, 'Loss'), math(report.tex.loss, 'math loss-tex')));
  }
  for (const p of report.params) root.append(renderParam(p, report.tex.grads[p.name], false));
  const hessian = report.hessian ?? [];
  if (report.tex.hess && hessian.length !== 1) root.append(el('section', 'formula', el('h3', undefined, 'Claimed Hessian'), math(report.tex.hess, 'math hess-tex')));
  for (const p of hessian) root.append(renderParam(p, hessian.length === 1 ? report.tex.hess : undefined, true));
  if (report.checks.length > 0) root.append(renderChecks(report));
  return root;
}

function renderParam(p: ParamReport, tex: string | undefined, hessian: boolean): HTMLElement {
  const section = el('section', `param param-${p.verdict}`);
  section.dataset.param = p.name;
  const title = hessian ? `Hessian with respect to ${p.name}` : `Gradient with respect to ${p.name}`;
  section.append(el('h3', undefined, title));
  if (tex) section.append(math(tex, hessian ? 'math hess-tex' : 'math grad-tex'));
  section.append(el('p', 'param-status', el('span', `badge badge-${p.verdict}`, p.verdict === 'pass' ? '✓' : p.verdict === 'fail' ? '✗' : '⚠'), ' ', paramStatus(p)));
  if (p.verdict !== 'pass' && p.diagnosis.message) section.append(el('p', `diagnosis diagnosis-${p.diagnosis.kind}`, sentence(p.diagnosis.message)));
  if (p.components.length > 0) section.append(componentTable(p));
  return section;
}

function componentTable(p: ParamReport): HTMLElement {
  const table = el('table', 'components');
  table.append(
    el('thead', undefined, el('tr', undefined, el('th', undefined, 'component'), el('th', 'num', 'analytic'), el('th', 'num', 'numeric'), el('th', 'num', 'relative error'), el('th', undefined, 'band'))),
  );
  const body = el('tbody');
  for (const row of p.components.slice(0, MAX_ROWS)) {
    const tr = el(
      'tr',
      `band-${row.band}`,
      el('td', 'index', row.name),
      el('td', 'num', formatValue(row.analytic)),
      el('td', 'num', formatValue(row.numeric)),
      el('td', 'num', formatError(row.relError)),
      el('td', 'band', el('span', `band-chip band-chip-${row.band}`, row.band)),
    );
    body.append(tr);
  }
  table.append(body);
  const wrap = el('div', 'table-wrap', table);
  if (p.components.length > MAX_ROWS) {
    const hidden = p.components.slice(MAX_ROWS);
    const wrong = hidden.filter((r) => r.band === 'wrong').length;
    wrap.append(el('p', 'more', `… ${hidden.length} more components (${wrong} wrong)`));
  }
  return wrap;
}

function renderChecks(report: BlockReport): HTMLElement {
  const section = el('section', 'checks', el('h3', undefined, report.checks.length > 1 ? 'Identities' : 'Identity'));
  const list = el('ul', 'check-list');
  for (const c of report.checks) {
    const item = el(
      'li',
      c.holds ? 'check-holds' : 'check-fails',
      el('span', `badge badge-${c.holds ? 'pass' : 'fail'}`, c.holds ? '✓' : '✗'),
      ' ',
      identity(c.source),
      el('span', 'check-detail', ` line ${c.line} · max error ${formatError(c.maxError)}`),
    );
    if (c.message) item.append(el('div', 'check-message', c.message));
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
    return el('code', undefined, source);
  }
}
