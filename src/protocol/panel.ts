/**
 * Messages between the model panel's webview and the extension host. Webview-to-host messages are
 * imperatives; host-to-webview messages are past-tense notifications. Host and webview ship
 * together, so the wire format carries no version (the webview's saved UI state does).
 */
import type { Diagnostic } from '../core/diagnostics';
import type { DataPreview } from '../core/data/preview';
import type { BinaryCurves, SplitEvaluation, SplitName, TrainProgress, TrainReport } from '../core/report/report';
import type { TrainSettings } from '../core/run/settings';
import type { SolverComparison } from '../core/run/compareSolvers';
import type { DescentPaths, Landscape, LandscapeDirections } from '../core/evaluate/landscape';
import type { CrossValidation, CvProgress, CvRequest } from '../core/run/crossValidate';

/** One finished training run in the panel's history. */
export interface RunRecord {
  id: number;
  /** Short label, e.g. "#2 lbfgs L2 C=1". */
  label: string;
  startedAt: string;
  durationMs: number;
  settings: TrainSettings;
  /**
   * In the extension host, a run of this session has its `evaluation` and `points` packed as binary
   * (packReport in packNumbers.ts): unpack them (unpackNumbers) before reading them there.
   */
  report: TrainReport;
  /**
   * Set on a run as posted to the webview (`runForWebview`): per split, how many per-class curve sets
   * the host held back (issue 20). The webview asks for them (`loadCurves`) when it draws them.
   */
  curvesOmitted?: Partial<Record<SplitName, number>>;
}

export type PlotFormat = 'svg' | 'png';

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'startTraining'; settings: TrainSettings }
  | { type: 'cancelTraining' }
  | { type: 'exportModel'; runId: number }
  | { type: 'exportPredictions'; runId: number }
  | { type: 'exportReport'; runId: number }
  /** `data` is SVG text, or a PNG as a data: URL. */
  | { type: 'exportPlot'; name: string; format: PlotFormat; data: string }
  | { type: 'reloadData' }
  /** Fit the problem of this run with every solver (the result is kept in the run's report.comparison). */
  | { type: 'compareSolvers'; runId: number }
  | { type: 'cancelComparison' }
  /** Compute this run's loss landscape in the worker (kept in the run's report.landscape). */
  | { type: 'computeLandscape'; runId: number; directions: LandscapeDirections }
  /** Re-run gradient descent and momentum on the landscape's sample at factor × 2/λmax (the learning-rate slider). */
  | { type: 'descend'; runId: number; factor: number }
  /** Cross-validate C on the problem of this run (the result is kept in the run's report.crossValidation). */
  | { type: 'crossValidate'; runId: number; request: CvRequest }
  | { type: 'cancelCrossValidation' }
  /** The per-class curves of a run's split that the posted run left out (RunRecord.curvesOmitted). */
  | { type: 'loadCurves'; runId: number; split: SplitName };

export type HostToWebview =
  /** Sent after `ready` (and after a reload): the whole state, so a restored panel is complete. */
  | {
      type: 'didInitialize';
      fileName: string;
      preview: DataPreview | null;
      loadError: Diagnostic[] | null;
      defaults: TrainSettings;
      runs: RunRecord[];
      training: TrainProgress | null;
      /** Whether this is the read-only HTML report (no training, no exports through the host). */
      readOnly: boolean;
    }
  | { type: 'didLoadData'; preview: DataPreview }
  | { type: 'didFailLoading'; diagnostics: Diagnostic[] }
  | { type: 'didStartTraining'; runId: number; settings: TrainSettings }
  | { type: 'didUpdateProgress'; runId: number; progress: TrainProgress }
  | { type: 'didFinishTraining'; run: RunRecord }
  | { type: 'didFailTraining'; runId: number; diagnostics: Diagnostic[] }
  | { type: 'didCancelTraining'; runId: number }
  | { type: 'didExport'; what: string; path: string }
  | { type: 'didStartComparison'; runId: number }
  | { type: 'didUpdateComparison'; runId: number; done: number; total: number; label: string }
  | { type: 'didFinishComparison'; runId: number; comparison: SolverComparison }
  /** diagnostics empty: cancelled. */
  | { type: 'didFailComparison'; runId: number; diagnostics: Diagnostic[] }
  | { type: 'didStartLandscape'; runId: number }
  | { type: 'didComputeLandscape'; runId: number; landscape: Landscape }
  | { type: 'didFailLandscape'; runId: number; diagnostics: Diagnostic[] }
  | { type: 'didDescend'; runId: number; factor: number; paths: DescentPaths }
  | { type: 'didStartCrossValidation'; runId: number; request: CvRequest }
  /** The fold (folds = the path on all rows) and grid point being fitted. */
  | { type: 'didUpdateCrossValidation'; runId: number; progress: CvProgress }
  | { type: 'didFinishCrossValidation'; runId: number; crossValidation: CrossValidation }
  /** diagnostics empty: cancelled. */
  | { type: 'didFailCrossValidation'; runId: number; diagnostics: Diagnostic[] }
  /** The answer to loadCurves: the split's per-class curves as the host's report has them, or why there are none. */
  | { type: 'didLoadCurves'; runId: number; split: SplitName; curves: BinaryCurves[] }
  | { type: 'didLoadCurves'; runId: number; split: SplitName; error: string };

/**
 * The run as the model panel's webview gets it (issue 20): a multi-class (or multilabel) run's
 * per-class ROC/PR curves, most of its report (a 10-class run of 100k rows: 3.98 MB posted with them,
 * 0.99 MB without), are left out and counted in `curvesOmitted`; the Evaluation tab asks for
 * a split's when it draws them (loadCurves → didLoadCurves). What the first render of the Model tab and
 * the header reads stays, and so does a binary run's one curve set (the threshold slider, the cost
 * view and the perceptron's ROC read it) and a single label's (the calibration card reads it). The run
 * given is not changed: the host keeps the whole report (history, exports, the HTML report).
 */
export function runForWebview(run: RunRecord): RunRecord {
  let evaluation: Partial<Record<SplitName, SplitEvaluation>> | undefined;
  let omitted: Partial<Record<SplitName, number>> | undefined;
  for (const [split, ev] of Object.entries(run.report.evaluation) as [SplitName, SplitEvaluation | undefined][]) {
    const count = ev?.perClassCurves?.length ?? 0;
    if (!ev || count < 2) continue;
    evaluation ??= { ...run.report.evaluation };
    omitted ??= { ...run.curvesOmitted };
    const { perClassCurves: _left, ...rest } = ev;
    evaluation[split] = rest;
    omitted[split] = count;
  }
  return evaluation ? { ...run, report: { ...run.report, evaluation }, curvesOmitted: omitted } : run;
}

/** A host → webview message with its runs as the webview gets them (runForWebview); others as they are. */
export function messageForWebview(message: HostToWebview): HostToWebview {
  if (message.type === 'didFinishTraining') return { ...message, run: runForWebview(message.run) };
  if (message.type === 'didInitialize') return { ...message, runs: message.runs.map(runForWebview) };
  return message;
}

/** A split's per-class curves of one of `runs` (the host's, whole), or why there are none. */
export function perClassCurvesOf(runs: readonly RunRecord[], runId: number, split: SplitName): BinaryCurves[] | 'no-run' | 'no-curves' {
  const run = runs.find((r) => r.id === runId);
  if (!run) return 'no-run';
  return run.report.evaluation[split]?.perClassCurves ?? 'no-curves';
}

/**
 * Messages with the same key replace each other while they wait for the webview (PanelController's
 * queue): each progress message is a full snapshot, so only the latest of a run (or comparison) matters.
 */
export function panelCoalesceKey(message: HostToWebview): string | undefined {
  if (message.type === 'didUpdateProgress') return `progress ${message.runId}`;
  if (message.type === 'didDescend') return `descend ${message.runId}`;
  if (message.type === 'didLoadData') return 'data';
  if (message.type === 'didUpdateCrossValidation') return `cross-validation ${message.runId}`;
  return message.type === 'didUpdateComparison' ? `comparison ${message.runId}` : undefined;
}

/** How far a run is (0-1), for the panel's progress bar and the status bar: 0 while reading, the iterations of the limit while fitting (over the outputs of a one-vs-rest run), 1 while evaluating. */
export function progressFraction(p: TrainProgress | null): number {
  if (!p || p.phase === 'reading') return 0;
  if (p.phase === 'evaluating') return 1;
  return p.maxIter > 0 ? Math.min(1, (p.output + p.iteration / p.maxIter) / Math.max(1, p.outputs)) : 0;
}
