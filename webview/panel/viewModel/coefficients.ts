/**
 * Coefficient table rows (one per feature and output: one output for binary, one per class for
 * multinomial / one-vs-rest, one per label for multilabel) in standardized and original units, and
 * their sorting.
 */
import type { ModelJson } from '../../../src/core/model/model';
import type { FeatureSpec } from '../../../src/core/data/dataset';

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

/**
 * Where each feature sits in an image, when the features are pixels: names ending in two indices
 * (`pixel_3_5`, `px3x5`, `r3c5`) give row and column; otherwise a square feature count (64, 784)
 * that all look like pixels (`pixel12`, `p12`) is read row by row. Null when the features are not
 * an image. Missing pixels (constant columns dropped before training) simply stay blank.
 */
export function pixelLayout(featureNames: readonly string[]): { rows: number; cols: number; at: [number, number][] } | null {
  if (featureNames.length < 16) return null;
  const two = featureNames.map((n) => /^(?:pixel|px|p|r)?[_ ]?(\d+)[_x ,c-](\d+)$/i.exec(n));
  if (two.every(Boolean)) {
    const at = two.map((m) => [Number(m![1]), Number(m![2])] as [number, number]);
    const rows = Math.max(...at.map((a) => a[0])) + 1;
    const cols = Math.max(...at.map((a) => a[1])) + 1;
    if (rows * cols <= 4 * featureNames.length && rows * cols <= 4096) return { rows, cols, at };
    return null;
  }
  const one = featureNames.map((n) => /^(?:pixel|px|p)[_ ]?(\d+)$/i.exec(n));
  if (!one.every(Boolean)) return null;
  const idx = one.map((m) => Number(m![1]));
  const side = Math.round(Math.sqrt(Math.max(...idx) + 1));
  if (side * side < Math.max(...idx) + 1 || side * side > 4096) return null;
  return { rows: side, cols: side, at: idx.map((i) => [Math.floor(i / side), i % side]) };
}

/** Whether exp(coefficient) reads as an odds ratio: binary, one-vs-rest and multilabel outputs (not multinomial). */
export function hasOddsRatios(model: Pick<ModelJson, 'kind'>): boolean {
  return model.kind === 'binary' || model.kind === 'ovr' || model.kind === 'multilabel';
}

/**
 * Keeps one-hot levels of a variable together: each variable takes the place of its first row in
 * `rows` (the sorted order), its other levels follow it in their sorted order. Per output, so a
 * multiclass table keeps its classes apart.
 */
export function groupOneHot(rows: readonly CoefRow[], features: readonly FeatureSpec[]): CoefRow[] {
  const key = (r: CoefRow) => {
    const f = features[r.j];
    return f && f.kind === 'onehot' ? `${r.output}\u0000${f.column}` : null;
  };
  const groups = new Map<string, CoefRow[]>();
  for (const r of rows) {
    const k = key(r);
    if (k !== null) groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const out: CoefRow[] = [];
  const done = new Set<string>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) out.push(r);
    else if (!done.has(k)) {
      done.add(k);
      out.push(...groups.get(k)!);
    }
  }
  return out;
}
