#!/usr/bin/env node
/**
 * The hostile-input suite (`npm run fuzz`, after `npm run build`): generates the inputs of issue 18
 * and more (extreme values, many classes, wide data, a 12.5 MB header, devices, pipes, output paths
 * that reach the input, formula labels, tampered models, malformed CSVs, and seeded random mutations
 * of a sample), runs the real CLI (dist/cli.js) on each in its own process, and asserts the contract:
 *   - exit 0, or exit 2 with the last stderr line one diagnostic naming the file (with line and column
 *     where the case says they apply);
 *   - bounded time (LIMIT_S) and peak RSS (LIMIT_MB, from /usr/bin/time);
 *   - every input's bytes unchanged, and no temp file left behind.
 * Prints one line per case and a summary; --markdown prints the table for docs/reliability.md.
 * Exit code 1 when any case breaks the contract.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, statSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run npm run build first');
  process.exit(2);
}
const LIMIT_S = 60;
const LIMIT_MB = 1500;
const markdown = process.argv.includes('--markdown');
const dir = mkdtempSync(join(tmpdir(), 'logit-lab-fuzz-'));
const sha = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');
const file = (name, content) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** A tiny seeded generator (mulberry32), so every run tries the same inputs. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(18);
const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

// ---- the inputs -------------------------------------------------------------------------------
const binary = readFileSync(join(root, 'samples', 'binary.csv'));
const data = file('data.csv', binary);
const cases = [];
/** name, argv (paths inside dir), inputs whose bytes must not change, where: 'line' | 'column' | undefined, expect: 0 | 2 | [0, 2] */
const add = (name, argv, opts = {}) => cases.push({ name, argv, inputs: opts.inputs ?? argv.filter((a) => typeof a === 'string' && a.startsWith(dir) && existsSync(a) && !a.endsWith('/')), where: opts.where, expect: opts.expect ?? [0, 2], check: opts.check });

add('1e308 beside ordinary numbers', ['train', file('extreme.csv', 'a,b,y\n' + rows(100, (i) => `${i === 5 ? '1e308' : rand().toFixed(4)},${rand().toFixed(4)},${i % 2}`))], { expect: 0 });
add('1e308, --test-size 0 --val-size 0', ['train', join(dir, 'extreme.csv'), '--test-size', '0', '--val-size', '0', '--json'], { expect: 0, check: (r) => JSON.parse(r.stdout).converged === true && Number.isFinite(JSON.parse(r.stdout).gradientNorm) });
add('1e308 on raw units', ['train', join(dir, 'extreme.csv'), '--no-standardize'], { expect: 2, where: 'line' });
add('1e308, streamed', ['train', join(dir, 'extreme.csv'), '--stream'], { expect: 2 });
add('5,000 labels in 10,000 rows', ['train', file('labels.csv', 'a,b,label\n' + rows(10_000, (i) => `${rand().toFixed(3)},${rand().toFixed(3)},c${i % 5000}`)), '--target', 'label', '--max-iter', '1'], { expect: 2 });
add('5,000 labels, streamed', ['train', join(dir, 'labels.csv'), '--target', 'label', '--stream'], { expect: 2 });
add('2,000 columns x 150 rows', ['train', file('wide.csv', Array.from({ length: 2000 }, (_, j) => `g${j}`).join(',') + ',y\n' + rows(150, (i) => Array.from({ length: 2000 }, () => normal().toFixed(2)).join(',') + `,${i % 2}`)), '--json'], { expect: 0 });
add('header of 12.5M commas', ['train', file('header.csv', ','.repeat(12_500_000) + '\n1\n')], { expect: 2, where: 'line' });
add('header of 12.5M commas, streamed', ['train', join(dir, 'header.csv'), '--stream'], { expect: 2, where: 'line' });
add('header of 100,001 columns', ['train', file('cols.csv', Array.from({ length: 100_001 }, (_, j) => `c${j}`).join(',') + '\n' + Array.from({ length: 100_001 }, () => '1').join(',') + '\n')], { expect: 2, where: 'line' });
add('/dev/zero', ['train', '/dev/zero'], { expect: 2 });
add('/dev/urandom, streamed', ['train', '/dev/urandom', '--stream'], { expect: 2 });
mkdirSync(join(dir, 'sub'));
add('a directory', ['train', join(dir, 'sub')], { expect: 2 });
execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
add('a named pipe (no writer)', ['train', join(dir, 'pipe.csv')], { expect: 2, inputs: [] });
symlinkSync('.', join(dir, 'dirlink'));
add('--out through a symlinked directory onto the input', ['train', data, '--out', join(dir, 'dirlink', 'data.csv')], { expect: 2, inputs: [data] });
add('--out /proc/self/cwd/<input>', ['train', 'data.csv', '--out', '/proc/self/cwd/data.csv'], { expect: 2, inputs: [data], cwd: true });
add('--out X --report X', ['train', data, '--out', join(dir, 'same.out'), '--report', join(dir, 'same.out')], { expect: 2, inputs: [data] });
add('--out into a missing directory', ['train', data, '--out', join(dir, 'nope', 'm.json')], { expect: 2, inputs: [data] });
mkdirSync(join(dir, 'locked'));
chmodSync(join(dir, 'locked'), 0o500);
add('--out into an unwritable directory', ['train', data, '--out', join(dir, 'locked', 'm.json')], { expect: process.getuid?.() === 0 ? [0, 2] : 2, inputs: [data] });
add('--out is a directory', ['train', data, '--out', join(dir, 'sub')], { expect: 2, inputs: [data] });
add('--out --json', ['train', data, '--out', '--json'], { expect: 2, inputs: [data] });
const formula = file('formula.csv', 'x,label\n' + rows(60, (i) => `${(i % 3) * 2 + rand()},"${['=HYPERLINK(""http://x.invalid"",""y"")', "+cmd|' /C calc'!A0", '@SUM(1+1)'][i % 3]}"`));
add('train on formula labels', ['train', formula, '--out', join(dir, 'formula.json')], { expect: 0 });
add('predict formula labels', ['predict', join(dir, 'formula.json'), formula, '--out', join(dir, 'formula-pred.csv')], {
  expect: 0,
  check: () => readFileSync(join(dir, 'formula-pred.csv'), 'utf8').split('\n').slice(1).filter(Boolean).every((l) => /^\d+,"?'/.test(l)),
});
add('predict through a symlinked directory onto the data', ['predict', join(dir, 'formula.json'), formula, '--out', join(dir, 'dirlink', 'formula.csv')], { expect: 2 });
add('train binary model', ['train', data, '--out', join(dir, 'model.json')], { expect: 0, inputs: [data] });
const tamper = (name, f) => {
  const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  f(m);
  return file(name, JSON.stringify(m));
};
cases.push({ name: 'tampered models', deferred: true });
add('thousands separators', ['train', file('sep.csv', 'amount,y\n' + rows(20, (i) => `"${i + 1}.${String(100 + i).padStart(3, '0')},${10 + i}",${i % 2}`))], { expect: 2 });
add('empty file', ['train', file('empty.csv', '')], { expect: 2 });
add('header only', ['train', file('header-only.csv', 'a,b,y\n')], { expect: 2, where: 'line' });
add('NUL bytes (a zip)', ['train', file('zip.csv', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1, 2, 0xff]))], { expect: 2, where: 'column' });
add('ragged row', ['train', file('ragged.csv', 'a,b,y\n1,2,0\n3,4,1\n5,6,0,7\n')], { expect: 2, where: 'line' });
add('unterminated quote', ['train', file('quote.csv', 'a,b,y\n1,"2,0\n3,4,1\n')], { expect: 2, where: 'line' });
add('one class', ['train', file('oneclass.csv', 'x,y\n1,a\n2,a\n3,a\n')], { expect: 2 });
add('BOM, CRLF, semicolons, decimal commas', ['train', file('euro.csv', '\ufeffa;b;y\r\n' + rows(60, (i) => `${(i / 7).toFixed(2).replace('.', ',')};${(i % 5) + 0.5};${i % 2}`).replace(/\n/g, '\r\n'))], { expect: 0 });
add('a 10 MB cell', ['train', file('longcell.csv', 'a,b,y\n' + '1,"' + 'x'.repeat(10_000_000) + '",0\n' + rows(50, (i) => `${i},t${i % 3},${i % 2}`))], { expect: [0, 2] });
add('UTF-16 file', ['train', file('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b,y\n1,2,0\n3,4,1\n', 'utf16le')]))], { expect: 2 });
add('random bytes', ['train', file('random.bin', Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256))))], { expect: 2 });
add('only missing target values', ['train', file('notarget.csv', 'a,y\n1,\n2,NA\n3,\n'), '--target', 'y'], { expect: 2 });
// Seeded random mutations of a sample: flipped bytes, inserted quotes, delimiters and line breaks.
const text = binary.toString('utf8');
for (let k = 0; k < 40; k++) {
  const chars = text.split('');
  const edits = 1 + Math.floor(rand() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * chars.length);
    const what = ['"', ',', '\n', '\r', '\0', 'x', '-', 'e999', '1e308', '', ';'][Math.floor(rand() * 11)];
    if (rand() < 0.5) chars.splice(at, 1, what);
    else chars.splice(at, 0, what);
  }
  add(`mutation ${k + 1} (${edits} edits)`, ['train', file(`mut${k}.csv`, chars.join('')), ...(k % 4 === 3 ? ['--stream'] : [])], { expect: [0, 2] });
}

// ---- running them -----------------------------------------------------------------------------
function run(c) {
  const inputs = (c.inputs ?? []).filter((p) => existsSync(p) && statSync(p).isFile());
  const before = inputs.map(sha);
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...c.argv], { cwd: dir, encoding: 'utf8', timeout: LIMIT_S * 1000, maxBuffer: 1 << 30 });
  const seconds = (performance.now() - t0) / 1000;
  const errLines = (r.stderr ?? '').trimEnd().split('\n').filter((l) => !l.startsWith('Command exited with non-zero status'));
  const rssMB = Number(errLines.pop()) / 1024;
  const last = errLines.filter((l) => !l.startsWith('logit-lab: ') || l.includes('error')).pop() ?? '';
  const code = r.status ?? -1;
  const problems = [];
  const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
  if (r.error || r.signal) problems.push(`killed (${r.error?.message ?? r.signal})`);
  if (!expected.includes(code)) problems.push(`exit ${code}, expected ${expected.join(' or ')}: ${last}`);
  if (code === 2) {
    const named = c.argv.filter((a) => typeof a === 'string' && (a.startsWith(dir) || a.startsWith('/dev/') || a.endsWith('.csv')) && !a.startsWith('--')).map((a) => a.split('/').pop());
    // A usage error (a flag without its value) names the flag; every other names the file.
    const usage = /^error: --[\w-]+ /.test(last);
    if (!usage && (!/: error: /.test(last) || !named.some((n) => last.includes(n)))) problems.push(`exit 2 without a diagnostic naming the file: ${last}`);
    if (c.where === 'line' && !/:\d+: error:/.test(last) && !/:\d+:\d+: error:/.test(last)) problems.push(`no line: ${last}`);
    if (c.where === 'column' && !/:\d+:\d+: error:/.test(last)) problems.push(`no line and column: ${last}`);
  }
  if (code === 1 || /internal error/.test(r.stderr ?? '')) problems.push(`internal error: ${last}`);
  if (seconds > LIMIT_S) problems.push(`took ${seconds.toFixed(1)} s`);
  if (rssMB > LIMIT_MB) problems.push(`peak RSS ${rssMB.toFixed(0)} MB`);
  inputs.forEach((p, i) => {
    if (sha(p) !== before[i]) problems.push(`${relative(dir, p)} changed`);
  });
  const temps = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
  if (temps.length > 0) problems.push(`temp files left: ${temps.join(', ')}`);
  if (problems.length === 0 && code === 0 && c.check && !c.check(r)) problems.push('output check failed');
  return { name: c.name, code, seconds, rssMB, last, problems };
}

const results = [];
for (const c of cases) {
  if (c.deferred) {
    for (const [name, f] of [
      ['string coefficient', (m) => (m.coefStandardized[0][0] = 'abc')],
      ['zero scale', (m) => (m.preprocessor.scale[0] = 0)],
      ['one class', (m) => (m.classes = ['no'])],
      ['unknown kind', (m) => (m.kind = 'svm')],
      ['not JSON', null],
    ]) {
      const path = f ? tamper(`tampered-${results.length}.json`, f) : file('notjson.json', '{"format": "logit-lab-model",');
      results.push(run({ name: `predict with a tampered model: ${name}`, argv: ['predict', path, data], inputs: [path, data], expect: 2 }));
      console.log(line(results[results.length - 1]));
    }
    continue;
  }
  results.push(run(c));
  console.log(line(results[results.length - 1]));
}
chmodSync(join(dir, 'locked'), 0o700);
rmSync(dir, { recursive: true, force: true });

function line(r) {
  return `${r.problems.length ? 'FAIL' : 'ok  '} exit ${r.code}  ${r.seconds.toFixed(2).padStart(6)} s  ${r.rssMB.toFixed(0).padStart(5)} MB  ${r.name}${r.problems.length ? `\n       ${r.problems.join('\n       ')}` : r.code === 2 ? `\n       ${r.last}` : ''}`;
}

const failed = results.filter((r) => r.problems.length > 0);
const maxS = Math.max(...results.map((r) => r.seconds));
const maxMB = Math.max(...results.map((r) => r.rssMB));
console.log(`\n${results.length} cases: ${results.filter((r) => r.code === 0).length} exit 0, ${results.filter((r) => r.code === 2).length} exit 2, ${failed.length} broke the contract; slowest ${maxS.toFixed(2)} s, largest peak RSS ${maxMB.toFixed(0)} MB (limits ${LIMIT_S} s, ${LIMIT_MB} MB); every input unchanged: ${failed.every((r) => !r.problems.some((p) => p.endsWith('changed'))) ? 'yes' : 'NO'}`);
if (markdown) {
  console.log('\n| input | exit | time (s) | peak RSS (MB) |\n|---|---|---|---|');
  for (const r of results.filter((x) => !x.name.startsWith('mutation'))) console.log(`| ${r.name} | ${r.code} | ${r.seconds.toFixed(2)} | ${r.rssMB.toFixed(0)} |`);
  const muts = results.filter((x) => x.name.startsWith('mutation'));
  console.log(`| ${muts.length} seeded random mutations of samples/binary.csv | ${muts.filter((r) => r.code === 0).length} x 0, ${muts.filter((r) => r.code === 2).length} x 2 | ≤ ${Math.max(...muts.map((r) => r.seconds)).toFixed(2)} | ≤ ${Math.max(...muts.map((r) => r.rssMB)).toFixed(0)} |`);
}
process.exitCode = failed.length > 0 ? 1 : 0;
