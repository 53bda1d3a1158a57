/**
 * The evaluation of a binary model on n rows, part by part, in CPU time of this process (robust on a
 * shared machine; the evaluation runs on one thread): decision values, the split's evaluation
 * (metrics, sweep, curves, reliability), the point sample and the PCA sample. Synthetic standardized
 * rows (deterministic). `node dist/evaluate-bench.js [rows] [features] [--setup-only]`; prints one JSON
 * line. Under `valgrind --tool=callgrind`, the instruction count of a run minus that of a --setup-only
 * run (which makes the same data and stops) is the evaluation's, whatever the machine's load.
 */
import { evaluateSplit } from '../src/core/evaluate/evaluate';
import { stratifiedSample, uniformSample } from '../src/core/data/sample';
import { decisionOnPreprocessed, type ModelJson } from '../src/core/model/model';
import { SYNTHETIC_INTERCEPT, syntheticBinary } from './synthetic';

const n = Number(process.argv[2] ?? 1_000_000);
const d = Number(process.argv[3] ?? 20);
const { X, y, w } = syntheticBinary(n, d);
const model = { kind: 'binary', featureNames: w.map((_, j) => `x${j}`), coefStandardized: [w], interceptStandardized: [SYNTHETIC_INTERCEPT], threshold: 0.5 } as unknown as ModelJson;
const rows = Int32Array.from({ length: n }, (_, i) => i);
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
if (process.argv.includes('--setup-only')) process.exit(0);
const z = timed('decisionMs', () => decisionOnPreprocessed(model, X, n));
const ev = timed('evaluateSplitMs', () => evaluateSplit('train', model, z, rows, { y, classes: ['0', '1'] }));
const strata = new Int32Array(n);
for (let i = 0; i < n; i++) strata[i] = y[i] * 3;
timed('pointSampleMs', () => stratifiedSample(strata, 2000, 0));
timed('pcaSampleMs', () => uniformSample(n, 5000, 0));
const total = Object.values(parts).reduce((a, b) => a + b, 0);
process.stdout.write(JSON.stringify({ rows: n, features: d, ...parts, totalCpuMs: total, rocAuc: ev.metrics!.rocAuc, logLoss: ev.metrics!.logLoss }) + '\n');
