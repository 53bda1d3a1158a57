/**
 * Entry of the parse worker (bundled as dist/parseWorker.js): parses the second part of a large CSV
 * file for the fast path's two-thread parse and posts its table back (see src/node/parallelCsv.ts).
 */
import { workerData } from 'node:worker_threads';
import { serveParseRange, type ParseWorkerData } from '../node/parallelCsv';

serveParseRange(workerData as ParseWorkerData);
