/** Issue 18 item 5: wide data trains (decided from memory, not a column count); a huge header is refused from the first bytes. */
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/core/diagnostics';
import { principalComponents } from '../../../src/core/evaluate/projection';
import { Rng } from '../../../src/core/random';
import { checkTrainingMemory, trainingBytes } from '../../../src/core/run/memoryEstimate';
import { trainFromBytes } from '../../../src/core/run/train';
import { runCli, tempDir } from './runCli';

const { file } = tempDir('logit-lab-wide-');

function wideCsv(d: number, n: number): string {
  const rng = new Rng(3);
  const lines = [Array.from({ length: d }, (_, j) => `g${j}`).join(',') + ',y'];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: d }, () => rng.normal());
    lines.push(x.map((v) => v.toFixed(3)).join(',') + `,${x[0] + x[1] > 0 ? 1 : 0}`);
  }
  return lines.join('\n') + '\n';
}

describe('wide data', () => {
  it('trains 2,000 numeric columns x 150 rows (refused as more than 1000 before)', async () => {
    const r = await runCli('train', file('wide.csv', wideCsv(2000, 150)), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.featureNames).toHaveLength(2000);
    expect(j.coef[0]).toHaveLength(2000);
    expect(j.converged).toBe(true);
    // The two informative genes have the largest weights.
    const order = j.coefStandardized[0].map((w: number, k: number) => [Math.abs(w), k]).sort((a: number[], b: number[]) => b[0] - a[0]);
    expect(order.slice(0, 2).map((p: number[]) => p[1]).sort()).toEqual([0, 1]);
  });

  it('summarizes a wide model: the largest coefficients, the rest in --json', async () => {
    const r = await runCli('train', file('wide2.csv', wideCsv(300, 120)));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Features {2}300 \(standardized\): g0, g1, .*g39, … \(260 more\)/);
    expect(r.out).toContain('the 40 largest of 300 (all in --json, --out)');
  });

  it('refuses a header line of 12.5M commas from the first bytes, and one of 100,001 columns', async () => {
    const huge = file('header.csv', ','.repeat(12_500_000) + '\n1\n');
    for (const extra of [[], ['--stream']]) {
      const r = await runCli('train', huge, ...extra);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n').pop()).toMatch(/header\.csv:1: error: the header (line is longer than 4 MB|has [\d,]+ columns, more than the limit of 100,000)/);
    }
  });

  it('decides from a memory estimate: a dense Hessian of 100,000 features is refused, L-BFGS fits', () => {
    const shape = { rows: 200, features: 100_000, outputs: 1, solver: 'newton' as const };
    expect(trainingBytes(shape)).toBeGreaterThan(1.6e11);
    expect(() => checkTrainingMemory(shape, 8e9, 'genes.csv')).toThrow(/newton solver stores a dense Hessian: use --solver lbfgs/);
    expect(() => checkTrainingMemory({ ...shape, solver: 'lbfgs' }, 8e9, 'genes.csv')).not.toThrow();
    const bytes = new TextEncoder().encode(wideCsv(400, 60));
    expect(() => trainFromBytes(bytes, { solver: 'newton' }, { fileName: 'w.csv', availableBytes: 1e6 })).toThrow(DataError);
    expect(trainFromBytes(bytes, {}, { fileName: 'w.csv', availableBytes: 1e9 }).model.featureNames).toHaveLength(400);
  });

  it('finds the principal components of wide data without a d x d matrix', () => {
    const d = 1000;
    const n = 80;
    const rng = new Rng(5);
    const u = new Float64Array(d);
    const v = new Float64Array(d);
    u[3] = 1;
    v[7] = 0.6;
    v[8] = 0.8;
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const a = 5 * rng.normal();
      const b = 2 * rng.normal();
      for (let j = 0; j < d; j++) X[i * d + j] = a * u[j] + b * v[j] + 0.01 * rng.normal();
    }
    const p = principalComponents(X, n, d, 0)!;
    expect(Math.abs(p.components[0][3])).toBeCloseTo(1, 2);
    expect(Math.abs(p.components[1][7])).toBeCloseTo(0.6, 2);
    expect(Math.abs(p.components[1][8])).toBeCloseTo(0.8, 2);
    expect(p.explained[0] + p.explained[1]).toBeGreaterThan(0.95);
  });
});
