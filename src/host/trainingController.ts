/**
 * Training orchestration for one data file, apart from any panel: the run history (RunStore), run
 * ids, one active run at a time through the worker (TrainingSession), the "Compare solvers" requests
 * (which use the same worker), the run's status bar item (runStatus.ts), and what each outcome posts to the panel.
 * The model panel owns one and forwards the webview's `startTraining` / `cancelTraining` /
 * `compareSolvers` / `cancelComparison`; the `logitLab.train` command and the test hook call `train`.
 */
import * as vscode from 'vscode';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics';
import { timingText, type TrainProgress } from '../core/report/report';
import { validateSettings, type TrainSettings } from '../core/run/settings';
import { type HostToWebview, type RunRecord } from '../protocol/panel';
import { defaultTrainSettings } from './configuration';
import { log, logInternalError } from './output';
import type { RunStore } from './runStore';
import type { TrainingSession, TrainOutcome } from './trainingSession';
import { WALKTHROUGH_CONTEXT, markWalkthroughStep } from './walkthrough';
import { LandscapeRequests } from './landscapeRequests';
import { WorkerJob } from './workerJob';
import { runStatusItem } from './runStatus';

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

interface ActiveTraining {
  runId: number;
  settings: TrainSettings;
  progress: TrainProgress | null;
  done: Promise<TrainSummary>;
}

export interface TrainingTarget {
  fileUri: vscode.Uri;
  fileName: string;
  /** The file's path on disk, or undefined (with the diagnostic why) when it is not a local file. */
  localPath(): string | undefined;
  notLocal(): Diagnostic;
  /** Posts to the panel (queued until its webview is ready). */
  post(message: HostToWebview): void;
  /** Notes a moment of the run in the panel's timeline (src/host/timeline.ts). */
  mark?(event: string): void;
}

export class TrainingController {
  runs: RunRecord[] = [];
  readonly runsLoaded: Promise<void>;
  private nextRunId = 1;
  private active: ActiveTraining | undefined;
  /** A "Compare solvers" request under way (it uses the session's worker like a training run). */
  private readonly comparing: WorkerJob;
  /** The loss landscape and the learning-rate slider's re-runs (landscapeRequests.ts). */
  readonly landscapes: LandscapeRequests;

  constructor(
    private readonly target: TrainingTarget,
    private readonly session: TrainingSession,
    private readonly store: RunStore,
  ) {
    this.runsLoaded = store.get(target.fileUri).then((runs) => {
      this.runs = runs;
      this.nextRunId = Math.max(this.nextRunId, store.nextId(runs));
    });
    this.comparing = new WorkerJob(session);
    this.landscapes = new LandscapeRequests(target, session, async (runId) => (await this.runsLoaded, this.run(runId)), (runId) => store.update(target.fileUri, runId));
  }

  get isTraining(): boolean {
    return this.active !== undefined;
  }

  /** The active run's id and latest progress (for the test hook), or null. */
  get activeRun(): { runId: number; iteration: number } | null {
    return this.active ? { runId: this.active.runId, iteration: this.active.progress?.iteration ?? 0 } : null;
  }

  /** What the panel's snapshot shows of the active run: its latest progress (or a starting one), else null. */
  progressSnapshot(): TrainProgress | null {
    return this.active ? (this.active.progress ?? idleProgress(this.active.settings)) : null;
  }

  /** Resolves when the active run and comparison (if any) are done. */
  async idle(): Promise<void> {
    await this.runsLoaded;
    await this.active?.done;
    await this.comparing.idle();
  }

  run(runId: number): RunRecord {
    const run = this.runs.find((r) => r.id === runId);
    if (!run) throw new Error(vscode.l10n.t('there is no run #{0} in this panel', runId));
    return run;
  }

  /** Starts a training run (cancelling a running one first); resolves when it has finished, failed or stopped. */
  async train(settings?: TrainSettings): Promise<TrainSummary> {
    const { target } = this;
    if (this.active) await this.cancel();
    await this.cancelComparison();
    await this.runsLoaded;
    const s = settings ?? defaultTrainSettings(target.fileUri, (m) => log().warn(m));
    const runId = this.nextRunId++;
    const problems = validateSettings(s);
    const filePath = target.localPath();
    if (problems.length > 0 || !filePath) {
      const diagnostics: Diagnostic[] = filePath
        ? problems.map((message) => ({ severity: 'error', code: 'settings.invalid', message }))
        : [target.notLocal()];
      target.post({ type: 'didFailTraining', runId, diagnostics });
      return { file: target.fileUri.toString(), runId, outcome: 'invalid', diagnostics };
    }
    let resolveDone!: (s: TrainSummary) => void;
    const active: ActiveTraining = { runId, settings: s, progress: null, done: new Promise((r) => (resolveDone = r)) };
    this.active = active;
    target.post({ type: 'didStartTraining', runId, settings: s });
    log().info(`run #${runId} on ${target.fileName}: ${settingsLabel(s)}`);
    const startedAt = new Date();
    target.mark?.(`run #${runId} requested`);
    try {
      const outcome = await this.runWithProgress(active, filePath);
      target.mark?.(`run #${runId} worker answered`);
      const summary = await this.finishRun(runId, s, startedAt, outcome);
      target.mark?.(`run #${runId} posted`);
      resolveDone(summary);
      return summary;
    } catch (error) {
      // A bug on the host side: logged with its stack; the panel gets a readable diagnostic.
      const message = logInternalError(`training run #${runId}`, error);
      const diagnostics: Diagnostic[] = [{ severity: 'error', code: 'internal', message: vscode.l10n.t('Internal error: {0}. See Output › Logit Lab for details.', message) }];
      target.post({ type: 'didFailTraining', runId, diagnostics });
      const summary: TrainSummary = { file: target.fileUri.toString(), runId, outcome: 'failed', diagnostics };
      resolveDone(summary);
      return summary;
    } finally {
      if (this.active === active) this.active = undefined;
    }
  }

  /** The worker's run with its progress in the status bar (runStatus.ts: a still icon, a click shows the panel) and in the panel. */
  private async runWithProgress(active: ActiveTraining, filePath: string): Promise<TrainOutcome> {
    const { target } = this;
    // In the status bar, not a notification: the panel shows the live run and its Cancel button, and
    // a notification could outlive the run on screen ("iteration 1/1000" after it had finished).
    const status = runStatusItem(target.fileName, { title: vscode.l10n.t('Show the model panel'), command: 'logitLab.showPanel', arguments: [target.fileUri] });
    try {
      return await this.session.train(filePath, target.fileName, active.settings, (p) => {
        if (this.active !== active) return;
        if (p.phase === 'fitting') target.mark?.(`run #${active.runId} first progress`);
        active.progress = p;
        target.post({ type: 'didUpdateProgress', runId: active.runId, progress: p });
        status.report(progressMessage(p));
      });
    } finally {
      status.dispose();
    }
  }

  private async finishRun(runId: number, settings: TrainSettings, startedAt: Date, outcome: TrainOutcome): Promise<TrainSummary> {
    const { target } = this;
    const file = target.fileUri.toString();
    switch (outcome.kind) {
      case 'finished': {
        const report = outcome.report;
        const run: RunRecord = {
          id: runId,
          // The solver that ran (settings 'auto' is resolved by the run: solver chosen by the data's shape).
          label: `#${runId} ${settingsLabel({ ...settings, solver: report.model.settings?.solver ?? settings.solver })}`,
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          settings,
          report,
        };
        this.runs = await this.store.add(target.fileUri, run);
        target.post({ type: 'didFinishTraining', run });
        markWalkthroughStep(WALKTHROUGH_CONTEXT.trained);
        const acc = headlineAccuracy(report.model.metrics);
        log().info(`run #${runId} finished: ${report.convergence.iterations} iterations (${report.convergence.stopReason}), accuracy ${acc?.toFixed(4) ?? 'n/a'}, ${run.durationMs} ms (${timingText(report.timings)})`);
        for (const w of report.warnings) log().warn(formatDiagnostic(w));
        return { file, runId, outcome: 'finished', accuracy: acc, iterations: report.convergence.iterations, classes: report.model.classes };
      }
      case 'cancelled':
        log().info(`run #${runId} cancelled; the previous model is kept`);
        target.post({ type: 'didCancelTraining', runId });
        return { file, runId, outcome: 'cancelled' };
      case 'failed':
        for (const d of outcome.diagnostics) log().warn(formatDiagnostic(d));
        target.post({ type: 'didFailTraining', runId, diagnostics: outcome.diagnostics });
        return { file, runId, outcome: 'failed', diagnostics: outcome.diagnostics };
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Fits the problem of run `runId` with every solver in the worker (same settings, seed and split) and
   * keeps the result in the run's report (so the HTML report has it too).
   */
  async compareSolvers(runId: number): Promise<void> {
    const { target } = this;
    await this.runsLoaded;
    const run = this.run(runId);
    const filePath = target.localPath();
    const refuse = (message: string) => target.post({ type: 'didFailComparison', runId, diagnostics: [{ severity: 'error', code: 'compare.refused', file: target.fileName, message }] });
    if (!filePath) return refuse(target.notLocal().message);
    if (this.active || this.comparing.running) return refuse(vscode.l10n.t('Wait for the running training or comparison to finish, or cancel it.'));
    if (run.settings.stream) return refuse(vscode.l10n.t('Solvers are compared on data in memory; this run streamed the file from disk. Train without streaming to compare solvers.'));
    target.post({ type: 'didStartComparison', runId });
    log().info(`comparing solvers on the problem of run #${runId}`);
    const pending = this.session.compare(filePath, target.fileName, run.settings, (done, total, label) => target.post({ type: 'didUpdateComparison', runId, done, total, label }));
    await this.comparing.run(runId, pending, {
      succeeded: async (outcome) => {
        run.report.comparison = outcome.comparison;
        await this.store.update(target.fileUri, runId);
        target.post({ type: 'didFinishComparison', runId, comparison: outcome.comparison });
        markWalkthroughStep(WALKTHROUGH_CONTEXT.solversCompared);
        log().info(`solvers compared on run #${runId}: ${outcome.comparison.traces.map((t) => `${t.id} ${t.passesToTol ?? '-'} passes`).join(', ')}`);
      },
      fail: (diagnostics) => target.post({ type: 'didFailComparison', runId, diagnostics }),
    });
  }

  /** Stops a running comparison (if any). */
  async cancelComparison(): Promise<void> {
    await this.comparing.cancel();
  }

  /** Stops the running training promptly; the previous runs (and model) stay as they were. */
  async cancel(): Promise<void> {
    const active = this.active;
    if (!active) return;
    await this.session.cancel();
    await active.done;
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
