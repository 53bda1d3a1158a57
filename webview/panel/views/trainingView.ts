/**
 * Training: the loss curves (live while a run trains: every progress message is a complete
 * snapshot), convergence information and the run's warnings, in plain words.
 */
import { progressFraction, type RunRecord } from '../../../src/protocol/panel';
import type { Convergence, StreamSummary, TrainProgress } from '../../../src/core/report/report';
import { el, facts } from '../dom';
import { checkbox } from '../elements';
import type { ViewContext } from '../context';
import type { Part } from '../incremental';
import { plotCard, plotWidth } from '../plots';
import { classColor } from '../theme';
import { fmt, fmtBytes, fmtCount, fmtDuration } from '../viewModel/format';
import { diagnosticsList } from './diagnosticsView';
import { lossLegend, lossPlot, meanObjective, objectiveWords, type LossSeries } from './lossPlot';
import { compareView } from './compareView';
import { landscapeView } from './landscapeView';
import { weightNormView } from './factsView';
import { replayView } from './replayView';
import { t } from '../../l10n';

function stopText(reason: Convergence['stopReason']): string {
  const text: Record<Convergence['stopReason'], string> = {
    converged: t('Converged: the gradient fell below the tolerance.'),
    'max-iter': t('Stopped at the iteration limit without converging. Raise “Max iterations”, standardize the features, or increase the penalty.'),
    stopped: t('Stopped by the user.'),
    diverged: t('Diverged: the loss became infinite or NaN. Lower the learning rate or standardize the features.'),
    'early-stopped': t('Stopped early: the validation loss stopped improving.'),
    'precision-limit': t('Stopped at the limit of floating-point precision: no step could lower the objective any further.'),
  };
  return text[reason] ?? String(reason);
}

function logToggle(ctx: ViewContext): HTMLElement {
  return checkbox({ id: 'log-scale', label: t('Log scale'), checked: ctx.ui.logScale, onChange: (on) => ctx.setUi({ logScale: on }) });
}

/** The live run's status line: its phase in plain words. */
function livePhase(p: TrainProgress | null): string {
  if (!p) return t('Starting…');
  if (p.phase === 'reading') return t('Reading the file…');
  if (p.phase === 'evaluating') return t('Evaluating…');
  return p.outputs > 1
    ? t('Fitting output {0} of {1}: iteration {2} of at most {3}, gradient norm {4}', p.output + 1, p.outputs, p.iteration, p.maxIter, fmt(p.gradientNorm, 3))
    : t('Fitting: iteration {0} of at most {1}, gradient norm {2}', p.iteration, p.maxIter, fmt(p.gradientNorm, 3));
}

function liveStatus(runId: number | null, p: TrainProgress | null): HTMLElement {
  return el('div', { class: 'll-live-status', attrs: { role: 'status', 'aria-live': 'polite' } }, el('strong', null, t('Training run #{0}', runId ?? '…')), ' — ', livePhase(p));
}

/** The live loss curves' card (its plot once the run has a first iteration). */
function liveLossCard(ctx: ViewContext, p: TrainProgress | null, container: HTMLElement): HTMLElement {
  const series: LossSeries[] = [{ run: '', train: p?.lossHistory.train ?? [], validation: p?.lossHistory.validation ?? [], color: classColor(ctx.theme, 0) }];
  const plot = series[0].train.length > 0 ? lossPlot(series, ctx.theme, plotWidth(container, 280, 900), ctx.ui.logScale) : null;
  return plotCard(plot, { name: 'loss-curves', title: t('Loss curves (live)'), note: plot ? t('Solid: {0}. Dashed: validation log-loss.', objectiveWords()) : t('The curves appear with the first iterations.'), exporter: ctx.exportPlot, controls: [logToggle(ctx), lossLegend(series)] });
}

/** The live view of a run in progress. */
export function liveTrainingView(ctx: ViewContext, container: HTMLElement): HTMLElement {
  const training = ctx.data.training!;
  const p = training.progress;
  const root = el('div', { class: 'll-training', attrs: { 'data-view': 'live-training' } });
  // Never indeterminate: its endless animation repaints every frame, which on a 2-core machine with
  // the browser-hosted VS Code slowed the run itself by a third (bench/ui.mjs, issue 20). Reading: 0;
  // fitting: iterations of the limit; evaluating: full. (panel.css turns its width transition off.)
  const bar = el('vscode-progress-bar', { attrs: { 'aria-label': t('Training progress') }, props: { value: progressFraction(p), max: 1 } });
  root.append(liveStatus(training.runId, p), bar, liveLossCard(ctx, p, container));
  return root;
}

/**
 * Draws the latest progress into a live view already on screen (`view`, from liveTrainingView):
 * the status line and the bar in place, and of the loss card only what a snapshot changes (the
 * plot, its export buttons and the legend); the card, its log-scale box and the layout around it
 * stay. Returns false when there is no such view (the caller renders the tab).
 */
export function updateLiveTraining(ctx: ViewContext, view: Element, container: HTMLElement): boolean {
  const training = ctx.data.training;
  const status = view.querySelector(':scope > .ll-live-status');
  const bar = view.querySelector(':scope > vscode-progress-bar') as (HTMLElement & { value: number }) | null;
  const card = view.querySelector(':scope > [data-plot="loss-curves"]');
  if (!training || !status || !bar || !card) return false;
  const p = training.progress;
  status.replaceWith(liveStatus(training.runId, p));
  bar.value = progressFraction(p);
  const fresh = liveLossCard(ctx, p, container);
  const oldBox = card.querySelector(':scope > .ll-plot-box');
  const newBox = fresh.querySelector(':scope > .ll-plot-box');
  // Before the first point, and at the first one, the whole card (its note changes too).
  if (!oldBox || !newBox) {
    card.replaceWith(fresh);
    return true;
  }
  oldBox.replaceWith(newBox);
  for (const part of ['.ll-card-actions', '.ll-legend']) {
    const a = card.querySelector(part);
    const b = fresh.querySelector(part);
    if (a && b) a.replaceWith(b);
  }
  return true;
}

/**
 * A finished run's Training tab as parts (incremental.ts renders each in its own short task): the loss
 * curves, the weight norms, the replay, the solver comparison, the loss landscape, the convergence,
 * the streaming card and the warnings. TRAINING_FIRST: the ones drawn first, as the run finishes.
 */
export function trainingParts(ctx: ViewContext, run: RunRecord, container: HTMLElement): Part[] {
  const r = run.report;
  const c = r.convergence;
  return [
    () => {
      const series: LossSeries[] = [{ run: '', train: r.lossHistory.train, validation: r.lossHistory.validation, color: classColor(ctx.theme, 0) }];
      const plot = r.lossHistory.train.length > 0 ? lossPlot(series, ctx.theme, plotWidth(container, 280, 900), ctx.ui.logScale) : null;
      return plotCard(plot, {
        name: 'loss-curves',
        title: t('Loss curves'),
        note: plot ? t('Solid: {0}. Dashed: validation log-loss.', objectiveWords()) : t('The {0} solver recorded no per-iteration history.', c.solver),
        exporter: ctx.exportPlot,
        controls: [logToggle(ctx), lossLegend(series)],
      });
    },
    () => weightNormView(ctx, run, container),
    () => replayView(ctx, run, container),
    () => compareView(ctx, run, container),
    () => landscapeView(ctx, run, container),
    () => convergenceCard(r),
    () => (r.stream ? streamCard(r.stream) : null),
    () => (r.warnings.length ? diagnosticsList(r.warnings, t('Warnings ({0})', r.warnings.length)) : el('p', { class: 'll-note ll-ok' }, t('No warnings.'))),
  ];
}

/** trainingParts' indexes drawn first: the loss curves, the convergence and the warnings (the replay's canvas, the comparison and the landscape after them). */
export const TRAINING_FIRST: readonly number[] = [0, 5, 7];

function convergenceCard(r: RunRecord['report']): HTMLElement {
  const c = r.convergence;
  // A streaming run stops after its epochs by design: not a failure to converge.
  const epochsDone = r.stream !== undefined && c.stopReason === 'max-iter';
  const status = c.converged || epochsDone ? 'll-ok' : 'll-warn';
  // (Its message repeats the streaming card's facts in the CLI's words: not shown.)
  const stopped = epochsDone
    ? t('Ran all {0} epochs of streaming mini-batch SGD; for more passes, raise “Epochs (streaming)” under Advanced.', r.stream!.epochs)
    : stopText(c.stopReason);
  return el(
    'section',
    { class: 'll-card', attrs: { 'data-view': 'convergence' } },
    el('header', { class: 'll-card-head' }, el('h3', null, t('Convergence'))),
    el('p', { class: `ll-status ${status}` }, c.message && !epochsDone ? `${stopped} ${c.message}` : stopped),
    facts([
      [t('Solver'), c.solverReason ?? c.solver],
      [t('Iterations'), String(c.iterations)],
      [t('Converged'), c.converged ? t('yes') : t('no')],
      [t('Gradient norm'), fmt(c.gradientNorm, 3)],
      [t('Final objective J(w)'), t('{0} (scikit-learn’s C·Σ loss + r(w) = {1}, that is n·C·J)', fmt(meanObjective(r), 6), fmt(c.objective, 6))],
      [t('Time'), r.timings.typeMs !== undefined && r.timings.prepareMs !== undefined
        ? t('read {0}, type columns {1}, prepare {2}, fit {3}, evaluate {4}', fmtDuration(r.timings.parseMs), fmtDuration(r.timings.typeMs), fmtDuration(r.timings.prepareMs), fmtDuration(r.timings.fitMs), fmtDuration(r.timings.evaluateMs))
        : t('read {0}, fit {1}, evaluate {2}', fmtDuration(r.timings.parseMs), fmtDuration(r.timings.fitMs), fmtDuration(r.timings.evaluateMs))],
    ]),
  );
}

/** What the passes over the file did in a streaming (larger than memory) run. */
function streamCard(s: StreamSummary): HTMLElement {
  const perEpoch = s.epochValidationLoss.length > 0 ? s.epochValidationLoss.map((v, e) => `${e + 1}: ${fmt(v, 4)}`).join(', ') : t('no validation rows');
  return el(
    'section',
    { class: 'll-card', attrs: { 'data-view': 'stream' } },
    el('header', { class: 'll-card-head' }, el('h3', null, t('Streamed from disk'))),
    el('p', { class: 'll-note' }, t('Mini-batch SGD over blocks of the file in bounded memory; the curves and calibration use reservoir samples of each split.')),
    facts([
      [t('Epochs'), String(s.epochs)],
      [t('Read per pass'), fmtBytes(s.totalBytes)],
      [t('Shuffle window'), t('{0} rows', fmtCount(s.windowRows))],
      [t('Rows kept per split for curves'), fmtCount(s.reservoirRows)],
      [t('Validation log-loss by epoch (progressive)'), perEpoch],
      [t('Final validation log-loss'), s.finalValidationLoss === null ? t('no validation rows') : fmt(s.finalValidationLoss, 4)],
    ]),
  );
}
