/**
 * Lazy access to the gradient checker engine (src/core/gradcheck, which pulls in mathjs' parser):
 * loaded on the first request, so activating the extension stays light. Checks run off the
 * extension host's thread, in a worker (dist/gradcheckWorker.js) that is terminated when a check
 * outlives its time limit. The in-process engine serves the gallery, and checks only when the worker
 * cannot run (it went away twice without answering).
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { folderResolver } from '../../node/functionFiles';
import { GradcheckWorkerClient, WorkerStopped } from '../../node/gradcheckWorkerClient';
import type * as EngineModule from '../../core/gradcheck/index';
import type { BlockReport, GradcheckOptions, SourceBlock } from '../../core/gradcheck/types';
import { localize } from '../localize';

export type Engine = typeof EngineModule;

let loading: Promise<Engine> | undefined;

/**
 * The engine is its own bundle, dist/gradcheckEngine.js (scripts/build.mjs), beside dist/extension.js:
 * mathjs is most of its 1.5 MB, and keeping it out of the extension bundle keeps activation cheap
 * (a dynamic import() inside one bundle would still be parsed at activation).
 */
export function loadEngine(): Promise<Engine> {
  const file = join(__dirname, 'gradcheckEngine.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, deliberately not bundled
  loading ??= Promise.resolve().then(() => require(file) as Engine);
  return loading;
}

/** Default options for checks started from the editor and the panel: fixed seed, engine defaults otherwise. */
export const CHECK_OPTIONS: GradcheckOptions = { seed: 0 };

let worker: GradcheckWorkerClient | undefined;

/**
 * Checks one block in the worker; NAME.m files come from `folder` (the document's). A failure or a
 * check that had to be stopped becomes an 'error' report instead of escaping.
 */
export async function checkSourceBlock(block: SourceBlock, options: GradcheckOptions = CHECK_OPTIONS, folder?: string): Promise<BlockReport> {
  const { resolve: _resolve, ...plain } = options;
  void _resolve;
  for (let attempt = 0; attempt < 2; attempt++) {
    worker ??= new GradcheckWorkerClient(join(__dirname, 'gradcheckWorker.js'));
    try {
      return await worker.check(block, plain, folder);
    } catch (e) {
      if (!(e instanceof WorkerStopped)) return errorReport(block, e instanceof Error ? e.message : String(e));
      // The worker went away without an answer: start a fresh one once, then check in-process.
      worker.dispose();
      worker = undefined;
    }
  }
  const engine = await loadEngine();
  try {
    return engine.checkBlock(block, { ...plain, resolve: folder ? folderResolver(folder, (p) => readFileSync(p)) : undefined });
  } catch (e) {
    return errorReport(block, e instanceof Error ? e.message : String(e));
  }
}

/** Stops the worker (extension deactivation). */
export function disposeWorker(): void {
  worker?.dispose();
  worker = undefined;
}

export function errorReport(block: Pick<SourceBlock, 'line'>, message: string): BlockReport {
  return {
    line: block.line,
    verdict: 'error',
    params: [],
    checks: [],
    error: { line: block.line, column: 1, message: localize('The gradient checker failed: {0}', message) },
    tex: { grads: {} },
  };
}
