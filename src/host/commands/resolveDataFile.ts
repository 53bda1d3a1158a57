import * as vscode from 'vscode';

export const DATA_FILE = /\.(csv|tsv)$/i;

/**
 * The data file a command acts on: the resource it was invoked on (Explorer / editor menus pass
 * it), else the active editor's file when it is a .csv/.tsv, else a file picker.
 */
export async function resolveDataFile(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return arg.includes('://') || arg.startsWith('file:') ? vscode.Uri.parse(arg, true) : vscode.Uri.file(arg);
  const active = activeDataFile();
  if (active) return active;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Train'),
    title: vscode.l10n.t('Logit Lab: choose a CSV or TSV file'),
    filters: { [vscode.l10n.t('CSV / TSV')]: ['csv', 'tsv'], [vscode.l10n.t('All files')]: ['*'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

/** The active tab's file if it is a .csv/.tsv (text editor or any editor with a resource). */
export function activeDataFile(): vscode.Uri | undefined {
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  if (editorUri && DATA_FILE.test(editorUri.path)) return editorUri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const tabUri = input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
  return tabUri && DATA_FILE.test(tabUri.path) ? tabUri : undefined;
}
