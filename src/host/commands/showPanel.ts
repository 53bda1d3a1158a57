import type * as vscode from 'vscode';
import { autoTrainOnOpen } from '../configuration';
import { ModelPanel, type PanelServices } from '../modelPanel';
import { activeDataFile, resolveDataFile } from './resolveDataFile';

/**
 * `logitLab.showPanel`: reveals the panel of the given or active data file, else the last panel
 * used, else asks for a file. A new panel trains at once when `logitLab.autoTrainOnOpen` is on.
 */
export async function showPanelCommand(services: PanelServices, arg?: unknown): Promise<{ file: string } | undefined> {
  const direct = arg !== undefined ? await resolveDataFile(arg) : activeDataFile();
  const existing = direct ? ModelPanel.get(direct) : ModelPanel.current();
  if (existing) {
    existing.panel.reveal();
    return { file: existing.fileUri.toString() };
  }
  const fileUri = direct ?? (await resolveDataFile(undefined));
  if (!fileUri) return undefined;
  return { file: openPanel(services, fileUri).fileUri.toString() };
}

/** Opens the panel; trains when it is new and `logitLab.autoTrainOnOpen` is set. */
export function openPanel(services: PanelServices, fileUri: vscode.Uri): ModelPanel {
  const train = !ModelPanel.get(fileUri) && autoTrainOnOpen(fileUri);
  const panel = ModelPanel.createOrShow(services, fileUri, train);
  if (train) void panel.train();
  return panel;
}
