/**
 * Built-in functions and constants of the gradcheck language. Everything works on 2-D matrices:
 * element-wise functions apply to every entry (unlike mathjs 15, whose exp and log refuse matrices),
 * reductions follow Octave (a vector reduces to a scalar, a matrix column by column, `sum(M, dim)`
 * keeps the reduced dimension as size 1), and softmax/logsumexp treat each column as one score vector.
 */
import type { Rng } from '../random';
import { GradcheckError } from './errors';
import { Mat, shapeText } from './matrix';

export interface BuiltinContext {
  rng: Rng;
  /** False inside function bodies: a loss must be deterministic. */
  randomAllowed: boolean;
  /** Throws when a result of this shape would exceed the size limit. */
  checkSize(rows: number, cols: number): void;
}

export interface Builtin {
  min: number;
  max: number;
  call(args: Mat[], ctx: BuiltinContext): Mat;
}

/** mathjs functions the security guidance says to disable; named here so the refusal is explicit. */
export const DISABLED = new Set([
  'import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'simplifyConstant', 'simplifyCore',
  'derivative', 'resolve', 'rationalize', 'typed', 'reviver', 'replacer', 'config', 'chain', 'help', 'parser',
]);

export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
  ['Inf', Infinity],
  ['eps', Number.EPSILON],
]);

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

const ELEMENTWISE: Record<string, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  sigmoid,
  softplus,
  logsigmoid: (z) => -softplus(-z),
  relu: (x) => Math.max(x, 0),
  tanh: Math.tanh,
  sin: Math.sin,
  cos: Math.cos,
  square: (x) => x * x,
};

/** A scalar argument that must be a positive integer (a size, a class, a dimension). */
function integer(m: Mat, what: string, min = 1): number {
  if (!m.isScalar() || !Number.isInteger(m.data[0]) || m.data[0] < min) {
    throw new GradcheckError(`${what} must be an integer ≥ ${min}, got ${m.isScalar() ? m.data[0] : shapeText(m.shape)}`);
  }
  return m.data[0];
}

/** Sizes from (n) meaning n×n, or (m, n). */
function dims(args: Mat[], ctx: BuiltinContext, name: string): [number, number] {
  const rows = integer(args[0], `${name}: the number of rows`, 0);
  const cols = args.length > 1 ? integer(args[1], `${name}: the number of columns`, 0) : rows;
  // Checked before anything is allocated or looped over: ones(0, 1e15) is refused at once.
  if (rows > MAX_DIMENSION || cols > MAX_DIMENSION) {
    throw new GradcheckError(`${name}: out of memory or dimension too large (${rows}×${cols}; a dimension is at most ${MAX_DIMENSION})`, undefined, 'limit');
  }
  ctx.checkSize(rows, cols);
  return [rows, cols];
}

/** Largest dimension of a value (Octave's index type). */
const MAX_DIMENSION = 2 ** 31 - 1;

function filled(rows: number, cols: number, f: (i: number, j: number) => number): Mat {
  const m = Mat.zeros(rows, cols);
  if (m.size === 0) return m;
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) m.data[i + j * rows] = f(i, j);
  return m;
}

/**
 * Reduces along a dimension: `dim` 1 (down columns) gives a row, 2 gives a column. Without `dim`,
 * a vector reduces to a scalar and a matrix along its columns.
 */
function reduce(args: Mat[], init: number, f: (acc: number, x: number) => number, finish: (acc: number, n: number) => number = (a) => a): Mat {
  const m = args[0];
  let dim = args.length > 1 ? integer(args[1], 'the dimension') : m.rows === 1 ? 2 : 1;
  if (dim > 2) dim = 3;
  if (dim === 3) return m.map((x) => finish(f(init, x), 1));
  const [outer, inner] = dim === 1 ? [m.cols, m.rows] : [m.rows, m.cols];
  const out = dim === 1 ? Mat.zeros(1, m.cols) : Mat.zeros(m.rows, 1);
  for (let o = 0; o < outer; o++) {
    let acc = init;
    for (let k = 0; k < inner; k++) acc = f(acc, dim === 1 ? m.get(k, o) : m.get(o, k));
    out.data[o] = finish(acc, inner);
  }
  return out;
}

/** Applies a vector -> vector map to a vector (keeping orientation) or to each column of a matrix. */
function perColumn(m: Mat, f: (v: Float64Array) => Float64Array): Mat {
  if (m.isVector()) return new Mat(m.rows, m.cols, f(m.data));
  const out = Mat.zeros(m.rows, m.cols);
  for (let j = 0; j < m.cols; j++) out.data.set(f(m.data.subarray(j * m.rows, (j + 1) * m.rows)), j * m.rows);
  return out;
}

function logsumexpOf(v: ArrayLike<number>): number {
  let max = -Infinity;
  for (let k = 0; k < v.length; k++) max = Math.max(max, v[k]);
  if (!Number.isFinite(max)) return max;
  let s = 0;
  for (let k = 0; k < v.length; k++) s += Math.exp(v[k] - max);
  return max + Math.log(s);
}

function softmaxOf(v: Float64Array): Float64Array {
  const lse = logsumexpOf(v);
  return v.map((x) => Math.exp(x - lse));
}

function sameSize(a: Mat, b: Mat, name: string): void {
  if (a.size !== b.size) throw new GradcheckError(`${name}: ${shapeText(a.shape)} and ${shapeText(b.shape)} have different sizes`, undefined, 'shape');
}

function random(name: string, draw: (rng: Rng) => number): Builtin {
  return {
    min: 1,
    max: 2,
    call(args, ctx) {
      if (!ctx.randomAllowed) {
        throw new GradcheckError(`${name} is only allowed in data assignments: a loss or gradient must be deterministic`);
      }
      const [rows, cols] = dims(args, ctx, name);
      return filled(rows, cols, () => draw(ctx.rng));
    },
  };
}

const table: Record<string, Builtin> = {
  sum: { min: 1, max: 2, call: (a) => reduce(a, 0, (s, x) => s + x) },
  mean: { min: 1, max: 2, call: (a) => reduce(a, 0, (s, x) => s + x, (s, n) => s / n) },
  prod: { min: 1, max: 2, call: (a) => reduce(a, 1, (s, x) => s * x) },
  max: { min: 1, max: 2, call: (a) => (a.length === 2 ? pairwise(a, Math.max) : reduce(a.slice(0, 1), -Infinity, Math.max)) },
  min: { min: 1, max: 2, call: (a) => (a.length === 2 ? pairwise(a, Math.min) : reduce(a.slice(0, 1), Infinity, Math.min)) },
  softmax: { min: 1, max: 1, call: ([m]) => perColumn(m, softmaxOf) },
  logsumexp: {
    min: 1,
    max: 1,
    call: ([m]) => (m.isVector() ? Mat.scalar(logsumexpOf(m.data)) : filled(1, m.cols, (_, j) => logsumexpOf(m.data.subarray(j * m.rows, (j + 1) * m.rows)))),
  },
  onehot: {
    min: 2,
    max: 2,
    call([c, k], ctx) {
      const classes = integer(k, 'onehot: the number of classes K');
      ctx.checkSize(classes, c.size);
      return filled(classes, c.size, (i, j) => {
        const label = c.data[j];
        if (!Number.isInteger(label) || label < 1 || label > classes) {
          throw new GradcheckError(`onehot: class ${label} is not an integer in 1..${classes}`);
        }
        return i + 1 === label ? 1 : 0;
      });
    },
  },
  diag: {
    min: 1,
    max: 1,
    call([m], ctx) {
      if (m.isVector()) {
        ctx.checkSize(m.size, m.size);
        return filled(m.size, m.size, (i, j) => (i === j ? m.data[i] : 0));
      }
      return filled(Math.min(m.rows, m.cols), 1, (i) => m.get(i, i));
    },
  },
  ones: { min: 1, max: 2, call: (a, ctx) => filled(...dims(a, ctx, 'ones'), () => 1) },
  zeros: { min: 1, max: 2, call: (a, ctx) => filled(...dims(a, ctx, 'zeros'), () => 0) },
  eye: { min: 1, max: 2, call: (a, ctx) => filled(...dims(a, ctx, 'eye'), (i, j) => (i === j ? 1 : 0)) },
  randn: random('randn', (rng) => rng.normal()),
  rand: random('rand', (rng) => rng.next()),
  norm: {
    min: 1,
    max: 2,
    call([m, p]) {
      const order = p ? p.data[0] : 2;
      if (order === Infinity) return Mat.scalar(m.data.reduce((s, x) => Math.max(s, Math.abs(x)), 0));
      if (order === 1) return Mat.scalar(m.data.reduce((s, x) => s + Math.abs(x), 0));
      if (order === 2) {
        // A scaled sum of squares in a loop: no overflow, and no million arguments spread onto the stack.
        let scale = 0;
        for (let k = 0; k < m.size; k++) scale = Math.max(scale, Math.abs(m.data[k]));
        if (scale === 0 || !Number.isFinite(scale)) return Mat.scalar(scale);
        let sum = 0;
        for (let k = 0; k < m.size; k++) sum += (m.data[k] / scale) ** 2;
        return Mat.scalar(scale * Math.sqrt(sum));
      }
      throw new GradcheckError('norm: the order must be 1, 2 or Inf (2 is the Frobenius norm for a matrix)');
    },
  },
  trace: {
    min: 1,
    max: 1,
    call([m]) {
      if (m.rows !== m.cols) throw new GradcheckError(`trace needs a square matrix, got ${shapeText(m.shape)}`, undefined, 'shape');
      let s = 0;
      for (let i = 0; i < m.rows; i++) s += m.get(i, i);
      return Mat.scalar(s);
    },
  },
  dot: {
    min: 2,
    max: 2,
    call([a, b]) {
      sameSize(a, b, 'dot');
      let s = 0;
      for (let k = 0; k < a.size; k++) s += a.data[k] * b.data[k];
      return Mat.scalar(s);
    },
  },
  transpose: { min: 1, max: 1, call: ([m]) => m.transpose() },
  numel: { min: 1, max: 1, call: ([m]) => Mat.scalar(m.size) },
  length: { min: 1, max: 1, call: ([m]) => Mat.scalar(m.size === 0 ? 0 : Math.max(m.rows, m.cols)) },
  rows: { min: 1, max: 1, call: ([m]) => Mat.scalar(m.rows) },
  columns: { min: 1, max: 1, call: ([m]) => Mat.scalar(m.cols) },
};

function pairwise([a, b]: Mat[], f: (x: number, y: number) => number): Mat {
  if (b.isScalar()) return a.map((x) => f(x, b.data[0]));
  if (a.isScalar()) return b.map((y) => f(a.data[0], y));
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new GradcheckError(`shape mismatch: ${shapeText(a.shape)} and ${shapeText(b.shape)}`, undefined, 'shape');
  }
  return new Mat(a.rows, a.cols, a.data.map((x, k) => f(x, b.data[k])));
}

for (const [name, f] of Object.entries(ELEMENTWISE)) table[name] = { min: 1, max: 1, call: ([m]) => m.map(f) };

/** Built-ins by name; a Map, so no prototype property can be reached by a name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(Object.entries(table));
