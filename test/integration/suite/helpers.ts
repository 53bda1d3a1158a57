import * as vscode from 'vscode';

export const EXTENSION_ID = 'logit-lab.logit-lab';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The workspace folder: a throw-away copy of test/e2e/workspace (tests write only there). */
export function workspaceUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder (a copy of test/e2e/workspace)');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

export async function readBytes(uri: vscode.Uri): Promise<Buffer> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri));
}

/** Shapes of the hidden `logitLab._test` command's answers (see src/host/modelPanel.ts testState). */
export interface PanelState {
  file: string;
  fileName: string;
  title: string;
  viewType: string;
  ready: boolean;
  training: { runId: number; iteration: number } | null;
  preview: { nRows: number; nColumns: number; guessedTarget: string } | null;
  loadError: { code: string; message: string; line?: number; column?: number; file?: string }[] | null;
  runs: { id: number; label: string; C?: number; accuracy?: number; iterations: number; classes: string[]; chosenC?: number | null }[];
  lastRun: { id: number; coef: number[][]; intercept: number[] } | null;
  html: string;
  journal: { dir: 'in' | 'out'; type: string; detail?: unknown }[];
}

export interface TrainSummary {
  file: string;
  runId: number;
  outcome: 'finished' | 'cancelled' | 'failed' | 'invalid';
  accuracy?: number;
  iterations?: number;
  classes?: string[];
  diagnostics?: { code: string; line?: number; message: string }[];
}

export function testHook<T>(req: unknown): Thenable<T> {
  return vscode.commands.executeCommand<T>('logitLab._test', req);
}

export async function panelState(uri: vscode.Uri): Promise<PanelState | undefined> {
  const { panels } = await testHook<{ panels: PanelState[] }>({ op: 'state' });
  return panels.find((p) => p.file === uri.toString());
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Posts a message into the panel as its webview would. */
export function postToPanel(uri: vscode.Uri, message: unknown, wait = true): Thenable<unknown> {
  return testHook({ op: 'post', file: uri.toString(), message, wait });
}
