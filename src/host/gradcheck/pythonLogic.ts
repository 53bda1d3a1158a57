/**
 * The Python checks' editor integration as plain data (no vscode API): which check results belong
 * to which gradcheck cell, the verdict a cell's lens or status bar item shows, and the diagnostics
 * of a run, on the line of the `return` whose gradient is wrong (notebooks: in that cell).
 */
import type { DocPosition, PythonCell } from '../../core/gradcheck/python/cells';
import type { BlockReport } from '../../core/gradcheck/types';
import { localize } from '../localize';
import { paramMessage, sentence, type DiagnosticData } from './logic';

/** What the host keeps of one check: the report and its positions. */
export interface PythonCheckView {
  report: BlockReport;
  at: DocPosition;
  returnAt?: DocPosition;
  errorAt?: DocPosition;
  notes: string[];
}

/** The index of the cell (in `cells`) that holds a position: the last cell starting at or before it. */
export function cellIndexOf(cells: readonly PythonCell[], at: DocPosition): number {
  if (at.notebookCell !== undefined) return cells.findIndex((c) => c.notebookCell === at.notebookCell);
  let found = -1;
  cells.forEach((c, k) => {
    if (c.notebookCell === undefined && c.line <= at.line) found = k;
  });
  return found;
}

/** The report a gradcheck cell's lens shows: its first check that does not pass, else its first. */
export function cellReport(cells: readonly PythonCell[], cell: number, results: readonly PythonCheckView[]): BlockReport | undefined {
  const mine = results.filter((r) => cellIndexOf(cells, r.at) === cell);
  return (mine.find((r) => r.report.verdict !== 'pass') ?? mine[0])?.report;
}

/** A diagnostic with the notebook cell it belongs to (undefined: the document itself). */
export interface PythonDiagnostic extends DiagnosticData {
  notebookCell?: number;
}

/**
 * The diagnostics of a run: an error where it was raised (or at the check), a failing gradient on
 * the line of its `return`, notes (an input modified in place) as warnings at the check.
 */
export function pythonDiagnostics(results: readonly PythonCheckView[]): PythonDiagnostic[] {
  const out: PythonDiagnostic[] = [];
  for (const r of results) {
    if (r.report.error) {
      const at = r.errorAt ?? r.at;
      out.push({ line: at.line, notebookCell: at.notebookCell, message: sentence(r.report.error.message), severity: 'error' });
    }
    for (const p of [...r.report.params, ...(r.report.hessian ?? [])]) {
      if (p.verdict === 'pass') continue;
      const at = r.returnAt ?? r.at;
      out.push({ line: at.line, notebookCell: at.notebookCell, message: paramMessage(p, p.name === 'Hessian'), severity: 'error' });
    }
    for (const note of r.notes) out.push({ line: r.at.line, notebookCell: r.at.notebookCell, message: note, severity: 'warning' });
  }
  return out;
}

/** The lens and status bar text in a restricted workspace. */
export function untrustedTitle(): string {
  return localize('Check gradient: disabled in Restricted Mode (trust this workspace to run Python)');
}
