import { describe, expect, it } from 'vitest';
import { checkBlock, extractBlocks, gallery } from '../../../src/core/gradcheck/index';
import type { BlockReport, ParamReport } from '../../../src/core/gradcheck/types';
import {
  ReportCache,
  blockAtLine,
  blockForLens,
  blockLastLine,
  blockSpan,
  blocksToCheck,
  diagnosisLabel,
  diagnosticColumns,
  diagnosticsFor,
  lensLineZeroBased,
  lensTitle,
  mayContainBlocks,
  rebaseReport,
  summary,
} from '../../../src/host/gradcheck/logic';

const MD = [
  '# Homework 3', //                         1
  '', //                                     2
  '```gradcheck', //                         3
  'w = [1; 2]', //                           4
  'loss(w) = sum(w.^2)', //                  5
  'grad(w) = -2*w', //                       6
  '```', //                                  7
  'Some text.', //                           8
  '```gradcheck', //                         9
  'z = [0.5; -1]', //                        10
  'loss(z) = sum(log(1 + exp(z)))', //       11
  'grad(z) = sigmoid(z)', //                 12
  '```', //                                  13
].join('\n');

const LATEX = ['\\section{Gradient}', '% gradcheck', '% w = [1; 2]', '% loss(w) = sum(w.^2)', '% grad(w) = 2*w', '% end', 'text'].join('\n');

function param(over: Partial<ParamReport>): ParamReport {
  return {
    name: 'w',
    verdict: 'fail',
    maxRelError: 2,
    shapeAnalytic: [2, 1],
    shapeExpected: [2, 1],
    diagnosis: { kind: 'sign', message: 'the analytic gradient has the wrong sign.' },
    components: [],
    line: 6,
    ...over,
  };
}

function report(over: Partial<BlockReport>): BlockReport {
  return { line: 4, verdict: 'pass', params: [], checks: [], tex: { grads: {} }, ...over };
}

describe('block geometry', () => {
  const blocks = extractBlocks(MD);

  it('finds the engine blocks with their first content line', () => {
    expect(blocks.map((b) => b.line)).toEqual([4, 10]);
    expect(blockLastLine(blocks[0])).toBe(6);
    expect(blockSpan(blocks[0])).toEqual({ first: 3, last: 7 });
  });

  it('puts the lens on the opening fence (0-based)', () => {
    expect(lensLineZeroBased(blocks[0])).toBe(2);
    expect(lensLineZeroBased(blocks[1])).toBe(8);
    expect(lensLineZeroBased({ line: 1, language: 'plain' })).toBe(0);
  });

  it('finds the block under the cursor, fences included', () => {
    expect(blockAtLine(blocks, 1)).toBeUndefined();
    expect(blockAtLine(blocks, 3)).toBe(blocks[0]);
    expect(blockAtLine(blocks, 5)).toBe(blocks[0]);
    expect(blockAtLine(blocks, 7)).toBe(blocks[0]);
    expect(blockAtLine(blocks, 8)).toBeUndefined();
    expect(blockAtLine(blocks, 12)).toBe(blocks[1]);
  });

  it('checks the block under the cursor, else all blocks', () => {
    expect(blocksToCheck(blocks, 11)).toEqual([blocks[1]]);
    expect(blocksToCheck(blocks, 1)).toEqual(blocks);
    expect(blocksToCheck(blocks, undefined)).toEqual(blocks);
    expect(blocksToCheck([], 3)).toEqual([]);
  });

  it('resolves a lens click by first line, or by span when the document moved', () => {
    expect(blockForLens(blocks, 10)).toBe(blocks[1]);
    expect(blockForLens(blocks, 5)).toBe(blocks[0]);
    expect(blockForLens(blocks, 100)).toBeUndefined();
  });

  it('handles LaTeX comment blocks', () => {
    const latex = extractBlocks(LATEX);
    expect(latex).toHaveLength(1);
    expect(latex[0].line).toBe(3);
    expect(lensLineZeroBased(latex[0])).toBe(1);
    expect(blockSpan(latex[0])).toEqual({ first: 2, last: 6 });
    expect(blockAtLine(latex, 6)).toBe(latex[0]);
  });

  it('pre-filters documents without blocks', () => {
    expect(mayContainBlocks(MD, 'markdown')).toBe(true);
    expect(mayContainBlocks('# nothing\n```python\nx=1\n```', 'markdown')).toBe(false);
    expect(mayContainBlocks(LATEX, 'latex')).toBe(true);
    expect(mayContainBlocks('\\section{x} % gradcheck later', 'latex')).toBe(false);
    expect(mayContainBlocks('', 'gradcheck')).toBe(true);
    expect(mayContainBlocks('~~~gradcheck\n~~~', 'markdown')).toBe(true);
  });
});

describe('lens titles', () => {
  it('says "Check gradient" before a check', () => {
    expect(lensTitle(undefined)).toBe('Check gradient');
  });

  it('names the verdict and the diagnosis', () => {
    expect(lensTitle(report({ params: [param({ verdict: 'pass', diagnosis: { kind: 'none', message: '' } })] }))).toBe('✓ gradient correct');
    expect(lensTitle(report({ verdict: 'fail', params: [param({})] }))).toBe('✗ gradient wrong: sign error');
    expect(lensTitle(report({ verdict: 'fail', params: [param({ diagnosis: { kind: 'scale', factor: 1.9999999999954774, message: '' } })] }))).toBe(
      '✗ gradient wrong: missing factor 2',
    );
    expect(lensTitle(report({ verdict: 'fail', params: [param({ diagnosis: { kind: 'transpose', message: '' } })] }))).toBe('✗ gradient wrong: transposed');
    expect(lensTitle(report({ verdict: 'error', error: { line: 5, column: 3, message: 'unclosed "("' } }))).toBe('⚠ error: unclosed "("');
  });

  it('names the failing parameter when there are several', () => {
    const r = report({
      verdict: 'fail',
      params: [param({ verdict: 'pass', diagnosis: { kind: 'none', message: '' } }), param({ name: 'b', diagnosis: { kind: 'components', components: ['b'], message: '' } })],
    });
    expect(lensTitle(r)).toBe('✗ gradient wrong (b): wrong at b');
  });

  it('reports identities and Hessians', () => {
    expect(lensTitle(report({ checks: [{ line: 3, source: 'a == a', holds: true, maxError: 0 }] }))).toBe('✓ identity holds');
    expect(lensTitle(report({ verdict: 'fail', checks: [{ line: 3, source: 'a == b', holds: false, maxError: 1 }] }))).toBe('✗ identity does not hold');
    const hess = report({
      verdict: 'fail',
      params: [param({ verdict: 'pass', diagnosis: { kind: 'none', message: '' } })],
      hessian: [param({ diagnosis: { kind: 'transpose', message: '' } })],
    });
    expect(lensTitle(hess)).toBe('✗ Hessian wrong (w): transposed');
  });

  it('labels diagnoses compactly', () => {
    expect(diagnosisLabel(param({ diagnosis: { kind: 'components', components: ['w[1]', 'w[2]', 'w[3]', 'w[4]'], message: '' } }))).toBe('wrong at w[1], w[2], w[3], …');
    expect(diagnosisLabel(param({ diagnosis: { kind: 'other', message: '' } }))).toBe('does not match finite differences');
    expect(diagnosisLabel(param({ diagnosis: { kind: 'scale', factor: 0.5, message: '' } }))).toBe('missing factor 1/2');
    expect(diagnosisLabel(param({ diagnosis: { kind: 'scale', factor: 1 / 3, message: '' } }))).toBe('missing factor 1/3');
    expect(diagnosisLabel(param({ diagnosis: { kind: 'scale', factor: -2, message: '' } }))).toBe('wrong sign, missing factor 2');
    expect(diagnosisLabel(param({ diagnosis: { kind: 'scale', factor: 0.1234567, message: '' } }))).toBe('missing factor 0.1235');
  });
});

describe('diagnostics', () => {
  it('gives one error per failing parameter on its grad line, with the diagnosis sentence', () => {
    const d = diagnosticsFor(report({ verdict: 'fail', params: [param({})] }));
    expect(d).toEqual([{ line: 6, message: 'The analytic gradient has the wrong sign.', severity: 'error' }]);
  });

  it('gives none for a passing report', () => {
    expect(diagnosticsFor(report({ params: [param({ verdict: 'pass' })] }))).toEqual([]);
  });

  it('reports block errors at their column and failing identities', () => {
    const d = diagnosticsFor(
      report({ verdict: 'error', error: { line: 5, column: 14, message: 'unclosed "("' }, checks: [{ line: 7, source: 'a == b', holds: false, maxError: 0.5 }] }),
    );
    expect(d).toEqual([
      { line: 5, column: 14, message: 'Unclosed "("', severity: 'error' },
      { line: 7, message: 'Identity does not hold: the two sides differ by up to 5.0e-1', severity: 'error' },
    ]);
  });

  it('shifts lines for a block that moved', () => {
    expect(diagnosticsFor(report({ verdict: 'fail', params: [param({ line: 6 })] }), 3)[0].line).toBe(9);
  });

  it('ranges cover the line text without indentation', () => {
    expect(diagnosticColumns('  grad(w) = -2*w  ')).toEqual({ start: 2, end: 16 });
    expect(diagnosticColumns('loss(w) = sum(w.^2', 14)).toEqual({ start: 13, end: 18 });
    expect(diagnosticColumns('', undefined)).toEqual({ start: 0, end: 0 });
    expect(diagnosticColumns('abc', 99)).toEqual({ start: 0, end: 3 });
  });

  it('rebases a document report to the panel editor', () => {
    const r = rebaseReport(report({ line: 10, verdict: 'fail', params: [param({ line: 12 })], error: { line: 11, column: 2, message: 'x' } }), -9);
    expect(r.line).toBe(1);
    expect(r.params[0].line).toBe(3);
    expect(r.error?.line).toBe(2);
  });

  it('sums up several blocks', () => {
    expect(summary([{ verdict: 'pass' }, { verdict: 'fail' }, { verdict: 'pass' }])).toBe('3 gradcheck blocks checked: 2 correct, 1 wrong');
  });
});

describe('with the real engine', () => {
  it('marks the wrong-sign block in a Markdown document and follows it when it moves', () => {
    const cache = new ReportCache();
    const blocks = extractBlocks(MD);
    for (const b of blocks) cache.set('doc', b.source, checkBlock(b, { seed: 0 }));
    const first = cache.get('doc', blocks[0].source)!;
    expect(first.verdict).toBe('fail');
    expect(lensTitle(first)).toBe('✗ gradient wrong: sign error');
    expect(lensTitle(cache.get('doc', blocks[1].source))).toBe('✓ gradient correct');
    expect(cache.diagnostics('doc', blocks)).toEqual([{ line: 6, message: expect.stringMatching(/^The analytic gradient has the wrong sign/), severity: 'error' }]);

    const moved = extractBlocks(`Intro\n\n${MD}`);
    const shifted = cache.diagnostics('doc', moved);
    expect(shifted).toHaveLength(1);
    expect(shifted[0].line).toBe(8);

    const edited = extractBlocks(MD.replace('grad(w) = -2*w', 'grad(w) = 2*w'));
    cache.retain('doc', edited.map((b) => b.source));
    expect(cache.diagnostics('doc', edited)).toEqual([]);
    expect(lensTitle(cache.get('doc', edited[0].source))).toBe('Check gradient');
  });

  it('every gallery example passes and gets a ✓ lens', () => {
    for (const g of gallery) {
      const r = checkBlock({ line: 1, source: g.source, language: 'plain' }, { seed: 0 });
      expect(lensTitle(r), g.id).toMatch(/^✓/);
      expect(diagnosticsFor(r), g.id).toEqual([]);
    }
  });
});
