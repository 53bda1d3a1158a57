// Pure helpers of the end-to-end bench (bench/endToEnd.mjs, bench/run.mjs): medians, ratios, the
// summary of one file's runs and the lead table of docs/performance.md. No process, file or clock here
// (test/unit/bench/summary.test.ts checks them on fixed results).

/** The value after `--name` on a command line (process.argv by default), or `dflt` when absent. */
export function option(name, dflt, argv = process.argv) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
}

/** The median of the finite values; NaN when there is none. */
export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** v with d decimals, or a dash when it is not a finite number. */
export const fixed = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : '—');
/** Milliseconds as seconds with two decimals. */
export const seconds = (ms) => fixed(ms / 1000, 2);
/** a / b as "0.34x", or a dash when either is missing. */
export const ratioText = (a, b) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(2)}x` : '—');

/** "binary" or "softmax, K classes", from the CLI's --json output (kind, classes). */
export function problemLabel(out) {
  if (!out) return 'unknown kind';
  if (out.kind === 'multinomial') return `softmax, ${out.classes.length} classes`;
  if (out.kind === 'binary') return 'binary';
  return out.kind ?? 'unknown kind';
}

/** The report's timings beyond parse, fit and evaluate (such as the prepare phases), as a name → ms object. */
function extraTimings(timings) {
  return Object.fromEntries(Object.entries(timings ?? {}).filter(([k, v]) => !['parseMs', 'fitMs', 'evaluateMs'].includes(k) && Number.isFinite(v)));
}

/**
 * Medians of one file's runs (measureEndToEnd's result): Logit Lab's CLI, pandas + scikit-learn, and the
 * composite polars route (the polars read and conversion to the float64 matrix, timed inside the reader
 * process, plus the scikit-learn process less its pandas read).
 * A route whose runs all failed, or that did not run, is null.
 */
export function endToEndSummary(m) {
  const ok = (rs) => (rs ?? []).filter((x) => !x.failed);
  const med = (rs, key) => median(rs.map((x) => (typeof key === 'function' ? key(x) : x[key])));
  const ll = ok(m.results.ll);
  const sk = ok(m.results.sk);
  const pl = ok(m.results.pl);
  const loads = Object.values(m.results).flat().filter((x) => x.load).flatMap((x) => x.load);
  const failures = Object.entries(m.results).flatMap(([t, rs]) => rs.filter((x) => x.failed).map((x) => `${t}: exit ${x.failed} ${x.stderr}`));
  const extras = [...new Set(ll.flatMap((x) => Object.keys(extraTimings(x.timings))))];
  const llSummary = ll.length
    ? {
        wallMs: med(ll, 'wallMs'),
        cpuMs: med(ll, 'cpuMs'),
        parseMs: med(ll, (x) => x.timings.parseMs),
        fitMs: med(ll, (x) => x.timings.fitMs),
        evaluateMs: med(ll, (x) => x.timings.evaluateMs),
        otherMs: med(ll, (x) => x.wallMs - x.timings.parseMs - x.timings.fitMs - x.timings.evaluateMs),
        extraMs: Object.fromEntries(extras.map((k) => [k, med(ll, (x) => x.timings[k])])),
        iterations: med(ll, 'iterations'),
        objective: med(ll, 'objective'),
        peakRssMB: med(ll, 'peakRssMB'),
      }
    : null;
  const skSummary = sk.length
    ? {
        wallMs: med(sk, 'wallMs'),
        cpuMs: med(sk, 'cpuMs'),
        parseMs: med(sk, 'parseMs'),
        parseCpuMs: med(sk, 'parseCpuMs'),
        fitMs: med(sk, 'fitMs'),
        fitCpuMs: med(sk, 'fitCpuMs'),
        evaluateMs: med(sk, 'evaluateMs'),
        evaluateCpuMs: med(sk, 'evaluateCpuMs'),
        otherMs: med(sk, (x) => x.wallMs - x.parseMs - x.fitMs - x.evaluateMs),
        otherCpuMs: med(sk, (x) => x.cpuMs - x.parseCpuMs - x.fitCpuMs - x.evaluateCpuMs),
        iterations: med(sk, 'iterations'),
        objective: med(sk, 'objective'),
        peakRssMB: med(sk, 'peakRssMB'),
      }
    : null;
  const plSummary =
    sk.length && pl.length
      ? {
          parseMs: med(pl, 'parseMs'),
          parseCpuMs: med(pl, 'parseCpuMs'),
          readerWallMs: med(pl, 'wallMs'),
          readerRssMB: med(pl, 'peakRssMB'),
          // The read timed inside the reader process (the module loaded, as Python's `import polars` would
          // be among the scikit-learn process's imports) in place of pandas' read.
          wallMs: med(pl, 'parseMs') + med(sk, (x) => x.wallMs - x.parseMs),
          cpuMs: med(pl, 'parseCpuMs') + med(sk, (x) => x.cpuMs - x.parseCpuMs),
        }
      : null;
  return {
    file: m.file.split('/').pop(),
    label: problemLabel(ll[0] ?? (sk[0] && { kind: sk[0].classes?.length > 2 ? 'multinomial' : 'binary', classes: sk[0].classes })),
    runs: m.runs,
    cores: m.cores,
    loads: loads.length ? [Math.min(...loads), Math.max(...loads)] : [NaN, NaN],
    ll: llSummary,
    sk: skSummary,
    pl: plSummary,
    noSklearn: m.noSklearn,
    noPolars: m.noPolars,
    failures,
  };
}

/** The table and ratio lines of one file's end-to-end runs. */
export function endToEndTable(s) {
  const lines = [];
  lines.push(`End to end on ${s.file} (${s.label}, no split: the training rows evaluated), medians of ${s.runs} runs, one process per run under /usr/bin/time -v, alternating order; load average (1 min) ${fixed(s.loads[0], 1)}-${fixed(s.loads[1], 1)} during the runs on ${s.cores ?? 'this'} cores.`);
  lines.push('');
  lines.push('| route | wall s | CPU s (user+sys) | parse s | fit s | evaluate s | other s | iterations | objective | peak RSS MB |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const { ll, sk, pl } = s;
  if (ll) lines.push(`| Logit Lab CLI (\`train --json\`) | ${seconds(ll.wallMs)} | ${seconds(ll.cpuMs)} | ${seconds(ll.parseMs)} | ${seconds(ll.fitMs)} | ${seconds(ll.evaluateMs)} | ${seconds(ll.otherMs)} | ${fixed(ll.iterations)} | ${fixed(ll.objective, 4)} | ${fixed(ll.peakRssMB)} |`);
  if (sk) lines.push(`| pandas + scikit-learn | ${seconds(sk.wallMs)} | ${seconds(sk.cpuMs)} | ${seconds(sk.parseMs)} (CPU ${seconds(sk.parseCpuMs)}) | ${seconds(sk.fitMs)} (CPU ${seconds(sk.fitCpuMs)}) | ${seconds(sk.evaluateMs)} (CPU ${seconds(sk.evaluateCpuMs)}) | ${seconds(sk.otherMs)} (CPU ${seconds(sk.otherCpuMs)}) | ${fixed(sk.iterations)} | ${fixed(sk.objective, 4)} | ${fixed(sk.peakRssMB)} |`);
  if (pl) lines.push(`| polars reader + scikit-learn (composite) | ${seconds(pl.wallMs)} | ${seconds(pl.cpuMs)} | ${seconds(pl.parseMs)} (CPU ${seconds(pl.parseCpuMs)}; the reader process ${seconds(pl.readerWallMs)} with Node's start) | ${seconds(sk.fitMs)} | ${seconds(sk.evaluateMs)} | ${seconds(sk.otherMs)} | ${fixed(sk.iterations)} | ${fixed(sk.objective, 4)} | reader alone ${fixed(pl.readerRssMB)} |`);
  lines.push('');
  if (ll && Object.keys(ll.extraMs).length) lines.push(`Logit Lab's other timings (within the phases above or "other"): ${Object.entries(ll.extraMs).map(([k, v]) => `${k.replace(/Ms$/, '')} ${seconds(v)} s`).join(', ')}.`);
  if (!ll) lines.push('Logit Lab: every run failed (see below).');
  if (ll && sk) lines.push(`Ratios, Logit Lab / pandas + scikit-learn: wall ${ratioText(ll.wallMs, sk.wallMs)}, CPU ${ratioText(ll.cpuMs, sk.cpuMs)}, peak RSS ${ratioText(ll.peakRssMB, sk.peakRssMB)}; objective difference ${(ll.objective - sk.objective).toExponential(2)} (negative: Logit Lab's lower).`);
  else if (!sk) lines.push(`pandas + scikit-learn: skipped (${s.noSklearn ?? 'every run failed'}).`);
  if (ll && pl) lines.push(`Ratios, Logit Lab / polars reader + scikit-learn: wall ${ratioText(ll.wallMs, pl.wallMs)}, CPU ${ratioText(ll.cpuMs, pl.cpuMs)}; parse alone: wall ${ratioText(ll.parseMs, pl.parseMs)} (Logit Lab's parse phase against polars' read into the float64 matrix).`);
  else if (!pl) lines.push(`polars + scikit-learn: skipped (${s.noPolars ?? s.noSklearn ?? 'every run failed'}).`);
  if (s.failures.length) lines.push(`Failed runs: ${s.failures.join('; ')}`);
  return lines;
}

/** Median panel times per file from bench/ui.mjs's results ({ file, panel: { finished, firstLoss }, cli: { wallMs } }). */
export function panelSummary(uiResults) {
  const byFile = new Map();
  for (const r of uiResults ?? []) {
    if (!byFile.has(r.file)) byFile.set(r.file, []);
    byFile.get(r.file).push(r);
  }
  return new Map(
    [...byFile].map(([file, rs]) => [
      file,
      {
        finishedMs: median(rs.map((r) => r.panel.finished)),
        firstLossMs: median(rs.map((r) => r.panel.firstLoss)),
        cliWallMs: median(rs.map((r) => r.cli.wallMs)),
        loads: [Math.min(...rs.map((r) => r.load)), Math.max(...rs.map((r) => r.load))],
      },
    ]),
  );
}

/**
 * The lead table of docs/performance.md: the CLI end to end and the panel end to end on each file,
 * wall clock against the two peers (whose runs are the same for both rows: the peers have no panel).
 * summaries: endToEndSummary results; panels: panelSummary's map (or null when the UI bench did not run).
 */
export function leadTable(summaries, panels) {
  const lines = [
    '| path | file | Logit Lab wall s | pandas + scikit-learn wall s | ratio | polars reader + scikit-learn wall s | ratio | panel / CLI (same settings) |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of summaries) {
    const sk = s.sk?.wallMs;
    const pl = s.pl?.wallMs;
    const ll = s.ll?.wallMs;
    // CPU time beside the wall clock: on a loaded machine the CPU ratio stretches much less.
    const cpu = (peer) => (Number.isFinite(s.ll?.cpuMs / peer?.cpuMs) ? ` (CPU ${ratioText(s.ll.cpuMs, peer.cpuMs)})` : '');
    lines.push(`| CLI, \`train --test-size 0 --val-size 0\` | ${s.file} (${s.label}) | ${seconds(ll)} | ${seconds(sk)} | ${ratioText(ll, sk)}${cpu(s.sk)} | ${seconds(pl)} | ${ratioText(ll, pl)}${cpu(s.pl)} | |`);
    const p = panels?.get(s.file);
    if (p) lines.push(`| panel, click → finished (default split) | ${s.file} (${s.label}) | ${seconds(p.finishedMs)} | ${seconds(sk)} | ${ratioText(p.finishedMs, sk)} | ${seconds(pl)} | ${ratioText(p.finishedMs, pl)} | ${ratioText(p.finishedMs, p.cliWallMs)} |`);
    else lines.push(`| panel, click → finished (default split) | ${s.file} (${s.label}) | not measured | | | | | |`);
  }
  return lines;
}
