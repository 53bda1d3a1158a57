/**
 * "Compare solvers" on the Training tab: a button that asks the host to fit this run's problem with
 * every solver (in the training worker), progress while it runs, then the gap to the best objective
 * on a log scale against iterations, passes over the data or wall time, and a table of passes and
 * time to the tolerance. The result lives in the run's report, so the HTML report shows it too.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import type { SolverComparison } from '../../../src/core/run/compareSolvers';
import { el, table } from '../dom';
import type { ViewContext } from '../context';
import { lastPoints, lineChartFrame, Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { axisLabel, comparisonRows, gapFloor, gapPoints, type CompareAxis, type GapPoint } from '../viewModel/comparison';
import { fmt, fmtDuration } from '../viewModel/format';
import { button, selectControl } from '../elements';
import { t } from '../../l10n';
import { diagnosticsList } from './diagnosticsView';
import { lineLegend } from './lossPlot';

/** The x axis chosen for the comparison plot (kept while the panel lives). */
let axis: CompareAxis = 'passes';

function gapPlot(ctx: ViewContext, c: SolverComparison, width: number): Element {
  const pts = gapPoints(c, axis);
  return renderPlot(
    {
      ...lineChartFrame(width, 0.55, 240, 420, 64),
      x: { label: axisLabel(axis), grid: true },
      y: { label: t('objective − best objective (log scale)'), type: 'log', grid: true, tickFormat: '.0e', domain: [gapFloor(c), Math.max(...pts.map((p) => p.gap), gapFloor(c) * 10)] },
      marks: [
        Plot.line(pts, { x: 'x', y: 'gap', z: 'k', stroke: (p: GapPoint) => classColor(ctx.theme, p.k), strokeWidth: 2, title: (p: GapPoint) => p.solver }),
        Plot.dot(lastPoints(pts, (p) => p.k), { x: 'x', y: 'gap', r: 3, fill: (p: GapPoint) => classColor(ctx.theme, p.k) }),
        Plot.ruleY([c.tol * Math.max(1, Math.abs(c.best))], { stroke: ctx.theme.muted, strokeDasharray: '4 3' }),
      ],
    },
    ctx.theme,
  );
}

function legend(ctx: ViewContext, c: SolverComparison): HTMLElement {
  return lineLegend(c.traces.map((trace, k) => ({ label: trace.label, color: classColor(ctx.theme, k) })), t('Solvers'));
}

function resultTable(c: SolverComparison): HTMLElement {
  const rows = comparisonRows(c).map((r) => [
    r.solver,
    r.passesToTol === null ? t('not reached') : fmt(r.passesToTol, 4),
    r.timeToTolMs === null ? t('not reached') : fmtDuration(r.timeToTolMs),
    String(r.iterations),
    fmt(r.passes, 4),
    fmtDuration(r.timeMs),
    r.finalGap <= gapFloor(c) ? t('0 (best)') : fmt(r.finalGap, 3),
    r.stop,
  ]);
  const result = table([t('solver'), t('passes to gap ≤ {0}', c.tol), t('time to gap ≤ {0}', c.tol), t('iterations run'), t('passes run'), t('time run'), t('final gap'), t('stopped by')], rows);
  result.classList.add('ll-compare-table');
  result.setAttribute('aria-label', t('Solvers: passes and time to the tolerance'));
  return result;
}

export function compareView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const d = ctx.data;
  const c = run.report.comparison;
  const busy = d.comparing !== null;
  const mine = d.comparing?.runId === run.id;
  const controls = [];
  if (!d.readOnly && !run.report.stream) {
    controls.push(
      mine
        ? button(t('Cancel comparison'), { id: 'cancel-compare', secondary: true, onClick: () => ctx.post({ type: 'cancelComparison' }) })
        : button(c ? t('Compare solvers again') : t('Compare solvers'), { id: 'compare-solvers', disabled: busy || d.training !== null, onClick: () => ctx.post({ type: 'compareSolvers', runId: run.id }) }),
    );
  }
  if (c) controls.push(selectControl('compare-axis', t('x axis'), [['iterations', t('iterations')], ['passes', t('passes over the data')], ['time', t('wall time')]], axis, (v) => {
    axis = v as CompareAxis;
    ctx.setUi({});
  }), legend(ctx, c));
  const status: HTMLElement[] = [];
  if (mine) status.push(el('p', { class: 'll-note', attrs: { role: 'status', 'aria-live': 'polite', 'data-compare-status': '' } }, d.comparing!.done === 0 ? t('Comparing solvers…') : t('Comparing solvers: {0} of {1} done (last: {2})…', d.comparing!.done, d.comparing!.total, d.comparing!.label)));
  if (d.compareError?.runId === run.id) status.push(diagnosticsList(d.compareError.diagnostics, t('The solvers could not be compared')));
  const plot = c ? gapPlot(ctx, c, plotWidth(container, 280, 900)) : null;
  const note = c
    ? t('The same {0} problem ({1} training rows, {2} parameters, same seed and split as this run) fitted by each solver from zero, at most {3} iterations each. Dashed: the tolerance, a gap of {4} relative to the best objective F* = {5}; straight lines on this log scale are linear convergence (gradient descent), bending down is superlinear (L-BFGS) or quadratic (Newton). A pass is one evaluation over all training rows (gradient, Hessian or Hessian-vector product).', run.report.model.kind, c.nTrain, c.nParams, c.maxIter, c.tol, fmt(c.best, 10)) + (c.outputNote ? ` ${c.outputNote}` : '')
    : run.report.stream
      ? t('Solvers are compared on data in memory; this run streamed the file from disk.')
      : t('Fit this run’s problem with batch gradient descent, SGD, mini-batch SGD, momentum, Adam, Newton (IRLS), Newton-Cholesky (binary and one-vs-rest, L2 or none) and L-BFGS, from the same start on the same split, and see how fast each approaches the optimum.');
  const card = plotCard(plot, { name: 'solver-comparison', title: t('Compare solvers'), note, exporter: ctx.exportPlot, controls, class: 'll-compare' });
  card.setAttribute('data-view', 'compare');
  card.append(...status);
  if (c) card.append(resultTable(c));
  return card;
}
