import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The "Logit Lab" Output channel (a LogOutputChannel), created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Logit Lab', { log: true });
  return channel;
}

/** Logs an internal error with its stack; returns a one-line message fit for a notification. */
export function logInternalError(context: string, error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  log().error(`${context}: ${e.stack ?? e.message}`);
  return `${context}: ${e.message}`;
}

/**
 * Runs a command body; an unexpected error is logged (with its stack) and shown as a short
 * notification that offers the Output channel, never as a stack trace.
 */
export async function guard<T>(context: string, body: () => Promise<T>): Promise<T | undefined> {
  try {
    return await body();
  } catch (error) {
    const message = logInternalError(context, error);
    void vscode.window.showErrorMessage(vscode.l10n.t('Logit Lab: {0}', message), vscode.l10n.t('Show Output')).then((pick) => {
      if (pick) log().show(true);
    });
    return undefined;
  }
}

export function disposeOutput(): void {
  channel?.dispose();
  channel = undefined;
}
