/**
 * The perceptron beside the logistic model (issue 16 §4), in the Model tab and the HTML report:
 * accuracy per split side by side, the logistic ROC curve with the perceptron's single ROC point (it
 * outputs a class, not a probability: no curve, no log-loss, nothing to calibrate), and its line
 * overlaid on the decision-boundary slice (perceptronOverlay, called by boundaryView). A run without
 * a perceptron gets a button that trains one on the same settings.
 */
import type { RunRecord } from '../../../src/protocol/panel';
import type { ModelJson } from '../../../src/core/model/model';
import type { PerceptronReport } from '../../../src/core/model/perceptron';
import type { ViewContext } from '../context';
import { el, table } from '../dom';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor, type Theme } from '../theme';
import { fmt } from '../viewModel/format';
import { t } from '../../l10n';
import { splitWord } from '../viewModel/metricsTable';

const SPLITS = ['train', 'validation', 'test'] as const;

/** The note's first sentence: how scikit-learn's Perceptron was fitted, one whole sentence per case. */
function fitSentence(balanced: boolean, converged: boolean, epochs: number): string {
  if (balanced) {
    return converged
      ? t('scikit-learn’s Perceptron (no shuffling, constant step 1, no penalty, balanced class weights) on the logistic model’s standardized training rows: {0} epochs.', epochs)
      : t('scikit-learn’s Perceptron (no shuffling, constant step 1, no penalty, balanced class weights) on the logistic model’s standardized training rows: {0} epochs (stopped at 1000 without meeting its tolerance).', epochs);
  }
  return converged
    ? t('scikit-learn’s Perceptron (no shuffling, constant step 1, no penalty) on the logistic model’s standardized training rows: {0} epochs.', epochs)
    : t('scikit-learn’s Perceptron (no shuffling, constant step 1, no penalty) on the logistic model’s standardized training rows: {0} epochs (stopped at 1000 without meeting its tolerance).', epochs);
}

export function perceptronView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement | null {
  const r = run.report;
  const p = r.perceptron;
  if (r.model.kind === 'multilabel' || r.stream) return null;
  if (!p) {
    if (ctx.data.readOnly || ctx.data.training) return null;
    const card = plotCard(null, { name: 'perceptron', title: t('Perceptron'), note: t('Rosenblatt’s perceptron on the same split, to compare with the logistic model: its accuracy, its line on the decision boundary, and why it has no probabilities.') });
    card.append(el('vscode-button', { attrs: { id: 'perceptron-fit', secondary: true }, on: { click: () => ctx.post({ type: 'startTraining', settings: { ...run.settings, perceptron: true } }) } }, t('Fit a perceptron on the same split')));
    return card;
  }
  const rows = SPLITS.filter((s) => p.splits[s]).map((s) => [splitWord(s), String(p.splits[s]!.n), fmt(r.evaluation[s]?.metrics?.accuracy ?? NaN, 4), fmt(p.splits[s]!.accuracy, 4)]);
  const test = r.evaluation.test ?? r.evaluation.validation ?? r.evaluation.train;
  const point = test ? p.splits[test.split]?.rocPoint : undefined;
  const roc = test?.curves?.roc;
  const separable = r.warnings.some((w) => w.code === 'fit.separable');
  const notes = [
    fitSentence(run.settings.classWeight === 'balanced', p.converged, p.nIter),
    t('It outputs a class, not a probability: its ROC is a single point, it has no log-loss and no calibration curve, and its threshold cannot move.'),
    r.model.kind === 'binary' && !r.model.expansion ? t('Its line is drawn dashed on the decision boundary.') : '',
    separable || run.settings.penalty === 'none'
      ? t('On separable data the perceptron stops at the first separating line, while the logistic weights without a penalty keep growing: see ‖w‖ against iterations in the Training tab.')
      : '',
  ].filter(Boolean);
  const card = plotCard(roc && point ? rocPlot(ctx.theme, roc, point, test!.split, plotWidth(container, 260, 420)) : null, {
    name: 'perceptron',
    title: t('Perceptron vs logistic regression'),
    note: notes.join(' '),
    exporter: ctx.exportPlot,
    class: 'll-perceptron',
  });
  card.append(table([t('split'), t('rows'), t('logistic accuracy'), t('perceptron accuracy')], rows, 'll-table ll-perceptron-table'));
  if (point) card.append(el('p', { class: 'll-note', attrs: { 'data-roc-point': `${point.fpr},${point.tpr}` } }, t('{0} ROC: the logistic curve has AUC {1}; the perceptron is the one point FPR {2}, TPR {3}.', splitWord(test!.split), fmt(roc?.auc ?? NaN, 4), fmt(point.fpr, 4), fmt(point.tpr, 4))));
  return card;
}

function rocPlot(theme: Theme, roc: { fpr: number[]; tpr: number[] }, point: { fpr: number; tpr: number }, split: string, width: number): Element {
  const curve = roc.fpr.map((x, i) => ({ x, y: roc.tpr[i] }));
  return renderPlot(
    {
      width,
      height: width,
      x: { label: t('false positive rate'), domain: [0, 1] },
      y: { label: t('true positive rate'), domain: [0, 1], grid: true },
      marks: [
        Plot.line([{ x: 0, y: 0 }, { x: 1, y: 1 }], { x: 'x', y: 'y', stroke: theme.muted, strokeDasharray: '3 3' }),
        Plot.line(curve, { x: 'x', y: 'y', stroke: classColor(theme, 1), strokeWidth: 2, title: () => t('logistic ROC ({0})', splitWord(split)) }),
        Plot.dot([point], { x: 'fpr', y: 'tpr', r: 6, fill: theme.fg, stroke: theme.bg, title: () => t('perceptron ({0}): FPR {1}, TPR {2}', splitWord(split), fmt(point.fpr, 3), fmt(point.tpr, 3)) }),
        Plot.text([point], { x: 'fpr', y: 'tpr', text: () => t('perceptron'), dx: 8, textAnchor: 'start', fill: theme.fg }),
      ],
    },
    theme,
  );
}

/**
 * The perceptron's line(s) on a slice over features fx, fy (original units), the other features held
 * at `base`: w_x x + w_y y + (b + Σ_others w_j base_j) = 0, one per output; none for a model with a
 * feature expansion (its perceptron is linear in the expanded features, not in this plane).
 */
export function perceptronOverlay(model: ModelJson, p: PerceptronReport | undefined, fx: number, fy: number, base: readonly number[], xe: [number, number], ye: [number, number], theme: Theme): Plot.Markish[] {
  if (!p || model.expansion) return [];
  const K = p.coef.length;
  return p.coef.map((w, k) => {
    let c = p.intercept[k];
    w.forEach((v, j) => {
      if (j !== fx && j !== fy) c += v * base[j];
    });
    const pts = linePoints(w[fx], w[fy], c, xe, ye);
    const stroke = K === 1 ? theme.fg : classColor(theme, k);
    return Plot.line(pts, { x: 'x', y: 'y', stroke, strokeWidth: 2, strokeDasharray: '7 4', clip: true, title: () => (K > 1 ? t('perceptron ({0} vs rest): w·x + b = 0', model.classes[k]) : t('perceptron: w·x + b = 0')) });
  });
}

/** Two points of a x + b y + c = 0 spanning the plotted box (empty when a = b = 0). */
function linePoints(a: number, b: number, c: number, xe: [number, number], ye: [number, number]): { x: number; y: number }[] {
  if (Math.abs(b) >= Math.abs(a) && b !== 0) return xe.map((x) => ({ x, y: -(a * x + c) / b }));
  if (a !== 0) return ye.map((y) => ({ x: -(b * y + c) / a, y }));
  return [];
}
