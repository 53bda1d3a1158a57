#!/usr/bin/env node
/**
 * Unpacks a built VSIX (a zip) into a temp directory and checks that every relative link and image of
 * its README.md, and of the Markdown files those link to, resolves to a file inside the package.
 * Absolute http(s) links are listed, not fetched.
 *
 *   npm run package && node scripts/check-vsix-links.mjs [logit-lab-X.Y.Z.vsix]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';

const vsix = process.argv[2] ?? readdirSync('.').filter((f) => f.endsWith('.vsix')).sort().pop();
if (!vsix) {
  console.error('no .vsix here: run npm run package first');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'vsix-'));
try {
  execFileSync('unzip', ['-q', vsix, '-d', dir]);
  const ext = join(dir, 'extension');
  const seen = new Set();
  const broken = [];
  const external = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8').replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
    for (const m of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<img[^>]+src="([^"]+)"/g)) {
      const target = m[1] ?? m[2];
      if (/^[a-z]+:/i.test(target)) {
        // A link rewritten to a placeholder host is as broken as a missing file.
        if (/\.invalid\b/.test(target)) broken.push(`${relative(ext, file)}: ${target}`);
        else external.add(target);
        continue;
      }
      if (target.startsWith('#')) continue;
      const path = normalize(join(dirname(file), decodeURIComponent(target.split('#')[0])));
      if (!path.startsWith(ext) || !existsSync(path)) broken.push(`${relative(ext, file)}: ${target}`);
      else if (path.endsWith('.md')) visit(path);
    }
  };
  // vsce stores the README as extension/readme.md.
  const readme = readdirSync(ext).find((f) => f.toLowerCase() === 'readme.md');
  if (!readme) throw new Error(`${vsix} has no README`);
  visit(join(ext, readme));
  console.log(`${vsix}: ${seen.size} Markdown file(s) checked, ${broken.length} broken relative link(s), ${external.size} external link(s)`);
  for (const b of broken) console.log(`  broken: ${b}`);
  for (const e of external) console.log(`  external: ${e}`);
  process.exitCode = broken.length > 0 ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
