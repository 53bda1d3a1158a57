#!/usr/bin/env node
// `npm run test:all` — every test layer, in order, on a fresh machine:
//   1. set-up: Debian chromium (+ code-server for the VS Code tests) via scripts/e2e/setup.sh
//   2. lint + type-check, 3. build, 4. unit tests (vitest), 5. webviews in headless Chromium,
//   6. the extension inside a real VS Code (code-server): extension-host suite + UI test on the VSIX.
// Prints one closing line "N passed, M failed" over all layers and exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let passed = 0;
let failed = 0;
const stages = [];

function run(name, cmd, args, { count } = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: count ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', maxBuffer: 1 << 28 });
  if (count && r.stdout) process.stdout.write(r.stdout);
  const ok = r.status === 0;
  let p = 0;
  let f = 0;
  if (count === 'line' && r.stdout) {
    const m = [...r.stdout.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
    if (m) [p, f] = [Number(m[1]), Number(m[2])];
  }
  if (count === 'vitest') {
    const j = JSON.parse(readFileSync(join(root, 'test-results', 'vitest.json'), 'utf8'));
    [p, f] = [j.numPassedTests, j.numFailedTests];
  }
  if (!ok && f === 0) f = 1;
  passed += p;
  failed += f;
  stages.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - t0) / 1000).toFixed(0)} s${count ? `, ${p} passed, ${f} failed` : ''})`);
  return ok;
}

mkdirSync(join(root, 'test-results'), { recursive: true });
const setupOk = run('set-up (chromium, code-server)', 'bash', ['scripts/e2e/setup.sh']);
run('lint and type-check', 'npm', ['run', 'lint', '--silent']);
const built = run('build', 'node', ['scripts/build.mjs']);
run('unit tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json'], { count: 'vitest' });
if (built && setupOk) {
  for (const t of ['test/browser/run.mjs', 'test/browser/gradcheck.mjs', 'test/browser/longtasks.mjs']) {
    if (existsSync(join(root, t))) run(`browser: ${t}`, 'node', [t], { count: 'line' });
  }
  if (existsSync(join(root, 'scripts/e2e/run.sh'))) run('VS Code (code-server)', 'bash', ['scripts/e2e/run.sh'], { count: 'line' });
}
console.log('\n=== summary');
for (const s of stages) console.log(s);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && stages.every((s) => s.startsWith('ok')) ? 0 : 1);
