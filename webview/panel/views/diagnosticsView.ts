/** Diagnostics (CSV errors, training failures, warnings) as readable lines with file:line:column. */
import type { Diagnostic } from '../../../src/core/diagnostics';
import { el } from '../dom';

/** "data.csv, line 12, column 3" — or "" when the diagnostic has no location. */
export function location(d: Diagnostic): string {
  const parts: string[] = [];
  if (d.file) parts.push(d.file);
  if (d.line !== undefined) parts.push(`line ${d.line}`);
  if (d.column !== undefined) parts.push(`column ${d.column}`);
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
          el('span', { class: 'll-diag-severity' }, d.severity === 'error' ? 'Error' : d.severity === 'warning' ? 'Warning' : 'Note'),
          location(d) ? el('span', { class: 'll-diag-where' }, location(d)) : null,
          el('span', { class: 'll-diag-message' }, d.message),
        ),
      ),
    ),
  );
}
