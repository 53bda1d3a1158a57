/** A fake vscode.WebviewPanel for PanelController tests: records what is posted, and lets a test play the webview. */
import type { PanelLike } from '../../../src/host/panelController';

export class FakePanel implements PanelLike {
  visible = true;
  posted: unknown[] = [];
  disposed = 0;
  private receive: ((m: unknown) => void) | null = null;
  private onDispose: (() => void) | null = null;
  private onView: ((e: { webviewPanel: { visible: boolean; active: boolean } }) => void) | null = null;
  readonly webview = {
    postMessage: async (m: unknown) => {
      this.posted.push(m);
      return true;
    },
    onDidReceiveMessage: (listener: (m: unknown) => void) => {
      this.receive = listener;
      return { dispose: () => (this.receive = null) };
    },
  };
  onDidDispose(listener: () => void) {
    this.onDispose = listener;
    return { dispose: () => (this.onDispose = null) };
  }
  onDidChangeViewState(listener: (e: { webviewPanel: { visible: boolean; active: boolean } }) => void) {
    this.onView = listener;
    return { dispose: () => (this.onView = null) };
  }
  dispose() {
    this.disposed++;
    this.onDispose?.();
  }
  /** The webview posts a message (as VS Code delivers it: unchecked). */
  send(m: unknown) {
    this.receive?.(m);
  }
  hide() {
    this.visible = false;
    this.onView?.({ webviewPanel: { visible: false, active: false } });
  }
}
