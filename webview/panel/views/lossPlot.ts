/** Loss curves (train objective and validation log-loss per iteration), one or several runs overlaid. */
import type { TrainReport } from '../../../src/core/report/report';
import type { Theme } from '../theme';
import { lastPoints, lineChartFrame, Plot, renderPlot } from '../plots';
import { el } from '../dom';
import { t } from '../../l10n';

export interface LossSeries {
  /** Run label ("#2 lbfgs L2 C=1") or "" for a single run. */
  run: string;
  train: readonly number[];
  validation: readonly number[];
  color: string;
}

interface Pt {
  i: number;
  loss: number;
  series: string;
  kind: 'train' | 'validation';
  color: string;
}

/** An HTML legend of solid lines: one item per label, in its colour. */
export function lineLegend(items: readonly { label: string; color: string }[], ariaLabel: string): HTMLElement {
  return el(
    'div',
    { class: 'll-legend', attrs: { role: 'list', 'aria-label': ariaLabel } },
    ...items.map((it) => {
      const line = el('span', { class: 'll-line-swatch' });
      line.style.borderTopColor = it.color;
      return el('span', { class: 'll-legend-item', attrs: { role: 'listitem' } }, line, it.label);
    }),
  );
}

/** An HTML legend: run colours, solid = training objective, dashed = validation log-loss. */
export function lossLegend(series: readonly LossSeries[]): HTMLElement {
  const item = (text: string, color: string, dashed: boolean) => {
    const line = el('span', { class: `ll-line-swatch${dashed ? ' ll-dashed' : ''}` });
    line.style.borderTopColor = color;
    return el('span', { class: 'll-legend-item' }, line, text);
  };
  return el(
    'div',
    { class: 'll-legend' },
    ...series.flatMap((s) => [
      item(s.run ? t('{0}: training objective', s.run) : t('training objective'), s.color, false),
      s.validation.length ? item(s.run ? t('{0}: validation log-loss', s.run) : t('validation log-loss'), s.color, true) : null,
    ]),
  );
}

export function lossPlot(series: readonly LossSeries[], theme: Theme, width: number, logScale: boolean): Element {
  const pts: Pt[] = [];
  for (const s of series) {
    const name = (kind: string) => (s.run ? `${s.run} ${kind}` : kind);
    s.train.forEach((loss, i) => Number.isFinite(loss) && (!logScale || loss > 0) && pts.push({ i: i + 1, loss, series: name('train'), kind: 'train', color: s.color }));
    s.validation.forEach((loss, i) => Number.isFinite(loss) && (!logScale || loss > 0) && pts.push({ i: i + 1, loss, series: name('validation'), kind: 'validation', color: s.color }));
  }
  return renderPlot(
    {
      ...lineChartFrame(width, 0.5, 220, 380, 56),
      x: { label: t('iteration'), grid: true },
      y: { label: logScale ? t('loss (log scale)') : t('loss'), type: logScale ? 'log' : 'linear', grid: true },
      marks: [
        Plot.line(
          pts.filter((p) => p.kind === 'train'),
          { x: 'i', y: 'loss', z: 'series', stroke: (p: Pt) => p.color, strokeWidth: 2, title: (p: Pt) => p.series },
        ),
        Plot.line(
          pts.filter((p) => p.kind === 'validation'),
          { x: 'i', y: 'loss', z: 'series', stroke: (p: Pt) => p.color, strokeWidth: 2, strokeDasharray: '6 4', title: (p: Pt) => p.series },
        ),
        Plot.dot(lastPoints(pts, (p) => p.series), { x: 'i', y: 'loss', r: 3, fill: (p: Pt) => p.color }),
      ],
    },
    theme,
  );
}

/** How every view names the training objective: one form, the Model tab's (mean loss plus the penalty over n·C). */
export function objectiveWords(): string {
  return t('training objective J(w) = (1/n) Σ loss + penalty / (n·C), as on the Model tab');
}

/**
 * The run's final objective in that form, from scikit-learn's C·Σ loss + r(w) that the report keeps:
 * J = objective / (n·C) (n = training rows; with balanced class weights the weights also sum to n),
 * objective / n without a penalty.
 */
export function meanObjective(report: Pick<TrainReport, 'convergence' | 'data' | 'model'>): number {
  const s = report.model.settings;
  const n = Math.max(1, report.data.nTrain);
  return report.convergence.objective / (n * (s.penalty === 'none' ? 1 : s.C));
}
