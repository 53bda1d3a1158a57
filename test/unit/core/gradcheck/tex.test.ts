import { describe, expect, it } from 'vitest';
import { checkBlock, gallery, toTex } from '../../../../src/core/gradcheck';

describe('toTex', () => {
  it("renders x' as ^{\\top}, sigmoid as \\sigma and definitions as gradients", () => {
    expect(toTex("grad(w) = X' * (sigmoid(X*w) - y)")).toBe('\\nabla_{{w}} L = {X}^{\\top}\\cdot\\left(\\sigma\\left({X}\\cdot{w}\\right)-{y}\\right)');
  });

  it('renders element-wise operators, Greek names and the loss', () => {
    expect(toTex('loss(w) = lambda * sum(w .* w)')).toBe('L({w}) = {\\lambda}\\cdot\\operatorname{sum}\\left({w} \\odot {w}\\right)');
    expect(toTex('grad_W(W, b) = a ./ b')).toBe('\\nabla_{{W}} L = {a} \\oslash {b}');
    expect(toTex('hess(w) = x.^2')).toBe('\\nabla^2_{{w}} L = {x}^{\\circ 2}');
  });

  it('renders right-hand sides and check lines', () => {
    expect(toTex("(a + b)'")).toBe('{\\left({a}+{b}\\right)}^{\\top}');
    expect(toTex('check softmax(v) == softmax(v - 3)')).toBe('\\operatorname{softmax}\\left({v}\\right) \\stackrel{?}{=} \\operatorname{softmax}\\left({v}-3\\right)');
  });

  it('fills the block report with TeX for loss and grads', () => {
    const r = checkBlock({ line: 1, source: gallery.find((e) => e.id === 'bias')!.source, language: 'plain' });
    expect(r.tex.loss).toMatch(/^L\(\{w\}, \{b\}\) = /);
    expect(Object.keys(r.tex.grads)).toEqual(['w', 'b']);
    expect(r.tex.grads.b).toMatch(/^\\nabla_\{\{b\}\} L = /);
  });
});
