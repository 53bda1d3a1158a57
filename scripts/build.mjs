// One esbuild script, one context per target: extension (node, cjs, external vscode), worker (node),
// cli (node, shebang) and the webviews (browser; KaTeX fonts emitted beside the bundle).
// Usage: node scripts/build.mjs [--watch] [--production] [--metafile]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const metafile = process.argv.includes('--metafile');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  target: 'es2022',
  legalComments: 'none',
  metafile,
  absWorkingDir: root,
};

// Prefer ES modules ("module") over CommonJS so esbuild can tree-shake libraries such as mathjs.
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

/** Each target: [entry, outfile, options]; entries that do not exist yet are skipped. */
const targets = [
  ['src/extension.ts', 'dist/extension.js', { ...node, external: ['vscode'] }],
  ['src/worker/trainWorker.ts', 'dist/trainWorker.js', node],
  ['src/worker/trainProcess.ts', 'dist/trainProcess.js', node],
  ['src/worker/lossShardWorker.ts', 'dist/lossShardWorker.js', node],
  ['src/worker/parseWorker.ts', 'dist/parseWorker.js', node],
  ['src/worker/gradcheckWorker.ts', 'dist/gradcheckWorker.js', node],
  ['src/cli/main.ts', 'dist/cli.js', { ...node, banner: { js: '#!/usr/bin/env node' } }],
  ['src/core/gradcheck/index.ts', 'dist/gradcheckEngine.js', node],
  ['bench/bench.ts', 'dist/bench.js', node],
  ['bench/evaluate.ts', 'dist/evaluate-bench.js', node],
  ['bench/gradient.ts', 'dist/gradient-bench.js', node],
  ['bench/fit.ts', 'dist/fit-bench.js', node],
  ['bench/cvBench.ts', 'dist/cv-bench.js', node],
  ['webview/panel/main.ts', 'media/dist/panel.js', webview()],
  ['webview/gradcheck/main.ts', 'media/dist/gradcheck.js', webview()],
];

function webview() {
  return {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.woff2': 'file', '.woff': 'empty', '.ttf': 'empty' },
    assetNames: 'fonts/[name]',
  };
}

mkdirSync(join(root, 'dist'), { recursive: true });
mkdirSync(join(root, 'media/dist'), { recursive: true });
// The codicon font and stylesheet for @vscode-elements (vscode-icon looks for
// <link id="vscode-codicon-stylesheet">; without it every icon logs a warning).
mkdirSync(join(root, 'media/dist/codicons'), { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(root, 'node_modules/@vscode/codicons/dist', f), join(root, 'media/dist/codicons', f));

const contexts = [];
for (const [entry, outfile, options] of targets) {
  if (!existsSync(join(root, entry))) continue;
  contexts.push(await esbuild.context({ ...options, entryPoints: [entry], outfile }));
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${contexts.length} targets`);
} else {
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (existsSync(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
  const sizes = targets
    .filter(([, out]) => existsSync(join(root, out)))
    .map(([, out]) => `${out} ${(statSync(join(root, out)).size / 1024).toFixed(0)} KiB`);
  console.log(`built ${contexts.length} targets: ${sizes.join(', ')}`);
  if (metafile) {
    writeFileSync(join(root, 'dist/meta.json'), JSON.stringify(results.map((r) => r.metafile)));
  }
}
