/**
 * What every webview panel of the extension shares (the model panel, the gradient checker):
 *
 * - **Handshake.** A webview posts `ready` once it listens (again after every reload: the panels do
 *   not retain their context while hidden). The controller answers with the subclass's
 *   `initialMessages()` (a complete snapshot), and only then counts the webview as ready.
 * - **Nothing dropped.** Messages posted while the webview is not ready are queued and sent, in order,
 *   right after the snapshot. A message with the same `coalesceKey` as a queued one replaces it (the
 *   model panel's progress updates), and the queue holds at most MAX_QUEUED messages.
 * - **Validation.** Every incoming message is checked against the protocol types
 *   (src/protocol/validate.ts) before the subclass sees it; a malformed one is logged and dropped.
 * - **Disposal.** `dispose()` is idempotent; posting after it is a no-op.
 * - **A registry** (PanelRegistry) of open panels by key.
 *
 * It imports vscode's types only, so unit tests drive it with a fake panel (test/unit/host).
 */
import type * as vscode from 'vscode';
import type { Checked } from '../protocol/validate';

/** The part of vscode.WebviewPanel a controller uses. */
export interface PanelLike {
  readonly visible: boolean;
  readonly webview: {
    postMessage(message: unknown): Thenable<boolean>;
    onDidReceiveMessage(listener: (message: unknown) => void): vscode.Disposable;
  };
  onDidDispose(listener: () => void): vscode.Disposable;
  onDidChangeViewState(listener: (e: { webviewPanel: { visible: boolean; active: boolean } }) => void): vscode.Disposable;
  dispose(): void;
}

export interface PanelControllerOptions<In> {
  /** The runtime check of incoming messages (src/protocol/validate.ts). */
  validate: (message: unknown) => Checked<In>;
  /** Where rejected messages and handler errors are reported. */
  warn: (message: string) => void;
}

/** Queued messages at most; beyond it the oldest are dropped (and the snapshot at `ready` covers them). */
export const MAX_QUEUED = 1000;

export interface JournalEntry {
  dir: 'in' | 'out';
  type: string;
  detail?: unknown;
}

export abstract class PanelController<In extends { type: string }, Out extends { type: string }, P extends PanelLike = PanelLike> {
  protected readonly disposables: vscode.Disposable[] = [];
  /** For tests and diagnosis: the last messages posted and received (summaries). */
  readonly journal: JournalEntry[] = [];
  private isReady = false;
  private isDisposed = false;
  private readonly queue: Out[] = [];
  /** Counts `ready` handshakes so that a reload during one makes the older one stand down. */
  private handshake = 0;

  protected constructor(
    readonly panel: P,
    private readonly options: PanelControllerOptions<In>,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => void this.receiveUnknown(m)),
      panel.onDidChangeViewState((e) => {
        // A hidden webview (no retainContextWhenHidden) is torn down; it posts `ready` again when shown.
        if (!e.webviewPanel.visible) this.isReady = false;
        this.onViewState(e.webviewPanel);
      }),
    );
  }

  /** Whether the webview has posted `ready` and received its snapshot since it last loaded. */
  get ready(): boolean {
    return this.isReady;
  }

  get disposed(): boolean {
    return this.isDisposed;
  }

  /** The complete snapshot the webview gets after `ready` (first among them the initialize message). */
  protected abstract initialMessages(): Promise<Out[]>;

  /** Handles a checked message other than `ready`. */
  protected abstract handle(message: Exclude<In, { type: 'ready' }>): Promise<void>;

  /** Messages whose key matches a queued one's replace it; undefined (the default) never coalesces. */
  protected coalesceKey(_message: Out): string | undefined {
    return undefined;
  }

  /** The panel became (in)visible or (in)active. */
  protected onViewState(_state: { visible: boolean; active: boolean }): void {}

  /** A journal summary of an outgoing message (default: none). */
  protected summarize(_message: Out): unknown {
    return undefined;
  }

  /** Releases what the subclass holds (called once, from dispose). */
  protected onDispose(): void {}

  /** Sends to the webview when it is ready, else queues; a no-op after dispose. */
  protected post(message: Out): void {
    if (this.isDisposed) return;
    this.record('out', message.type, this.summarize(message));
    if (this.isReady) {
      this.send(message);
      return;
    }
    const key = this.coalesceKey(message);
    if (key !== undefined) {
      const at = this.queue.findIndex((q) => this.coalesceKey(q) === key);
      if (at >= 0) this.queue.splice(at, 1);
    }
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
  }

  /** Checks an incoming message and dispatches it; `ready` runs the handshake. */
  async receiveUnknown(raw: unknown): Promise<void> {
    if (this.isDisposed) return;
    const checked = this.options.validate(raw);
    if (!checked.ok) {
      this.record('in', 'invalid', checked.error);
      this.options.warn(`ignored a malformed message from the webview: ${checked.error}`);
      return;
    }
    const message = checked.message;
    this.record('in', message.type);
    if (message.type === 'ready') {
      await this.handshakeReady();
      return;
    }
    await this.handle(message as Exclude<In, { type: 'ready' }>);
  }

  private async handshakeReady(): Promise<void> {
    // Until the snapshot is out, the webview counts as not ready: what is posted meanwhile queues.
    this.isReady = false;
    const mine = ++this.handshake;
    const first = await this.initialMessages();
    if (this.isDisposed || mine !== this.handshake) return;
    for (const m of first) {
      this.record('out', m.type, this.summarize(m));
      this.send(m);
    }
    this.isReady = true;
    for (const m of this.queue.splice(0)) this.send(m);
  }

  /** What goes over the wire for `message` (default: the message itself; the model panel packs its numbers). */
  protected encode(message: Out): unknown {
    return message;
  }

  private send(message: Out): void {
    void this.panel.webview.postMessage(this.encode(message)).then(undefined, () => undefined);
  }

  protected record(dir: 'in' | 'out', type: string, detail?: unknown): void {
    this.journal.push({ dir, type, detail });
    if (this.journal.length > 200) this.journal.shift();
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.isReady = false;
    this.queue.length = 0;
    this.onDispose();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Open panels by key (the model panel: the data file's URI; the gradient checker: one key). */
export class PanelRegistry<P extends { readonly disposed: boolean; dispose(): void }> {
  private readonly panels = new Map<string, P>();
  private last: P | undefined;

  get(key: string): P | undefined {
    return this.panels.get(key);
  }

  has(key: string): boolean {
    return this.panels.has(key);
  }

  all(): P[] {
    return [...this.panels.values()];
  }

  add(key: string, panel: P): void {
    this.panels.set(key, panel);
    this.last = panel;
  }

  /** Removes `panel` if it is the one registered under `key`. */
  remove(key: string, panel: P): void {
    if (this.panels.get(key) === panel) this.panels.delete(key);
    if (this.last === panel) this.last = undefined;
  }

  /** Marks the panel the user looked at last. */
  touch(panel: P): void {
    this.last = panel;
  }

  /** The panel the user looked at last (or any open one). */
  current(): P | undefined {
    return this.last && !this.last.disposed ? this.last : this.all()[0];
  }

  disposeAll(): void {
    for (const p of this.all()) p.dispose();
  }
}
