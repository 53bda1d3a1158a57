/**
 * Per-class coefficients at a glance (multiclass and multilabel models): a feature × class heatmap of
 * the standardized coefficients, or, when the features are the pixels of an image (digits), one small
 * image of weights per class. A diverging scale centred on 0: class 1's colour for weights that raise
 * the class's score, class 0's for weights that lower it.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { outputNames, pixelLayout } from '../viewModel/coefficients';
import { fmt, truncate } from '../viewModel/format';
import { t } from '../../l10n';

interface Cell {
  feature: string;
  output: string;
  k: number;
  row: number;
  col: number;
  w: number;
}

function colorScale(ctx: ViewContext, limit: number) {
  return { type: 'linear' as const, domain: [-limit, 0, limit], range: [ctx.theme.palette[0], ctx.theme.bg, ctx.theme.palette[3]], clamp: true, legend: true, label: t('standardized coefficient') };
}

export function coefficientMapsView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement | null {
  const model = run.report.model;
  if (model.kind === 'binary') return null;
  const names = outputNames(model);
  const W = model.coefStandardized;
  const limit = Math.max(1e-12, ...W.flat().map(Math.abs));
  const width = plotWidth(container, 280, 900);
  const layout = pixelLayout(model.featureNames);
  if (layout) {
    const cells: Cell[] = [];
    W.forEach((w, k) => w.forEach((v, j) => cells.push({ feature: model.featureNames[j], output: names[k], k, row: layout.at[j][0], col: layout.at[j][1], w: v })));
    const perRow = width < 520 ? 3 : 5;
    const plot = renderPlot(
      {
        width,
        height: Math.ceil(names.length / perRow) * Math.round((width / perRow) * (layout.rows / layout.cols)) + 60,
        aspectRatio: undefined,
        padding: 0,
        marginTop: 36,
        fx: { label: null, tickFormat: () => '' },
        fy: { label: null, tickFormat: () => '' },
        x: { axis: null, domain: Array.from({ length: layout.cols }, (_, c) => c) },
        y: { axis: null, domain: Array.from({ length: layout.rows }, (_, r) => r) },
        color: colorScale(ctx, limit),
        marks: [
          Plot.cell(cells, { x: 'col', y: 'row', fx: (d: Cell) => d.k % perRow, fy: (d: Cell) => Math.floor(d.k / perRow), fill: 'w', inset: 0, title: (d: Cell) => `${d.output}: ${d.feature} = ${fmt(d.w)}` }),
          Plot.text(
            names.map((n, k) => ({ n, k })),
            { frameAnchor: 'top-left', dy: -12, fx: (d: { k: number }) => d.k % perRow, fy: (d: { k: number }) => Math.floor(d.k / perRow), text: (d: { n: string }) => truncate(d.n, 14), fill: ctx.theme.fg },
          ),
        ],
      },
      ctx.theme,
    );
    return plotCard(plot, {
      name: 'coefficient-images',
      title: t('Weights as images ({0} × {1} pixels)', layout.rows, layout.cols),
      note: t('Each image is one class’s standardized coefficients laid out like the pixels: red pixels raise the class’s score when they are inked (high values), blue ones lower it. Blank: pixels dropped as constant.'),
      exporter: ctx.exportPlot,
    });
  }
  const cells: Cell[] = [];
  W.forEach((w, k) => w.forEach((v, j) => cells.push({ feature: model.featureNames[j], output: names[k], k, row: j, col: k, w: v })));
  const maxLabel = Math.max(4, ...model.featureNames.map((n) => Math.min(30, n.length)));
  const plot = renderPlot(
    {
      width,
      height: 70 + 18 * model.featureNames.length,
      marginLeft: Math.min(220, 14 + 6.5 * maxLabel),
      marginTop: 30,
      x: { label: null, axis: 'top', domain: names, tickFormat: (s: string) => truncate(s, 12) },
      y: { label: null, domain: model.featureNames, tickFormat: (s: string) => truncate(s, 30) },
      color: colorScale(ctx, limit),
      marks: [Plot.cell(cells, { x: 'output', y: 'feature', fill: 'w', inset: 0.5, title: (d: Cell) => `${d.output}: ${d.feature} = ${fmt(d.w)}` })],
    },
    ctx.theme,
  );
  return plotCard(plot, {
    name: 'coefficient-heatmap',
    title: t('Coefficients by class (standardized)'),
    note: t('{0} classes × {1} features, one column per class: red raises the class’s score, blue lowers it, per training standard deviation of the feature.', names.length, model.featureNames.length),
    exporter: ctx.exportPlot,
  });
}
