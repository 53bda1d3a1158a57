// Copies the README's screenshots from the UI test's output (test-results/e2e/, written by
// test/e2e/ui.test.mjs) into media/screenshots/ under stable names. Plain copies (1500x950 PNGs,
// about 50-200 KB each), no dependencies.
// Usage:  bash scripts/e2e/run.sh && node scripts/screenshots.mjs
//         (or ONLY=ui bash scripts/e2e/run.sh; FROM=dir / TO=dir override the folders)
// Fails (exit 1, nothing copied) if any screenshot is missing or is not a PNG: run the UI test first.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = process.env.FROM ?? join(root, 'test-results', 'e2e');
const to = process.env.TO ?? join(root, 'media', 'screenshots');

/** media/screenshots/<name> <- test-results/e2e/<source>: what each shows. */
const SHOTS = [
  { name: 'context-menu.png', source: '1-context-menu.png', what: 'Explorer context menu of a CSV with "Logit Lab: Train Logistic Regression"' },
  { name: 'panel-trained.png', source: '2-panel-trained.png', what: 'the model panel after training (data, class balance, settings)' },
  { name: 'model-boundary.png', source: '3c-boundary.png', what: 'Model tab: the fitted model in KaTeX and the decision boundary' },
  { name: 'evaluation-threshold.png', source: '8-threshold.png', what: 'Evaluation tab: threshold slider, confusion matrix, ROC and PR curves' },
  { name: 'gradient-checker.png', source: '9-gradcheck.png', what: 'gradient checker: CodeLens verdicts, a squiggle, the checker panel\'s diagnosis' },
  { name: 'high-contrast-panel.png', source: 'hc-panel.png', what: 'the model panel in the Dark High Contrast theme' },
  { name: 'mixed-data.png', source: '12-mixed-data.png', what: 'Data tab of a mixed-type table: target died guessed, the patient id ignored' },
  { name: 'boundary-wine.png', source: '13-boundary-wine.png', what: 'wine (13 features, 3 classes): the model\'s plane, every class and every point in place' },
  { name: 'boundary-digits.png', source: '13-boundary-digits.png', what: 'digits (10 classes): the map of the model\'s predictions' },
];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const problems = [];
for (const s of SHOTS) {
  const src = join(from, s.source);
  if (!existsSync(src)) {
    problems.push(`missing ${relative(root, src)} (${s.what})`);
    continue;
  }
  const head = readFileSync(src).subarray(0, 8);
  if (!head.equals(PNG_SIGNATURE)) problems.push(`${relative(root, src)} is not a PNG`);
}
if (problems.length > 0) {
  console.error(`screenshots: nothing copied; ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  - ${p}`);
  console.error('Run the UI test first: ONLY=ui bash scripts/e2e/run.sh (a failed step leaves later screenshots unwritten).');
  process.exit(1);
}

mkdirSync(to, { recursive: true });
const newest = Math.max(...SHOTS.map((s) => statSync(join(from, s.source)).mtimeMs));
for (const s of SHOTS) {
  const src = join(from, s.source);
  const dst = join(to, s.name);
  copyFileSync(src, dst);
  // All six come from one run; a much older one means a stale file from an earlier run.
  const age = (newest - statSync(src).mtimeMs) / 60_000;
  const stale = age > 10 ? `  (warning: ${age.toFixed(0)} min older than the newest; from an earlier run?)` : '';
  console.log(`${relative(root, dst)} <- ${relative(root, src)} (${(statSync(dst).size / 1024).toFixed(0)} KB): ${s.what}${stale}`);
}
console.log(`copied ${SHOTS.length} screenshots to ${relative(root, to) || '.'}`);
