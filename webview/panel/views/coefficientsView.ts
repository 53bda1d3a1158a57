/**
 * Coefficients: a bar chart and a sortable table, in original or standardized units; one row per
 * feature and class for multiclass models (choose a class, or all of them).
 */
import type { RunRecord } from '../../../src/protocol/panel';
import { el } from '../dom';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { coefficientRows, groupOneHot, hasOddsRatios, outputNames, sortCoefficients, type CoefRow, type CoefSortKey } from '../viewModel/coefficients';
import { fmt, truncate } from '../viewModel/format';

const MAX_BARS = 40;
/** Table rows shown before “Show all”. */
const TOP_ROWS = 15;

export function coefficientsView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const model = run.report.model;
  const units = ctx.ui.coefUnits;
  const sort = ctx.ui.coefSort;
  const names = outputNames(model);
  const multi = names.length > 1;
  // output = -1 shows every class (multiclass only).
  const output = multi ? (sort.output >= -1 && sort.output < names.length ? sort.output : 0) : 0;
  const all = coefficientRows(model);
  const rows = groupOneHot(sortCoefficients(output === -1 ? all : all.filter((r) => r.output === output), sort.key, sort.descending, units), model.features);
  const odds = hasOddsRatios(model);

  const unitsSel = el('vscode-single-select', { attrs: { id: 'coef-units', 'aria-label': 'Units', label: 'Units' } }, el('vscode-option', { attrs: { value: 'original' } }, 'Original units'), el('vscode-option', { attrs: { value: 'standardized' } }, 'Standardized (per SD)'));
  (unitsSel as HTMLElement & { value: string }).value = units;
  unitsSel.addEventListener('change', () => ctx.setUi({ coefUnits: (unitsSel as HTMLElement & { value: string }).value === 'standardized' ? 'standardized' : 'original' }));
  const controls = [el('label', { class: 'll-inline-field' }, el('span', null, 'Units'), unitsSel)];
  if (multi) {
    const outSel = el(
      'vscode-single-select',
      { attrs: { id: 'coef-output', 'aria-label': model.kind === 'multilabel' ? 'Label' : 'Class', label: model.kind === 'multilabel' ? 'Label' : 'Class' } },
      ...(model.kind === 'multilabel' ? [] : [el('vscode-option', { attrs: { value: '-1' } }, 'All classes')]),
      ...names.map((n, k) => el('vscode-option', { attrs: { value: String(k) } }, n)),
    );
    (outSel as HTMLElement & { value: string }).value = String(output);
    outSel.addEventListener('change', () => ctx.setUi({ coefSort: { ...sort, output: Number((outSel as HTMLElement & { value: string }).value) } }));
    controls.push(el('label', { class: 'll-inline-field' }, el('span', null, model.kind === 'multilabel' ? 'Label' : 'Class'), outSel));
  }

  // Bar chart: the largest |coefficients| first when there are many features.
  const chartRows = rows.length > MAX_BARS ? sortCoefficients(rows, 'abs', true, units).slice(0, MAX_BARS) : rows;
  const width = plotWidth(container, 280, 760);
  const label = (r: CoefRow) => (output === -1 ? `${r.feature} · ${r.outputName}` : r.feature);
  const maxLabel = Math.max(4, ...chartRows.map((r) => label(r).length));
  const plot = renderPlot(
    {
      width,
      height: 56 + 24 * chartRows.length,
      marginLeft: Math.min(220, 14 + 6.5 * Math.min(30, maxLabel)),
      x: { label: units === 'original' ? 'coefficient (per unit of the feature)' : 'coefficient (per standard deviation)', grid: true },
      y: { label: null, domain: chartRows.map(label), tickFormat: (t: string) => truncate(t, 30) },
      marks: [
        Plot.barX(chartRows, { x: units, y: label, fill: (r: CoefRow) => (model.kind !== 'binary' ? classColor(ctx.theme, r.output) : r[units] >= 0 ? classColor(ctx.theme, 1) : classColor(ctx.theme, 0)), title: (r: CoefRow) => `${label(r)}: ${fmt(r[units])}` }),
        Plot.ruleX([0], { stroke: ctx.theme.fg }),
      ],
    },
    ctx.theme,
  );

  const sortButton = (key: CoefSortKey, text: string) => {
    const active = sort.key === key;
    const arrow = active ? (sort.descending ? ' ▼' : ' ▲') : '';
    return el(
      'button',
      {
        class: `ll-sort${active ? ' ll-sort-active' : ''}`,
        attrs: { type: 'button', 'data-sort': key, 'aria-label': `Sort by ${text}`, 'aria-pressed': active ? 'true' : 'false' },
        on: { click: () => ctx.setUi({ coefSort: { ...sort, key, descending: active ? !sort.descending : key !== 'feature' } }) },
      },
      text + arrow,
    );
  };
  const other = units === 'original' ? 'standardized' : 'original';
  const interceptOf = (k: number) => (units === 'original' ? model.intercept[k] : model.interceptStandardized[k]);
  const tableEl = el(
    'table',
    { class: 'll-table ll-coef-table' },
    el(
      'thead',
      null,
      el(
        'tr',
        null,
        el('th', { attrs: { scope: 'col', 'aria-sort': sort.key === 'feature' ? (sort.descending ? 'descending' : 'ascending') : 'none' } }, sortButton('feature', 'Feature')),
        multi ? el('th', { attrs: { scope: 'col' } }, model.kind === 'multilabel' ? 'Label' : 'Class') : null,
        el('th', { attrs: { scope: 'col', 'aria-sort': sort.key === 'value' ? (sort.descending ? 'descending' : 'ascending') : 'none' } }, sortButton('value', units === 'original' ? 'Coefficient' : 'Standardized')),
        el('th', { attrs: { scope: 'col', 'aria-sort': sort.key === 'abs' ? (sort.descending ? 'descending' : 'ascending') : 'none' } }, sortButton('abs', '|Coefficient|')),
        el('th', { attrs: { scope: 'col' } }, other === 'original' ? 'Original units' : 'Standardized'),
        odds ? el('th', { attrs: { scope: 'col', title: 'exp(coefficient): the factor on the odds per unit of the feature' } }, 'Odds ×/unit') : null,
        odds ? el('th', { attrs: { scope: 'col', title: 'exp(standardized coefficient): the factor on the odds per standard deviation' } }, 'Odds ×/SD') : null,
      ),
    ),
    el(
      'tbody',
      null,
      ...rows.map((r, i) =>
        el(
          'tr',
          { class: i >= TOP_ROWS && rows.length > TOP_ROWS + 5 ? 'll-coef-more' : '', attrs: { hidden: i >= TOP_ROWS && rows.length > TOP_ROWS + 5 } },
          el('th', { attrs: { scope: 'row' } }, r.feature),
          multi ? el('td', null, r.outputName) : null,
          el('td', { class: 'll-num' }, fmt(r[units])),
          el('td', { class: 'll-num' }, fmt(Math.abs(r[units]))),
          el('td', { class: 'll-num ll-muted' }, fmt(r[other])),
          odds ? el('td', { class: 'll-num' }, fmt(Math.exp(r.original))) : null,
          odds ? el('td', { class: 'll-num' }, fmt(Math.exp(r.standardized))) : null,
        ),
      ),
      ...(output === -1 ? names.map((_, k) => k) : [output]).map((k) =>
        el('tr', { class: 'll-intercept' }, el('th', { attrs: { scope: 'row' } }, '(intercept)'), multi ? el('td', null, names[k]) : null, el('td', { class: 'll-num' }, fmt(interceptOf(k))), el('td', { class: 'll-num' }, fmt(Math.abs(interceptOf(k)))), el('td', { class: 'll-num ll-muted' }, fmt(units === 'original' ? model.interceptStandardized[k] : model.intercept[k])), odds ? el('td', null, '') : null, odds ? el('td', null, '') : null),
      ),
    ),
  );
  const note =
    (model.kind === 'binary' ? `Positive coefficients raise the log-odds of “${names[0]}”. ` : '') +
    (units === 'original' ? 'Original units: change in log-odds per unit of the feature.' : 'Standardized: change in log-odds per training standard deviation (comparable across features).') +
    (odds ? ' Odds ×: exp(coefficient), the factor on the odds per unit and per standard deviation.' : '') +
    (model.features.some((f) => f.kind === 'onehot') ? ' One-hot levels are listed together under their variable.' : '') +
    (rows.length > MAX_BARS ? ` The chart shows the ${MAX_BARS} largest.` : '');
  const card = plotCard(plot, { name: 'coefficients', title: 'Coefficients', note, exporter: ctx.exportPlot, controls });
  card.append(el('div', { class: 'll-scroll-x' }, tableEl));
  const hiddenRows = rows.length > TOP_ROWS + 5 ? rows.length - TOP_ROWS : 0;
  if (hiddenRows > 0) {
    const more = el('vscode-button', { attrs: { id: 'coef-show-all', secondary: true } }, `Show all ${rows.length} rows`);
    more.addEventListener('click', () => {
      for (const tr of tableEl.querySelectorAll('tr.ll-coef-more')) tr.removeAttribute('hidden');
      more.remove();
    });
    card.append(el('p', { class: 'll-help' }, `The ${TOP_ROWS} largest rows are shown. `, more));
  }
  return card;
}
