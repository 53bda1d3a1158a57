import { describe, expect, it } from 'vitest';
import { Interpreter } from '../../../../src/core/gradcheck/evaluate';
import type { Mat } from '../../../../src/core/gradcheck/matrix';
import { parseBlock } from '../../../../src/core/gradcheck/notation';
import { Rng } from '../../../../src/core/random';

/** Evaluates a block's definitions and assignments and returns the value of `r`. */
function value(source: string, seed = 0): Mat {
  const parsed = parseBlock(source);
  const interp = new Interpreter(parsed, { deadline: Date.now() + 2000, timeLimitMs: 2000, maxElements: 1e6 }, new Rng(seed));
  for (const s of parsed.statements) {
    if (s.kind === 'function') interp.functions.set(s.name, { name: s.name, params: s.params, expr: s.expr });
  }
  for (const s of parsed.statements) if (s.kind === 'assign') interp.globals.set(s.name, interp.evaluate(s.value));
  return interp.globals.get('r')!;
}

const rows = (m: Mat): number[][] => Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, j) => m.get(i, j)));
const r = (expr: string, data = ''): number[][] => rows(value(`${data}\nr = ${expr}`));

describe('literals and shapes', () => {
  it('[a; b] is a column, [a, b] a row, [a, b; c, d] a matrix', () => {
    expect(r('[1; 2; 3]')).toEqual([[1], [2], [3]]);
    expect(r('[1, 2, 3]')).toEqual([[1, 2, 3]]);
    expect(r('[1, 2; 3, 4]')).toEqual([[1, 2], [3, 4]]);
  });

  it('concatenates blocks and spans lines inside brackets', () => {
    expect(r('[X, ones(2, 1)]', 'X = [1, 2;\n 3, 4]')).toEqual([[1, 2, 1], [3, 4, 1]]);
    expect(r('[v; 5]', 'v = [1; 2]')).toEqual([[1], [2], [5]]);
  });

  it("x' transposes", () => {
    expect(r("[1; 2]'")).toEqual([[1, 2]]);
    expect(r("A'", 'A = [1, 2; 3, 4]')).toEqual([[1, 3], [2, 4]]);
  });
});

describe('products and element-wise operators', () => {
  it('* is the matrix product', () => {
    expect(r('A * B', 'A = [1, 2; 3, 4]\nB = [5; 6]')).toEqual([[17], [39]]);
  });

  it("a 1×1 result acts as a scalar: (sigmoid(w'*x) - y) * x", () => {
    const out = r("(sigmoid(w'*x) - y) * x", 'w = [0; 0]\nx = [2; 4]\ny = 1');
    expect(out).toEqual([[-1], [-2]]);
  });

  it('.* ./ .^ are element-wise', () => {
    expect(r('[1; 2] .* [3; 4]')).toEqual([[3], [8]]);
    expect(r('[1; 2] ./ [4; 8]')).toEqual([[0.25], [0.25]]);
    expect(r('[1; 2] .^ 2')).toEqual([[1], [4]]);
  });

  it('broadcasts a column against a row and a row against a matrix', () => {
    expect(r('[1; 2] + [10, 20]')).toEqual([[11, 21], [12, 22]]);
    expect(r('[1, 2; 3, 4] - [1, 1]')).toEqual([[0, 1], [2, 3]]);
  });

  it('^ of a square matrix is the matrix power, of scalars the power', () => {
    expect(r('A^2', 'A = [1, 1; 0, 1]')).toEqual([[1, 2], [0, 1]]);
    expect(r('2^-1')).toEqual([[0.5]]);
  });
});

describe('element-wise functions', () => {
  it('exp and log apply element-wise to matrices (mathjs 15 does not)', () => {
    const e = r('exp([0, 1; 2, 3])');
    expect(e[1][1]).toBeCloseTo(Math.exp(3), 12);
    expect(r('log([1; e])')).toEqual([[0], [1]]);
  });

  it('sigmoid is stable for large arguments', () => {
    const s = r('sigmoid([-800; 0; 800])');
    expect(s).toEqual([[0], [0.5], [1]]);
  });

  it('abs, sign, sqrt, log1p element-wise', () => {
    expect(r('abs([-2; 3])')).toEqual([[2], [3]]);
    expect(r('sign([-2; 0; 3])')).toEqual([[-1], [0], [1]]);
    expect(r('sqrt([4, 9])')).toEqual([[2, 3]]);
    expect(r('log1p([0])')).toEqual([[0]]);
  });
});

describe('reductions and built-ins', () => {
  const M = 'M = [1, 2; 3, 4]';
  it('sum(M, dim) keeps the reduced dimension; sum of a vector is a scalar', () => {
    expect(r('sum(M, 1)', M)).toEqual([[4, 6]]);
    expect(r('sum(M, 2)', M)).toEqual([[3], [7]]);
    expect(r('sum(M)', M)).toEqual([[4, 6]]);
    expect(r('sum([1; 2; 3])')).toEqual([[6]]);
    expect(r('mean([1; 2; 3; 6])')).toEqual([[3]]);
  });

  it('softmax of a column, logsumexp, onehot', () => {
    const s = r('softmax([0; log(3)])');
    expect(s[0][0]).toBeCloseTo(0.25, 15);
    expect(s[1][0]).toBeCloseTo(0.75, 15);
    expect(r('logsumexp([1000; 1000])')[0][0]).toBeCloseTo(1000 + Math.log(2), 10);
    expect(r('onehot(2, 3)')).toEqual([[0], [1], [0]]);
  });

  it('diag, ones, zeros, eye, trace, norm', () => {
    expect(r('diag([1; 2])')).toEqual([[1, 0], [0, 2]]);
    expect(r('diag([1, 2; 3, 4])')).toEqual([[1], [4]]);
    expect(r('ones(2, 1)')).toEqual([[1], [1]]);
    expect(r('zeros(1, 2)')).toEqual([[0, 0]]);
    expect(r('eye(2)')).toEqual([[1, 0], [0, 1]]);
    expect(r('trace([1, 2; 3, 4])')).toEqual([[5]]);
    expect(r('norm([3; 4])')).toEqual([[5]]);
    expect(r('norm([3; -4], 1)')).toEqual([[7]]);
  });

  it('randn and rand are seeded: same seed, same values', () => {
    const a = value('r = randn(3, 2)', 7);
    const b = value('r = randn(3, 2)', 7);
    const c = value('r = randn(3, 2)', 8);
    expect(a.shape).toEqual([3, 2]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
    expect(Array.from(value('r = rand(1, 5)').data).every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('indexing', () => {
  const V = 'v = [10; 20; 30]\nM = [1, 2, 3; 4, 5, 6]';
  it('v[i] is 1-based; end and ranges work', () => {
    expect(r('v[1]', V)).toEqual([[10]]);
    expect(r('v[end]', V)).toEqual([[30]]);
    expect(r('v[2:3]', V)).toEqual([[20], [30]]);
  });

  it('M[i, j], whole rows and columns, and indexing a call result', () => {
    expect(r('M[2, 3]', V)).toEqual([[6]]);
    expect(r('M[2, :]', V)).toEqual([[4, 5, 6]]);
    expect(r('M[:, 1]', V)).toEqual([[1], [4]]);
    expect(r('softmax([0; 0])[2]')).toEqual([[0.5]]);
  });

  it('Octave-style v(i) indexes a variable', () => {
    expect(r('v(2)', V)).toEqual([[20]]);
  });
});

describe('user functions', () => {
  it('helper functions see their parameters and the data', () => {
    expect(r('f(2)', 'a = 3\nf(t) = a * t + 1')).toEqual([[7]]);
  });

  it('a user function may shadow a built-in', () => {
    expect(r('sigmoid(1)', 'sigmoid(z) = 2 * z')).toEqual([[2]]);
  });

  it('comments are ignored', () => {
    expect(r('x # the answer', '# data\nx = 42 # why not')).toEqual([[42]]);
  });
});
