/**
 * The one place that calls acquireVsCodeApi() (VS Code allows a single call per webview), for both
 * webviews (the model panel and the gradient checker), typed by the messages each posts. Outside VS
 * Code (the self-contained HTML report, a plain browser) a stub keeps the UI state in memory and drops
 * posted messages.
 */
import type { WebviewToHost } from '../src/protocol/panel';

export interface WebviewApi<Message = WebviewToHost> {
  postMessage(message: Message): void;
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

let api: WebviewApi<never> | undefined;

export function getVsCodeApi<Message = WebviewToHost>(): WebviewApi<Message> {
  if (api) return api as WebviewApi<Message>;
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
  return api as WebviewApi<Message>;
}
