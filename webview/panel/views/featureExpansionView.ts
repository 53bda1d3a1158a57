/**
 * The feature-engineering card of the Model tab (and of the HTML report, which renders this panel):
 * what the run derived from its encoded features (log, log1p, bins, polynomial terms), in the order a
 * scikit-learn pipeline applies it, the expanded features with their largest standardized
 * coefficient, the bins' edges, and a refit without the expansion to compare. Nothing when the run
 * has no expansion.
 */
import { describeExpansion } from '../../../src/core/data/featureExpansion';
import type { RunRecord } from '../../../src/protocol/panel';
import type { ViewContext } from '../context';
import { el, table } from '../dom';
import { plotCard } from '../plots';
import { fmt } from '../viewModel/format';
import { t } from '../../l10n';

/** Rows of the features table shown at most (degree 3 can make thousands). */
const MAX_ROWS = 200;

export function featureExpansionView(ctx: ViewContext, run: RunRecord): HTMLElement | null {
  const model = run.report.model;
  const ex = model.expansion;
  if (!ex) return null;
  const steps = ['SimpleImputer(mean)'];
  if (ex.spec.log.length + ex.spec.log1p.length + ex.spec.bins.length > 0) steps.push('log / log1p / bins');
  if (ex.spec.degree > 1) steps.push(`PolynomialFeatures(degree=${ex.spec.degree}${ex.spec.interactionOnly ? ', interaction_only=True' : ''}, include_bias=False)`);
  if (model.preprocessor.standardize) steps.push('StandardScaler');
  steps.push('LogisticRegression');
  const card = plotCard(null, {
    name: 'feature-expansion',
    title: t('Feature engineering'),
    class: 'll-expansion',
    note: t('{0}, fitted on the training rows, as the pipeline {1}. The model is linear in these {2} features; the decision boundary is drawn in the plane of the encoded features with the grid evaluated through the expansion, so it can curve. Predict and the exported scikit-learn script apply the same steps.', describeExpansion(ex), steps.join(' → '), ex.names.length),
  });
  const W = model.coefStandardized;
  const rows = ex.names.slice(0, MAX_ROWS).map((name, j) => {
    const size = Math.max(...W.map((w) => Math.abs(w[j])));
    return [String(j + 1), name, String(termDegree(name)), fmt(size, 4)];
  });
  card.append(table(['#', t('feature'), t('degree'), t('largest |β| (standardized)')], rows, 'll-table ll-expansion-table'));
  if (ex.names.length > MAX_ROWS) card.append(el('p', { class: 'll-note' }, t('First {0} of {1} features; all are in the coefficients table.', MAX_ROWS, ex.names.length)));
  if (ex.spec.bins.length > 0) {
    card.append(
      table(
        [t('binned feature'), t('edges (training range, equal width)')],
        ex.spec.bins.map((b, k) => [b.feature, ex.binEdges[k].map((e) => fmt(e, 4)).join(' | ')]),
        'll-table ll-expansion-bins',
      ),
    );
  }
  if (!ctx.data.readOnly && !ctx.data.training) {
    const plain = { ...run.settings };
    delete plain.expansion;
    card.append(
      el(
        'vscode-button',
        { attrs: { id: 'expansion-refit-plain', secondary: true, title: t('Train the same settings on the encoded features only, to compare the straight boundary') }, on: { click: () => ctx.post({ type: 'startTraining', settings: plain }) } },
        t('Refit without expansion'),
      ),
    );
  }
  return card;
}

/** The degree of an expanded feature from its PolynomialFeatures name ("a^2 b" -> 3). */
function termDegree(name: string): number {
  return name.split(' ').reduce((s, part) => {
    const m = /\^(\d+)$/.exec(part);
    return s + (m ? Number(m[1]) : 1);
  }, 0);
}
