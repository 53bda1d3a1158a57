/**
 * Runs the extension-host suite in a desktop VS Code downloaded by @vscode/test-electron 2.x (a
 * developer laptop; this CI machine has no network for that: there, scripts/e2e/run.sh runs the same
 * suite in code-server). The workspace is a throw-away copy of test/e2e/workspace.
 * Usage: node scripts/e2e/build-tests.mjs && node out/test/integration/runTest.js
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'logit-lab-ws-'));
  fs.cpSync(path.join(root, 'test/e2e/workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      // The repository, and a stand-in for the Python extension's API (test/e2e/python-extension-stub).
      extensionDevelopmentPath: [root, path.join(root, 'test/e2e/python-extension-stub')],
      extensionTestsPath: path.join(root, 'out/test/integration/suite/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
