import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { weightNorms } from '../../../../src/core/run/snapshots';
import { trainFromBytes } from '../../../../src/core/run/train';

const irisVv = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'datasets', 'iris_vv.csv'));

describe('a two-class softmax is the sigmoid at C′ = 2C', () => {
  it('same probabilities and w₁ − w₀ = the sigmoid’s weights, on the user’s data', () => {
    const C = 0.7;
    const soft = trainFromBytes(irisVv, { target: ['target'], model: 'multinomial', C, tol: 1e-10, seed: 4 }, { fileName: 'vv.csv' });
    const s = soft.softmaxAsSigmoid!;
    expect(s.C).toBe(C);
    expect(s.sigmoidC).toBe(2 * C);
    expect(s.maxProbabilityDifference).toBeLessThan(1e-7);
    // An independent binary run at 2C gives the same coefficients as the softmax's difference.
    const bin = trainFromBytes(irisVv, { target: ['target'], model: 'binary', C: 2 * C, tol: 1e-10, seed: 4 }, { fileName: 'vv.csv' });
    const w = [...bin.model.coefStandardized[0], bin.model.interceptStandardized[0]];
    w.forEach((v, j) => expect(s.softmaxDifference[j]).toBeCloseTo(v, 6));
    w.forEach((v, j) => expect(s.sigmoid[j]).toBeCloseTo(v, 6));
    // And not at C′ = C.
    const same = trainFromBytes(irisVv, { target: ['target'], model: 'binary', C, tol: 1e-10, seed: 4 }, { fileName: 'vv.csv' });
    expect(Math.abs(same.model.coefStandardized[0][0] - s.softmaxDifference[0])).toBeGreaterThan(1e-3);
    expect(bin.softmaxAsSigmoid).toBeUndefined();
  });
});

describe('separable data: the weight norm grows without bound unless penalized', () => {
  const lines = ['x1,x2,label'];
  for (let i = 0; i < 60; i++) {
    const y = i % 2;
    lines.push(`${(y ? 1 : -1) * (10 + (i % 7) / 10)},${((i * 37) % 11) / 5 - 1},${y ? 'a' : 'b'}`);
  }
  const csv = new TextEncoder().encode(lines.join('\n'));
  const base = { target: ['label'], solver: 'gd' as const, optimizer: 'sgd' as const, maxIter: 2000, tol: 1e-9, testSize: 0, valSize: 0 };

  it('no penalty: ‖w‖ rises at every step and keeps rising; the separability warning is raised', () => {
    const r = trainFromBytes(csv, { ...base, penalty: 'none' }, { fileName: 's.csv' });
    expect(r.warnings.map((w) => w.code)).toContain('fit.separable');
    const { iterations, norm } = weightNorms(r.replay!);
    expect(iterations[iterations.length - 1]).toBe(2000);
    for (let i = 1; i < norm.length; i++) expect(norm[i]).toBeGreaterThan(norm[i - 1]);
    // Roughly logarithmic growth: still rising over the second half of the run.
    expect(norm[norm.length - 1] - norm[Math.floor(norm.length / 2)]).toBeGreaterThan(0.3);
  });

  it('an L2 penalty stops it: the norm settles', () => {
    const r = trainFromBytes(csv, { ...base, penalty: 'l2', C: 1 }, { fileName: 's.csv' });
    expect(r.warnings.map((w) => w.code)).not.toContain('fit.separable');
    const { norm } = weightNorms(r.replay!);
    const last = norm[norm.length - 1];
    expect(Math.abs(last - norm[norm.length - 20]) / last).toBeLessThan(1e-3);
    const free = weightNorms(trainFromBytes(csv, { ...base, penalty: 'none' }, { fileName: 's.csv' }).replay!).norm;
    expect(free[free.length - 1]).toBeGreaterThan(2 * last);
  });
});
