/**
 * `logit-lab gradcheck FILE.md|FILE.gradcheck [--json] [--points n] [--seed s] [--tolerance t] [--five-point]`
 * Checks every gradcheck block of a file. Exit code 0 when all pass, 3 when a gradient (or Hessian,
 * or identity) is wrong, 2 for bad input (a file that cannot be read, no blocks, a block with an
 * error) — usable by an autograder.
 */
import { dirname } from 'node:path';
import { DataError, formatDiagnostic } from '../core/diagnostics';
import { checkBlock, extractBlocks, type BlockReport, type GradcheckOptions, type ParamReport } from '../core/gradcheck';
import { documentKind, extractPythonCells, PythonDocumentError } from '../core/gradcheck/python/cells';
import { folderResolver } from '../node/functionFiles';
import { commandArgs, numberFlag, type ParsedArgs } from './args';
import { documentError, pythonGradcheck } from './gradcheckPython';
import { EXIT_BAD_INPUT, EXIT_GRADIENT_WRONG, EXIT_OK, type CliIo } from './io';

const HELP = `Usage: logit-lab gradcheck FILE.md|FILE.tex|FILE.gradcheck|FILE.py|FILE.ipynb [options]

Checks hand-derived gradients in \`\`\`gradcheck blocks (or LaTeX "% gradcheck" ... "% end" blocks)
against finite differences, and Python gradients: check_gradient(fun, x0) or
check_grad(func, grad, x0) calls in "# %% gradcheck" cells of a .py file, "# gradcheck" cells of
a notebook, or \`\`\`python gradcheck blocks of Markdown (earlier cells run first).

Options:
  --json           print a JSON report
  --points n       random perturbations besides the given point (default 3)
  --seed s         seed of randn/rand and of the perturbations (default 0)
  --tolerance t    largest relative error that passes (default 1e-6)
  --five-point     five-point differences instead of central ones
  --python PATH    the Python interpreter for Python checks (default python3)
  --time-limit s   seconds one block, or one Python cell or check, may take
                   (default 2 for a block, 10 for Python)
  --file-time-limit s
                   seconds the blocks of the whole file may take (default 20)

Octave blocks call check_gradient(@f, x0) on functions defined in the block or in
NAME.m files in the document's folder (as Octave's path finds them).

Exit codes: 0 all pass, 3 a gradient is wrong, 2 bad input.`;

/** Most component rows printed for one failing parameter. */
const MAX_ROWS = 12;

/** The exit code; a promise of it when the file has Python checks. */
export function gradcheckCommand(args: string[], io: CliIo): number | Promise<number> {
  const failed = (e: unknown): number => {
    if (e instanceof DataError) {
      io.err(formatDiagnostic(e.diagnostic));
      return EXIT_BAD_INPUT;
    }
    throw e;
  };
  try {
    const code = run(args, io);
    return typeof code === 'number' ? code : code.catch(failed);
  } catch (e) {
    return failed(e);
  }
}

function run(argv: string[], io: CliIo): number | Promise<number> {
  const args = commandArgs(argv, {
    name: 'gradcheck',
    flags: { json: 'switch', points: 'value', seed: 'value', tolerance: 'value', 'five-point': 'switch', python: 'value', 'time-limit': 'value', 'file-time-limit': 'value' },
    usage: HELP,
    files: 1,
    filesMessage: 'gradcheck takes exactly one FILE (see logit-lab gradcheck --help)',
    filesCode: 'cli.usage',
  }, io.out);
  if (!args) return EXIT_OK;
  const file = args.positional[0];
  const options: GradcheckOptions = {
    points: numberFlag(args, 'points', (v) => Number.isInteger(v) && v >= 0 && v <= 100, 'an integer from 0 to 100'),
    seed: numberFlag(args, 'seed', Number.isInteger, 'an integer'),
    tolerance: numberFlag(args, 'tolerance', (v) => v > 0 && v < 1, 'a number between 0 and 1'),
    fivePoint: args.switches.has('five-point'),
    timeLimitMs: secondsFlag(args, 'time-limit'),
    resolve: folderResolver(dirname(file), (path) => io.readBytes(path)),
  };
  const fileLimit = secondsFlag(args, 'file-time-limit') ?? FILE_TIME_LIMIT_MS;
  const text = readText(file, io);
  const kind = documentKind(file);
  const pythonCells = kind ? pythonCellsOf(file, text, kind) : [];
  const blocks = kind === 'py' || kind === 'ipynb' ? [] : extractBlocks(text, file);
  if (pythonCells.length > 0) {
    const octave = checkWithinTime(blocks, options, fileLimit);
    const python = { ...options, python: args.values.get('python') ?? 'python3', json: args.switches.has('json') };
    return pythonGradcheck(file, pythonCells, python, io, { reports: octave, human: (r) => human(file, r).split('\n'), json: toJson });
  }
  if (kind === 'py' || kind === 'ipynb') {
    const where = kind === 'py' ? '"# %% gradcheck" cells' : 'code cells starting with "# gradcheck"';
    throw new DataError({ code: 'gradcheck.no-blocks', file, message: `no Python gradient checks found: put check_gradient(fun, x0) calls in ${where}` });
  }
  if (blocks.length === 0) {
    throw new DataError({ code: 'gradcheck.no-blocks', file, message: 'no ```gradcheck blocks (or "% gradcheck" LaTeX blocks, or ```python gradcheck blocks) found' });
  }
  const reports = checkWithinTime(blocks, options, fileLimit);
  for (const r of reports) {
    if (r.error) io.err(formatDiagnostic({ severity: 'error', code: 'gradcheck.block', file: r.error.file ?? file, ...r.error }));
  }
  io.out(args.switches.has('json') ? JSON.stringify(toJson(reports), null, 2) : human(file, reports));
  if (reports.some((r) => r.verdict === 'error')) return EXIT_BAD_INPUT;
  return reports.some((r) => r.verdict === 'fail') ? EXIT_GRADIENT_WRONG : EXIT_OK;
}

function pythonCellsOf(file: string, text: string, kind: NonNullable<ReturnType<typeof documentKind>>): ReturnType<typeof extractPythonCells> {
  try {
    return extractPythonCells(text, kind);
  } catch (e) {
    if (e instanceof PythonDocumentError) throw documentError(file, e);
    throw e;
  }
}

/** A --flag in seconds (up to an hour), as milliseconds. */
function secondsFlag(args: ParsedArgs, name: string): number | undefined {
  const s = numberFlag(args, name, (v) => v > 0 && v <= 3600, 'a number of seconds from 0 to 3600');
  return s === undefined ? undefined : Math.round(s * 1000);
}

/** Default time limit of a whole file: 20 slow blocks must not take 40 s. */
export const FILE_TIME_LIMIT_MS = 20000;

/** Checks blocks in order, each within its own limit and what is left of the file's. */
function checkWithinTime(blocks: ReturnType<typeof extractBlocks>, options: GradcheckOptions, fileLimitMs: number): BlockReport[] {
  const deadline = Date.now() + fileLimitMs;
  const blockLimit = options.timeLimitMs ?? 2000;
  return blocks.map((block) => {
    const left = deadline - Date.now();
    if (left <= 0) {
      return {
        line: block.line,
        verdict: 'error',
        params: [],
        checks: [],
        error: { line: block.line, column: 1, message: `not checked: the time limit of ${fileLimitMs} ms for the whole file was used up by the blocks before this one` },
        tex: { grads: {} },
      };
    }
    return checkBlock(block, { ...options, timeLimitMs: Math.min(blockLimit, left) });
  });
}

function readText(file: string, io: CliIo): string {
  let bytes: Uint8Array;
  try {
    bytes = io.readBytes(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new DataError({ code: 'cli.read', file, message: `cannot read the file: ${why}` });
  }
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** The --json report, exactly the documented shape (non-finite numbers become null). */
export function toJson(reports: BlockReport[]): unknown {
  return {
    blocks: reports.map((r) => ({
      line: r.line,
      verdict: r.verdict,
      params: r.params.map(paramJson),
      ...(r.hessian ? { hessian: r.hessian.map(paramJson) } : {}),
      checks: r.checks.map((c) => ({
        line: c.line,
        source: c.source,
        holds: c.holds,
        maxError: Number.isFinite(c.maxError) ? c.maxError : null,
        ...(c.message ? { message: c.message } : {}),
      })),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

function paramJson(p: ParamReport): unknown {
  return {
    name: p.name,
    ...(p.what ? { function: p.what } : {}),
    line: p.line,
    verdict: p.verdict,
    maxRelError: Number.isFinite(p.maxRelError) ? p.maxRelError : null,
    shapeAnalytic: p.shapeAnalytic,
    shapeExpected: p.shapeExpected,
    diagnosis: {
      kind: p.diagnosis.kind,
      ...(p.diagnosis.factor !== undefined ? { factor: p.diagnosis.factor } : {}),
      ...(p.diagnosis.components ? { components: p.diagnosis.components } : {}),
      message: p.diagnosis.message,
    },
    ...(p.point ? { failingPoint: p.point } : {}),
    ...(p.verdict === 'pass' ? {} : { components: p.components.map((c) => ({ ...c, relError: Number.isFinite(c.relError) ? c.relError : null })) }),
  };
}

function human(file: string, reports: BlockReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${file}:${r.line}: block ${r.verdict}`);
    for (const p of r.params) lines.push(...param(p, 'grad'));
    for (const p of r.hessian ?? []) lines.push(...param(p, 'hess'));
    for (const c of r.checks) {
      const detail = c.holds ? `max error ${c.maxError.toExponential(1)}` : (c.message ?? '');
      lines.push(`  check ${c.source} (line ${c.line}): ${c.holds ? 'holds' : 'does not hold'}, ${detail}`);
    }
    if (r.error) lines.push(`  error at ${r.error.file ? `${r.error.file}:` : 'line '}${r.error.line}, column ${r.error.column}: ${r.error.message}`);
  }
  const count = (v: BlockReport['verdict']): number => reports.filter((r) => r.verdict === v).length;
  lines.push(`${reports.length} block${reports.length === 1 ? '' : 's'}: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error`);
  return lines.join('\n');
}

export function param(p: ParamReport, kind: 'grad' | 'hess'): string[] {
  const error = Number.isFinite(p.maxRelError) ? `max rel. error ${p.maxRelError.toExponential(1)}` : 'not comparable';
  const subject = p.what ? `${p.what}: ${kind === 'grad' ? 'gradient' : 'Hessian'} in ${p.name}` : `${kind} ${p.name}`;
  const out = [`  ${subject} (line ${p.line}): ${p.verdict}, ${error}`];
  if (p.point && p.verdict === 'fail') out.push(`    at ${p.name} = [${p.point.map(num).join('; ')}]`);
  if (p.verdict === 'pass') return out;
  if (p.diagnosis.message) out.push(`    ${p.diagnosis.message}`);
  if (p.components.length === 0) return out;
  const bad = p.components.filter((c) => c.band !== 'good');
  const rows = p.components.length <= MAX_ROWS ? p.components : bad.slice(0, MAX_ROWS);
  const width = Math.max(5, ...rows.map((c) => c.index.length));
  out.push(`    ${'index'.padEnd(width)}  ${'analytic'.padStart(14)}  ${'numeric'.padStart(14)}  ${'rel. error'.padStart(10)}`);
  for (const c of rows) {
    out.push(`    ${c.index.padEnd(width)}  ${num(c.analytic).padStart(14)}  ${num(c.numeric).padStart(14)}  ${c.relError.toExponential(1).padStart(10)}${c.band === 'good' ? '' : `  ${c.band}`}`);
  }
  const hidden = p.components.length - rows.length;
  if (hidden > 0) out.push(`    (${hidden} more component${hidden === 1 ? '' : 's'} not shown)`);
  return out;
}

function num(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(8))) : String(x);
}
