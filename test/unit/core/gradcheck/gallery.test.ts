import { describe, expect, it } from 'vitest';
import { checkBlock, gallery, type BlockReport } from '../../../../src/core/gradcheck';

const check = (source: string): BlockReport => checkBlock({ line: 1, source, language: 'plain' });
const source = (id: string): string => gallery.find((e) => e.id === id)!.source;
/** A gallery example with one line replaced: the deliberately wrong version. */
const wrong = (id: string, from: string, to: string): BlockReport => {
  const s = source(id);
  expect(s).toContain(from);
  return check(s.replace(from, to));
};

describe('gallery', () => {
  it.each(gallery.map((e) => [e.id, e]))('%s passes', (_, example) => {
    const r = check(example.source);
    expect(r.error).toBeUndefined();
    expect(r.verdict).toBe('pass');
    for (const p of [...r.params, ...(r.hessian ?? [])]) {
      expect(p.verdict).toBe('pass');
      expect(p.maxRelError).toBeLessThan(1e-7);
      expect(p.diagnosis.kind).toBe('none');
    }
    for (const c of r.checks) expect(c.holds).toBe(true);
  });

  it('has unique ids, titles and descriptions', () => {
    expect(new Set(gallery.map((e) => e.id)).size).toBe(gallery.length);
    for (const e of gallery) expect(e.title.length * e.description.length).toBeGreaterThan(0);
  });
});

describe('deliberately wrong versions', () => {
  it('one-sample BCE with the sign flipped: sign', () => {
    const r = wrong('bce-one-sample', 'grad(w) = (sigmoid(w\'*x) - y) * x', 'grad(w) = (y - sigmoid(w\'*x)) * x');
    expect(r.verdict).toBe('fail');
    expect(r.params[0].diagnosis.kind).toBe('sign');
    expect(r.params[0].maxRelError).toBeCloseTo(2, 6);
  });

  it('dataset BCE with X * (p - y): shape, and the transpose would match', () => {
    const r = wrong('bce-dataset', "grad(w) = X' * (sigmoid(X*w) - y)", 'grad(w) = X * (sigmoid(X*w) - y)');
    const p = r.params[0];
    expect(p.verdict).toBe('fail');
    expect(p.diagnosis.kind).toBe('shape');
    expect(p.diagnosis.message).toMatch(/3×2.*3×1/);
    expect(p.diagnosis.message).toMatch(/transpose of the left factor would match/);
    expect(p.maxRelError).toBe(Infinity);
  });

  it('dataset BCE returned as a row: transpose', () => {
    const r = wrong('bce-dataset', "grad(w) = X' * (sigmoid(X*w) - y)", "grad(w) = (sigmoid(X*w) - y)' * X");
    expect(r.params[0].diagnosis.kind).toBe('transpose');
    expect(r.params[0].shapeAnalytic).toEqual([1, 2]);
    expect(r.params[0].shapeExpected).toEqual([2, 1]);
  });

  it('mean BCE without the 1/n in the gradient: scale, factor 1/3 named as 1/n', () => {
    const r = wrong('bce-mean', "grad(w) = (1/n) * X' * (sigmoid(X*w) - y)", "grad(w) = X' * (sigmoid(X*w) - y)");
    const d = r.params[0].diagnosis;
    expect(d.kind).toBe('scale');
    expect(d.factor).toBeCloseTo(1 / 3, 8);
    expect(d.message).toBe('the analytic gradient is 3× the numeric one: a factor 1/3 (1/n with n = 3) is missing.');
  });

  it('-1/+1 labels without the leading minus: sign', () => {
    const r = wrong('plus-minus-labels', 'grad(w) = -(1/N)', 'grad(w) = (1/N)');
    expect(r.params[0].diagnosis.kind).toBe('sign');
  });

  it('-1/+1 labels averaged twice: scale with factor N = 4', () => {
    const r = wrong('plus-minus-labels', 'grad(w) = -(1/N)', 'grad(w) = -(1/N^2)');
    expect(r.params[0].diagnosis.kind).toBe('scale');
    expect(r.params[0].diagnosis.factor).toBeCloseTo(4, 8);
    expect(r.params[0].diagnosis.message).toContain('N = 4');
  });

  it('softmax returning W\': transpose', () => {
    const r = wrong('softmax-ce', "grad(W) = (softmax(W*x) - onehot(c, K)) * x'", "grad(W) = x * (softmax(W*x) - onehot(c, K))'");
    const p = r.params[0];
    expect(p.diagnosis.kind).toBe('transpose');
    expect(p.shapeAnalytic).toEqual([3, 4]);
    expect(p.shapeExpected).toEqual([4, 3]);
  });

  it('softmax without the onehot: only row c = 3 of W is wrong', () => {
    const r = wrong('softmax-ce', "grad(W) = (softmax(W*x) - onehot(c, K)) * x'", "grad(W) = softmax(W*x) * x'");
    const d = r.params[0].diagnosis;
    expect(d.kind).toBe('components');
    expect(d.components).toEqual(['W[3,:]']);
    expect(d.message).toContain('row 3 of W');
    const wrongRows = r.params[0].components.filter((c) => c.band === 'wrong').map((c) => c.index);
    expect(wrongRows).toEqual(['3,1', '3,2', '3,3']);
  });

  it('L2 term without its 2: scale of that term, factor 2', () => {
    const r = wrong('l2', '+ 2 * lambda * w', '+ lambda * w');
    const d = r.params[0].diagnosis;
    expect(d.kind).toBe('scale');
    expect(d.factor).toBeCloseTo(2, 8);
    expect(d.message).toContain('"lambda * w"');
    expect(d.message).toContain('a factor 2 is missing');
  });

  it('L2 alone without its 2: scale of the whole gradient, factor 2', () => {
    const r = check('w = [0.5; -1.5]\nlambda = 0.3\nloss(w) = lambda * w\'*w\ngrad(w) = lambda * w');
    expect(r.params[0].diagnosis).toMatchObject({ kind: 'scale', message: 'the analytic gradient is 1/2 of the numeric one: a factor 2 is missing.' });
    expect(r.params[0].diagnosis.factor).toBeCloseTo(2, 8);
  });

  it('L1 term with a minus: sign of that term', () => {
    const r = wrong('l1', '+ lambda * sign(w)', '- lambda * sign(w)');
    expect(r.params[0].diagnosis.kind).toBe('sign');
    expect(r.params[0].diagnosis.message).toContain('"lambda * sign(w)"');
  });

  it('wrong bias gradient only: components ["b"]', () => {
    const r = wrong('bias', 'grad_b(w, b) = sum(sigmoid(X*w + b) - y)', 'grad_b(w, b) = sum(sigmoid(X*w) - y)');
    expect(r.verdict).toBe('fail');
    expect(r.params.map((p) => [p.name, p.verdict])).toEqual([['w', 'pass'], ['b', 'fail']]);
    expect(r.params[1].diagnosis).toMatchObject({ kind: 'components', components: ['b'] });
    expect(r.params[1].diagnosis.message).toContain('only the gradient with respect to b is wrong');
  });

  it('sigmoid derivative as sigma(sigma - 1): sign', () => {
    const r = wrong('sigmoid-derivative', '(1 - sigmoid(z))', '(sigmoid(z) - 1)');
    expect(r.params[0].diagnosis.kind).toBe('sign');
  });

  it('sigmoid derivative as sigma(1 + sigma): not a simple slip', () => {
    const r = wrong('sigmoid-derivative', '(1 - sigmoid(z))', '(1 + sigmoid(z))');
    expect(r.params[0].diagnosis.kind).toBe('other');
    expect(r.params[0].diagnosis.message).toMatch(/^not a simple slip/);
  });

  it('IRLS Hessian with the sign flipped: the Hessian fails with sign', () => {
    const r = wrong('irls-hessian', "hess(w) = X'", "hess(w) = -X'");
    expect(r.params[0].verdict).toBe('pass');
    expect(r.hessian?.[0]).toMatchObject({ verdict: 'fail', diagnosis: { kind: 'sign' }, shapeExpected: [2, 2] });
  });

  it('IRLS Hessian without (1 - p): fails, not a simple slip', () => {
    const r = wrong('irls-hessian', 'diag(sigmoid(X*w) .* (1 - sigmoid(X*w)))', 'diag(sigmoid(X*w))');
    expect(r.verdict).toBe('fail');
    expect(r.hessian?.[0].diagnosis.kind).toBe('other');
  });

  it('K = 2 identity with the difference reversed does not hold', () => {
    const r = wrong('softmax-identities', 'sigmoid(a - b)', 'sigmoid(b - a)');
    expect(r.verdict).toBe('fail');
    expect(r.checks.map((c) => c.holds)).toEqual([true, false]);
    expect(r.checks[1].maxError).toBeGreaterThan(0.1);
  });

  it('shift invariance broken by scaling does not hold', () => {
    const r = wrong('softmax-identities', 'softmax(v - 3)', 'softmax(2 * v)');
    expect(r.checks[0].holds).toBe(false);
  });
});
