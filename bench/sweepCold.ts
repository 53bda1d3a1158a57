// The binary evaluation's sorts and drawn sweep in a fresh process (one call each, as a CLI run makes
// them: the cold code's cost included), in CPU time, on two classes of 500,000 sigmoid probabilities:
//   npx esbuild bench/sweepCold.ts --bundle --platform=node --outfile=/tmp/sweepCold.js && node /tmp/sweepCold.js [REPS]
// Later repetitions in the same process show the warm figures. Alternate main's build and yours.
import { sortFloat64 } from '../src/core/evaluate/sortedScores';
import { drawnSweep } from '../src/core/evaluate/drawnSweep';

let seed = 12345;
const rnd = (): number => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 4294967296;
};
function probabilities(n: number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = 1 / (1 + Math.exp(-((rnd() - 0.5) * 8 + (rnd() - 0.5) * 4)));
  return a;
}
const cpuMs = (u: NodeJS.CpuUsage): string => ((u.user + u.system) / 1000).toFixed(1);
const reps = Number(process.argv[2] ?? 1);
for (let r = 0; r < reps; r++) {
  const pos = probabilities(500_000);
  const neg = probabilities(500_000);
  const t0 = process.cpuUsage();
  const sortedPos = sortFloat64(pos);
  const sortedNeg = sortFloat64(neg);
  const sortMs = cpuMs(process.cpuUsage(t0));
  const t1 = process.cpuUsage();
  const drawn = drawnSweep(sortedPos, sortedNeg, 200, 1000);
  console.log(JSON.stringify({ sortMs: Number(sortMs), drawnSweepMs: Number(cpuMs(process.cpuUsage(t1))), auc: drawn.roc.auc }));
}
