// The benchmark's deterministic CSVs (bench/run.mjs), also the big files of the long-task browser
// test (test/browser/longtasks.mjs) and of the UI journey (scripts/e2e/make-big-csv.mjs); bench/fit.mjs
// writes its one-hot file through the same seeded stream and row writer.
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/** mulberry32: the same stream on every machine. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * rows x features, unscaled columns (scale 10^-2..10^2, offsets 0/50/100) of standard normals u.
 * Two classes: y ~ Bernoulli(σ(0.3 + w·u)); more: y ~ softmax(W u) with W_kj = 0.5 N(0, 1).
 */
export async function generate(path, rows, features, classes) {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const next = rng(42);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const scale = Array.from({ length: features }, (_, j) => 10 ** ((j % 5) - 2));
  const offset = Array.from({ length: features }, (_, j) => (j % 3) * 50);
  const w = Array.from({ length: features }, (_, j) => (j % 2 ? 1 : -1) * (0.2 + (j % 7) / 10));
  const W = classes > 2 ? Array.from({ length: classes * features }, () => 0.5 * normal()) : [];
  const z = new Float64Array(classes);
  await writeRows(path, Array.from({ length: features }, (_, j) => `x${j + 1}`).join(',') + ',y', rows, () => {
    let zb = 0.3;
    z.fill(0);
    const cells = [];
    for (let j = 0; j < features; j++) {
      const u = normal();
      zb += w[j] * u;
      for (let k = 0; k < W.length / features; k++) z[k] += W[k * features + j] * u;
      cells.push((offset[j] + u * scale[j]).toPrecision(7));
    }
    cells.push(classes > 2 ? `c${sampleSoftmax(z, next())}` : next() < 1 / (1 + Math.exp(-zb)) ? '1' : '0');
    return cells.join(',');
  });
}

/**
 * Writes `header` and then `rows` lines made by `row()` (in order, so a seeded generator gives the same
 * file everywhere) to path, through path.tmp renamed at the end, in 1 MB chunks.
 */
export async function writeRows(path, header, rows, row) {
  const tmp = path + '.tmp';
  const out = createWriteStream(tmp);
  out.write(header + '\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += row() + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((r) => out.end(r));
  renameSync(tmp, path);
}

/** The class whose softmax(z) CDF interval holds the uniform u. */
function sampleSoftmax(z, u) {
  const m = Math.max(...z);
  const e = Array.from(z, (v) => Math.exp(v - m));
  let t = u * e.reduce((a, b) => a + b, 0);
  for (let k = 0; k < e.length - 1; k++) if ((t -= e[k]) < 0) return k;
  return e.length - 1;
}

