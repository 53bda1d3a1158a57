/**
 * Python gradient checks inside a real VS Code extension host, with /usr/bin/python3 and NumPy:
 * - homework_numpy.py: two `# %% gradcheck` cells, `cost` correct, `cost_draft` missing a factor 2;
 * - homework_numpy.ipynb (VS Code's built-in notebook editor, no Jupyter extension): two
 *   `# gradcheck` cells, `softmax_loss` correct, `softmax_loss_draft` with the wrong sign.
 * The interpreter comes from the Python extension's API: test/e2e/python-extension-stub stands in
 * for ms-python.python (same API shape as @vscode/python-extension) and counts the calls.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceUri } from './helpers';

const COMMAND = 'logitLab.checkGradient';
const SOURCE = 'Logit Lab gradcheck';

const py = () => workspaceUri('homework_numpy.py');
const nb = () => workspaceUri('homework_numpy.ipynb');

/** 0-based lines in homework_numpy.py (keep in sync with the file). */
const PY = { lensRight: 20, lensWrong: 23, returnWrong: 17 };

interface StubApi {
  calls: { getActiveEnvironmentPath: number; resolveEnvironment: number };
}

async function lensTitles(uri: vscode.Uri, ok: (titles: string[]) => boolean, what: string): Promise<{ line: number; title: string; args: unknown[] }[]> {
  return waitFor(what, async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    const mine = (l ?? [])
      .filter((x) => x.command?.command === COMMAND)
      .map((x) => ({ line: x.range.start.line, title: x.command?.title ?? '', args: x.command?.arguments ?? [] }))
      .sort((a, b) => a.line - b.line);
    return ok(mine.map((m) => m.title)) ? mine : undefined;
  }, 30_000);
}

suite('Python gradient checks', () => {
  test('a .py file: CodeLens on each "# %% gradcheck" cell, verdicts after a click, a diagnostic on the wrong return', async () => {
    const doc = await vscode.workspace.openTextDocument(py());
    await vscode.window.showTextDocument(doc);
    const before = await lensTitles(py(), (t) => t.length === 2, 'two Python lenses');
    assert.deepEqual(before.map((l) => [l.line, l.title]), [
      [PY.lensRight, 'Check gradient'],
      [PY.lensWrong, 'Check gradient'],
    ]);
    await vscode.commands.executeCommand(COMMAND, ...before[0].args);
    const after = await lensTitles(py(), (t) => t[0] === '✓ gradient correct', 'the verdicts on the lenses');
    assert.equal(after[1].title, '✗ gradient wrong: missing factor 2');
    const diagnostics = await waitFor('the diagnostic of cost_draft', async () => {
      const d = vscode.languages.getDiagnostics(py()).filter((x) => x.source === SOURCE);
      return d.length > 0 ? d : undefined;
    });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].range.start.line, PY.returnWrong);
    assert.match(diagnostics[0].message, /1\/2 of the numeric one: a factor 2 is missing/);
    const stub = vscode.extensions.getExtension<StubApi>('ms-python.python');
    assert.ok(stub, 'the Python extension stub is installed');
    assert.ok(stub.exports.calls.getActiveEnvironmentPath > 0 && stub.exports.calls.resolveEnvironment > 0, 'the interpreter came from the Python extension API');
    assert.equal(doc.isDirty, false, 'the document is not modified');
  });

  test('a notebook in the built-in editor: # gradcheck cells checked, the diagnostic in the cell of the wrong return', async () => {
    const notebook = await vscode.workspace.openNotebookDocument(nb());
    await vscode.window.showNotebookDocument(notebook);
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    await vscode.commands.executeCommand(COMMAND, nb(), undefined, 'python');
    const functions = notebook.cellAt(2).document;
    const diagnostics = await waitFor('the diagnostic of softmax_loss_draft', async () => {
      const d = vscode.languages.getDiagnostics(functions.uri).filter((x) => x.source === SOURCE);
      return d.length > 0 ? d : undefined;
    });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].range.start.line, 10);
    assert.match(diagnostics[0].message, /wrong sign/);
    assert.equal(vscode.languages.getDiagnostics(notebook.cellAt(3).document.uri).filter((x) => x.source === SOURCE).length, 0);
    assert.equal(notebook.isDirty, false, 'the notebook is not modified');
  });
});
