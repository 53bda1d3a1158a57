#!/usr/bin/env node
// The UI journey's big file (test/e2e/ui.test.mjs, "a big file trains live"): 500,000 rows x 10
// unscaled features and a 0/1 label, deterministic (mulberry32, seed 7), about 46 MB: past the
// preview's 4 MB sample, and a run long enough to stream its loss. Usage: node make-big-csv.mjs OUT.csv
import { createWriteStream } from 'node:fs';

export const ROWS = 500_000;
const FEATURES = 10;
const out = createWriteStream(process.argv[2]);
let s = 7;
const next = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = Math.imul(s ^ (s >>> 15), s | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
out.write(Array.from({ length: FEATURES }, (_, j) => `x${j + 1}`).join(',') + ',label\n');
let chunk = '';
for (let i = 0; i < ROWS; i++) {
  let z = 0.2;
  const cells = [];
  for (let j = 0; j < FEATURES; j++) {
    const u = normal();
    z += (j % 2 ? 0.8 : -0.5) * u;
    cells.push((u * 10 ** ((j % 4) - 1) + 20 * (j % 3)).toPrecision(6));
  }
  cells.push(next() < 1 / (1 + Math.exp(-z)) ? '1' : '0');
  chunk += cells.join(',') + '\n';
  if (chunk.length > 1 << 20) {
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    chunk = '';
  }
}
out.end(chunk);
