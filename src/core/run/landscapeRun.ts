/**
 * The loss landscape of a finished run, on request (the panel's "Show the loss landscape", the CLI's
 * --landscape): the run's problem is rebuilt from its table and settings (same split and
 * preprocessing), restricted to a seeded sample of at most LANDSCAPE_MAX_ROWS training rows, and the
 * landscape is computed there around the run's fitted parameters. The sample is kept
 * (LandscapeProblem) so that the learning-rate slider's gradient-descent re-runs use the same rows.
 */
import { computeLandscape, descentPaths, landscapeLoss, type DescentPaths, type Landscape, type LandscapeDirections, LANDSCAPE_MAX_PARAMS } from '../evaluate/landscape';
import type { LinearModelLoss } from '../model/loss';
import type { ModelJson } from '../model/model';
import { DataError } from '../diagnostics';
import type { Replay } from './snapshots';
import type { TrainSettings } from './settings';
import { outputLossSpec, prepareRun, type TrainingTable } from './train';

/** What the landscape needs of a run's problem, without the rows: the sample's objective and the names. */
export interface LandscapeProblem {
  sample: LinearModelLoss;
  /** Training rows the sample was drawn from. */
  ofRows: number;
  scaler: { mean: Float64Array; scale: Float64Array } | null;
  featureNames: string[];
  rowNames: string[] | undefined;
  seed: number;
}

/** The run's problem on its landscape sample. Refused (a DataError) for models the landscape does not cover. */
export function landscapeProblem(table: TrainingTable, settings: TrainSettings, fileName: string): LandscapeProblem {
  const prepared = prepareRun(table, settings, { fileName });
  const { outputs, scaled, ds, prep } = prepared;
  if (outputs.length !== 1) throw new DataError({ code: 'landscape.refused', file: fileName, message: `the loss landscape is drawn for binary and multinomial models; this ${prepared.kind} model fits ${outputs.length} separate problems` });
  const { spec } = outputLossSpec(outputs[0], scaled.train, ds.d, prepared.settings);
  const nParams = (spec.kind === 'multinomial' ? spec.nClasses : 1) * (ds.d + 1);
  if (nParams > LANDSCAPE_MAX_PARAMS) throw new DataError({ code: 'landscape.refused', file: fileName, message: `the loss landscape is drawn for models of up to ${LANDSCAPE_MAX_PARAMS} parameters; this one has ${nParams}` });
  return {
    sample: landscapeLoss(spec, prepared.settings.seed),
    ofRows: spec.n,
    scaler: prep.standardize ? { mean: prep.mean, scale: prep.scale } : null,
    featureNames: ds.featureNames,
    rowNames: outputs[0].kind === 'multinomial' ? ds.classes : undefined,
    seed: prepared.settings.seed,
  };
}

/** The fitted parameters of a single-output model in the solver's space (per row: d weights, then the intercept). */
export function fittedTheta(model: ModelJson): Float64Array {
  const rows = model.coefStandardized;
  const d = model.featureNames.length;
  const theta = new Float64Array(rows.length * (d + 1));
  rows.forEach((r, k) => {
    theta.set(r, k * (d + 1));
    theta[k * (d + 1) + d] = model.interceptStandardized[k];
  });
  return theta;
}

/** The kept iterates of the run's (only) output, or just the optimum when the run kept none. */
function runPath(replay: Replay | undefined, theta: Float64Array): Float64Array[] {
  const out = replay?.outputs[0];
  if (!out || out.iterations.length === 0) return [theta];
  const P = theta.length;
  return out.iterations.map((_, k) => Float64Array.from(out.theta.slice(k * P, (k + 1) * P)));
}

/** The landscape of a run with model `model` (and its snapshots) on the problem's sample. */
export function landscapeOfRun(problem: LandscapeProblem, model: ModelJson, replay: Replay | undefined, directions: LandscapeDirections = { kind: 'auto' }, now: () => number = () => Date.now()): Landscape {
  const t0 = now();
  const theta = fittedTheta(model);
  if (theta.length !== problem.sample.nParams) throw new DataError({ code: 'landscape.stale', message: `the run's model has ${theta.length} parameters but its problem now has ${problem.sample.nParams}: the file changed since the run; train again` });
  const landscape = computeLandscape({
    sample: problem.sample,
    ofRows: problem.ofRows,
    thetaStar: theta,
    path: runPath(replay, theta),
    scaler: problem.scaler,
    featureNames: problem.featureNames,
    rowNames: problem.rowNames,
    seed: problem.seed,
    directions,
  });
  landscape.computeMs = now() - t0;
  return landscape;
}

/** Gradient descent and momentum at factor × 2/λmax on the landscape's plane and sample (the slider's live re-run). */
export function descentOnLandscape(problem: LandscapeProblem, landscape: Pick<Landscape, 'center' | 'dirs' | 'lambdaMax'>, factor: number): DescentPaths {
  return descentPaths(problem.sample, landscape.center, landscape.dirs[0], landscape.dirs[1], landscape.lambdaMax, factor);
}
