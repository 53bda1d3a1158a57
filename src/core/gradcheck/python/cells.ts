/**
 * Finding Python gradient checks in documents, with a map back to document lines:
 * - a `.py` file: cells start at `# %%` lines; a cell whose marker is `# %% gradcheck` is a check
 *   cell, and the file's earlier cells run before it;
 * - a notebook (`.ipynb` JSON): a code cell whose first line is `# gradcheck`; the code cells
 *   above it run first;
 * - Markdown: a ```python gradcheck fence; the earlier ```python (or ```py) fences run first.
 * Every check cell of a document runs in one Python process, cells in document order, so a check
 * sees the state its cell sees; the cells after the last check cell are not sent.
 */

export type PythonDocumentKind = 'py' | 'ipynb' | 'markdown';

export interface PythonCell {
  code: string;
  /** 1-based document line of the code's first line (.py, Markdown); 1 for notebook cells. */
  line: number;
  /** 0-based index of the notebook cell (among all cells of the notebook). */
  notebookCell?: number;
  /** Does this cell register checks (`# %% gradcheck`, `# gradcheck`, ```python gradcheck)? */
  gradcheck: boolean;
}

/** A position in the document: a line (1-based) and, in a notebook, the cell it is in. */
export interface DocPosition {
  line: number;
  notebookCell?: number;
}

export class PythonDocumentError extends Error {
  constructor(
    message: string,
    readonly line = 1,
  ) {
    super(message);
  }
}

const PY_CELL = /^#\s*%%/;
const PY_GRADCHECK = /^#\s*%%\s*gradcheck\b/;
const NOTEBOOK_GRADCHECK = /^#\s*gradcheck\b/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})\s*(python|py)(\s+gradcheck)?\s*(?:\{[^}]*\})?\s*$/;

export function documentKind(fileName: string): PythonDocumentKind | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.py')) return 'py';
  if (lower.endsWith('.ipynb')) return 'ipynb';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  return undefined;
}

/** The cells to run, in order, up to and including the last check cell (none when there is no check). */
export function extractPythonCells(text: string, kind: PythonDocumentKind): PythonCell[] {
  const cells = kind === 'py' ? pyCells(text) : kind === 'ipynb' ? notebookCells(text) : markdownCells(text);
  const last = cells.map((c) => c.gradcheck).lastIndexOf(true);
  return cells.slice(0, last + 1);
}

/** Document position of a line of a cell's code (1-based line within the cell). */
export function documentPosition(cell: PythonCell, lineInCell: number): DocPosition {
  return cell.notebookCell === undefined ? { line: cell.line + lineInCell - 1 } : { line: lineInCell, notebookCell: cell.notebookCell };
}

function pyCells(text: string): PythonCell[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const cells: PythonCell[] = [];
  let start = 0;
  const flush = (end: number): void => {
    const code = lines.slice(start, end).join('\n');
    if (code.trim() !== '') cells.push({ code, line: start + 1, gradcheck: PY_GRADCHECK.test(lines[start]) });
  };
  for (let i = 0; i < lines.length; i++) {
    if (i > start && PY_CELL.test(lines[i])) {
      flush(i);
      start = i;
    }
  }
  flush(lines.length);
  return cells;
}

interface NotebookJson {
  cells?: { cell_type?: string; source?: string | string[] }[];
}

function notebookCells(text: string): PythonCell[] {
  let notebook: NotebookJson;
  try {
    notebook = JSON.parse(text) as NotebookJson;
  } catch (e) {
    throw new PythonDocumentError(`not a notebook: the file is not valid JSON (${(e as Error).message})`);
  }
  if (!notebook || typeof notebook !== 'object' || !Array.isArray(notebook.cells)) {
    throw new PythonDocumentError('not a notebook: no "cells" array');
  }
  const cells: PythonCell[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell?.cell_type !== 'code') return;
    const source = Array.isArray(cell.source) ? cell.source.join('') : typeof cell.source === 'string' ? cell.source : '';
    cells.push(notebookCell(source, index));
  });
  return cells;
}

/** A notebook cell's code, IPython magics (`%time`, `!pip`, `%%capture`) turned into `pass` so line numbers stay. */
export function notebookCell(source: string, index: number): PythonCell {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const code = lines.map((l) => l.replace(/^(\s*)(%|!).*$/, '$1pass')).join('\n');
  return { code, line: 1, notebookCell: index, gradcheck: NOTEBOOK_GRADCHECK.test(lines[0] ?? '') };
}

function markdownCells(text: string): PythonCell[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const cells: PythonCell[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE_OPEN.exec(lines[i]);
    if (!fence) continue;
    const marker = fence[1];
    const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j])) j++;
    cells.push({ code: lines.slice(i + 1, j).join('\n'), line: i + 2, gradcheck: fence[3] !== undefined });
    i = j;
  }
  return cells;
}
