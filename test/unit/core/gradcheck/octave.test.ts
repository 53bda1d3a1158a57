import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../../../src/core/gradcheck';
import { GradcheckError } from '../../../../src/core/gradcheck/errors';
import { Mat } from '../../../../src/core/gradcheck/matrix';
import { Interpreter } from '../../../../src/core/gradcheck/octave/interpreter';
import { parseProgram } from '../../../../src/core/gradcheck/octave/parser';
import { Rng } from '../../../../src/core/random';
import { folderResolver } from '../../../../src/node/functionFiles';

// Fixtures from GNU Octave itself: scripts/fixtures/octave_fixtures.py (npm run fixtures).
const FIXTURES = join(__dirname, '../../../fixtures/octave');
const HOMEWORK = join(__dirname, '../../../fixtures/octave-homework');
type Num = number | null | 'Inf' | '-Inf';
interface Case { name: string; code: string; ok: boolean; rows?: number; cols?: number; logical?: boolean; data?: Num[]; message?: string }
const constructs: { cases: Case[] } = JSON.parse(readFileSync(join(FIXTURES, 'constructs.json'), 'utf8'));
const homework: { homework: { homework: string; variant: string; function: string; outputs: number; handle: string; x0: string; J: number; g: { data: number[]; rows: number; cols: number }; H?: { data: number[]; rows: number; cols: number }; gerr: number; herr?: number }[] } =
  JSON.parse(readFileSync(join(FIXTURES, 'homework.json'), 'utf8'));
const expected: Record<string, { kind: string; factor?: number; message?: string; components?: string[]; hessian?: boolean }> = JSON.parse(
  readFileSync(join(HOMEWORK, 'expected.json'), 'utf8'),
);

const LIMITS = { deadline: Date.now() + 600_000, timeLimitMs: 600_000, maxElements: 1e6, maxLiveElements: 2e7 };

function run(code: string, resolve?: (name: string) => { source: string; fileName: string } | undefined): Interpreter {
  const interp = new Interpreter(parseProgram(code), { ...LIMITS, deadline: Date.now() + 60_000 }, new Rng(0), resolve);
  interp.run();
  return interp;
}

function decode(x: Num): number {
  return x === null ? NaN : x === 'Inf' ? Infinity : x === '-Inf' ? -Infinity : x;
}

function expectClose(actual: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-12): void {
  expect(actual.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    const a = actual[k];
    const w = want[k];
    if (Number.isNaN(w) || !Number.isFinite(w)) expect(Object.is(a, w) || (Number.isNaN(a) && Number.isNaN(w))).toBe(true);
    else expect(Math.abs(a - w)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(w)));
  }
}

describe('the Octave interpreter agrees with GNU Octave', () => {
  it('covers every construct of the fixture set', () => {
    expect(constructs.cases.length).toBeGreaterThan(150);
  });
  for (const c of constructs.cases) {
    it(c.name, () => {
      if (!c.ok) {
        expect(() => run(c.code)).toThrow(GradcheckError);
        return;
      }
      const out = run(c.code).global.vars.get('out') as Mat;
      expect(out).toBeInstanceOf(Mat);
      expect([out.rows, out.cols]).toEqual([c.rows, c.cols]);
      expect(out.logical).toBe(c.logical);
      expectClose(out.data, c.data!.map(decode));
    });
  }
});

describe('homework solutions as students write them', () => {
  for (const h of homework.homework) {
    const folder = join(HOMEWORK, h.homework, h.variant);
    const resolve = folderResolver(folder, (p) => readFileSync(p));
    const notes = readFileSync(join(HOMEWORK, h.homework, 'notes.md'), 'utf8');

    it(`${h.homework}/${h.variant}: ${h.function} computes what Octave computes`, () => {
      const block = notes.split('```gradcheck\n')[1].split('```')[0];
      const setup = block.replace(/^check_gradient\(.*$/m, '');
      const call = h.outputs === 3 ? '[J, g, H] = f(x0);' : '[J, g] = f(x0);';
      const interp = run(`${setup}\nf = ${h.handle};\nx0 = ${h.x0};\n${call}`, resolve);
      const J = interp.global.vars.get('J') as Mat;
      const g = interp.global.vars.get('g') as Mat;
      expectClose(J.data, [h.J]);
      expect([g.rows, g.cols]).toEqual([h.g.rows, h.g.cols]);
      expectClose(g.data, h.g.data);
      if (h.H) expectClose((interp.global.vars.get('H') as Mat).data, h.H.data);
    });

    it(`${h.homework}/${h.variant}: ${h.variant === 'right' ? 'passes' : 'fails with the right diagnosis'} (Octave's differences agree)`, () => {
      if (h.variant === 'right') expect(h.gerr).toBeLessThan(1e-6);
      else expect(Math.max(h.gerr, h.herr ?? 0)).toBeGreaterThan(1e-4);
      const [report] = checkDocument(notes, { resolve });
      expect(report.error).toBeUndefined();
      if (h.variant === 'right') {
        expect(report.verdict).toBe('pass');
        expect(report.params[0].verdict).toBe('pass');
        if (h.outputs === 3) expect(report.hessian![0].verdict).toBe('pass');
        return;
      }
      expect(report.verdict).toBe('fail');
      const want = expected[h.homework];
      const failed = want.hessian ? report.hessian![0] : report.params[0];
      if (want.hessian) expect(report.params[0].verdict).toBe('pass');
      expect(failed.verdict).toBe('fail');
      expect(failed.what).toBe(h.function);
      const [r, c] = report.params[0].shapeExpected;
      expect(failed.point).toHaveLength(r * c);
      expect(failed.diagnosis.kind).toBe(want.kind);
      if (want.factor !== undefined) expect(failed.diagnosis.factor).toBeCloseTo(want.factor, 8);
      if (want.message) expect(failed.diagnosis.message).toContain(want.message);
      if (want.components) expect(failed.diagnosis.components).toEqual(want.components);
    });
  }
  it('has ten homework problems, each right and wrong', () => {
    expect(readdirSync(HOMEWORK).filter((d) => !d.endsWith('.json'))).toHaveLength(10);
    expect(homework.homework).toHaveLength(20);
  });
});
