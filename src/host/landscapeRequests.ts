/**
 * The panel's loss-landscape requests for one data file: "Show the loss landscape" (computed in the
 * worker on a sample of the run's training rows, kept in the run's report.landscape so the HTML report
 * has it) and the learning-rate slider's live re-runs of gradient descent on that sample. The slider
 * can move faster than the worker answers: at most one re-run is in flight, and only the latest rate
 * asked for meanwhile is run next (the others are dropped). Nothing runs on the extension host's thread.
 */
import * as vscode from 'vscode';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics';
import type { LandscapeDirections } from '../core/evaluate/landscape';
import type { RunRecord } from '../protocol/panel';
import { log } from './output';
import type { TrainingTarget } from './trainingController';
import type { LandscapeOutcome, TrainingSession } from './trainingSession';
import { WALKTHROUGH_CONTEXT, markWalkthroughStep } from './walkthrough';

export class LandscapeRequests {
  private descending = false;
  private nextDescent: { runId: number; factor: number } | undefined;

  constructor(
    private readonly target: TrainingTarget,
    private readonly session: TrainingSession,
    private readonly runOf: (runId: number) => Promise<RunRecord>,
    /** Saves run `runId` again (its landscape changed). */
    private readonly save: (runId: number) => Promise<void>,
  ) {}

  /** Why the landscape cannot be drawn for this run, or undefined. */
  private refusal(run: RunRecord, filePath: string | undefined): Diagnostic | undefined {
    const file = this.target.fileName;
    if (!filePath) return this.target.notLocal();
    if (run.settings.stream) return { severity: 'error', code: 'landscape.refused', file, message: vscode.l10n.t('The loss landscape needs the training rows in memory; this run streamed the file from disk. Train without streaming to see it.') };
    return undefined;
  }

  async compute(runId: number, directions: LandscapeDirections): Promise<void> {
    const run = await this.runOf(runId);
    const filePath = this.target.localPath();
    const refused = this.refusal(run, filePath);
    if (refused) return this.target.post({ type: 'didFailLandscape', runId, diagnostics: [refused] });
    this.target.post({ type: 'didStartLandscape', runId });
    const outcome = await this.session.landscape({ type: 'landscape', filePath: filePath!, fileName: this.target.fileName, settings: run.settings, model: run.report.model, replay: run.report.replay ?? null, directions });
    if (outcome.kind !== 'landscape') return this.fail(runId, outcome);
    run.report.landscape = outcome.landscape;
    await this.save(runId);
    this.target.post({ type: 'didComputeLandscape', runId, landscape: outcome.landscape });
    markWalkthroughStep(WALKTHROUGH_CONTEXT.landscapeShown);
    log().info(`loss landscape of run #${runId} (${outcome.landscape.mode}) on ${outcome.landscape.sampleRows} of ${outcome.landscape.ofRows} training rows: ${Math.round(outcome.landscape.computeMs ?? 0)} ms in the worker`);
  }

  /** Gradient descent at factor × 2/λmax on the run's landscape sample; the latest request wins while one runs. */
  async descend(runId: number, factor: number): Promise<void> {
    this.nextDescent = { runId, factor };
    if (this.descending) return;
    this.descending = true;
    try {
      while (this.nextDescent) {
        const next = this.nextDescent;
        this.nextDescent = undefined;
        await this.descendOnce(next.runId, next.factor);
      }
    } finally {
      this.descending = false;
    }
  }

  private async descendOnce(runId: number, factor: number): Promise<void> {
    const run = await this.runOf(runId);
    const landscape = run.report.landscape;
    const filePath = this.target.localPath();
    const refused = this.refusal(run, filePath);
    if (refused || !landscape) return this.target.post({ type: 'didFailLandscape', runId, diagnostics: refused ? [refused] : [] });
    const plane = { center: landscape.center, dirs: landscape.dirs, lambdaMax: landscape.lambdaMax };
    const outcome = await this.session.landscape({ type: 'descend', filePath: filePath!, fileName: this.target.fileName, settings: run.settings, plane, factor });
    if (outcome.kind !== 'descended') return this.fail(runId, outcome);
    this.target.post({ type: 'didDescend', runId, factor, paths: outcome.paths });
  }

  private fail(runId: number, outcome: LandscapeOutcome): void {
    const diagnostics = outcome.kind === 'failed' ? outcome.diagnostics : [];
    for (const d of diagnostics) log().warn(formatDiagnostic(d));
    this.target.post({ type: 'didFailLandscape', runId, diagnostics });
  }
}
