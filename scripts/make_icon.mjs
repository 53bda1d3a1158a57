// Draws media/icon.png (128x128, the marketplace icon): a sigmoid curve over two classes of points on
// a dark rounded tile. Pure Node (zlib for the PNG's deflate); 4x4 supersampling for smooth edges.
// Usage: node scripts/make_icon.mjs [out.png]
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'media', 'icon.png');
const N = 128;
const SS = 4;

const TILE = [0x1e, 0x22, 0x30];
const GRID = [0x2c, 0x32, 0x45];
const CURVE = [0x4f, 0xc3, 0xf7];
const CLASS0 = [0xff, 0x8a, 0x65];
const CLASS1 = [0x81, 0xe6, 0x8f];

// Geometry in pixel units (0..128). The sigmoid runs from x=14 to x=114, y between 100 (p=0) and 28 (p=1).
const x0 = 14, x1 = 114, yLow = 100, yHigh = 28;
const sig = (x) => 1 / (1 + Math.exp(-(x - 64) / 9));
const curveY = (x) => yLow + (yHigh - yLow) * sig(x);
const points0 = [[22, 96], [31, 99], [40, 95], [50, 98], [58, 93]];
const points1 = [[70, 33], [79, 29], [88, 32], [97, 28], [106, 31]];

function insideRoundedTile(x, y) {
  const r = 22;
  const cx = Math.min(Math.max(x, r), N - r);
  const cy = Math.min(Math.max(y, r), N - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distToCurve(x, y) {
  // Distance to the polyline sampled every 0.25 px (plenty at this size).
  let best = Infinity;
  for (let t = x0; t <= x1; t += 0.25) best = Math.min(best, Math.hypot(x - t, y - curveY(t)));
  return best;
}

/** Colour of one subsample, or null outside the tile. */
function shade(x, y) {
  if (!insideRoundedTile(x, y)) return null;
  let c = TILE;
  if (Math.abs(x - 64) < 0.6 && y > 20 && y < 108) c = GRID; // the decision threshold p = 0.5
  if (Math.abs(y - 64) < 0.6 && x > 10 && x < 118) c = GRID;
  for (const [px, py] of points0) if (Math.hypot(x - px, y - py) <= 4.2) c = CLASS0;
  for (const [px, py] of points1) if (Math.hypot(x - px, y - py) <= 4.2) c = CLASS1;
  if (x >= x0 - 2 && x <= x1 + 2 && distToCurve(x, y) <= 3.6) c = CURVE;
  return c;
}

const rgba = Buffer.alloc(N * N * 4);
for (let py = 0; py < N; py++) {
  for (let px = 0; px < N; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a += 1;
      }
    }
    const o = (py * N + px) * 4;
    if (a > 0) {
      rgba[o] = Math.round(r / a); rgba[o + 1] = Math.round(g / a); rgba[o + 2] = Math.round(b / a);
      rgba[o + 3] = Math.round((255 * a) / (SS * SS));
    }
  }
}

// PNG: signature, IHDR (RGBA 8-bit), IDAT (filter byte 0 per row), IEND.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) rgba.copy(raw, y * (N * 4 + 1) + 1, y * N * 4, (y + 1) * N * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes, ${N}x${N})`);
