import { describe, expect, it } from 'vitest';
import { checkBlock, type BlockReport } from '../../../../src/core/gradcheck';

/** Blocks start at document line 10, so positions must be offset correctly. */
const check = (source: string): BlockReport => checkBlock({ line: 10, source, language: 'markdown' });
const DATA = 'X = [0.5, -1.2; 1.0, 0.3; -0.7, 2.1]\ny = [1; 0; 1]\nw = [0.1; -0.2]';

describe('parse errors name the line and column', () => {
  it('a missing operand', () => {
    const r = check('a = 1\nb = (2 +\n)');
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ line: 12, column: 1 });
    expect(r.error!.message).toMatch(/^syntax error/);
  });

  it('Octave-style space-separated matrices get a hint', () => {
    const r = check('x = 1\nA = [1 2 3]');
    expect(r.error).toMatchObject({ line: 11, column: 8 });
    expect(r.error!.message).toContain('separate matrix elements with commas');
  });

  it('an unclosed bracket points at the bracket', () => {
    const r = check('x = 1\n  v = [1; 2');
    expect(r.error).toMatchObject({ line: 11, column: 7, message: 'unclosed "["' });
  });

  it('a line that is not an assignment, definition or check', () => {
    const r = check('x = 1\nx + 1');
    expect(r.error).toMatchObject({ line: 11, column: 1 });
    expect(r.error!.message).toMatch(/must be an assignment/);
  });

  it('a malformed check line', () => {
    expect(check('a = 1\ncheck a + 1').error).toMatchObject({ line: 11, message: 'a check line must have the form "check A == B"' });
  });
});

describe('evaluation errors name the line and column', () => {
  it('an unknown symbol', () => {
    const r = check(`${DATA}\nloss(w) = sum(X*v)\ngrad(w) = w`);
    expect(r.error).toEqual({ line: 13, column: 17, message: 'unknown symbol "v"' });
  });

  it('a shape mismatch in a product gives both shapes and points at the *', () => {
    const r = check(`${DATA}\nz = X * y`);
    expect(r.error).toMatchObject({ line: 13, column: 7 });
    expect(r.error!.message).toContain('X is 3×2 and y is 3×1');
    expect(r.error!.message).toContain("the transpose of the left factor would match (X' * y)");
  });

  it('a loss that is not scalar', () => {
    const r = check(`${DATA}\nloss(w) = X*w\ngrad(w) = X'*w`);
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ line: 13, message: 'loss must be a scalar, but loss(w) is 3×1' });
  });

  it('a value that is not finite at the check point names the sub-expression', () => {
    const r = check(`${DATA}\nw = [100; -100]\nloss(w) = -sum(y .* log(sigmoid(X*w)) + (1 - y) .* log(1 - sigmoid(X*w)))\ngrad(w) = X'*(sigmoid(X*w) - y)`);
    expect(r.verdict).toBe('error');
    expect(r.error!.line).toBe(14);
    expect(r.error!.message).toContain('not finite at the check point');
    expect(r.error!.message).toContain('log(1 - sigmoid(X * w))');
  });

  it('non-finite data', () => {
    const r = check('a = [1; 0]\nb = log(a)');
    expect(r.error).toMatchObject({ line: 11, column: 5 });
    expect(r.error!.message).toMatch(/^b is not finite/);
  });

  it('a parameter without a value', () => {
    expect(check('loss(w) = w^2\ngrad(w) = 2*w').error!.message).toBe('the parameter w of loss has no value: assign w = ... to set the check point');
  });

  it('grad for several parameters must be named', () => {
    const r = check('a = 1\nb = 2\nloss(a, b) = a*b\ngrad(a, b) = b');
    expect(r.error).toMatchObject({ line: 13 });
    expect(r.error!.message).toContain('grad_a(a, b)');
  });

  it('grad_<name> must name a parameter', () => {
    expect(check('a = 1\nloss(a) = a^2\ngrad_q(a) = 2*a').error!.message).toBe('grad_q names no parameter of loss(a)');
  });

  it('nothing to check', () => {
    expect(check('a = 1').error!.message).toMatch(/^nothing to check/);
  });

  it('index out of range', () => {
    expect(check('v = [1; 2]\nq = v[3]').error).toMatchObject({ line: 11, message: 'index 3 is out of range: valid indices are 1..2' });
  });

  it('randn inside a loss is refused (the loss must be deterministic)', () => {
    const r = check('w = 1\nloss(w) = w * randn(1, 1)\ngrad(w) = 1');
    expect(r.error!.message).toMatch(/randn is only allowed in data assignments/);
  });

  it('"/" by a matrix suggests ./', () => {
    expect(check('a = [1; 2] / [1; 2]').error!.message).toContain('use ./ for element-wise division');
  });
});

describe('options', () => {
  it('the tolerance decides the verdict', () => {
    const src = 'w = [0.5; -1.5]\nloss(w) = sum(abs(w).^3)\ngrad(w) = 3 * w .* abs(w) * (1 + 1e-5)';
    expect(check(src).params[0].verdict).toBe('fail');
    expect(checkBlock({ line: 1, source: src, language: 'plain' }, { tolerance: 1e-4 }).params[0].verdict).toBe('pass');
  });

  it('five-point differences are more accurate on a smooth function', () => {
    const src = 'w = [0.7; -1.3]\nloss(w) = sum(exp(3 * w))\ngrad(w) = 3 * exp(3 * w)';
    const five = checkBlock({ line: 1, source: src, language: 'plain' }, { fivePoint: true });
    expect(five.params[0].verdict).toBe('pass');
    expect(five.params[0].maxRelError).toBeLessThan(1e-9);
  });

  it('the points option sets how many perturbations are checked', () => {
    const src = 'w = [0.7; -1.3]\nloss(w) = sum(w.^2)\ngrad(w) = 2*w';
    expect(checkBlock({ line: 1, source: src, language: 'plain' }, { points: 0 }).params[0].diagnosis.message).toContain('at 1 point ');
    expect(checkBlock({ line: 1, source: src, language: 'plain' }, { points: 5 }).params[0].diagnosis.message).toContain('at 6 points');
  });

  it('a formula right only at the given point fails at the perturbations', () => {
    // d/dw w^3 = 3w^2, and 3w equals it at w = 1 only.
    const r = check('w = 1\nloss(w) = w^3\ngrad(w) = 3*w');
    expect(r.params[0].verdict).toBe('fail');
    // The table is shown at the point where the check failed, which is not w = 1.
    const [c] = r.params[0].components;
    expect(c.relError).toBeGreaterThan(1e-3);
    expect(r.params[0].point).toHaveLength(1);
    expect(r.params[0].point![0]).not.toBe(1);
    expect(c.analytic).toBeCloseTo(3 * r.params[0].point![0], 12);
    expect(c.numeric).toBeCloseTo(3 * r.params[0].point![0] ** 2, 6);
  });

  it('components report analytic, numeric, relative error and band at the given point', () => {
    const r = check('w = [1; 2]\nloss(w) = sum(w.^2)\ngrad(w) = [2; 5]');
    const [c1, c2] = r.params[0].components;
    expect(c1).toMatchObject({ index: '1', analytic: 2, band: 'good' });
    expect(c1.numeric).toBeCloseTo(2, 8);
    expect(c2).toMatchObject({ index: '2', analytic: 5, band: 'wrong' });
    expect(c2.relError).toBeCloseTo(0.2, 8);
    expect(r.params[0].line).toBe(12);
  });
});
