import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../src/core/gradcheck';
import { folderResolver } from '../../../src/node/functionFiles';
import { blockPreview } from '../../../webview/gradcheck/preview';

const SAMPLE = join(__dirname, '../../../samples/octave-homework');
const FUNCTION_BLOCK = `function [J, grad] = cost(theta, X, y)
m = length(y); % samples
h = sigmoid(X * theta);
J = (1/m) * (-y' * log(h) - (1 - y)' * log(1 - h));
grad = (1/m) * X' * (h - y);
end
check_gradient(@(t) cost(t, [1 2; 3 4], [1; 0]), [0.1; 0.2])`;

describe('the checker panel typesets Octave blocks', () => {
  it('previews each statement with its line and role, and KaTeX renders every line', () => {
    const lines = blockPreview(FUNCTION_BLOCK);
    expect(lines.map((l) => [l.line, l.kind === 'tex' ? l.role : 'error'])).toEqual([
      [1, 'other'],
      [2, 'other'],
      [3, 'other'],
      [4, 'loss'],
      [5, 'grad'],
      [7, 'check'],
    ]);
    for (const l of lines) if (l.kind === 'tex') expect(() => katex.renderToString(l.tex, { throwOnError: true })).not.toThrow();
    const grad = lines[4];
    expect(grad.kind === 'tex' && grad.tex).toBe('{\\mathit{grad}} = \\frac{1}{{m}} {{X}}^{\\top} \\left({h} - {y}\\right)');
  });
  it('shows a parse error at its line', () => {
    const [line] = blockPreview('function [J, g] = f(w)\nJ = (w + ;\nend\ncheck_gradient(@f, 1)');
    expect(line).toMatchObject({ kind: 'error', line: 2, message: 'parse error: "(" is never closed' });
  });
  it("the report's TeX is the checked function's loss and gradient", () => {
    const [r] = checkDocument('```gradcheck\n' + FUNCTION_BLOCK + '\n```\n');
    expect(r.tex.loss).toMatch(/^\{J\} = \\frac\{1\}\{\{m\}\}/);
    expect(r.tex.grads.theta).toMatch(/^\{\\mathit\{grad\}\} = /);
    expect(() => katex.renderToString(r.tex.loss!, { throwOnError: true })).not.toThrow();
  });
});

describe('samples/octave-homework', () => {
  it('checks costFunctionReg.m with sigmoid.m from its folder and passes', () => {
    const text = readFileSync(join(SAMPLE, 'notes.md'), 'utf8');
    const [r] = checkDocument(text, { resolve: folderResolver(SAMPLE, (p) => readFileSync(p)) });
    expect(r.verdict).toBe('pass');
    expect(r.params[0]).toMatchObject({ what: 'costFunctionReg', name: 'theta', verdict: 'pass', line: 20 });
  });
});
