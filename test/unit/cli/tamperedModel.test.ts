/** Issue 18 item 12: a tampered model file is exit 2 naming the file and the field, never blank probabilities. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelJson } from '../../../src/core/model/model';
import { runCli, sample, tempDir } from './runCli';

const { dir, file } = tempDir('logit-lab-model-');
type Model = ModelJson & Record<string, unknown>;
let binary: Model;
let multi: Model;

beforeAll(async () => {
  expect((await runCli('train', sample('binary.csv'), '--out', join(dir, 'b.json'))).code).toBe(0);
  expect((await runCli('train', sample('iris.csv'), '--out', join(dir, 'm.json'))).code).toBe(0);
  binary = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
  multi = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'));
});

/** A copy of m changed by f (which may write anything, as a hand edit would). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const edit = (m: Model, f: (m: any) => void) => {
  const copy = structuredClone(m);
  f(copy);
  return copy;
};

describe('predict with a tampered model', () => {
  const cases: [string, () => Record<string, unknown>, RegExp, string][] = [
    ['string coefficients', () => edit(binary, (m) => (m.coefStandardized[0][0] = 'abc')), /coefStandardized\[0\]\[0\] is "abc", not a finite number/, 'binary.csv'],
    ['a zero scale', () => edit(binary, (m) => (m.preprocessor.scale[1] = 0)), /preprocessor\.scale\[1\] = 0; a scale must be positive/, 'binary.csv'],
    ['one class', () => edit(binary, (m) => (m.classes = ['no'])), /binary model with 1 class\(es\); it needs 2/, 'binary.csv'],
    ['an unknown kind', () => edit(binary, (m) => (m.kind = 'svm')), /unknown "kind" "svm"/, 'binary.csv'],
    ['a null intercept', () => edit(multi, (m) => (m.interceptStandardized[2] = null)), /interceptStandardized\[2\] is null/, 'iris.csv'],
    ['a missing coefficient row', () => edit(multi, (m) => m.coefStandardized.pop()), /has 2 coefficient rows; a multinomial model with 3 classes has 3/, 'iris.csv'],
    ['a bad feature encoding', () => edit(multi, (m) => (m.features[0] = { kind: 'magic' })), /invalid feature encoding features\[0\]/, 'iris.csv'],
    ['a threshold of 2', () => edit(binary, (m) => (m.threshold = 2)), /threshold 2 outside \[0, 1\]/, 'binary.csv'],
  ];
  for (const [name, model, message, data] of cases) {
    it(`refuses ${name}`, async () => {
      const path = file(`tampered-${name.replace(/\W+/g, '-')}.json`, JSON.stringify(model()));
      const r = await runCli('predict', path, sample(data));
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/tampered-.*\.json: error: /);
      expect(r.err).toMatch(message);
    });
  }

  it('still predicts with the untouched models', async () => {
    expect((await runCli('predict', join(dir, 'b.json'), sample('binary.csv'))).code).toBe(0);
    expect((await runCli('predict', join(dir, 'm.json'), sample('iris.csv'))).code).toBe(0);
  });
});
