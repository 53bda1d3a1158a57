import * as vscode from 'vscode';
import * as path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics';
import type { DataPreview } from '../core/data/preview';
import type { TrainSettings } from '../core/run/settings';
import type { SplitName } from '../core/report/report';
import { messageForWebview, panelCoalesceKey, perClassCurvesOf, type HostToWebview, type RunRecord, type WebviewToHost } from '../protocol/panel';
import { checkPanelMessage } from '../protocol/validate';
import { packNumbers } from '../protocol/packNumbers';
import { defaultTrainSettings } from './configuration';
import { CrossValidationJob } from './crossValidation';
import { exportModel, exportPlot, exportPredictions, exportReport, type ExportResult } from './exports';
import { log, logInternalError } from './output';
import { panelHtml, panelWebviewOptions } from './panelHtml';
import { PanelController, PanelRegistry } from './panelController';
import type { RunStore } from './runStore';
import { TrainingController, headlineAccuracy, type TrainSummary } from './trainingController';
import { TrainingSession } from './trainingSession';
import { Timeline } from './timeline';
import { WALKTHROUGH_CONTEXT, markWalkthroughStep } from './walkthrough';

export type { TrainSummary } from './trainingController';

/** What every panel shares: the extension context and the run history store. */
export interface PanelServices {
  context: vscode.ExtensionContext;
  runs: RunStore;
}

/** workspaceState key: data files of the open panels, newest first (fallback for revive, see below). */
const OPEN_PANELS_KEY = 'logitLab.openPanelFiles';

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
export class ModelPanel extends PanelController<WebviewToHost, HostToWebview, vscode.WebviewPanel> {
  static readonly viewType = 'logitLab.modelPanel';
  private static readonly panels = new PanelRegistry<ModelPanel>();

  readonly fileName: string;
  readonly training: TrainingController;
  /** The Model selection tab's cross-validation of C (in the same worker). */
  readonly crossValidation: CrossValidationJob;
  private readonly session: TrainingSession;
  private preview: DataPreview | null = null;
  private loadError: Diagnostic[] | null = null;
  private loading: Promise<void> | undefined;
  /** The preview was not counted because a run was to read the whole file (loadData(false)). */
  private countAfterRun = false;
  /** Where this panel's time goes (`timeline` lines in the Output channel; bench/ui.mjs reads them). */
  private readonly timeline: Timeline;

  /**
   * Opens (or reveals) the panel for `fileUri`. `withRun`: the caller starts a run at once (right-click
   * → Train, autoTrainOnOpen), so a new panel does not count the rows of a big file beside the run's
   * own parse (issue 20): the run reads every row and its report has the exact counts (dataFacts.ts).
   */
  static createOrShow(services: PanelServices, fileUri: vscode.Uri, withRun = false): ModelPanel {
    const existing = ModelPanel.panels.get(fileUri.toString());
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const fileName = path.posix.basename(fileUri.path);
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(ModelPanel.viewType, vscode.l10n.t('Logit Lab: {0}', fileName), column, panelWebviewOptions(services.context.extensionUri));
    return new ModelPanel(services, panel, fileUri, !withRun);
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
    return ModelPanel.panels.all();
  }

  /** The panel the user looked at last (or any open one). */
  static current(): ModelPanel | undefined {
    return ModelPanel.panels.current();
  }

  static disposeAll(): void {
    ModelPanel.panels.disposeAll();
  }

  private constructor(private readonly services: PanelServices, panel: vscode.WebviewPanel, readonly fileUri: vscode.Uri, countRows = true) {
    super(panel, { validate: checkPanelMessage, warn: (m) => log().warn(m) });
    this.fileName = path.posix.basename(fileUri.path);
    this.timeline = new Timeline(this.fileName, (m) => log().info(m));
    ModelPanel.panels.add(fileUri.toString(), this);
    void this.rememberOpen(true);
    const { context } = services;
    this.session = new TrainingSession(path.join(context.extensionPath, 'dist', 'trainWorker.js'), log());
    this.training = new TrainingController(
      { fileUri, fileName: this.fileName, localPath: () => this.localPath(), notLocal: () => this.notLocal(), post: (m) => this.post(m), mark: (e) => this.timeline.mark(e) },
      this.session,
      services.runs,
    );
    this.crossValidation = new CrossValidationJob(
      { fileUri, fileName: this.fileName, localPath: () => this.localPath(), notLocal: () => this.notLocal(), post: (m) => this.post(m) },
      this.session,
      services.runs,
      { run: (id) => this.training.run(id), busy: () => this.training.isTraining },
    );
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'logit-lab.svg');
    panel.webview.html = panelHtml(panel.webview, context.extensionUri, { fileUri: fileUri.toString(), fileName: this.fileName });
    void this.loadData(countRows);
  }

  get isTraining(): boolean {
    return this.training.isTraining;
  }

  /**
   * Reads the file in the worker and sends the preview (or the diagnostics) to the webview. `countRows`
   * false: a big file's estimate is not followed by the count over the whole file (a run reads it);
   * the count is made after all if that run does not finish (train below).
   */
  loadData(countRows = true): Promise<void> {
    this.countAfterRun = !countRows;
    const run = async () => {
      const filePath = this.localPath();
      // A large file's estimate (its first MB) shows at once; its exact counts replace it (didLoadData again).
      const estimate = (preview: DataPreview) => {
        if (this.disposed) return;
        this.timeline.mark('estimate');
        this.preview = preview;
        this.loadError = null;
        this.post({ type: 'didLoadData', preview });
      };
      const outcome = filePath ? await this.session.preview(filePath, this.fileName, estimate, countRows) : { kind: 'failed' as const, diagnostics: [this.notLocal()] };
      if (this.disposed) return;
      if (outcome.kind === 'loaded') {
        // An uncounted sample (countRows false) settles as the estimate.
        this.timeline.mark(outcome.preview.sample && !outcome.preview.sample.counted ? 'estimate' : 'counted');
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
    await this.crossValidation.cancel();
    const summary = await this.training.train(settings);
    if (!this.countAfterRun) return summary;
    // The preview asked with this run is answered after it (trainProcess.ts): the caller (the train
    // command) gets the panel with its data loaded.
    await this.loading;
    if (summary.outcome === 'finished') this.countAfterRun = false;
    else if (!this.training.isTraining && !this.disposed && this.preview?.sample && !this.preview.sample.counted) {
      // The run that was to give the exact counts failed or stopped: count the rows after all.
      void this.loadData();
    }
    return summary;
  }

  /** Stops the running training promptly; the previous runs (and model) stay as they were. */
  cancelTraining(): Promise<void> {
    return this.training.cancel();
  }

  /** Resolves when no loading, training or comparison is under way. */
  async idle(): Promise<void> {
    await this.training.runsLoaded;
    await this.loading;
    await this.training.idle();
    await this.crossValidation.idle();
  }

  protected async initialMessages(): Promise<HostToWebview[]> {
    this.timeline.mark('webview ready');
    await this.training.runsLoaded;
    return [
      {
        type: 'didInitialize',
        fileName: this.fileName,
        preview: this.preview,
        loadError: this.loadError,
        defaults: defaultTrainSettings(this.fileUri, (m) => log().warn(m)),
        runs: this.training.runs,
        training: this.training.progressSnapshot(),
        readOnly: false,
      },
    ];
  }

  /**
   * Arrays of numbers as binary (src/protocol/packNumbers.ts): a run's report reaches the webview in a
   * fraction of the time; and runs without their per-class curves (messageForWebview in
   * src/protocol/panel.ts), which the webview asks for when it draws them (loadCurves).
   */
  protected override encode(message: HostToWebview): unknown {
    return packNumbers(messageForWebview(message));
  }

  /**
   * The answer to the webview's loadCurves: the split's per-class curves of the run, from memory (the
   * newest run) or read back from the run's file (an older run keeps them only there: RunStore).
   */
  private async answerCurves(runId: number, split: SplitName): Promise<void> {
    const run = this.training.runs.find((r) => r.id === runId);
    let whole: RunRecord | undefined;
    try {
      whole = run && (await this.services.runs.complete(this.fileUri, run));
    } catch (error) {
      log().warn(`loadCurves of run #${runId}: ${(error as Error).message}`);
      this.post({ type: 'didLoadCurves', runId, split, error: vscode.l10n.t('The curves of run #{0} could not be read from its saved file: {1}', runId, (error as Error).message) });
      return;
    }
    const curves = perClassCurvesOf(whole ? [whole] : [], runId, split);
    if (Array.isArray(curves)) this.post({ type: 'didLoadCurves', runId, split, curves });
    else {
      const error = curves === 'no-run' ? vscode.l10n.t('Run #{0} is no longer in this panel.', runId) : vscode.l10n.t('Run #{0} has no per-class curves on this split.', runId);
      this.post({ type: 'didLoadCurves', runId, split, error });
    }
  }

  /** Progress updates of one run (or comparison) replace each other while the webview is not ready. */
  protected override coalesceKey(message: HostToWebview): string | undefined {
    return panelCoalesceKey(message);
  }

  protected override onViewState(state: { active: boolean }): void {
    if (state.active) ModelPanel.panels.touch(this);
  }

  protected async handle(message: Exclude<WebviewToHost, { type: 'ready' }>): Promise<void> {
    // Working with a trained model (training again, exporting...) checks off the walkthrough's "Read the model panel".
    if (this.training.runs.length > 0) markWalkthroughStep(WALKTHROUGH_CONTEXT.panelUsed);
    try {
      switch (message.type) {
        case 'startTraining':
          await this.train(message.settings);
          return;
        case 'cancelTraining':
          await this.cancelTraining();
          return;
        case 'exportModel':
          await this.export(() => exportModel(this.exportTarget(), this.training.run(message.runId)));
          return;
        case 'exportPredictions':
          await this.export(() => exportPredictions(this.exportTarget(), this.training.run(message.runId)));
          return;
        case 'exportReport':
          // The HTML report has every curve: an older run's are read back from its file.
          await this.export(async () => exportReport(this.exportTarget(), await this.services.runs.complete(this.fileUri, this.training.run(message.runId))));
          return;
        case 'exportPlot':
          await this.export(() => exportPlot(this.exportTarget(), message.name, message.format, message.data));
          return;
        case 'reloadData':
          await this.loadData();
          return;
        case 'compareSolvers':
          if (this.crossValidation.running) {
            this.post({ type: 'didFailComparison', runId: message.runId, diagnostics: [{ severity: 'error', code: 'compare.refused', file: this.fileName, message: vscode.l10n.t('Wait for the running training, comparison or cross-validation to finish, or cancel it.') }] });
            return;
          }
          await this.training.compareSolvers(message.runId);
          return;
        case 'crossValidate':
          await this.crossValidation.start(message.runId, message.request);
          return;
        case 'cancelCrossValidation':
          await this.crossValidation.cancel();
          return;
        case 'cancelComparison':
          await this.training.cancelComparison();
          return;
        case 'computeLandscape':
          await this.training.landscapes.compute(message.runId, message.directions);
          return;
        case 'descend':
          await this.training.landscapes.descend(message.runId, message.factor);
          return;
        case 'loadCurves':
          await this.answerCurves(message.runId, message.split);
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

  /** Handles a message as if the webview had sent it (tests drive the panel with this); it is checked as the webview's are. */
  receive(message: WebviewToHost): Promise<void> {
    return this.receiveUnknown(message);
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

  protected override summarize(message: HostToWebview): unknown {
    return summarize(message);
  }

  /** A JSON-safe snapshot for the extension-host tests (the hidden `logitLab._test` command). */
  testState() {
    const runs = this.training.runs;
    const last = runs[runs.length - 1];
    return {
      file: this.fileUri.toString(),
      fileName: this.fileName,
      title: this.panel.title,
      viewType: this.panel.viewType,
      ready: this.ready,
      training: this.training.activeRun,
      preview: this.preview ? { nRows: this.preview.nRows, nColumns: this.preview.nColumns, guessedTarget: this.preview.guessedTarget } : null,
      loadError: this.loadError,
      runs: runs.map((r) => ({ id: r.id, label: r.label, C: r.settings.C, accuracy: headlineAccuracy(r.report.model.metrics), iterations: r.report.convergence.iterations, classes: r.report.model.classes, compared: r.report.comparison?.traces.map((t) => t.id) ?? null, chosenC: r.report.crossValidation?.result.chosenC ?? null })),
      lastRun: last ? { id: last.id, coef: last.report.model.coef, intercept: last.report.model.intercept } : null,
      html: this.panel.webview.html,
      journal: this.journal,
    };
  }

  protected override onDispose(): void {
    ModelPanel.panels.remove(this.fileUri.toString(), this);
    void this.rememberOpen(false);
    this.session.dispose();
  }

  private async rememberOpen(open: boolean): Promise<void> {
    const state = this.services.context.workspaceState;
    const key = this.fileUri.toString();
    const list = state.get<string[]>(OPEN_PANELS_KEY, []).filter((u) => u !== key);
    if (open) list.unshift(key);
    await state.update(OPEN_PANELS_KEY, list.slice(0, 20));
  }
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
    case 'didFinishCrossValidation':
      return { runId: m.runId, chosenC: m.crossValidation.result.chosenC };
    case 'didFailCrossValidation':
      return { runId: m.runId, diagnostics: m.diagnostics };
    case 'didStartTraining':
    case 'didCancelTraining':
      return { runId: m.runId };
    case 'didExport':
      return { what: m.what, path: m.path };
    case 'didInitialize':
      return { runs: m.runs.length, preview: m.preview !== null, loadError: m.loadError };
    case 'didLoadCurves':
      return { runId: m.runId, split: m.split, curves: 'curves' in m ? m.curves.length : 0 };
    default:
      return undefined;
  }
}
