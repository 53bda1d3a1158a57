/**
 * Octave built-in functions of the gradcheck interpreter, with Octave's signatures: several outputs
 * (`[m, n] = size(X)`, `[v, i] = max(...)`), dimension arguments (`max(A, [], 2)`, `sum(A, 2)`),
 * string options (`norm(A, 'fro')`) and `size` vectors (`zeros(size(x))`). Element-wise functions
 * and the course helpers (sigmoid, softmax, logsumexp, onehot) come from the shared table of
 * ../builtins.ts. Every allocation is checked first (`ctx.alloc`), so `ones(0, 1e15)` fails at once.
 */
import type { Rng } from '../../random';
import { BUILTINS } from '../builtins';
import { GradcheckError } from '../errors';
import { Mat, broadcastShape, elementwise, matmul, shapeText } from '../matrix';
import { MAX_DIMENSION, Str, isHandle, logicalMat, toMat, type Handle, type Value } from './values';

export interface OctaveContext {
  rng: Rng;
  randomAllowed: boolean;
  /** Throws unless a rows×cols value may be allocated. */
  alloc(rows: number, cols: number, what: string): void;
  /** Calls a function handle (for bsxfun, arrayfun). */
  callHandle(h: Handle, args: Value[], nargout: number): Value[];
  /** Interrupt point for long loops. */
  tick(): void;
}

export type OctaveBuiltin = (args: Value[], nargout: number, ctx: OctaveContext) => Value[];

/** Functions whose calls are accepted and do nothing (output to the console). */
export const IGNORED = new Set(['fprintf', 'printf', 'disp', 'display', 'fflush', 'warning', 'more', 'format', 'clc', 'close', 'figure', 'hold', 'plot', 'xlabel', 'ylabel', 'title', 'legend', 'pause', 'drawnow', 'tic']);

function num(v: Value | undefined, what: string): Mat {
  if (v === undefined) throw new GradcheckError(`${what} is missing`);
  return toMat(v, what);
}

function scalarOf(v: Value, what: string): number {
  const m = num(v, what);
  if (m.size !== 1) throw new GradcheckError(`${what} must be a scalar, got ${shapeText(m.shape)}`);
  return m.data[0];
}

/** Dimensions from (n), (m, n), (size vector), (m, n, 'like'...) as Octave: negative counts as 0. */
function dimsOf(args: Value[], name: string, ctx: OctaveContext): [number, number] {
  const numeric = args.filter((a) => !(a instanceof Str));
  let dims: number[];
  if (numeric.length === 0) dims = [1, 1];
  else if (numeric.length === 1) {
    const m = num(numeric[0], name);
    if (m.size === 1) dims = [m.data[0], m.data[0]];
    else dims = Array.from(m.data);
  } else dims = numeric.map((a) => scalarOf(a, `${name}: a dimension`));
  for (const d of dims) {
    if (Number.isNaN(d)) throw new GradcheckError(`${name}: NaN is not a valid dimension`);
    if (d > MAX_DIMENSION) {
      throw new GradcheckError(`${name}: out of memory or dimension too large for Octave's index type (a dimension of ${d})`, undefined, 'limit');
    }
  }
  if (dims.length > 2 && dims.slice(2).some((d) => d !== 1)) throw new GradcheckError(`${name}: arrays with more than 2 dimensions are not supported in gradcheck blocks`);
  const rows = Math.max(0, Math.floor(dims[0]));
  const cols = Math.max(0, Math.floor(dims[1]));
  ctx.alloc(rows, cols, name);
  return [rows, cols];
}

function filled(rows: number, cols: number, f: (i: number, j: number) => number): Mat {
  const m = Mat.zeros(rows, cols);
  if (m.size === 0) return m;
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) m.data[i + j * rows] = f(i, j);
  return m;
}

/** The default dimension of a reduction: the first non-singleton one. */
function defaultDim(m: Mat): number {
  return m.rows !== 1 ? 1 : 2;
}

function dimArg(v: Value | undefined, m: Mat, name: string): number | 'all' {
  if (v === undefined) return defaultDim(m);
  if (v instanceof Str) {
    if (v.text === 'all') return 'all';
    throw new GradcheckError(`${name}: unknown option '${v.text}'`);
  }
  const d = scalarOf(v, `${name}: the dimension`);
  if (!Number.isInteger(d) || d < 1) throw new GradcheckError(`${name}: DIM must be a valid dimension`);
  return d;
}

/** Reduces along a dimension (1: down the columns -> a row; 2: along rows -> a column; >2: identity). */
function reduceDim(m: Mat, dim: number | 'all', init: number, f: (acc: number, x: number) => number, finish: (acc: number, n: number) => number = (a) => a): Mat {
  if (dim === 'all') m = new Mat(m.size, 1, m.data);
  const d = dim === 'all' ? 1 : dim;
  if (d > 2) return m.map((x) => finish(f(init, x), 1));
  // Octave: sum(zeros(0, 3)) is 1×3 zeros; sum([]) is 0 (a 0×0 reduces along dim 1 to 1×0... but sum([]) = 0).
  if (m.rows === 0 && m.cols === 0 && dim !== 'all') return Mat.scalar(finish(init, 0));
  const [outer, inner] = d === 1 ? [m.cols, m.rows] : [m.rows, m.cols];
  const out = d === 1 ? Mat.zeros(1, m.cols) : Mat.zeros(m.rows, 1);
  for (let o = 0; o < outer; o++) {
    let acc = init;
    for (let k = 0; k < inner; k++) acc = f(acc, d === 1 ? m.data[k + o * m.rows] : m.data[o + k * m.rows]);
    out.data[o] = finish(acc, inner);
  }
  return out;
}

function reduction(name: string, init: number, f: (acc: number, x: number) => number, finish?: (acc: number, n: number) => number): OctaveBuiltin {
  return (args) => {
    const m = num(args[0], name);
    return [reduceDim(m, dimArg(args[1], m, name), init, f, finish)];
  };
}

/** max/min: (A), (A, [], dim), (A, B) broadcasting, with the index as a second output. */
function extremum(name: 'max' | 'min'): OctaveBuiltin {
  const better = name === 'max' ? (x: number, y: number) => x > y : (x: number, y: number) => x < y;
  return (args, nargout) => {
    const a = num(args[0], name);
    if (args.length === 3 && !(args[1] instanceof Mat && args[1].size === 0)) {
      throw new GradcheckError(`${name}: second argument is ignored (use [] to give a dimension: ${name}(A, [], dim))`);
    }
    if (args.length === 2) {
      if (nargout > 1) throw new GradcheckError(`${name}: two output arguments are not supported for two input arrays`);
      const b = num(args[1], name);
      const shape = broadcastShape(a, b);
      if (!shape) throw new GradcheckError(`${name}: nonconformant arguments (op1 is ${a.rows}x${a.cols}, op2 is ${b.rows}x${b.cols})`, undefined, 'shape');
      // NaN is ignored, as in Octave.
      return [elementwise(a, b, shape, (x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : better(y, x) ? y : x))];
    }
    let dim = dimArg(args[2], a, name);
    let m = a;
    if (dim === 'all') {
      m = new Mat(a.size, 1, a.data);
      dim = 1;
    }
    if (m.size === 0) return [Mat.zeros(0, 0), Mat.zeros(0, 0)];
    if (dim > 2) return [m, m.map(() => 1)];
    const [outer, inner] = dim === 1 ? [m.cols, m.rows] : [m.rows, m.cols];
    const values = dim === 1 ? Mat.zeros(1, m.cols) : Mat.zeros(m.rows, 1);
    const index = dim === 1 ? Mat.zeros(1, m.cols) : Mat.zeros(m.rows, 1);
    for (let o = 0; o < outer; o++) {
      let best = NaN;
      let at = 0;
      for (let k = 0; k < inner; k++) {
        const x = dim === 1 ? m.data[k + o * m.rows] : m.data[o + k * m.rows];
        if (Number.isNaN(x)) continue;
        if (Number.isNaN(best) || better(x, best)) {
          best = x;
          at = k;
        }
      }
      values.data[o] = best;
      index.data[o] = at + 1;
    }
    return [values, index];
  };
}

function elementwiseFn(name: string, f: (x: number) => number): OctaveBuiltin {
  return (args) => {
    if (args.length !== 1) throw new GradcheckError(`Invalid call to ${name}`);
    return [num(args[0], name).map(f)];
  };
}

/** `find(x)` (and `[i, j] = find(x)`, `find(x, n)`): 1-based positions of non-zeros. */
const find: OctaveBuiltin = (args, nargout) => {
  const m = num(args[0], 'find');
  const limit = args[1] ? scalarOf(args[1], 'find: N') : Infinity;
  const at: number[] = [];
  for (let k = 0; k < m.size && at.length < limit; k++) if (m.data[k] !== 0) at.push(k);
  const shape = (n: number): [number, number] => (m.rows === 1 && m.cols !== 1 ? [1, n] : [n, 1]);
  const [r, c] = shape(at.length);
  const wrap = (values: number[]): Mat => (m.size === 0 ? Mat.zeros(m.rows === 1 ? 1 : 0, m.rows === 1 ? 0 : m.cols === 1 ? 1 : 0) : new Mat(r, c, Float64Array.from(values)));
  if (nargout <= 1) return [wrap(at.map((k) => k + 1))];
  return [wrap(at.map((k) => (k % m.rows) + 1)), wrap(at.map((k) => Math.floor(k / m.rows) + 1)), wrap(at.map((k) => m.data[k]))];
};

function repmat(args: Value[], _n: number, ctx: OctaveContext): Value[] {
  const m = num(args[0], 'repmat');
  const [rr, rc] = dimsOf(args.slice(1), 'repmat', { ...ctx, alloc: () => undefined });
  ctx.alloc(m.rows * rr, m.cols * rc, 'repmat');
  return [filled(m.rows * rr, m.cols * rc, (i, j) => m.data[(i % m.rows) + (j % m.cols) * m.rows])];
}

function reshape(args: Value[]): Value[] {
  const m = num(args[0], 'reshape');
  let dims: (number | undefined)[];
  if (args.length === 2) dims = Array.from(num(args[1], 'reshape').data);
  else dims = args.slice(1).map((a) => (a instanceof Mat && a.size === 0 ? undefined : scalarOf(a, 'reshape: a dimension')));
  const known = dims.filter((d): d is number => d !== undefined).reduce((p, d) => p * d, 1);
  dims = dims.map((d) => (d === undefined ? m.size / known : d));
  while (dims.length > 2 && dims[dims.length - 1] === 1) dims.pop();
  if (dims.length !== 2) throw new GradcheckError('reshape: arrays with more than 2 dimensions are not supported in gradcheck blocks');
  const [r, c] = dims as number[];
  if (!Number.isInteger(r) || !Number.isInteger(c) || r * c !== m.size) {
    throw new GradcheckError(`reshape: can't reshape ${m.rows}x${m.cols} array to ${r}x${c} array`, undefined, 'shape');
  }
  return [new Mat(r, c, m.data)];
}

function sub2ind(args: Value[]): Value[] {
  const dims = num(args[0], 'sub2ind');
  const i = num(args[1], 'sub2ind');
  const j = args[2] ? num(args[2], 'sub2ind') : Mat.scalar(1);
  if (args[2] && i.size !== j.size && j.size !== 1 && i.size !== 1) throw new GradcheckError('sub2ind: all subscripts must be of the same size');
  const rows = dims.data[0];
  const cols = dims.size > 1 ? dims.data[1] : 1;
  const base = i.size >= j.size ? i : j;
  const out = Mat.zeros(base.rows, base.cols);
  for (let k = 0; k < out.size; k++) {
    const r = i.data[i.size === 1 ? 0 : k];
    const c = j.data[j.size === 1 ? 0 : k];
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 1 || c < 1) throw new GradcheckError('sub2ind: subscripts must be either integers 1 to (2^63)-1 or logicals');
    if (r > rows || c > cols) throw new GradcheckError('sub2ind: index out of range');
    out.data[k] = r + (c - 1) * rows;
  }
  return [out];
}

/** `sparse(i, j, v, m, n)` (accumulating repeats) and `sparse(A)`: dense matrices here. */
function sparse(args: Value[], _n: number, ctx: OctaveContext): Value[] {
  if (args.length === 1) return [num(args[0], 'sparse')];
  if (args.length === 2) {
    const [r, c] = dimsOf(args, 'sparse', ctx);
    return [Mat.zeros(r, c)];
  }
  const i = num(args[0], 'sparse');
  const j = num(args[1], 'sparse');
  const v = num(args[2], 'sparse');
  const n = Math.max(i.size, j.size, v.size);
  const pick = (m: Mat, k: number): number => m.data[m.size === 1 ? 0 : k];
  for (const m of [i, j, v]) if (m.size !== 1 && m.size !== n) throw new GradcheckError('sparse: dimension mismatch');
  let rows = 0;
  let cols = 0;
  for (let k = 0; k < n; k++) {
    rows = Math.max(rows, pick(i, k));
    cols = Math.max(cols, pick(j, k));
  }
  if (args.length >= 5) {
    const m = scalarOf(args[3], 'sparse: M');
    const nn = scalarOf(args[4], 'sparse: N');
    if (rows > m || cols > nn) throw new GradcheckError('sparse: row index out of bound');
    rows = m;
    cols = nn;
  }
  ctx.alloc(rows, cols, 'sparse');
  const out = Mat.zeros(rows, cols);
  for (let k = 0; k < n; k++) {
    const r = pick(i, k);
    const c = pick(j, k);
    if (!Number.isInteger(r) || !Number.isInteger(c) || r < 1 || c < 1) throw new GradcheckError('sparse: subscripts must be positive integers');
    out.data[r - 1 + (c - 1) * rows] += pick(v, k);
  }
  return [out];
}

function diag(args: Value[], _n: number, ctx: OctaveContext): Value[] {
  const m = num(args[0], 'diag');
  const k = args[1] ? scalarOf(args[1], 'diag: K') : 0;
  if (m.rows === 1 || m.cols === 1) {
    const n = m.size + Math.abs(k);
    ctx.alloc(n, n, 'diag');
    const out = Mat.zeros(n, n);
    for (let t = 0; t < m.size; t++) out.data[(k >= 0 ? t : t - k) + (k >= 0 ? t + k : t) * n] = m.data[t];
    return [out];
  }
  const values: number[] = [];
  for (let t = 0; ; t++) {
    const i = k >= 0 ? t : t - k;
    const j = k >= 0 ? t + k : t;
    if (i >= m.rows || j >= m.cols) break;
    values.push(m.data[i + j * m.rows]);
  }
  return [new Mat(values.length, 1, Float64Array.from(values))];
}

function kron(args: Value[], _n: number, ctx: OctaveContext): Value[] {
  const a = num(args[0], 'kron');
  const b = num(args[1], 'kron');
  ctx.alloc(a.rows * b.rows, a.cols * b.cols, 'kron');
  return [filled(a.rows * b.rows, a.cols * b.cols, (i, j) => a.data[Math.floor(i / b.rows) + Math.floor(j / b.cols) * a.rows] * b.data[(i % b.rows) + (j % b.cols) * b.rows])];
}

function cumulative(name: string, f: (acc: number, x: number) => number): OctaveBuiltin {
  return (args) => {
    const m = num(args[0], name);
    const dim = dimArg(args[1], m, name);
    const out = m.clone();
    if (dim === 'all' || dim > 2) return [out];
    for (let o = 0; o < (dim === 1 ? m.cols : m.rows); o++) {
      let acc = NaN;
      for (let k = 0; k < (dim === 1 ? m.rows : m.cols); k++) {
        const at = dim === 1 ? k + o * m.rows : o + k * m.rows;
        acc = k === 0 ? m.data[at] : f(acc, m.data[at]);
        out.data[at] = acc;
      }
    }
    return [out];
  };
}

function norm(args: Value[]): Value[] {
  const m = num(args[0], 'norm');
  const p = args[1];
  const vector = m.rows === 1 || m.cols === 1;
  const abs = (x: number): number => Math.abs(x);
  let order: number | string = 2;
  if (p instanceof Str) order = p.text;
  else if (p !== undefined) order = scalarOf(p, 'norm: P');
  const frobenius = (): number => {
    // Scaled sum of squares: no overflow, no spread of a million arguments onto the stack.
    let scale = 0;
    for (let k = 0; k < m.size; k++) scale = Math.max(scale, abs(m.data[k]));
    if (scale === 0 || !Number.isFinite(scale)) return scale;
    let s = 0;
    for (let k = 0; k < m.size; k++) s += (m.data[k] / scale) ** 2;
    return scale * Math.sqrt(s);
  };
  if (order === 'fro') return [Mat.scalar(frobenius())];
  if (order === Infinity || order === 'inf' || order === 'Inf') {
    if (vector) return [Mat.scalar(m.data.reduce((s, x) => Math.max(s, abs(x)), 0))];
    return [Mat.scalar(Math.max(0, ...Array.from(reduceDim(m, 2, 0, (s, x) => s + abs(x)).data)))];
  }
  if (order === 1) {
    if (vector) return [Mat.scalar(m.data.reduce((s, x) => s + abs(x), 0))];
    return [Mat.scalar(Math.max(0, ...Array.from(reduceDim(m, 1, 0, (s, x) => s + abs(x)).data)))];
  }
  if (order === 2 && vector) return [Mat.scalar(frobenius())];
  if (typeof order === 'number' && vector && order > 0) return [Mat.scalar(m.data.reduce((s, x) => s + abs(x) ** order, 0) ** (1 / order))];
  if (order === 2) throw new GradcheckError('norm: the 2-norm of a matrix (its largest singular value) is not supported in gradcheck blocks; use norm(A, \'fro\')');
  throw new GradcheckError(`norm: unknown norm type ${String(order)}`);
}

/** bsxfun(@op, A, B): Octave broadcasting with a handle. */
function bsxfun(args: Value[], _n: number, ctx: OctaveContext): Value[] {
  const f = args[0];
  if (!f || !isHandle(f)) throw new GradcheckError('bsxfun: F must be a string or function handle');
  const a = num(args[1], 'bsxfun');
  const b = num(args[2], 'bsxfun');
  const shape = broadcastShape(a, b);
  if (!shape) throw new GradcheckError(`bsxfun: dimensions of A and B must match (A is ${a.rows}x${a.cols}, B is ${b.rows}x${b.cols})`, undefined, 'shape');
  const op = f.name ? ELEMENTWISE_OPS[f.name] : undefined;
  if (op) {
    ctx.alloc(shape[0], shape[1], 'bsxfun');
    return [elementwise(a, b, shape, op)];
  }
  return ctx.callHandle(f, [a, b], 1);
}

/** Element-wise binary operators by their function names (plus, times, ...). */
export const ELEMENTWISE_OPS: Record<string, (x: number, y: number) => number> = {
  plus: (x, y) => x + y,
  minus: (x, y) => x - y,
  times: (x, y) => x * y,
  rdivide: (x, y) => x / y,
  ldivide: (x, y) => y / x,
  power: (x, y) => x ** y,
  max: (x, y) => Math.max(x, y),
  min: (x, y) => Math.min(x, y),
  eq: (x, y) => Number(x === y),
  ne: (x, y) => Number(x !== y),
  lt: (x, y) => Number(x < y),
  le: (x, y) => Number(x <= y),
  gt: (x, y) => Number(x > y),
  ge: (x, y) => Number(x >= y),
};

const LOGICAL_OPS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

function binaryFn(name: string): OctaveBuiltin {
  return binaryNumeric(name, ELEMENTWISE_OPS[name], LOGICAL_OPS.has(name));
}

function randomFn(name: string, draw: (rng: Rng) => number): OctaveBuiltin {
  return (args, _n, ctx) => {
    if (!ctx.randomAllowed) throw new GradcheckError(`${name} is only allowed outside functions: a loss and its gradient must be deterministic`);
    const [r, c] = dimsOf(args, name, ctx);
    return [filled(r, c, () => draw(ctx.rng))];
  };
}

function randi(args: Value[], _n: number, ctx: OctaveContext): Value[] {
  if (!ctx.randomAllowed) throw new GradcheckError('randi is only allowed outside functions: a loss and its gradient must be deterministic');
  const lim = num(args[0], 'randi');
  const [lo, hi] = lim.size >= 2 ? [lim.data[0], lim.data[1]] : [1, lim.data[0]];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new GradcheckError('randi: require IMIN <= IMAX');
  const [r, c] = dimsOf(args.slice(1), 'randi', ctx);
  return [filled(r, c, () => lo + ctx.rng.int(hi - lo + 1))];
}

function size(args: Value[], nargout: number): Value[] {
  const v = args[0];
  const m = v instanceof Str ? toMat(v, 'size') : v instanceof Mat ? v : Mat.scalar(0);
  const shape = v instanceof Mat || v instanceof Str ? [m.rows, m.cols] : [1, 1];
  if (args.length > 1) {
    const d = scalarOf(args[1], 'size: DIM');
    if (!Number.isInteger(d) || d < 1) throw new GradcheckError('size: requested dimension DIM (= ' + d + ') out of range');
    return [Mat.scalar(d <= 2 ? shape[d - 1] : 1)];
  }
  if (nargout <= 1) return [new Mat(1, 2, Float64Array.from(shape))];
  const out: Value[] = [];
  for (let k = 0; k < nargout; k++) {
    if (k === nargout - 1 && k < 2) out.push(Mat.scalar(shape.slice(k).reduce((p, x) => p * x, 1)));
    else out.push(Mat.scalar(k < 2 ? shape[k] : 1));
  }
  return out;
}

function anyAll(name: 'any' | 'all'): OctaveBuiltin {
  return (args) => {
    const m = num(args[0], name);
    if (m.size === 0 && m.rows === 0 && m.cols === 0 && args.length < 2) return [logicalMat(1, 1, Float64Array.of(name === 'all' ? 1 : 0))];
    const dim = dimArg(args[1], m, name);
    const out = reduceDim(m, dim, name === 'all' ? 1 : 0, name === 'all' ? (s, x) => (s && x !== 0 ? 1 : 0) : (s, x) => (s || x !== 0 ? 1 : 0));
    out.logical = true;
    return [out];
  };
}

function logical(args: Value[]): Value[] {
  const m = num(args[0], 'logical');
  if (m.data.some((x) => Number.isNaN(x))) throw new GradcheckError('logical: NaN can\'t be converted to logical value');
  const out = m.map((x) => Number(x !== 0));
  out.logical = true;
  return [out];
}

/** Gaussian elimination with partial pivoting: A \ B for square A. */
export function solve(a: Mat, b: Mat, tick: () => void): Mat {
  if (a.rows !== a.cols) throw new GradcheckError(`A \\ b for a ${shapeText(a.shape)} (non-square) A is not supported in gradcheck blocks`, undefined, 'shape');
  if (a.rows !== b.rows) throw new GradcheckError(`operator \\: nonconformant arguments (op1 is ${a.rows}x${a.cols}, op2 is ${b.rows}x${b.cols})`, undefined, 'shape');
  const n = a.rows;
  const m = a.clone();
  const x = b.clone();
  for (let k = 0; k < n; k++) {
    tick();
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m.data[i + k * n]) > Math.abs(m.data[p + k * n])) p = i;
    if (m.data[p + k * n] === 0) throw new GradcheckError('warning: matrix singular to machine precision (the system has no unique solution)');
    if (p !== k) {
      for (let j = 0; j < n; j++) [m.data[k + j * n], m.data[p + j * n]] = [m.data[p + j * n], m.data[k + j * n]];
      for (let j = 0; j < x.cols; j++) [x.data[k + j * n], x.data[p + j * n]] = [x.data[p + j * n], x.data[k + j * n]];
    }
    for (let i = k + 1; i < n; i++) {
      const f = m.data[i + k * n] / m.data[k + k * n];
      if (f === 0) continue;
      for (let j = k; j < n; j++) m.data[i + j * n] -= f * m.data[k + j * n];
      for (let j = 0; j < x.cols; j++) x.data[i + j * n] -= f * x.data[k + j * n];
    }
  }
  for (let j = 0; j < x.cols; j++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = x.data[i + j * n];
      for (let k = i + 1; k < n; k++) s -= m.data[i + k * n] * x.data[k + j * n];
      x.data[i + j * n] = s / m.data[i + i * n];
    }
  }
  return x;
}

function inv(args: Value[], _n: number, ctx: OctaveContext): Value[] {
  const a = num(args[0], 'inv');
  if (a.rows !== a.cols) throw new GradcheckError('inverse: argument must be a square matrix');
  return [solve(a, filled(a.rows, a.rows, (i, j) => Number(i === j)), ctx.tick)];
}

const mod = (x: number, y: number): number => (y === 0 ? x : x - Math.floor(x / y) * y);
const rem = (x: number, y: number): number => (y === 0 ? x : x - Math.trunc(x / y) * y);

const table: Record<string, OctaveBuiltin> = {
  size,
  length: (a) => {
    const m = num(a[0], 'length');
    return [Mat.scalar(m.size === 0 ? 0 : Math.max(m.rows, m.cols))];
  },
  numel: (a) => [Mat.scalar(num(a[0], 'numel').size)],
  rows: (a) => [Mat.scalar(num(a[0], 'rows').rows)],
  columns: (a) => [Mat.scalar(num(a[0], 'columns').cols)],
  ndims: () => [Mat.scalar(2)],
  isempty: (a) => [logicalMat(1, 1, Float64Array.of(Number(num(a[0], 'isempty').size === 0)))],
  isscalar: (a) => [logicalMat(1, 1, Float64Array.of(Number(num(a[0], 'isscalar').size === 1)))],
  isvector: (a) => {
    const m = num(a[0], 'isvector');
    return [logicalMat(1, 1, Float64Array.of(Number((m.rows === 1 || m.cols === 1) && m.size >= 1)))];
  },
  islogical: (a) => [logicalMat(1, 1, Float64Array.of(Number(a[0] instanceof Mat && a[0].logical)))],
  ischar: (a) => [logicalMat(1, 1, Float64Array.of(Number(a[0] instanceof Str)))],
  isnumeric: (a) => [logicalMat(1, 1, Float64Array.of(Number(a[0] instanceof Mat && !a[0].logical)))],
  double: (a) => [num(a[0], 'double').map((x) => x)],
  full: (a) => [num(a[0], 'full')],
  sparse,
  logical,
  true: (a, _n, ctx) => [logicalMat(...dimsOf(a, 'true', ctx), new Float64Array(dimsOf(a, 'true', ctx).reduce((p, x) => p * x, 1)).fill(1))],
  false: (a, _n, ctx) => [logicalMat(...dimsOf(a, 'false', ctx), new Float64Array(dimsOf(a, 'false', ctx).reduce((p, x) => p * x, 1)))],
  zeros: (a, _n, ctx) => [Mat.zeros(...dimsOf(a, 'zeros', ctx))],
  ones: (a, _n, ctx) => {
    const [r, c] = dimsOf(a, 'ones', ctx);
    return [new Mat(r, c, new Float64Array(r * c).fill(1))];
  },
  eye: (a, _n, ctx) => [filled(...dimsOf(a, 'eye', ctx), (i, j) => Number(i === j))],
  rand: randomFn('rand', (rng) => rng.next()),
  randn: randomFn('randn', (rng) => rng.normal()),
  randi,
  sum: reduction('sum', 0, (s, x) => s + x),
  prod: reduction('prod', 1, (s, x) => s * x),
  mean: (a) => {
    const m = num(a[0], 'mean');
    if (m.rows === 0 && m.cols === 0 && a.length < 2) return [Mat.scalar(NaN)];
    return [reduceDim(m, dimArg(a[1], m, 'mean'), 0, (s, x) => s + x, (s, n) => s / n)];
  },
  max: extremum('max'),
  min: extremum('min'),
  any: anyAll('any'),
  all: anyAll('all'),
  cumsum: cumulative('cumsum', (s, x) => s + x),
  cumprod: cumulative('cumprod', (s, x) => s * x),
  find,
  repmat,
  reshape,
  sub2ind,
  diag,
  kron,
  norm,
  bsxfun,
  inv,
  trace: (a) => {
    const m = num(a[0], 'trace');
    if (m.rows !== m.cols) throw new GradcheckError('trace: only valid on square matrix', undefined, 'shape');
    let s = 0;
    for (let i = 0; i < m.rows; i++) s += m.data[i + i * m.rows];
    return [Mat.scalar(s)];
  },
  transpose: (a) => [num(a[0], 'transpose').transpose()],
  mod: binaryNumeric('mod', mod),
  rem: binaryNumeric('rem', rem),
  atan2: binaryNumeric('atan2', Math.atan2),
  hypot: binaryNumeric('hypot', Math.hypot),
  round: elementwiseFn('round', (x) => Math.sign(x) * Math.round(Math.abs(x))),
  floor: elementwiseFn('floor', Math.floor),
  ceil: elementwiseFn('ceil', Math.ceil),
  fix: elementwiseFn('fix', Math.trunc),
  log2: elementwiseFn('log2', Math.log2),
  log10: elementwiseFn('log10', Math.log10),
  isnan: (a) => [logicalOf(num(a[0], 'isnan'), Number.isNaN)],
  isinf: (a) => [logicalOf(num(a[0], 'isinf'), (x) => x === Infinity || x === -Infinity)],
  isfinite: (a) => [logicalOf(num(a[0], 'isfinite'), Number.isFinite)],
  mtimes: (a, _n, ctx) => {
    const x = num(a[0], 'mtimes');
    const y = num(a[1], 'mtimes');
    if (x.size === 1) return [y.map((v) => x.data[0] * v)];
    if (y.size === 1) return [x.map((v) => v * y.data[0])];
    if (x.cols !== y.rows) throw new GradcheckError(`operator *: nonconformant arguments (op1 is ${x.rows}x${x.cols}, op2 is ${y.rows}x${y.cols})`, undefined, 'shape');
    ctx.alloc(x.rows, y.cols, 'mtimes');
    return [matmul(x, y, ctx.tick)];
  },
  pi: () => [Mat.scalar(Math.PI)],
  e: () => [Mat.scalar(Math.E)],
  Inf: (a, _n, ctx) => [filledConst(a, ctx, 'Inf', Infinity)],
  inf: (a, _n, ctx) => [filledConst(a, ctx, 'inf', Infinity)],
  NaN: (a, _n, ctx) => [filledConst(a, ctx, 'NaN', NaN)],
  nan: (a, _n, ctx) => [filledConst(a, ctx, 'nan', NaN)],
  eps: () => [Mat.scalar(Number.EPSILON)],
};

function filledConst(a: Value[], ctx: OctaveContext, name: string, x: number): Mat {
  const [r, c] = a.length === 0 ? [1, 1] : dimsOf(a, name, ctx);
  return new Mat(r, c, new Float64Array(r * c).fill(x));
}

function logicalOf(m: Mat, f: (x: number) => boolean): Mat {
  const out = m.map((x) => Number(f(x)));
  out.logical = true;
  return out;
}

/** An element-wise function of two broadcast arguments (mod, rem, plus, eq...). */
function binaryNumeric(name: string, f: (x: number, y: number) => number, logical = false): OctaveBuiltin {
  return (args, _n, ctx) => {
    const a = num(args[0], name);
    const b = num(args[1], name);
    const shape = broadcastShape(a, b);
    if (!shape) throw new GradcheckError(`${name}: nonconformant arguments (op1 is ${a.rows}x${a.cols}, op2 is ${b.rows}x${b.cols})`, undefined, 'shape');
    ctx.alloc(shape[0], shape[1], name);
    const out = elementwise(a, b, shape, f);
    out.logical = logical;
    return [out];
  };
}

for (const name of Object.keys(ELEMENTWISE_OPS)) if (!table[name]) table[name] = binaryFn(name);

/** The shared helpers (exp, log, sigmoid, softmax, logsumexp, onehot...) taking numeric arguments. */
for (const [name, b] of BUILTINS) {
  if (table[name]) continue;
  table[name] = (args, _n, ctx) => {
    if (args.length < b.min || args.length > b.max) throw new GradcheckError(`Invalid call to ${name}`);
    return [b.call(args.map((a) => num(a, name)), { rng: ctx.rng, randomAllowed: ctx.randomAllowed, checkSize: (r, c) => ctx.alloc(r, c, name) })];
  };
}

/** Octave built-ins by name (a Map: no prototype property is reachable by a name). */
export const OCTAVE_BUILTINS: ReadonlyMap<string, OctaveBuiltin> = new Map(Object.entries(table));
