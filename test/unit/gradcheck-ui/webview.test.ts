import { describe, expect, it } from 'vitest';
import { gallery } from '../../../src/core/gradcheck/index';
import type { BlockReport } from '../../../src/core/gradcheck/types';
import { formatError, formatValue, sentence, verdictHeadline } from '../../../webview/gradcheck/format';
import { blockPreview } from '../../../webview/gradcheck/preview';
import { gradcheckState, parseGradcheckState } from '../../../webview/gradcheck/state';

describe('saved state', () => {
  it('round-trips { v: 1, source }', () => {
    expect(parseGradcheckState(gradcheckState('w = 1'))).toEqual({ v: 1, source: 'w = 1' });
  });

  it('drops other versions and malformed states', () => {
    expect(parseGradcheckState({ v: 2, source: 'x' })).toBeNull();
    expect(parseGradcheckState({ v: 1, source: 3 })).toBeNull();
    expect(parseGradcheckState(null)).toBeNull();
    expect(parseGradcheckState('x')).toBeNull();
  });
});

describe('live preview', () => {
  it('gives one TeX line per statement, with roles and lines', () => {
    const lines = blockPreview("w = [1; 2]\n# a comment\nloss(w) = sum(w.^2)\ngrad(w) = 2*w'\n");
    expect(lines.map((l) => l.line)).toEqual([1, 3, 4]);
    expect(lines.map((l) => (l.kind === 'tex' ? l.role : 'error'))).toEqual(['other', 'loss', 'grad']);
    const grad = lines[2];
    expect(grad.kind === 'tex' && grad.tex).toContain('\\top');
    expect(lines[1].kind === 'tex' && lines[1].tex).toMatch(/^L\(/);
  });

  it('turns a line that does not parse into an error line, keeping the others', () => {
    const lines = blockPreview('w = [1; 2]\nloss(w) = sum(w.^2) +\ngrad(w) = 2*w');
    expect(lines.map((l) => l.kind)).toEqual(['tex', 'error', 'tex']);
    expect(lines[1].line).toBe(2);
  });

  it('reports an unclosed bracket once, on its line', () => {
    const lines = blockPreview('w = [1; 2]\nloss(w) = sum(w.^2\ngrad(w) = 2*w');
    expect(lines).toHaveLength(1);
    expect(lines[0].kind).toBe('error');
    expect(lines[0].line).toBe(2);
  });

  it('renders every gallery example without errors', () => {
    for (const g of gallery) {
      const lines = blockPreview(g.source);
      expect(lines.filter((l) => l.kind === 'error'), g.id).toEqual([]);
      expect(lines.length, g.id).toBeGreaterThan(0);
    }
  });
});

describe('format', () => {
  it('formats values and errors', () => {
    expect(formatValue(-0.7300712359858879)).toBe('−0.730071');
    expect(formatValue(1.5e-9)).toBe('1.5e-9');
    expect(formatValue(0)).toBe('0');
    expect(formatError(1.9999999)).toBe('2.0');
    expect(formatError(0.5)).toBe('0.50');
    expect(formatError(3.14e-9)).toBe('3.1e-9');
    expect(formatError(Infinity)).toBe('∞');
    expect(sentence(' the sign is wrong.')).toBe('The sign is wrong.');
  });

  it('headlines the verdict', () => {
    const base: BlockReport = { line: 1, verdict: 'pass', params: [], checks: [], tex: { grads: {} } };
    expect(verdictHeadline({ ...base, checks: [{ line: 1, source: 'a == a', holds: true, maxError: 0 }] })).toBe('✓ Identity holds');
    expect(verdictHeadline({ ...base, verdict: 'error' })).toBe('⚠ Error');
  });
});
