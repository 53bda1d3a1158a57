/**
 * The evaluation of a model on n rows, part by part, in CPU time of this process (robust on a shared
 * machine; the evaluation runs on one thread). Synthetic standardized rows (deterministic).
 * `node dist/evaluate-bench.js [rows] [features] [--setup-only] [--split] [--softmax K]`; prints one JSON line.
 * - default: a binary model, one split of all the rows (in a shared WebAssembly memory, as the run's
 *   training rows): decision values, the split's evaluation
 *   (metrics, sweep, curves, reliability), the point sample and the PCA (sampledComponents, as the run);
 * - --split: the CLI's default split (0.7 / 0.1 / 0.2 of the rows, in order) through train.ts's
 *   evaluateSplits: decision values, Platt and isotonic calibrators on the validation rows, each
 *   split's evaluation with its calibrated diagrams; then the PCA of about 5000 training rows;
 * - --softmax K: a K-class multinomial model on all the rows (random weights, labels drawn from
 *   its probabilities) through evaluateSplits, then the PCA.
 * Under `valgrind --tool=callgrind`, the instruction count of a run minus that of a --setup-only run
 * (which makes the same data and stops) is the evaluation's, whatever the machine's load.
 */
import { evaluateSplit } from '../src/core/evaluate/evaluate';
import { stratifiedSample } from '../src/core/data/sample';
import { decisionOnPreprocessed, probaFromDecision, type ModelJson } from '../src/core/model/model';
import { evaluateSplits } from '../src/core/run/train';
import { sampledComponents } from '../src/core/evaluate/projection';
import type { Dataset } from '../src/core/data/dataset';
import { Rng } from '../src/core/random';
import { decisionValues } from '../src/core/model/simdDecision';
import { sharedFloat64Memory } from '../src/core/model/simdKernels';
import { SYNTHETIC_INTERCEPT, syntheticBinary } from './synthetic';

const args = process.argv.slice(2);
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--softmax');
const n = Number(positional[0] ?? (args.includes('--softmax') ? 100_000 : 1_000_000));
const d = Number(positional[1] ?? (args.includes('--softmax') ? 50 : 20));
const K = args.includes('--softmax') ? Number(args[args.indexOf('--softmax') + 1]) : 2;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const parts: Record<string, number> = {};
const timed = <T>(name: string, f: () => T): T => {
  const a = cpu();
  const r = f();
  parts[name] = cpu() - a;
  return r;
};
const range = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
let X: Float64Array;
let y: Int32Array;
let model: ModelJson;
if (K > 2) {
  const rng = new Rng(3);
  X = Float64Array.from({ length: n * d }, () => rng.normal());
  const W = Array.from({ length: K }, () => Array.from({ length: d }, () => rng.normal() * 0.3));
  model = { kind: 'multinomial', featureNames: W[0].map((_, j) => `x${j}`), coefStandardized: W, interceptStandardized: new Array(K).fill(0.1), threshold: 0.5 } as unknown as ModelJson;
  const proba = probaFromDecision('multinomial', decisionOnPreprocessed(model, X, n), n, K);
  y = Int32Array.from({ length: n }, (_, i) => {
    let u = rng.next();
    for (let k = 0; k < K - 1; k++) if ((u -= proba[i * K + k]) < 0) return k;
    return K - 1;
  });
} else {
  const data = syntheticBinary(n, d);
  // In a shared WebAssembly memory, as the run's standardized training rows (the decision kernel reads them in place).
  const shared = sharedFloat64Memory(n * d * 8);
  X = shared ? new Float64Array(shared, 0, n * d) : data.X;
  if (shared) X.set(data.X);
  y = data.y;
  model = { kind: 'binary', featureNames: data.w.map((_, j) => `x${j}`), coefStandardized: [data.w], interceptStandardized: [SYNTHETIC_INTERCEPT], threshold: 0.5 } as unknown as ModelJson;
}
if (args.includes('--setup-only')) process.exit(0);
let result: { rocAuc: number | null | undefined; logLoss: number | undefined };
if (args.includes('--split') || K > 2) {
  const [nTrain, nValidation] = K > 2 ? [n, 0] : [Math.round(0.7 * n), Math.round(0.1 * n)];
  const rowsOf = { train: range(0, nTrain), validation: range(nTrain, nTrain + nValidation), test: range(nTrain + nValidation, n) };
  const scaled = { train: X.subarray(0, nTrain * d), validation: X.subarray(nTrain * d, (nTrain + nValidation) * d), test: X.subarray((nTrain + nValidation) * d) };
  const ds = { y, classes: Array.from({ length: K }, (_, k) => String(k)) } as unknown as Dataset;
  const ev = timed('evaluateSplitsMs', () => evaluateSplits(model, ds, rowsOf, scaled));
  timed('pcaMs', () => sampledComponents(scaled.train, nTrain, d, 0));
  const last = ev.test ?? ev.train!;
  result = { rocAuc: last.metrics!.rocAuc, logLoss: last.metrics!.logLoss };
} else {
  const rows = range(0, n);
  const z = timed('decisionMs', () => decisionValues(model, X, n));
  const ev = timed('evaluateSplitMs', () => evaluateSplit('train', model, z, rows, { y, classes: ['0', '1'] }));
  const strata = new Int32Array(n);
  for (let i = 0; i < n; i++) strata[i] = y[i] * 3;
  timed('pointSampleMs', () => stratifiedSample(strata, 2000, 0));
  timed('pcaMs', () => sampledComponents(X, n, d, 0));
  result = { rocAuc: ev.metrics!.rocAuc, logLoss: ev.metrics!.logLoss };
}
const total = Object.values(parts).reduce((a, b) => a + b, 0);
process.stdout.write(JSON.stringify({ rows: n, features: d, classes: K, ...parts, totalCpuMs: total, ...result }) + '\n');
