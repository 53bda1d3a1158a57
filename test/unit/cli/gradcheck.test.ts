import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradcheckCommand } from '../../../src/cli/gradcheck';
import { EXIT_BAD_INPUT, EXIT_GRADIENT_WRONG, EXIT_OK, type CliIo } from '../../../src/cli/io';

const FIXTURES = join(__dirname, '../../fixtures/gradcheck');

/** A fake io: files come from the fixtures directory or from `extra`; output is captured. */
function run(args: string[], extra: Record<string, string> = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    readBytes: (path) => {
      if (path in extra) return new TextEncoder().encode(extra[path]);
      return readFileSync(join(FIXTURES, path));
    },
    writeFileAtomic: () => {
      throw new Error('gradcheck writes no files');
    },
  };
  return { code: gradcheckCommand(args, io) as number, out, err };
}

describe('logit-lab gradcheck', () => {
  it('exits 0 when every block passes', () => {
    const r = run(['pass.md']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.err).toBe('');
    expect(r.out).toContain('pass.md:4: block pass');
    expect(r.out).toContain('pass.md:12: block pass');
    expect(r.out.trim().split('\n').pop()).toBe('2 blocks: 2 pass, 0 fail, 0 error');
  });

  it('exits 3 when a gradient is wrong, with the diagnosis and a component table', () => {
    const r = run(['wrong.md']);
    expect(r.code).toBe(EXIT_GRADIENT_WRONG);
    expect(r.out).toContain('wrong.md:4: block fail');
    expect(r.out).toContain('  grad w (line 9): fail, max rel. error 6.7e-1');
    expect(r.out).toContain('the analytic gradient is 3× the numeric one: a factor 1/3 (1/n with n = 3) is missing.');
    expect(r.out).toMatch(/index\s+analytic\s+numeric\s+rel\. error/);
    expect(r.out).toMatch(/\n\s+1\s+0\.73007124\s+0\.24335708\s+6\.7e-1\s+wrong/);
    expect(r.out).toContain('2 blocks: 1 pass, 1 fail, 0 error');
  });

  it('exits 2 on a block error and prints FILE:LINE:COL: error: message', () => {
    const r = run(['bad.md']);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err.trim()).toBe('bad.md:6:15: error: unknown symbol "q"');
  });

  it('exits 2 for a missing file, no blocks, or a bad option', () => {
    const missing = run(['nope.md'], {});
    expect(missing.code).toBe(EXIT_BAD_INPUT);
    expect(missing.err).toContain('nope.md: error: cannot read the file: no such file');
    const none = run(['empty.md'], { 'empty.md': '# nothing here\n' });
    expect(none.code).toBe(EXIT_BAD_INPUT);
    expect(none.err).toContain('no ```gradcheck blocks');
    expect(run(['pass.md', '--points', 'x']).code).toBe(EXIT_BAD_INPUT);
    expect(run(['pass.md', '--bogus']).code).toBe(EXIT_BAD_INPUT);
    expect(run([]).code).toBe(EXIT_BAD_INPUT);
  });

  it('reads a .gradcheck file as one block from line 1', () => {
    const r = run(['hw.gradcheck'], { 'hw.gradcheck': 'w = [0.5; -1.5]\nloss(w) = sum(w.^2)\ngrad(w) = -2 * w\n' });
    expect(r.code).toBe(EXIT_GRADIENT_WRONG);
    expect(r.out).toContain('hw.gradcheck:1: block fail');
    expect(r.out).toContain('the analytic gradient has the wrong sign');
  });

  it('--json prints exactly the documented shape', () => {
    const r = run(['wrong.md', '--json', '--points', '2', '--seed', '5']);
    expect(r.code).toBe(EXIT_GRADIENT_WRONG);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['blocks']);
    expect(json.blocks).toHaveLength(2);
    const [block] = json.blocks;
    expect(Object.keys(block)).toEqual(['line', 'verdict', 'params', 'checks']);
    expect(block).toMatchObject({ line: 4, verdict: 'fail', checks: [] });
    const [param] = block.params;
    expect(Object.keys(param)).toEqual(['name', 'line', 'verdict', 'maxRelError', 'shapeAnalytic', 'shapeExpected', 'diagnosis', 'failingPoint', 'components']);
    expect(param.failingPoint).toHaveLength(2);
    expect(param.components).toHaveLength(2);
    expect(param).toMatchObject({ name: 'w', verdict: 'fail', shapeAnalytic: [2, 1], shapeExpected: [2, 1] });
    expect(param.maxRelError).toBeCloseTo(2 / 3, 6);
    expect(Object.keys(param.diagnosis)).toEqual(['kind', 'factor', 'message']);
    expect(param.diagnosis.kind).toBe('scale');
    expect(param.diagnosis.factor).toBeCloseTo(1 / 3, 8);
    expect(json.blocks[1].params[0].diagnosis).toEqual({ kind: 'none', message: expect.stringContaining('at 3 points') });
  });

  it('--json checks entries have line, holds and maxError', () => {
    const json = JSON.parse(run(['pass.md', '--json']).out);
    expect(json.blocks[1].checks).toEqual([{ line: 13, source: expect.any(String), holds: true, maxError: expect.any(Number) }]);
    expect(json.blocks[1].checks[0].maxError).toBeLessThan(1e-12);
  });

  it('--json reports components and non-comparable shapes as null', () => {
    const src = '```gradcheck\nx = [0.5; -1.0; 2.0]\nc = 3\nK = 4\nW = [0.1, -0.2, 0.0; 0.3, 0.1, -0.1; -0.2, 0.2, 0.1; 0.0, -0.1, 0.2]\nloss(W) = logsumexp(W*x) - onehot(c, K)\' * W * x\ngrad(W) = x * (softmax(W*x) - onehot(c, K))\'\n```\n';
    const json = JSON.parse(run(['t.md', '--json'], { 't.md': src }).out);
    expect(json.blocks[0].params[0]).toMatchObject({ maxRelError: null, shapeAnalytic: [3, 4], shapeExpected: [4, 3], diagnosis: { kind: 'transpose' } });
    const rowSrc = src.replace("grad(W) = x * (softmax(W*x) - onehot(c, K))'", "grad(W) = softmax(W*x) * x'");
    expect(JSON.parse(run(['t.md', '--json'], { 't.md': rowSrc }).out).blocks[0].params[0].diagnosis).toMatchObject({ kind: 'components', components: ['W[3,:]'] });
  });

  it('the sample homework has exactly the two intended slips', () => {
    const text = readFileSync(join(__dirname, '../../../samples/gradients.md'), 'utf8');
    const r = run(['gradients.md', '--json'], { 'gradients.md': text });
    expect(r.code).toBe(EXIT_GRADIENT_WRONG);
    const blocks = JSON.parse(r.out).blocks as { verdict: string; params: { diagnosis: { kind: string } }[] }[];
    expect(blocks.map((b) => b.verdict)).toEqual(['pass', 'fail', 'fail', 'pass', 'pass', 'pass']);
    expect(blocks[1].params[0].diagnosis.kind).toBe('scale');
    expect(blocks[2].params[0].diagnosis.kind).toBe('sign');
  });
});
