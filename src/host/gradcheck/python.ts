/**
 * Python gradient checks in the editor: a "Check gradient" CodeLens on `# %% gradcheck` cells of
 * .py files (and ```python gradcheck fences of Markdown), a "Check gradient" item in the cell status
 * bar of notebook cells starting with `# gradcheck`, diagnostics on the `return` line of a wrong
 * gradient, and the checker panel. The student's code runs in a child Python process (never on the
 * extension host), only in a trusted workspace; its prints go to the "Logit Lab: Python" output.
 */
import { dirname, basename } from 'node:path';
import * as vscode from 'vscode';
import { extractPythonCells, notebookCell, PythonDocumentError, type PythonCell } from '../../core/gradcheck/python/cells';
import { PythonCancelledError, PythonInterpreterError, runPythonChecks } from '../../node/python/runChecks';
import { WALKTHROUGH_CONTEXT, markWalkthroughStep } from '../walkthrough';
import { GradcheckPanel } from './checkerPanel';
import { CHECK_OPTIONS } from './engine';
import { lensTitle, summary } from './logic';
import { cellIndexOf, cellReport, pythonDiagnostics, untrustedTitle, type PythonCheckView } from './pythonLogic';
import { resolvePython } from './pythonInterpreter';

/** The palette command's id (register.ts): with [uri, undefined, 'python'] it runs the file's Python checks. */
const CHECK_PYTHON_COMMAND = 'logitLab.checkGradient';
const PYTHON_ARGS = (uri: vscode.Uri): unknown[] => [uri, undefined, 'python'];
const NOTEBOOK_TYPE = 'jupyter-notebook';

interface Run {
  /** The cell sources the results belong to (a changed document drops them). */
  cells: PythonCell[];
  results: PythonCheckView[];
}

/** The cells of a .py or Markdown text document, or of a notebook (its current, unsaved contents). */
export function pythonCellsOf(target: vscode.TextDocument | vscode.NotebookDocument): PythonCell[] {
  if ('cellCount' in target) {
    const cells = target.getCells().flatMap((c, index) => (c.kind === vscode.NotebookCellKind.Code ? [notebookCell(c.document.getText(), index)] : []));
    const last = cells.map((c) => c.gradcheck).lastIndexOf(true);
    return cells.slice(0, last + 1);
  }
  const kind = target.languageId === 'markdown' ? 'markdown' : target.languageId === 'python' || target.fileName.endsWith('.py') ? 'py' : undefined;
  if (!kind) return [];
  try {
    return extractPythonCells(target.getText(), kind);
  } catch (e) {
    if (e instanceof PythonDocumentError) return [];
    throw e;
  }
}

function sameCells(a: readonly PythonCell[], b: readonly PythonCell[]): boolean {
  return a.length === b.length && a.every((c, k) => c.code === b[k].code);
}

/** A check cell's lens or status-bar title: untrusted, running, or its verdict. */
function cellTitle(isRunning: boolean, report: Parameters<typeof lensTitle>[0]): string {
  if (!vscode.workspace.isTrusted) return untrustedTitle();
  return isRunning ? vscode.l10n.t('Checking gradient…') : lensTitle(report);
}

/** Runs every check of the cells in Python under a cancellable progress notification. */
function checkWithProgress(uri: vscode.Uri, cells: PythonCell[], python: string, output: vscode.OutputChannel): Thenable<PythonCheckView[]> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking gradients in {0}', basename(uri.fsPath)), cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return runPythonChecks(cells, {
        ...CHECK_OPTIONS,
        python,
        pickHint: vscode.l10n.t('pick another with "Python: Select Interpreter" or the python.defaultInterpreterPath setting'),
        fileLabel: basename(uri.fsPath),
        docDir: uri.scheme === 'file' ? dirname(uri.fsPath) : undefined,
        signal: abort.signal,
        onOutput: (text) => output.append(text),
      });
    },
  );
}

/** The checker panel on the first check that does not pass (else the first). */
function showFirstResult(extensionUri: vscode.Uri, uri: vscode.Uri, cells: PythonCell[], results: PythonCheckView[]): void {
  const shown = results.find((r) => r.report.verdict !== 'pass') ?? results[0];
  if (!shown) return;
  const cell = cells[Math.max(0, cellIndexOf(cells, shown.at))];
  const where = shown.at.notebookCell === undefined ? `line ${shown.at.line}` : `cell ${shown.at.notebookCell + 1}, line ${shown.at.line}`;
  GradcheckPanel.createOrShow(extensionUri, { source: cell.code, report: shown.report, origin: `${basename(uri.fsPath)}, ${where}` });
}

export function registerPythonGradcheck(context: vscode.ExtensionContext, diagnostics: vscode.DiagnosticCollection, toDiagnostic: (doc: vscode.TextDocument, d: { line: number; column?: number; message: string; severity: 'error' | 'warning' }) => vscode.Diagnostic): {
  isPython: (uri: vscode.Uri) => boolean;
  check: (uri: vscode.Uri) => Promise<void>;
} {
  const runs = new Map<string, Run>();
  const changed = new vscode.EventEmitter<void>();
  const statusChanged = new vscode.EventEmitter<void>();
  const output = vscode.window.createOutputChannel('Logit Lab: Python');
  const running = new Set<string>();

  const lensProvider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const cells = pythonCellsOf(doc);
      const run = runs.get(doc.uri.toString());
      const valid = run && sameCells(run.cells, cells) ? run : undefined;
      return cells.flatMap((cell, k) => {
        if (!cell.gradcheck) return [];
        const line = Math.max(0, doc.languageId === 'markdown' ? cell.line - 2 : cell.line - 1);
        const title = cellTitle(running.has(doc.uri.toString()), valid && cellReport(cells, k, valid.results));
        return [new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command: CHECK_PYTHON_COMMAND, arguments: PYTHON_ARGS(doc.uri), tooltip: vscode.l10n.t('Run the cells of the file in Python and compare each gradient with finite differences') })];
      });
    },
  };

  const statusProvider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: statusChanged.event,
    provideCellStatusBarItems(cell) {
      if (cell.kind !== vscode.NotebookCellKind.Code || !/^#\s*gradcheck\b/.test(cell.document.lineAt(0).text)) return [];
      const notebook = cell.notebook;
      const run = runs.get(notebook.uri.toString());
      const cells = pythonCellsOf(notebook);
      const valid = run && sameCells(run.cells, cells) ? run : undefined;
      const index = cells.findIndex((c) => c.notebookCell === cell.index);
      const title = cellTitle(running.has(notebook.uri.toString()), valid && cellReport(cells, index, valid.results));
      const item = new vscode.NotebookCellStatusBarItem(`$(beaker) ${title}`, vscode.NotebookCellStatusBarAlignment.Left);
      item.command = { title, command: CHECK_PYTHON_COMMAND, arguments: PYTHON_ARGS(notebook.uri) };
      item.tooltip = vscode.l10n.t('Run the cells of the notebook in Python and compare each gradient with finite differences');
      return [item];
    },
  };

  const refresh = (): void => {
    changed.fire();
    statusChanged.fire();
  };

  function setDiagnostics(uri: vscode.Uri, notebook: vscode.NotebookDocument | undefined, doc: vscode.TextDocument | undefined, results: PythonCheckView[]): void {
    const all = pythonDiagnostics(results);
    if (notebook) {
      for (const cell of notebook.getCells()) {
        const mine = all.filter((d) => d.notebookCell === cell.index);
        diagnostics.set(cell.document.uri, mine.map((d) => toDiagnostic(cell.document, d)));
      }
    } else if (doc) {
      diagnostics.set(uri, all.map((d) => toDiagnostic(doc, d)));
    }
  }

  async function check(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(untrustedTitle());
      return;
    }
    if (running.has(key)) return;
    const notebook = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === key) ?? (uri.path.endsWith('.ipynb') ? await vscode.workspace.openNotebookDocument(uri) : undefined);
    const doc = notebook ? undefined : await vscode.workspace.openTextDocument(uri);
    const cells = pythonCellsOf((notebook ?? doc)!);
    if (!cells.some((c) => c.gradcheck)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Python gradient checks in {0}: put check_gradient(fun, x0) in a "# %% gradcheck" cell (a notebook cell starting with "# gradcheck").', basename(uri.fsPath)));
      return;
    }
    const python = await resolvePython(uri);
    running.add(key);
    refresh();
    output.appendLine(vscode.l10n.t('— {0}: checking with {1} ({2})', basename(uri.fsPath), python.path, python.source));
    try {
      const results = await checkWithProgress(uri, cells, python.path, output);
      runs.set(key, { cells, results });
      setDiagnostics(uri, notebook, doc, results);
      markWalkthroughStep(WALKTHROUGH_CONTEXT.gradientChecked);
      showFirstResult(context.extensionUri, uri, cells, results);
      if (results.length > 1) void vscode.window.showInformationMessage(summary(results.map((r) => r.report)));
    } catch (e) {
      if (e instanceof PythonCancelledError) return;
      const message = e instanceof PythonInterpreterError ? e.message : vscode.l10n.t('The Python gradient check failed: {0}', e instanceof Error ? e.message : String(e));
      output.appendLine(message);
      void vscode.window.showErrorMessage(message);
    } finally {
      running.delete(key);
      refresh();
    }
  }

  const isPython = (uri: vscode.Uri): boolean => /\.(py|ipynb)$/i.test(uri.path);

  context.subscriptions.push(
    output,
    changed,
    statusChanged,
    vscode.languages.registerCodeLensProvider([{ language: 'python' }, { pattern: '**/*.py' }, { language: 'markdown' }], lensProvider),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, statusProvider),
    vscode.workspace.onDidGrantWorkspaceTrust(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && runs.has(e.document.uri.toString())) {
        runs.delete(e.document.uri.toString());
        diagnostics.delete(e.document.uri);
        changed.fire();
      }
    }),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (runs.has(e.notebook.uri.toString()) && e.cellChanges.some((c) => c.document !== undefined)) statusChanged.fire();
    }),
  );
  return { isPython, check };
}
