/**
 * Running the Python gradient checks of a document: one fresh harness process per run, the cells in
 * document order; each `check_gradient` / `check_grad` call is checked by the shared engine
 * (checkObjective) while the harness waits, one round trip per batch of points. Results come back
 * as BlockReports (the same verdicts, diagnoses and JSON as Octave blocks) with document positions.
 */
import {
  checkObjective,
  runObjectiveCheckAsync,
  type EvaluationRequest,
  type ObjectiveCheckReport,
  type ObjectiveHint,
  type ObjectiveValue,
} from '../../core/gradcheck/objective';
import { documentPosition, type DocPosition, type PythonCell } from '../../core/gradcheck/python/cells';
import type { BlockReport, GradcheckOptions, ParamReport } from '../../core/gradcheck/types';
import { decodeArray, encodeMat, type CellPosition, type HarnessMessage, type WireValue } from './protocol';
import { PythonCancelledError, PythonInterpreterError, PythonSession, PythonTimeoutError, type SessionOptions } from './session';

export { PythonInterpreterError, PythonCancelledError } from './session';

export interface PythonCheckOptions extends GradcheckOptions, SessionOptions {
  /** The document as tracebacks name it (its file name). */
  fileLabel: string;
  /** The document's folder, put on sys.path so its modules import. */
  docDir?: string;
}

export interface PythonCheckResult {
  report: BlockReport;
  /** Where the check was registered (the check_gradient call), or the cell that failed. */
  at: DocPosition;
  /** The `return` that produced the gradient, when known. */
  returnAt?: DocPosition;
  /** Where an exception was raised in the student's code. */
  errorAt?: DocPosition;
  /** Observations that are not a verdict (an integer x0, an input modified in place...). */
  notes: string[];
  /** NumPy shapes at x0, for messages: the parameter and the gradient. */
  shapes?: { x0: number[]; grad?: number[] };
}

class StudentException extends Error {
  constructor(
    message: string,
    readonly at: CellPosition | null,
    /** The run cannot go on (SystemExit, KeyboardInterrupt raised in fun). */
    readonly fatal = false,
  ) {
    super(message);
  }
}

/** Errors that end the whole run rather than one check. */
const endsRun = (e: unknown): boolean => e instanceof PythonInterpreterError || e instanceof PythonCancelledError;

/**
 * Runs every check of the cells (as extracted by extractPythonCells). Interpreter problems throw
 * PythonInterpreterError; cancellation throws PythonCancelledError; everything else is a result.
 */
export async function runPythonChecks(cells: PythonCell[], options: PythonCheckOptions): Promise<PythonCheckResult[]> {
  const session = new PythonSession(options);
  const timeLimit = options.timeLimitMs ?? 10_000;
  const results: PythonCheckResult[] = [];
  const pos = (at: CellPosition | null | undefined, fallback: DocPosition): DocPosition =>
    at && cells[at.cell] ? documentPosition(cells[at.cell], at.line) : fallback;
  let current = 0;
  let started = false;
  let checksInCell = 0;
  const closeCell = (): void => {
    if (started && cells[current]?.gradcheck && checksInCell === 0) {
      const at = documentPosition(cells[current], 1);
      results.push(errorResult(at, 'this gradcheck cell registers no check: call check_gradient(fun, x0) or check_grad(func, grad, x0) in it'));
    }
  };
  try {
    session.limit(timeLimit, 'Python');
    await session.start({
      cells: cells.map((c) => ({ code: c.code, file: options.fileLabel, offset: c.line - 1, notebookCell: c.notebookCell ?? null })),
      docDir: options.docDir ?? null,
      memoryMb: options.memoryMb ?? 4096,
    }).catch((e: unknown) => {
      if (e instanceof PythonTimeoutError) throw new PythonInterpreterError(`the Python interpreter "${options.python}" did not start within ${timeLimit / 1000} s: ${options.pickHint}`);
      throw e;
    });
    for (;;) {
      let message: HarnessMessage;
      try {
        message = await session.next();
      } catch (e) {
        if (endsRun(e)) throw e;
        // A time limit, or a Python that died (killed for memory, os._exit in the student's code).
        const message = e instanceof PythonTimeoutError ? `the cell ${e.message.replace(/^Python /, '')}` : (e as Error).message;
        results.push(errorResult(documentPosition(cells[current], 1), message));
        break;
      }
      if (message.type === 'end') {
        closeCell();
        break;
      }
      if (message.type === 'cell') {
        closeCell();
        current = message.index;
        started = true;
        checksInCell = 0;
        session.limit(timeLimit, 'the cell');
      } else if (message.type === 'raised') {
        const at = pos(message.at, documentPosition(cells[current], 1));
        results.push({ ...errorResult(at, message.message, message.column), errorAt: at });
        break;
      } else if (message.type === 'check') {
        checksInCell++;
        session.limit(timeLimit, 'the check');
        const result = await runOne(session, message, cells, options, pos);
        results.push(result);
        if (result.stop) break;
        session.send({ type: 'done' });
      } else {
        throw new Error(`unexpected message from the Python harness: ${message.type}`);
      }
    }
  } finally {
    await session.close();
  }
  return results;
}

type CheckMessage = Extract<HarnessMessage, { type: 'check' }>;

async function runOne(
  session: PythonSession,
  message: CheckMessage,
  cells: PythonCell[],
  options: PythonCheckOptions,
  pos: (at: CellPosition | null | undefined, fallback: DocPosition) => DocPosition,
): Promise<PythonCheckResult & { stop?: boolean }> {
  const at = pos(message.at, documentPosition(cells[0], 1));
  const x0 = decodeArray(message.x0);
  const hintLine = (h: { cell?: number; line?: number }): number | undefined =>
    h.cell !== undefined && h.line !== undefined && cells[h.cell] ? documentPosition(cells[h.cell], h.line).line : undefined;
  let first: WireValue | undefined;
  const seen = new Set<string>();
  const evaluate = async (request: EvaluationRequest): Promise<ObjectiveValue[]> => {
    session.send({ type: 'eval', points: request.points.map(encodeMat), outputs: request.outputs, terms: request.terms ?? false });
    const reply = await session.next();
    if (reply.type === 'raised') throw new StudentException(reply.message, reply.at, reply.fatal);
    if (reply.type !== 'values') throw new Error(`unexpected message from the Python harness: ${reply.type}`);
    first ??= reply.values[0];
    // The harness repeats a check's hints with every value: pass each one to the engine once.
    return reply.values.map((v) => objectiveValue({ ...v, hints: v.hints?.filter((h) => !seen.has(h.message) && seen.add(h.message)) }, hintLine));
  };
  const notes = [...message.notes];
  try {
    // The first request is always x0 with terms: evaluate it first to learn the function's name and
    // the named quantities of its frame (N, reg...) that a constant factor may be.
    const [v0] = await evaluate({ points: [x0], outputs: 3, terms: true });
    const check = checkObjective(x0, {
      points: options.points,
      seed: options.seed,
      tolerance: options.tolerance,
      fivePoint: options.fivePoint,
      bands: options.bands,
      param: message.param,
      what: first?.function ?? message.what,
      notation: 'python',
      named: first?.named ?? [],
    });
    let reused = false;
    const report = await runObjectiveCheckAsync(check, (request) => {
      if (!reused && request.points.length === 1 && request.terms) {
        reused = true;
        return Promise.resolve([v0]);
      }
      return evaluate(request);
    });
    const returnAt = first?.returnAt ? pos(first.returnAt, at) : undefined;
    const shapes = { x0: message.x0.shape, grad: first?.grad?.shape };
    return { report: blockReport(report, at, returnAt, shapes, message.param), at, returnAt, notes: [...notes, ...passNotes(report, first)], shapes };
  } catch (e) {
    if (e instanceof StudentException) {
      const errorAt = pos(e.at, at);
      return { ...errorResult(at, e.message), errorAt, notes, stop: e.fatal };
    }
    if (e instanceof PythonTimeoutError) return { ...errorResult(at, e.message.replace(/^the check/, `check_gradient at line ${at.line}`)), notes, stop: true };
    if (endsRun(e)) throw e;
    return { ...errorResult(at, (e as Error).message), notes, stop: true };
  }
}

function objectiveValue(v: WireValue, hintLine: (h: { cell?: number; line?: number }) => number | undefined): ObjectiveValue {
  const loss = typeof v.loss === 'number' ? v.loss : v.loss === 'inf' ? Infinity : v.loss === '-inf' ? -Infinity : NaN;
  return {
    loss,
    lossShape: v.lossShape,
    grad: v.grad ? decodeArray(v.grad) : undefined,
    hess: v.hess ? decodeArray(v.hess) : undefined,
    outputs: v.outputs,
    terms: v.terms?.map((t) => ({ text: t.text, sign: t.sign, value: decodeArray(t.value), candidate: t.candidate })),
    hints: v.hints?.map((h): ObjectiveHint => ({ kind: h.kind, message: h.message, decisive: h.decisive, line: hintLine(h) })),
  };
}

/** Hints seen while the check passed (an input modified in place that did not change the result). */
function passNotes(report: ObjectiveCheckReport, first: WireValue | undefined): string[] {
  if (report.verdict !== 'pass') return [];
  return (first?.hints ?? []).filter((h) => h.kind === 'mutation' || h.kind === 'integer').map((h) => h.message);
}

function errorResult(at: DocPosition, message: string, column = 1): PythonCheckResult {
  return {
    report: { line: at.line, verdict: 'error', params: [], checks: [], error: { line: at.line, column, message }, tex: { grads: {} } },
    at,
    notes: [],
  };
}

function blockReport(
  r: ObjectiveCheckReport,
  at: DocPosition,
  returnAt: DocPosition | undefined,
  shapes: { x0: number[]; grad?: number[] },
  param: string,
): BlockReport {
  const line = returnAt?.line ?? at.line;
  const params: ParamReport[] = r.gradient ? [{ ...r.gradient, line }] : [];
  const g = params[0];
  // NumPy shapes that differ while the column-major layouts agree ((3, 1) for (3,)): still wrong.
  if (g && shapes.grad && shapes.grad.join(',') !== shapes.x0.join(',')) {
    const hint = g.verdict === 'fail' ? undefined : `the gradient has shape (${shapes.grad.join(', ')}${shapes.grad.length === 1 ? ',' : ''}) but ${param} has shape (${shapes.x0.join(', ')}${shapes.x0.length === 1 ? ',' : ''}): return an array of ${param}'s shape (e.g. grad.reshape(${param}.shape)).`;
    if (hint) Object.assign(g, { verdict: 'fail', diagnosis: { kind: 'shape', message: hint } });
    else if (g.diagnosis.kind === 'other' && /has shape/.test(g.diagnosis.message)) g.diagnosis = { ...g.diagnosis, kind: 'shape' };
  }
  const verdict = g?.verdict === 'fail' ? 'fail' : r.verdict;
  return {
    line: at.line,
    verdict,
    params,
    hessian: r.hessian ? [{ ...r.hessian, line }] : undefined,
    checks: [],
    error: r.error ? { line: at.line, column: 1, message: r.error } : undefined,
    tex: { grads: {} },
  };
}
