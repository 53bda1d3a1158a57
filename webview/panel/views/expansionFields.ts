/**
 * The settings form's feature-engineering fields (issue 16 §3): a toggle, the polynomial degree,
 * interactions only, and the log / log1p / bins lists, read into settings.expansion. Kept out of
 * settingsForm.ts so that form only places the group and merges what it reads.
 */
import { expansionProblems, parseBins, type ExpansionSpec } from '../../../src/core/data/featureExpansion';
import type { TrainSettings } from '../../../src/core/run/settings';
import { el } from '../dom';
import { t } from '../../l10n';

export interface ExpansionFields {
  element: HTMLElement;
  /** The spec (undefined when the toggle is off) and the problems of what was typed. */
  read(): { spec: ExpansionSpec | undefined; problems: string[] };
}

const names = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

export function expansionFields(d: Pick<TrainSettings, 'expansion'>): ExpansionFields {
  const e = d.expansion;
  const on = el('vscode-checkbox', { attrs: { id: 'expansion', name: 'expansion', label: t('Expand the features before scaling (fitted on the training rows)') }, props: { checked: !!e } });
  const degree = el(
    'vscode-single-select',
    { attrs: { id: 'polyDegree', name: 'polyDegree' } },
    ...[['1', t('None (degree 1)')], ['2', t('Degree 2')], ['3', t('Degree 3')]].map(([v, label]) => el('vscode-option', { attrs: { value: v, selected: String(e?.degree ?? 2) === v } }, label)),
  );
  const interactions = el('vscode-checkbox', { attrs: { id: 'interactionOnly', name: 'interactionOnly', label: t('Interactions only (products of distinct features, no powers)') }, props: { checked: e?.interactionOnly ?? false } });
  const text = (id: string, value: string, placeholder: string) => {
    const t = el('vscode-textfield', { attrs: { id, name: id, placeholder } });
    (t as HTMLElement & { value: string }).value = value;
    return t;
  };
  const log = text('logFeatures', e?.log.join(', ') ?? '', 'features, comma-separated');
  const log1p = text('log1pFeatures', e?.log1p.join(', ') ?? '', 'features, comma-separated');
  const bins = text('binFeatures', e?.bins.map((b) => `${b.feature}:${b.n}`).join(', ') ?? '', 'feature:bins, e.g. age:5');
  const row = (label: string, control: HTMLElement, help: string) =>
    el('div', { class: 'll-field' }, el('vscode-label', { attrs: { for: control.id } }, label), control, el('span', { class: 'll-help' }, help));
  const element = el(
    'div',
    { class: 'll-form-grid ll-expansion-fields' },
    row(t('Feature expansion'), on, t('As a scikit-learn pipeline: imputer → log / bins → PolynomialFeatures → scaler. The boundary is drawn curved in the original features.')),
    row(t('Polynomial degree'), degree, t('PolynomialFeatures(include_bias=False): names such as x1^2 and x1 x2, in its order.')),
    row(t('Interactions'), interactions, t('PolynomialFeatures(interaction_only=True).')),
    row(t('log'), log, t('Replaced by ln(x); values must be positive.')),
    row(t('log1p'), log1p, t('Replaced by ln(1 + x); values must be above -1.')),
    row(t('Bins'), bins, t('A numeric feature replaced by a one-hot of equal-width bins over its training range.')),
  );
  const value = (node: HTMLElement) => String((node as HTMLElement & { value?: string }).value ?? '');
  const checked = (node: HTMLElement) => (node as HTMLElement & { checked?: boolean }).checked === true;
  return {
    element,
    read() {
      if (!checked(on)) return { spec: undefined, problems: [] };
      const spec: ExpansionSpec = { degree: Number(value(degree) || '1'), interactionOnly: checked(interactions), log: names(value(log)), log1p: names(value(log1p)), bins: parseBins(value(bins)) };
      const problems = expansionProblems(spec);
      if (problems.length === 0 && spec.degree === 1 && spec.log.length + spec.log1p.length + spec.bins.length === 0) problems.push(t('feature expansion is on but adds nothing: choose a degree, log, log1p or bins'));
      return { spec, problems };
    },
  };
}
