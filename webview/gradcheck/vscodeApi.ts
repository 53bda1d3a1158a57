/**
 * The gradient checker webview's single acquireVsCodeApi() call (VS Code allows one per webview).
 * Outside VS Code (a plain browser) a stub keeps the state in memory and drops messages.
 */
import type { GradcheckWebviewToHost } from '../../src/protocol/gradcheck';

export interface GradcheckApi {
  postMessage(message: GradcheckWebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface RawApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

let api: GradcheckApi | undefined;

export function gradcheckApi(): GradcheckApi {
  if (api) return api;
  const acquire = (globalThis as { acquireVsCodeApi?: () => RawApi }).acquireVsCodeApi;
  if (typeof acquire === 'function') {
    const raw = acquire();
    api = { postMessage: (m) => raw.postMessage(m), getState: () => raw.getState(), setState: (s) => raw.setState(s) };
  } else {
    let saved: unknown;
    api = {
      postMessage: () => undefined,
      getState: () => saved,
      setState: (s) => {
        saved = s;
      },
    };
  }
  return api;
}
