/**
 * The model panel: owns the data the host sent, the saved UI state and the DOM. Host messages are
 * handled by one switch with an exhaustive `never` default; views are plain functions of a
 * ViewContext that rebuild their tab (the settings form is the exception: it is kept while the data
 * preview stays the same, so the user's edits survive runs).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { HostToWebview, RunRecord, WebviewToHost } from '../../src/protocol/panel';
import { unpackNumbers } from '../../src/protocol/packNumbers';
import { timingPhases, type SplitName, type TrainReport } from '../../src/core/report/report';
import { DEFAULT_SETTINGS, type TrainSettings } from '../../src/core/run/settings';
import { loadState, TAB_IDS, type SavedState, type TabId } from '../state';
import type { WebviewApi } from '../vscodeApi';
import type { CurvesLoad, PanelData, ViewContext } from './context';
import { el, replace } from './dom';
import { button, progressRing, tabs, type Tabs } from './elements';
import { t } from '../l10n';
import { rasterize, standaloneSvg } from './plots';
import { readTheme, type Theme } from './theme';
import { fmt, fmtDuration } from './viewModel/format';
import { renderDataSummary } from './views/dataView';
import { diagnosticsList } from './views/diagnosticsView';
import { evaluationParts, redrawPendingCurves } from './views/evaluationView';
import { headerView, updateLiveHeader } from './views/headerView';
import { onDescended } from './views/landscapeView';
import { MODEL_FIRST, modelParts } from './views/modelView';
import { appendParts, nextTask, renderParts } from './incremental';
import { cvView, updateCvProgress } from './views/cvView';
import { runsView } from './views/runsView';
import { SettingsForm } from './views/settingsForm';
import { liveTrainingView, TRAINING_FIRST, trainingParts, updateLiveTraining } from './views/trainingView';

function tabLabels(): Record<TabId, string> {
  return { data: t('Data & Settings'), model: t('Model'), evaluation: t('Evaluation'), training: t('Training'), selection: t('Model selection'), runs: t('Runs') };
}

/** Shorter labels where the panel is narrow (panel.css: six tabs must fit in 400 px). */
function tabShortLabels(): Partial<Record<TabId, string>> {
  return { data: t('Data'), selection: t('Choose C') };
}

/** Runs have a label from the host; a report opened alone gets one here. */
export function runFromReport(report: TrainReport): RunRecord {
  const s = report.model.settings;
  const penalty = s.penalty === 'none' ? 'no penalty' : `${s.penalty.toUpperCase()} C=${fmt(s.C, 3)}`;
  // The run's own number and start when the host exported it (report.run); "" = unknown start.
  const id = report.run?.number ?? 1;
  return {
    id,
    label: `#${id} ${report.convergence.solver} ${penalty}`,
    startedAt: report.run?.startedAt ?? '',
    durationMs: timingPhases(report.timings).totalMs,
    settings: s,
    report,
  };
}

/**
 * The least time between two draws of a live run's progress (about 4 a second; issue 20): on a
 * 2-core machine every draw (plot, layout, raster in the browser-hosted VS Code) is CPU the run
 * itself waits for.
 */
export const LIVE_DRAW_INTERVAL_MS = 250;

/** Marks (performance.mark `logit-lab:…`) of the first time each message arrived and was handled: bench/ui.mjs reads them. */
const marked = new Set<string>();
function markOnce(name: string): void {
  if (marked.has(name)) return;
  marked.add(name);
  performance.mark(`logit-lab:${name}`);
}

function isHostMessage(x: unknown): x is HostToWebview {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';
}

export class App {
  private readonly api: WebviewApi;
  private data: PanelData;
  private ui: SavedState;
  private theme: Theme;
  private readonly root: HTMLElement;
  private readonly headerSlot = el('div', { class: 'll-header-slot' });
  private readonly tabs: Tabs;
  private readonly panels: Map<TabId, HTMLElement>;
  private form: SettingsForm | null = null;
  private formFor: unknown = null;
  private lastWidth = 0;
  /**
   * Whether the user picked a tab since this webview loaded (or since they last asked for a run):
   * a run that starts then leaves them where they are instead of moving to the Training tab.
   */
  private tabChosen = false;
  /** The animation frame that draws the latest progress (renderProgress), or 0. */
  private progressFrame = 0;
  /** The timer that draws the latest progress at the end of the interval (renderProgress), or 0. */
  private progressTimer = 0;
  /** When the live progress was last drawn (performance.now()), or -Infinity. */
  private lastProgressDraw = -Infinity;
  /** Per-class curves asked from the host (loadCurves), by "runId split", until they are merged into the run. */
  private readonly curveLoads = new Map<string, CurvesLoad>();

  constructor(api: WebviewApi, mount: HTMLElement) {
    this.api = api;
    this.ui = loadState(api.getState());
    // Saved at once, so that a reload revives this panel on its own file (see ModelPanel.revive).
    this.ui.fileUri = document.body.dataset.fileUri ?? this.ui.fileUri;
    api.setState(this.ui);
    this.data = {
      initialized: false,
      fileName: '',
      preview: null,
      loadError: null,
      defaults: { ...DEFAULT_SETTINGS },
      runs: [],
      training: null,
      trainError: null,
      readOnly: !api.connected,
      notice: null,
      comparing: null,
      compareError: null,
      landscapeJob: { computing: null, error: null },
      crossValidating: null,
      cvError: null,
    };
    this.theme = readTheme();
    const labels = tabLabels();
    const shorts = tabShortLabels();
    // Where the panel is narrow, a short label replaces the long one (panel.css: six tabs fit in 400 px).
    const label = (id: TabId) => (shorts[id] ? [el('span', { class: 'll-tab-long' }, labels[id]), el('span', { class: 'll-tab-short' }, shorts[id])] : labels[id]);
    const built = tabs(TAB_IDS.map((id) => [id, label(id)] as const));
    this.tabs = built.tabs;
    this.panels = built.panels;
    this.tabs.selectedIndex = TAB_IDS.indexOf(this.ui.tab);
    this.tabs.addEventListener('vsc-tabs-select', (e) => {
      const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
      const tab = TAB_IDS[index];
      if (tab && tab !== this.ui.tab) {
        this.tabChosen = true;
        this.setUi({ tab }, true);
      }
    });
    this.root = el('main', { class: 'll-app' }, this.headerSlot, this.tabs);
    mount.append(this.root);

    // Theme switches in VS Code rewrite the body's class and the --vscode-* variables.
    const themeObserver = new MutationObserver(() => {
      this.theme = readTheme();
      this.renderAll();
    });
    themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
    let resizeTimer = 0;
    new ResizeObserver(() => {
      const w = this.root.getBoundingClientRect().width;
      if (Math.abs(w - this.lastWidth) < 24) return;
      this.lastWidth = w;
      clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(() => this.renderTab(), 120);
    }).observe(this.root);
  }

  /** Connects to the host: listen, then say `ready` (the host answers with didInitialize). */
  connect(): void {
    window.addEventListener('message', (e: MessageEvent) => {
      if (!isHostMessage(e.data)) return;
      markOnce(e.data.type);
      // The host sends arrays of numbers as binary (src/protocol/packNumbers.ts).
      this.handle(unpackNumbers(e.data));
      markOnce(`${e.data.type} handled`);
    });
    this.renderAll();
    markOnce('ready');
    this.post({ type: 'ready' });
  }

  /** Read-only: the HTML report, from the embedded TrainReport (no host, no form). */
  showReport(report: TrainReport): void {
    this.handle({
      type: 'didInitialize',
      fileName: report.data.fileName,
      preview: null,
      loadError: null,
      defaults: report.model.settings,
      runs: [runFromReport(report)],
      training: null,
      readOnly: true,
    });
  }

  handle(msg: HostToWebview): void {
    const d = this.data;
    switch (msg.type) {
      case 'didInitialize':
        d.initialized = true;
        d.fileName = msg.fileName;
        d.preview = msg.preview;
        d.loadError = msg.loadError;
        d.defaults = { ...DEFAULT_SETTINGS, ...msg.defaults };
        d.runs = msg.runs;
        d.training = msg.training ? { runId: null, settings: null, progress: msg.training } : null;
        d.readOnly = msg.readOnly || !this.api.connected;
        if (this.ui.currentRun !== null && !d.runs.some((r) => r.id === this.ui.currentRun)) this.ui.currentRun = null;
        if (d.readOnly && this.ui.tab === 'data' && d.runs.length > 0) this.setUi({ tab: 'model' }, false);
        // A run under way when the webview (re)loads, e.g. the one that starts as the panel opens.
        if (d.training) this.showTraining();
        this.renderAllSoon();
        break;
      case 'didLoadData': {
        const renamed = d.fileName !== msg.preview.fileName;
        d.preview = msg.preview;
        d.fileName = msg.preview.fileName;
        d.loadError = null;
        // Only the Data tab shows the preview: a preview that comes after a run (trainProcess.ts) does
        // not redraw the run's Model or Evaluation tab, nor the header unless the file's name changed
        // (the header shows nothing else of it; issue 20: it came between the run and its boundary).
        if (renamed) this.renderHeader();
        if (this.ui.tab === 'data') this.renderTab();
        break;
      }
      case 'didFailLoading':
        d.loadError = msg.diagnostics;
        d.preview = null;
        this.setUi({ tab: 'data' }, false);
        this.renderAll();
        break;
      case 'didStartTraining':
        d.training = { runId: msg.runId, settings: msg.settings, progress: null };
        d.trainError = null;
        d.notice = null;
        this.showTraining();
        this.renderAll();
        break;
      case 'didUpdateProgress':
        d.training = { runId: msg.runId, settings: d.training?.settings ?? null, progress: msg.progress };
        this.renderProgress();
        break;
      case 'didFinishTraining': {
        d.runs = [...d.runs.filter((r) => r.id !== msg.run.id), msg.run];
        d.training = null;
        const test = msg.run.report.evaluation.test?.metrics ?? msg.run.report.evaluation.validation?.metrics;
        d.notice = test
          ? t('{0} finished in {1}: accuracy {2}, log loss {3}.', msg.run.label, fmtDuration(msg.run.durationMs), fmt(test.accuracy), fmt(test.logLoss))
          : t('{0} finished in {1}.', msg.run.label, fmtDuration(msg.run.durationMs));
        this.ui.currentRun = msg.run.id;
        this.saveUi();
        this.renderAllSoon();
        break;
      }
      case 'didFailTraining':
        d.training = null;
        d.trainError = { runId: msg.runId, diagnostics: msg.diagnostics };
        d.notice = t('Run #{0} failed.', msg.runId);
        this.renderAll();
        break;
      case 'didCancelTraining':
        d.training = null;
        d.notice = t('Run #{0} was cancelled.', msg.runId);
        this.renderAll();
        break;
      case 'didExport':
        d.notice = t('Saved {0} to {1}', msg.what, msg.path);
        this.renderHeader();
        break;
      case 'didStartComparison':
      case 'didUpdateComparison':
      case 'didFinishComparison':
      case 'didFailComparison':
        this.onComparison(msg);
        break;
      case 'didStartLandscape':
      case 'didComputeLandscape':
      case 'didFailLandscape':
      case 'didDescend':
        this.onLandscape(msg);
        break;
      case 'didStartCrossValidation':
      case 'didUpdateCrossValidation':
      case 'didFinishCrossValidation':
      case 'didFailCrossValidation':
        this.onCrossValidation(msg);
        break;
      case 'didLoadCurves':
        this.onCurves(msg);
        break;
      default: {
        const unexpected: never = msg;
        console.warn('Logit Lab: unknown message', unexpected);
      }
    }
  }

  /** "Compare solvers" messages (views/compareView.ts). */
  private onComparison(msg: Extract<HostToWebview, { type: 'didStartComparison' | 'didUpdateComparison' | 'didFinishComparison' | 'didFailComparison' }>): void {
    const d = this.data;
    switch (msg.type) {
      case 'didStartComparison':
        d.comparing = { runId: msg.runId, done: 0, total: 0, label: '' };
        d.compareError = null;
        if (this.ui.tab === 'training') this.renderTab();
        break;
      case 'didUpdateComparison':
        d.comparing = { runId: msg.runId, done: msg.done, total: msg.total, label: msg.label };
        if (this.ui.tab === 'training') this.renderTab();
        break;
      case 'didFinishComparison': {
        d.comparing = null;
        const run = d.runs.find((r) => r.id === msg.runId);
        if (run) run.report.comparison = msg.comparison;
        d.notice = t('Solvers compared on run #{0}.', msg.runId);
        this.renderAll();
        break;
      }
      case 'didFailComparison':
        d.comparing = null;
        d.compareError = msg.diagnostics.length > 0 ? { runId: msg.runId, diagnostics: msg.diagnostics } : null;
        d.notice = msg.diagnostics.length > 0 ? t('The solvers could not be compared on run #{0}.', msg.runId) : t('The comparison was cancelled.');
        this.renderAll();
        break;
    }
  }

  /** Cross-validation messages (views/cvView.ts, the Model selection tab). */
  private onCrossValidation(msg: Extract<HostToWebview, { type: 'didStartCrossValidation' | 'didUpdateCrossValidation' | 'didFinishCrossValidation' | 'didFailCrossValidation' }>): void {
    const d = this.data;
    switch (msg.type) {
      case 'didStartCrossValidation':
        d.crossValidating = { runId: msg.runId, request: msg.request, progress: null };
        d.cvError = null;
        if (this.ui.tab === 'selection') this.renderTab();
        break;
      case 'didUpdateCrossValidation':
        if (d.crossValidating?.runId === msg.runId) d.crossValidating.progress = msg.progress;
        if (this.ui.tab === 'selection') updateCvProgress(this.root, msg.progress);
        break;
      case 'didFinishCrossValidation': {
        d.crossValidating = null;
        const run = d.runs.find((r) => r.id === msg.runId);
        if (run) run.report.crossValidation = msg.crossValidation;
        d.notice = t('C cross-validated on run #{0}: C = {1}.', msg.runId, fmt(msg.crossValidation.result.chosenC));
        this.renderAll();
        break;
      }
      case 'didFailCrossValidation':
        d.crossValidating = null;
        d.cvError = msg.diagnostics.length > 0 ? { runId: msg.runId, diagnostics: msg.diagnostics } : null;
        d.notice = msg.diagnostics.length > 0 ? t('C could not be cross-validated on run #{0}.', msg.runId) : t('The cross-validation was cancelled.');
        this.renderAll();
        break;
    }
  }

  /**
   * A split's per-class curves that the posted run left out (RunRecord.curvesOmitted): asked from the
   * host once (the Evaluation tab's one-vs-rest card shows that they are loading meanwhile).
   */
  private loadCurves(runId: number, split: SplitName): CurvesLoad {
    const key = `${runId} ${split}`;
    let load = this.curveLoads.get(key);
    if (!load) {
      load = this.data.readOnly ? { state: 'failed', message: t('this report has no extension host to ask.') } : { state: 'loading' };
      this.curveLoads.set(key, load);
      if (load.state === 'loading') this.post({ type: 'loadCurves', runId, split });
    }
    return load;
  }

  /** The host's answer to loadCurves: the curves merged into the run, or the failure kept; the pending card redrawn. */
  private onCurves(msg: Extract<HostToWebview, { type: 'didLoadCurves' }>): void {
    const key = `${msg.runId} ${msg.split}`;
    const run = this.data.runs.find((r) => r.id === msg.runId);
    const ev = run?.report.evaluation[msg.split];
    if ('curves' in msg && ev) {
      ev.perClassCurves = msg.curves;
      if (run!.curvesOmitted) delete run!.curvesOmitted[msg.split];
      this.curveLoads.delete(key);
    } else {
      this.curveLoads.set(key, { state: 'failed', message: 'error' in msg ? msg.error : t('the run has no such split.') });
    }
    const body = this.ui.tab === 'evaluation' ? this.panels.get('evaluation')?.querySelector<HTMLElement>(':scope > .ll-tab-body') : null;
    if (run && body) redrawPendingCurves(this.context(), run, msg.split, body);
  }

  /** The loss landscape's messages (views/landscapeView.ts): a slider answer redraws only the landscape's paths. */
  private onLandscape(msg: Extract<HostToWebview, { type: 'didStartLandscape' | 'didComputeLandscape' | 'didFailLandscape' | 'didDescend' }>): void {
    const job = this.data.landscapeJob;
    if (msg.type === 'didDescend') return onDescended(msg.runId, msg.factor, msg.paths);
    job.computing = msg.type === 'didStartLandscape' ? msg.runId : null;
    if (msg.type === 'didStartLandscape') job.error = null;
    if (msg.type === 'didFailLandscape' && msg.diagnostics.length > 0) job.error = { runId: msg.runId, diagnostics: msg.diagnostics };
    const run = this.data.runs.find((r) => r.id === msg.runId);
    if (msg.type === 'didComputeLandscape' && run) run.report.landscape = msg.landscape;
    if (this.ui.tab === 'training') this.renderTab();
  }

  /** Moves to the Training tab as a run starts, unless the user has chosen a tab. */
  private showTraining(): void {
    if (!this.tabChosen) this.setUi({ tab: 'training' }, false);
  }

  private post(message: WebviewToHost): void {
    if (this.data.readOnly && message.type !== 'ready') return;
    // Asking for a run is asking to watch it: its start moves to the Training tab again.
    if (message.type === 'startTraining') this.tabChosen = false;
    this.api.postMessage(message);
  }

  private currentRun(): RunRecord | null {
    const runs = this.data.runs;
    if (runs.length === 0) return null;
    return runs.find((r) => r.id === this.ui.currentRun) ?? runs[runs.length - 1];
  }

  private saveUi(): void {
    this.api.setState(this.ui);
  }

  private setUi(patch: Partial<SavedState>, rerender = true): void {
    const tabChanged = patch.tab !== undefined && patch.tab !== this.ui.tab;
    const runChanged = patch.currentRun !== undefined && patch.currentRun !== this.ui.currentRun;
    this.ui = { ...this.ui, ...patch };
    this.saveUi();
    if (tabChanged) this.tabs.selectedIndex = TAB_IDS.indexOf(this.ui.tab);
    if (runChanged) this.renderHeader();
    if (rerender) this.renderTab();
  }

  private context(): ViewContext {
    return {
      data: this.data,
      ui: this.ui,
      theme: this.theme,
      run: this.currentRun(),
      setUi: (patch, rerender) => this.setUi(patch, rerender),
      post: (m) => this.post(m),
      exportPlot: (name, format, svg, title) => void this.exportPlot(name, format, svg, title),
      useC: (C, penalty) => this.useC(C, penalty),
      loadCurves: (runId, split) => this.loadCurves(runId, split),
    };
  }

  /** "Use this C": into the settings form (built by showing Data & Settings if it is not yet) and Train. */
  private useC(C: number, penalty: TrainSettings['penalty']): void {
    if (!this.form && this.data.preview) this.setUi({ tab: 'data' });
    if (this.form) {
      this.form.applyC(C, penalty);
      return;
    }
    const run = this.currentRun();
    if (!run) return;
    const settings: TrainSettings = { ...run.settings, C, penalty };
    delete settings.lambda;
    this.post({ type: 'startTraining', settings });
  }

  private async exportPlot(name: string, format: 'svg' | 'png', svg: SVGSVGElement, title: string): Promise<void> {
    const doc = standaloneSvg(svg, title, this.theme);
    let data: string;
    try {
      data = format === 'svg' ? doc.text : await rasterize(doc.text, doc.width, doc.height);
    } catch (e) {
      this.data.notice = t('Could not export the plot: {0}', (e as Error).message);
      this.renderHeader();
      return;
    }
    if (this.data.readOnly) {
      // The HTML report has no host: download in the browser.
      const a = el('a', { attrs: { download: `${name}.${format}`, href: format === 'svg' ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data)}` : data } });
      document.body.append(a);
      a.click();
      a.remove();
      return;
    }
    this.post({ type: 'exportPlot', name, format, data });
  }

  /** The cards of the Model or Evaluation tab being re-rendered (renderTab to renderTabInto). */
  private previousCards: Element[] = [];

  renderAll(): void {
    this.renderHeader();
    this.renderTab();
  }

  /**
   * After a message that carries a run (issue 20, no long tasks): receiving and unpacking it is a task
   * of its own, so the header is drawn in the next task and the tab in the one after (together with
   * the message they were one 52-64 ms task on a slower CPU). A header or tab drawn meanwhile (e.g. by
   * the didStartTraining that follows the snapshot as a panel opens to train) is not drawn again: it
   * already shows the same data.
   */
  private renderAllSoon(): void {
    const header = this.headerRenders;
    const tab = this.tabRenders;
    void nextTask()
      .then(() => {
        if (this.headerRenders === header) this.renderHeader();
        return nextTask();
      })
      .then(() => {
        if (this.tabRenders === tab) this.renderTab();
      });
  }

  /** How many times the header and the selected tab were drawn (renderAllSoon skips a draw made redundant). */
  private headerRenders = 0;
  private tabRenders = 0;

  /**
   * The live run's header and Training tab, at most every LIVE_DRAW_INTERVAL_MS (issue 20): the
   * snapshots that come in between (the worker sends ~10 a second, more after a busy moment) are
   * drawn once, the latest, by a timer at the end of the interval, so the last one is always drawn;
   * the first is drawn at once. Each draw waits for an animation frame (a hidden webview draws
   * nothing) and updates the view in place (trainingView.ts updateLiveTraining). A run that ended
   * in between is not drawn (its finished view is).
   */
  private renderProgress(): void {
    if (this.progressFrame || this.progressTimer) return;
    const draw = () => {
      this.progressFrame = requestAnimationFrame(() => {
        this.progressFrame = 0;
        this.lastProgressDraw = performance.now();
        if (!this.data.training) return;
        const ctx = this.context();
        if (!updateLiveHeader(ctx, this.headerSlot.firstElementChild)) this.renderHeader();
        if (this.ui.tab !== 'training') return;
        const body = this.panels.get('training')!.querySelector<HTMLElement>(':scope > .ll-tab-body');
        const view = body?.querySelector(':scope > [data-view="live-training"]');
        if (!body || !view || !updateLiveTraining(ctx, view, body)) this.renderTab();
      });
    };
    const wait = this.lastProgressDraw + LIVE_DRAW_INTERVAL_MS - performance.now();
    if (wait <= 0) draw();
    else
      this.progressTimer = window.setTimeout(() => {
        this.progressTimer = 0;
        draw();
      }, wait);
  }

  private renderHeader(): void {
    this.headerRenders++;
    replace(this.headerSlot, headerView(this.context()));
  }

  /** Rebuilds the selected tab (others are rebuilt when selected: hidden panels have no width). */
  renderTab(): void {
    this.tabRenders++;
    const tab = this.ui.tab;
    const panel = this.panels.get(tab)!;
    const ctx = this.context();
    // A re-render of Model or Evaluation keeps the previous cards on screen until each is replaced; of
    // a finished run's Training tab, it is drawn at once (a live view is not a previous rendering).
    const previous = panel.querySelector(`:scope > .ll-tab-body > .ll-${tab}:not([data-view="live-training"])`);
    this.previousCards = previous ? [...previous.children] : [];
    const body = el('div', { class: 'll-tab-body' });
    panel.replaceChildren(body);
    for (const [id, p] of this.panels) if (id !== tab && id !== 'data') p.replaceChildren();
    try {
      this.renderTabInto(tab, ctx, body);
    } catch (e) {
      body.replaceChildren(el('div', { class: 'll-diagnostics ll-error', attrs: { role: 'alert' } }, t('This view could not be drawn: {0}', (e as Error).message)));
      console.error(e);
    }
  }

  private renderTabInto(tab: TabId, ctx: ViewContext, body: HTMLElement): void {
    const run = ctx.run;
    const d = this.data;
    const needRun = () => {
      body.append(
        el(
          'div',
          { class: 'll-empty' },
          el('p', null, d.training ? t('A model is training; its results appear here when it finishes.') : t('No model yet. Pick a target and features, then press Train.')),
          d.readOnly ? null : button(d.training ? t('Watch the training') : t('Go to Data & Settings'), { onClick: () => this.setUi({ tab: d.training ? 'training' : 'data' }) }),
        ),
      );
    };
    switch (tab) {
      case 'data': {
        // Before the preview (a panel opened with a run previews the file once the run has read it).
        if (!d.readOnly && (!d.initialized || (!d.preview && !d.loadError && !run))) {
          body.append(el('div', { class: 'll-empty' }, progressRing(t('Loading')), t('Reading the file…')));
          if (d.trainError) body.append(diagnosticsList(d.trainError.diagnostics, t('Training run #{0} failed', d.trainError.runId)));
          return;
        }
        if (d.loadError) body.append(diagnosticsList(d.loadError, d.fileName ? t('The file could not be read: {0}', d.fileName) : t('The file could not be read')), d.readOnly ? '' : button(t('Reload the file'), { id: 'reload', onClick: () => this.post({ type: 'reloadData' }) }));
        if (d.trainError) body.append(diagnosticsList(d.trainError.diagnostics, t('Training run #{0} failed', d.trainError.runId)));
        const cols = el('div', { class: 'll-data-layout' });
        const summary = el('div', { class: 'll-data-summary' });
        cols.append(summary);
        if (d.preview && !d.readOnly) {
          if (!this.form || this.formFor !== d.preview) {
            this.form = new SettingsForm({
              preview: d.preview,
              defaults: d.defaults,
              onTrain: (settings) => this.post({ type: 'startTraining', settings }),
              onCancel: () => this.post({ type: 'cancelTraining' }),
              onTargetChange: (target) => {
                const box = document.querySelector<HTMLElement>('.ll-data-summary');
                if (box) {
                  box.replaceChildren();
                  renderDataSummary(this.context(), box, target);
                }
              },
            });
            this.formFor = d.preview;
          }
          this.form.setTraining(d.training !== null);
          cols.append(el('div', { class: 'll-data-form' }, this.form.element));
        }
        body.append(cols);
        renderDataSummary(ctx, summary, this.form?.currentTarget);
        return;
      }
      case 'model':
      case 'evaluation': {
        if (!run) return needRun();
        // Card by card, each in a short task (incremental.ts): a 1M-row run's tab never blocks the webview.
        const root = el('div', { class: tab === 'model' ? 'll-model' : 'll-evaluation' });
        body.append(root);
        const previous = this.previousCards;
        this.previousCards = [];
        void renderParts(
          root,
          tab === 'model' ? modelParts(ctx, run, body) : evaluationParts(ctx, run, body),
          (e) => el('div', { class: 'll-diagnostics ll-error', attrs: { role: 'alert' } }, t('This view could not be drawn: {0}', (e as Error).message)),
          previous,
          tab === 'model' ? MODEL_FIRST : [],
        );
        return;
      }
      case 'training':
        if (d.training) body.append(liveTrainingView(ctx, body));
        else if (d.trainError) body.append(diagnosticsList(d.trainError.diagnostics, t('Training run #{0} failed', d.trainError.runId)));
        if (run && !d.training) {
          const root = el('div', { class: 'll-training' });
          body.append(root);
          const parts = trainingParts(ctx, run, body);
          const failed = (e: unknown) => el('div', { class: 'll-diagnostics ll-error', attrs: { role: 'alert' } }, t('This view could not be drawn: {0}', (e as Error).message));
          // Redrawn in place (a comparison's or landscape's message): at once, as the cards were. As a run
          // finishes, or the tab is chosen: card by card, the loss curves first (a Model tab chosen the
          // moment the run finishes stops the rest: issue 12's boundary does not wait for the replay).
          if (this.previousCards.length > 0) appendParts(root, parts, failed);
          else void renderParts(root, parts, failed, [], TRAINING_FIRST);
          this.previousCards = [];
        }
        else if (!run && !d.training && !d.trainError) needRun();
        return;
      case 'selection':
        if (!run) return needRun();
        body.append(cvView(ctx, run, body));
        return;
      case 'runs':
        body.append(runsView(ctx, body));
        return;
      default: {
        const unexpected: never = tab;
        throw new Error(`unknown tab ${String(unexpected)}`);
      }
    }
  }
}
