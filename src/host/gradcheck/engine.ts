/**
 * Lazy access to the gradient checker engine (src/core/gradcheck, which pulls in mathjs' parser):
 * loaded on the first check or lens request, so activating the extension stays light. The engine runs
 * in-process on the extension host; it is fast for homework-size blocks and has its own time limit.
 */
import type * as EngineModule from '../../core/gradcheck/index';
import type { BlockReport, GradcheckOptions, SourceBlock } from '../../core/gradcheck/types';

export type Engine = typeof EngineModule;

let loading: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  loading ??= import('../../core/gradcheck/index');
  return loading;
}

/** Default options for checks started from the editor and the panel: fixed seed, engine defaults otherwise. */
export const CHECK_OPTIONS: GradcheckOptions = { seed: 0 };

/** Checks one block; an unexpected exception becomes an 'error' report instead of escaping. */
export async function checkSourceBlock(block: SourceBlock, options: GradcheckOptions = CHECK_OPTIONS): Promise<BlockReport> {
  const engine = await loadEngine();
  try {
    return engine.checkBlock(block, options);
  } catch (e) {
    return errorReport(block, e instanceof Error ? e.message : String(e));
  }
}

export function errorReport(block: Pick<SourceBlock, 'line'>, message: string): BlockReport {
  return {
    line: block.line,
    verdict: 'error',
    params: [],
    checks: [],
    error: { line: block.line, column: 1, message: `The gradient checker failed: ${message}` },
    tex: { grads: {} },
  };
}
