/**
 * Data summary: rows and columns with their inferred types and missing counts, the class balance of
 * the (guessed or chosen) target, and the first rows. From the DataPreview before training, or from
 * the run's DataSummary in the read-only report.
 */
import type { ColumnInfo } from '../../../src/core/data/dataset';
import { el, facts, table } from '../dom';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { columnFacts, dataFacts, distinctLabel } from '../viewModel/dataFacts';
import { fmt, truncate } from '../viewModel/format';
import { t } from '../../l10n';

function kindLabel(kind: string): string {
  const labels: Record<string, string> = {
    numeric: t('numeric'),
    categorical: t('categorical'),
    constant: t('constant (not used)'),
    id: t('identifier (not used)'),
    empty: t('empty (not used)'),
  };
  return labels[kind] ?? kind;
}

function columnDetail(c: ColumnInfo): string {
  if (c.kind === 'numeric' && c.min !== undefined && c.max !== undefined) return c.mean !== undefined ? t('{0} … {1}, mean {2}', fmt(c.min), fmt(c.max), fmt(c.mean)) : `${fmt(c.min)} … ${fmt(c.max)}`;
  if (c.kind === 'categorical' && c.levels) {
    const shown = c.levels.slice(0, 6).join(', ');
    return c.levels.length > 6 ? t('{0}, … ({1} levels)', shown, c.levels.length) : shown;
  }
  return c.reason ?? '';
}

export function columnsTable(columns: readonly ColumnInfo[], target: readonly string[]): HTMLElement {
  return table(
    [t('Column'), t('Type'), t('Missing'), t('Distinct'), t('Values')],
    columns.map((c) => [
      el('span', null, c.name, target.includes(c.name) ? el('span', { class: 'll-badge' }, t('target')) : null),
      kindLabel(c.kind),
      c.missing > 0 ? el('span', { class: 'll-warn-text' }, String(c.missing)) : '0',
      distinctLabel(c),
      columnDetail(c),
    ]),
    'll-table ll-columns',
  );
}

export function classBalancePlot(ctx: ViewContext, counts: { label: string; count: number }[], target: string, container: Element): HTMLElement {
  const total = counts.reduce((a, b) => a + b.count, 0);
  const rows = counts.map((c, k) => ({ ...c, k, share: total > 0 ? c.count / total : 0 }));
  const width = plotWidth(container, 260, 560);
  const plot = renderPlot(
    {
      width,
      height: 40 + 26 * rows.length,
      marginLeft: Math.min(180, 12 + 7 * Math.min(24, Math.max(4, ...rows.map((r) => r.label.length)))),
      marginRight: 70,
      x: { label: t('rows'), grid: true, nice: true },
      y: { label: null, domain: rows.map((r) => r.label), tickFormat: (t: string) => truncate(t, 24) },
      marks: [
        Plot.barX(rows, { x: 'count', y: 'label', fill: (d: (typeof rows)[number]) => classColor(ctx.theme, d.k) }),
        Plot.text(rows, { x: 'count', y: 'label', text: (d: (typeof rows)[number]) => `${d.count} (${(d.share * 100).toFixed(1)}%)`, textAnchor: 'start', dx: 4, fill: ctx.theme.fg }),
        Plot.ruleX([0]),
      ],
    },
    ctx.theme,
  );
  return plotCard(plot, { name: 'class-balance', title: t('Class balance of “{0}”', target), exporter: ctx.exportPlot });
}

/**
 * The summary column of the Data tab. `container` is where it will be attached (for plot widths);
 * `target` is the target chosen in the settings form (default: the guessed one): the class balance
 * and the target badge describe it.
 */
export function renderDataSummary(ctx: ViewContext, container: HTMLElement, target?: string): void {
  const p = ctx.data.preview;
  const run = ctx.run;
  if (p) {
    const chosen = target || p.guessedTarget;
    const { rows, rowsExact, balance, balanceNote } = dataFacts(p, chosen, ctx.data.runs);
    container.append(
      el('h2', null, t('Data')),
      facts([
        [t('File'), p.fileName],
        [t('Rows'), el('span', { class: rowsExact ? 'll-rows' : 'll-rows ll-estimate' }, rows)],
        [t('Columns'), String(p.nColumns)],
        [t('Format'), (p.decimalComma ? t('delimiter “{0}”, {1}, decimal comma', p.delimiter === '\t' ? t('tab') : p.delimiter, p.encoding) : t('delimiter “{0}”, {1}', p.delimiter === '\t' ? t('tab') : p.delimiter, p.encoding))],
        chosen === p.guessedTarget ? [t('Guessed target'), p.guessedTarget || '—'] : [t('Target'), t('{0} (guessed: {1})', chosen, p.guessedTarget)],
      ]),
    );
    if (balance.length > 0) {
      container.append(classBalancePlot(ctx, balance, chosen, container));
      if (balanceNote) container.append(el('p', { class: 'll-note ll-balance-note' }, t('Class balance {0}.', balanceNote)));
    } else if (chosen) container.append(el('p', { class: 'll-warn-text ll-target-warning' }, t('“{0}” has more than 50 distinct values: it is not a set of classes.', chosen)));
    container.append(el('h3', null, t('Columns')));
    const { columns, note } = columnFacts(p, ctx.data.runs);
    if (note) container.append(el('p', { class: 'll-note ll-columns-note' }, note));
    container.append(el('div', { class: 'll-scroll-x' }, columnsTable(columns, [chosen])));
    if (p.head.length > 0) {
      const header = p.columns.map((c) => c.name);
      container.append(el('h3', null, t('First {0} rows', p.head.length)), el('div', { class: 'll-scroll-x' }, table(header, p.head.map((r) => r.map((c) => c)), 'll-table ll-head')));
    }
    return;
  }
  if (run) {
    const s = run.report.data;
    container.append(
      el('h2', null, t('Data')),
      facts([
        [t('File'), s.fileName],
        [t('Rows'), s.droppedRows ? t('{0} ({1} dropped for missing values)', s.nRows.toLocaleString('en-US'), s.droppedRows) : s.nRows.toLocaleString('en-US')],
        [t('Columns'), String(s.nColumns)],
        [t('Split'), t('{0} train, {1} validation, {2} test', s.nTrain, s.nValidation, s.nTest)],
        [t('Target'), s.target.join(', ')],
      ]),
    );
    if (s.classes.length > 0) container.append(classBalancePlot(ctx, s.classes.map((label, k) => ({ label, count: s.classCounts[k] ?? 0 })), s.target.join(', '), container));
    container.append(el('h3', null, t('Columns')), el('div', { class: 'll-scroll-x' }, columnsTable(s.columns, s.target)));
  }
}
