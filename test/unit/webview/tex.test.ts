import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { escapeTexText, linearTex, modelFormulaTex, objectiveTex, texNumber, texText } from '../../../webview/tex';
import { binaryModel, softmaxModel } from './modelFixture';

/** The visible text KaTeX produces (the MathML annotation and markup stripped). */
function renderedText(tex: string): string {
  const html = katex.renderToString(tex, { throwOnError: true, strict: 'ignore', output: 'html' });
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/&#x27;/g, "'")
    .replace(/\u200b/g, '')
    .replace(/\u00a0/g, ' ');
}

describe('escapeTexText', () => {
  it('escapes each TeX special', () => {
    expect(escapeTexText('\\')).toBe('\\textbackslash{}');
    expect(escapeTexText('{}')).toBe('\\{\\}');
    expect(escapeTexText('$&#_%')).toBe('\\$\\&\\#\\_\\%');
    expect(escapeTexText('^~')).toBe('\\textasciicircum{}\\textasciitilde{}');
    expect(escapeTexText('a"b')).toBe('a{\\char34}b');
    expect(escapeTexText('a--b')).toBe('a-{}-b');
    expect(escapeTexText('tab\there\nnl')).toBe('tab here nl');
    expect(escapeTexText('plain text 123 é')).toBe('plain text 123 é');
  });

  it('makes KaTeX typeset hostile names literally, never as commands', () => {
    for (const name of ['a_b}\\def\\x{$&#^%~', '<img src=x onerror="window.__xss=1">', '}\\href{javascript:alert(1)}{x', '\\textbf{bold}', 'x--y---z', '}}}{{{']) {
      const text = renderedText(texText(name));
      expect(text).toBe(name);
    }
  });

  it('rejects nothing: the escaped form always parses', () => {
    let s = '';
    for (let c = 32; c < 127; c++) s += String.fromCharCode(c);
    expect(() => katex.renderToString(texText(s), { throwOnError: true, strict: 'ignore' })).not.toThrow();
  });
});

describe('texNumber', () => {
  it('formats with 3 significant digits and TeX exponents', () => {
    expect(texNumber(1.23456)).toBe('1.23');
    expect(texNumber(-0.4)).toBe('-0.4');
    expect(texNumber(100)).toBe('100');
    expect(texNumber(0)).toBe('0');
    expect(texNumber(1.5e-5)).toBe('1.5 \\times 10^{-5}');
    expect(texNumber(2e7)).toBe('2 \\times 10^{7}');
    expect(texNumber(Infinity)).toBe('\\infty');
  });
});

describe('model formulas', () => {
  it('writes a binary model as sigma of the linear predictor, signs folded', () => {
    const tex = linearTex([1.23, -0.4], 0.1, ['x_1', 'x2']);
    expect(tex).toBe('1.23\\,\\text{x\\_1} - 0.4\\,\\text{x2} + 0.1');
    const m = binaryModel({ featureNames: ['x1', 'x2', 'x3'], coef: [[1.23, -0.4, 0]], intercept: [0.1] });
    const f = modelFormulaTex(m);
    expect(f.main).toBe('P(\\text{label} = \\text{yes} \\mid x) = \\sigma\\left(1.23\\,\\text{x1} - 0.4\\,\\text{x2} + 0.1\\right)');
    expect(f.definitions).toEqual([]);
    expect(renderedText(f.main)).toContain('P(label=yes∣x)=σ(1.23x1−0.4x2+0.1)');
  });

  it('moves a long predictor to its own line', () => {
    const names = Array.from({ length: 6 }, (_, j) => `f${j}`);
    const m = binaryModel({ featureNames: names, coef: [[1, 2, 3, 4, 5, 6]], intercept: [-1] });
    const f = modelFormulaTex(m);
    expect(f.main).toContain('\\sigma(z)');
    expect(f.definitions[0]).toBe('z = 1\\,\\text{f0} + 2\\,\\text{f1} + 3\\,\\text{f2} + 4\\,\\text{f3} + 5\\,\\text{f4} + 6\\,\\text{f5} - 1');
  });

  it('writes the softmax form with one predictor per class', () => {
    const f = modelFormulaTex(softmaxModel());
    expect(f.main).toBe('P(\\text{label} = k \\mid x) = \\frac{e^{z_k}}{\\sum_{j} e^{z_j}}');
    expect(f.definitions).toEqual(['z_{\\text{A}} = 1\\,\\text{x}', 'z_{\\text{B}} = 1\\,\\text{y}', 'z_{\\text{C}} = -1\\,\\text{x} - 1\\,\\text{y}']);
    for (const t of [f.main, ...f.definitions]) expect(() => katex.renderToString(t, { throwOnError: true })).not.toThrow();
  });

  it('states the objective with its C and lambda', () => {
    const lines = objectiveTex({ kind: 'binary', penalty: 'l2', C: 1, lambda: 1 / 210, l1Ratio: 0.5, classWeight: 'none', nTrain: 210 });
    expect(lines[0]).toBe('\\min_{w,\\,b} \\; \\frac{1}{n}\\sum_{i=1}^{n} \\ell_i + \\frac{1}{n\\,C}\\left(\\tfrac{1}{2}\\lVert w \\rVert_2^2\\right)');
    expect(lines.at(-1)).toBe('n = 210, \\quad C = 1, \\quad \\lambda = \\frac{1}{C\\,n} = 0.00476');
    const none = objectiveTex({ kind: 'multinomial', penalty: 'none', C: Infinity, lambda: 0, l1Ratio: 0.5, classWeight: 'balanced', nTrain: 90 });
    expect(none[0]).toBe('\\min_{W,\\,b} \\; \\frac{1}{S}\\sum_{i=1}^{n} s_i\\,\\ell_i');
    expect(none.join(' ')).toContain('no penalty');
    const en = objectiveTex({ kind: 'binary', penalty: 'elasticnet', C: 0.5, lambda: 0.02, l1Ratio: 0.25, classWeight: 'none', nTrain: 100 });
    expect(en[0]).toContain('\\tfrac{1 - 0.25}{2}\\lVert w \\rVert_2^2 + 0.25\\,\\lVert w \\rVert_1');
    for (const t of [...lines, ...none, ...en]) expect(() => katex.renderToString(t, { throwOnError: true })).not.toThrow();
  });
});
