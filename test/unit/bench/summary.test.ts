/**
 * The end-to-end bench's pure helpers (bench/summary.mjs) on fixed run results: medians, ratios, the
 * composite polars route, the problem's label, the tables. Nothing is timed here.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript (bench/summary.mjs), run by node.
import { endToEndSummary, endToEndTable, leadTable, median, option, panelSummary, problemLabel, ratioText } from '../../../bench/summary.mjs';

const ll = (wallMs: number, parseMs: number, extra: Record<string, number> = {}) => ({
  kind: 'multinomial',
  classes: ['a', 'b', 'c'],
  wallMs,
  cpuMs: wallMs * 0.9,
  timings: { parseMs, fitMs: 500, evaluateMs: 200, ...extra },
  iterations: 30,
  objective: 100.5,
  peakRssMB: 200,
  load: [1, 1.5],
});
const sk = (wallMs: number, parseMs: number) => ({
  classes: ['a', 'b', 'c'],
  wallMs,
  cpuMs: wallMs,
  parseMs,
  parseCpuMs: parseMs,
  fitMs: 1000,
  fitCpuMs: 1000,
  evaluateMs: 800,
  evaluateCpuMs: 700,
  iterations: 20,
  objective: 100.6,
  peakRssMB: 400,
  load: [0.5, 2],
});
const pl = (parseMs: number, wallMs: number) => ({ parseMs, parseCpuMs: parseMs * 1.5, wallMs, cpuMs: wallMs, peakRssMB: 300, load: [1, 1] });

const run = {
  file: '/x/bench/data/softmax_10x2x3.csv',
  runs: 3,
  cores: 2,
  results: {
    ll: [ll(1000, 100, { prepareMs: 40 }), ll(1200, 120, { prepareMs: 60 }), { failed: 1, stderr: 'boom' }, ll(1100, 110, { prepareMs: 50 })],
    sk: [sk(4000, 1000), sk(3000, 800), sk(5000, 1200)],
    pl: [pl(300, 700), pl(200, 600), pl(400, 800)],
  },
  noSklearn: null,
  noPolars: null,
};

describe('bench summary helpers', () => {
  it('median of the finite values, NaN without any', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, NaN, 1, undefined as unknown as number])).toBe(3);
    expect(median([])).toBeNaN();
  });

  it('ratios as text, a dash when a side is missing', () => {
    expect(ratioText(1, 4)).toBe('0.25x');
    expect(ratioText(2.07, 6.02)).toBe('0.34x');
    expect(ratioText(1, NaN)).toBe('—');
    expect(ratioText(1, 0)).toBe('—');
  });

  it('names the problem from the CLI output', () => {
    expect(problemLabel({ kind: 'binary', classes: ['0', '1'] })).toBe('binary');
    expect(problemLabel({ kind: 'multinomial', classes: Array.from({ length: 10 }, (_, i) => `c${i}`) })).toBe('softmax, 10 classes');
  });

  it('summarizes the routes: failed runs left out, the composite polars route', () => {
    const s = endToEndSummary(run);
    expect(s.file).toBe('softmax_10x2x3.csv');
    expect(s.label).toBe('softmax, 3 classes');
    expect(s.ll.wallMs).toBe(1100);
    expect(s.ll.parseMs).toBe(110);
    // other = wall − parse − fit − evaluate, per run, then the median: 1000−800, 1200−820, 1100−810.
    expect(s.ll.otherMs).toBe(290);
    expect(s.ll.extraMs).toEqual({ prepareMs: 50 });
    expect(s.sk.wallMs).toBe(4000);
    // polars' read (median 300) in place of pandas' (wall − parse: 3000, 2200, 3800 → 3000).
    expect(s.pl.wallMs).toBe(3300);
    expect(s.pl.cpuMs).toBe(450 + 3000);
    expect(s.loads).toEqual([0.5, 2]);
    expect(s.failures).toEqual(['ll: exit 1 boom']);
    const table = endToEndTable(s).join('\n');
    expect(table).toContain('softmax_10x2x3.csv (softmax, 3 classes, no split');
    expect(table).toContain('| Logit Lab CLI (`train --json`) | 1.10 | 0.99 | 0.11 | 0.50 | 0.20 | 0.29 | 30 | 100.5000 | 200 |');
    expect(table).toContain('Ratios, Logit Lab / pandas + scikit-learn: wall 0.28x');
    expect(table).toContain('Ratios, Logit Lab / polars reader + scikit-learn: wall 0.33x');
    expect(table).toContain("Logit Lab's other timings (within the phases above or \"other\"): prepare 0.05 s.");
  });

  it('names the problem from the peer when every Logit Lab run failed', () => {
    const s = endToEndSummary({ ...run, results: { ...run.results, ll: [{ failed: 2, stderr: 'no such file' }] } });
    expect(s.ll).toBeNull();
    expect(s.label).toBe('softmax, 3 classes');
    expect(endToEndTable(s).join('\n')).toContain('Logit Lab: every run failed (see below).');
  });

  it('says why a peer was skipped', () => {
    const s = endToEndSummary({ ...run, results: { ll: run.results.ll, sk: [], pl: [] }, noSklearn: 'no /usr/bin/python3', noPolars: null });
    expect(s.sk).toBeNull();
    expect(s.pl).toBeNull();
    const table = endToEndTable(s).join('\n');
    expect(table).toContain('pandas + scikit-learn: skipped (no /usr/bin/python3).');
    expect(table).toContain('polars + scikit-learn: skipped (no /usr/bin/python3).');
  });

  it('leads with the CLI and the panel against both peers', () => {
    const s = endToEndSummary(run);
    const panels = panelSummary([
      { file: 'softmax_10x2x3.csv', load: 1, panel: { finished: 2000, firstLoss: 900 }, cli: { wallMs: 1000 } },
      { file: 'softmax_10x2x3.csv', load: 3, panel: { finished: 2400, firstLoss: 1100 }, cli: { wallMs: 1200 } },
    ]);
    expect(panels.get('softmax_10x2x3.csv')).toEqual({ finishedMs: 2200, firstLossMs: 1000, cliWallMs: 1100, loads: [1, 3] });
    const lines = leadTable([s], panels);
    // CPU: Logit Lab 990 ms; pandas 4000; polars 450 + 3000.
    expect(lines[2]).toBe('| CLI, `train --test-size 0 --val-size 0` | softmax_10x2x3.csv (softmax, 3 classes) | 1.10 | 4.00 | 0.28x (CPU 0.25x) | 3.30 | 0.33x (CPU 0.29x) | |');
    expect(lines[3]).toBe('| panel, click → finished (default split) | softmax_10x2x3.csv (softmax, 3 classes) | 2.20 | 4.00 | 0.55x | 3.30 | 0.67x | 2.00x |');
    expect(leadTable([s], null)[3]).toContain('not measured');
  });
});

describe('bench command-line option', () => {
  it('reads the value after --name, or the default', () => {
    const argv = ['node', 'run.mjs', '--runs', '5', '--no-ui', '--files', 'a.csv,b.csv'];
    expect(option('runs', '3', argv)).toBe('5');
    expect(option('files', '', argv)).toBe('a.csv,b.csv');
    expect(option('e2e-runs', '3', argv)).toBe('3');
  });
});
