/**
 * The Octave interpreter of gradcheck: runs scripts and functions parsed by parser.ts over 2-D
 * matrices with Octave's semantics (1-based and logical indexing, `end`, growing indexed assignment,
 * broadcasting, several outputs, nargin/nargout, anonymous functions capturing their variables).
 *
 * It is a sandbox: only the block's functions, NAME.m files the resolver supplies, and the
 * built-ins in builtins.ts can be reached; names live in Maps. Every evaluation runs under a
 * deadline, a per-value size limit, and a cap on the elements held by all live variables together.
 * Long chains of binary operators are evaluated in a loop (not recursion), and the parser bounds
 * nesting, so no input overflows the JavaScript stack.
 */
import type { Rng } from '../../random';
import { GradcheckError } from '../errors';
import { Mat, broadcastShape, concatBlocks, elementwise, matmul } from '../matrix';
import type { Expr, FunctionDef, LValue, Program, Stmt } from './ast';
import { IGNORED, OCTAVE_BUILTINS, solve, type OctaveContext } from './builtins';
import { parseProgram, unsupported } from './parser';
import { MAX_DIMENSION, Str, describeValue, isHandle, logicalMat, toMat, truthy, type Handle, type Value } from './values';

/** A function file the host found: `name.m` in the document's folder. */
export interface ResolvedFile {
  source: string;
  fileName: string;
}

export type Resolver = (name: string) => ResolvedFile | undefined;

export interface InterpreterLimits {
  /** Date.now() after which evaluation stops. */
  deadline: number;
  timeLimitMs: number;
  /** Largest number of elements of one value. */
  maxElements: number;
  /** Largest number of elements held by all live variables together. */
  maxLiveElements: number;
}

interface Frame {
  vars: Map<string, Value>;
  fn?: FunctionDef;
  /** Elements held by this frame's variables. */
  live: number;
}

/** Raised by `return`, `break`, `continue` through statement lists. */
type Signal = 'normal' | 'break' | 'continue' | 'return';

/** The largest depth of function calls (Octave's max_recursion_depth is 256). */
export const MAX_RECURSION = 256;

/** A hook the checker installs to see the expressions a function assigns (to find the terms of its gradient). */
export interface AssignmentWatch {
  fn: FunctionDef;
  /** Called before each whole-variable assignment in `fn` with a way to evaluate sub-expressions in that frame. */
  seen(name: string, value: Expr, evaluate: (e: Expr) => Value): void;
}

const ARITH: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '.*': (x, y) => x * y,
  './': (x, y) => x / y,
  '.\\': (x, y) => y / x,
  '.^': (x, y) => x ** y,
};

const COMPARE: Record<string, (x: number, y: number) => boolean> = {
  '==': (x, y) => x === y,
  '!=': (x, y) => x !== y,
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
};

export class Interpreter {
  readonly global: Frame = { vars: new Map(), live: 0 };
  /** Functions of the block. */
  readonly functions = new Map<string, FunctionDef>();
  /** Functions of resolved NAME.m files, by file: the main function and its subfunctions. */
  private readonly files = new Map<string, Map<string, FunctionDef> | null>();
  private readonly stack: Frame[] = [];
  private steps = 0;
  private live = 0;
  readonly ctx: OctaveContext;
  watch: AssignmentWatch | undefined;
  /** Extra built-ins the front end adds (check_gradient). */
  readonly extra = new Map<string, (args: Value[], nargout: number, offset: number) => Value[]>();

  constructor(
    readonly program: Program,
    private readonly limits: InterpreterLimits,
    rng: Rng,
    private readonly resolve: Resolver = () => undefined,
  ) {
    for (const f of program.functions) {
      const previous = this.functions.get(f.name);
      if (previous) throw new GradcheckError(`function ${f.name} is defined twice`, f.offset);
      this.functions.set(f.name, f);
    }
    this.ctx = {
      rng,
      randomAllowed: true,
      alloc: (r, c, what) => this.alloc(r, c, what),
      callHandle: (h, args, nargout) => this.callHandle(h, args, nargout, 0),
      tick: () => this.checkTime(),
    };
  }

  // ---- limits ----

  checkTime(): void {
    if (Date.now() > this.limits.deadline) {
      throw new GradcheckError(`time limit of ${this.limits.timeLimitMs} ms exceeded (an infinite loop, or a computation too large for a gradient check)`, undefined, 'limit');
    }
  }

  private tick(): void {
    if (++this.steps % 512 === 0) this.checkTime();
  }

  alloc(rows: number, cols: number, what = 'a value'): void {
    if (rows > MAX_DIMENSION || cols > MAX_DIMENSION) {
      throw new GradcheckError(`${what}: out of memory or dimension too large for Octave's index type (${rows}×${cols})`, undefined, 'limit');
    }
    const n = rows * cols;
    if (n > this.limits.maxElements) {
      throw new GradcheckError(`${what}: a ${rows}×${cols} value (${n} elements) exceeds the size limit of ${this.limits.maxElements} elements`, undefined, 'limit');
    }
    if (this.live + n > this.limits.maxLiveElements) {
      throw new GradcheckError(`the variables of this check hold ${this.live} elements; ${what} (${n} more) would exceed the memory limit of ${this.limits.maxLiveElements} elements`, undefined, 'limit');
    }
  }

  private elements(v: Value | undefined): number {
    return v instanceof Mat ? v.size : 0;
  }

  setVar(frame: Frame, name: string, value: Value): void {
    const delta = this.elements(value) - this.elements(frame.vars.get(name));
    if (delta > 0 && this.live + delta > this.limits.maxLiveElements) {
      throw new GradcheckError(`the variables of this check would hold ${this.live + delta} elements, more than the memory limit of ${this.limits.maxLiveElements}`, undefined, 'limit');
    }
    this.live += delta;
    frame.live += delta;
    frame.vars.set(name, value);
  }

  // ---- running ----

  /** Runs the script part of the program in the global workspace. */
  run(): void {
    this.execList(this.program.body, this.global);
  }

  /** Positions an error where it happened: the offset and, for code from a NAME.m file, that file. */
  private locate(e: unknown, offset: number, frame: Frame): never {
    if (e instanceof GradcheckError) position(e, offset, frame);
    throw e;
  }

  private execList(list: Stmt[], frame: Frame): Signal {
    for (const s of list) {
      const signal = this.exec(s, frame);
      if (signal !== 'normal') return signal;
    }
    return 'normal';
  }

  private exec(s: Stmt, frame: Frame): Signal {
    this.tick();
    try {
      switch (s.type) {
        case 'expr':
          this.execExpr(s.expr, frame);
          return 'normal';
        case 'assign':
          this.assign(s, frame);
          return 'normal';
        case 'if':
          for (const c of s.clauses) if (truthy(this.value(c.cond, frame))) return this.execList(c.body, frame);
          return s.otherwise ? this.execList(s.otherwise, frame) : 'normal';
        case 'for':
          return this.forLoop(s, frame);
        case 'while':
          while (truthy(this.value(s.cond, frame))) {
            this.checkTime();
            const signal = this.execList(s.body, frame);
            if (signal === 'break') break;
            if (signal === 'return') return signal;
          }
          return 'normal';
        default:
          return s.type;
      }
    } catch (e) {
      return this.locate(e, s.offset, frame);
    }
  }

  private execExpr(e: Expr, frame: Frame): void {
    // A bare call may return nothing (fprintf, a function without outputs).
    if ((e.type === 'index' || e.type === 'id') && this.isCallable(e, frame)) {
      const values = this.multi(e, frame, 0);
      if (values.length > 0) this.setVar(frame, 'ans', values[0]);
      return;
    }
    this.setVar(frame, 'ans', this.value(e, frame));
  }

  private forLoop(s: Extract<Stmt, { type: 'for' }>, frame: Frame): Signal {
    const iterate = (value: Value): Signal => {
      this.checkTime();
      this.setVar(frame, s.variable.name, value);
      return this.execList(s.body, frame);
    };
    if (s.range.type === 'range') {
      // Iterated without building the vector: `for i = 1:1e9` costs nothing until the loop runs.
      const { start, step, count } = this.rangeParts(s.range, frame);
      for (let k = 0; k < count; k++) {
        const signal = iterate(Mat.scalar(start + k * step));
        if (signal === 'break') break;
        if (signal === 'return') return signal;
      }
      return 'normal';
    }
    const v = toMat(this.value(s.range, frame), 'a for loop');
    for (let j = 0; j < v.cols; j++) {
      const column = new Mat(v.rows, 1, v.data.slice(j * v.rows, (j + 1) * v.rows));
      const signal = iterate(v.rows === 1 ? Mat.scalar(column.data[0]) : column);
      if (signal === 'break') break;
      if (signal === 'return') return signal;
    }
    return 'normal';
  }

  // ---- assignment ----

  private assign(s: Extract<Stmt, { type: 'assign' }>, frame: Frame): void {
    if (s.targets.length > 1) {
      const values = this.multi(s.value, frame, s.targets.length);
      if (values.length < s.targets.length) {
        const missing = s.targets[values.length];
        throw new GradcheckError(`element number ${values.length + 1} undefined in return list`, missing.offset);
      }
      s.targets.forEach((t, k) => {
        if (!t.ignore) this.store(t, values[k], frame, '=');
      });
      return;
    }
    const target = s.targets[0];
    if (this.watch && frame.fn === this.watch.fn && !target.args && s.op === '=') {
      this.watch.seen(target.name, s.value, (e) => this.value(e, frame));
    }
    const value = this.value(s.value, frame);
    this.store(target, value, frame, s.op);
  }

  private store(t: LValue, value: Value, frame: Frame, op: string): void {
    if (isReserved(t.name)) throw new GradcheckError(`cannot assign to ${t.name}`, t.offset);
    let v = value;
    if (op !== '=') {
      const current = t.args ? this.indexValue(this.variable(t.name, frame, t.offset), t.args, frame) : this.variable(t.name, frame, t.offset);
      v = this.binary(op.slice(0, -1), current, value);
    }
    if (!t.args) {
      this.setVar(frame, t.name, v);
      return;
    }
    const old = frame.vars.get(t.name);
    if (old !== undefined && !(old instanceof Mat)) throw unsupported(`indexed assignment into ${describeValue(old)}`, t.offset);
    const base = (old as Mat | undefined) ?? Mat.zeros(0, 0);
    this.setVar(frame, t.name, this.indexAssign(base, t.args, toMat(v, 'an indexed assignment'), frame, value instanceof Mat && isDeletion(value)));
  }

  private variable(name: string, frame: Frame, offset: number): Value {
    const v = frame.vars.get(name);
    if (v === undefined) throw new GradcheckError(`'${name}' undefined`, offset);
    return v;
  }

  // ---- expressions ----

  /** One value of an expression (the first output of a call). */
  value(e: Expr, frame: Frame, end?: number): Value {
    const values = this.evalExpr(e, frame, 1, end);
    if (values.length === 0) throw new GradcheckError(`value on right hand side of assignment is undefined: ${this.nameOf(e)} returns nothing`, e.offset);
    return values[0];
  }

  private nameOf(e: Expr): string {
    if (e.type === 'id') return e.name;
    if (e.type === 'index' && e.object.type === 'id') return e.object.name;
    return 'the expression';
  }

  /** The outputs of a call (or one value) for `[a, b] = ...`. */
  multi(e: Expr, frame: Frame, nargout: number): Value[] {
    return this.evalExpr(e, frame, nargout);
  }

  private isCallable(e: Expr, frame: Frame): boolean {
    const name = e.type === 'id' ? e.name : e.type === 'index' && e.object.type === 'id' ? e.object.name : undefined;
    return name !== undefined && !frame.vars.has(name);
  }

  private evalExpr(e: Expr, frame: Frame, nargout: number, end?: number): Value[] {
    this.tick();
    try {
      switch (e.type) {
        case 'num':
          return [Mat.scalar(e.value)];
        case 'str':
          return [new Str(e.value)];
        case 'id': {
          const v = frame.vars.get(e.name);
          if (v !== undefined) return [v];
          return this.callByName(e.name, [], nargout, e.offset, frame);
        }
        case 'end':
          if (end === undefined) throw new GradcheckError('\'end\': nonconformant arguments (end can only be used inside an index)', e.offset);
          return [Mat.scalar(end)];
        case 'colon':
          throw new GradcheckError('":" alone can only stand as an index, as in A(:, 1)', e.offset);
        case 'paren':
          return [this.value(e.expr, frame, end)];
        case 'range':
          return [this.range(e, frame, end)];
        case 'binary':
          return [this.binaryChain(e, frame, end)];
        case 'unary':
          return [this.unary(e.op, this.value(e.operand, frame, end))];
        case 'postfix':
          return [toMat(this.value(e.operand, frame, end), 'transpose').transpose()];
        case 'index':
          return this.index(e, frame, nargout, end);
        case 'matrix':
          return [this.matrix(e, frame, end)];
        case 'anon':
          return [this.anonymous(e, frame)];
        case 'handle':
          return [{ kind: 'handle', name: e.name, text: `@${e.name}` }];
        case 'field':
          throw unsupported('structs (.field)', e.offset);
        case 'tilde':
          throw new GradcheckError('parse error: "~" can only ignore an output, as in [~, i] = max(v)', e.offset);
      }
    } catch (err) {
      if (err instanceof GradcheckError) position(err, e.type === 'index' ? e.object.offset : e.offset, frame);
      throw err;
    }
  }

  /** Left-leaning chains (a + b + c + ...) in a loop: a sum of 200,000 terms needs no deep stack. */
  private binaryChain(e: Extract<Expr, { type: 'binary' }>, frame: Frame, end?: number): Mat {
    const spine: Extract<Expr, { type: 'binary' }>[] = [];
    let node: Expr = e;
    while (node.type === 'binary' && node.op !== '&&' && node.op !== '||') {
      spine.push(node);
      node = node.left;
    }
    let acc: Value = node.type === 'binary' ? this.logicalShortCircuit(node, frame, end) : this.value(node, frame, end);
    for (let k = spine.length - 1; k >= 0; k--) {
      const b = spine[k];
      const right = this.value(b.right, frame, end);
      try {
        acc = this.binary(b.op, acc, right);
      } catch (err) {
        if (err instanceof GradcheckError) position(err, b.offset, frame);
        throw err;
      }
    }
    return acc as Mat;
  }

  private logicalShortCircuit(e: Extract<Expr, { type: 'binary' }>, frame: Frame, end?: number): Mat {
    const scalarTruth = (v: Value, side: string): boolean => {
      const m = toMat(v, e.op);
      if (m.size === 0) throw new GradcheckError(`invalid conversion from empty value to real scalar (the ${side} operand of ${e.op})`);
      return truthy(m);
    };
    const left = scalarTruth(this.value(e.left, frame, end), 'left');
    if (e.op === '&&' && !left) return logicalMat(1, 1, Float64Array.of(0));
    if (e.op === '||' && left) return logicalMat(1, 1, Float64Array.of(1));
    return logicalMat(1, 1, Float64Array.of(Number(scalarTruth(this.value(e.right, frame, end), 'right'))));
  }

  binary(op: string, av: Value, bv: Value): Mat {
    const a = toMat(av, `operator ${op}`);
    const b = toMat(bv, `operator ${op}`);
    const arith = ARITH[op];
    // Scalars, the common case in loops and long sums: no broadcasting machinery.
    if (a.size === 1 && b.size === 1 && a.rows === 1 && b.rows === 1 && (arith || op === '*' || op === '/')) {
      const x = a.data[0];
      const y = b.data[0];
      return Mat.scalar(arith ? arith(x, y) : op === '*' ? x * y : x / y);
    }
    if (arith) return this.broadcast(a, b, op, arith);
    const cmp = COMPARE[op];
    if (cmp) {
      const out = this.broadcast(a, b, op, (x, y) => Number(cmp(x, y)));
      out.logical = true;
      return out;
    }
    switch (op) {
      case '&':
      case '|': {
        const out = this.broadcast(a, b, op, op === '&' ? (x, y) => Number(x !== 0 && y !== 0) : (x, y) => Number(x !== 0 || y !== 0));
        out.logical = true;
        return out;
      }
      case '*':
        return this.multiply(a, b);
      case '/':
        if (b.size === 1) return a.map((x) => x / b.data[0]);
        // A / B = (B' \ A')'
        return solve(b.transpose(), a.transpose(), () => this.checkTime()).transpose();
      case '\\':
        if (a.size === 1) return b.map((y) => y / a.data[0]);
        return solve(a, b, () => this.checkTime());
      case '^':
        return this.power(a, b);
      default:
        throw new GradcheckError(`the operator ${op} is not supported in gradcheck blocks`);
    }
  }

  private broadcast(a: Mat, b: Mat, op: string, f: (x: number, y: number) => number): Mat {
    const shape = broadcastShape(a, b);
    if (!shape) {
      throw new GradcheckError(`operator ${op}: nonconformant arguments (op1 is ${a.rows}x${a.cols}, op2 is ${b.rows}x${b.cols})`, undefined, 'shape');
    }
    this.alloc(shape[0], shape[1], `operator ${op}`);
    return elementwise(a, b, shape, f);
  }

  private multiply(a: Mat, b: Mat): Mat {
    if (a.size === 1) return b.map((y) => a.data[0] * y);
    if (b.size === 1) return a.map((x) => x * b.data[0]);
    if (a.cols !== b.rows) {
      let hint = '';
      if (a.rows === b.rows) hint = '; the transpose of the left factor would match';
      else if (a.cols === b.cols) hint = '; the transpose of the right factor would match';
      throw new GradcheckError(`operator *: nonconformant arguments (op1 is ${a.rows}x${a.cols}, op2 is ${b.rows}x${b.cols})${hint}`, undefined, 'shape');
    }
    this.alloc(a.rows, b.cols, 'operator *');
    return matmul(a, b, () => this.checkTime());
  }

  private power(a: Mat, b: Mat): Mat {
    if (a.size === 1 && b.size === 1) return Mat.scalar(a.data[0] ** b.data[0]);
    const k = b.data[0];
    if (b.size === 1 && a.rows === a.cols && Number.isInteger(k) && k >= 0 && k <= 64) {
      let out = new Mat(a.rows, a.cols, Float64Array.from({ length: a.size }, (_, t) => Number(t % a.rows === Math.floor(t / a.rows))));
      for (let i = 0; i < k; i++) out = matmul(out, a, () => this.checkTime());
      return out;
    }
    throw new GradcheckError(`for x^y, only square matrix arguments are permitted and one argument must be scalar.  Use .^ for elementwise power (x is ${a.rows}x${a.cols})`, undefined, 'shape');
  }

  private unary(op: string, v: Value): Mat {
    const m = toMat(v, `unary ${op}`);
    if (op === '-') return m.map((x) => -x);
    if (op === '+') return m;
    const out = m.map((x) => Number(x === 0));
    out.logical = true;
    return out;
  }

  private rangeParts(e: Extract<Expr, { type: 'range' }>, frame: Frame, end?: number): { start: number; step: number; count: number } {
    const scalar = (x: Expr): number => {
      const m = toMat(this.value(x, frame, end), 'a range');
      return m.size === 0 ? NaN : m.data[0];
    };
    const start = scalar(e.start);
    const step = e.step ? scalar(e.step) : 1;
    const stop = scalar(e.stop);
    if (Number.isNaN(start) || Number.isNaN(step) || Number.isNaN(stop) || step === 0 || (step > 0 && stop < start) || (step < 0 && stop > start)) {
      return { start, step, count: 0 };
    }
    if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step)) {
      throw new GradcheckError('a range needs finite bounds', e.offset);
    }
    const n = Math.floor((stop - start) / step * (1 + Number.EPSILON) + 1e-10) + 1;
    return { start, step, count: n };
  }

  private range(e: Extract<Expr, { type: 'range' }>, frame: Frame, end?: number): Mat {
    const { start, step, count } = this.rangeParts(e, frame, end);
    this.alloc(1, count, 'a range');
    const out = new Mat(1, count, new Float64Array(count));
    for (let k = 0; k < count; k++) out.data[k] = start + k * step;
    return out;
  }

  private matrix(e: Extract<Expr, { type: 'matrix' }>, frame: Frame, end?: number): Mat {
    const blocks: Mat[][] = [];
    let allLogical = true;
    let anyValue = false;
    for (const row of e.rows) {
      const mats: Mat[] = [];
      for (const item of row) {
        for (const v of this.evalExpr(item, frame, 1, end)) {
          if (isHandle(v)) throw new GradcheckError('concatenation of function handles is not supported', item.offset);
          const m = toMat(v, 'concatenation');
          allLogical &&= m.logical;
          anyValue = true;
          mats.push(m);
        }
      }
      blocks.push(mats);
    }
    let rows = 0;
    let cols = 0;
    for (const b of blocks) {
      rows += b[0]?.rows ?? 0;
      cols = Math.max(cols, b.reduce((s, m) => s + m.cols, 0));
    }
    this.alloc(rows, cols, 'concatenation');
    const out = concatBlocks(blocks);
    if (typeof out === 'string') {
      throw new GradcheckError(`vertical dimensions mismatch or horizontal dimensions mismatch: ${out}`, undefined, 'shape');
    }
    out.logical = anyValue && allLogical;
    return out;
  }

  private anonymous(e: Extract<Expr, { type: 'anon' }>, frame: Frame): Handle {
    const captured = new Map<string, Value>();
    const visit = (x: Expr): void => {
      forEachChild(x, visit);
      if (x.type === 'id' && !e.params.includes(x.name)) {
        const v = frame.vars.get(x.name);
        if (v !== undefined) captured.set(x.name, v);
      }
      if (x.type === 'index' && x.object.type === 'id' && !e.params.includes(x.object.name)) {
        const v = frame.vars.get(x.object.name);
        if (v !== undefined) captured.set(x.object.name, v);
      }
    };
    visit(e.body);
    const src = frame.fn?.source ?? this.program.source;
    const text = exprText(e, src);
    return { kind: 'handle', params: e.params, body: e.body, captured, where: { source: src, fileName: frame.fn?.fileName, owner: frame.fn }, text };
  }

  // ---- indexing and calls ----

  private index(e: Extract<Expr, { type: 'index' }>, frame: Frame, nargout: number, end?: number): Value[] {
    if (e.brace) throw unsupported('cell arrays ({...})', e.offset);
    if (e.object.type === 'id') {
      const v = frame.vars.get(e.object.name);
      if (v === undefined) {
        const args = e.args.map((a) => {
          if (a.type === 'colon') throw new GradcheckError(`":" cannot be an argument of the function ${(e.object as { name: string }).name}`, a.offset);
          return this.value(a, frame, end);
        });
        return this.callByName(e.object.name, args, nargout, e.object.offset, frame);
      }
      if (isHandle(v)) return this.callHandle(v, e.args.map((a) => this.value(a, frame, end)), nargout, e.offset);
      return [this.indexValue(v, e.args, frame)];
    }
    const base = this.value(e.object, frame, end);
    if (isHandle(base)) return this.callHandle(base, e.args.map((a) => this.value(a, frame, end)), nargout, e.offset);
    return [this.indexValue(base, e.args, frame)];
  }

  /** Index positions (0-based) of one subscript; `extent` is the value of `end`. */
  private positions(arg: Expr, extent: number, frame: Frame): number[] | 'all' {
    if (arg.type === 'colon') return 'all';
    const v = toMat(this.value(arg, frame, extent), 'an index');
    if (v.logical) {
      if (v.size > extent && Array.prototype.some.call(v.data.subarray(extent), (x: number) => x !== 0)) {
        throw new GradcheckError(`index (${v.size}): out of bound ${extent}`, undefined, 'shape');
      }
      const out: number[] = [];
      for (let k = 0; k < v.size; k++) if (v.data[k] !== 0) out.push(k);
      return out;
    }
    const out = new Array<number>(v.size);
    for (let k = 0; k < v.size; k++) {
      const x = v.data[k];
      if (x !== Math.floor(x)) throw new GradcheckError(`subscript indices must be either positive integers or logicals (found ${x})`, undefined, 'input');
      if (x < 1) throw new GradcheckError(`index (${x}): out of bound; value ${x} out of bound ${extent}`, undefined, 'input');
      out[k] = x - 1;
    }
    return out;
  }

  /** The shape of a subscript's result (for A(idx) with a matrix idx). */
  private indexValue(v: Value, args: Expr[], frame: Frame): Mat {
    const m = toMat(v, 'indexing');
    if (args.length === 0) return m;
    if (args.length === 1) {
      const arg = args[0];
      const pos = this.positions(arg, m.size, frame);
      if (pos === 'all') return new Mat(m.size, 1, m.data.slice());
      for (const k of pos) if (k >= m.size) throw new GradcheckError(`index (${k + 1}): out of bound ${m.size} (dimensions are ${m.rows}x${m.cols})`, undefined, 'shape');
      const data = Float64Array.from(pos, (k) => m.data[k]);
      const idx = arg.type === 'colon' ? undefined : this.indexShape(arg, frame, m.size, pos.length);
      let shape: [number, number];
      if ((m.rows === 1 || m.cols === 1) && m.size > 0 && idx && (idx[0] === 1 || idx[1] === 1)) shape = m.rows === 1 && m.cols !== 1 ? [1, pos.length] : m.cols === 1 && m.rows !== 1 ? [pos.length, 1] : idx;
      else shape = idx ?? [pos.length, 1];
      const out = new Mat(shape[0], shape[1], data);
      out.logical = m.logical;
      return out;
    }
    if (args.length > 2) {
      for (const extra of args.slice(2)) {
        const p = this.positions(extra, 1, frame);
        if (p !== 'all' && p.some((k) => k !== 0)) throw new GradcheckError('index out of bound: arrays have 2 dimensions in gradcheck blocks', undefined, 'shape');
      }
    }
    const rows = this.positions(args[0], m.rows, frame);
    const cols = this.positions(args[1], m.cols, frame);
    const r = rows === 'all' ? range0(m.rows) : rows;
    const c = cols === 'all' ? range0(m.cols) : cols;
    for (const i of r) if (i >= m.rows) throw new GradcheckError(`out of bound; value ${i + 1} out of bound ${m.rows} (dimensions are ${m.rows}x${m.cols})`, undefined, 'shape');
    for (const j of c) if (j >= m.cols) throw new GradcheckError(`out of bound; value ${j + 1} out of bound ${m.cols} (dimensions are ${m.rows}x${m.cols})`, undefined, 'shape');
    this.alloc(r.length, c.length, 'an index');
    const out = Mat.zeros(r.length, c.length);
    for (let b = 0; b < c.length; b++) for (let a = 0; a < r.length; a++) out.data[a + b * r.length] = m.data[r[a] + c[b] * m.rows];
    out.logical = m.logical;
    return out;
  }

  /** The shape of a one-subscript result before vector orientation rules. */
  private indexShape(arg: Expr, frame: Frame, extent: number, count: number): [number, number] {
    const v = toMat(this.value(arg, frame, extent), 'an index');
    if (v.logical) return v.rows === 1 ? [1, count] : [count, 1];
    return [v.rows, v.cols];
  }

  private indexAssign(m: Mat, args: Expr[], v: Mat, frame: Frame, deletion: boolean): Mat {
    if (args.length === 1) {
      const pos = this.positions(args[0], m.size, frame);
      const p = pos === 'all' ? range0(m.size) : pos;
      if (deletion) return deleteElements(m, p);
      if (v.size !== 1 && v.size !== p.length) {
        throw new GradcheckError(`=: nonconformant arguments (op1 is 1x${p.length}, op2 is ${v.rows}x${v.cols})`, undefined, 'shape');
      }
      const top = p.reduce((mx, k) => Math.max(mx, k + 1), 0);
      let out: Mat;
      if (top > m.size) {
        if (m.size > 0 && m.rows !== 1 && m.cols !== 1) {
          throw new GradcheckError(`Octave:index-out-of-bounds: A(I) = X: X must have the same size as I (resizing a ${m.rows}x${m.cols} matrix by a linear index is not possible)`, undefined, 'shape');
        }
        const column = m.cols === 1 && m.rows > 1;
        this.alloc(column ? top : 1, column ? 1 : top, 'an indexed assignment');
        out = column ? Mat.zeros(top, 1) : Mat.zeros(1, top);
        out.data.set(m.data);
      } else {
        out = m.clone();
      }
      for (let k = 0; k < p.length; k++) out.data[p[k]] = v.data[v.size === 1 ? 0 : k];
      return out;
    }
    if (args.length !== 2) throw new GradcheckError('arrays have 2 dimensions in gradcheck blocks: use A(i) or A(i, j)');
    const rows = this.positions(args[0], m.rows, frame);
    const cols = this.positions(args[1], m.cols, frame);
    if (deletion) {
      if (rows === 'all' && cols !== 'all') return this.keep(m, range0(m.rows), range0(m.cols).filter((j) => !cols.includes(j)));
      if (cols === 'all' && rows !== 'all') return this.keep(m, range0(m.rows).filter((i) => !rows.includes(i)), range0(m.cols));
      throw new GradcheckError('a null assignment can only have one non-colon index');
    }
    const r = rows === 'all' ? range0(m.rows === 0 && m.cols === 0 ? v.rows : m.rows) : rows;
    const c = cols === 'all' ? range0(m.rows === 0 && m.cols === 0 ? v.cols : m.cols) : cols;
    if (v.size !== 1 && v.size !== r.length * c.length) {
      throw new GradcheckError(`=: nonconformant arguments (op1 is ${r.length}x${c.length}, op2 is ${v.rows}x${v.cols})`, undefined, 'shape');
    }
    const newRows = Math.max(m.rows, ...r.map((i) => i + 1));
    const newCols = Math.max(m.cols, ...c.map((j) => j + 1));
    let out: Mat;
    if (newRows !== m.rows || newCols !== m.cols) {
      this.alloc(newRows, newCols, 'an indexed assignment');
      out = Mat.zeros(newRows, newCols);
      for (let j = 0; j < m.cols; j++) out.data.set(m.data.subarray(j * m.rows, (j + 1) * m.rows), j * newRows);
    } else {
      out = m.clone();
    }
    for (let b = 0; b < c.length; b++) for (let a = 0; a < r.length; a++) out.data[r[a] + c[b] * newRows] = v.data[v.size === 1 ? 0 : a + b * r.length];
    return out;
  }

  private keep(m: Mat, rows: number[], cols: number[]): Mat {
    const out = Mat.zeros(rows.length, cols.length);
    for (let b = 0; b < cols.length; b++) for (let a = 0; a < rows.length; a++) out.data[a + b * rows.length] = m.data[rows[a] + cols[b] * m.rows];
    return out;
  }

  /** Resolves a name as Octave does: subfunctions of the current file, the block, NAME.m, built-ins. */
  findFunction(name: string, frame: Frame): FunctionDef | undefined {
    const file = frame.fn?.fileName;
    if (file) {
      const local = this.files.get(fileKey(file))?.get(name);
      if (local) return local;
    }
    const own = this.functions.get(name);
    if (own) return own;
    if (!this.files.has(name)) {
      const found = this.resolve(name);
      if (!found) {
        this.files.set(name, null);
      } else {
        const program = parseProgram(found.source, found.fileName);
        const map = new Map<string, FunctionDef>();
        for (const f of program.functions) if (!map.has(f.name)) map.set(f.name, f);
        if (program.functions.length === 0 || program.functions[0].name !== name) {
          const first = program.functions[0];
          if (!first) throw new GradcheckError(`${found.fileName} is a script, not a function file: gradcheck calls functions from NAME.m files`, 0, 'input', { name: found.fileName, source: found.source });
        }
        // The file's first function answers to the file's name, as in Octave.
        map.set(name, program.functions[0]);
        this.files.set(name, map);
        this.files.set(fileKey(found.fileName), map);
      }
    }
    return this.files.get(name)?.get(name) ?? undefined;
  }

  callByName(name: string, args: Value[], nargout: number, offset: number, frame: Frame): Value[] {
    if (name === 'nargin' || name === 'nargout') {
      if (!frame.fn) throw new GradcheckError(`'${name}' undefined: ${name} is only defined inside a function`, offset);
    }
    const user = this.findFunction(name, frame);
    if (user) return this.callUser(user, args, nargout, offset);
    const extra = this.extra.get(name);
    if (extra) return extra(args, nargout, offset);
    if (IGNORED.has(name)) return [];
    const builtin = OCTAVE_BUILTINS.get(name);
    if (builtin) return builtin(args, nargout, this.ctx);
    if (UNSUPPORTED_NAMES.has(name)) throw unsupported(name, offset);
    throw new GradcheckError(args.length === 0 ? `'${name}' undefined` : `'${name}' undefined (no variable, function in the block, ${name}.m beside the document, or supported built-in has this name)`, offset);
  }

  /** Calls a user function; returns as many outputs as it defines, up to max(nargout, 1). */
  callUser(f: FunctionDef, args: Value[], nargout: number, offset: number, lenient = false): Value[] {
    if (args.length > f.params.length && !(f.params[f.params.length - 1] === 'varargin')) {
      throw new GradcheckError(`${f.name}: function called with too many inputs (${args.length}; it takes ${f.params.length})`, offset);
    }
    if (nargout > Math.max(1, f.outputs.length) && !lenient) {
      throw new GradcheckError(`${f.name}: function called with too many outputs (${nargout}; it returns ${f.outputs.length})`, offset);
    }
    if (this.stack.length >= MAX_RECURSION) {
      throw new GradcheckError(`max_recursion_depth exceeded (${MAX_RECURSION} nested calls)`, offset, 'limit');
    }
    const frame: Frame = { vars: new Map(), fn: f, live: 0 };
    f.params.forEach((p, k) => {
      if (k < args.length && p !== '~') this.setVar(frame, p, args[k]);
    });
    frame.vars.set('nargin', Mat.scalar(args.length));
    frame.vars.set('nargout', Mat.scalar(nargout));
    const randomAllowed = this.ctx.randomAllowed;
    this.ctx.randomAllowed = false;
    this.stack.push(frame);
    try {
      this.execList(f.body, frame);
      const out: Value[] = [];
      const want = lenient ? f.outputs.length : Math.max(1, nargout);
      for (let k = 0; k < Math.min(want, f.outputs.length); k++) {
        const v = frame.vars.get(f.outputs[k]);
        if (v === undefined) {
          if (lenient || (k === 0 && nargout === 0)) break;
          throw new GradcheckError(`${f.name}: some elements undefined in return list: '${f.outputs[k]}' was never set`, f.offset, 'input', f.fileName ? { name: f.fileName, source: f.source } : undefined);
        }
        out.push(v);
      }
      return out;
    } finally {
      this.stack.pop();
      this.live -= frame.live;
      this.ctx.randomAllowed = randomAllowed;
    }
  }

  callHandle(h: Handle, args: Value[], nargout: number, offset: number, lenient = false): Value[] {
    if (h.name) {
      const frame = this.stack[this.stack.length - 1] ?? this.global;
      const user = this.findFunction(h.name, frame);
      if (user) return this.callUser(user, args, nargout, offset, lenient);
      return this.callByName(h.name, args, nargout, offset, frame);
    }
    const params = h.params!;
    if (args.length > params.length) throw new GradcheckError(`${h.text}: function called with too many inputs`, offset);
    const frame: Frame = { vars: new Map(h.captured), fn: h.where?.owner, live: 0 };
    params.forEach((p, k) => {
      if (k < args.length) frame.vars.set(p, args[k]);
    });
    if (this.stack.length >= MAX_RECURSION) throw new GradcheckError(`max_recursion_depth exceeded (${MAX_RECURSION} nested calls)`, offset, 'limit');
    this.stack.push(frame);
    try {
      let body = h.body!;
      while (body.type === 'paren') body = body.expr;
      if (lenient && body.type === 'index' && body.object.type === 'id' && !frame.vars.has(body.object.name)) {
        const user = this.findFunction(body.object.name, frame);
        if (user) return this.callUser(user, body.args.map((a) => this.value(a, frame)), nargout, body.offset, true);
      }
      return this.evalExpr(body, frame, nargout);
    } finally {
      this.stack.pop();
    }
  }
}

const UNSUPPORTED_NAMES = new Set([
  'eval', 'evalin', 'feval', 'assignin', 'load', 'save', 'fopen', 'fclose', 'fread', 'fwrite', 'fgetl', 'system', 'exist', 'input', 'keyboard',
  'cell', 'struct', 'cellfun', 'arrayfun', 'num2str', 'sprintf', 'strcat', 'error', 'svd', 'eig', 'chol', 'qr', 'lu', 'pinv', 'det', 'fminunc',
  'fminsearch', 'optimset', 'fmincg', 'sort', 'unique', 'histc', 'accumarray', 'cross', 'linspace', 'clear', 'who', 'whos',
]);

/** Gives an error without a position this offset, in the frame's file when it comes from a NAME.m file. */
function position(e: GradcheckError, offset: number, frame: Frame): void {
  if (e.offset !== undefined) return;
  e.offset = offset;
  if (frame.fn?.fileName) e.file = { name: frame.fn.fileName, source: frame.fn.source };
}

function isReserved(name: string): boolean {
  return name === 'nargin' || name === 'nargout';
}

function isDeletion(v: Mat): boolean {
  return v.rows === 0 && v.cols === 0;
}

function deleteElements(m: Mat, positions: number[]): Mat {
  const drop = new Set(positions);
  const kept = Array.from(m.data).filter((_, k) => !drop.has(k));
  return m.cols === 1 && m.rows !== 1 ? new Mat(kept.length, 1, Float64Array.from(kept)) : new Mat(1, kept.length, Float64Array.from(kept));
}

function range0(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k);
}

function fileKey(fileName: string): string {
  return `file:${fileName}`;
}

/** Visits the direct sub-expressions of an expression. */
export function forEachChild(e: Expr, f: (child: Expr) => void): void {
  switch (e.type) {
    case 'range':
      f(e.start);
      if (e.step) f(e.step);
      f(e.stop);
      return;
    case 'binary':
      f(e.left);
      f(e.right);
      return;
    case 'unary':
    case 'postfix':
      f(e.operand);
      return;
    case 'paren':
      f(e.expr);
      return;
    case 'index':
      f(e.object);
      e.args.forEach(f);
      return;
    case 'field':
      f(e.object);
      return;
    case 'matrix':
      e.rows.forEach((r) => r.forEach(f));
      return;
    case 'anon':
      f(e.body);
      return;
    default:
      return;
  }
}

/** The source text of an expression (from its leftmost token to its end). */
export function exprText(e: Expr, source: string): string {
  let start = e.offset;
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    start = Math.min(start, x.offset);
    forEachChild(x, (c) => stack.push(c));
  }
  return source.slice(start, e.end ?? e.offset).trim();
}

