import { describe, expect, it } from 'vitest';
import type { PythonCell } from '../../../src/core/gradcheck/python/cells';
import type { BlockReport } from '../../../src/core/gradcheck/types';
import { cellIndexOf, cellReport, pythonDiagnostics, type PythonCheckView } from '../../../src/host/gradcheck/pythonLogic';

const cells: PythonCell[] = [
  { code: 'import numpy as np', line: 1, gradcheck: false },
  { code: '# %% gradcheck\ncheck_gradient(f, x)\ncheck_gradient(g, x)', line: 5, gradcheck: true },
  { code: '# %% gradcheck\ncheck_gradient(h, x)', line: 9, gradcheck: true },
];

function report(verdict: BlockReport['verdict'], line: number, extra: Partial<BlockReport> = {}): BlockReport {
  return { line, verdict, params: [], checks: [], tex: { grads: {} }, ...extra };
}

const wrong = report('fail', 7, {
  params: [{ name: 'w', verdict: 'fail', maxRelError: 1, shapeAnalytic: [3, 1], shapeExpected: [3, 1], diagnosis: { kind: 'sign', message: 'the analytic gradient has the wrong sign.' }, components: [], line: 3 }],
});
const results: PythonCheckView[] = [
  { report: report('pass', 6), at: { line: 6 }, notes: [] },
  { report: wrong, at: { line: 7 }, returnAt: { line: 3 }, notes: ['x0 has the integer dtype int64'] },
  { report: report('error', 10, { error: { line: 10, column: 1, message: 'Traceback (most recent call last):\nValueError: boom' } }), at: { line: 10 }, errorAt: { line: 2 }, notes: [] },
];

describe('Python checks in the editor (plain data)', () => {
  it('assigns checks to the cell they were registered in and shows its first failure', () => {
    expect(cellIndexOf(cells, { line: 7 })).toBe(1);
    expect(cellIndexOf(cells, { line: 10 })).toBe(2);
    expect(cellReport(cells, 1, results)?.verdict).toBe('fail');
    expect(cellReport(cells, 2, results)?.verdict).toBe('error');
    expect(cellReport(cells, 0, results)).toBeUndefined();
    const notebook: PythonCell[] = [{ code: 'a', line: 1, notebookCell: 1, gradcheck: false }, { code: '# gradcheck', line: 1, notebookCell: 3, gradcheck: true }];
    expect(cellIndexOf(notebook, { line: 2, notebookCell: 3 })).toBe(1);
  });

  it('puts a wrong gradient on its return line, an exception where it was raised, notes as warnings', () => {
    expect(pythonDiagnostics(results)).toEqual([
      { line: 3, notebookCell: undefined, message: 'The analytic gradient has the wrong sign.', severity: 'error' },
      { line: 7, notebookCell: undefined, message: 'x0 has the integer dtype int64', severity: 'warning' },
      { line: 2, notebookCell: undefined, message: 'Traceback (most recent call last):\nValueError: boom', severity: 'error' },
    ]);
  });
});
