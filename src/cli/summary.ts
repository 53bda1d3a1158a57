/** The human-readable summary `logit-lab train` prints: data, settings, convergence, metrics, coefficients. */
import { describeExpansion } from '../core/data/featureExpansion';
import { RARE_SHARE } from '../core/evaluate/imbalance';
import { formatDiagnostic } from '../core/diagnostics';
import { timingPhases, timingText, type TrainReport } from '../core/report/report';
import { inferenceLines } from './inferenceSummary';

const DELIMITERS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return v.toFixed(digits);
}

export function table(rows: string[][], alignRight: boolean[]): string[] {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => '  ' + r.map((c, j) => (alignRight[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd());
}

export function modelDescription(report: TrainReport): string {
  const m = report.model;
  const s = m.settings;
  const kind = {
    binary: 'binary logistic (sigmoid)',
    multinomial: `multinomial softmax (${m.classes.length} classes)`,
    ovr: `one-vs-rest logistic (${m.classes.length} classes)`,
    multilabel: `multilabel, independent sigmoids (${m.classes.length} labels)`,
  }[m.kind];
  const pen =
    s.penalty === 'none'
      ? 'no penalty'
      : `${s.penalty === 'elasticnet' ? `elastic net (l1 ratio ${s.l1Ratio})` : s.penalty.toUpperCase()} penalty, C = ${fmt(s.C)} (lambda = ${fmt(s.lambda)})`;
  const weights = s.classWeight === 'balanced' ? ', balanced class weights' : '';
  return `${kind}, ${pen}${weights}, solver ${s.solver}${['gd', 'sgd', 'minibatch'].includes(s.solver) ? ` (${s.optimizer})` : ''}`;
}

/** Features listed by name in the summary; wider data is summarized. */
const SUMMARY_FEATURES = 40;

function listed(names: string[]): string {
  if (names.length <= SUMMARY_FEATURES) return names.join(', ');
  return `${names.slice(0, SUMMARY_FEATURES).join(', ')}, … (${(names.length - SUMMARY_FEATURES).toLocaleString('en-US')} more)`;
}

/** Indices of the `max` features with the largest standardized coefficient (any output), in feature order. */
function strongest(coefStd: number[][], d: number, max: number): number[] {
  const all = Array.from({ length: d }, (_, j) => j);
  if (d <= max) return all;
  const size = (j: number) => Math.max(...coefStd.map((row) => Math.abs(row[j])));
  return all.sort((a, b) => size(b) - size(a)).slice(0, max).sort((a, b) => a - b);
}

/**
 * A binary run: when the positive class is rare (< 10 % of the training rows), PR AUC and balanced
 * accuracy first; with costs, the cost-optimal threshold and the confusion counts at it and at 0.5.
 */
function imbalanceLines(report: TrainReport): string[] {
  if (report.model.kind !== 'binary') return [];
  const out: string[] = [];
  // The share of positives where the rows are as sampled (test, else validation; training rows may be oversampled).
  const held = report.evaluation.test ?? report.evaluation.validation ?? report.evaluation.train;
  const pos = held?.metrics?.perClass[1]?.support;
  const share = pos !== undefined && held ? pos / held.n : NaN;
  if (report.model.settings.oversample) out.push('', `Oversampled: ${report.data.nTrain} training rows after random oversampling to equal classes (seed ${report.model.settings.seed}); validation and test rows as sampled`);
  if (share < RARE_SHARE) {
    const splits = (['train', 'validation', 'test'] as const).filter((s) => report.evaluation[s]?.metrics);
    out.push('', `Imbalanced: ${(100 * share).toFixed(1)} % of the ${held!.split} rows are ${report.model.classes[1]}; accuracy alone misleads, read these first:`);
    out.push(...table([['split', 'PR AUC', 'balanced accuracy', 'recall', 'precision'], ...splits.map((s) => {
      const m = report.evaluation[s]!.metrics!;
      return [s, fmt(m.averagePrecision), fmt(m.macro.recall), fmt(m.perClass[1].recall), fmt(m.perClass[1].precision)];
    })], [false, true, true, true, true]));
  }
  const ct = report.costThreshold;
  if (ct) {
    out.push('', `Cost threshold: FP costs ${ct.costFP}, FN costs ${ct.costFN}; threshold ${fmt(ct.threshold)} (minimum cost on the ${ct.chosenOn} rows; ${fmt(ct.bayes)} for calibrated probabilities), now the model's`);
    const rows = Object.entries(ct.splits).map(([s, v]) => [s, `${v.chosen.tn} ${v.chosen.fp} ${v.chosen.fn} ${v.chosen.tp}`, String(v.chosen.cost), `${v.half.tn} ${v.half.fp} ${v.half.fn} ${v.half.tp}`, String(v.half.cost)]);
    out.push(...table([['split', 'TN FP FN TP at it', 'cost', 'at 0.5', 'cost'], ...rows], [false, true, true, true, true]));
  }
  return out;
}

/** The perceptron beside the logistic model (--perceptron): accuracy per split, and why it has no ROC curve. */
function perceptronLines(report: TrainReport): string[] {
  const p = report.perceptron;
  if (!p) return [];
  const splits = (['train', 'validation', 'test'] as const).filter((s) => p.splits[s]);
  const acc = (s: (typeof splits)[number]) => `${s} ${fmt(p.splits[s]!.accuracy)} (logistic ${fmt(report.evaluation[s]?.metrics?.accuracy)})`;
  const out = ['', `Perceptron (scikit-learn Perceptron, shuffle=False, same split): ${p.nIter} epochs${p.converged ? '' : ', stopped at 1000 without meeting tol'}`];
  out.push(`  accuracy  ${splits.map(acc).join(', ')}`);
  const last = splits[splits.length - 1];
  const roc = last ? p.splits[last]!.rocPoint : undefined;
  out.push(`  no probabilities: ${roc ? `its ROC is one point (${last}: FPR ${fmt(roc.fpr)}, TPR ${fmt(roc.tpr)}), ` : ''}no log-loss, no calibration`);
  return out;
}

export function formatSummary(report: TrainReport): string {
  const { data, model, convergence: c } = report;
  const lines: string[] = [];
  const balance = data.classes.map((k, i) => `${k} ${data.classCounts[i]}`).join(', ');
  lines.push(`Data      ${data.fileName}: ${data.nRows} rows x ${data.nColumns} columns (${DELIMITERS[data.delimiter] ?? data.delimiter}-separated, ${data.encoding.toUpperCase()})`);
  lines.push(`Target    ${data.target.join(', ')} (${data.classes.length} ${model.kind === 'multilabel' ? 'labels' : 'classes'}: ${balance})`);
  if (data.droppedRows > 0) lines.push(`Dropped   ${data.droppedRows} rows with missing values`);
  const nMissing = Object.values(data.missingCounts).reduce((a, b) => a + b, 0);
  if (nMissing > 0 && data.missingPolicy === 'impute') lines.push(`Missing   ${nMissing} feature cells imputed with training means`);
  lines.push(`Features  ${model.featureNames.length}${model.preprocessor.standardize ? ' (standardized)' : ' (raw units)'}: ${listed(model.featureNames)}`);
  if (model.expansion) lines.push(`Expanded  ${describeExpansion(model.expansion)} (fitted on the training rows)`);
  const how = report.stream ? 'a seeded hash of the row number' : 'stratified';
  lines.push(`Split     train ${data.nTrain}, validation ${data.nValidation}, test ${data.nTest} (${how}, seed ${model.settings.seed})`);
  lines.push(`Model     ${modelDescription(report)}`);
  if (c.solverReason && !report.stream) lines.push(`Solver    ${c.solverReason}`);
  const epochs = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;
  const status = report.stream
    ? c.stopReason === 'diverged'
      ? `diverged in epoch ${c.iterations}`
      : c.stopReason === 'early-stopped'
        ? `stopped early after ${epochs(c.iterations)} of ${report.stream.epochs} (validation loss)`
        : `ran ${epochs(c.iterations)} of streaming mini-batch SGD`
    : c.converged
      ? `converged in ${c.iterations} iterations`
      : `stopped after ${c.iterations} iterations (${c.stopReason})`;
  lines.push(`Fit       ${status}, projected gradient ${fmt(c.gradientNorm)}, objective ${fmt(c.objective, 6)} (scikit-learn C-sum form), ${report.timings.fitMs.toFixed(0)} ms`);
  lines.push(`Time      ${timingText(report.timings)} (total ${timingPhases(report.timings).totalMs.toFixed(0)} ms)`);
  lines.push('');
  lines.push('Metrics');
  const rows: string[][] = [['split', 'n', 'accuracy', 'log-loss', 'ROC AUC', 'macro F1', 'ECE']];
  for (const s of ['train', 'validation', 'test'] as const) {
    const ev = report.evaluation[s];
    if (!ev) continue;
    if (ev.metrics) {
      const m = ev.metrics;
      rows.push([s, String(ev.n), fmt(m.accuracy), fmt(m.logLoss), fmt(m.rocAuc), fmt(m.macro.f1), fmt(m.ece)]);
    } else if (ev.multilabel) {
      const m = ev.multilabel;
      const ll = m.perLabel.reduce((a, p) => a + p.logLoss, 0) / m.perLabel.length;
      rows.push([s, String(ev.n), fmt(m.subsetAccuracy), fmt(ll), '—', fmt(m.macro.f1), '—']);
    }
  }
  lines.push(...table(rows, [false, true, true, true, true, true, true]));
  lines.push(...imbalanceLines(report));
  lines.push(...perceptronLines(report));
  lines.push('');
  lines.push('Coefficients (original units; standardized in brackets)');
  const head = ['feature', ...(model.coef.length === 1 ? [model.kind === 'binary' ? `P(${model.classes[1]})` : model.classes[0]] : model.classes)];
  const coefRows: string[][] = [head];
  // Wide data: the SUMMARY_FEATURES largest standardized coefficients (all of them are in --json and --out).
  const shown = strongest(model.coefStandardized, model.featureNames.length, SUMMARY_FEATURES);
  if (shown.length < model.featureNames.length) lines[lines.length - 1] += `: the ${shown.length} largest of ${model.featureNames.length} (all in --json, --out)`;
  for (const j of shown) coefRows.push([model.featureNames[j], ...model.coef.map((row, k) => `${fmt(row[j])} [${fmt(model.coefStandardized[k][j])}]`)]);
  coefRows.push(['(intercept)', ...model.intercept.map((b, k) => `${fmt(b)} [${fmt(model.interceptStandardized[k])}]`)]);
  lines.push(...table(coefRows, head.map((_, j) => j > 0)));
  lines.push(...inferenceLines(report.inference, model.kind));
  if (report.warnings.length > 0) {
    lines.push('');
    lines.push('Warnings');
    for (const w of report.warnings) lines.push('  ' + formatDiagnostic(w));
  }
  return lines.join('\n');
}
