/**
 * `logit-lab gradcheck` on Python: a `.py` file with `# %% gradcheck` cells, a notebook with
 * `# gradcheck` cells, or Markdown with ```python gradcheck fences. The student's code runs in the
 * interpreter given by --python (default python3); verdicts, JSON and exit codes are those of
 * Octave blocks. The student's prints go to stderr.
 */
import { resolve, dirname, basename } from 'node:path';
import { DataError, formatDiagnostic } from '../core/diagnostics';
import { type PythonDocumentError, type DocPosition, type PythonCell } from '../core/gradcheck/python/cells';
import type { BlockReport, GradcheckOptions } from '../core/gradcheck/types';
import { PythonInterpreterError, runPythonChecks, type PythonCheckResult } from '../node/python/runChecks';
import { EXIT_BAD_INPUT, EXIT_GRADIENT_WRONG, EXIT_OK, type CliIo } from './io';

export interface PythonCliOptions extends GradcheckOptions {
  python: string;
  json: boolean;
  memoryMb?: number;
}

export const PICK_PYTHON_CLI = 'pass another interpreter with --python PATH (e.g. --python /usr/bin/python3 or a virtual environment\'s bin/python)';

/** Runs the checks and prints the report; Octave reports of the same file (Markdown) come first. */
export async function pythonGradcheck(
  file: string,
  cells: PythonCell[],
  options: PythonCliOptions,
  io: CliIo,
  octave: { reports: BlockReport[]; human: (reports: BlockReport[]) => string[]; json: (reports: BlockReport[]) => unknown },
): Promise<number> {
  let results: PythonCheckResult[];
  let pending = '';
  // The student's prints, whole lines at a time, on stderr.
  const output = (text: string): void => {
    pending += text;
    const end = pending.lastIndexOf('\n');
    if (end < 0) return;
    io.err(pending.slice(0, end));
    pending = pending.slice(end + 1);
  };
  try {
    results = await runPythonChecks(cells, {
      ...options,
      pickHint: PICK_PYTHON_CLI,
      fileLabel: basename(file),
      docDir: dirname(resolve(file)),
      onOutput: output,
    });
  } catch (e) {
    if (pending) io.err(pending);
    if (e instanceof PythonInterpreterError) throw new DataError({ code: 'gradcheck.python', file, message: e.message });
    throw e;
  }
  if (pending) io.err(pending);
  for (const r of results) {
    const error = r.report.error;
    if (error) io.err(formatDiagnostic({ severity: 'error', code: 'gradcheck.python', file, line: (r.errorAt ?? r.at).line, column: error.column, message: cellPrefix(r.errorAt ?? r.at) + error.message }));
  }
  const reports = results.map((r) => r.report);
  const all = [...octave.reports, ...reports];
  if (options.json) {
    const json = octave.json(all) as { blocks: Record<string, unknown>[] };
    results.forEach((r, k) => {
      const block = json.blocks[octave.reports.length + k];
      block.language = 'python';
      if (r.at.notebookCell !== undefined) block.cell = r.at.notebookCell;
      if (r.notes.length > 0) block.notes = r.notes;
      if (r.shapes) block.shapes = r.shapes;
      const params = block.params as Record<string, unknown>[];
      if (r.returnAt?.notebookCell !== undefined) for (const p of params) p.cell = r.returnAt.notebookCell;
    });
    io.out(JSON.stringify(json, null, 2));
  } else {
    const lines = octave.human(octave.reports).slice(0, -1);
    results.forEach((r) => {
      const body = octave.human([r.report]).slice(0, -1);
      body[0] = `${file}:${where(r.at)}: check ${r.report.verdict}`;
      const cell = r.returnAt?.notebookCell;
      if (cell !== undefined) for (const [k, l] of body.entries()) body[k] = l.replace(/ \(line (\d+)\):/, ` (cell ${cell + 1}, line $1):`);
      lines.push(...body, ...r.notes.map((n) => `  note: ${n}`));
    });
    const count = (v: BlockReport['verdict']): number => all.filter((r) => r.verdict === v).length;
    lines.push(`${all.length} check${all.length === 1 ? '' : 's'}: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error`);
    io.out(lines.join('\n'));
  }
  if (all.some((r) => r.verdict === 'error')) return EXIT_BAD_INPUT;
  return all.some((r) => r.verdict === 'fail') ? EXIT_GRADIENT_WRONG : EXIT_OK;
}

function where(at: DocPosition): string {
  return at.notebookCell === undefined ? String(at.line) : `cell ${at.notebookCell + 1}:${at.line}`;
}

function cellPrefix(at: DocPosition): string {
  return at.notebookCell === undefined ? '' : `cell ${at.notebookCell + 1}: `;
}

export function documentError(file: string, e: PythonDocumentError): DataError {
  return new DataError({ code: 'gradcheck.notebook', file, line: e.line, message: e.message });
}
