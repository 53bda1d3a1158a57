import { describe, expect, it } from 'vitest';
import { documentKind, documentPosition, extractPythonCells, PythonDocumentError } from '../../../../src/core/gradcheck/python/cells';

describe('Python cells', () => {
  it('splits a .py file at # %% markers, runs earlier cells first and stops after the last check cell', () => {
    const text = ['import numpy as np', 'x = 1', '# %% data', 'X = np.ones(3)', '# %% gradcheck', 'check_gradient(f, X)', '# %%', 'print(1)'].join('\n');
    const cells = extractPythonCells(text, 'py');
    expect(cells.map((c) => [c.line, c.gradcheck])).toEqual([
      [1, false],
      [3, false],
      [5, true],
    ]);
    expect(cells[2].code).toBe('# %% gradcheck\ncheck_gradient(f, X)');
    expect(documentPosition(cells[2], 2)).toEqual({ line: 6 });
  });

  it('finds notebook cells whose first line is # gradcheck, with magics blanked and positions by cell', () => {
    const nb = {
      cells: [
        { cell_type: 'markdown', source: ['# title'] },
        { cell_type: 'code', source: ['import numpy as np\n', '%matplotlib inline\n', '!pip install x'] },
        { cell_type: 'code', source: '# gradcheck\ncheck_gradient(f, x0)' },
        { cell_type: 'code', source: ['print(2)'] },
      ],
    };
    const cells = extractPythonCells(JSON.stringify(nb), 'ipynb');
    expect(cells).toHaveLength(2);
    expect(cells[0]).toMatchObject({ notebookCell: 1, gradcheck: false, code: 'import numpy as np\npass\npass' });
    expect(cells[1]).toMatchObject({ notebookCell: 2, gradcheck: true });
    expect(documentPosition(cells[1], 2)).toEqual({ line: 2, notebookCell: 2 });
  });

  it('reads ```python gradcheck fences and the earlier ```python fences of Markdown', () => {
    const md = ['# hw', '```python', 'a = 1', '```', '```gradcheck', 'w = 1', '```', '~~~py gradcheck', 'check_gradient(f, a)', '~~~'].join('\n');
    const cells = extractPythonCells(md, 'markdown');
    expect(cells.map((c) => [c.line, c.gradcheck, c.code])).toEqual([
      [3, false, 'a = 1'],
      [9, true, 'check_gradient(f, a)'],
    ]);
  });

  it('has no cells without a check cell, and names a broken notebook', () => {
    expect(extractPythonCells('x = 1\n# %%\ny = 2', 'py')).toEqual([]);
    expect(() => extractPythonCells('{"cells": 3', 'ipynb')).toThrow(PythonDocumentError);
    expect(() => extractPythonCells('{"nbformat": 4}', 'ipynb')).toThrow(/no "cells" array/);
    expect(documentKind('hw.IPYNB')).toBe('ipynb');
    expect(documentKind('hw.txt')).toBeUndefined();
  });
});
