/**
 * The gradient checker inside a real VS Code extension host: the "Check gradient" CodeLens above
 * ```gradcheck fences (Markdown), `% gradcheck` comment blocks (LaTeX) and .gradcheck files, the
 * `logitLab.checkGradient` command (from a lens and from the palette), the 'logit-lab-gradcheck'
 * diagnostics, and the checker panel (logitLab.gradcheckPanel).
 *
 * Workspace files (test/e2e/workspace, copied per run; the tests edit only in memory and revert):
 * - homework.md: block 1 correct (mean squared error with its 1/n), block 2 the same loss with the 1/n
 *   missing from the gradient, at another w (verdicts are cached by block text: were block 2, once
 *   fixed, identical to block 1, it would show block 1's verdict without a check);
 * - homework.tex: one `% gradcheck` block whose gradient misses a factor 2;
 * - cubic.gradcheck: one correct plain block.
 *
 * Every test sets up the state it asserts (runs its own checks), so each passes on its own
 * (LOGIT_LAB_TEST_GREP). Nothing waits a fixed time: state that VS Code updates asynchronously is
 * polled with waitFor().
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, workspaceUri } from './helpers';

const COMMAND = 'logitLab.checkGradient';
const VIEW_TYPE = 'logitLab.gradcheckPanel';
const SOURCE = 'Logit Lab gradcheck';
const UNCHECKED = 'Check gradient';

const md = () => workspaceUri('homework.md');
const tex = () => workspaceUri('homework.tex');
const plain = () => workspaceUri('cubic.gradcheck');

/** 0-based lines in homework.md (keep in sync with the file). */
const MD = {
  lens1: 4, // ```gradcheck of the correct block
  block1: 6, // 1-based first content line: the lens command's argument
  grad1: 10,
  lens2: 15, // ```gradcheck of the block missing 1/n
  block2: 17,
  grad2: 21,
  wrongGrad: "grad(w) = 2 * X' * (X*w - y)",
  fixedGrad: "grad(w) = (2/n) * X' * (X*w - y)",
};

interface LensInfo {
  line: number;
  title: string;
  command: string;
  args: unknown[];
}

/** The document's CodeLenses as the editor would get them (polled: the provider may register late). */
async function lenses(uri: vscode.Uri, expectedCount: number): Promise<LensInfo[]> {
  const got = await waitFor(`${expectedCount} CodeLens(es) in ${uri.path}`, async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
    return l && l.length === expectedCount ? l : undefined;
  }, 15_000);
  return got
    .map((l) => ({ line: l.range.start.line, title: l.command?.title ?? '', command: l.command?.command ?? '', args: l.command?.arguments ?? [] }))
    .sort((a, b) => a.line - b.line);
}

const titles = async (uri: vscode.Uri, n: number) => (await lenses(uri, n)).map((l) => l.title);

const gcDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

/** Waits until the document's gradcheck diagnostics satisfy `ok`, then returns them. */
function diagnosticsWhen(uri: vscode.Uri, what: string, ok: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return waitFor(what, async () => {
    const d = gcDiagnostics(uri);
    return ok(d) ? d : undefined;
  }, 10_000);
}

/** Runs a lens's command exactly as a click on it would. */
async function clickLens(lens: LensInfo): Promise<void> {
  assert.equal(lens.command, COMMAND);
  await vscode.commands.executeCommand(lens.command, ...lens.args);
}

const allTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
/** Webview tab inputs carry the extension's viewType with a workbench prefix ('mainThreadWebview-…'). */
const isCheckerTab = (t: vscode.Tab) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(VIEW_TYPE);

function checkerTab(): Promise<vscode.Tab> {
  return waitFor('the gradient checker panel tab', async () => allTabs().find(isCheckerTab), 15_000);
}

/** Shows a document with the cursor on a 0-based line, and waits until it is the active editor. */
async function showAt(uri: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  editor.selection = new vscode.Selection(line, 0, line, 0);
  await waitFor(`${uri.path} active with the cursor on line ${line}`, async () => {
    const active = vscode.window.activeTextEditor;
    return active?.document.uri.toString() === uri.toString() && active.selection.active.line === line;
  }, 10_000);
  return editor;
}

/** Closes every editor (documents are never left dirty by these tests, so no save prompt). */
async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor('all editors closed', async () => allTabs().length === 0 && !vscode.window.activeTextEditor, 10_000);
}

suite('Gradient checker (extension host)', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    await ext.activate();
    await closeAll();
  });

  suiteTeardown(async () => {
    await closeAll().catch(() => undefined);
  });

  test('the command is registered and the checker panel has a serializer', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMAND));
    // VS Code refuses a second serializer for the same viewType: proof that the extension registered one.
    assert.throws(() => vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, { deserializeWebviewPanel: async () => undefined }), /already registered/);
  });

  test('Markdown: one "Check gradient" lens on the opening fence of each block', async () => {
    const doc = await vscode.workspace.openTextDocument(md());
    assert.equal(doc.languageId, 'markdown');
    const l = await lenses(md(), 2);
    assert.deepEqual(
      l.map((x) => [x.line, x.title, x.command]),
      [[MD.lens1, UNCHECKED, COMMAND], [MD.lens2, UNCHECKED, COMMAND]],
    );
    assert.equal(doc.lineAt(MD.lens1).text, '```gradcheck');
    assert.equal(doc.lineAt(MD.lens2).text, '```gradcheck');
    // The lens passes the document and the block's first content line (1-based).
    assert.equal(String(l[0].args[0]), md().toString());
    assert.equal(l[0].args[1], MD.block1);
    assert.equal(String(l[1].args[0]), md().toString());
    assert.equal(l[1].args[1], MD.block2);
  });

  test('Markdown: the block missing 1/n gets one error on its grad line with the diagnosis; the lens says why', async () => {
    const doc = await vscode.workspace.openTextDocument(md());
    assert.equal(doc.lineAt(MD.grad2).text, MD.wrongGrad);
    await clickLens((await lenses(md(), 2))[1]);

    const [d, ...more] = await diagnosticsWhen(md(), 'a diagnostic on the wrong block', (x) => x.length > 0);
    assert.equal(more.length, 0, JSON.stringify(more.map((m) => m.message)));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [MD.grad2, 0, MD.grad2, MD.wrongGrad.length]);
    // The diagnosis sentence: a scale error of exactly 1/n with n = 3 rows.
    assert.equal(d.message, 'The analytic gradient is 3× the numeric one: a factor 1/3 (1/n with n = 3) is missing.');
    assert.match(d.message, /factor/);

    // Lenses: the checked block shows its verdict, the other one is untouched.
    assert.deepEqual(await titles(md(), 2), [UNCHECKED, '✗ gradient wrong: missing factor 1/3']);

    // The check opens (or reveals) the checker panel.
    const tab = await checkerTab();
    assert.equal(tab.label, 'Gradient checker');
  });

  test('Markdown: the palette command checks the block under the cursor; a correct block gets no diagnostic', async () => {
    // State of its own: the wrong block checked first (through its lens), then the correct one from the palette.
    await clickLens((await lenses(md(), 2))[1]);
    await diagnosticsWhen(md(), 'the wrong block\'s diagnostic', (x) => x.length === 1);

    await showAt(md(), MD.grad1 - 1); // inside the first (correct) block
    await vscode.commands.executeCommand(COMMAND);
    assert.deepEqual(await titles(md(), 2), ['✓ gradient correct', '✗ gradient wrong: missing factor 1/3']);
    const d = gcDiagnostics(md());
    assert.deepEqual(d.map((x) => x.range.start.line), [MD.grad2], 'only the wrong block has a diagnostic');
    assert.ok(!d.some((x) => x.range.start.line >= MD.lens1 && x.range.start.line <= MD.grad1 + 1), 'nothing on the correct block');
    await checkerTab();
  });

  // The colleague's draft asserted that closing the document clears its diagnostics. The extension does
  // clear them in onDidCloseTextDocument, but VS Code fires that event only when it disposes the document
  // model, which happens late (or not at all while anything still references the document), so that test
  // could only wait and time out. What users see, and what is deterministic, is tested instead: the
  // diagnostic follows its block when lines are inserted above, disappears as soon as the block is fixed,
  // and re-checking the fixed block leaves none.
  test('Markdown: the diagnostic follows its block, clears when the block is fixed, and the re-check passes', async () => {
    const editor = await showAt(md(), 0);
    const doc = editor.document;
    try {
      await clickLens((await lenses(md(), 2))[1]);
      await diagnosticsWhen(md(), `the diagnostic on line ${MD.grad2}`, (x) => x.length === 1 && x[0].range.start.line === MD.grad2);

      // Two lines inserted above: same text, same verdict, the diagnostic moves down with the block.
      assert.ok(await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'Intro.\n\n')));
      await diagnosticsWhen(md(), `the diagnostic moved to line ${MD.grad2 + 2}`, (x) => x.length === 1 && x[0].range.start.line === MD.grad2 + 2);
      const moved = await lenses(md(), 2);
      assert.deepEqual(moved.map((x) => x.line), [MD.lens1 + 2, MD.lens2 + 2]);
      assert.equal(moved[1].title, '✗ gradient wrong: missing factor 1/3');

      // Fix the gradient (the 1/n put back): the stale diagnostic goes at once, the lens asks for a check again.
      const gradLine = doc.lineAt(MD.grad2 + 2);
      assert.equal(gradLine.text, MD.wrongGrad);
      assert.ok(await editor.edit((e) => e.replace(gradLine.range, MD.fixedGrad)));
      await diagnosticsWhen(md(), 'the diagnostic cleared after the fix', (x) => x.length === 0);
      const l = await lenses(md(), 2);
      assert.equal(l[1].title, UNCHECKED);
      assert.equal(l[1].args[1], MD.block2 + 2);

      await clickLens(l[1]);
      assert.equal((await titles(md(), 2))[1], '✓ gradient correct');
      assert.equal(gcDiagnostics(md()).length, 0);
    } finally {
      // Back to the file's text (the document is left clean: closing it later must not prompt to save).
      await showAt(md(), 0);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitFor('homework.md reverted', async () => !doc.isDirty && doc.lineAt(MD.grad2).text === MD.wrongGrad, 10_000);
    }
    // The reverted block is the wrong one again: its old report went with the fix, so it is unchecked.
    // (The first block's lens depends on whether an earlier test checked it: not asserted here.)
    await diagnosticsWhen(md(), 'no diagnostics after the revert', (x) => x.length === 0);
    assert.equal((await titles(md(), 2))[1], UNCHECKED);
  });

  test('LaTeX: lens on the % gradcheck line; a missing factor 2 is diagnosed on the grad line', async () => {
    const doc = await vscode.workspace.openTextDocument(tex());
    assert.equal(doc.languageId, 'latex');
    const l = await lenses(tex(), 1);
    assert.deepEqual(l.map((x) => [x.line, x.title]), [[4, UNCHECKED]]);
    assert.equal(doc.lineAt(4).text, '% gradcheck');
    assert.equal(l[0].args[1], 6);

    await clickLens(l[0]);
    const d = await diagnosticsWhen(tex(), 'a diagnostic in homework.tex', (x) => x.length > 0);
    assert.equal(d.length, 1);
    assert.equal(d[0].range.start.line, 7);
    assert.equal(doc.lineAt(7).text, '% grad(w) = w');
    assert.equal(d[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d[0].message, 'The analytic gradient is 1/2 of the numeric one: a factor 2 is missing.');
    assert.deepEqual(await titles(tex(), 1), ['✗ gradient wrong: missing factor 2']);
    await checkerTab();
  });

  test('.gradcheck file: its own language, one lens on line 0, the palette checks the whole file', async () => {
    const doc = await vscode.workspace.openTextDocument(plain());
    assert.equal(doc.languageId, 'gradcheck');
    const l = await lenses(plain(), 1);
    assert.deepEqual(l.map((x) => [x.line, x.title]), [[0, UNCHECKED]]);
    assert.equal(l[0].args[1], 1);

    await showAt(plain(), 2);
    await vscode.commands.executeCommand(COMMAND);
    assert.deepEqual(await titles(plain(), 1), ['✓ gradient correct']);
    assert.equal(gcDiagnostics(plain()).length, 0);
    await checkerTab();
  });

  test('the palette command with no editor opens the (empty) checker panel', async () => {
    await closeAll();
    await vscode.commands.executeCommand(COMMAND);
    const tab = await checkerTab();
    assert.equal(tab.label, 'Gradient checker');
    assert.equal(allTabs().filter(isCheckerTab).length, 1, 'one checker panel');
  });
});
