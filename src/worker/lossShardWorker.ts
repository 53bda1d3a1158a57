/**
 * Entry of one ParallelLoss shard worker (bundled as dist/lossShardWorker.js): serves loss/gradient
 * requests on its row shard over shared memory until the pool is disposed (see src/node/parallelLoss.ts).
 */
import { workerData } from 'node:worker_threads';
import { serveLossShard, type LossShardData } from '../node/parallelLoss';

serveLossShard(workerData as LossShardData);
