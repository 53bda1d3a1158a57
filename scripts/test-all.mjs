#!/usr/bin/env node
// `npm run test:all` — every test layer, in order, on a fresh machine:
//   1. set-up: Debian chromium (+ code-server for the VS Code tests) via scripts/e2e/setup.sh
//   2. lint + type-check, 3. build, 4. unit tests (vitest), 5. webviews in headless Chromium,
//   6. the extension inside a real VS Code (code-server): extension-host suite + UI test on the VSIX.
// Prints one closing line "N passed, M failed" over all layers and exits non-zero if anything failed.
// The summary at the end names every failed test with the first lines of its message (CI keeps only
// the tail of the log). A unit test that fails is run once more, alone with its file, and a browser
// test once more in fresh pages (test/browser/harness.mjs): a test that then passes is reported as
// flaky by name in the summary (and counted as passed); one that fails again fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let passed = 0;
let failed = 0;
const stages = [];
/** Lines for the summary: each failed test with the start of its message; each flaky one. */
const failures = [];
const flaky = [];

/** The first lines of a failure message, indented, at most `max` characters. */
const excerpt = (text, max = 600) =>
  String(text ?? '')
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
    .split('\n')
    .filter((l) => l.trim() !== '' && !/node_modules|node:internal|new Promise \(<anonymous>\)/.test(l))
    .slice(0, 6)
    .map((l) => `      ${l.slice(0, 200)}`)
    .join('\n')
    .slice(0, max);

/** The failed tests of a vitest JSON report: [{ file, name, message }]. */
function vitestFailures(file) {
  const j = JSON.parse(readFileSync(join(root, 'test-results', file), 'utf8'));
  const out = [];
  for (const f of j.testResults) {
    const rel = relative(root, f.name);
    for (const t of f.assertionResults) {
      if (t.status === 'failed') out.push({ file: rel, name: t.fullName ?? t.title, message: (t.failureMessages ?? []).join('\n') });
    }
    // A file that failed before its tests ran (an import or a beforeAll).
    if (f.status === 'failed' && !f.assertionResults.some((t) => t.status === 'failed')) out.push({ file: rel, name: '(the file itself)', message: f.message });
  }
  return { passed: j.numPassedTests, failed: j.numFailedTests, list: out };
}

function run(name, cmd, args, { count } = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: count ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', maxBuffer: 1 << 28 });
  if (count && r.stdout) process.stdout.write(r.stdout);
  const ok = r.status === 0;
  let p = 0;
  let f = 0;
  let stageOk = ok;
  if (count === 'line' && r.stdout) {
    const m = [...r.stdout.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
    if (m) [p, f] = [Number(m[1]), Number(m[2])];
    // The browser runners print `FAIL  name` and an indented message; the UI journey `[t] FAIL name: message`.
    const lines = r.stdout.split('\n');
    lines.forEach((l, i) => {
      if (/(^|\] )FAIL\b/.test(l)) failures.push(`${name}: ${l.trim()}\n${excerpt(lines.slice(i + 1, i + 4).filter((x) => /^\s/.test(x)).join('\n'))}`);
      // test/browser/harness.mjs: a test that passed on its second attempt.
      if (/^ok\s.*\(flaky: /.test(l)) flaky.push(`${name}: ${l.replace(/^ok\s+/, '')}`);
    });
  }
  if (count === 'vitest') {
    const first = vitestFailures('vitest.json');
    [p, f] = [first.passed, first.failed];
    if (first.list.length > 0) {
      // Once more, the failed tests' files alone.
      const files = [...new Set(first.list.map((x) => x.file))];
      console.log(`\n=== ${name}: ${first.list.length} failed; their files once more: ${files.join(' ')}`);
      const again = spawnSync(cmd, ['vitest', 'run', ...files, '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest-rerun.json'], { cwd: root, stdio: 'inherit' });
      let second;
      try {
        second = vitestFailures('vitest-rerun.json');
      } catch {
        second = { list: first.list };
      }
      const stillFailing = new Set(second.list.map((x) => `${x.file} > ${x.name}`));
      for (const x of first.list) {
        const id = `${x.file} > ${x.name}`;
        if (stillFailing.has(id) || again.status === null) failures.push(`${name}: ${id}\n${excerpt(x.message)}`);
        else flaky.push(`${name}: ${id} (failed, then passed alone)\n${excerpt(x.message)}`);
      }
      for (const x of second.list) if (!first.list.some((y) => y.file === x.file && y.name === x.name)) failures.push(`${name} (the rerun): ${x.file} > ${x.name}\n${excerpt(x.message)}`);
      const recovered = first.list.filter((x) => !stillFailing.has(`${x.file} > ${x.name}`)).length;
      stageOk = again.status === 0 && second.list.length === 0;
      [p, f] = [p + recovered, stageOk ? 0 : f - recovered];
    } else if (!ok) {
      failures.push(`${name}: vitest exited with ${r.status} and no failed test in its report`);
    }
  } else if (!ok && failures.every((x) => !x.startsWith(`${name}:`))) {
    failures.push(`${name}: exited with ${r.status ?? r.signal}`);
  }
  if (!stageOk && f === 0) f = 1;
  passed += p;
  failed += f;
  stages.push(`${stageOk ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - t0) / 1000).toFixed(0)} s${count ? `, ${p} passed, ${f} failed` : ''})`);
  return stageOk;
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
if (flaky.length > 0) console.log(`\nflaky: failed once, then passed when run again\n${flaky.join('\n')}`);
if (failures.length > 0) console.log(`\nfailed:\n${failures.join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && stages.every((s) => s.startsWith('ok')) ? 0 : 1);
