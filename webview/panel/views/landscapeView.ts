/**
 * Loss landscape on the Training tab: contours of the objective on a plane through the optimum
 * (report.landscape, computed in the worker on a sample), the run's own path, and gradient descent
 * from the same start at the learning rate chosen with a slider (13 rates around the stability limit
 * 2/λmax, each run by the worker on the same sample). Says when gradient descent diverges, oscillates
 * or converges, and shows the Hessian's condition number for standardized and original features.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import type { Landscape, LearningRatePath } from '../../../src/core/evaluate/landscape';
import { el, replace } from '../dom';
import type { ViewContext } from '../context';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { fmt, fmtCount } from '../viewModel/format';

/** The slider's position (index into landscape.lrPaths), kept while the panel lives. */
let lrIndex = -1;

interface Pt {
  a: number;
  b: number;
  i: number;
}

function points(l: Landscape, a: number[], b: number[]): Pt[] {
  return a.map((x, i) => ({ a: x + l.offset[0], b: b[i] + l.offset[1], i })).filter((p) => Number.isFinite(p.a) && Number.isFinite(p.b));
}

/** What gradient descent does at this rate, in words (and whether it is a warning). */
export function lrVerdict(l: Landscape, p: LearningRatePath): { text: string; bad: boolean } {
  const limit = `2/λmax = ${fmt(2 / l.lambdaMax, 3)}`;
  if (p.diverged) return { text: `Gradient descent diverges at η = ${fmt(p.learningRate, 3)}: above ${limit} each step overshoots the minimum along the steepest direction by more than it corrects, and the loss grows.`, bad: true };
  if (p.factor > 1) return { text: `η = ${fmt(p.learningRate, 3)} is above ${limit}: the steepest direction oscillates with growing amplitude; within these ${p.a.length - 1} steps the flatter directions still lower the loss.`, bad: true };
  if (p.factor > 0.5) return { text: `η = ${fmt(p.learningRate, 3)} is between 1/λmax and ${limit}: gradient descent zig-zags across the valley but converges.`, bad: false };
  return { text: `η = ${fmt(p.learningRate, 3)} is below 1/λmax: gradient descent moves smoothly downhill (slowly along the flat directions).`, bad: false };
}

function landscapePlot(ctx: ViewContext, l: Landscape, p: LearningRatePath, width: number): Element {
  const x1 = l.aRange[0] + l.offset[0];
  const x2 = l.aRange[1] + l.offset[0];
  const y1 = l.bRange[0] + l.offset[1];
  const y2 = l.bRange[1] + l.offset[1];
  // Contours of log(F - min F) space the ellipses evenly from the bottom of the valley outwards.
  const lo = Math.min(...l.values, l.objectiveAtOptimum);
  const shifted = l.values.map((v) => Math.log10(v - lo + 1e-6 * Math.max(1, Math.abs(lo))));
  const run = points(l, l.path.a, l.path.b);
  const gd = points(l, p.a, p.b);
  return renderPlot(
    {
      width,
      height: Math.round(Math.min(520, Math.max(260, width * 0.7))),
      marginLeft: 60,
      marginBottom: 40,
      x: { label: l.axes[0], domain: [x1, x2] },
      y: { label: l.axes[1], domain: [y1, y2] },
      marks: [
        Plot.contour(shifted, { width: l.n, height: l.n, x1, x2, y1, y2, thresholds: 14, stroke: ctx.theme.muted, strokeOpacity: 0.8, fill: 'none' }),
        Plot.line(run, { x: 'a', y: 'b', stroke: classColor(ctx.theme, 0), strokeWidth: 2, clip: true }),
        Plot.dot(run, { x: 'a', y: 'b', r: 2, fill: classColor(ctx.theme, 0), clip: true }),
        Plot.line(gd, { x: 'a', y: 'b', stroke: p.diverged ? ctx.theme.error : classColor(ctx.theme, 1), strokeWidth: 1.6, clip: true }),
        Plot.dot(gd, { x: 'a', y: 'b', r: 2.5, fill: p.diverged ? ctx.theme.error : classColor(ctx.theme, 1), clip: true }),
        Plot.dot([{ a: l.offset[0], b: l.offset[1] }], { x: 'a', y: 'b', r: 5, symbol: 'star', fill: ctx.theme.fg }),
        Plot.frame({ stroke: ctx.theme.grid }),
      ],
    },
    ctx.theme,
  );
}

export function landscapeView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement | null {
  const l = run.report.landscape;
  if (!l || l.lrPaths.length === 0) return null;
  if (lrIndex < 0 || lrIndex >= l.lrPaths.length) lrIndex = Math.max(0, l.lrPaths.findIndex((p) => p.factor >= 0.5));
  const width = plotWidth(container, 280, 760);
  const box = el('div', { class: 'll-plot-box' });
  const verdict = el('p', { class: 'll-status', attrs: { role: 'status', 'aria-live': 'polite', 'data-lr-verdict': '' } });
  const value = el('output', { class: 'll-replay-status', attrs: { for: 'lr-slider' } });
  const slider = el('input', { class: 'll-replay-slider', attrs: { id: 'lr-slider', type: 'range', min: 0, max: l.lrPaths.length - 1, step: 1, value: lrIndex, 'aria-label': 'Learning rate of gradient descent' } });
  const draw = () => {
    const p = l.lrPaths[lrIndex];
    replace(box, landscapePlot(ctx, l, p, width));
    const v = lrVerdict(l, p);
    verdict.textContent = v.text;
    verdict.className = `ll-status ${v.bad ? 'll-warn' : 'll-ok'}`;
    verdict.dataset.diverged = String(p.diverged);
    const text = `η = ${fmt(p.learningRate, 3)} (${fmt(p.factor, 3)} × 2/λmax)`;
    value.textContent = text;
    slider.setAttribute('aria-valuetext', text);
  };
  slider.addEventListener('input', () => {
    lrIndex = Number(slider.value);
    draw();
  });
  const cond = l.condition;
  const conditionText =
    cond.standardized !== null && cond.original !== null
      ? `Hessian condition number at the optimum: ${fmt(cond.standardized, 3)} with standardized features, ${fmt(cond.original, 3)} in original units${l.standardizedFit ? '' : ' (this run did not standardize)'} — the larger it is, the longer and thinner the ellipses, and the slower gradient descent.`
      : 'Condition numbers are computed for models of up to 150 parameters.';
  const dirs = l.mode === 'parameters' ? 'The axes are the model’s two parameters (weight and intercept); the star is the fitted model.' : `The axes are the two stiffest directions through the optimum (top Hessian eigenvectors, curvatures ${fmt(l.eigenvalues![0], 3)} and ${fmt(l.eigenvalues![1], 3)}); the star is the fitted model.`;
  const sample = l.sampleRows < l.ofRows ? `Computed on a sample of ${fmtCount(l.sampleRows)} of ${fmtCount(l.ofRows)} training rows.` : `Computed on all ${fmtCount(l.ofRows)} training rows.`;
  const card = plotCard(null, {
    name: 'loss-landscape',
    title: 'Loss landscape',
    note: `${dirs} Contours: the objective (log-spaced above its minimum). Lines: this run’s path (first colour) and gradient descent from the same start θ = 0 for ${l.lrPaths[0].a.length - 1} steps at the slider’s learning rate (second colour; red when it diverges). ${sample}`,
    controls: [el('label', { class: 'll-inline-field', attrs: { for: 'lr-slider' } }, 'Learning rate'), slider, value],
    class: 'll-landscape',
  });
  card.setAttribute('data-view', 'landscape');
  card.append(verdict, box, el('p', { class: 'll-note', attrs: { 'data-condition': '' } }, conditionText));
  draw();
  return card;
}
