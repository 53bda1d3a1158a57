/**
 * Extension-host test entry (the @vscode/test-electron `extensionTestsPath` contract): run() returns
 * a Promise that rejects when a test fails. Runs inside a real VS Code extension host: desktop VS
 * Code through runTest.ts, or code-server through scripts/e2e/run.sh. Compiled to
 * out/test/integration/suite/index.js (scripts/e2e/run.sh builds it with esbuild).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.LOGIT_LAB_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.itest.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`MOCHA-DONE failures=${failures}`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
