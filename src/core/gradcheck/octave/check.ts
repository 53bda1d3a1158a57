/**
 * Checking an Octave gradcheck block: run it as an Octave script (its `function` definitions and
 * NAME.m files found by the host's resolver are callable), and at each `check_gradient(f, x0)` check
 * `f` the way fminunc with GradObj uses it — first output the loss, second the gradient, third (when
 * returned) the Hessian — through the shared engine (objective.ts). Every evaluation runs the whole
 * function at the point, so intermediates such as `h = sigmoid(X*theta)` are never frozen.
 */
import { Rng } from '../../random';
import type { NamedValue } from '../diagnose';
import { GradcheckError, lineColumn } from '../errors';
import { Mat, shapeText } from '../matrix';
import { checkObjective, runObjectiveCheck, type EvaluationRequest, type ObjectiveValue } from '../objective';
import type { BlockReport, ParamReport, SourceBlock } from '../types';
import type { Expr, FunctionDef } from './ast';
import { Interpreter, exprText, type Resolver } from './interpreter';
import { parseProgram } from './parser';
import { candidateTerms } from './candidates';
import { functionTex } from './tex';
import { Str, isHandle, type Handle, type Value } from './values';

/** Most additive terms of one assignment evaluated separately for the diagnosis. */
const MAX_TERMS = 16;

export interface OctaveSettings {
  points: number;
  seed: number;
  tolerance: number;
  fivePoint: boolean;
  timeLimitMs: number;
  maxElements: number;
  maxLiveElements: number;
  bands: { good: number; wrong: number };
  resolve?: Resolver;
}

/**
 * Whether a block is Octave code (it defines a `function` or calls `check_gradient`) rather than
 * the one-line notation (`loss(w) = ...`, `grad(w) = ...`, `check A == B`).
 */
export function isOctaveBlock(source: string): boolean {
  return /^\s*function\b/m.test(source) || /\bcheck_gradient\s*\(/.test(source);
}


export function checkOctaveBlock(block: SourceBlock, settings: OctaveSettings): BlockReport {
  const report: BlockReport = { line: block.line, verdict: 'pass', params: [], checks: [], tex: { grads: {} } };
  const fail = (e: unknown, offset = 0): void => {
    if (report.error) return;
    if (e instanceof GradcheckError) {
      const at = e.offset ?? offset;
      if (e.file) report.error = { ...lineColumn(e.file.source, at, 1), message: e.message, file: e.file.name };
      else report.error = { ...lineColumn(block.source, at, block.line), message: e.message };
      return;
    }
    report.error = { ...lineColumn(block.source, offset, block.line), message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
  };
  let calls = 0;
  try {
    const program = parseProgram(block.source);
    const interp = new Interpreter(
      program,
      {
        deadline: Date.now() + settings.timeLimitMs,
        timeLimitMs: settings.timeLimitMs,
        maxElements: settings.maxElements,
        maxLiveElements: settings.maxLiveElements,
      },
      new Rng(settings.seed),
      settings.resolve,
    );
    interp.extra.set('check_gradient', (args, _nargout, offset) => {
      calls++;
      const { gradient, hessian, texts } = checkGradientCall(interp, args, offset, block, settings);
      report.params.push(gradient);
      if (gradient.verdict === 'error' && !report.error) {
        report.error = { ...lineColumn(block.source, offset, block.line), message: gradient.diagnosis.message };
      }
      if (hessian) (report.hessian ??= []).push(hessian);
      if (texts.loss && !report.tex.loss) report.tex.loss = texts.loss;
      if (texts.grad) report.tex.grads[gradient.name] = texts.grad;
      if (texts.hess) report.tex.hess = texts.hess;
      return [];
    });
    interp.run();
    if (calls === 0) {
      const first = program.functions[0];
      throw new GradcheckError(
        first
          ? `nothing to check: call check_gradient(@${first.name}, x0) (or check_gradient(@(t) ${first.name}(t, ...), x0)) after the data it needs`
          : 'nothing to check: call check_gradient(@costFunction, x0) on a function with outputs [loss, gradient]',
        first?.offset ?? 0,
      );
    }
  } catch (e) {
    fail(e);
  }
  const all = [...report.params, ...(report.hessian ?? [])];
  // A wrong gradient is a verdict an autograder can use, even when a Hessian or a later check could not run.
  report.verdict = all.some((p) => p.verdict === 'fail') ? 'fail' : report.error || all.some((p) => p.verdict === 'error') ? 'error' : 'pass';
  return report;
}

interface Target {
  /** The function whose outputs are checked (the handle's own function or the one its body calls). */
  fn?: FunctionDef;
  what: string;
  param: string;
  /** The data the handle captured: named scalars and matrices for the diagnosis. */
  data: Map<string, Mat>;
}

function targetOf(interp: Interpreter, h: Handle): Target {
  const data = new Map<string, Mat>();
  for (const [k, v] of h.captured ?? []) if (v instanceof Mat) data.set(k, v);
  let name = h.name;
  let argIndex = 0;
  const body = h.body && unparen(h.body);
  if (!name && body?.type === 'index' && body.object.type === 'id') {
    name = body.object.name;
    const p = h.params?.[0];
    argIndex = Math.max(0, body.args.findIndex((a) => a.type === 'id' && a.name === p));
  }
  const fn = name ? interp.findFunction(name, interp.global) : undefined;
  const param = fn?.params[argIndex] ?? h.params?.[0] ?? 'x';
  return { fn, what: name ?? h.text, param: param === '~' ? 'x' : param, data };
}

function checkGradientCall(
  interp: Interpreter,
  args: Value[],
  offset: number,
  block: SourceBlock,
  settings: OctaveSettings,
): { gradient: ParamReport; hessian?: ParamReport; texts: { loss?: string; grad?: string; hess?: string } } {
  const [f, x0v] = args;
  if (args.length < 2 || args.length > 2) throw new GradcheckError('check_gradient takes 2 arguments: check_gradient(f, x0), f a function handle such as @costFunction or @(t) costFunction(t, X, y)', offset);
  if (!isHandle(f)) throw new GradcheckError(`check_gradient: the first argument must be a function handle (@costFunction or @(t) costFunction(t, X, y)), not ${f instanceof Str ? `the string '${f.text}'` : 'a matrix'}`, offset);
  if (!(x0v instanceof Mat)) throw new GradcheckError('check_gradient: the second argument x0 must be a numeric vector or matrix', offset);
  const x0 = x0v.clone();
  const target = targetOf(interp, f);
  const line = lineColumn(block.source, offset, block.line).line;
  const outputs = target.fn?.outputs ?? [];

  const evaluate = (request: EvaluationRequest): ObjectiveValue[] =>
    request.points.map((point) => {
      const assigned = new Map<string, Assigned[]>();
      if (request.terms && target.fn && outputs[1]) {
        interp.watch = {
          fn: target.fn,
          seen: (name, value, evaluateIn) => {
            const parts = splitTerms(value);
            let terms: { text: string; sign: 1 | -1; value: Mat }[] | undefined;
            // A homework formula has a few terms; a sum of thousands is not diagnosed term by term.
            if (parts.length >= 2 && parts.length <= MAX_TERMS) {
              const evaluated = parts.map((t) => ({ text: exprText(t.expr, target.fn!.source), sign: t.sign, value: evaluateIn(t.expr) }));
              if (evaluated.every((t) => t.value instanceof Mat)) terms = evaluated as { text: string; sign: 1 | -1; value: Mat }[];
            }
            const list = assigned.get(name) ?? [];
            if (list.length >= 64) list.shift();
            list.push({ expr: value, terms });
            assigned.set(name, list);
          },
        };
      }
      let values: Value[];
      try {
        values = interp.callHandle(f, [point], request.outputs, offset, true);
      } finally {
        interp.watch = undefined;
      }
      return toObjectiveValue(values, request, point, target, outputs[1] ? gradientTerms(assigned, outputs[1], point) : undefined);
    });

  const report = runObjectiveCheck(
    checkObjective(x0, {
      points: settings.points,
      seed: settings.seed,
      tolerance: settings.tolerance,
      fivePoint: settings.fivePoint,
      bands: settings.bands,
      param: target.param,
      what: target.what,
      notation: 'octave',
      named: namedValues(target),
    }),
    evaluate,
  );
  const point = report.points[report.failedAt ?? 0];
  const texts = target.fn ? functionTex(target.fn) : {};
  if (report.error && !report.gradient) {
    return {
      gradient: {
        ...blank(target.param, x0.shape, line),
        verdict: 'error',
        diagnosis: { kind: 'other', message: report.error },
        what: target.what,
      },
      texts,
    };
  }
  const gradient: ParamReport = {
    ...report.gradient!,
    line,
    what: target.what,
    ...(report.gradient!.verdict === 'fail' ? { point: Array.from(point.data) } : {}),
  };
  if (report.error) {
    // The gradient could be compared, but the verdict is not trustworthy (a constant loss).
    gradient.verdict = 'error';
    gradient.diagnosis = { kind: 'other', message: report.error };
  }
  const hessian = report.hessian ? { ...report.hessian, name: target.param, line, what: target.what, ...(report.hessian.verdict === 'fail' ? { point: Array.from(point.data) } : {}) } : undefined;
  return { gradient, hessian, texts };
}

function blank(name: string, shape: [number, number], line: number): ParamReport {
  return { name, verdict: 'error', maxRelError: Infinity, shapeAnalytic: shape, shapeExpected: shape, diagnosis: { kind: 'other', message: '' }, components: [], line };
}

function toObjectiveValue(values: Value[], request: EvaluationRequest, point: Mat, target: Target, seen?: { text: string; sign: 1 | -1; value: Mat }[]): ObjectiveValue {
  const [J, grad, hess] = values;
  const out: ObjectiveValue = { loss: NaN, outputs: values.length };
  if (J === undefined) throw new GradcheckError(`${target.what} returned no output; check_gradient needs [loss, gradient]`);
  if (!(J instanceof Mat)) throw new GradcheckError(`the loss must be a real scalar, but ${target.what} returned ${J instanceof Str ? 'a string' : 'a function handle'} as its first output`);
  if (J.size === 1) out.loss = J.data[0];
  else out.lossShape = J.shape;
  if (request.outputs >= 2 && grad !== undefined) {
    if (!(grad instanceof Mat)) throw new GradcheckError(`the gradient must be numeric, but ${target.what} returned a ${grad instanceof Str ? 'string' : 'function handle'} as its second output`);
    out.grad = grad;
  }
  if (request.outputs >= 3 && hess instanceof Mat) out.hess = hess;
  if (request.terms) {
    out.terms = [...(seen ?? []), ...candidateTerms(point, target.data, target.param)];
  }
  return out;
}

/**
 * The terms of the expression that produced the gradient output: its last assignment, followed
 * through `grad = thetagrad(:)` or `grad = g` to the assignment that has several terms; each term
 * reshaped to the parameter's shape.
 */
function gradientTerms(
  assigned: Map<string, Assigned[]>,
  output: string,
  point: Mat,
): { text: string; sign: 1 | -1; value: Mat }[] | undefined {
  let name = output;
  let list = assigned.get(name);
  let k = (list?.length ?? 0) - 1;
  for (let hop = 0; hop < 16 && list && k >= 0; hop++) {
    const a = list[k];
    if (a.terms) return a.terms.map((t) => ({ ...t, value: t.value.size === point.size ? new Mat(point.rows, point.cols, t.value.data) : t.value }));
    let e = unparen(a.expr);
    if (e.type === 'matrix' && e.rows.length === 1 && e.rows[0].length === 1) e = unparen(e.rows[0][0]);
    let next: string | undefined;
    if (e.type === 'id') next = e.name;
    else if (e.type === 'index' && e.object.type === 'id' && e.args.length === 1 && e.args[0].type === 'colon') next = e.object.name;
    if (!next) return undefined;
    // `grad = grad(:)` refers to the assignment of grad before this one.
    if (next === name) k--;
    else {
      name = next;
      list = assigned.get(name);
      k = (list?.length ?? 0) - 1;
    }
  }
  return undefined;
}

interface Assigned {
  expr: Expr;
  terms?: { text: string; sign: 1 | -1; value: Mat }[];
}

export function unparen(e: Expr): Expr {
  while (e.type === 'paren') e = e.expr;
  return e;
}

/** The additive terms of an expression, through parentheses and unary minus. */
export function splitTerms(e: Expr): { expr: Expr; sign: 1 | -1 }[] {
  const out: { expr: Expr; sign: 1 | -1 }[] = [];
  const stack: { expr: Expr; sign: 1 | -1 }[] = [{ expr: e, sign: 1 }];
  while (stack.length > 0) {
    const { expr, sign } = stack.pop()!;
    if (expr.type === 'paren') stack.push({ expr: expr.expr, sign });
    else if (expr.type === 'binary' && (expr.op === '+' || expr.op === '-')) {
      stack.push({ expr: expr.right, sign: expr.op === '+' ? sign : ((-sign) as 1 | -1) });
      stack.push({ expr: expr.left, sign });
    } else if (expr.type === 'unary' && expr.op === '-') stack.push({ expr: expr.operand, sign: (-sign) as 1 | -1 });
    else out.push({ expr, sign });
  }
  return out;
}

/** Quantities a missing factor may be named after: the captured scalars and the sample count m. */
function namedValues(target: Target): NamedValue[] {
  const named: NamedValue[] = [];
  const scalars: NamedValue[] = [];
  const data = [...target.data];
  const hasMatrix = data.some(([, v]) => v.rows > 1 && v.cols > 1);
  for (const [name, v] of data) {
    if (v.size === 1) scalars.push({ name, value: v.data[0] });
    else if (v.rows > 1 && (v.cols > 1 || !hasMatrix) && !named.some((n) => n.value === v.rows)) named.push({ name: 'm', value: v.rows, note: `the number of rows of ${name}` });
  }
  return [...scalars.filter((s) => /^[mnN]$/.test(s.name)), ...named, ...scalars.filter((s) => !/^[mnN]$/.test(s.name))];
}

export { shapeText };
