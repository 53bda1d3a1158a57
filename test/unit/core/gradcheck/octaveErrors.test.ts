import { describe, expect, it } from 'vitest';
import { checkBlock } from '../../../../src/core/gradcheck';
import type { BlockReport } from '../../../../src/core/gradcheck/types';

const check = (source: string, files: Record<string, string> = {}, timeLimitMs = 2000): BlockReport =>
  checkBlock({ line: 10, source, language: 'markdown' }, { timeLimitMs, resolve: (n) => (files[n] !== undefined ? { source: files[n], fileName: `${n}.m` } : undefined) });

const QUAD = 'function [J, g] = f(w)\nJ = sum(w .^ 2);\ng = 2 * w;\nend\n';
/** A block is Octave code when it defines a function or calls check_gradient. */
const octave = (lines: string): string => `${lines}\ncheck_gradient(@(w) sum(w .^ 2), 1)`;

describe('bad input gets one clear error with its line and column', () => {
  it('a function that never returns its gradient', () => {
    const r = check('function J = costFunction(theta)\nJ = sum(theta .^ 2);\nend\ncheck_gradient(@costFunction, [1; 2])');
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ line: 13, column: 1, message: 'costFunction returned 1 output; check_gradient needs [loss, gradient]' });
  });
  it('a loss that is not a real scalar', () => {
    const r = check('function [J, g] = f(w)\nJ = w; g = 1;\nend\ncheck_gradient(@f, [1; 2])');
    expect(r.error!.message).toBe('the loss must be a real scalar, but f returned 2×1 as its first output');
  });
  it('shapes that disagree inside a function file name the file, line and column', () => {
    const r = check('check_gradient(@(t) cost(t, [1 2 3]), [1; 2])', { cost: '% cost\nfunction [J, g] = cost(w, a)\nJ = sum(w);\ng = a * w;\nend\n' });
    expect(r.verdict).toBe('error');
    expect(r.error).toEqual({ line: 4, column: 7, file: 'cost.m', message: 'operator *: nonconformant arguments (op1 is 1x3, op2 is 2x1)' });
  });
  it('a syntax error in Octave words', () => {
    expect(check('function [J, g] = f(w)\nJ = (w + ;\nend').error).toMatchObject({ line: 11, column: 5, message: 'parse error: "(" is never closed' });
    expect(check(octave('x = [1 2 3;\ny = 2')).error!.message).toBe('parse error: "[" is never closed');
    expect(check(octave('if x\ny = 1;\n')).error).toMatchObject({ line: 10, message: 'parse error: "if" is never closed with "end"' });
  });
  it('unsupported names say so, never a parser internal', () => {
    expect(check(octave('x = cellfun(@(a) a, 1);')).error).toMatchObject({ line: 10, column: 5, message: '`cellfun` is not supported in gradcheck blocks' });
    expect(check(octave('s.a = 1;')).error!.message).toBe('`structs (.field)` is not supported in gradcheck blocks');
    expect(check(octave('switch x\nend')).error!.message).toBe('`switch` is not supported in gradcheck blocks');
    expect(check(octave('y = undefined_thing + 1;')).error).toMatchObject({ column: 5, message: "'undefined_thing' undefined" });
  });
  it('an infinite loop is stopped by the time limit', () => {
    const r = check('function [J, g] = f(w)\nwhile true\nend\nJ = 1; g = 1;\nend\ncheck_gradient(@f, 1)', {}, 300);
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/^time limit of 300 ms exceeded/);
    expect(r.error!.line).toBe(11);
  });
  it('a loss that does not depend on the parameter gets no verdict', () => {
    const r = check('function [J, g] = f(w)\nJ = 3; g = [0; 0];\nend\ncheck_gradient(@f, [1; 2])');
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/^the loss does not depend on w/);
  });
  it('a block with nothing to check says how to check', () => {
    expect(check(QUAD).error!.message).toMatch(/^nothing to check: call check_gradient\(@f, x0\)/);
  });
  it('check_gradient needs a handle', () => {
    expect(check('check_gradient(3, 1)').error!.message).toMatch(/first argument must be a function handle/);
  });
});

describe('hostile sizes, memory and depth (issue 18)', () => {
  it.each(['ones(0, 1e15)', 'zeros(0, 1e300)', 'eye(0, 1e15)', 'randn(0, 1e15)'])('%s is refused at once', (call) => {
    const r = check(octave(`A = ${call};`));
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/out of memory or dimension too large/);
    expect(r.error!.column).toBe(5);
  });
  it.each(['ones(0, 1e15)', 'zeros(0, 1e300)', 'eye(0, 1e15)', 'randn(0, 1e15)'])('%s is refused at once in the one-line notation', (call) => {
    const r = check(`A = ${call}\nw = 1\nloss(w) = w^2\ngrad(w) = 2*w`);
    expect(r.error!.message).toMatch(/out of memory or dimension too large/);
  });
  it('caps the elements alive in all variables together', () => {
    const lines = Array.from({ length: 21 }, (_, k) => `A${k} = ones(1000);`).join('\n');
    const r = check(octave(lines));
    expect(r.error!.message).toMatch(/would exceed the memory limit of 20000000 elements/);
    expect(r.error!.line).toBe(30);
  });
  it('refuses deep nesting with a clear message at its line', () => {
    const r = check(octave(`x = 1;\ny = ${'('.repeat(3000)}1${')'.repeat(3000)};`));
    expect(r.error!.message).toMatch(/nested too deeply \(more than 200 levels/);
    expect(r.error!.line).toBe(11);
  });
  it('norm of a million elements works', () => {
    const r = check(`v = ones(1000000, 1);\nn = norm(v);\n${QUAD}check_gradient(@(w) f(w + 0 * n), [1; 2])`);
    expect(r.verdict).toBe('pass');
  });
  it('a sum of 20,000 terms is evaluated without recursion', () => {
    const r = check(`function [J, g] = f(w)\nJ = ${Array(20000).fill('w').join(' + ')};\ng = 20000;\nend\ncheck_gradient(@f, 1)`, {}, 20000);
    expect(r.verdict).toBe('pass');
  });
  it('a line too deep for the one-line notation is refused clearly at its line', () => {
    const r = check(`w = 1\nloss(w) = ${'('.repeat(5000)}w${')'.repeat(5000)}^2\ngrad(w) = 2*w`, {}, 20000);
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/too long or nested too deeply/);
    expect(r.error!.line).toBe(11);
  });
});

describe('intermediates are never frozen', () => {
  const X = 'X = [0.5, -1.2; 1.0, 0.3; -0.7, 2.1]\ny = [1; 0; 1]\nw = [0.1; -0.2]\n';
  it('a top-level h = sigmoid(X*w) in the one-line notation is re-evaluated at every point', () => {
    const r = check(`${X}h = sigmoid(X*w)\nloss(w) = -sum(y .* log(h) + (1 - y) .* log(1 - h))\ngrad(w) = X' * (h - y)`);
    expect(r.verdict).toBe('pass');
    expect(r.params[0].verdict).toBe('pass');
  });
  it('and a wrong formula using it still fails with the right diagnosis', () => {
    const r = check(`${X}h = sigmoid(X*w)\nloss(w) = -sum(y .* log(h) + (1 - y) .* log(1 - h))\ngrad(w) = 2 * X' * (h - y)`);
    expect(r.verdict).toBe('fail');
    expect(r.params[0].diagnosis.kind).toBe('scale');
    expect(r.params[0].diagnosis.factor).toBeCloseTo(0.5, 8);
  });
  it('a loss that does not depend on its parameter gets no verdict in the one-line notation', () => {
    const r = check('w = [1; 2]\nloss(w) = 3\ngrad(w) = [0; 0]');
    expect(r.verdict).toBe('error');
    expect(r.params[0].diagnosis.message).toMatch(/does not depend on w/);
  });
});

describe('verdicts an autograder can trust', () => {
  it('a wrong gradient with a Hessian is fail, not error', () => {
    const r = check('w = [0.3; -0.2]\nloss(w) = sum(w.^4)\ngrad(w) = 2 * w.^3\nhess(w) = diag(12 * w.^2)');
    expect(r.verdict).toBe('fail');
    expect(r.params[0].verdict).toBe('fail');
    expect(r.hessian![0].verdict).toBe('error');
  });
  it('in an Octave block too', () => {
    const r = check('function [J, g, H] = f(w)\nJ = sum(w.^4); g = 2 * w.^3; H = diag(12 * w.^2);\nend\ncheck_gradient(@f, [0.3; -0.2])');
    expect(r.verdict).toBe('fail');
    expect(r.hessian![0].verdict).toBe('error');
    expect(r.params[0].diagnosis.kind).toBe('scale');
  });
  it('functions defined in the block, a handle @name, and several checks per block', () => {
    const r = check(`${QUAD}check_gradient(@f, [1; 2])\ncheck_gradient(@(t) f(2 * t), [1; -1])`);
    expect(r.params.map((p) => p.verdict)).toEqual(['pass', 'fail']);
    expect(r.verdict).toBe('fail');
    expect(r.params[1].diagnosis.kind).toBe('scale');
    expect(r.params[1].diagnosis.factor).toBeCloseTo(2, 8);
  });
  it("the student's own sigmoid.m is used, found by the resolver", () => {
    const files = {
      sigmoid: 'function g = sigmoid(z)\ng = 0.5 * ones(size(z));\nend\n',
      cost: 'function [J, grad] = cost(theta, X, y)\nh = sigmoid(X * theta);\nJ = sum(h);\ngrad = X\' * (h .* (1 - h));\nend\n',
    };
    // With the constant sigmoid.m the loss is constant: proof the file, not the built-in, ran.
    const r = check('check_gradient(@(t) cost(t, [1 2; 3 4], [1; 0]), [0.1; 0.2])', files);
    expect(r.error!.message).toMatch(/does not depend on theta/);
  });
});
