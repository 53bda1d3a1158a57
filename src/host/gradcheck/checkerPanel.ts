import * as vscode from 'vscode';
import type { BlockReport } from '../../core/gradcheck/types';
import type { GalleryItem, GradcheckHostToWebview, GradcheckWebviewToHost } from '../../protocol/gradcheck';
import { checkGradcheckMessage } from '../../protocol/validate';
import { log } from '../output';
import { PanelController } from '../panelController';
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
 * Handshake, queueing, message validation and disposal: PanelController. The webview posts `ready`
 * (again after every reload: the panel does not retain its context while hidden), and the host
 * answers with `didInitialize`, a complete snapshot.
 */
export class GradcheckPanel extends PanelController<GradcheckWebviewToHost, GradcheckHostToWebview, vscode.WebviewPanel> {
  static readonly viewType = 'logitLab.gradcheckPanel';
  static current: GradcheckPanel | undefined;

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

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    super(panel, { validate: checkGradcheckMessage, warn: (m) => log().warn(m) });
    GradcheckPanel.current = this;
    panel.webview.options = panelWebviewOptions(extensionUri);
    panel.webview.html = checkerHtml(panel.webview, extensionUri);
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

  protected async initialMessages(): Promise<GradcheckHostToWebview[]> {
    const first: GradcheckHostToWebview[] = [];
    let gallery: GalleryItem[] = [];
    try {
      const engine = await loadEngine();
      gallery = engine.gallery.map((g) => ({ id: g.id, title: g.title, description: g.description, source: g.source }));
    } catch (e) {
      first.push({ type: 'didFail', message: vscode.l10n.t('The gradient checker could not be loaded: {0}', e instanceof Error ? e.message : String(e)), line: 0, column: 0 });
    }
    const origin = this.lastChecked?.origin;
    first.push({ type: 'didInitialize', source: this.pendingSource, report: this.lastChecked?.report ?? null, checkedSource: this.lastChecked?.source ?? null, gallery, ...(origin ? { origin } : {}) });
    this.pendingSource = null;
    return first;
  }

  /** `runCheck`, the one message besides `ready`: checks the block and posts its report. */
  protected async handle(message: Exclude<GradcheckWebviewToHost, { type: 'ready' }>): Promise<void> {
    const source = String(message.source ?? '');
    try {
      const report = await checkSourceBlock({ line: 1, source, language: 'plain' });
      this.lastChecked = { source, report };
      this.post({ type: 'didCheck', source, report });
      markWalkthroughStep(WALKTHROUGH_CONTEXT.gradientChecked);
    } catch (e) {
      this.post({ type: 'didFail', message: e instanceof Error ? e.message : String(e), line: 0, column: 0 });
    }
  }

  protected override onDispose(): void {
    if (GradcheckPanel.current === this) GradcheckPanel.current = undefined;
  }
}
