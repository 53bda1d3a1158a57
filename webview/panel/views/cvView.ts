/**
 * The Model selection tab: stratified k-fold cross-validation of C on the problem of the shown run
 * (core/run/crossValidate.ts, run by the host in the training worker). The form asks for the folds,
 * the grid of C (a count of log-spaced values or a list), the scoring, the rule (best mean or one
 * standard error) and the penalty; while it runs, a progress bar per fold and grid point and Cancel;
 * then the validation curve (mean ± 1 SD against log10 C, the chosen C marked), the regularization
 * path (coefficients against log10 C: L1 coefficients entering one by one, L2 ones shrinking), the
 * table of scores, and "Use this C", which puts C (and the penalty) in the settings form and trains.
 * The result lives in the run's report, so the HTML report shows this tab too (read-only).
 */
import type { RunRecord } from '../../../src/protocol/panel';
import { logGrid, type CrossValidation, type CvProgress, type CvRequest, type CvRule, type CvScoring } from '../../../src/core/run/crossValidate';
import { el, replace, table } from '../dom';
import type { ViewContext } from '../context';
import { selectControl } from '../elements';
import { Plot, plotCard, plotWidth, renderPlot } from '../plots';
import { classColor } from '../theme';
import { chosenIndex, curvePoints, readCvForm, entryOrder, nonzeroCounts, pathPoints, progressFraction, progressText, SCORING_LABELS, shownScore, type CurvePoint, type PathPoint } from '../viewModel/crossValidation';
import { fmt } from '../viewModel/format';
import { diagnosticsList } from './diagnosticsView';
import { lineLegend } from './lossPlot';
import { t } from '../../l10n';

type CvPenalty = CvRequest['penalty'];

/** The form's values, kept while the panel lives (null penalty: the run's own, L2 for an unpenalized run). */
const form: { folds: string; grid: string; scoring: CvScoring; rule: CvRule; penalty: CvPenalty | null } = { folds: '5', grid: '10', scoring: 'neg_log_loss', rule: 'best', penalty: null };

const SCORING_NAMES: Record<CvScoring, string> = { neg_log_loss: t('log-loss'), accuracy: t('accuracy'), roc_auc: t('ROC AUC') };
const SCORINGS: [CvScoring, string][] = [['neg_log_loss', SCORING_NAMES.neg_log_loss], ['accuracy', SCORING_NAMES.accuracy], ['roc_auc', SCORING_NAMES.roc_auc]];
const RULES: [CvRule, string][] = [['best', t('best mean score')], ['1se', t('one standard error')]];
const PENALTIES: [CvPenalty, string][] = [['l2', t('L2 (shrinks)')], ['l1', t('L1 (selects)')], ['elasticnet', t('elastic net')]];

function runPenalty(run: RunRecord): CvPenalty {
  return form.penalty ?? (run.settings.penalty === 'none' ? 'l2' : run.settings.penalty);
}

function textField(id: string, label: string, value: string, onInput: (v: string) => void, placeholder = ''): HTMLElement {
  const field = el('vscode-textfield', { attrs: { id, 'aria-label': label, placeholder } }) as HTMLElement & { value: string };
  field.value = value;
  field.addEventListener('input', () => onInput(field.value));
  return el('label', { class: 'll-inline-field' }, el('span', null, label), field);
}

/** Updates the running job's bar and line in place (the tab is not rebuilt for every grid point). */
export function updateCvProgress(root: ParentNode, p: CvProgress): void {
  const bar = root.querySelector<HTMLProgressElement>('#cv-progress');
  const line = root.querySelector<HTMLElement>('[data-cv-status]');
  if (bar) bar.value = progressFraction(p);
  if (line) line.textContent = t('Cross-validating: {0}…', progressText(p));
}

function formCard(ctx: ViewContext, run: RunRecord): HTMLElement {
  const d = ctx.data;
  const running = d.crossValidating;
  const mine = running?.runId === run.id;
  const problem = el('p', { class: 'll-problems', attrs: { role: 'alert' } });
  const start = () => {
    const r = readCvForm(form.folds, form.grid, form.scoring, form.rule, runPenalty(run));
    if ('problem' in r) return replace(problem, r.problem);
    replace(problem);
    ctx.post({ type: 'crossValidate', runId: run.id, request: r.request });
  };
  const busy = running !== null || d.training !== null || d.comparing !== null;
  const controls = d.readOnly
    ? []
    : [
        textField('cv-folds', t('Folds'), form.folds, (v) => (form.folds = v)),
        textField('cv-grid', t('Grid of C'), form.grid, (v) => (form.grid = v), t('a count, or 0.01, 0.1, 1')),
        selectControl('cv-scoring', t('Scoring'), SCORINGS, form.scoring, (v) => (form.scoring = v)),
        selectControl('cv-rule', t('Rule'), RULES, form.rule, (v) => {
          form.rule = v;
          ctx.setUi({});
        }),
        selectControl('cv-penalty', t('Penalty'), PENALTIES, runPenalty(run), (v) => (form.penalty = v)),
        mine
          ? el('vscode-button', { attrs: { id: 'cv-cancel', secondary: true }, on: { click: () => ctx.post({ type: 'cancelCrossValidation' }) } }, t('Cancel'))
          : el('vscode-button', { attrs: { id: 'cv-run', icon: 'play', disabled: busy }, on: { click: start } }, run.report.crossValidation ? t('Cross-validate again') : t('Cross-validate')),
      ];
  const s = run.settings;
  const note = t('Stratified {0}-fold cross-validation on this run’s training rows (validation and test rows stay out), as scikit-learn’s LogisticRegressionCV: the same folds as StratifiedKFold, imputation and scaling fitted inside each fold, each C warm-started from the previous one. The grid is a count of values log-spaced over [1e-4, 1e4] or a list. Model, features, solver ({1}), class weights and standardization are this run’s.', form.folds, s.solver);
  const card = plotCard(null, { name: 'cv-form', title: t('Model selection: choose C by cross-validation'), note, controls, class: 'll-cv-form' });
  card.setAttribute('data-view', 'cv-form');
  card.append(problem);
  if (mine) {
    const bar = el('progress', { attrs: { id: 'cv-progress', max: '1', 'aria-label': t('Cross-validation progress') }, props: { value: running.progress ? progressFraction(running.progress) : 0 } });
    card.append(bar, el('p', { class: 'll-note', attrs: { role: 'status', 'aria-live': 'polite', 'data-cv-status': '' } }, running.progress ? t('Cross-validating: {0}…', progressText(running.progress)) : t('Cross-validating: reading the data…')));
  }
  if (d.cvError?.runId === run.id) card.append(diagnosticsList(d.cvError.diagnostics, t('C could not be cross-validated')));
  return card;
}

function curvePlot(ctx: ViewContext, cv: CrossValidation, width: number): Element {
  const pts = curvePoints(cv.result, form.rule);
  const chosen = pts.filter((p) => p.chosen);
  const th = ctx.theme;
  return renderPlot(
    {
      width,
      height: Math.round(Math.max(220, Math.min(380, width * 0.5))),
      marginLeft: 60,
      marginBottom: 40,
      x: { label: t('log₁₀ C (weaker penalty →)'), grid: true },
      y: { label: t('validation {0}', SCORING_LABELS[cv.result.scoring]), grid: true },
      marks: [
        Plot.areaY(pts, { x: 'log10C', y1: 'lo', y2: 'hi', fill: classColor(th, 0), fillOpacity: 0.18 }),
        Plot.line(pts, { x: 'log10C', y: 'mean', stroke: classColor(th, 0), strokeWidth: 2 }),
        Plot.dot(pts, { x: 'log10C', y: 'mean', r: 3, fill: classColor(th, 0), title: (p: CurvePoint) => `C = ${fmt(p.C)}: ${fmt(p.mean)} ± ${fmt(p.hi - p.mean)}` }),
        Plot.ruleX(chosen, { x: 'log10C', stroke: classColor(th, 1), strokeDasharray: '4 3' }),
        Plot.dot(chosen, { x: 'log10C', y: 'mean', r: 6, stroke: classColor(th, 1), strokeWidth: 2, fill: 'none' }),
        Plot.text(chosen, { x: 'log10C', y: 'mean', text: (p: CurvePoint) => `C = ${fmt(p.C, 3)}`, dy: -14, fill: th.fg }),
      ],
    },
    th,
  );
}

function pathPlot(ctx: ViewContext, cv: CrossValidation, width: number): { plot: Element; legend: HTMLElement } {
  const pts = pathPoints(cv.result);
  const series = [...new Set(pts.map((p) => p.series))];
  const color = (p: PathPoint) => classColor(ctx.theme, series.indexOf(p.series));
  const chosen = cv.result.Cs[chosenIndex(cv.result, form.rule)];
  const plot = renderPlot(
    {
      width,
      height: Math.round(Math.max(220, Math.min(380, width * 0.5))),
      marginLeft: 60,
      marginBottom: 40,
      x: { label: t('log₁₀ C (weaker penalty →)'), grid: true },
      y: { label: t('coefficient (standardized units)'), grid: true },
      marks: [
        Plot.ruleY([0], { stroke: ctx.theme.muted }),
        Plot.ruleX([Math.log10(chosen)], { stroke: classColor(ctx.theme, 1), strokeDasharray: '4 3' }),
        Plot.line(pts, { x: 'log10C', y: 'coef', z: 'series', stroke: color, strokeWidth: 1.8, title: (p: PathPoint) => p.series }),
      ],
    },
    ctx.theme,
  );
  return { plot, legend: lineLegend(series.map((s, k) => ({ label: s, color: classColor(ctx.theme, k) })), t('Coefficients')) };
}

function scoresTable(cv: CrossValidation): HTMLElement {
  const r = cv.result;
  const nz = nonzeroCounts(r);
  const chosen = chosenIndex(r, form.rule);
  const rows = r.Cs.map((C, c) => [
    fmt(C, 4),
    `${fmt(shownScore(r.scoring, r.mean[c]))} ± ${fmt(r.sd[c], 3)}`,
    ...r.scores.map((f) => fmt(shownScore(r.scoring, f[c]))),
    String(nz[c]),
    [c === r.bestIndex ? t('best') : '', c === r.oneSeIndex ? t('1-SE') : '', c === chosen ? t('chosen') : ''].filter(Boolean).join(', '),
  ]);
  const tbl = table(['C', t('mean ± SD'), ...r.scores.map((_, f) => t('fold {0}', f + 1)), t('nonzero'), t('choice')], rows);
  tbl.classList.add('ll-cv-table');
  tbl.setAttribute('aria-label', t('Cross-validation scores per C and fold'));
  rows.forEach((_, c) => tbl.tBodies[0]?.rows[c]?.toggleAttribute('data-chosen', c === chosen));
  return tbl;
}

/** The summary above the validation curve, one whole sentence per rule (args: C, scoring, mean, SE, folds, fold sizes, penalty, best C, one-SE C). */
function chosenSentence(rule: CvRule, args: Array<string | number>): string {
  return rule === 'best'
    ? t('Chosen by the best mean score: C = {0} ({1} {2} ± {3} SE over {4} folds of {5} rows; {6} penalty). Best mean at C = {7}, one-SE choice C = {8}.', ...args)
    : t('Chosen by the one-standard-error rule (the smallest C whose mean is within one standard error of the best): C = {0} ({1} {2} ± {3} SE over {4} folds of {5} rows; {6} penalty). Best mean at C = {7}, one-SE choice C = {8}.', ...args);
}

function resultCards(ctx: ViewContext, cv: CrossValidation, container: HTMLElement): HTMLElement[] {
  const r = cv.result;
  const c = chosenIndex(r, form.rule);
  const C = r.Cs[c];
  const width = plotWidth(container, 280, 900);
  const summary = el(
    'p',
    { class: 'll-cv-summary', attrs: { 'data-chosen-c': String(C) } },
    chosenSentence(form.rule, [fmt(C, 6), SCORING_NAMES[r.scoring], fmt(shownScore(r.scoring, r.mean[c])), fmt(r.se[c], 3), r.folds, r.foldSizes.join(', '), cv.request.penalty.toUpperCase(), fmt(r.Cs[r.bestIndex], 6), fmt(r.Cs[r.oneSeIndex], 6)]),
  );
  const use = ctx.data.readOnly
    ? null
    : el('vscode-button', { attrs: { id: 'cv-use-c', icon: 'check', disabled: ctx.data.training !== null || ctx.data.crossValidating !== null }, on: { click: () => ctx.useC(C, cv.request.penalty) } }, t('Use this C ({0}) and train', fmt(C, 4)));
  const curve = plotCard(curvePlot(ctx, cv, width), {
    name: 'validation-curve',
    title: t('Validation curve'),
    note: t('Mean validation score over the folds (line) ± 1 standard deviation (band) at each C; the circle and dashed line mark the chosen C.'),
    exporter: ctx.exportPlot,
    controls: use ? [use] : [],
    class: 'll-cv-curve',
  });
  curve.insertBefore(summary, curve.querySelector('.ll-plot-box'));
  const { plot, legend } = pathPlot(ctx, cv, width);
  const entries = entryOrder(r);
  const entering = cv.request.penalty === 'l2'
    ? t('With L2 every coefficient is nonzero and shrinks toward 0 as C decreases.')
    : t('As C grows, coefficients enter: {0}.', entries.map((e) => (e.C === null ? t('{0} (never)', e.series) : t('{0} (C = {1})', e.series, fmt(e.C, 3)))).join(', '));
  const path = plotCard(plot, {
    name: 'regularization-path',
    title: t('Regularization path'),
    note: `${t('Coefficients fitted on all {0} cross-validated rows at each C (standardized units when the run standardizes), each fit warm-started from the previous.', r.nRows)} ${entering}`,
    exporter: ctx.exportPlot,
    controls: [legend],
    class: 'll-cv-path',
  });
  path.setAttribute('data-entering', entries.filter((e) => e.C !== null).map((e) => e.series).join('|'));
  const scores = el('section', { class: 'll-card', attrs: { 'data-view': 'cv-scores' } }, el('header', { class: 'll-card-head' }, el('h3', null, t('Scores per C and fold'))), scoresTable(cv));
  return [curve, path, scores];
}

export function cvView(ctx: ViewContext, run: RunRecord, container: HTMLElement): HTMLElement {
  const cv = run.report.crossValidation;
  const root = el('div', { class: 'll-cv', attrs: { 'data-view': 'cv' } });
  if (!ctx.data.readOnly) root.append(formCard(ctx, run));
  else if (!cv) root.append(el('p', { class: 'll-empty' }, t('This run has no cross-validation.')));
  if (cv) root.append(...resultCards(ctx, cv, container));
  else if (!ctx.data.readOnly && ctx.data.crossValidating?.runId !== run.id) {
    root.append(el('p', { class: 'll-note' }, t('Default grid: {0}.', logGrid(10).map((C) => fmt(C, 2)).join(', '))));
  }
  return root;
}
