/**
 * The imbalance card of the Evaluation tab (issue 16 §5), also in the HTML report. Binary runs:
 * - when the positive class is rare (< 10 % of the held-out rows), PR AUC and balanced accuracy first;
 * - costs of a false positive and a false negative: the threshold minimizing their total on the
 *   validation rows (else training), marked on the ROC and PR curves beside the 0.5 point, the
 *   confusion counts at it, and "Use this threshold" (the Evaluation tab's threshold follows);
 * - class weights balanced vs none side by side (the other run from the history, or a button that
 *   trains it), and whether the training rows were oversampled.
 */
import { costThreshold, RARE_SHARE, type CostThreshold, type ThresholdPoint } from '../../../src/core/evaluate/imbalance';
import type { SplitEvaluation } from '../../../src/core/report/report';
import type { TrainSettings } from '../../../src/core/run/settings';
import type { RunRecord } from '../../../src/protocol/panel';
import type { ViewContext } from '../context';
import { el, replace, table } from '../dom';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor, type Theme } from '../theme';
import { fmt } from '../viewModel/format';
import { t } from '../../l10n';
import { splitWord } from '../viewModel/metricsTable';

const SPLITS = ['train', 'validation', 'test'] as const;

export function imbalanceView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement | null {
  const r = run.report;
  if (r.model.kind !== 'binary' || r.stream) return null;
  const held = r.evaluation.test ?? r.evaluation.validation ?? r.evaluation.train;
  const m = held?.metrics;
  if (!held || !m) return null;
  const share = m.perClass[1].support / Math.max(1, held.n);
  const rare = share < RARE_SHARE;
  const positive = r.model.classes[1];
  const card = plotCard(null, {
    name: 'imbalance',
    title: rare ? t('Imbalanced classes: {0} % {1}', (100 * share).toFixed(1), positive) : t('Class balance, costs and threshold'),
    class: 'll-imbalance',
    note: [
      t('{0} % of the {1} rows are {2}.', (100 * share).toFixed(1), splitWord(held.split), positive),
      rare ? t('With a rare positive class, accuracy mostly counts the other class: read PR AUC and balanced accuracy first.') : '',
      run.settings.oversample ? t('The training rows were randomly oversampled to equal classes ({0} rows); validation and test rows are as sampled.', r.data.nTrain) : '',
    ]
      .filter(Boolean)
      .join(' '),
  });
  card.dataset.rare = String(rare);
  card.append(headline(r.evaluation, rare));
  card.append(costSection(ctx, run, container));
  card.append(classWeightSection(ctx, run));
  return card;
}

/** Per split: PR AUC and balanced accuracy first when rare, then accuracy and ROC AUC (else the reverse). */
function headline(evaluation: Partial<Record<string, SplitEvaluation>>, rare: boolean): HTMLElement {
  const cols: [string, (m: NonNullable<SplitEvaluation['metrics']>) => number][] = [
    [t('PR AUC'), (m) => m.averagePrecision ?? NaN],
    [t('balanced accuracy'), (m) => m.macro.recall],
    [t('accuracy'), (m) => m.accuracy],
    [t('ROC AUC'), (m) => m.rocAuc ?? NaN],
  ];
  const order = rare ? cols : [cols[2], cols[3], cols[0], cols[1]];
  const rows = SPLITS.filter((s) => evaluation[s]?.metrics).map((s) => [splitWord(s), ...order.map(([, f]) => fmt(f(evaluation[s]!.metrics!), 4))]);
  return table([t('split'), ...order.map(([n]) => n)], rows, 'll-table ll-imbalance-metrics');
}

function costSection(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const r = run.report;
  const field = (id: string, label: string, value: number) => {
    const input = el('vscode-textfield', { attrs: { id, name: id, 'aria-label': label } });
    (input as HTMLElement & { value: string }).value = String(value);
    return el('label', { class: 'll-inline-field' }, `${label} `, input);
  };
  const fpField = field('cost-fp', t('cost of a false positive'), r.costThreshold?.costFP ?? run.settings.costFP ?? 1);
  const fnField = field('cost-fn', t('cost of a false negative'), r.costThreshold?.costFN ?? run.settings.costFN ?? 5);
  const result = el('div', { class: 'll-cost-result' });
  const read = (f: HTMLElement) => Number(String((f.querySelector('vscode-textfield') as HTMLElement & { value?: string }).value ?? '').trim());
  const apply = () => {
    const cfp = read(fpField);
    const cfn = read(fnField);
    if (!(cfp >= 0 && cfn >= 0 && cfp + cfn > 0 && Number.isFinite(cfp + cfn))) {
      replace(result, el('p', { class: 'll-problems', attrs: { role: 'alert' } }, t('Enter two non-negative costs, not both 0.')));
      return;
    }
    const sweeps = Object.fromEntries(SPLITS.map((s) => [s, r.evaluation[s]?.curves?.sweep]));
    const ct = costThreshold(sweeps, cfp, cfn);
    if (!ct) replace(result);
    else replace(result, ...costResult(ctx, run, ct, plotWidth(container, 240, 380)));
  };
  const button = el('vscode-button', { attrs: { id: 'cost-apply', secondary: true }, on: { click: apply } }, t('Find the threshold'));
  apply();
  return el('div', { class: 'll-cost' }, el('h4', null, t('Cost-based threshold')), el('div', { class: 'll-row' }, fpField, fnField, button), result);
}

function costResult(ctx: ViewContext, run: RunRecord, ct: CostThreshold, width: number): HTMLElement[] {
  const r = run.report;
  const shown = (['test', 'validation', 'train'] as const).find((s) => ct.splits[s]) ?? 'train';
  const at = ct.splits[shown];
  const ev = r.evaluation[shown]!;
  const th = Math.min(1, ct.threshold);
  const note = el(
    'p',
    { class: 'll-note', attrs: { 'data-threshold': String(th) } },
    t('Threshold {0}: the lowest total cost c_FP·FP + c_FN·FN on the {1} rows ({2} would be optimal if the probabilities were calibrated). On the {3} rows it costs {4} against {5} at 0.5.', fmt(th, 4), splitWord(ct.chosenOn), fmt(ct.bayes, 4), splitWord(shown), fmt(at.chosen.cost, 6), fmt(at.half.cost, 6)),
  );
  const counts = (p: ThresholdPoint) => [String(p.tn), String(p.fp), String(p.fn), String(p.tp)];
  const confusion = table(
    [t('split'), 'TN', 'FP', 'FN', 'TP', t('cost'), t('cost at 0.5')],
    SPLITS.filter((s) => ct.splits[s]).map((s) => [splitWord(s), ...counts(ct.splits[s].chosen), fmt(ct.splits[s].chosen.cost, 6), fmt(ct.splits[s].half.cost, 6)]),
    'll-table ll-cost-confusion',
  );
  const plots = ev.curves
    ? el('div', { class: 'll-row ll-cost-plots' }, curvePlot(ctx.theme, 'roc', ev.curves.roc.fpr, ev.curves.roc.tpr, at, width), curvePlot(ctx.theme, 'pr', ev.curves.pr.recall, ev.curves.pr.precision, at, width))
    : null;
  const use = ctx.data.readOnly
    ? null
    : el('vscode-button', { attrs: { id: 'cost-use', secondary: true, title: t('Move the Evaluation tab’s threshold (confusion matrix, rates) to this one') }, on: { click: () => ctx.setUi({ threshold: th }) } }, t('Use this threshold'));
  return [note, confusion, ...(plots ? [plots] : []), ...(use ? [use] : [])];
}

/** The ROC (fpr, tpr) or PR (recall, precision) curve with the cost threshold's point and the 0.5 point. */
function curvePlot(theme: Theme, kind: 'roc' | 'pr', xs: number[], ys: number[], at: { chosen: ThresholdPoint; half: ThresholdPoint }, width: number): Element {
  const pt = (p: ThresholdPoint) => (kind === 'roc' ? { x: p.fpr, y: p.tpr } : { x: p.tpr, y: p.precision });
  const marks = [
    { ...pt(at.chosen), label: t('cost threshold') },
    { ...pt(at.half), label: '0.5' },
  ];
  const plot = renderPlot(
    {
      width,
      height: Math.round(width * 0.9),
      x: { label: kind === 'roc' ? t('false positive rate') : t('recall'), domain: [0, 1] },
      y: { label: kind === 'roc' ? t('true positive rate') : t('precision'), domain: [0, 1], grid: true },
      marks: [
        Plot.line(xs.map((x, i) => ({ x, y: ys[i] })), { x: 'x', y: 'y', stroke: classColor(theme, 1), strokeWidth: 2, curve: kind === 'pr' ? 'step-before' : 'linear' }),
        Plot.dot(marks, { x: 'x', y: 'y', r: 5.5, fill: (d: { label: string }) => (d.label === '0.5' ? theme.muted : theme.fg), stroke: theme.bg, title: (d: { label: string }) => d.label }),
        Plot.text(marks, { x: 'x', y: 'y', text: 'label', dx: 8, textAnchor: 'start', fill: theme.fg }),
      ],
    },
    theme,
  );
  return el('figure', { class: `ll-cost-${kind}`, attrs: { 'data-plot': `cost-${kind}` } }, plot);
}

/** Balanced vs no class weights: the other run of the history with otherwise equal settings, or a button that trains it. */
function classWeightSection(ctx: ViewContext, run: RunRecord): HTMLElement {
  const other: TrainSettings['classWeight'] = run.settings.classWeight === 'balanced' ? 'none' : 'balanced';
  const same = (s: TrainSettings) => JSON.stringify({ ...s, classWeight: other }) === JSON.stringify({ ...run.settings, classWeight: other });
  const twin = ctx.data.runs.find((o) => o.id !== run.id && o.settings.classWeight === other && same(o.settings) && o.report.model.kind === 'binary');
  const section = el('div', { class: 'll-class-weights' }, el('h4', null, t('Class weights: balanced vs none')));
  if (!twin) {
    section.append(el('p', { class: 'll-note' }, t('This run uses class weights {0}. Train the same settings with {1} to compare them side by side.', run.settings.classWeight, other)));
    if (!ctx.data.readOnly && !ctx.data.training) {
      section.append(el('vscode-button', { attrs: { id: 'class-weight-compare', secondary: true }, on: { click: () => ctx.post({ type: 'startTraining', settings: { ...run.settings, classWeight: other } }) } }, t('Train with class weights {0}', other)));
    }
    return section;
  }
  const [none, balanced] = run.settings.classWeight === 'none' ? [run, twin] : [twin, run];
  const split = (['test', 'validation', 'train'] as const).find((s) => none.report.evaluation[s]?.metrics && balanced.report.evaluation[s]?.metrics) ?? 'train';
  const metric = (rr: RunRecord, f: (m: NonNullable<SplitEvaluation['metrics']>) => number) => fmt(f(rr.report.evaluation[split]!.metrics!), 4);
  const rows: [string, (m: NonNullable<SplitEvaluation['metrics']>) => number][] = [
    [t('PR AUC'), (m) => m.averagePrecision ?? NaN],
    [t('balanced accuracy'), (m) => m.macro.recall],
    [t('recall of {0}', run.report.model.classes[1]), (m) => m.perClass[1].recall],
    [t('precision of {0}', run.report.model.classes[1]), (m) => m.perClass[1].precision],
    [t('accuracy'), (m) => m.accuracy],
    ['log-loss', (m) => m.logLoss],
  ];
  section.append(
    el('p', { class: 'll-note' }, t('{0} rows, the same split and settings; balanced weights n / (2 · n_k) make each class weigh the same in the loss: recall of the rare class rises, precision falls, and the probabilities are no longer calibrated to the class shares.', splitWord(split))),
    table([t('metric'), t('none ({0})', none.label), t('balanced ({0})', balanced.label)], rows.map(([n, f]) => [n, metric(none, f), metric(balanced, f)]), 'll-table ll-class-weight-table'),
  );
  return section;
}
