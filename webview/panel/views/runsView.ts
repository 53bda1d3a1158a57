/**
 * Run history and comparison: every run of this panel with its headline numbers; check two to see
 * their metrics side by side (with the difference and which is better) and their loss curves
 * overlaid, plus the settings that differ.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import type { TrainSettings } from '../../../src/core/run/settings';
import { el, table } from '../dom';
import type { ViewContext } from '../context';
import { plotCard, plotWidth } from '../plots';
import { classColor } from '../theme';
import { comparisonRows, comparisonSplit, METRICS } from '../viewModel/metricsTable';
import { fmt, fmtDuration, fmtStarted } from '../viewModel/format';
import { lossLegend, lossPlot } from './lossPlot';

function headline(run: RunRecord, key: string): string {
  const def = METRICS.find((m) => m.key === key)!;
  const split = run.report.evaluation.test ? 'test' : run.report.evaluation.validation ? 'validation' : 'train';
  return fmt(def.get(run.report, split) ?? null);
}

/** A run's settings with the target and features it actually used (an empty list meant "guess" / "all"). */
export function resolvedSettings(run: Pick<RunRecord, 'settings' | 'report'>): TrainSettings {
  const columns = [...new Set(run.report.model.features.map((f) => f.column))];
  return { ...run.settings, target: run.report.data.target, features: columns };
}

/** Settings that differ between two runs, as [name, a, b]. */
export function settingsDiff(a: TrainSettings, b: TrainSettings): [string, string, string][] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof TrainSettings>;
  const out: [string, string, string][] = [];
  const show = (v: unknown) => (v === undefined ? '—' : Array.isArray(v) ? (v.length ? v.join(', ') : '(all)') : String(v));
  for (const k of keys) {
    const va = show(a[k]);
    const vb = show(b[k]);
    if (va !== vb) out.push([k, va, vb]);
  }
  return out;
}

export function runsView(ctx: ViewContext, container: HTMLElement): HTMLElement {
  const runs = ctx.data.runs;
  const root = el('div', { class: 'll-runs' });
  if (runs.length === 0) {
    root.append(el('p', { class: 'll-empty' }, 'No runs yet. Choose settings in “Data & Settings” and press Train; every run is kept here so you can compare two.'));
    return root;
  }
  const selected = ctx.ui.selectedRuns.filter((id) => runs.some((r) => r.id === id));
  const toggle = (id: number, on: boolean) => {
    let next = selected.filter((x) => x !== id);
    if (on) next = [...next, id].slice(-2);
    ctx.setUi({ selectedRuns: next });
  };
  const rows = [...runs].reverse().map((run) => {
    const cb = el('vscode-checkbox', { attrs: { 'aria-label': `Compare ${run.label}`, 'data-run': run.id }, props: { checked: selected.includes(run.id) } });
    cb.addEventListener('change', () => toggle(run.id, (cb as HTMLElement & { checked: boolean }).checked));
    const show = el('vscode-button', { attrs: { secondary: true, 'data-show-run': run.id, 'aria-label': `Show ${run.label}` }, on: { click: () => ctx.setUi({ currentRun: run.id, tab: 'model' }) } }, 'Show');
    const current = ctx.run?.id === run.id;
    return [
      `${run.label}${current ? ' (shown)' : ''}`,
      cb,
      fmtStarted(run.startedAt),
      fmtDuration(run.durationMs),
      headline(run, 'accuracy'),
      headline(run, 'logLoss'),
      headline(run, 'rocAuc'),
      run.report.convergence.converged ? 'yes' : 'no',
      show,
    ];
  });
  root.append(
    el(
      'section',
      { class: 'll-card', attrs: { 'data-view': 'runs' } },
      el('header', { class: 'll-card-head' }, el('h3', null, `Runs (${runs.length})`)),
      el('p', { class: 'll-note' }, 'Check two runs to compare them. Metrics on the test split (validation or train when there is none).'),
      el('div', { class: 'll-scroll-x' }, table(['Run', 'Compare', 'Started', 'Time', 'Accuracy', 'Log loss', 'ROC AUC', 'Converged', 'View'], rows, 'll-table ll-runs-table')),
    ),
  );
  if (selected.length === 2) {
    const [a, b] = selected.map((id) => runs.find((r) => r.id === id)!);
    const split = comparisonSplit(a.report, b.report);
    const cmp = comparisonRows(a.report, b.report, split);
    const mark = (better: boolean) => (better ? el('span', { class: 'll-better', attrs: { title: 'better' } }, ' ◀') : null);
    const cmpTable = table(
      ['Metric', `A: ${a.label}`, `B: ${b.label}`, 'B − A'],
      cmp.map((r) => [r.label, el('span', null, fmt(r.a), mark(r.better === 'a')), el('span', null, fmt(r.b), mark(r.better === 'b')), r.delta === null ? '—' : (r.delta > 0 ? '+' : '') + fmt(r.delta)]),
      'll-table ll-compare',
    );
    const series = [a, b].map((r, i) => ({ run: `${i === 0 ? 'A' : 'B'}: ${r.label}`, train: r.report.lossHistory.train, validation: r.report.lossHistory.validation, color: classColor(ctx.theme, i === 0 ? 0 : 3) }));
    const hasLoss = series.some((s) => s.train.length > 0);
    const diff = settingsDiff(resolvedSettings(a), resolvedSettings(b));
    root.append(
      el(
        'section',
        { class: 'll-card', attrs: { 'data-view': 'compare' } },
        el('header', { class: 'll-card-head' }, el('h3', null, `Compare A: ${a.label} with B: ${b.label} (${split})`)),
        cmpTable,
        el('h4', null, 'Settings that differ'),
        diff.length ? el('div', { class: 'll-scroll-x' }, table(['Setting', `A: ${a.label}`, `B: ${b.label}`], diff)) : el('p', { class: 'll-note' }, 'Same settings.'),
      ),
      plotCard(hasLoss ? lossPlot(series, ctx.theme, plotWidth(container, 280, 900), ctx.ui.logScale) : null, {
        name: 'loss-curves-compare',
        title: 'Loss curves overlaid',
        note: hasLoss ? 'Objectives depend on C and the penalty: compare shapes and validation log-loss (dashed) rather than training values across settings.' : 'Neither run recorded a per-iteration history.',
        exporter: ctx.exportPlot,
        controls: [lossLegend(series)],
      }),
    );
  } else if (runs.length >= 2) {
    root.append(el('p', { class: 'll-note' }, selected.length === 1 ? 'Check one more run to compare.' : 'Check two runs to compare them.'));
  }
  return root;
}
