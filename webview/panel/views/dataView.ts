/**
 * Data summary: rows and columns with their inferred types and missing counts, the class balance of
 * the (guessed or chosen) target, and the first rows. From the DataPreview before training, or from
 * the run's DataSummary in the read-only report.
 */
import type { ColumnInfo } from '../../../src/core/data/dataset';
import { el, table, type Child } from '../dom';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { fmt, truncate } from '../viewModel/format';

const KIND_LABEL: Record<string, string> = {
  numeric: 'numeric',
  categorical: 'categorical',
  constant: 'constant (not used)',
  id: 'identifier (not used)',
  empty: 'empty (not used)',
};

function columnDetail(c: ColumnInfo): string {
  if (c.kind === 'numeric' && c.min !== undefined && c.max !== undefined) return `${fmt(c.min)} … ${fmt(c.max)}${c.mean !== undefined ? `, mean ${fmt(c.mean)}` : ''}`;
  if (c.kind === 'categorical' && c.levels) {
    const shown = c.levels.slice(0, 6).join(', ');
    return c.levels.length > 6 ? `${shown}, … (${c.levels.length} levels)` : shown;
  }
  return c.reason ?? '';
}

export function columnsTable(columns: readonly ColumnInfo[], target: readonly string[]): HTMLElement {
  return table(
    ['Column', 'Type', 'Missing', 'Distinct', 'Values'],
    columns.map((c) => [
      el('span', null, c.name, target.includes(c.name) ? el('span', { class: 'll-badge' }, 'target') : null),
      KIND_LABEL[c.kind] ?? c.kind,
      c.missing > 0 ? el('span', { class: 'll-warn-text' }, String(c.missing)) : '0',
      String(c.distinct),
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
      x: { label: 'rows', grid: true, nice: true },
      y: { label: null, domain: rows.map((r) => r.label), tickFormat: (t: string) => truncate(t, 24) },
      marks: [
        Plot.barX(rows, { x: 'count', y: 'label', fill: (d: (typeof rows)[number]) => classColor(ctx.theme, d.k) }),
        Plot.text(rows, { x: 'count', y: 'label', text: (d: (typeof rows)[number]) => `${d.count} (${(d.share * 100).toFixed(1)}%)`, textAnchor: 'start', dx: 4, fill: ctx.theme.fg }),
        Plot.ruleX([0]),
      ],
    },
    ctx.theme,
  );
  return plotCard(plot, { name: 'class-balance', title: `Class balance of “${target}”`, exporter: ctx.exportPlot });
}

function facts(items: [string, Child][]): HTMLElement {
  return el('dl', { class: 'll-facts' }, ...items.flatMap(([k, v]) => [el('dt', null, k), el('dd', null, v)]));
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
    const balance = p.targetBalances?.[chosen] ?? (chosen === p.guessedTarget ? p.classBalance : []);
    container.append(
      el('h2', null, 'Data'),
      facts([
        ['File', p.fileName],
        ['Rows', p.sample ? `about ${p.nRows.toLocaleString('en-US')} (estimated from the first ${(p.sample.bytes / 1e6).toFixed(1)} MB of ${(p.sample.fileBytes / 1e6).toFixed(1)} MB)` : p.nRows.toLocaleString('en-US')],
        ['Columns', String(p.nColumns)],
        ['Format', `delimiter “${p.delimiter === '\t' ? 'tab' : p.delimiter}”, ${p.encoding}${p.decimalComma ? ', decimal comma' : ''}`],
        chosen === p.guessedTarget ? ['Guessed target', p.guessedTarget || '—'] : ['Target', `${chosen} (guessed: ${p.guessedTarget})`],
      ]),
    );
    if (balance.length > 0) container.append(classBalancePlot(ctx, balance, chosen, container));
    else if (chosen) container.append(el('p', { class: 'll-warn-text ll-target-warning' }, `“${chosen}” has more than 50 distinct values: it is not a set of classes.`));
    container.append(el('h3', null, 'Columns'), columnsTable(p.columns, [chosen]));
    if (p.head.length > 0) {
      const header = p.columns.map((c) => c.name);
      container.append(el('h3', null, `First ${p.head.length} rows`), el('div', { class: 'll-scroll-x' }, table(header, p.head.map((r) => r.map((c) => c)), 'll-table ll-head')));
    }
    return;
  }
  if (run) {
    const s = run.report.data;
    container.append(
      el('h2', null, 'Data'),
      facts([
        ['File', s.fileName],
        ['Rows', `${s.nRows.toLocaleString('en-US')}${s.droppedRows ? ` (${s.droppedRows} dropped for missing values)` : ''}`],
        ['Columns', String(s.nColumns)],
        ['Split', `${s.nTrain} train, ${s.nValidation} validation, ${s.nTest} test`],
        ['Target', s.target.join(', ')],
      ]),
    );
    if (s.classes.length > 0) container.append(classBalancePlot(ctx, s.classes.map((label, k) => ({ label, count: s.classCounts[k] ?? 0 })), s.target.join(', '), container));
    container.append(el('h3', null, 'Columns'), columnsTable(s.columns, s.target));
  }
}
