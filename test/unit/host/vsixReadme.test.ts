/**
 * Issue 18 item 13: the installed VSIX's README links and images resolve inside the package.
 * `npm run package` checks the built VSIX itself (scripts/check-vsix-links.mjs unpacks it); this test
 * checks the inputs: no rewriting to a placeholder host, and no linked file left out by .vscodeignore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
const links = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:|^#/i.test(t));
const ignored = readFileSync(join(root, '.vscodeignore'), 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

describe('the VSIX README', () => {
  it('is packaged with relative links and checked after packaging', () => {
    expect(pkg.scripts.package).toContain('--no-rewrite-relative-links');
    expect(pkg.scripts.package).not.toMatch(/example\.invalid|--baseContentUrl|--baseImagesUrl/);
    expect(pkg.scripts.package).toContain('node scripts/check-vsix-links.mjs');
  });

  it('links only files that exist and that .vscodeignore keeps', () => {
    expect(links).toEqual(expect.arrayContaining(['docs/user-guide.md', 'media/screenshots/model-boundary.png']));
    for (const link of links) {
      expect(existsSync(join(root, link)), link).toBe(true);
      const top = link.split('/')[0];
      expect(ignored.filter((g) => g === `${top}/**` || link.startsWith(g.replace(/\*\*$/, ''))), link).toEqual([]);
    }
  });
});
