/**
 * Checking one block: evaluate its data, then compare each grad (and hess) formula with finite
 * differences of the loss (and of the gradient) at the given point and at seeded random
 * perturbations, diagnose what is wrong, and test `check A == B` identities. Never throws on user
 * input: problems become verdict 'error' with a line and column.
 */
import { Rng } from '../random';
import { DISABLED } from './builtins';
import { band, blankReport, componentIndex, pointValues } from './compare';
import { componentRowName, diagnose, onlyThisParameter, type NamedValue, type PointValues, type Term } from './diagnose';
import { GradcheckError, lineColumn } from './errors';
import { Interpreter, type UserFunction } from './evaluate';
import { differences } from './finiteDiff';
import { Mat, shapeText } from './matrix';
import { parseBlock, tooDeep, type Node, type ParsedBlock, type Statement } from './notation';
import { checkOctaveBlock, isOctaveBlock } from './octave/check';
import { texOf } from './tex';
import type { BlockReport, CheckReport, GradcheckOptions, ParamReport, SourceBlock } from './types';

type Settings = Required<Omit<GradcheckOptions, 'resolve'>>;

const DEFAULTS: Settings = {
  points: 3,
  seed: 0,
  tolerance: 1e-6,
  fivePoint: false,
  timeLimitMs: 2000,
  maxElements: 1e6,
  maxLiveElements: 2e7,
  bands: { good: 1e-7, wrong: 1e-4 },
};

/** Standard deviation of a perturbation, relative to max(1, |theta_j|). */
const PERTURBATION = 0.5;

type FunctionStatement = Extract<Statement, { kind: 'function' }>;

/** A grad or hess formula and how its arguments map to the loss parameters. */
interface Formula {
  statement: FunctionStatement;
  fn: UserFunction;
  /** For each argument of the formula, the index of the loss parameter passed to it. */
  binding: number[];
  /** Index of the loss parameter it differentiates with respect to. */
  param: number;
}

export function checkBlock(block: SourceBlock, options: GradcheckOptions = {}): BlockReport {
  const settings: Settings = {
    points: options.points ?? DEFAULTS.points,
    seed: options.seed ?? DEFAULTS.seed,
    tolerance: options.tolerance ?? DEFAULTS.tolerance,
    fivePoint: options.fivePoint ?? DEFAULTS.fivePoint,
    timeLimitMs: options.timeLimitMs ?? DEFAULTS.timeLimitMs,
    maxElements: options.maxElements ?? DEFAULTS.maxElements,
    maxLiveElements: options.maxLiveElements ?? DEFAULTS.maxLiveElements,
    bands: options.bands ?? DEFAULTS.bands,
  };
  if (isOctaveBlock(block.source)) return checkOctaveBlock(block, { ...settings, resolve: options.resolve });
  return new BlockChecker(block, settings).run();
}

class BlockChecker {
  private readonly report: BlockReport;
  private parsed!: ParsedBlock;
  private interp!: Interpreter;
  private paramNames: string[] = [];

  constructor(
    private readonly block: SourceBlock,
    private readonly settings: Settings,
  ) {
    this.report = { line: block.line, verdict: 'pass', params: [], checks: [], tex: { grads: {} } };
  }

  run(): BlockReport {
    try {
      this.parsed = parseBlock(this.block.source);
      this.interp = new Interpreter(
        this.parsed,
        { deadline: Date.now() + this.settings.timeLimitMs, timeLimitMs: this.settings.timeLimitMs, maxElements: this.settings.maxElements },
        new Rng(this.settings.seed),
      );
      const functions = this.defineFunctions();
      this.evaluateData();
      this.checkGradients(functions);
      this.checkIdentities();
    } catch (e) {
      this.fail(e);
    }
    this.report.verdict = this.verdict();
    return this.report;
  }

  private verdict(): BlockReport['verdict'] {
    const params = [...this.report.params, ...(this.report.hessian ?? [])];
    // A wrong gradient is a verdict an autograder can use, even when a Hessian then cannot be checked.
    if (this.report.params.some((p) => p.verdict === 'fail')) return 'fail';
    if (this.report.error || params.some((p) => p.verdict === 'error')) return 'error';
    if (params.some((p) => p.verdict === 'fail') || this.report.checks.some((c) => !c.holds)) return 'fail';
    return 'pass';
  }

  /** Records the first error of the block (later ones are usually consequences). */
  private fail(e: unknown, fallbackOffset = 0): void {
    if (this.report.error) return;
    const message = e instanceof GradcheckError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    const offset = e instanceof GradcheckError && e.offset !== undefined ? e.offset : fallbackOffset;
    this.report.error = { ...lineColumn(this.block.source, offset, this.block.line), message };
  }

  private lineOf(offset: number): number {
    return lineColumn(this.block.source, offset, this.block.line).line;
  }

  private defineFunctions(): Map<string, FunctionStatement> {
    const functions = new Map<string, FunctionStatement>();
    for (const s of this.parsed.statements) {
      if (s.kind !== 'function') continue;
      if (DISABLED.has(s.name)) throw new GradcheckError(`${s.name} cannot be defined: the name is reserved`, s.offset);
      const previous = functions.get(s.name);
      if (previous) throw new GradcheckError(`${s.name} is defined twice (first on line ${this.lineOf(previous.offset)})`, s.offset);
      functions.set(s.name, s);
      this.interp.functions.set(s.name, { name: s.name, params: s.params, expr: s.expr });
      const tex = tooDeep(s.offset, () => texOf(s.node));
      if (s.name === 'loss') this.report.tex.loss = tex;
      else if (/^grad(_\w+)?$/.test(s.name)) this.report.tex.grads[s.name.replace(/^grad_?/, '') || s.params[0]] = tex;
      else if (/^hess(_\w+)?$/.test(s.name)) this.report.tex.hess = tex;
    }
    return functions;
  }

  private evaluateData(): void {
    for (const s of this.parsed.statements) {
      if (s.kind !== 'assign') continue;
      if (this.interp.functions.has(s.name)) throw new GradcheckError(`${s.name} is already a function`, s.offset);
      const value = this.interp.evaluate(s.value);
      if (!value.allFinite()) this.throwNonFinite(() => this.interp.evaluate(s.value), `${s.name} is not finite`, s.offset);
      this.interp.globals.set(s.name, value);
    }
  }

  /** Re-evaluates with tracing to point at the innermost expression that is not finite, then throws. */
  private throwNonFinite(evaluate: () => unknown, what: string, fallback: number): never {
    this.interp.traceNonFinite = true;
    this.interp.nonFinite = undefined;
    try {
      evaluate();
    } finally {
      this.interp.traceNonFinite = false;
    }
    const node = this.interp.nonFinite as Node | undefined;
    const detail = node ? `: ${node.toString()} gives a value that is not finite` : '';
    throw new GradcheckError(`${what} at the check point${detail}`, node ? this.parsed.positions.get(node) : fallback);
  }

  private checkGradients(functions: Map<string, FunctionStatement>): void {
    const loss = functions.get('loss');
    const derivatives = [...functions.values()].filter((s) => /^(grad|hess)(_\w+)?$/.test(s.name));
    if (!loss) {
      if (derivatives.length > 0) throw new GradcheckError(`${derivatives[0].name} needs a loss(...) definition to be checked against`, derivatives[0].offset);
      if (!this.parsed.statements.some((s) => s.kind === 'check')) {
        throw new GradcheckError('nothing to check: define loss(...) and grad(...), or add a "check A == B" line', 0);
      }
      return;
    }
    this.paramNames = loss.params;
    const theta0 = loss.params.map((p) => {
      const value = this.interp.globals.get(p);
      if (!value) throw new GradcheckError(`the parameter ${p} of loss has no value: assign ${p} = ... to set the check point`, loss.offset);
      return value;
    });
    const value = this.interp.call('loss', theta0);
    if (!value.isScalar()) {
      throw new GradcheckError(`loss must be a scalar, but loss(${loss.params.join(', ')}) is ${shapeText(value.shape)}`, this.parsed.positions.get(loss.expr) ?? loss.offset);
    }
    if (!value.allFinite()) this.throwNonFinite(() => this.interp.call('loss', theta0), 'the loss is not finite', loss.offset);

    const grads = derivatives.filter((s) => s.name.startsWith('grad')).map((s) => this.formula(s, loss));
    const hessians = derivatives.filter((s) => s.name.startsWith('hess')).map((s) => this.formula(s, loss));
    if (grads.length === 0) throw new GradcheckError(`loss has no grad(...) to check: define grad(${loss.params.join(', ')})`, loss.offset);

    this.findDependents(loss.params);
    const points = [theta0, ...this.perturbations(theta0, loss)];
    grads.sort((a, b) => a.param - b.param);
    try {
      this.report.params = grads.map((g) => this.checkGradient(g, points, loss));
      this.refineBlockLevel();
      if (hessians.length > 0) {
        this.report.hessian = hessians.map((h) => this.checkHessian(h, grads, points));
      }
    } finally {
      // The data as the block wrote it, for the identity checks.
      this.at(theta0, () => undefined);
    }
  }

  /** Resolves which parameter a grad/hess formula is for and how its arguments bind. */
  private formula(s: FunctionStatement, loss: FunctionStatement): Formula {
    const suffix = /^(?:grad|hess)(?:_(\w+))?$/.exec(s.name)![1];
    let param: number;
    if (suffix === undefined) {
      if (loss.params.length !== 1) {
        throw new GradcheckError(`loss has ${loss.params.length} parameters: name each derivative, e.g. ${s.name}_${loss.params[0]}(${loss.params.join(', ')})`, s.offset);
      }
      param = 0;
    } else {
      param = loss.params.indexOf(suffix);
      if (param < 0) throw new GradcheckError(`${s.name} names no parameter of loss(${loss.params.join(', ')})`, s.offset);
    }
    let binding: number[];
    if (s.params.every((p) => loss.params.includes(p))) binding = s.params.map((p) => loss.params.indexOf(p));
    else if (s.params.length === loss.params.length) binding = s.params.map((_, i) => i);
    else throw new GradcheckError(`${s.name} must take the parameters of loss (${loss.params.join(', ')})`, s.offset);
    return { statement: s, fn: this.interp.functions.get(s.name)!, binding, param };
  }

  /** Seeded random points near the given one where the loss is finite. */
  private perturbations(theta0: Mat[], loss: FunctionStatement): Mat[][] {
    const rng = new Rng(this.settings.seed + 1);
    const points: Mat[][] = [];
    for (let k = 0; k < this.settings.points; k++) {
      const noise = theta0.map((t) => t.map(() => rng.normal()));
      for (let scale = PERTURBATION, attempt = 0; attempt < 4; attempt++, scale /= 2) {
        const point = theta0.map((t, p) => new Mat(t.rows, t.cols, t.data.map((x, j) => x + scale * Math.max(1, Math.abs(x)) * noise[p].data[j])));
        const value = this.at(point, () => this.interp.call(loss.name, point));
        if (value.allFinite()) {
          points.push(point);
          break;
        }
      }
    }
    return points;
  }

  private lossAt(point: Mat[]): number {
    const value = this.at(point, () => this.interp.call('loss', point)).data[0];
    if (!Number.isFinite(value)) throw new GradcheckError('the loss is not finite next to the check point (a step of the finite differences crosses a singularity)');
    return value;
  }

  private call(f: Formula, point: Mat[]): Mat {
    return this.at(point, () => this.interp.call(f.fn.name, f.binding.map((i) => point[i])));
  }

  /**
   * Assignments that depend on a loss parameter (h = sigmoid(X*w)) are part of the function of that
   * parameter: found once, re-evaluated at every point the checker uses, so they are never frozen.
   */
  private dependents: Extract<Statement, { kind: 'assign' }>[] = [];

  private findDependents(params: string[]): void {
    const tainted = new Set(params);
    for (const s of this.parsed.statements) {
      if (s.kind !== 'assign' || params.includes(s.name)) continue;
      let uses = false;
      s.value.traverse((n) => {
        if (n.type === 'SymbolNode' && tainted.has((n as Node).name!)) uses = true;
      });
      if (uses) {
        tainted.add(s.name);
        this.dependents.push(s);
      }
    }
  }

  /** Runs f with the parameters at `point` and every dependent assignment re-evaluated there. */
  private at<T>(point: Mat[], f: () => T): T {
    if (this.dependents.length > 0) {
      this.paramNames.forEach((p, i) => this.interp.globals.set(p, point[i]));
      for (const s of this.dependents) this.interp.globals.set(s.name, this.interp.evaluate(s.value));
    }
    return f();
  }

  private checkGradient(g: Formula, points: Mat[][], loss: FunctionStatement): ParamReport {
    const name = this.paramNames[g.param];
    const expected = points[0][g.param];
    const values: PointValues[] = [];
    const base = this.baseReport(g, name, expected.shape);
    try {
      for (const point of points) {
        const analytic = this.call(g, point);
        if (!analytic.allFinite()) this.throwNonFinite(() => this.call(g, point), `${g.fn.name} is not finite`, g.statement.offset);
        const { derivative, noise } = differences(
          (theta) => Float64Array.of(this.lossAt(point.map((m, i) => (i === g.param ? theta : m)))),
          point[g.param],
          this.settings.fivePoint,
          () => this.interp.checkTime(),
        );
        const numeric = new Mat(expected.rows, expected.cols, Float64Array.from(derivative, (d) => d[0]));
        values.push(pointValues(analytic, numeric, Float64Array.from(noise, (n) => n[0])));
      }
    } catch (e) {
      return this.failedEvaluation(e, base, loss);
    }
    return this.finish(base, values, g, points);
  }

  private checkHessian(h: Formula, grads: Formula[], points: Mat[][]): ParamReport {
    const name = this.paramNames[h.param];
    const size = points[0][h.param].size;
    const base = this.baseReport(h, name, [size, size]);
    const grad = grads.find((g) => g.param === h.param);
    const gradReport = this.report.params.find((p) => p.name === name);
    if (!grad || gradReport?.verdict !== 'pass') {
      const why = grad ? `${grad.fn.name} does not pass` : `there is no grad for ${name}`;
      return { ...base, verdict: 'error', diagnosis: { kind: 'other', message: `${h.fn.name} is checked against differences of the gradient, but ${why}.` } };
    }
    const values: PointValues[] = [];
    try {
      for (const point of points) {
        const analytic = this.call(h, point);
        if (!analytic.allFinite()) this.throwNonFinite(() => this.call(h, point), `${h.fn.name} is not finite`, h.statement.offset);
        const { derivative, noise } = differences(
          (theta) => this.call(grad, point.map((m, i) => (i === h.param ? theta : m))).data,
          point[h.param],
          this.settings.fivePoint,
          () => this.interp.checkTime(),
        );
        const numeric = Mat.zeros(size, size);
        const noiseAll = new Float64Array(size * size);
        derivative.forEach((column, j) => {
          numeric.data.set(column, j * size);
          noiseAll.set(noise[j], j * size);
        });
        values.push(pointValues(analytic, numeric, noiseAll));
      }
    } catch (e) {
      return this.failedEvaluation(e, base);
    }
    return this.finish(base, values, h, points);
  }

  private baseReport(f: Formula, name: string, expected: [number, number]): ParamReport {
    return blankReport(name, expected, this.lineOf(f.statement.offset));
  }


  /** A formula that could not be evaluated: a shape error is a wrong gradient, anything else bad input. */
  private failedEvaluation(e: unknown, base: ParamReport, loss?: FunctionStatement): ParamReport {
    if (e instanceof GradcheckError && e.category === 'shape') {
      return { ...base, verdict: 'fail', diagnosis: { kind: 'shape', message: `${e.message}.` } };
    }
    if (e instanceof GradcheckError && e.category === 'limit') throw e;
    this.fail(e, loss?.offset);
    return { ...base, verdict: 'error', diagnosis: { kind: 'other', message: e instanceof Error ? e.message : String(e) } };
  }

  private finish(base: ParamReport, values: PointValues[], f: Formula, points: Mat[][]): ParamReport {
    const maxRelError = Math.max(...values.flatMap((v) => Array.from(v.relError)));
    // The component table is taken at the first point where some component fails (the given point when all pass).
    const at = Math.max(0, values.findIndex((v) => v.relError.some((e) => !(e < this.settings.tolerance))));
    const first = values[at];
    if (!f.fn.name.startsWith('hess') && values.every((v) => v.numeric.data.every((x) => x === 0))) {
      return {
        ...base,
        verdict: 'error',
        diagnosis: { kind: 'other', message: `the loss does not depend on ${base.name}: its numeric gradient is zero at every check point, so there is nothing to compare.` },
      };
    }
    const components = first.analytic.rows === first.numeric.rows && first.analytic.cols === first.numeric.cols
      ? Array.from(first.relError, (relError, k) => ({
          index: componentIndex(k, first.numeric.shape),
          name: componentRowName(k, first.numeric.shape, base.name),
          analytic: first.analytic.data[k],
          numeric: first.numeric.data[k],
          relError,
          band: band(relError, this.settings.bands),
        }))
      : [];
    const pass = maxRelError < this.settings.tolerance;
    const what = `${f.fn.name}(${f.fn.params.join(', ')})`;
    const diagnosis = pass
      ? { kind: 'none' as const, message: `${what} matches the numeric ${f.fn.name.startsWith('hess') ? 'Hessian' : 'gradient'} at ${values.length} point${values.length === 1 ? '' : 's'} (max relative error ${maxRelError.toExponential(1)}).` }
      : diagnose({
          what,
          param: f.fn.name.startsWith('hess') ? 'Hessian' : base.name,
          points: values,
          terms: this.terms(f, points),
          named: this.namedValues(),
          tolerance: this.settings.tolerance,
        });
    const point = pass ? {} : { point: points[at].flatMap((m) => Array.from(m.data)) };
    return { ...base, verdict: pass ? 'pass' : 'fail', maxRelError, shapeAnalytic: first.analytic.shape, components, diagnosis, ...point };
  }

  /** The additive terms of a formula's body, evaluated at every point (empty if only one term). */
  private terms(f: Formula, points: Mat[][]): Term[] {
    const parts: { node: Node; sign: 1 | -1 }[] = [];
    const split = (node: Node, sign: 1 | -1): void => {
      if (node.type === 'ParenthesisNode') split(node.content!, sign);
      else if (node.type === 'OperatorNode' && (node.fn === 'add' || node.fn === 'subtract') && node.args!.length === 2) {
        split(node.args![0], sign);
        split(node.args![1], node.fn === 'add' ? sign : (-sign as 1 | -1));
      } else if (node.type === 'OperatorNode' && node.fn === 'unaryMinus') split(node.args![0], -sign as 1 | -1);
      else parts.push({ node, sign });
    };
    split(f.fn.expr, 1);
    if (parts.length < 2) return [];
    try {
      return parts.map(({ node, sign }) => ({
        text: node.toString(),
        sign,
        values: points.map((point) => this.at(point, () => this.interp.evaluate(node, new Map(f.fn.params.map((p, i) => [p, point[f.binding[i]]]))))),
      }));
    } catch (e) {
      if (e instanceof GradcheckError && e.category === 'limit') throw e;
      return [];
    }
  }

  /** Quantities a constant factor may be named after: sample counts and scalar data. */
  private namedValues(): NamedValue[] {
    const named: NamedValue[] = [];
    const scalars: NamedValue[] = [];
    for (const [name, value] of this.interp.globals) {
      if (this.paramNames.includes(name)) continue;
      if (value.isScalar()) scalars.push({ name, value: value.data[0] });
      else if (value.rows > 1 && !named.some((n) => n.value === value.rows)) {
        named.push({ name: 'n', value: value.rows, note: `the number of rows of ${name}` });
      }
    }
    return [...scalars.filter((s) => /^[nNm]$/.test(s.name)), ...named, ...scalars.filter((s) => !/^[nNm]$/.test(s.name))];
  }

  /** In a block with several parameters, one wrong as a whole while the others pass is named as such. */
  private refineBlockLevel(): void {
    const params = this.report.params;
    const passing = params.filter((p) => p.verdict === 'pass').map((p) => p.name);
    if (passing.length === 0) return;
    for (const p of params) {
      if (p.verdict === 'fail' && p.diagnosis.kind === 'other') p.diagnosis = onlyThisParameter(p.name, passing);
    }
  }

  private checkIdentities(): void {
    for (const s of this.parsed.statements) {
      if (s.kind === 'check') this.report.checks.push(this.checkIdentity(s));
    }
  }

  /**
   * Tests A == B at the given values and at perturbations of the variables it uses (integer scalars,
   * such as class indices and counts, stay fixed). Holds when every entry agrees to
   * |A - B| / max(1, |A|, |B|) <= tolerance / 1000.
   */
  private checkIdentity(s: Extract<Statement, { kind: 'check' }>): CheckReport {
    const line = this.lineOf(s.offset);
    const report: CheckReport = { line, source: s.text.replace(/^check\s*/, ''), holds: false, maxError: Infinity };
    const names = new Set<string>();
    for (const side of [s.left, s.right]) side.traverse((n) => n.type === 'SymbolNode' && names.add((n as Node).name!));
    const vary = [...names].filter((n) => {
      const v = this.interp.globals.get(n);
      return v && !(v.isScalar() && Number.isInteger(v.data[0]));
    });
    const saved = new Map(vary.map((n) => [n, this.interp.globals.get(n)!]));
    const rng = new Rng(this.settings.seed + 2);
    let maxError = 0;
    try {
      for (let k = 0; k <= this.settings.points; k++) {
        for (const [n, v] of saved) {
          this.interp.globals.set(n, k === 0 ? v : v.map((x) => x + PERTURBATION * Math.max(1, Math.abs(x)) * rng.normal()));
        }
        const a = this.interp.evaluate(s.left);
        const b = this.interp.evaluate(s.right);
        if (a.rows !== b.rows || a.cols !== b.cols) {
          return { ...report, message: `the two sides have different shapes: ${shapeText(a.shape)} and ${shapeText(b.shape)}` };
        }
        if (!a.allFinite() || !b.allFinite()) {
          if (k === 0) return { ...report, message: 'a side is not finite at the given values' };
          continue;
        }
        for (let j = 0; j < a.size; j++) {
          const x = a.data[j];
          const y = b.data[j];
          maxError = Math.max(maxError, Math.abs(x - y) / Math.max(1, Math.abs(x), Math.abs(y)));
        }
      }
    } catch (e) {
      if (e instanceof GradcheckError && e.category === 'limit') throw e;
      this.fail(e, s.offset);
      return { ...report, message: e instanceof Error ? e.message : String(e) };
    } finally {
      for (const [n, v] of saved) this.interp.globals.set(n, v);
    }
    const holds = maxError <= this.settings.tolerance / 1000;
    return { ...report, holds, maxError, ...(holds ? {} : { message: `the sides differ by up to ${maxError.toExponential(2)} (relative)` }) };
  }
}
