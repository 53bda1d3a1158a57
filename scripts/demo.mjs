#!/usr/bin/env node
// `npm run demo`: the main job on the bundled samples, through the CLI.
//  1. trains a softmax model on samples/iris.csv, prints the summary, writes out/iris-model.json and
//     a self-contained HTML report out/iris-report.html (open it in any browser);
//  2. checks the homework gradients in samples/gradients.md (two of its blocks hold deliberate
//     slips, so the checker's exit code 3 "a gradient is wrong" is the expected outcome here).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'out'), { recursive: true });
const cli = (args) => spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd: root, stdio: 'inherit' }).status;

console.log('$ logit-lab train samples/iris.csv --out out/iris-model.json --report out/iris-report.html\n');
const train = cli(['train', 'samples/iris.csv', '--out', 'out/iris-model.json', '--report', 'out/iris-report.html']);
if (train !== 0) process.exit(train ?? 1);
console.log('\n$ logit-lab gradcheck samples/gradients.md\n');
const check = cli(['gradcheck', 'samples/gradients.md']);
if (check !== 3) {
  console.error(`expected exit code 3 (the sample holds deliberate slips), got ${check}`);
  process.exit(1);
}
console.log('\nDemo done: the gradient checker found the deliberate slips (exit code 3), as intended.');
