import * as vscode from 'vscode';
import * as path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics';
import type { DataPreview } from '../core/data/preview';
import type { TrainProgress } from '../core/report/report';
import { validateSettings, type TrainSettings } from '../core/run/settings';
import type { HostToWebview, RunRecord, WebviewToHost } from '../protocol/panel';
import { defaultTrainSettings } from './configuration';
import { exportModel, exportPlot, exportPredictions, exportReport, type ExportResult } from './exports';
import { log, logInternalError } from './output';
import { panelHtml, panelWebviewOptions } from './panelHtml';
import type { RunStore } from './runStore';
import { TrainingSession, type TrainOutcome } from './trainingSession';
import { WALKTHROUGH_CONTEXT, markWalkthroughStep } from './walkthrough';

/** What every panel shares: the extension context and the run history store. */
export interface PanelServices {
  context: vscode.ExtensionContext;
  runs: RunStore;
}

/** Summary of a finished (or stopped) training, returned by `logitLab.train` and the test hook. */
export interface TrainSummary {
  file: string;
  runId: number;
  outcome: TrainOutcome['kind'] | 'invalid';
  accuracy?: number;
  iterations?: number;
  classes?: string[];
  diagnostics?: Diagnostic[];
}

/** workspaceState key: data files of the open panels, newest first (fallback for revive, see below). */
const OPEN_PANELS_KEY = 'logitLab.openPanelFiles';

interface ActiveTraining {
  runId: number;
  settings: TrainSettings;
  progress: TrainProgress | null;
  done: Promise<TrainSummary>;
}

/**
 * One model panel for one data file: creates or revives the WebviewPanel, loads the data preview and
 * trains through its own TrainingSession (worker), keeps the run history, and answers the webview.
 *
 * Which file a panel shows survives a window reload like this: the HTML carries
 * `<body data-file-uri="…">`, the webview echoes it into its saved state (`{ v: 1, fileUri, … }`),
 * and the serializer passes that state to `revive`. As a fallback (a webview that never saved
 * state), the host keeps the files of open panels in workspaceState and revives the first
 * unclaimed one.
 */
export class ModelPanel {
  static readonly viewType = 'logitLab.modelPanel';
  private static readonly panels = new Map<string, ModelPanel>();
  private static lastActive: ModelPanel | undefined;

  readonly fileName: string;
  private readonly session: TrainingSession;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private preview: DataPreview | null = null;
  private loadError: Diagnostic[] | null = null;
  private loading: Promise<void> | undefined;
  private runs: RunRecord[] = [];
  private readonly runsLoaded: Promise<void>;
  private nextRunId = 1;
  private training: ActiveTraining | undefined;
  /** A "Compare solvers" request under way (it uses the session's worker like a training run). */
  private comparing: { runId: number; done: Promise<void> } | undefined;
  /** For tests and diagnosis: the last messages posted and received (summaries). */
  private readonly journal: { dir: 'in' | 'out'; type: string; detail?: unknown }[] = [];

  /** Opens (or reveals) the panel for `fileUri`. */
  static createOrShow(services: PanelServices, fileUri: vscode.Uri): ModelPanel {
    const existing = ModelPanel.panels.get(fileUri.toString());
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const fileName = path.posix.basename(fileUri.path);
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(ModelPanel.viewType, vscode.l10n.t('Logit Lab: {0}', fileName), column, panelWebviewOptions(services.context.extensionUri));
    return new ModelPanel(services, panel, fileUri);
  }

  /** Restores a panel after a reload (WebviewPanelSerializer); `state` is the webview's saved state. */
  static revive(services: PanelServices, panel: vscode.WebviewPanel, state: unknown): ModelPanel | undefined {
    const fromState = (state as { fileUri?: unknown } | undefined)?.fileUri;
    let uri: vscode.Uri | undefined;
    if (typeof fromState === 'string' && fromState) uri = vscode.Uri.parse(fromState, true);
    if (!uri) {
      const known = services.context.workspaceState.get<string[]>(OPEN_PANELS_KEY, []);
      const free = known.find((u) => !ModelPanel.panels.has(u));
      if (free) uri = vscode.Uri.parse(free, true);
    }
    if (!uri || ModelPanel.panels.has(uri.toString())) {
      log().warn('could not tell which data file a restored panel showed; closing it');
      panel.dispose();
      return undefined;
    }
    log().info(`restoring the panel for ${uri.toString()}`);
    panel.webview.options = panelWebviewOptions(services.context.extensionUri);
    return new ModelPanel(services, panel, uri);
  }

  static get(fileUri: vscode.Uri): ModelPanel | undefined {
    return ModelPanel.panels.get(fileUri.toString());
  }

  static all(): ModelPanel[] {
    return [...ModelPanel.panels.values()];
  }

  /** The panel the user looked at last (or any open one). */
  static current(): ModelPanel | undefined {
    return ModelPanel.lastActive && !ModelPanel.lastActive.disposed ? ModelPanel.lastActive : ModelPanel.all()[0];
  }

  static disposeAll(): void {
    for (const p of ModelPanel.all()) p.dispose();
  }

  private constructor(private readonly services: PanelServices, readonly panel: vscode.WebviewPanel, readonly fileUri: vscode.Uri) {
    this.fileName = path.posix.basename(fileUri.path);
    ModelPanel.panels.set(fileUri.toString(), this);
    ModelPanel.lastActive = this;
    void this.rememberOpen(true);
    const { context } = services;
    this.session = new TrainingSession(path.join(context.extensionPath, 'dist', 'trainWorker.js'), log());
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'logit-lab.svg');
    panel.webview.html = panelHtml(panel.webview, context.extensionUri, { fileUri: fileUri.toString(), fileName: this.fileName });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => void this.onMessage(m)),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) ModelPanel.lastActive = this;
        // A hidden webview (no retainContextWhenHidden) is torn down; it posts `ready` again when shown.
        if (!e.webviewPanel.visible) this.ready = false;
      }),
    );
    this.runsLoaded = services.runs.get(fileUri).then((runs) => {
      this.runs = runs;
      this.nextRunId = Math.max(this.nextRunId, services.runs.nextId(runs));
    });
    void this.loadData();
  }

  get isTraining(): boolean {
    return this.training !== undefined;
  }

  /** Reads the file in the worker and sends the preview (or the diagnostics) to the webview. */
  loadData(): Promise<void> {
    const run = async () => {
      const filePath = this.localPath();
      const outcome = filePath ? await this.session.preview(filePath, this.fileName) : { kind: 'failed' as const, diagnostics: [this.notLocal()] };
      if (this.disposed) return;
      if (outcome.kind === 'loaded') {
        this.preview = outcome.preview;
        this.loadError = null;
        this.post({ type: 'didLoadData', preview: outcome.preview });
      } else {
        this.preview = null;
        this.loadError = outcome.diagnostics;
        for (const d of outcome.diagnostics) log().warn(formatDiagnostic(d));
        this.post({ type: 'didFailLoading', diagnostics: outcome.diagnostics });
      }
    };
    const p = run().catch((e) => {
      logInternalError(`loading ${this.fileName}`, e);
    });
    this.loading = p;
    return p;
  }

  /** Starts a training run (cancelling a running one first); resolves when it has finished, failed or stopped. */
  async train(settings?: TrainSettings): Promise<TrainSummary> {
    if (this.training) await this.cancelTraining();
    await this.cancelComparison();
    await this.runsLoaded;
    const s = settings ?? defaultTrainSettings(this.fileUri, (m) => log().warn(m));
    const runId = this.nextRunId++;
    const problems = validateSettings(s);
    const filePath = this.localPath();
    if (problems.length > 0 || !filePath) {
      const diagnostics: Diagnostic[] = filePath
        ? problems.map((message) => ({ severity: 'error', code: 'settings.invalid', message }))
        : [this.notLocal()];
      this.post({ type: 'didFailTraining', runId, diagnostics });
      return { file: this.fileUri.toString(), runId, outcome: 'invalid', diagnostics };
    }
    let resolveDone!: (s: TrainSummary) => void;
    const active: ActiveTraining = { runId, settings: s, progress: null, done: new Promise((r) => (resolveDone = r)) };
    this.training = active;
    this.post({ type: 'didStartTraining', runId, settings: s });
    log().info(`run #${runId} on ${this.fileName}: ${settingsLabel(s)}`);
    const startedAt = new Date();
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Logit Lab: training on {0}', this.fileName), cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => void this.cancelTraining());
          let reported = 0;
          return this.session.train(filePath, this.fileName, s, (p) => {
            if (this.training !== active) return;
            active.progress = p;
            this.post({ type: 'didUpdateProgress', runId, progress: p });
            const pct = p.phase === 'fitting' && p.maxIter > 0 ? Math.min(100, ((p.output + p.iteration / p.maxIter) / Math.max(1, p.outputs)) * 100) : reported;
            progress.report({ message: progressMessage(p), increment: Math.max(0, pct - reported) });
            reported = Math.max(reported, pct);
          });
        },
      );
      const summary = await this.finishRun(runId, s, startedAt, outcome);
      resolveDone(summary);
      return summary;
    } catch (error) {
      // A bug on the host side: logged with its stack; the panel gets a readable diagnostic.
      const message = logInternalError(`training run #${runId}`, error);
      const diagnostics: Diagnostic[] = [{ severity: 'error', code: 'internal', message: vscode.l10n.t('Internal error: {0}. See Output › Logit Lab for details.', message) }];
      this.post({ type: 'didFailTraining', runId, diagnostics });
      const summary: TrainSummary = { file: this.fileUri.toString(), runId, outcome: 'failed', diagnostics };
      resolveDone(summary);
      return summary;
    } finally {
      if (this.training === active) this.training = undefined;
    }
  }

  private async finishRun(runId: number, settings: TrainSettings, startedAt: Date, outcome: TrainOutcome): Promise<TrainSummary> {
    const file = this.fileUri.toString();
    switch (outcome.kind) {
      case 'finished': {
        const report = outcome.report;
        const run: RunRecord = {
          id: runId,
          label: `#${runId} ${settingsLabel(settings)}`,
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          settings,
          report,
        };
        this.runs = await this.services.runs.add(this.fileUri, run);
        this.post({ type: 'didFinishTraining', run });
        markWalkthroughStep(WALKTHROUGH_CONTEXT.trained);
        const acc = headlineAccuracy(report.model.metrics);
        log().info(`run #${runId} finished: ${report.convergence.iterations} iterations (${report.convergence.stopReason}), accuracy ${acc?.toFixed(4) ?? 'n/a'}, ${run.durationMs} ms`);
        for (const w of report.warnings) log().warn(formatDiagnostic(w));
        return { file, runId, outcome: 'finished', accuracy: acc, iterations: report.convergence.iterations, classes: report.model.classes };
      }
      case 'cancelled':
        log().info(`run #${runId} cancelled; the previous model is kept`);
        this.post({ type: 'didCancelTraining', runId });
        return { file, runId, outcome: 'cancelled' };
      case 'failed':
        for (const d of outcome.diagnostics) log().warn(formatDiagnostic(d));
        this.post({ type: 'didFailTraining', runId, diagnostics: outcome.diagnostics });
        return { file, runId, outcome: 'failed', diagnostics: outcome.diagnostics };
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }

  /** Stops the running training promptly; the previous runs (and model) stay as they were. */
  async cancelTraining(): Promise<void> {
    const active = this.training;
    if (!active) return;
    await this.session.cancel();
    await active.done;
  }

  /** Resolves when no loading, training or comparison is under way. */
  async idle(): Promise<void> {
    await this.runsLoaded;
    await this.loading;
    await this.training?.done;
    await this.comparing?.done;
  }

  /**
   * Fits the problem of run `runId` with every solver in the worker (same settings, seed and split) and
   * keeps the result in the run's report (so the HTML report has it too).
   */
  async compareSolvers(runId: number): Promise<void> {
    await this.runsLoaded;
    const run = this.run(runId);
    const filePath = this.localPath();
    const refuse = (message: string) => this.post({ type: 'didFailComparison', runId, diagnostics: [{ severity: 'error', code: 'compare.refused', file: this.fileName, message }] });
    if (!filePath) return refuse(this.notLocal().message);
    if (this.training || this.comparing) return refuse(vscode.l10n.t('Wait for the running training or comparison to finish, or cancel it.'));
    if (run.settings.stream) return refuse(vscode.l10n.t('Solvers are compared on data in memory; this run streamed the file from disk. Train without streaming to compare solvers.'));
    this.post({ type: 'didStartComparison', runId });
    log().info(`comparing solvers on the problem of run #${runId}`);
    const pending = this.session.compare(filePath, this.fileName, run.settings, (done, total, label) => this.post({ type: 'didUpdateComparison', runId, done, total, label }));
    const current = { runId, done: pending.then(() => undefined) };
    this.comparing = current;
    try {
      const outcome = await pending;
      switch (outcome.kind) {
        case 'compared':
          run.report.comparison = outcome.comparison;
          await this.services.runs.update(this.fileUri);
          this.post({ type: 'didFinishComparison', runId, comparison: outcome.comparison });
          log().info(`solvers compared on run #${runId}: ${outcome.comparison.traces.map((t) => `${t.id} ${t.passesToTol ?? '-'} passes`).join(', ')}`);
          return;
        case 'cancelled':
          this.post({ type: 'didFailComparison', runId, diagnostics: [] });
          return;
        case 'failed':
          for (const d of outcome.diagnostics) log().warn(formatDiagnostic(d));
          this.post({ type: 'didFailComparison', runId, diagnostics: outcome.diagnostics });
          return;
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    } finally {
      if (this.comparing === current) this.comparing = undefined;
    }
  }

  /** Stops a running comparison (if any). */
  async cancelComparison(): Promise<void> {
    const active = this.comparing;
    if (!active) return;
    await this.session.cancel();
    await active.done;
  }

  private async onMessage(message: WebviewToHost): Promise<void> {
    if (!message || typeof message !== 'object' || typeof (message as { type?: unknown }).type !== 'string') return;
    this.record('in', message.type);
    // Working with a trained model (training again, exporting...) checks off the walkthrough's "Read the model panel".
    if (message.type !== 'ready' && this.runs.length > 0) markWalkthroughStep(WALKTHROUGH_CONTEXT.panelUsed);
    try {
      switch (message.type) {
        case 'ready':
          await this.runsLoaded;
          if (this.disposed) return;
          this.ready = true;
          this.post({
            type: 'didInitialize',
            fileName: this.fileName,
            preview: this.preview,
            loadError: this.loadError,
            defaults: defaultTrainSettings(this.fileUri, (m) => log().warn(m)),
            runs: this.runs,
            training: this.training ? (this.training.progress ?? idleProgress(this.training.settings)) : null,
            readOnly: false,
          });
          return;
        case 'startTraining':
          await this.train(message.settings);
          return;
        case 'cancelTraining':
          await this.cancelTraining();
          return;
        case 'exportModel':
          await this.export(() => exportModel(this.exportTarget(), this.run(message.runId)));
          return;
        case 'exportPredictions':
          await this.export(() => exportPredictions(this.exportTarget(), this.run(message.runId)));
          return;
        case 'exportReport':
          await this.export(() => exportReport(this.exportTarget(), this.run(message.runId)));
          return;
        case 'exportPlot':
          await this.export(() => exportPlot(this.exportTarget(), message.name, message.format, message.data));
          return;
        case 'reloadData':
          await this.loadData();
          return;
        case 'compareSolvers':
          await this.compareSolvers(message.runId);
          return;
        case 'cancelComparison':
          await this.cancelComparison();
          return;
        default: {
          const never: never = message;
          log().warn(`unknown message from the panel: ${JSON.stringify(never).slice(0, 200)}`);
        }
      }
    } catch (error) {
      const text = logInternalError(`handling "${message.type}"`, error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Logit Lab: {0}', text), vscode.l10n.t('Show Output')).then((pick) => pick && log().show(true));
    }
  }

  /** Handles a message as if the webview had sent it (tests drive the panel with this). */
  receive(message: WebviewToHost): Promise<void> {
    return this.onMessage(message);
  }

  private async export(run: () => Promise<ExportResult | undefined>): Promise<void> {
    const result = await run();
    if (!result) return;
    log().info(`exported ${result.what} to ${result.uri.fsPath}`);
    for (const w of result.warnings) log().warn(formatDiagnostic(w));
    if (result.warnings.length > 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Logit Lab: {0} saved with {1} warning(s); see Output › Logit Lab.', result.what, result.warnings.length));
    }
    this.post({ type: 'didExport', what: result.what, path: result.uri.fsPath });
  }

  private run(runId: number): RunRecord {
    const run = this.runs.find((r) => r.id === runId);
    if (!run) throw new Error(vscode.l10n.t('there is no run #{0} in this panel', runId));
    return run;
  }

  private exportTarget() {
    return { fileUri: this.fileUri, extensionUri: this.services.context.extensionUri };
  }

  private localPath(): string | undefined {
    return this.fileUri.scheme === 'file' ? this.fileUri.fsPath : undefined;
  }

  private notLocal(): Diagnostic {
    return {
      severity: 'error',
      code: 'file.not-local',
      file: this.fileName,
      message: vscode.l10n.t('Logit Lab reads files on disk; "{0}:" files are not supported. Save the data to a file first.', this.fileUri.scheme),
    };
  }

  /** Posts to the webview once it is ready (earlier messages are covered by didInitialize); no-op after dispose. */
  private post(message: HostToWebview): void {
    this.record('out', message.type, summarize(message));
    if (this.disposed || !this.ready) return;
    void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  private record(dir: 'in' | 'out', type: string, detail?: unknown): void {
    this.journal.push({ dir, type, detail });
    if (this.journal.length > 200) this.journal.shift();
  }

  /** A JSON-safe snapshot for the extension-host tests (the hidden `logitLab._test` command). */
  testState() {
    const last = this.runs[this.runs.length - 1];
    return {
      file: this.fileUri.toString(),
      fileName: this.fileName,
      title: this.panel.title,
      viewType: this.panel.viewType,
      ready: this.ready,
      training: this.training ? { runId: this.training.runId, iteration: this.training.progress?.iteration ?? 0 } : null,
      preview: this.preview ? { nRows: this.preview.nRows, nColumns: this.preview.nColumns, guessedTarget: this.preview.guessedTarget } : null,
      loadError: this.loadError,
      runs: this.runs.map((r) => ({ id: r.id, label: r.label, accuracy: headlineAccuracy(r.report.model.metrics), iterations: r.report.convergence.iterations, classes: r.report.model.classes, compared: r.report.comparison?.traces.map((t) => t.id) ?? null })),
      lastRun: last ? { id: last.id, coef: last.report.model.coef, intercept: last.report.model.intercept } : null,
      html: this.panel.webview.html,
      journal: this.journal,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    ModelPanel.panels.delete(this.fileUri.toString());
    if (ModelPanel.lastActive === this) ModelPanel.lastActive = undefined;
    void this.rememberOpen(false);
    this.session.dispose();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private async rememberOpen(open: boolean): Promise<void> {
    const state = this.services.context.workspaceState;
    const key = this.fileUri.toString();
    const list = state.get<string[]>(OPEN_PANELS_KEY, []).filter((u) => u !== key);
    if (open) list.unshift(key);
    await state.update(OPEN_PANELS_KEY, list.slice(0, 20));
  }
}

/** "lbfgs L2 C=1"; a streaming run (mini-batch SGD whatever the solver setting) "stream 5 epochs L2 C=1". */
export function settingsLabel(s: TrainSettings): string {
  const penalty = s.penalty === 'none' ? 'no penalty' : `${s.penalty.toUpperCase()} C=${s.lambda !== undefined ? `1/(${s.lambda}n)` : s.C}`;
  return `${s.stream ? `stream ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}` : s.solver} ${penalty}`;
}

/** Accuracy on the test split, else validation, else train. */
export function headlineAccuracy(metrics: Record<string, { accuracy: number }>): number | undefined {
  return (metrics.test ?? metrics.validation ?? metrics.train)?.accuracy;
}

function progressMessage(p: TrainProgress): string {
  if (p.phase !== 'fitting') return p.phase === 'reading' ? vscode.l10n.t('reading the data…') : vscode.l10n.t('evaluating…');
  if (p.outputs > 1) return vscode.l10n.t('iteration {0}/{1} (output {2}/{3})', p.iteration, p.maxIter, p.output + 1, p.outputs);
  return vscode.l10n.t('iteration {0}/{1}', p.iteration, p.maxIter);
}

function idleProgress(s: TrainSettings): TrainProgress {
  return { phase: 'reading', iteration: 0, maxIter: s.maxIter, output: 0, outputs: 1, gradientNorm: 0, lossHistory: { train: [], validation: [] } };
}

function summarize(m: HostToWebview): unknown {
  switch (m.type) {
    case 'didFailLoading':
      return m.diagnostics;
    case 'didFailTraining':
      return { runId: m.runId, diagnostics: m.diagnostics };
    case 'didFinishTraining':
      return { runId: m.run.id };
    case 'didUpdateProgress':
      return { runId: m.runId, iteration: m.progress.iteration };
    case 'didStartTraining':
    case 'didCancelTraining':
      return { runId: m.runId };
    case 'didExport':
      return { what: m.what, path: m.path };
    case 'didInitialize':
      return { runs: m.runs.length, preview: m.preview !== null, loadError: m.loadError };
    default:
      return undefined;
  }
}
