/**
 * Statistical inference against statsmodels 0.13 (Logit, MNLogit) and R's glm: fixtures written by
 * scripts/fixtures/inference_fixtures.py and inference_fixtures.R on public datasets. Bars: standard
 * errors, z, p-values and interval ends within 1e-6 relative (estimates within 1e-6 · max(1, |ref|));
 * fit statistics within 1e-9 relative. Each file is trained by the real pipeline (trainFromBytes) on
 * every row, unpenalized, with and without standardization.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chiSquareSf, erfc, normalSf, twoSidedP } from '../../../../src/core/evaluate/distributions';
import type { InferenceTable } from '../../../../src/core/evaluate/inference';
import { trainFromBytes } from '../../../../src/core/run/train';

const root = new URL('../../../../', import.meta.url);
const sm = JSON.parse(readFileSync(new URL('test/fixtures/statsmodels/inference.json', root), 'utf8'));
const r = JSON.parse(readFileSync(new URL('test/fixtures/r/inference.json', root), 'utf8'));

type Vec = number[] | number[][];
/** A statsmodels case (binary: flat lists; multinomial: one list per class k >= 1). */
interface SmCase {
  file: string; features: string[]; target: string; kind: 'binary' | 'multinomial'; terms: string[]; positive?: string; reference?: string; classes: string[];
  params: Vec; bse: Vec; z: Vec; pvalues: Vec; ciLow: Vec; ciHigh: Vec;
  llf: number; llnull: number; llr: number; llr_pvalue: number; df_model: number; prsquared: number; aic: number; bic: number; nobs: number;
}
interface RCase {
  terms: string[]; kept: string[]; aliased: string[]; positive: string; estimate: number[]; se: number[]; z: number[]; p: number[]; ciLow: number[]; ciHigh: number[];
  logLik: number[]; deviance: number[]; nullDeviance: number[]; aic: number[]; bic: number[]; dfResidual: number[]; separationWarning: boolean;
}

function train(c: { file: string; features: string[]; target: string }, extra: Record<string, unknown> = {}) {
  const bytes = readFileSync(new URL(c.file, root));
  return trainFromBytes(bytes, { target: [c.target], features: c.features, penalty: 'none', testSize: 0, valSize: 0, ...extra }, { fileName: c.file });
}

function rel(a: number | null, b: number): number {
  expect(a).not.toBeNull();
  return Math.abs(a! - b) / Math.max(Math.abs(b), 1e-300);
}

/** The table's terms of block b in the reference's order. */
function blockTerms(t: InferenceTable, b: number) {
  return t.blocks[b].terms;
}

function compareBlock(terms: ReturnType<typeof blockTerms>, ref: { names: string[]; est: number[]; se: number[]; z: number[]; p: number[]; lo: number[]; hi: number[] }) {
  expect(terms.map((t) => t.term)).toEqual(ref.names);
  terms.forEach((t, i) => {
    expect(Math.abs(t.estimate - ref.est[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(ref.est[i])));
    expect(rel(t.se, ref.se[i])).toBeLessThan(1e-6);
    expect(rel(t.z, ref.z[i])).toBeLessThan(1e-6);
    expect(rel(t.p, ref.p[i])).toBeLessThan(1e-6);
    expect(rel(t.ciLow, ref.lo[i])).toBeLessThan(1e-6);
    expect(rel(t.ciHigh, ref.hi[i])).toBeLessThan(1e-6);
    expect(rel(t.oddsRatio, Math.exp(ref.est[i]))).toBeLessThan(1e-6);
    expect(t.suspect).toBe(false);
  });
}

describe('distributions against SciPy', () => {
  it('normal tails and two-sided p-values to 1e-12 relative, far into the tail', () => {
    for (const [z, p] of sm.distributions.normalSf) expect(rel(normalSf(z), p)).toBeLessThan(1e-12);
    for (const [z, p] of sm.distributions.twoSided) expect(rel(twoSidedP(z), p)).toBeLessThan(1e-12);
    expect(erfc(-1) + erfc(1)).toBeCloseTo(2, 15);
  });
  it('chi-square survival to 1e-12 relative', () => {
    for (const [x, k, p] of sm.distributions.chi2Sf) expect(rel(chiSquareSf(x, k), p)).toBeLessThan(1e-12);
  });
});

describe('inference against statsmodels Logit / MNLogit', () => {
  for (const [name, ref] of Object.entries<SmCase>(sm.cases)) {
    for (const standardize of [true, false]) {
      it(`${name} (${ref.kind}, ${standardize ? 'standardized' : 'raw units'})`, () => {
        const report = train(ref, { standardize, maxIter: 5000 });
        const inf = report.inference!;
        expect(inf.available).toBe(true);
        expect(inf.tables).toHaveLength(1);
        const t = inf.tables[0];
        expect(t.flags).toEqual([]);
        const blocks = ref.kind === 'binary' ? [0] : ref.classes.map((_: string, b: number) => b);
        if (ref.kind === 'multinomial') {
          expect(t.reference).toBe(ref.reference);
          expect(t.blocks.map((b) => b.name)).toEqual(ref.classes);
        } else expect(t.name).toBe(ref.positive);
        for (const b of blocks) {
          const pick = (a: Vec) => (ref.kind === 'binary' ? a : a[b]) as number[];
          compareBlock(blockTerms(t, b), { names: ref.terms, est: pick(ref.params), se: pick(ref.bse), z: pick(ref.z), p: pick(ref.pvalues), lo: pick(ref.ciLow), hi: pick(ref.ciHigh) });
        }
        const f = t.fit;
        expect(f.nObs).toBe(ref.nobs);
        expect(rel(f.logLikelihood, ref.llf)).toBeLessThan(1e-9);
        expect(rel(f.nullLogLikelihood, ref.llnull)).toBeLessThan(1e-9); // statsmodels fits the null model iteratively
        expect(rel(f.llr, ref.llr)).toBeLessThan(1e-9);
        expect(f.llrDf).toBe(ref.df_model);
        expect(rel(f.llrPValue, ref.llr_pvalue)).toBeLessThan(1e-6);
        expect(rel(f.pseudoR2, ref.prsquared)).toBeLessThan(1e-9);
        expect(rel(f.aic, ref.aic)).toBeLessThan(1e-9);
        expect(rel(f.bic, ref.bic)).toBeLessThan(1e-9);
      });
    }
  }
});

describe('inference against R glm(family = binomial)', () => {
  const cases = Object.entries<RCase>(r.cases);
  const plain = cases.filter(([, c]) => c.aliased.length === 0 && !c.separationWarning);
  const file = caseOf;
  for (const [name, ref] of plain) {
    it(`${name}: coefficients, deviances, AIC and BIC`, () => {
      const inf = train(file(name), { maxIter: 5000 }).inference!;
      const t = inf.tables[0];
      expect(t.name).toBe(ref.positive);
      compareBlock(t.blocks[0].terms, { names: ref.terms, est: ref.estimate, se: ref.se, z: ref.z, p: ref.p, lo: ref.ciLow, hi: ref.ciHigh });
      expect(rel(t.fit.logLikelihood, ref.logLik[0])).toBeLessThan(1e-9);
      expect(rel(t.fit.deviance, ref.deviance[0])).toBeLessThan(1e-9);
      expect(rel(t.fit.nullDeviance, ref.nullDeviance[0])).toBeLessThan(1e-12);
      expect(rel(t.fit.aic, ref.aic[0])).toBeLessThan(1e-9);
      expect(rel(t.fit.bic, ref.bic[0])).toBeLessThan(1e-9);
      expect(t.fit.nObs - t.fit.nParams).toBe(ref.dfResidual[0]);
    });
  }

  it('a singular design (every one-hot level with the intercept) is flagged with the columns R aliases', () => {
    const ref = r.cases.collinear;
    expect(ref.aliased).toEqual(['color=red']);
    const t = train(caseOf('collinear')).inference!.tables[0];
    const flag = t.flags.find((f) => f.code === 'singular')!;
    expect(flag).toBeDefined();
    expect(flag.message).toContain(`'color=red' = a combination of '(intercept)', 'color=blue', 'color=green'`);
    expect([...flag.terms].sort()).toEqual(['(intercept)', 'color=blue', 'color=green', 'color=red']);
    // No standard errors are printed for a non-identifiable model.
    expect(t.blocks[0].terms.every((c) => c.se === null && c.p === null)).toBe(true);
    expect(t.fit.nParams).toBe(ref.kept.length);
    expect(rel(t.fit.logLikelihood, ref.logLik[0])).toBeLessThan(1e-9);
  });

  it('separated classes are flagged (R warns: fitted probabilities numerically 0 or 1)', () => {
    expect(r.cases.separable.separationWarning).toBe(true);
    const report = train(caseOf('separable'));
    const t = report.inference!.tables[0];
    const flag = t.flags.find((f) => f.code === 'separation')!;
    expect(flag).toBeDefined();
    expect(flag.message).toMatch(/numerically 0 or 1/);
    expect(t.blocks[0].terms.some((c) => c.suspect)).toBe(true);
    // A well-posed fit raises no flag (covered by the parity cases above: flags are []).
  });
});

describe('inference is withheld where it does not apply', () => {
  const c = caseOf('binary_sample');
  it('a penalized fit says why and points to the unpenalized refit', () => {
    const inf = train(c, { penalty: 'l2', C: 1 }).inference!;
    expect(inf.available).toBe(false);
    expect(inf.tables).toEqual([]);
    expect(inf.reason).toMatch(/penalized \(L2, C = 1\).*--penalty none/);
  });
  it('balanced class weights say why', () => {
    const inf = train(c, { classWeight: 'balanced' }).inference!;
    expect(inf.available).toBe(false);
    expect(inf.reason).toMatch(/pseudo-likelihood/);
  });
  it('one-vs-rest gives one binary table per class, each as a Logit of that class against the rest', () => {
    const ref = sm.cases.wine3;
    const inf = train(ref, { model: 'ovr' }).inference!;
    expect(inf.tables.map((t) => t.name)).toEqual(['class_0', 'class_1', 'class_2']);
    for (const t of inf.tables) expect(t.fit.llrDf).toBe(3);
  });
});

function caseOf(name: string): { file: string; features: string[]; target: string } {
  const lines = readFileSync(new URL('test/fixtures/statsmodels/cases.tsv', root), 'utf8').trim().split('\n').slice(1);
  const row = lines.map((l) => l.split('\t')).find((f) => f[0] === name)!;
  return { file: row[1], features: row[2].split(','), target: row[3] };
}
