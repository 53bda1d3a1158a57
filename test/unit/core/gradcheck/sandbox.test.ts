import { describe, expect, it } from 'vitest';
import { checkBlock, type BlockReport } from '../../../../src/core/gradcheck';

const check = (source: string, options = {}): BlockReport => checkBlock({ line: 1, source, language: 'plain' }, options);

describe('sandbox escapes are refused', () => {
  it.each([
    ['import', 'f = import("fs")', /import is disabled/],
    ['createUnit', 'u = createUnit("foo")', /createUnit is disabled/],
    ['evaluate', 'w = 1\nloss(w) = evaluate("w^2")\ngrad(w) = 2*w', /evaluate is disabled/],
    ['parse', 'p = parse("1 + 1")', /parse is disabled/],
    ['simplify', 's = simplify("x + x")', /simplify is disabled/],
    ['typed', 'f = typed("a")', /typed is disabled/],
    ['a disabled name as a value', 'f = import', /import is disabled/],
    ['constructor via dot access', 'y = cos.constructor', /property access \(\.constructor\)/],
    ['calling a constructor', 'y = sigmoid.constructor("return process")', /only named functions can be called/],
    ['calling the result of a constructor', 'y = cos.constructor("return process")()', /syntax error/],
    ['__proto__', 'x = [1]\ny = x.__proto__', /property access/],
    ['bracket property access', 'x = [1]\ny = x["constructor"]', /strings are not supported/],
    ['Object prototype names are not symbols', 'y = constructor', /unknown symbol "constructor"/],
    ['toString is not a function', 'y = toString(1)', /unknown function "toString"/],
    ['defining import', 'import(x) = x\nw = 1\nloss(w) = w^2\ngrad(w) = 2*w', /import cannot be defined/],
    ['recursion', 'f(x) = f(x) + 1\nw = 1\nloss(w) = f(w)\ngrad(w) = 1', /recursion is not allowed/],
    ['huge allocation', 'Z = zeros(1e4, 1e4)', /exceeds the size limit of 1000000 elements/],
    ['huge broadcast', 'a = ones(1e5, 1)\nb = ones(1, 1e5)\nc = a + b', /exceeds the size limit/],
    ['huge range', 'r = 1:1e9', /exceeds the size limit/],
  ])('%s', (_, source, message) => {
    const r = check(source);
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(message);
  });

  it('a long computation stops at the time limit', () => {
    const start = Date.now();
    const r = check('A = ones(1000, 1000)\nB = A * A * A * A * A * A', { timeLimitMs: 200 });
    expect(Date.now() - start).toBeLessThan(1500);
    expect(r.verdict).toBe('error');
    expect(r.error).toMatchObject({ line: 2, message: 'time limit of 200 ms exceeded' });
  });

  it('exponentially nested calls stop at the time limit', () => {
    const defs = Array.from({ length: 40 }, (_, i) => `f${i + 1}(x) = f${i}(x) + f${i}(x)`).join('\n');
    const r = check(`f0(x) = x\n${defs}\nw = 1\nloss(w) = f40(w)\ngrad(w) = 1`, { timeLimitMs: 200 });
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toBe('time limit of 200 ms exceeded');
  });

  it('nothing escapes: no global was touched', () => {
    check('y = cos.constructor("return process")\nz = import("fs")');
    expect((globalThis as Record<string, unknown>).__gradcheckEscaped).toBeUndefined();
  });
});
