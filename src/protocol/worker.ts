/**
 * Messages between the extension host and the training worker (worker_threads). Cancellation does
 * not travel as a message: the solver loop is synchronous, so the host flips a shared Int32 flag
 * (`cancelFlag`, a SharedArrayBuffer) that the worker polls once per iteration.
 */
import type { Diagnostic } from '../core/diagnostics';
import type { DataPreview } from '../core/data/preview';
import type { TrainProgress, TrainReport } from '../core/report/report';
import type { TrainSettings } from '../core/run/settings';
import type { SolverComparison } from '../core/run/compareSolvers';
import type { DescentPaths, Landscape, LandscapeDirections } from '../core/evaluate/landscape';
import type { ModelJson } from '../core/model/model';
import type { Replay } from '../core/run/snapshots';
import type { CvOptions, CvProgress, CvResult } from '../core/run/crossValidate';

export type HostToWorker =
  /**
   * `count: false`: a sampled preview is not followed by the pass that counts every row (the panel asks
   * so when a run starts with it: the run reads every row, and its report has the exact counts).
   */
  | { type: 'preview'; requestId: number; filePath: string; fileName: string; count?: boolean }
  | { type: 'train'; requestId: number; filePath: string; fileName: string; settings: TrainSettings; cancelFlag: SharedArrayBuffer }
  /** "Compare solvers" on the problem of these settings (same seed and split as their training run). */
  | { type: 'compare'; requestId: number; filePath: string; fileName: string; settings: TrainSettings; cancelFlag: SharedArrayBuffer }
  /** The loss landscape of a finished run (its model and snapshots) on a sample of its training rows (core/run/landscapeRun.ts). */
  | { type: 'landscape'; requestId: number; filePath: string; fileName: string; settings: TrainSettings; model: ModelJson; replay: Replay | null; directions: LandscapeDirections }
  /** Gradient descent and momentum at factor × 2/λmax on that landscape's plane and sample (the worker keeps the sample). */
  | { type: 'descend'; requestId: number; filePath: string; fileName: string; settings: TrainSettings; plane: Pick<Landscape, 'center' | 'dirs' | 'lambdaMax'>; factor: number }
  /** Cross-validation of C (core/run/crossValidate.ts) on the problem of these settings; cancelled by the same flag. */
  | { type: 'crossValidate'; requestId: number; filePath: string; fileName: string; settings: TrainSettings; cv: CvOptions; cancelFlag: SharedArrayBuffer };

export type WorkerToHost =
  /** `counting`: the preview read a sample; the exact counts follow in didCountRows (which settles the request). */
  | { type: 'didPreview'; requestId: number; preview: DataPreview; counting?: boolean }
  /** The preview again, with the row count and class balances counted over the whole file (rowCensus.ts). */
  | { type: 'didCountRows'; requestId: number; preview: DataPreview }
  | { type: 'didUpdateProgress'; requestId: number; progress: TrainProgress }
  /** The report with its evaluation and points packed as binary (packReport in packNumbers.ts). */
  | { type: 'didFinish'; requestId: number; report: TrainReport }
  /** A solver of the comparison has finished (`done` of `total`). */
  | { type: 'didCompareStep'; requestId: number; done: number; total: number; label: string }
  | { type: 'didCompare'; requestId: number; comparison: SolverComparison }
  | { type: 'didLandscape'; requestId: number; landscape: Landscape }
  | { type: 'didDescend'; requestId: number; paths: DescentPaths }
  | { type: 'didCvStep'; requestId: number; progress: CvProgress }
  | { type: 'didCrossValidate'; requestId: number; result: CvResult }
  | { type: 'didCancel'; requestId: number }
  /** `diagnostics` for the user's input problems; `internal` (with a stack) for bugs, logged to the Output channel. */
  | { type: 'didFail'; requestId: number; diagnostics: Diagnostic[]; internal?: { message: string; stack?: string } };
