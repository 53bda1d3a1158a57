/** What every view receives: the data from the host, the UI state and the actions it may take. */
import type { RunRecord, WebviewToHost } from '../../src/protocol/panel';
import type { DataPreview } from '../../src/core/data/preview';
import type { Diagnostic } from '../../src/core/diagnostics';
import type { SplitName, TrainProgress } from '../../src/core/report/report';
import type { TrainSettings } from '../../src/core/run/settings';
import type { CvProgress, CvRequest } from '../../src/core/run/crossValidate';
import type { SavedState } from '../state';
import type { Theme } from './theme';
import type { PlotExporter } from './plots';

export interface TrainingState {
  runId: number | null;
  settings: TrainSettings | null;
  progress: TrainProgress | null;
}

export interface PanelData {
  initialized: boolean;
  fileName: string;
  preview: DataPreview | null;
  loadError: Diagnostic[] | null;
  defaults: TrainSettings;
  runs: RunRecord[];
  training: TrainingState | null;
  trainError: { runId: number; diagnostics: Diagnostic[] } | null;
  readOnly: boolean;
  /** A one-line status ("Training cancelled.", "Saved model.json to ..."). */
  notice: string | null;
  /** "Compare solvers" under way: solvers done of total, the last one's label. */
  comparing: { runId: number; done: number; total: number; label: string } | null;
  compareError: { runId: number; diagnostics: Diagnostic[] } | null;
  /** The loss landscape being computed (a run id) and the last failure to compute one. */
  landscapeJob: { computing: number | null; error: { runId: number; diagnostics: Diagnostic[] } | null };
  /** Cross-validation of C under way in the worker (the Model selection tab): what was asked, the latest fold and point. */
  crossValidating: { runId: number; request: CvRequest; progress: CvProgress | null } | null;
  cvError: { runId: number; diagnostics: Diagnostic[] } | null;
}

/** Per-class curves the host left out of a posted run (RunRecord.curvesOmitted), asked for: on their way, or why they will not come. */
export type CurvesLoad = { state: 'loading' } | { state: 'failed'; message: string };

export interface ViewContext {
  data: PanelData;
  ui: SavedState;
  theme: Theme;
  /** The run the Model / Evaluation / Training tabs show (the chosen one, else the latest). */
  run: RunRecord | null;
  /** Updates the saved UI state; `rerender` redraws the current tab (default true). */
  setUi(patch: Partial<SavedState>, rerender?: boolean): void;
  post(message: WebviewToHost): void;
  exportPlot: PlotExporter;
  /** "Use this C": puts C and the penalty in the settings form and trains with it. */
  useC(C: number, penalty: TrainSettings['penalty']): void;
  /** Asks the host for a split's per-class curves of a run (once; app.ts merges them into the run when they come). */
  loadCurves(runId: number, split: SplitName): CurvesLoad;
}
