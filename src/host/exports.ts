import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../core/diagnostics';
import type { PlotFormat, RunRecord } from '../protocol/panel';
import { unpackNumbers } from '../protocol/packNumbers';
import { writeFileAtomic } from './atomicWrite';

/**
 * Exports from the model panel. Every export goes through a save dialog to a file the user picks,
 * is written atomically (temp file + rename), and never overwrites the data file.
 */
export interface ExportTarget {
  /** The panel's data file (protected from being overwritten). */
  fileUri: vscode.Uri;
  extensionUri: vscode.Uri;
}

export interface ExportResult {
  what: string;
  uri: vscode.Uri;
  warnings: Diagnostic[];
}

/**
 * Test hook: save targets queued by the hidden `logitLab._test` command (development/test mode
 * only) answer the next save dialogs instead of the user.
 */
export const scriptedSaveTargets: vscode.Uri[] = [];

/** Where save dialogs start: beside the data file when it is in the workspace, else the first workspace folder. */
export function defaultExportDir(fileUri: vscode.Uri): vscode.Uri {
  if (vscode.workspace.getWorkspaceFolder(fileUri)) return vscode.Uri.joinPath(fileUri, '..');
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? folder.uri : vscode.Uri.file(os.homedir());
}

function stem(fileUri: vscode.Uri): string {
  return path.posix.basename(fileUri.path).replace(/\.[^.]*$/, '');
}

async function pickSaveTarget(target: ExportTarget, fileName: string, filters: Record<string, string[]>, title: string): Promise<vscode.Uri | undefined> {
  const scripted = scriptedSaveTargets.shift();
  if (scripted) return scripted;
  return vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(defaultExportDir(target.fileUri), fileName), filters, title, saveLabel: vscode.l10n.t('Export') });
}

export async function exportModel(target: ExportTarget, run: RunRecord): Promise<ExportResult | undefined> {
  const uri = await pickSaveTarget(target, `${stem(target.fileUri)}.run${run.id}.model.json`, { [vscode.l10n.t('Model JSON')]: ['json'] }, vscode.l10n.t('Logit Lab: Save Model'));
  if (!uri) return undefined;
  await writeFileAtomic(uri, JSON.stringify(run.report.model, null, 2) + '\n', [target.fileUri]);
  return { what: 'model', uri, warnings: [] };
}

export async function exportPredictions(target: ExportTarget, run: RunRecord): Promise<ExportResult | undefined> {
  const uri = await pickSaveTarget(target, `${stem(target.fileUri)}.run${run.id}.predictions.csv`, { [vscode.l10n.t('CSV')]: ['csv'] }, vscode.l10n.t('Logit Lab: Save Predictions'));
  if (!uri) return undefined;
  const bytes = await vscode.workspace.fs.readFile(target.fileUri);
  const { predictionsCsv } = await import('../core/run/predict');
  const { csv, warnings } = predictionsCsv(run.report.model, bytes, path.posix.basename(target.fileUri.path));
  await writeFileAtomic(uri, csv, [target.fileUri]);
  return { what: 'predictions', uri, warnings };
}

export async function exportPlot(target: ExportTarget, name: string, format: PlotFormat, data: string): Promise<ExportResult | undefined> {
  const safe = name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'plot';
  const filters: Record<string, string[]> = format === 'svg' ? { [vscode.l10n.t('SVG image')]: ['svg'] } : { [vscode.l10n.t('PNG image')]: ['png'] };
  const bytes = plotBytes(format, data);
  const uri = await pickSaveTarget(target, `${stem(target.fileUri)}.${safe}.${format}`, filters, vscode.l10n.t('Logit Lab: Save Plot as {0}', format.toUpperCase()));
  if (!uri) return undefined;
  await writeFileAtomic(uri, bytes, [target.fileUri]);
  return { what: `${name} plot`, uri, warnings: [] };
}

/** SVG text as UTF-8, or a PNG `data:image/png;base64,…` URL decoded (checked: PNG signature). */
export function plotBytes(format: PlotFormat, data: string): Uint8Array {
  if (format === 'svg') {
    if (!/<svg[\s>]/i.test(data)) throw new Error(vscode.l10n.t('the plot data is not SVG'));
    const text = data.trimStart().startsWith('<?xml') ? data : `<?xml version="1.0" encoding="UTF-8"?>\n${data}`;
    return Buffer.from(text, 'utf8');
  }
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=\s]+)$/.exec(data);
  const bytes = m ? Buffer.from(m[1], 'base64') : undefined;
  if (!bytes || bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47) throw new Error(vscode.l10n.t('the plot data is not a PNG data URL'));
  return bytes;
}

/** `run` whole: an older run of the panel has its per-class curves only in its file (RunStore.complete reads them back). */
export async function exportReport(target: ExportTarget, run: RunRecord): Promise<ExportResult | undefined> {
  const uri = await pickSaveTarget(target, `${stem(target.fileUri)}.run${run.id}.report.html`, { [vscode.l10n.t('HTML report')]: ['html'] }, vscode.l10n.t('Logit Lab: Save HTML Report'));
  if (!uri) return undefined;
  const { buildReportHtml } = await import('../node/reportAssets');
  const title = vscode.l10n.t('Logit Lab report: {0} ({1})', path.posix.basename(target.fileUri.path), run.label);
  // A run of this session has its curves packed as binary (packReport): the HTML report embeds them as JSON.
  const report = { ...unpackNumbers(run.report), run: { number: run.id, startedAt: run.startedAt } };
  const html = buildReportHtml(vscode.Uri.joinPath(target.extensionUri, 'media', 'dist').fsPath, report, title, vscode.l10n.bundle, vscode.env.language);
  await writeFileAtomic(uri, html, [target.fileUri]);
  return { what: 'report', uri, warnings: [] };
}
