// Rewrites l10n/bundle.l10n.json from the sources: every message passed to vscode.l10n.t / l10n.t /
// localize in src/host and src/extension.ts, and to t() in webview/ (webview/l10n.ts). Entries the
// sources still use keep their place; new messages are appended in source order; entries no source
// uses are dropped. test/unit/host/manifest.test.ts fails until this has been run after a change.
//
// Usage: node scripts/l10n-bundle.mjs [--check]   (--check: exit 1 and list the changes, write nothing)
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundlePath = join(root, 'l10n', 'bundle.l10n.json');

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function messages(files, localizers) {
  const out = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isCallExpression(node) && localizers.has(node.expression.getText(sf))) {
        const first = node.arguments[0];
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) out.push(first.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

const used = [
  ...messages([...sourceFiles(join(root, 'src', 'host')), join(root, 'src', 'extension.ts')], new Set(['vscode.l10n.t', 'l10n.t', 'localize'])),
  ...messages(sourceFiles(join(root, 'webview')), new Set(['t'])),
];
const usedSet = new Set(used);
const old = JSON.parse(readFileSync(bundlePath, 'utf8'));
const next = {};
for (const [k, v] of Object.entries(old)) if (usedSet.has(k)) next[k] = v;
for (const m of used) if (!(m in next)) next[m] = m;
const added = Object.keys(next).filter((k) => !(k in old));
const dropped = Object.keys(old).filter((k) => !(k in next));
if (process.argv.includes('--check')) {
  if (added.length || dropped.length) {
    console.log(`l10n/bundle.l10n.json is out of date: ${added.length} to add, ${dropped.length} to drop`);
    for (const k of added) console.log(`  + ${k}`);
    for (const k of dropped) console.log(`  - ${k}`);
    process.exit(1);
  }
} else {
  writeFileSync(bundlePath, JSON.stringify(next, null, 2) + '\n');
  console.log(`l10n/bundle.l10n.json: ${Object.keys(next).length} messages (${added.length} added, ${dropped.length} dropped)`);
}
