// node bench/compareReports.mjs A.json B.json: compares two `--report-json` files (or `--json` outputs)
// field by field with Object.is, apart from timings (any key ending in "Ms" under "timings", and
// "computeMs"). Prints the first differences and exits 1 when there is any: a speed change that
// keeps every result bit-identical prints "identical".
import { readFileSync } from 'node:fs';

const [a, b] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const diffs = [];
const skip = (path) => /(^|\.)timings(\.|$)/.test(path) || /(^|\.)computeMs$/.test(path);
function walk(x, y, path) {
  if (skip(path) || diffs.length >= 20) return;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
    if (!Object.is(x, y)) diffs.push(`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    return;
  }
  if (Array.isArray(x) !== Array.isArray(y)) return void diffs.push(`${path}: array vs object`);
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) {
    const p = path ? `${path}.${k}` : k;
    if (skip(p)) continue;
    if (!(k in x) || !(k in y)) diffs.push(`${p}: only in ${k in x ? 'the first' : 'the second'}`);
    else walk(x[k], y[k], p);
  }
}
walk(a, b, '');
if (diffs.length === 0) console.log('identical');
else {
  console.log(diffs.join('\n'));
  process.exit(1);
}
