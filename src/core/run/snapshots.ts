/**
 * Snapshots of the parameters a run passes through, for the replay scrubber: the solver's iterate
 * after every iteration (every epoch for sgd/minibatch), plus the start (iteration 0), in the
 * standardized space the solver works in (layout of LinearModelLoss: row k holds d weights then the
 * intercept). At most MAX_SNAPSHOTS steps are kept per output, so a run costs at most
 * MAX_SNAPSHOTS × nParams × 8 bytes: when the buffer is full every other step is dropped and only
 * every 2nd (4th, ...) iteration is kept from then on; the last iteration is always kept.
 *
 * Replaying a snapshot through the same objective (replayObjective) gives back the run's loss
 * history value bit for bit: the solvers report lossGradient + the L1 term at the same iterate.
 */
import { coefToOriginal } from '../data/preprocess';
import type { LinearModelLoss } from '../model/loss';
import type { ModelJson } from '../model/model';
import { l1Norm } from '../optimize/prox';

export const MAX_SNAPSHOTS = 2000;

/** The kept steps of one output's fit. */
export interface OutputSnapshots {
  /** Linear outputs of this fit: 1 (binary), K (multinomial). */
  nRows: number;
  /** Kept iterations, ascending (0 = the start). */
  iterations: number[];
  /** iterations.length × nRows(d + 1) parameters, flat, standardized space (intercept after the d weights). */
  theta: number[];
}

/** What report.replay holds: the steps of every output (OvR / multilabel fit one per class or label). */
export interface Replay {
  d: number;
  outputs: OutputSnapshots[];
}

export class SnapshotRecorder {
  private readonly buf: Float64Array[] = [];
  private readonly its: number[] = [];
  private stride = 1;
  private lastIteration = -1;
  private lastTheta: Float64Array | null = null;

  constructor(
    private readonly nRows: number,
    private readonly max = MAX_SNAPSHOTS,
  ) {
    if (max < 3) throw new RangeError('at least 3 snapshots must be kept');
  }

  /** Records the iterate after `iteration` (0: the start); `theta` may be a live buffer. */
  record(iteration: number, theta: Float64Array): void {
    this.lastIteration = iteration;
    if (iteration % this.stride !== 0) {
      // Kept aside in case it is the last one (copied into a reused buffer).
      if (!this.lastTheta || this.lastTheta.length !== theta.length) this.lastTheta = new Float64Array(theta.length);
      this.lastTheta.set(theta);
      return;
    }
    // One slot stays free for a final iteration off the stride.
    if (this.its.length >= this.max - 1) this.thin();
    if (iteration % this.stride !== 0) return this.record(iteration, theta);
    this.buf.push(Float64Array.from(theta));
    this.its.push(iteration);
  }

  private thin(): void {
    this.stride *= 2;
    let w = 0;
    for (let r = 0; r < this.its.length; r++) {
      if (this.its[r] % this.stride !== 0) continue;
      this.its[w] = this.its[r];
      this.buf[w] = this.buf[r];
      w++;
    }
    this.its.length = w;
    this.buf.length = w;
  }

  /** Kept steps (the last iteration included), as plain numbers for the report. */
  finish(): OutputSnapshots {
    const iterations = this.its.slice();
    const rows = this.buf.slice();
    if (this.lastIteration >= 0 && iterations[iterations.length - 1] !== this.lastIteration && this.lastTheta) {
      iterations.push(this.lastIteration);
      rows.push(this.lastTheta);
    }
    const theta: number[] = [];
    for (const r of rows) for (let j = 0; j < r.length; j++) theta.push(r[j]);
    return { nRows: this.nRows, iterations, theta };
  }
}

/** The objective a solver reports at theta: lossGradient's value plus the L1 term (what onIteration sees). */
export function replayObjective(loss: LinearModelLoss, theta: Float64Array): number {
  const g = new Float64Array(loss.nParams);
  return loss.lossGradient(theta, g) + l1Norm(theta, loss.penalizedMask, loss.l1Strength);
}

/** Index of the last kept step at or before `iteration` (0 when it precedes them all). */
export function stepIndex(iterations: readonly number[], iteration: number): number {
  let lo = 0;
  let hi = iterations.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (iterations[mid] <= iteration) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The union of the outputs' kept iterations: the scrubber's positions. */
export function replaySteps(replay: Replay): number[] {
  const all = new Set<number>();
  for (const o of replay.outputs) for (const it of o.iterations) all.add(it);
  return [...all].sort((a, b) => a - b);
}

/** Standardized parameters of output `o` at `iteration` (each output holds its last step once it has stopped). */
export function thetaAt(replay: Replay, o: number, iteration: number): Float64Array {
  const out = replay.outputs[o];
  const size = out.nRows * (replay.d + 1);
  const s = stepIndex(out.iterations, iteration);
  return Float64Array.from(out.theta.slice(s * size, (s + 1) * size));
}

/**
 * The run's model as it stood after `iteration`: the coefficients of the kept step (standardized and
 * in original units); everything else (preprocessing, classes, threshold) as fitted.
 */
export function modelAtStep(model: ModelJson, replay: Replay, iteration: number): ModelJson {
  const d = replay.d;
  const coefStandardized: number[][] = [];
  const interceptStandardized: number[] = [];
  replay.outputs.forEach((out, o) => {
    const theta = thetaAt(replay, o, iteration);
    for (let k = 0; k < out.nRows; k++) {
      coefStandardized.push(Array.from(theta.subarray(k * (d + 1), k * (d + 1) + d)));
      interceptStandardized.push(theta[k * (d + 1) + d]);
    }
  });
  const flat = new Float64Array(coefStandardized.length * d);
  coefStandardized.forEach((r, k) => flat.set(r, k * d));
  const pre = model.preprocessor;
  const prep = { imputeMean: Float64Array.from(pre.imputeMean), mean: Float64Array.from(pre.mean), scale: Float64Array.from(pre.scale), standardize: pre.standardize };
  const orig = coefToOriginal(flat, Float64Array.from(interceptStandardized), d, prep);
  return {
    ...model,
    coefStandardized,
    interceptStandardized,
    coef: coefStandardized.map((_, k) => Array.from(orig.coef.subarray(k * d, (k + 1) * d))),
    intercept: Array.from(orig.intercept),
  };
}
