/**
 * Kernel benchmark of the objective (no CSV): the roofline (one pass summing the float64 matrix),
 * z = X w alone, the fused lossGradient on one thread and sharded over every core (ParallelLoss), and
 * how many lossGradient calls L-BFGS makes at tol 1e-8 (the default) and 1e-4 (scikit-learn's), on
 * 1M × 20 binary and 100k × 50 × 10 softmax data drawn from the model itself (standardized features,
 * deterministic); then the fit time of both losses on growing binary problems (the crossover).
 *
 *   npm run build             (builds dist/gradient-bench.js beside dist/lossShardWorker.js)
 *   node dist/gradient-bench.js [--reps 7] [--threads T]
 *
 * Prints best and median wall milliseconds of `reps` repetitions per kernel, and the least CPU time.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { LinearModelLoss, type LossSpec } from '../src/core/model/loss';
import { minimize } from '../src/core/optimize';
import { ParallelLoss } from '../src/node/parallelLoss';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const reps = arg('reps', 7);
const threads = arg('threads', availableParallelism());
const workerFile = join(__dirname, 'lossShardWorker.js');
const now = () => performance.now();

/** mulberry32 + Box–Muller: the same data on every machine. */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

function makeSpec(n: number, d: number, K: number): LossSpec {
  const normal = normals(7 + K);
  const R = K === 2 ? 1 : K;
  const W = Float64Array.from({ length: R * d }, () => 0.4 * normal());
  const X = new Float64Array(n * d);
  const y = new Int32Array(n);
  const z = new Float64Array(R);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = normal();
    for (let k = 0; k < R; k++) {
      let t = 0;
      for (let j = 0; j < d; j++) t += W[k * d + j] * X[i * d + j];
      z[k] = t;
    }
    if (R === 1) y[i] = normal() < z[0] * 1.6 ? 1 : 0;
    else {
      // Gumbel-max: argmax_k z_k + G_k samples the softmax.
      let best = 0;
      let arg = 0;
      for (let k = 0; k < R; k++) {
        const g = z[k] - Math.log(-Math.log(Math.min(1 - 1e-12, Math.max(1e-12, 0.5 + 0.5 * Math.tanh(normal())))));
        if (k === 0 || g > best) {
          best = g;
          arg = k;
        }
      }
      y[i] = arg;
    }
  }
  return { X, n, d, kind: K === 2 ? 'binary' : 'multinomial', y, nClasses: K, penalty: 'l2', C: 1 };
}

interface Timing {
  best: number;
  median: number;
  /** Least CPU time of the process (all threads) over the repetitions: steadier than wall time on a loaded machine. */
  cpu: number;
}

function time(fn: () => void): Timing {
  fn();
  const wall: number[] = [];
  let cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const c = process.cpuUsage();
    const a = now();
    fn();
    wall.push(now() - a);
    const u = process.cpuUsage(c);
    cpu = Math.min(cpu, (u.user + u.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  return { best: wall[0], median: wall[(wall.length - 1) >> 1], cpu };
}

const fmt = (m: Timing) => `wall best ${m.best.toFixed(1)} / median ${m.median.toFixed(1)} ms, cpu ${m.cpu.toFixed(1)} ms`;
let sink = 0;

async function runCase(name: string, n: number, d: number, K: number): Promise<void> {
  const spec = makeSpec(n, d, K);
  const loss = new LinearModelLoss(spec);
  const theta = Float64Array.from({ length: loss.nParams }, (_, p) => 0.05 * Math.sin(p + 1));
  const grad = new Float64Array(loss.nParams);
  const z = new Float64Array(n * loss.nCoefRows);
  const X = spec.X;
  const pass = time(() => {
    let s = 0;
    for (let i = 0; i < X.length; i++) s += X[i];
    sink += s;
  });
  const xw = time(() => loss.rawPrediction(theta, X, n, z));
  const single = time(() => {
    sink += loss.lossGradient(theta, grad);
  });
  const c0 = now();
  const par = new ParallelLoss(spec, { workerFile, threads });
  const c1 = now();
  const pgrad = new Float64Array(loss.nParams);
  par.lossGradient(theta, pgrad);
  const c2 = now();
  const parallel = time(() => {
    sink += par.lossGradient(theta, pgrad);
  });
  let diff = 0;
  let scale = 0;
  for (let p = 0; p < grad.length; p++) {
    diff = Math.max(diff, Math.abs(grad[p] - pgrad[p]));
    scale = Math.max(scale, Math.abs(grad[p]));
  }
  console.log(`${name}: n=${n} d=${d} K=${K}, ${threads} threads, load ${loadavg()}`);
  console.log(`  roofline (one pass summing X)   ${fmt(pass)}`);
  console.log(`  z = X W alone                   ${fmt(xw)}`);
  console.log(`  lossGradient, one thread        ${fmt(single)}  (${(single.best / pass.best).toFixed(2)}x the pass by wall, ${(single.cpu / pass.cpu).toFixed(2)}x by cpu)`);
  console.log(`  lossGradient, ParallelLoss      ${fmt(parallel)}  (${(parallel.best / pass.best).toFixed(2)}x the pass by wall; max |Δg| / max |g| = ${(diff / scale).toExponential(1)})`);
  console.log(`  ParallelLoss start: constructor (shared copy, spawn) ${(c1 - c0).toFixed(1)} ms, first call ${(c2 - c1).toFixed(1)} ms`);
  for (const tol of [1e-8, 1e-4]) {
    let calls = 0;
    const counted = Object.create(loss) as LinearModelLoss;
    counted.lossGradient = (t, g) => {
      calls++;
      return loss.lossGradient(t, g);
    };
    const a = now();
    const r = minimize(counted, 'lbfgs', { tol });
    const b = now();
    const rp = minimize(par, 'lbfgs', { tol });
    const e = now();
    console.log(
      `  L-BFGS tol ${tol}: ${r.iterations} iterations, ${calls} lossGradient calls, ${r.stopReason}; fit ${(b - a).toFixed(0)} ms one thread, ` +
        `${(e - b).toFixed(0)} ms ParallelLoss (${rp.iterations} iterations); objective ${loss.sklearnObjective(r.theta).toFixed(6)}`,
    );
  }
  await par.dispose();
}

/** Fit time (L-BFGS, tol 1e-8, best of 3) of both losses on binary n × 20, ParallelLoss counted from construction to disposal. */
async function crossover(): Promise<void> {
  console.log(`crossover, binary d = 20, ${threads} threads, load ${loadavg()}`);
  for (const n of [10_000, 30_000, 100_000, 300_000]) {
    const spec = makeSpec(n, 20, 2);
    let one = Infinity;
    let many = Infinity;
    for (let r = 0; r < 3; r++) {
      const a = now();
      minimize(new LinearModelLoss(spec), 'lbfgs');
      const b = now();
      const par = new ParallelLoss(spec, { workerFile, threads });
      minimize(par, 'lbfgs');
      await par.dispose();
      const e = now();
      one = Math.min(one, b - a);
      many = Math.min(many, e - b);
    }
    console.log(`  n·d = ${(n * 20).toExponential(0)}: one thread ${one.toFixed(1)} ms, ParallelLoss ${many.toFixed(1)} ms (incl. start and dispose)`);
  }
}

function loadavg(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

async function main(): Promise<void> {
  if (!process.argv.includes('--crossover-only')) {
    await runCase('binary', 1_000_000, 20, 2);
    await runCase('softmax', 100_000, 50, 10);
  }
  await crossover();
  if (sink === 0.123) console.log('');
}

void main();
