/**
 * Coefficients: a bar chart and a sortable table, in original or standardized units; one row per
 * feature and class for multiclass models (choose a class, or all of them). Built from small parts:
 * the controls, the chart, the table (head, feature rows, intercept rows), the note and "Show all".
 */
import type { ModelJson } from '../../../src/core/model/model';
import type { RunRecord } from '../../../src/protocol/panel';
import type { SavedState } from '../../state';
import { el } from '../dom';
import { button, selectControl } from '../elements';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { coefficientRows, groupOneHot, hasOddsRatios, outputNames, sortCoefficients, type CoefRow, type CoefSortKey } from '../viewModel/coefficients';
import { fmt, truncate } from '../viewModel/format';
import { t } from '../../l10n';

const MAX_BARS = 40;
/** Table rows shown before “Show all”. */
const TOP_ROWS = 15;

type Units = SavedState['coefUnits'];
type Sort = SavedState['coefSort'];

/** What every part of the view needs: the model, the chosen units, sort and output (-1: every class). */
interface CoefState {
  ctx: ViewContext;
  model: ModelJson;
  units: Units;
  sort: Sort;
  names: string[];
  multi: boolean;
  output: number;
  odds: boolean;
}

function coefState(ctx: ViewContext, run: RunRecord): CoefState {
  const model = run.report.model;
  const sort = ctx.ui.coefSort;
  const names = outputNames(model);
  const multi = names.length > 1;
  const output = multi ? (sort.output >= -1 && sort.output < names.length ? sort.output : 0) : 0;
  return { ctx, model, units: ctx.ui.coefUnits, sort, names, multi, output, odds: hasOddsRatios(model) };
}

function controls(s: CoefState): HTMLElement[] {
  const { ctx, model, names } = s;
  const out = [selectControl('coef-units', t('Units'), [['standardized', t('Standardized (per SD)')], ['original', t('Original units')]], s.units, (v) => ctx.setUi({ coefUnits: v }))];
  if (s.multi) {
    const what = model.kind === 'multilabel' ? t('Label') : t('Class');
    const options: [string, string][] = [...(model.kind === 'multilabel' ? [] : [['-1', t('All classes')] as [string, string]]), ...names.map((n, k) => [String(k), n] as [string, string])];
    out.push(selectControl('coef-output', what, options, String(s.output), (v) => ctx.setUi({ coefSort: { ...s.sort, output: Number(v) } })));
  }
  return out;
}

/** The bar chart: the largest |coefficients| first when there are many features. */
function chart(s: CoefState, rows: CoefRow[], container: HTMLElement): Element {
  const { ctx, model, units } = s;
  const chartRows = rows.length > MAX_BARS ? sortCoefficients(rows, 'abs', true, units).slice(0, MAX_BARS) : rows;
  const label = (r: CoefRow) => (s.output === -1 ? `${r.feature} · ${r.outputName}` : r.feature);
  const maxLabel = Math.max(4, ...chartRows.map((r) => label(r).length));
  const fill = (r: CoefRow) => (model.kind !== 'binary' ? classColor(ctx.theme, r.output) : r[units] >= 0 ? classColor(ctx.theme, 1) : classColor(ctx.theme, 0));
  return renderPlot(
    {
      width: plotWidth(container, 280, 760),
      height: 56 + 24 * chartRows.length,
      marginLeft: Math.min(220, 14 + 6.5 * Math.min(30, maxLabel)),
      x: { label: units === 'original' ? t('coefficient (per unit of the feature)') : t('coefficient (per standard deviation)'), grid: true },
      y: { label: null, domain: chartRows.map(label), tickFormat: (v: string) => truncate(v, 30) },
      marks: [Plot.barX(chartRows, { x: units, y: label, fill, title: (r: CoefRow) => `${label(r)}: ${fmt(r[units])}` }), Plot.ruleX([0], { stroke: ctx.theme.fg })],
    },
    ctx.theme,
  );
}

function sortButton(s: CoefState, key: CoefSortKey, text: string): HTMLElement {
  const { sort } = s;
  const active = sort.key === key;
  const arrow = active ? (sort.descending ? ' ▼' : ' ▲') : '';
  return el(
    'button',
    {
      class: `ll-sort${active ? ' ll-sort-active' : ''}`,
      attrs: { type: 'button', 'data-sort': key, 'aria-label': t('Sort by {0}', text), 'aria-pressed': active ? 'true' : 'false' },
      on: { click: () => s.ctx.setUi({ coefSort: { ...sort, key, descending: active ? !sort.descending : key !== 'feature' } }) },
    },
    text + arrow,
  );
}

function tableHead(s: CoefState): HTMLElement {
  const ariaSort = (key: CoefSortKey) => (s.sort.key === key ? (s.sort.descending ? 'descending' : 'ascending') : 'none');
  const col = (content: string | Node, title?: string, sortKey?: CoefSortKey) => el('th', { attrs: { scope: 'col', title, 'aria-sort': sortKey ? ariaSort(sortKey) : undefined } }, content);
  return el(
    'thead',
    null,
    el(
      'tr',
      null,
      col(sortButton(s, 'feature', t('Feature')), undefined, 'feature'),
      s.multi ? col(s.model.kind === 'multilabel' ? t('Label') : t('Class')) : null,
      col(sortButton(s, 'value', s.units === 'original' ? t('Coefficient') : t('Standardized')), undefined, 'value'),
      col(sortButton(s, 'abs', '|' + t('Coefficient') + '|'), undefined, 'abs'),
      col(s.units === 'original' ? t('Standardized') : t('Original units')),
      s.odds ? col(t('Odds ×/unit'), t('exp(coefficient): the factor on the odds per unit of the feature')) : null,
      s.odds ? col(t('Odds ×/SD'), t('exp(standardized coefficient): the factor on the odds per standard deviation')) : null,
    ),
  );
}

const other = (units: Units): Units => (units === 'original' ? 'standardized' : 'original');

function featureRow(s: CoefState, r: CoefRow, hidden: boolean): HTMLElement {
  return el(
    'tr',
    { class: hidden ? 'll-coef-more' : '', attrs: { hidden } },
    el('th', { attrs: { scope: 'row' } }, r.feature),
    s.multi ? el('td', null, r.outputName) : null,
    el('td', { class: 'll-num' }, fmt(r[s.units])),
    el('td', { class: 'll-num' }, fmt(Math.abs(r[s.units]))),
    el('td', { class: 'll-num ll-muted' }, fmt(r[other(s.units)])),
    s.odds ? el('td', { class: 'll-num' }, fmt(Math.exp(r.original))) : null,
    s.odds ? el('td', { class: 'll-num' }, fmt(Math.exp(r.standardized))) : null,
  );
}

function interceptRow(s: CoefState, k: number): HTMLElement {
  const { model } = s;
  const value = (units: Units) => (units === 'original' ? model.intercept[k] : model.interceptStandardized[k]);
  return el(
    'tr',
    { class: 'll-intercept' },
    el('th', { attrs: { scope: 'row' } }, t('(intercept)')),
    s.multi ? el('td', null, s.names[k]) : null,
    el('td', { class: 'll-num' }, fmt(value(s.units))),
    el('td', { class: 'll-num' }, fmt(Math.abs(value(s.units)))),
    el('td', { class: 'll-num ll-muted' }, fmt(value(other(s.units)))),
    s.odds ? el('td', null, '') : null,
    s.odds ? el('td', null, '') : null,
  );
}

/** Rows beyond the top TOP_ROWS are hidden when there are more than TOP_ROWS + 5. */
const folds = (n: number) => n > TOP_ROWS + 5;

function coefTable(s: CoefState, rows: CoefRow[]): HTMLTableElement {
  const outputs = s.output === -1 ? s.names.map((_, k) => k) : [s.output];
  return el(
    'table',
    { class: 'll-table ll-coef-table' },
    tableHead(s),
    el('tbody', null, ...rows.map((r, i) => featureRow(s, r, i >= TOP_ROWS && folds(rows.length))), ...outputs.map((k) => interceptRow(s, k))),
  );
}

function note(s: CoefState, nRows: number): string {
  const { model, units } = s;
  const parts = [
    model.kind === 'binary' ? t('Positive coefficients raise the log-odds of “{0}”.', s.names[0]) : '',
    units === 'original' ? t('Original units: change in log-odds per unit of the feature.') : t('Standardized: change in log-odds per training standard deviation (comparable across features).'),
    s.odds ? t('Odds ×: exp(coefficient), the factor on the odds per unit and per standard deviation.') : '',
    model.features.some((f) => f.kind === 'onehot') ? t('One-hot levels are listed together under their variable.') : '',
    nRows > MAX_BARS ? t('The chart shows the {0} largest.', MAX_BARS) : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** "The 15 largest rows are shown. [Show all N rows]" under a folded table. */
function showAll(tableEl: HTMLTableElement, nRows: number): HTMLElement {
  const more = button(t('Show all {0} rows', nRows), { id: 'coef-show-all', secondary: true });
  more.addEventListener('click', () => {
    for (const tr of tableEl.querySelectorAll('tr.ll-coef-more')) tr.removeAttribute('hidden');
    more.remove();
  });
  return el('p', { class: 'll-help' }, t('The {0} largest rows are shown.', TOP_ROWS), ' ', more);
}

export function coefficientsView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const s = coefState(ctx, run);
  const all = coefficientRows(s.model);
  const rows = groupOneHot(sortCoefficients(s.output === -1 ? all : all.filter((r) => r.output === s.output), s.sort.key, s.sort.descending, s.units), s.model.features);
  const card = plotCard(chart(s, rows, container), { name: 'coefficients', title: t('Coefficients'), note: note(s, rows.length), exporter: ctx.exportPlot, controls: controls(s) });
  const tableEl = coefTable(s, rows);
  card.append(el('div', { class: 'll-scroll-x' }, tableEl));
  if (folds(rows.length)) card.append(showAll(tableEl, rows.length));
  return card;
}
