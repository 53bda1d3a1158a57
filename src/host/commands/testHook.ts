import * as vscode from 'vscode';
import type { WebviewToHost } from '../../protocol/panel';
import { scriptedSaveTargets } from '../exports';
import { ModelPanel } from '../modelPanel';

/** Requests of the hidden `logitLab._test` command (registered only in development/test mode). */
export type TestRequest =
  | { op: 'state' }
  | { op: 'idle'; file?: string }
  | { op: 'post'; file: string; message: WebviewToHost; wait?: boolean }
  | { op: 'saveTargets'; uris: string[] }
  | { op: 'disposeAll' };

function panelFor(file: string | undefined): ModelPanel {
  const panel = file ? ModelPanel.get(vscode.Uri.parse(file, true)) : ModelPanel.current();
  if (!panel) throw new Error(`no model panel for ${file ?? '(any)'}`);
  return panel;
}

/** Lets the extension-host tests inspect panels and drive them as the webview would. */
export async function testHookCommand(req: TestRequest): Promise<unknown> {
  switch (req.op) {
    case 'state':
      return { panels: ModelPanel.all().map((p) => p.testState()) };
    case 'idle':
      await panelFor(req.file).idle();
      return panelFor(req.file).testState();
    case 'post': {
      const done = panelFor(req.file).receive(req.message);
      if (req.wait !== false) await done;
      return true;
    }
    case 'saveTargets':
      scriptedSaveTargets.push(...req.uris.map((u) => vscode.Uri.parse(u, true)));
      return scriptedSaveTargets.length;
    case 'disposeAll':
      ModelPanel.disposeAll();
      return true;
    default: {
      const never: never = req;
      throw new Error(`unknown test request ${JSON.stringify(never)}`);
    }
  }
}
