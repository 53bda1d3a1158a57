/**
 * Entry of the gradient-check worker (bundled as dist/gradcheckWorker.js): checks gradcheck blocks
 * off the extension host's thread. Each message is one block; NAME.m files are read from the
 * document's folder (read only, never written). The host terminates the worker when a check
 * outlives its time limit (see src/node/gradcheckWorkerClient.ts).
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { checkBlock } from '../core/gradcheck/check';
import { folderResolver } from '../node/functionFiles';
import type { GradcheckRequest, GradcheckResponse } from '../node/gradcheckWorkerClient';

parentPort!.on('message', (request: GradcheckRequest) => {
  let response: GradcheckResponse;
  try {
    const resolve = request.folder ? folderResolver(request.folder, (p) => readFileSync(p)) : undefined;
    response = { id: request.id, report: checkBlock(request.block, { ...request.options, resolve }) };
  } catch (e) {
    response = { id: request.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(response);
});
// Loaded: the host starts a check's clock only now, so loading the bundle never counts against it.
parentPort!.postMessage({ ready: true });
