/**
 * The model panel's "Model selection" job: cross-validates C on the problem of one run in the
 * training worker (TrainingSession.crossValidate, never on the extension host's thread), posts its
 * progress per fold and grid point, and keeps the result in the run's report (so the HTML report
 * shows it too). One job at a time per panel; it shares the session's worker with training and
 * "Compare solvers", so it refuses to start while either runs, and a new training run cancels it.
 */
import * as vscode from 'vscode';
import type { CvRequest } from '../core/run/crossValidate';
import { validateSettings, type TrainSettings } from '../core/run/settings';
import type { RunRecord } from '../protocol/panel';
import { log } from './output';
import type { RunStore } from './runStore';
import type { TrainingTarget } from './trainingController';
import type { TrainingSession } from './trainingSession';
import { WALKTHROUGH_CONTEXT, markWalkthroughStep } from './walkthrough';
import { WorkerJob } from './workerJob';

/** The settings a cross-validation fits with: the run's own, with the penalty the user chose. */
export function cvSettings(run: RunRecord, request: CvRequest): TrainSettings {
  const s: TrainSettings = { ...run.settings, penalty: request.penalty };
  delete s.lambda;
  return s;
}

export class CrossValidationJob {
  private readonly job: WorkerJob;

  constructor(
    private readonly target: TrainingTarget,
    private readonly session: TrainingSession,
    private readonly store: RunStore,
    /** The run of this id (throws when there is none), and whether a training run or comparison holds the worker. */
    private readonly runs: { run(runId: number): RunRecord; busy(): boolean },
  ) {
    this.job = new WorkerJob(session);
  }

  get running(): boolean {
    return this.job.running;
  }

  /** Resolves when the job under way (if any) has finished, failed or stopped. */
  async idle(): Promise<void> {
    await this.job.idle();
  }

  async start(runId: number, request: CvRequest): Promise<void> {
    const { target } = this;
    const run = this.runs.run(runId);
    const refuse = (message: string) => target.post({ type: 'didFailCrossValidation', runId, diagnostics: [{ severity: 'error', code: 'cv.refused', file: target.fileName, message }] });
    const filePath = target.localPath();
    if (!filePath) return refuse(target.notLocal().message);
    if (this.job.running || this.runs.busy() || this.session.isTraining) return refuse(vscode.l10n.t('Wait for the running training, comparison or cross-validation to finish, or cancel it.'));
    if (run.settings.stream) return refuse(vscode.l10n.t('Cross-validation runs on data in memory; this run streamed the file from disk. Train without streaming to choose C.'));
    const settings = cvSettings(run, request);
    const problems = validateSettings(settings);
    if (problems.length > 0) return refuse(problems.join('; '));
    target.post({ type: 'didStartCrossValidation', runId, request });
    log().info(`cross-validating C on the problem of run #${runId}: ${request.folds} folds, ${request.Cs.length} values of C, ${request.scoring}, ${request.penalty}`);
    const { penalty: _penalty, ...cv } = request;
    const pending = this.session.crossValidate(filePath, target.fileName, settings, cv, (progress) => target.post({ type: 'didUpdateCrossValidation', runId, progress }));
    await this.job.run(runId, pending, {
      succeeded: async (outcome) => {
        const crossValidation = { request, result: outcome.result };
        run.report.crossValidation = crossValidation;
        await this.store.update(target.fileUri, runId);
        target.post({ type: 'didFinishCrossValidation', runId, crossValidation });
        markWalkthroughStep(WALKTHROUGH_CONTEXT.crossValidated);
        log().info(`cross-validation of run #${runId}: C = ${outcome.result.chosenC} (${request.rule}), ${request.scoring} ${outcome.result.mean[outcome.result.Cs.indexOf(outcome.result.chosenC)]}`);
      },
      fail: (diagnostics) => target.post({ type: 'didFailCrossValidation', runId, diagnostics }),
      cancelledLog: `cross-validation of run #${runId} cancelled`,
    });
  }

  /** Stops the job under way (if any) promptly. */
  async cancel(): Promise<void> {
    await this.job.cancel();
  }
}
