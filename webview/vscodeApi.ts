/**
 * The one place that calls acquireVsCodeApi() (VS Code allows a single call per webview). In the
 * self-contained HTML report there is no VS Code: a read-only stub keeps the UI state in memory and
 * drops posted messages.
 */
import type { WebviewToHost } from '../src/protocol/panel';

export interface WebviewApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
  /** False in the HTML report: nothing listens to posted messages. */
  readonly connected: boolean;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside a webview; absent in a plain browser.
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

let api: WebviewApi | undefined;

export function getVsCodeApi(): WebviewApi {
  if (api) return api;
  if (typeof globalThis.acquireVsCodeApi === 'function') {
    const vscode = globalThis.acquireVsCodeApi();
    api = {
      postMessage: (m) => vscode.postMessage(m),
      getState: () => vscode.getState(),
      setState: (s) => vscode.setState(s),
      connected: true,
    };
  } else {
    let saved: unknown;
    api = {
      postMessage: () => undefined,
      getState: () => saved,
      setState: (s) => {
        saved = s;
      },
      connected: false,
    };
  }
  return api;
}
