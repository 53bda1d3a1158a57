import * as vscode from 'vscode';
import type { BlockReport } from '../../core/gradcheck/types';
import type { GalleryItem, GradcheckHostToWebview, GradcheckWebviewToHost } from '../../protocol/gradcheck';
import { panelWebviewOptions } from '../panelHtml';
import { checkerHtml } from './checkerHtml';
import { checkSourceBlock, loadEngine } from './engine';
import { WALKTHROUGH_CONTEXT, markWalkthroughStep } from '../walkthrough';

/** What the panel shows when opened from a document block: its source and the report of its check. */
export interface CheckedBlock {
  source: string;
  report: BlockReport;
  /** A Python check: where it comes from, e.g. "homework.py, line 25" (the source is not a block). */
  origin?: string;
}

/**
 * The gradient checker panel: an editor for one gradcheck block with a live KaTeX preview, the
 * verdict, the diagnosis and the per-component table, and the gallery of examples. One instance owns
 * one webview panel (createOrShow / revive / dispose); there is at most one at a time.
 *
 * Handshake: the webview posts `ready` (again after every reload: the panel does not retain its
 * context while hidden), and the host answers with `didInitialize`, a complete snapshot.
 */
export class GradcheckPanel {
  static readonly viewType = 'logitLab.gradcheckPanel';
  static current: GradcheckPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** Whether the webview has posted `ready` since it last loaded. */
  private ready = false;
  /** A source imposed by a command that the webview has not received yet. */
  private pendingSource: string | null = null;
  /** The last check, re-sent after a reload. */
  private lastChecked: CheckedBlock | null = null;

  /** Shows the panel (creating it if needed); with `checked`, loads that block and its report. */
  static createOrShow(extensionUri: vscode.Uri, checked?: CheckedBlock): GradcheckPanel {
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    let instance = GradcheckPanel.current;
    if (instance) {
      instance.panel.reveal(column, true);
    } else {
      const panel = vscode.window.createWebviewPanel(GradcheckPanel.viewType, vscode.l10n.t('Gradient checker'), { viewColumn: column, preserveFocus: true }, panelWebviewOptions(extensionUri));
      instance = new GradcheckPanel(panel, extensionUri);
    }
    if (checked) instance.show(checked);
    return instance;
  }

  /** Restores a panel after a reload or restart (the webview restores its editor from its saved state). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): GradcheckPanel {
    GradcheckPanel.current?.dispose();
    return new GradcheckPanel(panel, extensionUri);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
  ) {
    GradcheckPanel.current = this;
    panel.webview.options = panelWebviewOptions(extensionUri);
    panel.webview.html = checkerHtml(panel.webview, extensionUri);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.onDidChangeViewState(
      (e) => {
        // Without retainContextWhenHidden a hidden webview is torn down; it posts `ready` again when shown.
        if (!e.webviewPanel.visible) this.ready = false;
      },
      null,
      this.disposables,
    );
    panel.webview.onDidReceiveMessage((m: GradcheckWebviewToHost) => void this.onMessage(m), null, this.disposables);
  }

  /** Loads a checked block into the panel: at once when the webview listens, else with the next `didInitialize`. */
  show(checked: CheckedBlock): void {
    this.lastChecked = checked;
    if (this.ready && this.panel.visible) {
      this.pendingSource = null;
      this.post({ type: 'didCheck', source: checked.source, report: checked.report, ...(checked.origin ? { origin: checked.origin } : {}) });
    } else {
      this.pendingSource = checked.origin ? null : checked.source;
    }
  }

  private async onMessage(message: GradcheckWebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        let gallery: GalleryItem[] = [];
        try {
          const engine = await loadEngine();
          gallery = engine.gallery.map((g) => ({ id: g.id, title: g.title, description: g.description, source: g.source }));
        } catch (e) {
          this.post({ type: 'didFail', message: vscode.l10n.t('The gradient checker could not be loaded: {0}', e instanceof Error ? e.message : String(e)), line: 0, column: 0 });
        }
        const origin = this.lastChecked?.origin;
        this.post({ type: 'didInitialize', source: this.pendingSource, report: this.lastChecked?.report ?? null, checkedSource: this.lastChecked?.source ?? null, gallery, ...(origin ? { origin } : {}) });
        this.pendingSource = null;
        return;
      }
      case 'runCheck': {
        const source = String(message.source ?? '');
        try {
          const report = await checkSourceBlock({ line: 1, source, language: 'plain' });
          this.lastChecked = { source, report };
          this.post({ type: 'didCheck', source, report });
          markWalkthroughStep(WALKTHROUGH_CONTEXT.gradientChecked);
        } catch (e) {
          this.post({ type: 'didFail', message: e instanceof Error ? e.message : String(e), line: 0, column: 0 });
        }
        return;
      }
      default: {
        const unexpected: never = message;
        void unexpected;
      }
    }
  }

  private post(message: GradcheckHostToWebview): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (GradcheckPanel.current === this) GradcheckPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
