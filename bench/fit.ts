/**
 * The fit phase alone, one solver per process (spawned by bench/fit.mjs, so that RSS is this fit's own):
 * the CSV loaded and prepared as `logit-lab train FILE --test-size 0 --val-size 0` does (prepareRun), then
 * minimize(createLoss(spec), solver) at L2, C = 1, tol 1e-8 (the CLI's defaults), with the loss pool on
 * every core as the CLI runs it. Prints one JSON line: the fit's CPU time (process.cpuUsage: every
 * thread of the process, so the pool's workers count), wall time, iterations, passes over X (loss and
 * gradient; loss, gradient and Hessian), the objective, and RSS before the fit, after it and the peak
 * (VmHWM) before and after it, in MB. Also the CPU time of one gradient pass and one gradient+Hessian
 * pass at the optimum (median of five).
 *
 *   node dist/fit-bench.js FILE SOLVER
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fastTrainingSupport, outputLossSpec, prepareRun } from '../src/core/run/train';
import { withTrainingTable } from '../src/node/loadDataset';
import { minimize, type SolverName } from '../src/core/optimize';
import { createLoss, ParallelLoss } from '../src/node/parallelLoss';

const file = process.argv[2];
const solver = (process.argv[3] ?? 'lbfgs') as SolverName;

/** VmRSS and VmHWM of this process, MB. */
function memory(): { rss: number; peak: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

// Loaded and prepared exactly as `logit-lab train FILE --test-size 0 --val-size 0` prepares its fit
// (prepareRun: columns typed, categorical columns one-hot encoded, the training rows in shared memory,
// standardized in place).
const settings = { target: [] as string[], testSize: 0, valSize: 0, solver };
const prepared = withTrainingTable(file, basename(file), (table) => prepareRun(table, settings, { fileName: basename(file), consumeTable: true }), undefined, (fast) =>
  fastTrainingSupport(fast, settings, basename(file)) === undefined,
);
const out = prepared.outputs[0];
const { spec } = outputLossSpec(out, prepared.scaled.train, prepared.ds.d, prepared.settings);
const K = out.nClasses;
const ds = { n: spec.n, d: spec.d };

const before = memory();
const c0 = process.cpuUsage();
const w0 = performance.now();
const { loss, release } = createLoss(spec, { workerFile: join(__dirname, 'lossShardWorker.js') });
let gradientPasses = 0;
let hessianPasses = 0;
const lossGradient = loss.lossGradient.bind(loss);
const lossGradientHessian = loss.lossGradientHessian.bind(loss);
loss.lossGradient = (t, g) => (gradientPasses++, lossGradient(t, g));
loss.lossGradientHessian = (t, g, H) => (hessianPasses++, lossGradientHessian(t, g, H));
const result = minimize(loss, solver, { maxIter: 1000, tol: 1e-8 });
const fitCpuMs = cpuMs(c0);
const fitWallMs = performance.now() - w0;
const after = memory();

const median5 = (run: () => void): number => {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const c = process.cpuUsage();
    run();
    times.push(cpuMs(c));
  }
  return times.sort((a, b) => a - b)[2];
};
const g = new Float64Array(loss.nParams);
const H = new Float64Array(loss.nParams * loss.nParams);
const gradientCpuMs = median5(() => lossGradient(result.theta, g));
const hessianCpuMs = K > 2 ? NaN : median5(() => lossGradientHessian(result.theta, g, H));
const objective = loss.sklearnObjective(result.theta);
void release();

process.stdout.write(
  JSON.stringify({
    solver,
    rows: ds.n,
    features: ds.d,
    classes: K,
    threads: loss instanceof ParallelLoss ? loss.threads : 1,
    iterations: result.iterations,
    converged: result.converged,
    gradientPasses,
    hessianPasses,
    fitCpuMs,
    fitWallMs,
    gradientCpuMs,
    hessianCpuMs,
    objective,
    rssBeforeMB: before.rss,
    rssAfterMB: after.rss,
    peakBeforeMB: before.peak,
    peakAfterMB: after.peak,
    theta: Array.from(result.theta),
  }) + '\n',
);
