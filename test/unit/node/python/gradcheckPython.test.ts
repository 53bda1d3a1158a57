/**
 * Python gradient checks end to end through the CLI, with the real /usr/bin/python3 and NumPy:
 * every slip kind, .py, .ipynb and Markdown, exceptions, a hung fun, side effects, and
 * interpreter problems (none found, no NumPy).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradcheckCommand } from '../../../../src/cli/gradcheck';
import { EXIT_BAD_INPUT, EXIT_GRADIENT_WRONG, type CliIo } from '../../../../src/cli/io';

const DIR = join(__dirname, '../../../fixtures/gradcheck/python');
const PYTHON = '/usr/bin/python3';

interface Block {
  line: number;
  cell?: number;
  verdict: string;
  notes?: string[];
  params: { name: string; verdict: string; diagnosis: { kind: string; factor?: number; message: string; components?: string[] }; cell?: number }[];
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    readBytes: (path) => readFileSync(path),
    writeFileAtomic: () => {
      throw new Error('gradcheck writes no files');
    },
  };
  const code = await gradcheckCommand(args, io);
  return { code, out, err };
}

async function json(file: string, ...extra: string[]): Promise<{ code: number; blocks: Block[]; err: string }> {
  const r = await run([join(DIR, file), '--json', '--python', PYTHON, ...extra]);
  return { code: r.code, blocks: (JSON.parse(r.out) as { blocks: Block[] }).blocks, err: r.err };
}

describe('Python gradient checks (.py): every slip', () => {
  let blocks: Block[];
  let code: number;
  let err: string;
  beforeAll(async () => {
    ({ blocks, code, err } = await json('slips.py'));
  });
  const diagnosis = (line: number) => blocks.find((b) => b.line === line)!.params[0].diagnosis;

  it('checks every call in the gradcheck cell, exit 3, the student\'s prints on stderr', () => {
    expect(code).toBe(EXIT_GRADIENT_WRONG);
    expect(blocks.map((b) => [b.line, b.verdict])).toEqual([
      [96, 'pass'], [97, 'fail'], [98, 'fail'], [99, 'fail'], [100, 'fail'], [101, 'fail'], [102, 'fail'], [103, 'fail'], [104, 'fail'], [105, 'fail'], [106, 'pass'],
    ]);
    expect(err).toContain('data ready');
  });

  it('reg * W instead of 2 * reg * W: the term is named with its missing factor', () => {
    expect(diagnosis(97).kind).toBe('scale');
    expect(diagnosis(97).factor).toBeCloseTo(2, 8);
    expect(diagnosis(97).message).toContain('the term "reg * W" of softmax_loss_reg is 1/2 of what it should be');
  });

  it('a forgotten one-hot subtraction', () => {
    expect(diagnosis(98).message).toContain('a term −X.T @ Y / N (Y the one-hot encoding of y, N = 12) is missing from softmax_loss_onehot');
  });

  it('sign, missing 1/N (named after the frame\'s num_train), transpose, wrong components in NumPy notation', () => {
    expect(diagnosis(99).kind).toBe('sign');
    expect(diagnosis(100)).toMatchObject({ kind: 'scale' });
    expect(diagnosis(100).factor).toBeCloseTo(1 / 12, 9);
    expect(diagnosis(100).message).toContain('1/num_train with num_train = 12');
    expect(diagnosis(101).kind).toBe('transpose');
    expect(diagnosis(101).message).toContain('is 4×5 but W is 5×4');
    expect(diagnosis(102)).toMatchObject({ kind: 'components', components: ['W[2, :]'] });
  });

  it('broadcasting: the operation, its shapes and its line', () => {
    const b = blocks.find((x) => x.line === 103)!;
    expect(b.params[0].diagnosis.kind).toBe('shape');
    expect(b.params[0].diagnosis.message).toContain('`grad` has shape (3, 12), `w` has shape (3,): `h - yb` broadcast a (12,) array against a (12, 1) one');
  });

  it('an integer gradient array, an integer x0 (a note), and data modified in place', () => {
    expect(diagnosis(104).message).toContain('the gradient is an integer array (dtype int64)');
    expect(diagnosis(105).message).toContain('quadratic_mutating modifies `Xb` in place');
    expect(diagnosis(105).message).toMatch(/two calls of quadratic_mutating with the same w gave different losses/);
    expect(blocks.find((b) => b.line === 106)!.notes?.[0]).toContain('x0 has the integer dtype int64');
  });

  it('puts the gradient on the line of its return', async () => {
    const r = await run([join(DIR, 'slips.py'), '--python', PYTHON]);
    expect(r.out).toContain('slips.py:97: check fail\n  grad W (line 38): fail');
    expect(r.out).toContain('slips.py:103: check fail\n  grad w (line 80): fail, not comparable');
    expect(r.out.trim().split('\n').pop()).toBe('11 checks: 2 pass, 9 fail, 0 error');
  });
});

describe('Python gradient checks: notebooks and Markdown', () => {
  it('checks # gradcheck cells of a notebook with the cells above run first', async () => {
    const { code, blocks } = await json('homework.ipynb');
    expect(code).toBe(EXIT_GRADIENT_WRONG);
    expect(blocks.map((b) => [b.cell, b.line, b.verdict])).toEqual([
      [3, 2, 'pass'],
      [4, 2, 'fail'],
    ]);
    expect(blocks[1].params[0]).toMatchObject({ cell: 2, diagnosis: { kind: 'scale' } });
    expect(blocks[1].params[0].diagnosis.factor).toBeCloseTo(2, 8);
    const human = await run([join(DIR, 'homework.ipynb'), '--python', PYTHON]);
    expect(human.out).toContain('homework.ipynb:cell 5:2: check fail\n  grad W (cell 3, line 10): fail');
  });

  it('checks ```python gradcheck fences of Markdown beside the Octave-notation blocks', async () => {
    const { code, blocks } = await json('homework.md');
    expect(code).toBe(EXIT_GRADIENT_WRONG);
    expect(blocks.map((b) => [b.line, b.verdict])).toEqual([
      [26, 'pass'],
      [21, 'pass'],
      [22, 'fail'],
    ]);
    expect(blocks[2].params[0].diagnosis.kind).toBe('sign');
  });
});

describe('Python gradient checks: bad input', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'logit-lab-pytest-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('an exception as Python shows it, on the document line; a hung fun hits the time limit; side effects stay in a temp dir', async () => {
    const r = await run([join(DIR, 'errors.py'), '--python', PYTHON, '--time-limit', '4']);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toContain('errors.py:11:1: error: Traceback (most recent call last):\n  File "errors.py", line 11, in g\n    z = w @ np.ones(4)\nValueError: matmul');
    expect(r.err).not.toContain('logit_lab_gradcheck.py');
    expect(r.err).toContain('errors.py:32:1: error: check_gradient at line 32 did not finish within the time limit of 4 s');
    expect(r.out).toContain('errors.py:30: check pass');
    expect(r.out.trim().split('\n').pop()).toBe('4 checks: 2 pass, 0 fail, 2 error');
    const cwd = /cwd (\S+)/.exec(r.err)![1];
    expect(cwd.startsWith(tmpdir())).toBe(true);
    expect(existsSync(cwd)).toBe(false);
    expect(existsSync(join(DIR, 'side-effect.txt'))).toBe(false);
  });

  it('a missing interpreter: one message naming it and how to pick another', async () => {
    const r = await run([join(DIR, 'homework.md'), '--python', join(work, 'no-python')]);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err.trim()).toBe(
      `${join(DIR, 'homework.md')}: error: cannot start the Python interpreter "${join(work, 'no-python')}" (no such program): pass another interpreter with --python PATH (e.g. --python /usr/bin/python3 or a virtual environment's bin/python)`,
    );
  });

  it('a Python without NumPy', async () => {
    execFileSync(PYTHON, ['-m', 'venv', '--without-pip', join(work, 'venv')]);
    const python = join(work, 'venv', 'bin', 'python');
    const r = await run([join(DIR, 'slips.py'), '--python', python]);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`the Python interpreter "${python}" has no NumPy (No module named 'numpy'): install it there (${python} -m pip install numpy) or pass another interpreter with --python PATH`);
  });

  it('input(), SystemExit and a Python that dies: error verdicts at their lines, no crash; an argument modified in place', async () => {
    const file = join(work, 'exits.py');
    writeFileSync(
      file,
      [
        '# %%',
        'import os',
        'import numpy as np',
        'def reads(w):',
        '    input()',
        '    return np.sum(w ** 2), 2 * w',
        'def shifts(w):',
        '    w -= 1.0',
        '    return np.sum(w ** 2), 2 * w',
        'def exits(w):',
        '    raise SystemExit(3)',
        '# %% gradcheck',
        'check_gradient(reads, np.ones(2))',
        'check_gradient(shifts, np.ones(2))',
        'check_gradient(exits, np.ones(2))',
        'check_gradient(shifts, np.ones(2))',
      ].join('\n'),
    );
    const r = await run([file, '--json', '--python', PYTHON]);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    const blocks = (JSON.parse(r.out) as { blocks: (Block & { line: number })[] }).blocks;
    expect(blocks.map((b) => [b.line, b.verdict])).toEqual([
      [13, 'error'],
      [14, 'pass'],
      [15, 'error'],
    ]);
    expect(r.err).toContain('exits.py:5:1: error: Traceback (most recent call last):\n  File "exits.py", line 5, in reads\n    input()\nEOFError');
    // Consistent with itself, so the gradient passes; the caller's array still changes: a note.
    expect(blocks[1].notes?.[0]).toContain('shifts modifies its argument `w` in place');
    expect(r.err).toContain('SystemExit: 3');
    const died = join(work, 'dies.py');
    writeFileSync(died, '# %% gradcheck\nimport os\nimport numpy as np\ncheck_gradient(lambda w: os._exit(4), np.ones(2))\n');
    const d = await run([died, '--python', PYTHON]);
    expect(d.code).toBe(EXIT_BAD_INPUT);
    expect(d.err.trim()).toBe(`${died}:4:1: error: Python exited with code 4`);
  });

  it('a file without checks', async () => {
    const r = await run([join(DIR, '../pass.md'), '--python', PYTHON]);
    expect(typeof r.code).toBe('number');
    const none = await run([join(DIR, 'errors.py').replace('errors.py', 'none.py'), '--python', PYTHON]);
    expect(none.code).toBe(EXIT_BAD_INPUT);
  });
});
