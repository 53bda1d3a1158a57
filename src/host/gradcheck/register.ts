import * as vscode from 'vscode';
import { extractBlocks } from '../../core/gradcheck/blocks';
import type { BlockReport, SourceBlock } from '../../core/gradcheck/types';
import { GradcheckPanel } from './checkerPanel';
import { pythonCellsOf, registerPythonGradcheck } from './python';
import { checkSourceBlock, disposeWorker } from './engine';
import { blockCalling, gradientFunctions, isNotesFile } from './functionFiles';
import { WALKTHROUGH_CONTEXT, markWalkthroughStep } from '../walkthrough';
import {
  ReportCache,
  blockForLens,
  blocksToCheck,
  diagnosticColumns,
  lensLineZeroBased,
  lensTitle,
  mayContainBlocks,
  rebaseReport,
  summary,
  type DiagnosticData,
} from './logic';

export const CHECK_GRADIENT_COMMAND = 'logitLab.checkGradient';
export const DIAGNOSTIC_COLLECTION = 'logit-lab-gradcheck';
export const GRADCHECK_LANGUAGE = 'gradcheck';

/** Documents the CodeLens provider serves: Markdown, LaTeX and .gradcheck files. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'markdown' },
  { language: 'latex' },
  { language: 'tex' },
  { language: GRADCHECK_LANGUAGE },
  { pattern: '**/*.gradcheck' },
  { pattern: '**/*.m' },
];

/** The folder of a local document (NAME.m files are found there), or undefined for an untitled one. */
function folderOf(doc: vscode.TextDocument): string | undefined {
  return doc.uri.scheme === 'file' ? vscode.Uri.joinPath(doc.uri, '..').fsPath : undefined;
}

/** Lenses above each `function [J, grad] = name` of a .m file that a gradcheck block in its folder checks. */
async function functionFileLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const functions = gradientFunctions(doc.getText());
  if (functions.length === 0 || doc.uri.scheme !== 'file') return [];
  const folder = vscode.Uri.joinPath(doc.uri, '..');
  const entries = await vscode.workspace.fs.readDirectory(folder).then(
    (e) => e,
    () => [] as [string, vscode.FileType][],
  );
  const notes = entries.filter(([name, type]) => type === vscode.FileType.File && isNotesFile(name)).slice(0, 200);
  const lenses: vscode.CodeLens[] = [];
  for (const [name] of notes) {
    const uri = vscode.Uri.joinPath(folder, name);
    const bytes = await vscode.workspace.fs.readFile(uri).then((b) => b, () => undefined);
    if (!bytes || bytes.length > 1 << 20) continue;
    const text = new TextDecoder('utf-8').decode(bytes);
    for (const f of functions) {
      const block = blockCalling(text, name, f.name);
      if (!block || lenses.some((l) => l.range.start.line === f.line)) continue;
      lenses.push(
        new vscode.CodeLens(new vscode.Range(f.line, 0, f.line, 0), {
          title: vscode.l10n.t('Check gradient'),
          tooltip: vscode.l10n.t('Run the gradcheck block of {0} that calls {1}', name, f.name),
          command: CHECK_GRADIENT_COMMAND,
          arguments: [uri, block.line],
        }),
      );
    }
  }
  return lenses;
}

/** The gradcheck blocks of a document (a .gradcheck file, or a document in the gradcheck language, is one plain block). */
export function documentBlocks(doc: vscode.TextDocument): SourceBlock[] {
  const text = doc.getText();
  if (doc.languageId === GRADCHECK_LANGUAGE || doc.fileName.toLowerCase().endsWith('.gradcheck')) {
    return [{ line: 1, source: text.replace(/\r\n?/g, '\n'), language: 'plain' }];
  }
  if (!mayContainBlocks(text, doc.languageId)) return [];
  return extractBlocks(text, doc.fileName);
}

/**
 * Registers the gradient checker's editor integration: the "Check gradient" CodeLens above every
 * gradcheck block (its title shows the verdict after a check), the `logitLab.checkGradient` command,
 * the 'logit-lab-gradcheck' diagnostics (one per failing parameter, on its grad line), and the
 * checker panel with its serializer. The engine is loaded on the first check, not here.
 */
export function registerGradcheck(context: vscode.ExtensionContext): void {
  const cache = new ReportCache();
  const diagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_COLLECTION);
  const lensesChanged = new vscode.EventEmitter<void>();
  const python = registerPythonGradcheck(context, diagnostics, toDiagnostic);

  const refreshDiagnostics = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    if (!cache.has(key)) {
      diagnostics.delete(doc.uri);
      return;
    }
    const blocks = documentBlocks(doc);
    cache.retain(key, blocks.map((b) => b.source));
    diagnostics.set(doc.uri, cache.diagnostics(key, blocks).map((d) => toDiagnostic(doc, d)));
  };

  const lensProvider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses(doc) {
      if (doc.fileName.toLowerCase().endsWith('.m')) return functionFileLenses(doc);
      const key = doc.uri.toString();
      return documentBlocks(doc).map((block) => {
        const line = Math.min(lensLineZeroBased(block), Math.max(0, doc.lineCount - 1));
        const report = cache.get(key, block.source);
        return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: lensTitle(report),
          tooltip: report ? vscode.l10n.t('Check this gradient again and show the details') : vscode.l10n.t('Compare the gradient with finite differences'),
          command: CHECK_GRADIENT_COMMAND,
          arguments: [doc.uri, block.line],
        });
      });
    },
  };

  async function checkGradient(uri?: unknown, line?: unknown, kind?: unknown): Promise<void> {
    if (kind === 'python' && uri instanceof vscode.Uri) return python.check(uri);
    let doc: vscode.TextDocument | undefined;
    let cursorLine: number | undefined;
    const editor = vscode.window.activeTextEditor;
    // Python (.py cells, notebooks): every check of the file, in a Python child process.
    const pythonTarget = uri instanceof vscode.Uri ? uri : (vscode.window.activeNotebookEditor?.notebook.uri ?? editor?.document.uri);
    if (pythonTarget && python.isPython(pythonTarget)) return python.check(pythonTarget);
    if (uri instanceof vscode.Uri) {
      doc = await vscode.workspace.openTextDocument(uri);
      if (editor && editor.document.uri.toString() === uri.toString()) cursorLine = editor.selection.active.line + 1;
    } else if (editor) {
      doc = editor.document;
      cursorLine = editor.selection.active.line + 1;
    }
    if (!doc) {
      GradcheckPanel.createOrShow(context.extensionUri);
      return;
    }
    const blocks = documentBlocks(doc);
    let targets: SourceBlock[];
    if (typeof line === 'number') {
      const block = blockForLens(blocks, line);
      targets = block ? [block] : [];
    } else {
      targets = blocksToCheck(blocks, cursorLine);
    }
    if (targets.length === 0 && pythonCellsOf(doc).length > 0) return python.check(doc.uri);
    if (targets.length === 0) {
      GradcheckPanel.createOrShow(context.extensionUri);
      return;
    }
    const key = doc.uri.toString();
    const results: { block: SourceBlock; report: BlockReport }[] = [];
    for (const block of targets) {
      // Each check is synchronous (bounded by the engine's time limit); let the host breathe between blocks.
      if (results.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const report = await checkSourceBlock(block, undefined, folderOf(doc));
      cache.set(key, block.source, report);
      results.push({ block, report });
    }
    refreshDiagnostics(doc);
    lensesChanged.fire();
    markWalkthroughStep(WALKTHROUGH_CONTEXT.gradientChecked);
    const shown = results.find((r) => r.report.verdict !== 'pass') ?? results[0];
    GradcheckPanel.createOrShow(context.extensionUri, {
      source: shown.block.source,
      report: rebaseReport(shown.report, 1 - shown.block.line),
    });
    if (results.length > 1) void vscode.window.showInformationMessage(summary(results.map((r) => r.report)));
  }

  context.subscriptions.push(
    diagnostics,
    lensesChanged,
    vscode.languages.registerCodeLensProvider(SELECTOR, lensProvider),
    vscode.commands.registerCommand(CHECK_GRADIENT_COMMAND, checkGradient),
    vscode.window.registerWebviewPanelSerializer(GradcheckPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        GradcheckPanel.revive(panel, context.extensionUri);
      },
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && cache.has(e.document.uri.toString())) refreshDiagnostics(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      cache.delete(doc.uri.toString());
      diagnostics.delete(doc.uri);
    }),
    { dispose: () => GradcheckPanel.current?.dispose() },
    { dispose: disposeWorker },
  );
}

export function toDiagnostic(doc: vscode.TextDocument, d: DiagnosticData): vscode.Diagnostic {
  const line = Math.min(Math.max(0, d.line - 1), Math.max(0, doc.lineCount - 1));
  const { start, end } = diagnosticColumns(doc.lineAt(line).text, d.column);
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(line, start, line, end),
    d.message,
    d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = 'Logit Lab gradcheck';
  return diagnostic;
}
