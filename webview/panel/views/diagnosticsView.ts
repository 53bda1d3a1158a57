/** Diagnostics (CSV errors, training failures, warnings) as readable lines with file:line:column. */
import type { Diagnostic } from '../../../src/core/diagnostics';
import { el } from '../dom';
import { t } from '../../l10n';

/** "data.csv, line 12, column 3" — or "" when the diagnostic has no location. */
export function location(d: Diagnostic): string {
  const parts: string[] = [];
  if (d.file) parts.push(d.file);
  if (d.line !== undefined) parts.push(t('line {0}', d.line));
  if (d.column !== undefined) parts.push(t('column {0}', d.column));
  return parts.join(', ');
}

export function diagnosticsList(diagnostics: readonly Diagnostic[], heading?: string): HTMLElement {
  const severe = diagnostics.some((d) => d.severity === 'error');
  return el(
    'div',
    { class: `ll-diagnostics ${severe ? 'll-error' : 'll-warning'}`, attrs: { role: severe ? 'alert' : 'status' } },
    heading ? el('h3', null, heading) : null,
    el(
      'ul',
      null,
      ...diagnostics.map((d) =>
        el(
          'li',
          { class: `ll-diag ll-diag-${d.severity}`, attrs: { 'data-code': d.code } },
          el('span', { class: 'll-diag-severity' }, d.severity === 'error' ? t('Error') : d.severity === 'warning' ? t('Warning') : t('Note')),
          location(d) ? el('span', { class: 'll-diag-where' }, location(d)) : null,
          el('span', { class: 'll-diag-message' }, d.message),
        ),
      ),
    ),
  );
}
