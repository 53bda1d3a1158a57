/**
 * Coefficient table rows (one per feature and output: one output for binary, one per class for
 * multinomial / one-vs-rest, one per label for multilabel) in standardized and original units, and
 * their sorting.
 */
import type { ModelJson } from '../../../src/core/model/model';

export interface CoefRow {
  feature: string;
  /** Feature index in the model. */
  j: number;
  /** Output index (class or label); binary: 0 = the positive class's logit. */
  output: number;
  outputName: string;
  original: number;
  standardized: number;
}

/** Names of the model's outputs: binary → [positive class]; otherwise the classes / labels. */
export function outputNames(model: Pick<ModelJson, 'kind' | 'classes' | 'coef'>): string[] {
  if (model.kind === 'binary') return [model.classes[1] ?? 'positive'];
  return model.coef.map((_, k) => model.classes[k] ?? String(k));
}

export function coefficientRows(model: Pick<ModelJson, 'kind' | 'classes' | 'featureNames' | 'coef' | 'coefStandardized'>): CoefRow[] {
  const names = outputNames(model);
  const rows: CoefRow[] = [];
  model.coef.forEach((row, k) => {
    row.forEach((w, j) => {
      rows.push({ feature: model.featureNames[j], j, output: k, outputName: names[k], original: w, standardized: model.coefStandardized[k]?.[j] ?? NaN });
    });
  });
  return rows;
}

export type CoefSortKey = 'feature' | 'value' | 'abs';

/**
 * Sorted copy: by feature name (locale order), by signed value, or by magnitude, in the chosen
 * units; ties by feature index so the order is stable. NaN values sort last.
 */
export function sortCoefficients(rows: readonly CoefRow[], key: CoefSortKey, descending: boolean, units: 'original' | 'standardized'): CoefRow[] {
  const val = (r: CoefRow) => (key === 'abs' ? Math.abs(r[units]) : r[units]);
  const dir = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (key === 'feature') {
      const c = a.feature.localeCompare(b.feature);
      return (c !== 0 ? c * dir : 0) || a.output - b.output;
    }
    const va = val(a);
    const vb = val(b);
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na || nb) return Number(na) - Number(nb) || a.j - b.j;
    return (va - vb) * dir || a.output - b.output || a.j - b.j;
  });
}
