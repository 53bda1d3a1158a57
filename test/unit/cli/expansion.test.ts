/**
 * Issue 16 §3 in the CLI: --poly / --interactions / --log / --log1p / --bin train an expanded model,
 * the summary says what was derived, predict applies it, a bad flag is one clear message; and the
 * webview's settings.expansion passes the protocol check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/core/run/settings';
import { checkPanelMessage } from '../../../src/protocol/validate';
import { runCli, sample, tempDir } from './runCli';

describe('train with feature expansion', () => {
  const tmp = tempDir('logit-lab-expansion-');

  it('--poly 2 on the circles: the summary, the model file and predict', async () => {
    const out = join(tmp.dir, 'circles.json');
    const r = await runCli('train', sample('circles.csv'), '--poly', '2', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Features  5 (standardized): x1, x2, x1^2, x1 x2, x2^2');
    expect(r.out).toContain('Expanded  degree-2 polynomial: 2 encoded features -> 5 (fitted on the training rows)');
    const model = JSON.parse(readFileSync(out, 'utf8'));
    expect(model.settings.expansion).toEqual({ degree: 2, interactionOnly: false, log: [], log1p: [], bins: [] });
    expect(model.expansion.names).toEqual(['x1', 'x2', 'x1^2', 'x1 x2', 'x2^2']);
    const p = await runCli('predict', out, sample('circles.csv'));
    expect(p.code).toBe(0);
    const rows = p.out.trim().split('\n').slice(1);
    const truth = readFileSync(sample('circles.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[2]);
    const right = rows.filter((row, i) => row.split(',')[1] === truth[i]).length;
    expect(right / rows.length).toBeGreaterThan(0.95);
  });

  it('--log, --bin and --interactions together (--json)', async () => {
    const r = await runCli('train', sample('iris.csv'), '--log', 'sepal_length', '--bin', 'petal_width:3', '--interactions', '--json');
    expect(r.code).toBe(0);
    const names: string[] = JSON.parse(r.out).featureNames;
    expect(names.slice(0, 6)).toEqual(['log(sepal_length)', 'sepal_width', 'petal_length', 'petal_width_bin0', 'petal_width_bin1', 'petal_width_bin2']);
    expect(names).toHaveLength(6 + 15);
    expect(names).not.toContain('sepal_width^2');
  });

  it('a bad flag or feature is one message; export to R is refused with the reason', async () => {
    const bad = await runCli('train', sample('iris.csv'), '--poly', '4');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--poly must be 2 or 3/);
    const unknown = await runCli('train', sample('iris.csv'), '--log1p', 'petal');
    expect(unknown.err).toContain("log1p names feature 'petal', which is not a feature of the model");
    const bins = await runCli('train', sample('iris.csv'), '--bin', 'petal_width:1');
    expect(bins.err).toContain("the number of bins of 'petal_width' must be an integer from 2 to 100, got 1");
    const out = join(tmp.dir, 'c2.json');
    await runCli('train', sample('circles.csv'), '--poly', '2', '--out', out);
    const r = await runCli('export', out, sample('circles.csv'), '--to', 'r');
    expect(r.code).toBe(2);
    expect(r.err).toContain('exported to scikit-learn only, not to R');
  });
});

describe('protocol: settings.expansion', () => {
  const settings = { ...DEFAULT_SETTINGS, target: ['y'], features: [] as string[] };
  it('accepts a spec and rejects a malformed one', () => {
    const good = { type: 'startTraining', settings: { ...settings, expansion: { degree: 2, interactionOnly: false, log: ['a'], log1p: [], bins: [{ feature: 'b', n: 4 }] } } };
    expect(checkPanelMessage(good)).toEqual({ ok: true, message: good });
    const bad = checkPanelMessage({ type: 'startTraining', settings: { ...settings, expansion: { degree: 2, log: 'a' } } });
    expect(bad).toEqual({ ok: false, error: "'startTraining': field 'settings' field 'expansion' is not a feature expansion (degree, interactionOnly, log, log1p, bins)" });
  });
});
