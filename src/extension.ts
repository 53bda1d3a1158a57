/**
 * Logit Lab's entry point. activate() only registers things: the commands, the model panel's
 * serializer and the gradient checker (CodeLens, diagnostics, panel). Everything else is loaded on first use
 * (dynamic import: esbuild keeps those modules in the bundle but evaluates them lazily), and the
 * numerics run in the training worker (dist/trainWorker.js), never in this bundle.
 */
import * as vscode from 'vscode';
import type { PanelServices } from './host/modelPanel';
import { registerGradcheck } from './host/gradcheck/register';
import { setTranslator } from './host/localize';

let services: Promise<PanelServices> | undefined;

function getServices(context: vscode.ExtensionContext): Promise<PanelServices> {
  services ??= import('./host/runStore').then(({ RunStore }) => {
    const runs = new RunStore(context.storageUri ?? context.globalStorageUri, (m) => void import('./host/output').then(({ log }) => log().warn(m)));
    // A run's history is written a moment after it (SAVE_DELAY_MS): what is still due, when the window closes.
    context.subscriptions.push({ dispose: () => runs.flush() });
    return { context, runs };
  });
  return services;
}

/** Runs a command body with logging of unexpected errors (short toast, stack in the Output channel). */
async function guarded<T>(name: string, body: () => Promise<T>): Promise<T | undefined> {
  const { guard } = await import('./host/output');
  return guard(name, body);
}

export function activate(context: vscode.ExtensionContext): void {
  // Host modules that stay free of the vscode API localize through this (see src/host/localize.ts).
  setTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  const command = (id: string, handler: (...args: unknown[]) => Promise<unknown>) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => guarded(id, () => handler(...args))));

  command('logitLab.train', async (uri) => (await import('./host/commands/train')).trainCommand(await getServices(context), uri));
  command('logitLab.openSample', async (name) => (await import('./host/commands/openSample')).openSampleCommand(await getServices(context), name));
  command('logitLab.showPanel', async (uri) => (await import('./host/commands/showPanel')).showPanelCommand(await getServices(context), uri));

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer('logitLab.modelPanel', {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const { ModelPanel } = await import('./host/modelPanel');
        ModelPanel.revive(await getServices(context), panel, state);
      },
    }),
    { dispose: () => void import('./host/modelPanel').then(({ ModelPanel }) => ModelPanel.disposeAll()) },
  );

  // The gradient checker: CodeLens, diagnostics, its command and panel serializer (engine loaded on first check).
  registerGradcheck(context);

  // Tests only: inspect and drive panels (not contributed, so never in the palette; absent in production).
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    context.subscriptions.push(
      vscode.commands.registerCommand('logitLab._test', async (req) => (await import('./host/commands/testHook')).testHookCommand(req)),
    );
  }
}

export function deactivate(): void {
  void import('./host/output').then(({ disposeOutput }) => disposeOutput());
}
