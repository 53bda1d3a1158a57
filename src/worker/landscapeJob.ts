/**
 * The worker's loss-landscape requests (core/run/landscapeRun.ts): the run's problem is rebuilt from
 * its file and settings once and only its sample (at most LANDSCAPE_MAX_ROWS training rows) is kept,
 * so that the learning-rate slider's re-runs ('descend') cost GD_STEPS gradients on the sample, not a
 * reload of the file. The session keeps the worker alive between these requests; a fresh worker
 * rebuilds the sample on its first request.
 */
import { descentOnLandscape, landscapeOfRun, landscapeProblem, type LandscapeProblem } from '../core/run/landscapeRun';
import type { DescentPaths, Landscape } from '../core/evaluate/landscape';
import { withTrainingTable, type ReadError } from '../node/loadDataset';
import type { HostToWorker } from '../protocol/worker';

let cached: { key: string; problem: LandscapeProblem } | undefined;

function problemOf(message: Extract<HostToWorker, { type: 'landscape' | 'descend' }>, readError: ReadError): LandscapeProblem {
  const key = JSON.stringify([message.filePath, message.settings]);
  if (cached?.key === key) return cached.problem;
  cached = undefined;
  const problem = withTrainingTable(message.filePath, message.fileName, (table) => landscapeProblem(table, message.settings, message.fileName), readError);
  cached = { key, problem };
  return problem;
}

/** The landscape of the run in `message`; computeMs is the time on the sample (the file's loading excluded). */
export function landscapeJob(message: Extract<HostToWorker, { type: 'landscape' }>, readError: ReadError): Landscape {
  return landscapeOfRun(problemOf(message, readError), message.model, message.replay ?? undefined, message.directions, () => performance.now());
}

export function descendJob(message: Extract<HostToWorker, { type: 'descend' }>, readError: ReadError): DescentPaths {
  return descentOnLandscape(problemOf(message, readError), message.plane, message.factor);
}
