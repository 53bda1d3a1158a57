/**
 * Checking a black-box objective the way an optimizer calls it: `fun(x)` returns the loss, its
 * gradient with respect to x, and optionally the Hessian — Octave's `fminunc` with GradObj on
 * (`[J, grad, H] = f(theta)`) and SciPy's `minimize(fun, x0, jac=True)` (`loss, grad = fun(x)`).
 *
 * One engine for every front end. It never calls `fun` itself: `checkObjective` is a generator
 * that yields batches of points to evaluate and receives their values, so the same finite
 * differences, comparison and diagnosis run over an in-process Octave interpreter (driven
 * synchronously by `runObjectiveCheck`) and over a Python child process (driven asynchronously by
 * `runObjectiveCheckAsync`, one round trip per batch).
 *
 * The flow: evaluate at x0 and at seeded random perturbations (the check points); at each, the
 * central (or five-point) differences of the loss give the numeric gradient, compared component by
 * component with the returned gradient; the Hessian, when returned, is compared with differences
 * of the returned gradient once the gradient passes. A wrong gradient is diagnosed with the terms
 * the front end reports (the additive terms of the student's gradient expression, and candidate
 * expressions of the data) at the point where the check failed.
 */
import { Rng } from '../random';
import { band, blankReport, componentIndex, pointValues as pointValuesOf } from './compare';
import { quotient, stepOf } from './finiteDiff';
import { componentRowName, diagnose, type NamedValue, type PointValues, type Term } from './diagnose';
import { Mat, shapeText } from './matrix';
import type { ComponentRow, Diagnosis, ParamReport } from './types';

/** Standard deviation of a perturbation, relative to max(1, |x_j|) (as check.ts). */
const PERTURBATION = 0.5;

/** What the front end returns for one point. Matrices are column-major (`Mat`). */
export interface ObjectiveValue {
  /** The first output. Not a real scalar -> `lossShape` says what it was. */
  loss: number;
  /** Shape of the first output when it was not 1×1 (then `loss` is NaN). */
  lossShape?: [number, number];
  /** The second output, with the shape it had; absent when fun returned fewer outputs. */
  grad?: Mat;
  /** The third output, when requested and returned. */
  hess?: Mat;
  /** How many outputs fun returned (Octave: nargout it honoured; Python: tuple length). */
  outputs: number;
  /**
   * Only at check points, when the request asked for terms: the additive terms of the expression
   * that produced the gradient, evaluated at this point; `candidate` marks an expression of the data
   * that is not in the student's formula but often belongs there (X'*Y/N, a one-hot term), so the
   * diagnosis can say it is missing.
   */
  terms?: { text: string; sign: 1 | -1; value: Mat; candidate?: boolean }[];
  /** Front-end observations at this call that explain a failure better than numbers can. */
  hints?: ObjectiveHint[];
}

/**
 * A front end's observation: an integer dtype, an input modified in place, an array broadcast
 * against another of a different rank... Hints with `decisive` replace the numeric diagnosis
 * when the check fails; others are appended to it.
 */
export interface ObjectiveHint {
  kind: 'broadcast' | 'integer' | 'mutation' | 'nondeterministic' | 'other';
  message: string;
  /** Where the front end saw it (document line), when known. */
  line?: number;
  decisive?: boolean;
}

/** One batch of evaluations the engine needs. */
export interface EvaluationRequest {
  /** Points in x0's layout (column-major, x0's shape). */
  points: Mat[];
  /** 1 = loss only (finite differences), 2 = loss and gradient, 3 = loss, gradient and Hessian. */
  outputs: 1 | 2 | 3;
  /** Ask for `terms` (only at check points, never during finite differences). */
  terms?: boolean;
}

export interface ObjectiveCheckOptions {
  /** Random check points besides x0 (default 3). */
  points?: number;
  seed?: number;
  /** A gradient passes when every relative error is below this (default 1e-6). */
  tolerance?: number;
  fivePoint?: boolean;
  bands?: { good: number; wrong: number };
  /** Name of the parameter in messages, e.g. "theta" or "W". */
  param?: string;
  /** How the function is named in messages, e.g. "costFunction" or "softmax_loss_vectorized". */
  what?: string;
  /** Component indices as Octave writes them (theta(2), W(3,1), 1-based) or as NumPy does (W[2, 0]). */
  notation?: 'octave' | 'python';
  /** Quantities a constant factor may be named after (m, n, N, lambda...). */
  named?: NamedValue[];
  /** Ask for a Hessian (third output) too: 'auto' checks it when fun returns one (default). */
  hessian?: 'auto' | 'never';
}

export interface ObjectiveCheckReport {
  verdict: 'pass' | 'fail' | 'error';
  /** The gradient's result; absent when the check could not get that far (see `error`). */
  gradient?: ParamReport;
  hessian?: ParamReport;
  /** Bad input: a loss that is not a real scalar, a missing second output, a non-finite value... */
  error?: string;
  /** The point (0 = x0) where the reported component table was taken: the first failing one. */
  failedAt?: number;
  /** The check points, x0 first (for the report and --json). */
  points: Mat[];
  /** The loss at x0. */
  loss?: number;
  /** Notes that are not a verdict, e.g. "the loss does not depend on theta(3)". */
  notes: string[];
}

/** A generator of evaluation batches that returns the report. */
export type ObjectiveCheck = Generator<EvaluationRequest, ObjectiveCheckReport, ObjectiveValue[]>;

class CheckStop extends Error {
  constructor(readonly report: ObjectiveCheckReport) {
    super(report.error ?? 'stopped');
  }
}

/** Drives a check with a synchronous evaluator (the in-process Octave interpreter). */
export function runObjectiveCheck(check: ObjectiveCheck, evaluate: (request: EvaluationRequest) => ObjectiveValue[]): ObjectiveCheckReport {
  let step = check.next();
  while (!step.done) step = check.next(evaluate(step.value));
  return step.value;
}

/** Drives a check with an asynchronous evaluator (a Python child process). */
export async function runObjectiveCheckAsync(
  check: ObjectiveCheck,
  evaluate: (request: EvaluationRequest) => Promise<ObjectiveValue[]>,
): Promise<ObjectiveCheckReport> {
  let step = check.next();
  while (!step.done) step = check.next(await evaluate(step.value));
  return step.value;
}

/**
 * Checks fun at x0. Yields evaluation batches; returns the report. Errors thrown by the evaluator
 * propagate to the driver's caller (a time limit, an exception in the student's code): the front
 * end turns them into verdict 'error' with its own position.
 */
export function* checkObjective(x0: Mat, options: ObjectiveCheckOptions = {}): ObjectiveCheck {
  const o = {
    points: options.points ?? 3,
    seed: options.seed ?? 0,
    tolerance: options.tolerance ?? 1e-6,
    fivePoint: options.fivePoint ?? false,
    bands: options.bands ?? { good: 1e-7, wrong: 1e-4 },
    param: options.param ?? 'x',
    what: options.what ?? 'fun',
    notation: options.notation ?? 'octave',
    named: options.named ?? [],
    hessian: options.hessian ?? 'auto',
  };
  const report: ObjectiveCheckReport = { verdict: 'error', points: [x0], notes: [] };
  try {
    // 1. x0: the outputs fun gives, the loss a real scalar, the gradient present and finite.
    const [first] = yield { points: [x0], outputs: o.hessian === 'never' ? 2 : 3, terms: true };
    validateFirst(first, x0, o, report);
    report.loss = first.loss;
    const withHessian = o.hessian !== 'never' && first.outputs >= 3 && first.hess !== undefined;

    // 2. Check points: x0 and seeded perturbations where the loss is finite.
    const points = [x0, ...(yield* perturbations(x0, o.points, o.seed))];
    report.points = points;
    const values: ObjectiveValue[] = [first];
    if (points.length > 1) {
      const rest = yield { points: points.slice(1), outputs: withHessian ? 3 : 2, terms: true };
      values.push(...rest);
    }
    for (const [k, v] of values.entries()) {
      if (!Number.isFinite(v.loss)) stop(report, `${o.what} returned a loss that is not finite at check point ${k + 1}`);
      if (!v.grad) stop(report, missingGradient(o.what, v.outputs));
    }

    // 3. Numeric gradients: one batch of loss evaluations per check point.
    const pointValues: PointValues[] = [];
    for (const [k, point] of points.entries()) {
      const { derivative, noise } = yield* numericDerivative(point, o.fivePoint, 1, (vs) => vs.map((v) => finiteLoss(v, report, o.what)));
      const numeric = new Mat(x0.rows, x0.cols, Float64Array.from(derivative, (d) => d[0]));
      pointValues.push(pointValuesOf(values[k].grad!, numeric, Float64Array.from(noise, (n) => n[0])));
    }
    report.gradient = finish(pointValues, values, o, 'gradient', report);
    if (report.gradient.verdict === 'pass' && withHessian) {
      report.hessian = yield* checkHessian(points, values, o, report);
    } else if (withHessian) {
      report.hessian = {
        ...blankReport(o.param, [x0.size, x0.size]),
        verdict: 'error',
        diagnosis: { kind: 'other', message: `the Hessian is checked against differences of the gradient, but the gradient does not pass.` },
      };
    }
    report.verdict = [report.gradient, report.hessian].some((r) => r?.verdict === 'fail')
      ? 'fail'
      : [report.gradient, report.hessian].some((r) => r?.verdict === 'error') ? 'error' : 'pass';
    // A constant loss gives a zero numeric gradient: no verdict can be trusted (whatever the analytic one says).
    if (report.verdict !== 'error' && pointValues.every((p) => p.numeric.data.every((x) => x === 0))) {
      report.verdict = 'error';
      report.error = `the loss does not depend on ${o.param}: its numeric gradient is zero at every check point, so there is nothing to compare`;
    }
  } catch (e) {
    if (e instanceof CheckStop) return e.report;
    throw e;
  }
  return report;
}

function stop(report: ObjectiveCheckReport, message: string): never {
  report.verdict = 'error';
  report.error = message;
  throw new CheckStop(report);
}

function missingGradient(what: string, outputs: number): string {
  return `${what} returned ${outputs} output${outputs === 1 ? '' : 's'}; check_gradient needs [loss, gradient]`;
}

function validateFirst(v: ObjectiveValue, x0: Mat, o: { what: string; param: string }, report: ObjectiveCheckReport): void {
  if (v.lossShape && !(v.lossShape[0] === 1 && v.lossShape[1] === 1)) {
    stop(report, `the loss must be a real scalar, but ${o.what} returned ${shapeText(v.lossShape)} as its first output`);
  }
  if (!Number.isFinite(v.loss)) stop(report, `the loss is not finite at the check point (${o.what} returned ${v.loss})`);
  if (!v.grad) stop(report, missingGradient(o.what, v.outputs));
  if (x0.size === 0) stop(report, `${o.param} is empty: there is nothing to differentiate`);
}

function finiteLoss(v: ObjectiveValue, report: ObjectiveCheckReport, what: string): number {
  if (!Number.isFinite(v.loss)) {
    stop(report, `the loss is not finite next to a check point (a step of the finite differences crosses a singularity of ${what})`);
  }
  return v.loss;
}

/** Seeded random points near x0 where the loss is finite (halving the spread up to 4 times). */
function* perturbations(x0: Mat, count: number, seed: number): Generator<EvaluationRequest, Mat[], ObjectiveValue[]> {
  const rng = new Rng(seed + 1);
  const out: Mat[] = [];
  for (let k = 0; k < count; k++) {
    const noise = x0.map(() => rng.normal());
    for (let scale = PERTURBATION, attempt = 0; attempt < 4; attempt++, scale /= 2) {
      const point = new Mat(x0.rows, x0.cols, x0.data.map((x, j) => x + scale * Math.max(1, Math.abs(x)) * noise.data[j]));
      const [v] = yield { points: [point], outputs: 1 };
      if (Number.isFinite(v.loss)) {
        out.push(point);
        break;
      }
    }
  }
  return out;
}

/**
 * Central (or five-point) differences of a vector-valued function of x, all steps in one batch.
 * Same steps and noise estimate as finiteDiff.ts.
 */
function* numericDerivative(
  x: Mat,
  fivePoint: boolean,
  outputs: 1 | 2,
  read: (values: ObjectiveValue[]) => ArrayLike<number>[] | number[],
): Generator<EvaluationRequest, { derivative: Float64Array[]; noise: Float64Array[] }, ObjectiveValue[]> {
  const steps: number[] = [];
  const points: Mat[] = [];
  const offsets = fivePoint ? [1, -1, 2, -2] : [1, -1];
  for (let j = 0; j < x.size; j++) {
    const h = stepOf(x.data[j], fivePoint);
    steps.push(h);
    for (const m of offsets) {
      const moved = x.clone();
      moved.data[j] += m * h;
      points.push(moved);
    }
  }
  const raw = read(yield { points, outputs });
  const vec = (k: number): ArrayLike<number> => (typeof raw[k] === 'number' ? [raw[k] as number] : (raw[k] as ArrayLike<number>));
  const derivative: Float64Array[] = [];
  const noise: Float64Array[] = [];
  for (let j = 0; j < x.size; j++) {
    const base = j * offsets.length;
    const { d, n } = fivePoint
      ? quotient(steps[j], vec(base), vec(base + 1), vec(base + 2), vec(base + 3))
      : quotient(steps[j], vec(base), vec(base + 1));
    derivative.push(d);
    noise.push(n);
  }
  return { derivative, noise };
}

function* checkHessian(
  points: Mat[],
  values: ObjectiveValue[],
  o: Required<Omit<ObjectiveCheckOptions, 'named'>> & { named: NamedValue[] },
  report: ObjectiveCheckReport,
): Generator<EvaluationRequest, ParamReport, ObjectiveValue[]> {
  const size = points[0].size;
  const pointValues: PointValues[] = [];
  for (const [k, point] of points.entries()) {
    const hess = values[k].hess;
    if (!hess) stop(report, `${o.what} returned no Hessian at check point ${k + 1}`);
    const { derivative, noise } = yield* numericDerivative(point, o.fivePoint, 2, (vs) =>
      vs.map((v) => {
        if (!v.grad || !v.grad.allFinite()) stop(report, `the gradient is not finite next to check point ${k + 1}`);
        return v.grad.data;
      }),
    );
    const numeric = Mat.zeros(size, size);
    const noiseAll = new Float64Array(size * size);
    derivative.forEach((column, j) => {
      numeric.data.set(column.subarray(0, size), j * size);
      noiseAll.set(noise[j].subarray(0, size), j * size);
    });
    pointValues.push(pointValuesOf(hess, numeric, noiseAll));
  }
  return finish(pointValues, values.map((v) => ({ ...v, terms: undefined })), { ...o, param: 'Hessian' }, 'Hessian', report);
}

/** Component label in the front end's notation: "2,1" (Octave, 1-based) or "[1, 0]" (NumPy, 0-based). */
export function componentLabel(k: number, shape: readonly [number, number], notation: 'octave' | 'python'): string {
  if (notation === 'octave') return componentIndex(k, shape);
  const [rows, cols] = shape;
  if (rows === 1 || cols === 1) return `[${k}]`;
  return `[${k % rows}, ${Math.floor(k / rows)}]`;
}

function finish(
  pointValues: PointValues[],
  values: ObjectiveValue[],
  o: { tolerance: number; bands: { good: number; wrong: number }; param: string; what: string; notation: 'octave' | 'python'; named: NamedValue[] },
  noun: 'gradient' | 'Hessian',
  report: ObjectiveCheckReport,
): ParamReport {
  const maxRelError = Math.max(...pointValues.flatMap((v) => Array.from(v.relError)));
  const pass = maxRelError < o.tolerance;
  // The table is taken at the first point where some component fails (x0 when all pass).
  const at = pass ? 0 : Math.max(0, pointValues.findIndex((v) => v.relError.some((e) => !(e < o.tolerance))));
  if (!pass) report.failedAt = at;
  const shown = pointValues[at];
  const sameShape = shown.analytic.rows === shown.numeric.rows && shown.analytic.cols === shown.numeric.cols;
  const components: ComponentRow[] = sameShape
    ? Array.from(shown.relError, (relError, k) => ({
        index: componentLabel(k, shown.numeric.shape, o.notation),
        name: componentRowName(k, shown.numeric.shape, o.param, o.notation),
        analytic: shown.analytic.data[k],
        numeric: shown.numeric.data[k],
        relError,
        band: band(relError, o.bands),
      }))
    : [];
  let diagnosis: Diagnosis;
  if (pass) {
    diagnosis = {
      kind: 'none',
      message: `${o.what} matches the numeric ${noun} at ${pointValues.length} point${pointValues.length === 1 ? '' : 's'} (max relative error ${maxRelError.toExponential(1)}).`,
    };
  } else {
    const hints = values.flatMap((v) => v.hints ?? []);
    const decisive = hints.find((h) => h.decisive);
    const terms: Term[] = noun === 'gradient' ? termsOf(values) : [];
    diagnosis = decisive
      ? { kind: 'other', message: decisive.message }
      : diagnose({ what: o.what, param: o.param, points: pointValues, terms, named: o.named, tolerance: o.tolerance, notation: o.notation, noun });
    const extra = hints.filter((h) => h !== decisive).map((h) => h.message);
    if (extra.length > 0) diagnosis = { ...diagnosis, message: `${diagnosis.message} ${[...new Set(extra)].join(' ')}` };
  }
  return {
    name: o.param,
    verdict: pass ? 'pass' : 'fail',
    maxRelError,
    shapeAnalytic: shown.analytic.shape,
    shapeExpected: shown.numeric.shape,
    diagnosis,
    components,
    line: 0,
  };
}

/** The terms the front end reported at every check point, aligned by text (dropped if any point lacks one). */
function termsOf(values: ObjectiveValue[]): Term[] {
  const first = values[0].terms ?? [];
  const out: Term[] = [];
  for (const t of first) {
    const series = values.map((v) => v.terms?.find((u) => u.text === t.text && u.sign === t.sign)?.value);
    if (series.every((m): m is Mat => m !== undefined)) out.push({ text: t.text, sign: t.sign, values: series, ...(t.candidate ? { candidate: true } : {}) });
  }
  return out;
}
