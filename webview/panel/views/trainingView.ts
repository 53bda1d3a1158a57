/**
 * Training: the loss curves (live while a run trains: every progress message is a complete
 * snapshot), convergence information and the run's warnings, in plain words.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import type { Convergence, StreamSummary } from '../../../src/core/report/report';
import { el } from '../dom';
import type { ViewContext } from '../context';
import { plotCard, plotWidth } from '../plots';
import { classColor } from '../theme';
import { fmt, fmtBytes, fmtCount, fmtDuration } from '../viewModel/format';
import { diagnosticsList } from './diagnosticsView';
import { lossLegend, lossPlot, meanObjective, OBJECTIVE_WORDS, type LossSeries } from './lossPlot';
import { compareView } from './compareView';
import { landscapeView } from './landscapeView';
import { weightNormView } from './factsView';
import { replayView } from './replayView';

const STOP_TEXT: Record<Convergence['stopReason'], string> = {
  converged: 'Converged: the gradient fell below the tolerance.',
  'max-iter': 'Stopped at the iteration limit without converging. Raise “Max iterations”, standardize the features, or increase the penalty.',
  stopped: 'Stopped by the user.',
  diverged: 'Diverged: the loss became infinite or NaN. Lower the learning rate or standardize the features.',
  'early-stopped': 'Stopped early: the validation loss stopped improving.',
  'precision-limit': 'Stopped at the limit of floating-point precision: no step could lower the objective any further.',
};

function logToggle(ctx: ViewContext): HTMLElement {
  const box = el('vscode-checkbox', { attrs: { id: 'log-scale', label: 'Log scale' }, props: { checked: ctx.ui.logScale } });
  box.addEventListener('change', () => ctx.setUi({ logScale: (box as HTMLElement & { checked: boolean }).checked }));
  return box;
}

/** The live view of a run in progress. */
export function liveTrainingView(ctx: ViewContext, container: HTMLElement): HTMLElement {
  const t = ctx.data.training!;
  const p = t.progress;
  const root = el('div', { class: 'll-training', attrs: { 'data-view': 'live-training' } });
  const phase = !p ? 'Starting…' : p.phase === 'reading' ? 'Reading the file…' : p.phase === 'evaluating' ? 'Evaluating…' : `Fitting${p.outputs > 1 ? ` output ${p.output + 1} of ${p.outputs}` : ''}: iteration ${p.iteration} of at most ${p.maxIter}, gradient norm ${fmt(p.gradientNorm, 3)}`;
  const bar = el('vscode-progress-bar', { attrs: { 'aria-label': 'Training progress' }, props: p && p.phase === 'fitting' && p.maxIter > 0 ? { value: p.iteration / p.maxIter, max: 1 } : { indeterminate: true } });
  root.append(el('div', { class: 'll-live-status', attrs: { role: 'status', 'aria-live': 'polite' } }, el('strong', null, `Training run #${t.runId ?? '…'}`), ' — ', phase), bar);
  const series: LossSeries[] = [{ run: '', train: p?.lossHistory.train ?? [], validation: p?.lossHistory.validation ?? [], color: classColor(ctx.theme, 0) }];
  const plot = series[0].train.length > 0 ? lossPlot(series, ctx.theme, plotWidth(container, 280, 900), ctx.ui.logScale) : null;
  root.append(plotCard(plot, { name: 'loss-curves', title: 'Loss curves (live)', note: plot ? `Solid: ${OBJECTIVE_WORDS}. Dashed: validation log-loss.` : 'The curves appear with the first iterations.', exporter: ctx.exportPlot, controls: [logToggle(ctx), lossLegend(series)] }));
  return root;
}

export function trainingView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const r = run.report;
  const c = r.convergence;
  const root = el('div', { class: 'll-training' });
  const series: LossSeries[] = [{ run: '', train: r.lossHistory.train, validation: r.lossHistory.validation, color: classColor(ctx.theme, 0) }];
  const width = plotWidth(container, 280, 900);
  const plot = r.lossHistory.train.length > 0 ? lossPlot(series, ctx.theme, width, ctx.ui.logScale) : null;
  root.append(
    plotCard(plot, {
      name: 'loss-curves',
      title: 'Loss curves',
      note: plot ? `Solid: ${OBJECTIVE_WORDS}. Dashed: validation log-loss.` : `The ${c.solver} solver recorded no per-iteration history.`,
      exporter: ctx.exportPlot,
      controls: [logToggle(ctx), lossLegend(series)],
    }),
  );
  const norms = weightNormView(ctx, run, container);
  if (norms) root.append(norms);
  const replay = replayView(ctx, run, container);
  if (replay) root.append(replay);
  root.append(compareView(ctx, run, container));
  const landscape = landscapeView(ctx, run, container);
  if (landscape) root.append(landscape);
  // A streaming run stops after its epochs by design: not a failure to converge.
  const epochsDone = r.stream !== undefined && c.stopReason === 'max-iter';
  const status = c.converged || epochsDone ? 'll-ok' : 'll-warn';
  // (Its message repeats the streaming card's facts in the CLI's words: not shown.)
  const stopText = epochsDone
    ? `Ran all ${r.stream!.epochs} epochs of streaming mini-batch SGD; for more passes, raise “Epochs (streaming)” under Advanced.`
    : STOP_TEXT[c.stopReason] ?? String(c.stopReason);
  root.append(
    el(
      'section',
      { class: 'll-card', attrs: { 'data-view': 'convergence' } },
      el('header', { class: 'll-card-head' }, el('h3', null, 'Convergence')),
      el('p', { class: `ll-status ${status}` }, c.message && !epochsDone ? `${stopText} ${c.message}` : stopText),
      facts([
        ['Solver', c.solverReason ?? c.solver],
        ['Iterations', String(c.iterations)],
        ['Converged', c.converged ? 'yes' : 'no'],
        ['Gradient norm', fmt(c.gradientNorm, 3)],
        ['Final objective J(w)', `${fmt(meanObjective(r), 6)} (scikit-learn’s C·Σ loss + r(w) = ${fmt(c.objective, 6)}, that is n·C·J)`],
        ['Time', `read ${fmtDuration(r.timings.parseMs)}, fit ${fmtDuration(r.timings.fitMs)}, evaluate ${fmtDuration(r.timings.evaluateMs)}`],
      ]),
    ),
  );
  if (r.stream) root.append(streamCard(r.stream));
  root.append(r.warnings.length ? diagnosticsList(r.warnings, `Warnings (${r.warnings.length})`) : el('p', { class: 'll-note ll-ok' }, 'No warnings.'));
  return root;
}

/** What the passes over the file did in a streaming (larger than memory) run. */
function streamCard(s: StreamSummary): HTMLElement {
  const perEpoch = s.epochValidationLoss.length > 0 ? s.epochValidationLoss.map((v, e) => `${e + 1}: ${fmt(v, 4)}`).join(', ') : 'no validation rows';
  return el(
    'section',
    { class: 'll-card', attrs: { 'data-view': 'stream' } },
    el('header', { class: 'll-card-head' }, el('h3', null, 'Streamed from disk')),
    el('p', { class: 'll-note' }, 'Mini-batch SGD over blocks of the file in bounded memory; the curves and calibration use reservoir samples of each split.'),
    facts([
      ['Epochs', String(s.epochs)],
      ['Read per pass', fmtBytes(s.totalBytes)],
      ['Shuffle window', `${fmtCount(s.windowRows)} rows`],
      ['Rows kept per split for curves', fmtCount(s.reservoirRows)],
      ['Validation log-loss by epoch (progressive)', perEpoch],
      ['Final validation log-loss', s.finalValidationLoss === null ? 'no validation rows' : fmt(s.finalValidationLoss, 4)],
    ]),
  );
}

/** Name–value pairs as a definition list. */
function facts(pairs: [string, string][]): HTMLElement {
  return el('dl', { class: 'll-facts' }, ...pairs.flatMap(([k, v]) => [el('dt', null, k), el('dd', null, v)]));
}
