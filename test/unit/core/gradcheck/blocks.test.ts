import { describe, expect, it } from 'vitest';
import { checkDocument, extractBlocks } from '../../../../src/core/gradcheck';

describe('extractBlocks', () => {
  it('finds ```gradcheck fences with the line of their first content line', () => {
    const doc = ['# Title', '', '```gradcheck', 'a = 1', 'check a == 1', '```', '', '```python', 'x = 1', '```', '~~~gradcheck', 'b = 2', 'check b == 2', '~~~'].join('\n');
    const blocks = extractBlocks(doc);
    expect(blocks).toEqual([
      { line: 4, source: 'a = 1\ncheck a == 1', language: 'markdown' },
      { line: 12, source: 'b = 2\ncheck b == 2', language: 'markdown' },
    ]);
  });

  it('handles CRLF and an unclosed fence (to the end of the document)', () => {
    expect(extractBlocks('```gradcheck\r\na = 1\r\n')).toEqual([{ line: 2, source: 'a = 1\n', language: 'markdown' }]);
  });

  it('finds LaTeX % gradcheck ... % end comment blocks, keeping columns', () => {
    const doc = ['\\section{Gradients}', '% gradcheck', '% a = 1', '%check a == 1', '% end', 'Text.'].join('\n');
    expect(extractBlocks(doc)).toEqual([{ line: 3, source: '  a = 1\n check a == 1', language: 'latex' }]);
  });

  it('a .gradcheck file is one plain block at line 1', () => {
    expect(extractBlocks('a = 1\ncheck a == 1', 'hw.gradcheck')).toEqual([{ line: 1, source: 'a = 1\ncheck a == 1', language: 'plain' }]);
  });
});

describe('checkDocument', () => {
  it('checks every block and reports document lines', () => {
    const doc = ['Intro', '```gradcheck', 'w = 2', 'loss(w) = w^2', 'grad(w) = 2*w', '```', '', '```gradcheck', 'w = 2', 'loss(w) = w^2', 'grad(w) = -2*w', '```'].join('\n');
    const reports = checkDocument(doc);
    expect(reports.map((r) => [r.line, r.verdict])).toEqual([[3, 'pass'], [9, 'fail']]);
    expect(reports[1].params[0]).toMatchObject({ line: 11, diagnosis: { kind: 'sign' } });
  });

  it('LaTeX block errors point at document columns', () => {
    const doc = ['% gradcheck', '% w = [1; 2]', '% loss(w) = sum(q)', '% grad(w) = w', '% end'].join('\n');
    expect(checkDocument(doc)[0].error).toEqual({ line: 3, column: 17, message: 'unknown symbol "q"' });
  });
});
