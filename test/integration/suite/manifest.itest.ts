/**
 * The localized manifest as VS Code loads it: the %key% placeholders of package.json are resolved
 * from package.nls.json (so the file ships and every key exists), the walkthrough is contributed with
 * its steps, and the host's messages resolve through vscode.l10n (English: the message itself).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, readBytes } from './helpers';

suite('Logit Lab manifest and localization (extension host)', () => {
  const ext = () => {
    const e = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(e, `extension ${EXTENSION_ID} is installed`);
    return e;
  };

  test('command titles, settings and the walkthrough come resolved from package.nls.json', async () => {
    const nls = JSON.parse((await readBytes(vscode.Uri.joinPath(ext().extensionUri, 'package.nls.json'))).toString('utf8')) as Record<string, string>;
    const pkg = ext().packageJSON;
    const titles = Object.fromEntries(pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, c.title]));
    assert.equal(titles['logitLab.train'], nls['command.train.title']);
    assert.equal(titles['logitLab.checkGradient'], 'Logit Lab: Check Gradient');
    assert.equal(pkg.contributes.configuration.title, 'Logit Lab');
    const [walkthrough] = pkg.contributes.walkthroughs;
    assert.equal(walkthrough.title, nls['walkthrough.gettingStarted.title']);
    assert.deepEqual(
      walkthrough.steps.map((s: { id: string; title: string }) => [s.id, s.title]),
      [
        ['openSample', 'Open the sample dataset'],
        ['train', 'Train a model'],
        ['readPanel', 'Read the model panel'],
        ['watchLearning', 'Watch it learn'],
        ['lossLandscape', 'See the loss landscape'],
        ['modelSelection', "Choose C and read the coefficients' significance"],
        ['checkGradient', 'Check a gradient'],
      ],
    );
    for (const s of walkthrough.steps as { id: string; description: string; media: { markdown: string } }[]) {
      assert.doesNotMatch(s.description, /^%.*%$/, `${s.id}: description resolved`);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext().extensionUri, s.media.markdown));
    }
  });

  test('the l10n bundle is declared and host messages resolve', async () => {
    assert.equal(ext().packageJSON.l10n, './l10n');
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext().extensionUri, 'l10n', 'bundle.l10n.json'));
    // In the tests' English UI, vscode.l10n.t formats the message itself.
    assert.equal(vscode.l10n.t('Logit Lab: {0}', 'blobs.csv'), 'Logit Lab: blobs.csv');
  });
});
