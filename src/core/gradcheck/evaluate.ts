/**
 * The sandboxed interpreter of the gradcheck language. It walks mathjs parse trees itself instead of
 * using mathjs' evaluate: only the built-ins in builtins.ts and the block's own definitions can be
 * reached, names are looked up in Maps (no prototype chain), property access is refused, and every
 * evaluation runs under a deadline and a per-value size limit. This follows mathjs' security guidance
 * (no import, createUnit, evaluate, parse, simplify, derivative) by construction.
 *
 * Semantics are Octave's: values are 2-D matrices, `*` is the matrix product with 1×1 acting as a
 * scalar, `.*` `./` `.^` `+` `-` broadcast rows and columns, `'` transposes, indexing is 1-based.
 */
import type { Rng } from '../random';
import { BUILTINS, CONSTANTS, DISABLED, type BuiltinContext } from './builtins';
import { GradcheckError } from './errors';
import { Mat, broadcastShape, concatBlocks, elementwise, matmul, shapeText } from './matrix';
import type { Node, ParsedBlock } from './notation';

export interface UserFunction {
  name: string;
  params: string[];
  expr: Node;
}

export interface Limits {
  /** Date.now() after which evaluation stops. */
  deadline: number;
  timeLimitMs: number;
  maxElements: number;
}

interface Env {
  locals: ReadonlyMap<string, Mat> | null;
  /** The value of `end` inside an index. */
  end?: number;
}

const MAX_CALL_DEPTH = 64;

export class Interpreter {
  readonly globals = new Map<string, Mat>();
  readonly functions = new Map<string, UserFunction>();
  /** When set, the first (innermost) node whose value is not finite is recorded in `nonFinite`. */
  traceNonFinite = false;
  nonFinite: Node | undefined;
  private steps = 0;
  private readonly active: string[] = [];
  private readonly builtinContext: BuiltinContext;

  constructor(
    private readonly parsed: ParsedBlock,
    private readonly limits: Limits,
    rng: Rng,
  ) {
    this.builtinContext = { rng, randomAllowed: true, checkSize: (r, c) => this.checkSize(r, c) };
  }

  /** Evaluates an expression with optional local bindings (function parameters). */
  evaluate(node: Node, locals: ReadonlyMap<string, Mat> | null = null): Mat {
    return this.eval(node, { locals });
  }

  /** Calls a user-defined function by name. */
  call(name: string, args: Mat[]): Mat {
    const f = this.functions.get(name);
    if (!f) throw new GradcheckError(`no function named ${name}`);
    return this.callUser(f, args);
  }

  /** Throws once the block's time limit has passed. */
  checkTime(): void {
    if (Date.now() > this.limits.deadline) {
      throw new GradcheckError(`time limit of ${this.limits.timeLimitMs} ms exceeded`, undefined, 'limit');
    }
  }

  private checkSize(rows: number, cols: number): void {
    if (rows * cols > this.limits.maxElements) {
      throw new GradcheckError(
        `a ${rows}×${cols} value (${rows * cols} elements) exceeds the size limit of ${this.limits.maxElements} elements`,
        undefined,
        'limit',
      );
    }
  }

  private eval(node: Node, env: Env): Mat {
    if (++this.steps % 256 === 0) this.checkTime();
    let value: Mat;
    try {
      value = this.evalNode(node, env);
    } catch (e) {
      if (e instanceof RangeError) {
        // The JavaScript stack ran out on a very deep expression: a clear limit at its line, not an internal error.
        throw new GradcheckError('this expression is nested too deeply to evaluate (split it into several assignments)', this.parsed.positions.get(node), 'limit');
      }
      if (e instanceof GradcheckError && e.offset === undefined) e.offset = this.parsed.positions.get(node);
      throw e;
    }
    if (this.traceNonFinite && !this.nonFinite && !value.allFinite()) this.nonFinite = node;
    return value;
  }

  private evalNode(node: Node, env: Env): Mat {
    switch (node.type) {
      case 'ConstantNode':
        return constant(node.value);
      case 'SymbolNode':
        return this.symbol(node.name!, env);
      case 'ParenthesisNode':
        return this.eval(node.content!, env);
      case 'OperatorNode':
        return this.operator(node, env);
      case 'FunctionNode':
        return this.functionCall(node, env);
      case 'AccessorNode':
        return this.accessor(node, env);
      case 'ArrayNode':
        return this.array(node, env);
      case 'RangeNode':
        return this.range(node, env);
      case 'AssignmentNode':
      case 'FunctionAssignmentNode':
        throw new GradcheckError('assignments can only stand at the start of a line');
      default:
        throw new GradcheckError(`${describe(node.type)} are not supported in gradcheck blocks`);
    }
  }

  private symbol(name: string, env: Env): Mat {
    if (name === 'end' && env.end !== undefined) return Mat.scalar(env.end);
    const value = env.locals?.get(name) ?? this.globals.get(name);
    if (value) return value;
    const c = CONSTANTS.get(name);
    if (c !== undefined) return Mat.scalar(c);
    if (DISABLED.has(name)) throw disabled(name);
    if (this.functions.has(name) || BUILTINS.has(name)) throw new GradcheckError(`${name} is a function: call it as ${name}(...)`);
    throw new GradcheckError(`unknown symbol "${name}"`);
  }

  private operator(node: Node, env: Env): Mat {
    const args = node.args!.map((a) => this.eval(a, env));
    const [a, b] = args;
    switch (node.fn) {
      case 'add':
        return this.broadcast(a, b, '+', (x, y) => x + y);
      case 'subtract':
        return this.broadcast(a, b, '-', (x, y) => x - y);
      case 'dotMultiply':
        return this.broadcast(a, b, '.*', (x, y) => x * y);
      case 'dotDivide':
        return this.broadcast(a, b, './', (x, y) => x / y);
      case 'dotPow':
        return this.broadcast(a, b, '.^', (x, y) => x ** y);
      case 'multiply':
        return this.multiply(a, b, node);
      case 'divide':
        if (b.isScalar()) return a.map((x) => x / b.data[0]);
        throw new GradcheckError(`"/" divides by a scalar only, not by a ${shapeText(b.shape)} matrix: use ./ for element-wise division`, undefined, 'shape');
      case 'pow':
        return this.power(a, b);
      case 'unaryMinus':
        return a.map((x) => -x);
      case 'unaryPlus':
        return a;
      case 'ctranspose':
        return a.transpose();
      case 'equal':
        return this.broadcast(a, b, '==', (x, y) => Number(x === y));
      case 'unequal':
        return this.broadcast(a, b, '!=', (x, y) => Number(x !== y));
      case 'smaller':
        return this.broadcast(a, b, '<', (x, y) => Number(x < y));
      case 'larger':
        return this.broadcast(a, b, '>', (x, y) => Number(x > y));
      case 'smallerEq':
        return this.broadcast(a, b, '<=', (x, y) => Number(x <= y));
      case 'largerEq':
        return this.broadcast(a, b, '>=', (x, y) => Number(x >= y));
      default:
        throw new GradcheckError(`the operator "${node.op}" is not supported`);
    }
  }

  private broadcast(a: Mat, b: Mat, op: string, f: (x: number, y: number) => number): Mat {
    const shape = broadcastShape(a, b);
    if (!shape) {
      throw new GradcheckError(`shape mismatch in "${op}": ${shapeText(a.shape)} and ${shapeText(b.shape)} do not broadcast`, undefined, 'shape');
    }
    this.checkSize(shape[0], shape[1]);
    return elementwise(a, b, shape, f);
  }

  private multiply(a: Mat, b: Mat, node: Node): Mat {
    if (a.isScalar()) return b.map((y) => a.data[0] * y);
    if (b.isScalar()) return a.map((x) => x * b.data[0]);
    if (a.cols !== b.rows) throw productMismatch(a, b, node);
    this.checkSize(a.rows, b.cols);
    return matmul(a, b, () => this.checkTime());
  }

  private power(a: Mat, b: Mat): Mat {
    if (a.isScalar() && b.isScalar()) return Mat.scalar(a.data[0] ** b.data[0]);
    const k = b.data[0];
    if (b.isScalar() && a.rows === a.cols && Number.isInteger(k) && k >= 1 && k <= 64) {
      let out = a;
      for (let i = 1; i < k; i++) out = matmul(out, a, () => this.checkTime());
      return out;
    }
    throw new GradcheckError(`"^" is the matrix power (square matrix, integer exponent): use .^ for element-wise powers of a ${shapeText(a.shape)} value`, undefined, 'shape');
  }

  private functionCall(node: Node, env: Env): Mat {
    const fn = node.fn as Node;
    if (fn.type !== 'SymbolNode') throw new GradcheckError('only named functions can be called (property access is not supported)');
    const name = fn.name!;
    const variable = env.locals?.get(name) ?? this.globals.get(name);
    if (variable) return this.index(variable, node.args!, env);
    const user = this.functions.get(name);
    const builtin = BUILTINS.get(name);
    if (!user && !builtin) {
      if (DISABLED.has(name)) throw disabled(name);
      throw new GradcheckError(`unknown function "${name}"`);
    }
    const args = node.args!.map((a) => this.eval(a, env));
    if (user) return this.callUser(user, args);
    if (args.length < builtin!.min || args.length > builtin!.max) {
      const range = builtin!.min === builtin!.max ? `${builtin!.min}` : `${builtin!.min} to ${builtin!.max}`;
      throw new GradcheckError(`${name} takes ${range} argument${builtin!.max === 1 ? '' : 's'}, got ${args.length}`);
    }
    return builtin!.call(args, this.builtinContext);
  }

  private callUser(f: UserFunction, args: Mat[]): Mat {
    if (args.length !== f.params.length) {
      throw new GradcheckError(`${f.name} takes ${f.params.length} argument${f.params.length === 1 ? '' : 's'}, got ${args.length}`);
    }
    if (this.active.includes(f.name)) throw new GradcheckError(`recursion is not allowed: ${f.name} calls itself`);
    if (this.active.length >= MAX_CALL_DEPTH) throw new GradcheckError('functions are nested too deeply', undefined, 'limit');
    const locals = new Map(f.params.map((p, i) => [p, args[i]]));
    const randomAllowed = this.builtinContext.randomAllowed;
    this.active.push(f.name);
    this.builtinContext.randomAllowed = false;
    try {
      return this.eval(f.expr, { locals });
    } finally {
      this.active.pop();
      this.builtinContext.randomAllowed = randomAllowed;
    }
  }

  private accessor(node: Node, env: Env): Mat {
    const index = node.index as Node;
    if (index.dotNotation) throw new GradcheckError(`property access (.${node.name}) is not supported`);
    return this.index(this.eval(node.object!, env), index.dimensions!, env);
  }

  /** 1-based indexing: v[i], M[i, j], ranges and `end`, M[k] counting down columns. */
  private index(m: Mat, dims: Node[], env: Env): Mat {
    if (dims.length === 1) {
      const idx = this.indices(dims[0], m.size, env);
      if (idx.length === 1) return Mat.scalar(m.data[idx[0]]);
      const values = Float64Array.from(idx, (k) => m.data[k]);
      return m.rows === 1 ? new Mat(1, values.length, values) : new Mat(values.length, 1, values);
    }
    if (dims.length !== 2) throw new GradcheckError(`a matrix takes 1 or 2 indices, got ${dims.length}`);
    const rows = this.indices(dims[0], m.rows, env);
    const cols = this.indices(dims[1], m.cols, env);
    const out = Mat.zeros(rows.length, cols.length);
    cols.forEach((j, b) => rows.forEach((i, a) => (out.data[a + b * rows.length] = m.data[i + j * m.rows])));
    return out;
  }

  /** Evaluates one index dimension to 0-based positions, checking they are in 1..extent. */
  private indices(node: Node, extent: number, env: Env): number[] {
    const value = this.eval(node, { locals: env.locals, end: extent });
    return Array.from(value.data, (k) => {
      if (!Number.isInteger(k) || k < 1 || k > extent) {
        throw new GradcheckError(`index ${k} is out of range: valid indices are 1..${extent}`);
      }
      return k - 1;
    });
  }

  private array(node: Node, env: Env): Mat {
    const items = node.items!;
    const rowNodes = items.length > 0 && items.every((i) => this.parsed.matrixRows.has(i)) ? items.map((r) => r.items!) : [items];
    for (const row of rowNodes) {
      const implicit = row.find((n) => n.type === 'OperatorNode' && n.implicit);
      if (implicit) throw new GradcheckError('separate matrix elements with commas: [a, b; c, d] (implicit multiplication inside [...] is ambiguous)');
    }
    const blocks = rowNodes.map((row) => row.map((n) => this.eval(n, env)));
    const rows = blocks.reduce((s, row) => s + (row[0]?.rows ?? 0), 0);
    const cols = blocks[0].reduce((s, m) => s + m.cols, 0);
    this.checkSize(rows, cols);
    const out = concatBlocks(blocks);
    if (typeof out === 'string') throw new GradcheckError(out, undefined, 'shape');
    return out;
  }

  private range(node: Node, env: Env): Mat {
    const scalar = (n: Node, what: string): number => {
      const v = this.eval(n, env);
      if (!v.isScalar()) throw new GradcheckError(`the ${what} of a range must be a scalar`);
      return v.data[0];
    };
    const start = scalar(node.start!, 'start');
    const step = node.step ? scalar(node.step, 'step') : 1;
    const end = scalar(node.end!, 'end');
    if (step === 0 || !Number.isFinite(start + step + end)) throw new GradcheckError('a range needs finite bounds and a non-zero step');
    const count = Math.max(0, Math.floor((end - start) / step + 1e-10) + 1);
    this.checkSize(1, count);
    return new Mat(1, count, Float64Array.from({ length: count }, (_, k) => start + k * step));
  }
}

function constant(value: unknown): Mat {
  if (typeof value === 'number') return Mat.scalar(value);
  if (typeof value === 'boolean') return Mat.scalar(Number(value));
  if (typeof value === 'string') throw new GradcheckError('strings are not supported in gradcheck blocks');
  throw new GradcheckError(`the constant ${String(value)} is not supported`);
}

function disabled(name: string): GradcheckError {
  return new GradcheckError(`${name} is disabled: gradcheck expressions are sandboxed (no import, createUnit, evaluate, parse, simplify, ...)`);
}

function describe(type: string): string {
  const names: Record<string, string> = {
    ConditionalNode: 'conditional expressions (a ? b : c)',
    ObjectNode: 'objects ({...})',
    RelationalNode: 'chained comparisons',
    BlockNode: 'several statements inside one expression',
    IndexNode: 'bare indices',
  };
  return names[type] ?? `${type.replace(/Node$/, '').toLowerCase()} expressions`;
}

/** A product whose inner dimensions differ, saying whether a transposed factor would fit. */
function productMismatch(a: Mat, b: Mat, node: Node): GradcheckError {
  const [left, right] = node.args!.map((n) => n.toString());
  let hint = '';
  if (a.rows === b.rows) hint = `; the transpose of the left factor would match (${wrap(left)}' * ${wrap(right)})`;
  else if (a.cols === b.cols) hint = `; the transpose of the right factor would match (${wrap(left)} * ${wrap(right)}')`;
  else if (a.rows === b.cols) hint = `; the transpose would match as (${wrap(right)} * ${wrap(left)})'`;
  return new GradcheckError(
    `shape mismatch in a product: ${wrap(left)} is ${shapeText(a.shape)} and ${wrap(right)} is ${shapeText(b.shape)} (inner dimensions ${a.cols} and ${b.rows} differ)${hint}`,
    undefined,
    'shape',
  );
}

/** Parenthesizes an operand for display unless it is a name, a call or already enclosed. */
function wrap(text: string): string {
  const call = /^[\w.]*\((.*)\)$/.exec(text);
  if (/^[\w.]+$/.test(text) || (call && balanced(call[1]))) return text;
  return `(${text})`;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
