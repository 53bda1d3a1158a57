/** Issue 18 item 14: every `node dist/X.js` the docs tell readers to run is a file the build makes. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

describe('commands in the docs', () => {
  it('name only dist files that scripts/build.mjs builds', () => {
    const build = readFileSync(join(root, 'scripts', 'build.mjs'), 'utf8');
    const built = new Set([...build.matchAll(/'(dist\/[\w.-]+\.js)'/g)].map((m) => m[1]));
    expect(built.size).toBeGreaterThan(5);
    const named = docs.flatMap((f) => [...readFileSync(join(root, f), 'utf8').matchAll(/node (dist\/[\w.-]+\.js)/g)].map((m) => `${f}: ${m[1]}`));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((n) => !built.has(n.split(': ')[1]))).toEqual([]);
  });

  it('give one figure for the memory of a 5 GB stream', () => {
    const guide = readFileSync(join(root, 'docs', 'user-guide.md'), 'utf8');
    expect(guide).not.toMatch(/about 300 MB/);
    expect(guide).toMatch(/5 GB file trained in 272 MB peak RSS/);
    expect(readFileSync(join(root, 'docs', 'performance.md'), 'utf8')).toMatch(/272 MB peak RSS/);
  });
});
