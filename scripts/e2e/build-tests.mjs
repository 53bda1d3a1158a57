// Compiles the extension-host tests (test/integration/**/*.ts) to out/test/integration/ with esbuild:
// each entry bundled (so tests can import src/core helpers), vscode/mocha/@vscode/test-electron external.
// Usage: node scripts/e2e/build-tests.mjs
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const suite = join(root, 'test/integration/suite');
const entryPoints = [
  join(root, 'test/integration/runTest.ts'),
  ...readdirSync(suite).filter((f) => f === 'index.ts' || f.endsWith('.itest.ts')).map((f) => join(suite, f)),
];
await esbuild.build({
  entryPoints,
  outbase: join(root, 'test/integration'),
  outdir: join(root, 'out/test/integration'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'mocha', '@vscode/test-electron'],
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} test entries into out/test/integration/`);
