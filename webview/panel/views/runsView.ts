/**
 * Run history and comparison: every run of this panel with its headline numbers; check any number
 * of them to compare. Runs are lettered A, B, C… in the order they were checked. Two runs: their
 * metrics side by side with the difference B − A and which is better. More: one column per run with
 * the best value marked. Either way: the settings that differ (only those), every run's coefficients
 * as bars side by side per feature, and the loss curves overlaid.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import { el, table } from '../dom';
import { button, checkbox, selectControl } from '../elements';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { comparisonRows, comparisonSplit, METRICS } from '../viewModel/metricsTable';
import { coefficientBars, multiComparisonRows, resolvedSettings, runLetter, settingsDiff, type CoefBar } from '../viewModel/runComparison';
import { fmt, fmtDuration, fmtStarted, truncate } from '../viewModel/format';
import { MAX_COMPARED_RUNS } from '../../state';
import { t } from '../../l10n';
import { lineLegend, lossLegend, lossPlot } from './lossPlot';

export { resolvedSettings, settingsDiff };

/** Coefficient groups drawn at most in the comparison (the largest over the runs). */
const MAX_GROUPS = 30;

/** Run i's colour in a comparison: A and B keep the two colours they always had. */
function runColor(ctx: ViewContext, i: number): string {
  return classColor(ctx.theme, [0, 3, 1, 2, 4, 5, 6, 7, 8, 9][i % 10]);
}

const named = (run: RunRecord, i: number) => `${runLetter(i)}: ${run.label}`;

function headline(run: RunRecord, key: string): string {
  const def = METRICS.find((m) => m.key === key)!;
  const split = run.report.evaluation.test ? 'test' : run.report.evaluation.validation ? 'validation' : 'train';
  return fmt(def.get(run.report, split) ?? null);
}

function runsTable(ctx: ViewContext, runs: readonly RunRecord[], selected: readonly number[]): HTMLElement {
  const toggle = (id: number, on: boolean) => {
    const next = selected.filter((x) => x !== id);
    ctx.setUi({ selectedRuns: on ? [...next, id].slice(-MAX_COMPARED_RUNS) : next });
  };
  const rows = [...runs].reverse().map((run) => {
    const current = ctx.run?.id === run.id;
    const at = selected.indexOf(run.id);
    return [
      current ? t('{0} (shown)', run.label) : run.label,
      el(
        'span',
        { class: 'll-compare-pick' },
        checkbox({ checked: at >= 0, ariaLabel: t('Compare {0}', run.label), attrs: { 'data-run': run.id }, onChange: (on) => toggle(run.id, on) }),
        at >= 0 ? el('span', { class: 'll-run-letter', attrs: { 'data-letter': runLetter(at) } }, runLetter(at)) : null,
      ),
      fmtStarted(run.startedAt),
      fmtDuration(run.durationMs),
      headline(run, 'accuracy'),
      headline(run, 'logLoss'),
      headline(run, 'rocAuc'),
      run.report.convergence.converged ? t('yes') : t('no'),
      button(t('Show'), { secondary: true, ariaLabel: t('Show {0}', run.label), attrs: { 'data-show-run': run.id }, onClick: () => ctx.setUi({ currentRun: run.id, tab: 'model' }) }),
    ];
  });
  const heads = [t('Run'), t('Compare'), t('Started'), t('Time'), t('Accuracy'), t('Log loss'), t('ROC AUC'), t('Converged'), t('View')];
  return el(
    'section',
    { class: 'll-card', attrs: { 'data-view': 'runs' } },
    el('header', { class: 'll-card-head' }, el('h3', null, t('Runs ({0})', runs.length))),
    el('p', { class: 'll-note' }, t('Check two or more runs to compare them; they are lettered A, B, C… in the order you check them. Metrics on the test split (validation or train when there is none).')),
    el('div', { class: 'll-scroll-x ll-runs-box' }, table(heads, rows, 'll-table ll-runs-table')),
  );
}

const better = (on: boolean) => (on ? el('span', { class: 'll-better', attrs: { title: t('better') } }, ' ◀') : null);

/** Two runs: A and B side by side with B − A. */
function pairTable(a: RunRecord, b: RunRecord, split: ReturnType<typeof comparisonSplit>): HTMLElement {
  const rows = comparisonRows(a.report, b.report, split);
  return table(
    [t('Metric'), named(a, 0), named(b, 1), 'B − A'],
    rows.map((r) => [r.label, el('span', null, fmt(r.a), better(r.better === 'a')), el('span', null, fmt(r.b), better(r.better === 'b')), r.delta === null ? '—' : (r.delta > 0 ? '+' : '') + fmt(r.delta)]),
    'll-table ll-compare',
  );
}

/** Three runs or more: one column per run, the best value of each metric marked. */
function multiTable(chosen: readonly RunRecord[], split: ReturnType<typeof comparisonSplit>): HTMLElement {
  const rows = multiComparisonRows(chosen.map((r) => r.report), split);
  return table(
    [t('Metric'), ...chosen.map(named)],
    rows.map((r) => [r.label, ...r.values.map((v, i) => el('span', { attrs: { 'data-best': r.best.includes(i) ? '' : null } }, fmt(v), better(r.best.includes(i))))]),
    'll-table ll-compare ll-compare-many',
  );
}

function metricsSection(chosen: readonly RunRecord[]): HTMLElement {
  const split = comparisonSplit(...chosen.map((r) => r.report));
  const diff = settingsDiff(...chosen.map(resolvedSettings));
  const title = chosen.length === 2 ? t('Compare A: {0} with B: {1} ({2})', chosen[0].label, chosen[1].label, split) : t('Compare {0} runs ({1})', chosen.length, split);
  return el(
    'section',
    { class: 'll-card', attrs: { 'data-view': 'compare' } },
    el('header', { class: 'll-card-head' }, el('h3', null, title)),
    el('div', { class: 'll-scroll-x' }, chosen.length === 2 ? pairTable(chosen[0], chosen[1], split) : multiTable(chosen, split)),
    el('h4', null, t('Settings that differ')),
    diff.length ? el('div', { class: 'll-scroll-x' }, table([t('Setting'), ...chosen.map(named)], diff, 'll-table ll-settings-diff')) : el('p', { class: 'll-note' }, t('Same settings.')),
  );
}

/** Every run's coefficients, grouped by feature (and class): bars side by side, one colour per run. */
function coefficientCompare(ctx: ViewContext, chosen: readonly RunRecord[], container: HTMLElement): HTMLElement {
  const units = ctx.ui.coefUnits;
  const { bars, groups, total } = coefficientBars(chosen, units, MAX_GROUPS);
  const letters = chosen.map((_, i) => runLetter(i));
  const maxLabel = Math.max(4, ...groups.map((g) => g.length));
  const plot = groups.length
    ? renderPlot(
        {
          width: plotWidth(container, 280, 900),
          height: 40 + groups.length * (8 + 12 * chosen.length),
          marginLeft: Math.min(220, 14 + 6.5 * Math.min(30, maxLabel)),
          x: { label: units === 'original' ? t('coefficient (per unit of the feature)') : t('coefficient (per standard deviation)'), grid: true },
          y: { domain: letters, axis: null },
          fy: { domain: groups, label: null, axis: 'left', tickFormat: (g: string) => truncate(g, 30), padding: 0.2 },
          marks: [
            Plot.barX(bars, { x: 'value', y: 'letter', fy: 'group', fill: (b: CoefBar) => runColor(ctx, b.run), title: (b: CoefBar) => `${b.letter}: ${b.group}: ${fmt(b.value)}` }),
            Plot.ruleX([0], { stroke: ctx.theme.fg }),
          ],
        },
        ctx.theme,
      )
    : null;
  const legend = lineLegend(chosen.map((r, i) => ({ label: named(r, i), color: runColor(ctx, i) })), t('Runs'));
  const unitsControl = selectControl('compare-coef-units', t('Units'), [['standardized', t('Standardized (per SD)')], ['original', t('Original units')]], units, (v) => ctx.setUi({ coefUnits: v }));
  const note = t('Bars of the same feature side by side, one per run (an L1 run’s zeros next to an L2 run’s shrunken values). Standardized units compare features; original units depend on each feature’s scale.') + (total > groups.length ? ' ' + t('The {0} largest of {1} are drawn.', groups.length, total) : '');
  return plotCard(plot, { name: 'coefficients-compare', title: t('Coefficients side by side'), note, exporter: ctx.exportPlot, controls: [unitsControl, legend] });
}

function lossCompare(ctx: ViewContext, chosen: readonly RunRecord[], container: HTMLElement): HTMLElement {
  const series = chosen.map((r, i) => ({ run: named(r, i), train: r.report.lossHistory.train, validation: r.report.lossHistory.validation, color: runColor(ctx, i) }));
  const hasLoss = series.some((s) => s.train.length > 0);
  return plotCard(hasLoss ? lossPlot(series, ctx.theme, plotWidth(container, 280, 900), ctx.ui.logScale) : null, {
    name: 'loss-curves-compare',
    title: t('Loss curves overlaid'),
    note: hasLoss ? t('Objectives depend on C and the penalty: compare shapes and validation log-loss (dashed) rather than training values across settings.') : t('No run recorded a per-iteration history.'),
    exporter: ctx.exportPlot,
    controls: [lossLegend(series)],
  });
}

export function runsView(ctx: ViewContext, container: HTMLElement): HTMLElement {
  const runs = ctx.data.runs;
  const root = el('div', { class: 'll-runs' });
  if (runs.length === 0) {
    root.append(el('p', { class: 'll-empty' }, t('No runs yet. Choose settings in “Data & Settings” and press Train; every run is kept here so you can compare them.')));
    return root;
  }
  const selected = ctx.ui.selectedRuns.filter((id) => runs.some((r) => r.id === id));
  root.append(runsTable(ctx, runs, selected));
  if (selected.length >= 2) {
    const chosen = selected.map((id) => runs.find((r) => r.id === id)!);
    root.append(metricsSection(chosen), coefficientCompare(ctx, chosen, container), lossCompare(ctx, chosen, container));
  } else if (runs.length >= 2) {
    root.append(el('p', { class: 'll-note' }, selected.length === 1 ? t('Check one more run to compare.') : t('Check two or more runs to compare them.')));
  }
  return root;
}
