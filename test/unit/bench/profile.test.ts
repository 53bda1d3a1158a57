/**
 * bench/profile.mjs's aggregation of a V8 .cpuprofile by phase, on a hand-built profile: each sample
 * to the innermost listed function on its stack, "(other)" without one, self time per function.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript (bench/profile.mjs), run by node.
import { phaseShares, phaseTable } from '../../../bench/profile.mjs';

const frame = (functionName: string, line = 0) => ({ functionName, url: `file:///x/dist/cli.js`, lineNumber: line, columnNumber: 0, scriptId: '1' });
// (root) → main → fitOutputs → rawPrediction → log1pExp; main → evaluateSplits → sortFloat64; (root) → (garbage collector).
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 8] },
    { id: 2, callFrame: frame('main', 9), children: [3, 6] },
    { id: 3, callFrame: frame('fitOutputs', 99), children: [4] },
    { id: 4, callFrame: frame('rawPrediction', 199), children: [5] },
    { id: 5, callFrame: frame('log1pExp', 299) },
    { id: 6, callFrame: frame('evaluateSplits', 399), children: [7] },
    { id: 7, callFrame: frame('sortFloat64', 499) },
    { id: 8, callFrame: frame('(garbage collector)') },
  ],
  samples: [5, 5, 4, 3, 7, 6, 8, 2],
  timeDeltas: [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000],
};

describe('phase profile aggregation', () => {
  it('gives each sample to the innermost listed function', () => {
    const s = phaseShares(profile, ['fitOutputs', 'evaluateSplits', 'loadTrainingData']);
    expect(s.totalMs).toBe(36);
    // Largest first; the garbage collector's and main's own samples have no phase function on their stack.
    expect(s.phases).toEqual([
      { name: '(other)', ms: 15 },
      { name: 'evaluateSplits', ms: 11 },
      { name: 'fitOutputs', ms: 10 },
    ]);
    expect(s.missing).toEqual(['loadTrainingData']);
    expect(s.self[0]).toEqual({ name: 'main cli.js:10', ms: 8 });
    expect(s.self.find((x: { name: string }) => x.name === 'log1pExp cli.js:300').ms).toBe(3);
  });

  it('takes a nested phase out of the one around it', () => {
    const s = phaseShares(profile, ['fitOutputs', 'rawPrediction', 'evaluateSplits']);
    const ms = Object.fromEntries(s.phases.map((p: { name: string; ms: number }) => [p.name, p.ms]));
    expect(ms).toEqual({ rawPrediction: 6, fitOutputs: 4, evaluateSplits: 11, '(other)': 15 });
  });

  it('prints the shares as a table', () => {
    const lines = phaseTable(phaseShares(profile, ['fitOutputs', 'evaluateSplits']), new Map([['fitOutputs', 'fit']]), 2);
    expect(lines).toContain('| start, GC, the rest (no phase function on the stack) | 15 | 41.7 % |');
    expect(lines).toContain('| fit (`fitOutputs`) | 10 | 27.8 % |');
    expect(lines).toContain('| evaluateSplits (`evaluateSplits`) | 11 | 30.6 % |');
    expect(lines).toContain('| total (main thread) | 36 | 100 % |');
    expect(lines[lines.length - 1]).toBe('Top 2 functions by self time: main cli.js:10 8 ms; (garbage collector) cli.js:1 7 ms.');
  });
});
