/**
 * Statistical inference in the Model tab: per fitted output the fit statistics (log-likelihood, LR
 * test, McFadden R², AIC, BIC, deviance), the coefficients with 95 % intervals as error bars, and the
 * statsmodels/R-style table (estimate, SE, z, p, interval, odds ratio). Flags (separation, a singular
 * information matrix) are shown above the table; a penalized or weighted fit says why there is no
 * table and offers the unpenalized refit.
 */
import { formatPValue, INTERCEPT_TERM, type CoefficientTest, type InferenceTable } from '../../../src/core/evaluate/inference';
import type { RunRecord } from '../../../src/protocol/panel';
import type { TrainSettings } from '../../../src/core/run/settings';
import type { ViewContext } from '../context';
import { el, table } from '../dom';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { fmt, truncate } from '../viewModel/format';
import { button } from '../elements';
import { t } from '../../l10n';

const MAX_BARS = 40;

export function inferenceView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const inf = run.report.inference;
  const card = (body: HTMLElement[], note: string) => {
    const c = plotCard(null, { name: 'inference', title: t('Inference'), note, class: 'll-inference' });
    c.append(...body);
    return c;
  };
  if (!inf) return card([], t('Standard errors need the whole training matrix: they are not computed for a streaming run.'));
  if (!inf.available) {
    const s = run.settings;
    const fix = s.penalty !== 'none' && Number.isFinite(s.C) ? { penalty: 'none' as const } : s.classWeight === 'balanced' ? { classWeight: 'none' as const } : null;
    const label = fix && 'penalty' in fix ? t('Refit without penalty') : t('Refit without class weights');
    const refit = fix && !ctx.data.readOnly && !ctx.data.training ? button(label, { id: 'inference-refit', onClick: () => ctx.post({ type: 'startTraining', settings: refitSettings(s, fix) }) }) : null;
    return card(refit ? [refit] : [], t('No coefficient table: {0}.', inf.reason ?? ''));
  }
  const body: HTMLElement[] = [];
  inf.tables.forEach((tab, i) => body.push(...tableSection(ctx, tab, i, run.report.model.kind, container)));
  return card(body, t('Maximum likelihood; standard errors from the observed information, in original units, with 95 % Wald intervals ({0} solver iterations, then {1} Newton polish steps).', inf.iterations, inf.polishSteps));
}

/** The run's settings with the fix applied; the resolved lambda is dropped so that C (or no penalty) rules. */
function refitSettings(s: RunRecord['settings'], fix: Partial<TrainSettings>): TrainSettings {
  const out: TrainSettings = { ...s, ...fix };
  delete out.lambda;
  return out;
}

function tableSection(ctx: ViewContext, tab: InferenceTable, index: number, kind: string, container: HTMLElement): HTMLElement[] {
  const f = tab.fit;
  const title = tab.reference !== undefined
    ? t('Softmax, each class against “{0}”', tab.reference)
    : kind === 'ovr' || kind === 'multilabel' ? t('Log-odds of “{0}” against the rest', tab.name) : t('Log-odds of “{0}”', tab.name);
  const stats = table(
    [t('Statistic'), t('Value')],
    [
      [t('Rows, parameters'), `${f.nObs}, ${f.nParams}`],
      [t('Log-likelihood (null)'), `${fmt(f.logLikelihood)} (${fmt(f.nullLogLikelihood)})`],
      [t('LR test χ²({0})', f.llrDf), `${fmt(f.llr)}, p ${formatPValue(f.llrPValue)}`],
      [t('McFadden pseudo-R²'), fmt(f.pseudoR2)],
      ['AIC, BIC', `${fmt(f.aic)}, ${fmt(f.bic)}`],
      [t('Deviance (null)'), `${fmt(f.deviance)} (${fmt(f.nullDeviance)})`],
    ],
    'll-table ll-inference-fit',
  );
  const flags = tab.flags.map((flag) =>
    el('div', { class: 'll-diagnostics ll-warning', attrs: { role: 'status', 'data-flag': flag.code } }, el('span', { class: 'll-diag-severity' }, flag.code === 'singular' ? t('Singular') : flag.code === 'separation' ? t('Separation') : t('Not converged')), ' ', flag.message),
  );
  const multi = tab.blocks.length > 1;
  const rows = tab.blocks.flatMap((b, k) => b.terms.map((c) => ({ ...c, block: b.name, k })));
  const head = [t('Term'), ...(multi ? [t('Class')] : []), t('Estimate'), t('Std. error'), 'z', 'P>|z|', t('95 % interval'), t('Odds ratio'), t('95 % interval')];
  const interval = (lo: number | null, hi: number | null) => (lo === null || hi === null ? '—' : `[${fmt(lo)}, ${fmt(hi)}]`);
  const coefTable = table(
    head,
    rows.map((c) => [
      c.suspect ? `${c.term} ⚠` : c.term,
      ...(multi ? [c.block] : []),
      fmt(c.estimate), fmt(c.se), fmt(c.z), formatPValue(c.p), interval(c.ciLow, c.ciHigh), fmt(c.oddsRatio), interval(c.oddsLow, c.oddsHigh),
    ]),
    'll-table ll-inference-table',
  );
  coefTable.setAttribute('data-output', String(index));
  const chart = errorBars(ctx, rows, multi, index, container);
  return [el('h4', null, title), stats, ...flags, chart ?? el('span'), el('div', { class: 'll-scroll-x' }, coefTable)];
}

/** Coefficients (not the intercepts, on another scale) with their 95 % intervals as horizontal error bars. */
function errorBars(ctx: ViewContext, rows: (CoefficientTest & { block: string; k: number })[], multi: boolean, index: number, container: HTMLElement): HTMLElement | null {
  const shown = rows.filter((r) => r.term !== INTERCEPT_TERM && r.ciLow !== null && r.ciHigh !== null);
  if (shown.length === 0) return null;
  const bars = shown.length > MAX_BARS ? [...shown].sort((a, b) => Math.abs(b.z ?? 0) - Math.abs(a.z ?? 0)).slice(0, MAX_BARS) : shown;
  const label = (r: (typeof bars)[number]) => (multi ? `${r.term} · ${r.block}` : r.term);
  const maxLabel = Math.max(4, ...bars.map((r) => label(r).length));
  const color = (r: (typeof bars)[number]) => classColor(ctx.theme, multi ? r.k + 1 : 1);
  const plot = renderPlot(
    {
      width: plotWidth(container, 280, 760),
      height: 56 + 24 * bars.length,
      marginLeft: Math.min(220, 14 + 6.5 * Math.min(30, maxLabel)),
      x: { label: t('coefficient with 95 % interval (log-odds per unit of the feature)'), grid: true },
      y: { label: null, domain: bars.map(label), tickFormat: (s: string) => truncate(s, 30) },
      marks: [
        Plot.ruleX([0], { stroke: ctx.theme.fg }),
        Plot.ruleY(bars, { y: label, x1: 'ciLow', x2: 'ciHigh', stroke: color, strokeWidth: 2 }),
        Plot.dot(bars, { y: label, x: 'estimate', fill: color, r: 4, title: (r: (typeof bars)[number]) => `${label(r)}: ${fmt(r.estimate)} [${fmt(r.ciLow)}, ${fmt(r.ciHigh)}], p ${formatPValue(r.p)}` }),
      ],
    },
    ctx.theme,
  );
  const note = t('Dots are the estimates, bars their 95 % intervals; an interval that crosses 0 is not significant at 5 %.') + (shown.length > MAX_BARS ? ' ' + t('The {0} largest |z| are drawn; the table has all {1}.', MAX_BARS, shown.length) : '');
  return plotCard(plot, { name: `coefficient-intervals-${index + 1}`, title: t('Coefficients with 95 % intervals'), note, exporter: ctx.exportPlot });
}
