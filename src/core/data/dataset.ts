/**
 * The rules from a parsed CSV table to a numeric dataset: typed columns, the target (binary,
 * multiclass or multilabel), the feature selection and its one-hot specs, the classes and
 * missing-value handling. The data plan (dataPlan.ts) applies them once per table and encodes the
 * design matrix; imputation and scaling are fitted later on the training rows only (preprocess.ts).
 */
import { thousandsReason } from './thousands';
import { isMissing, parseNumber, type CsvTable } from './csv';
import { DataError, warning, type Diagnostic } from '../diagnostics';
import { takeInt, takeRows } from './split';
import type { EncodedRows } from './dataPlan';

export type ColumnKind = 'numeric' | 'categorical' | 'constant' | 'id' | 'empty';

export interface ColumnInfo {
  name: string;
  index: number;
  kind: ColumnKind;
  /** Missing cells (missing tokens, and infinite values in a numeric column). */
  missing: number;
  /** Distinct non-missing values; numeric columns stop counting at 10,000 (except id-named ones). */
  distinct: number;
  /** Set when `distinct` stopped at its cap (DISTINCT_CAP): the column has at least that many. */
  distinctCapped?: true;
  /** Categorical: the levels, sorted by code point. */
  levels?: string[];
  min?: number;
  max?: number;
  mean?: number;
  /** How the column was typed, or why it is not usable as a feature, as one clause. */
  reason?: string;
}

export type MissingPolicy = 'impute' | 'drop';

export interface DatasetOptions {
  /** Target column; several names make a multilabel dataset (each column 0/1-like). */
  target: string | string[];
  /** Feature columns; default: every usable column except the target(s). */
  features?: string[];
  /** Default 'impute'. */
  missing?: MissingPolicy;
  /** Default 50: a categorical feature with more levels is excluded with a warning. */
  maxCategories?: number;
  /** Binary: the positive class (default: the second in sorted order). */
  positiveClass?: string;
  fileName?: string;
}

export type FeatureSpec =
  | { kind: 'numeric'; column: string; name: string }
  | { kind: 'onehot'; column: string; level: string; name: string };

export interface Dataset {
  /** Row-major n x d; missing numeric cells are NaN, a missing categorical cell is an all-zero one-hot. */
  X: Float64Array;
  n: number;
  d: number;
  featureNames: string[];
  features: FeatureSpec[];
  task: 'binary' | 'multiclass' | 'multilabel';
  /** The target column(s). */
  targetNames: string[];
  /** Binary/multiclass: class labels in scikit-learn's order (binary: classes[1] is the positive class). Multilabel: the label columns. */
  classes: string[];
  /** Binary/multiclass: class index per row. Multilabel: zeros. */
  y: Int32Array;
  /** Multilabel: n x L row-major 0/1. */
  Y?: Uint8Array;
  /** Source line of each kept row. */
  rowLines: Int32Array;
  /** Rows dropped for a missing target or (policy 'drop') a missing feature value. */
  droppedRows: number;
  /** Missing cells per used feature column, over the rows that have a target. */
  missingCounts: Record<string, number>;
  /** The table's warnings followed by the dataset's own. */
  warnings: Diagnostic[];
}

export const DEFAULT_MAX_CATEGORIES = 50;
/** A numeric target with more distinct values than this looks continuous. */
const MAX_NUMERIC_CLASSES = 20;
/** Distinct numeric values counted per column (id-named columns are counted in full). */
export const DISTINCT_CAP = 10000;
/** Column names taken for the target, in order of preference (case-insensitive, exact). */
/** A text column with more distinct values is free text, never a guessed target. */
const MAX_GUESSED_CLASSES = 50;
const TARGET_NAMES = ['target', 'label', 'class', 'y', 'diagnosis', 'species', 'outcome', 'category', 'survived', 'churn', 'default', 'died'];
/** Names of row-number columns: id, index, PassengerId, customer_id, pandas' "Unnamed: 0". */
const ID_NAME = /^(id|index|idx|rowid|unnamed: ?0)$|[_ -]id$/i;
const CAMEL_ID_NAME = /[a-z](Id|ID)$/;
/** Spellings of the two values of a multilabel column. */
const LABEL_FALSE = new Set(['0', '-1', 'false', 'no', 'n', 'f']);
const LABEL_TRUE = new Set(['1', 'true', 'yes', 'y', 't']);

/** Types every column of the table (see ColumnKind and the reasons given in ColumnInfo.reason). */
export function inferColumns(table: CsvTable, options: { maxCategories?: number } = {}): ColumnInfo[] {
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  return table.header.map((name, index) => {
    const scan = scanNumeric(table.columns[index], table.decimalComma, isIdName(name) ? Infinity : DISTINCT_CAP);
    return scan.firstText < 0
      ? numericColumn(name, index, scan, table.rowLines)
      : textColumn(name, index, table, scan.firstText, maxCategories);
  });
}

/** True for names of row-number columns (id, index, customer_id, PassengerId, ...). */
export function isIdName(name: string): boolean {
  return ID_NAME.test(name) || CAMEL_ID_NAME.test(name);
}

/** Statistics of a column's values as numbers (what numericColumn types a column by). */
export interface NumericStats {
  /** Missing tokens plus infinite values. */
  missing: number;
  infinite: number;
  firstInfinite: number;
  /** Finite values. */
  count: number;
  sum: number;
  min: number;
  max: number;
  allIntegers: boolean;
  distinct: number;
}

interface NumericScan extends NumericStats {
  /** Row of the first cell that is neither missing nor a number; -1 when there is none. */
  firstText: number;
}

/**
 * One pass over a column as numbers; stops at the first cell that is not a number. (fastDataset.ts
 * scanValues computes the same NumericStats row-major over float64 values, all columns in one pass.)
 */
function scanNumeric(cells: string[], decimalComma: boolean, distinctCap: number): NumericScan {
  const s: NumericScan = { firstText: -1, missing: 0, infinite: 0, firstInfinite: -1, count: 0, sum: 0, min: Infinity, max: -Infinity, allIntegers: true, distinct: 0 };
  const seen = new Set<number>();
  for (let i = 0; i < cells.length; i++) {
    const v = parseNumber(cells[i], decimalComma);
    if (v !== v) {
      if (!isMissing(cells[i])) {
        s.firstText = i;
        return s;
      }
      s.missing++;
      continue;
    }
    if (v === Infinity || v === -Infinity) {
      s.missing++;
      if (s.infinite++ === 0) s.firstInfinite = i;
      continue;
    }
    s.count++;
    s.sum += v;
    if (v < s.min) s.min = v;
    if (v > s.max) s.max = v;
    if (s.allIntegers && !Number.isInteger(v)) s.allIntegers = false;
    if (seen.size < distinctCap) seen.add(v);
  }
  s.distinct = seen.size;
  return s;
}

/** Types a column whose every non-missing cell is a number; rowLines locate the first infinite value. */
export function numericColumn(name: string, index: number, s: NumericStats, rowLines: Int32Array): ColumnInfo {
  const base: Pick<ColumnInfo, 'name' | 'index' | 'missing' | 'distinct' | 'distinctCapped'> = { name, index, missing: s.missing, distinct: s.distinct };
  if (!isIdName(name) && s.distinct >= DISTINCT_CAP) base.distinctCapped = true;
  const infiniteNote = s.infinite > 0 ? `; ${s.infinite} infinite value${s.infinite === 1 ? '' : 's'} (first at line ${rowLines[s.firstInfinite]}) count as missing` : '';
  if (s.count === 0) return { ...base, kind: 'empty', reason: `every value is missing${infiniteNote}` };
  if (s.distinct === 1) return { ...base, kind: 'constant', reason: `every value is ${s.min}` };
  if (isIdName(name) && s.allIntegers && s.distinct === s.count) {
    return { ...base, kind: 'id', reason: `looks like a row identifier (${s.distinct} distinct integers)` };
  }
  return { ...base, kind: 'numeric', min: s.min, max: s.max, mean: s.sum / s.count, reason: `numeric${infiniteNote}` };
}

/** Types a column with at least one cell that is not a number (the first is at row firstText). */
function textColumn(name: string, index: number, table: CsvTable, firstText: number, maxCategories: number): ColumnInfo {
  const cells = table.columns[index];
  const counts = new Map<string, number>();
  for (const cell of cells) counts.set(cell, (counts.get(cell) ?? 0) + 1);
  const first = { text: cells[firstText], line: table.rowLines[firstText] };
  return textColumnFromCounts(name, index, counts, first, { nRows: table.nRows, decimalComma: table.decimalComma, maxCategories });
}

/**
 * Types a text column from its distinct raw cell texts and how many cells hold each; `first` is its
 * first cell that is neither missing nor a number, and the source line of that cell.
 */
export function textColumnFromCounts(
  name: string,
  index: number,
  countsIn: Iterable<readonly [string, number]>,
  first: { text: string; line: number },
  table: { nRows: number; decimalComma: boolean; maxCategories: number },
): ColumnInfo {
  const counts = [...countsIn];
  const { nRows, maxCategories } = table;
  const levels = new Set<string>();
  let missing = 0;
  let numbers = 0;
  for (const [cell, k] of counts) {
    if (isMissing(cell)) {
      missing += k;
      continue;
    }
    const v = cell.trim();
    levels.add(v);
    if (!Number.isNaN(parseNumber(v, table.decimalComma))) numbers += k;
  }
  const distinct = levels.size;
  const base = { name, index, missing, distinct };
  const firstText = first.text.trim();
  if (distinct === 1) return { ...base, kind: 'constant', reason: `every value is '${firstText}'` };
  const separated = thousandsReason(counts, nRows - missing, first);
  if (separated) return { ...base, kind: 'id', reason: separated };
  if (distinct > maxCategories && distinct > 0.9 * nRows) {
    return { ...base, kind: 'id', reason: `looks like an identifier (${distinct} distinct values in ${nRows} rows)` };
  }
  const mostlyNumbers = 2 * numbers >= nRows - missing;
  const textNote = mostlyNumbers ? `; '${firstText}' at line ${first.line} is not a number` : '';
  const typed = distinct > maxCategories
    ? `${distinct} distinct text values, more than the ${maxCategories} allowed for a categorical feature`
    : `categorical with ${distinct} levels`;
  return { ...base, kind: 'categorical', levels: [...levels].sort(compareCodePoints), reason: typed + textNote };
}

/** Orders strings by Unicode code point, as Python sorts str. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * Sorts class labels as scikit-learn does: numerically when every label is a number, otherwise by
 * code point. Returns a new array.
 */
export function sortClassLabels(labels: readonly string[]): string[] {
  const values = labels.map((l) => parseNumber(l, false));
  if (values.every(Number.isFinite)) {
    return labels.map((label, i) => ({ label, v: values[i] })).sort((a, b) => a.v - b.v).map((e) => e.label);
  }
  return [...labels].sort(compareCodePoints);
}

/**
 * The likely target, in three passes (case-insensitive names, empty columns passed over):
 * 1. a two-valued column named like a target (target, label, class, y, diagnosis, species, outcome,
 *    category, survived, churn, default, died, in that order): on a Titanic table `survived` beats
 *    the passenger `class`;
 * 2. else any column with one of those names;
 * 3. else the last column that is not identifier-like or free text (more than 50 distinct texts:
 *    a column of names is no target), else the last column.
 */
export function guessTarget(table: Pick<CsvTable, 'header'>, columns: ColumnInfo[]): string {
  const info = new Map(columns.map((c) => [c.name, c]));
  const usable = table.header.filter((h) => info.get(h)?.kind !== 'empty');
  const named = (h: string, wanted: string) => h.toLowerCase() === wanted;
  for (const wanted of TARGET_NAMES) {
    const hit = usable.find((h) => named(h, wanted) && info.get(h)?.distinct === 2);
    if (hit !== undefined) return hit;
  }
  for (const wanted of TARGET_NAMES) {
    const hit = usable.find((h) => named(h, wanted));
    if (hit !== undefined) return hit;
  }
  const textLike = (c: ColumnInfo | undefined) => c?.kind === 'id' || (c?.kind === 'categorical' && c.distinct > MAX_GUESSED_CLASSES);
  const labels = usable.filter((h) => !textLike(info.get(h)));
  return labels[labels.length - 1] ?? usable[usable.length - 1] ?? table.header[table.header.length - 1];
}

/**
 * The target encoder of the general parser's table (finishDataset's `labels`): the classes of a single
 * target over the kept rows, or each label column's 0/1 values.
 */
export function tableTargetEncoder(table: CsvTable, targets: ColumnInfo[], options: DatasetOptions, warnings: Diagnostic[]): TargetEncoder {
  const file = options.fileName;
  return {
    classes: (_positions, rows) => encodeClasses(table, targets[0], rows, options.positiveClass, file, warnings),
    multilabel: (Y, _positions, rows, rowLines) => {
      targets.forEach((t, l) => {
        const { ids, texts } = labelIds(table.columns[t.index], rows);
        encodeLabelColumn(Y, targets.length, l, t.name, ids, texts, rowLines, file);
      });
    },
  };
}

/** What DataPlan.dataset (dataPlan.ts) has worked out before finishDataset. */
export interface DatasetParts {
  /** The table's row count and the source line of each of its data rows. */
  table: { nRows: number; rowLines: Int32Array };
  targets: ColumnInfo[];
  features: FeatureSpec[];
  /** Table rows whose targets are all present (rowsWithTarget). */
  withTarget: Int32Array;
  /** The rows `withTarget`, encoded by the feature specs. */
  encoded: EncodedRows;
}

/**
 * Encodes the target over the kept rows: `positions` index `withTarget`, `rows` are the table rows
 * they stand for (rows[r] = withTarget[positions[r]]).
 */
export interface TargetEncoder {
  /** A single target: its classes in scikit-learn's order and the class index of each kept row. */
  classes(positions: Int32Array, rows: Int32Array): { classes: string[]; y: Int32Array };
  /** Several targets: fills Y (kept rows x targets, row-major 0/1); rowLines are the kept rows' lines. */
  multilabel(Y: Uint8Array, positions: Int32Array, rows: Int32Array, rowLines: Int32Array): void;
}

/**
 * The common end of DataPlan.dataset (dataPlan.ts) on either table: the missing-value policy (dropping rows or
 * noting the imputation), the no-rows error, then the target through `labels`. `warnings` already
 * holds the table's and the feature selection's; the encoding's are added here.
 */
export function finishDataset(parts: DatasetParts, options: DatasetOptions, warnings: Diagnostic[], labels: TargetEncoder): Dataset {
  const { table, targets, features, withTarget, encoded } = parts;
  const file = options.fileName;
  warnings.push(...encoded.warnings);
  // Every table row with a target: withTarget is 0..n-1 itself, and serves as the positions too.
  const allRows = withTarget.length === table.nRows;
  let positions = allRows ? withTarget : identity(withTarget.length);
  let rows = withTarget;
  let X = encoded.X;
  if ((options.missing ?? 'impute') === 'drop') {
    positions = dropMissing(encoded.rowHasMissing, withTarget, table.rowLines, file, warnings);
    X = takeRows(X, features.length, positions);
    rows = takeInt(withTarget, positions);
  } else {
    noteImputation(encoded.missingByColumn, file, warnings);
  }
  if (rows.length === 0) {
    throw new DataError({ code: 'dataset.no-rows', message: 'no rows are left after dropping rows with missing values', file });
  }

  const targetNames = targets.map((t) => t.name);
  // The table's own line numbers when every row is kept (neither is ever written to): no copy.
  const rowLines = rows.length === table.nRows ? table.rowLines : takeInt(table.rowLines, rows);
  const base = {
    X,
    n: rows.length,
    d: features.length,
    featureNames: features.map((f) => f.name),
    features,
    targetNames,
    rowLines,
    droppedRows: table.nRows - rows.length,
    missingCounts: Object.fromEntries(encoded.missingByColumn),
    warnings,
  };
  if (targets.length > 1) {
    if (options.positiveClass !== undefined) warnings.push(warning('target.positive-ignored', `positive class '${options.positiveClass}' is ignored for a multilabel target`, { file }));
    const Y = new Uint8Array(rows.length * targets.length);
    labels.multilabel(Y, positions, rows, rowLines);
    return { ...base, task: 'multilabel', classes: targetNames, y: new Int32Array(rows.length), Y };
  }
  const { classes, y } = labels.classes(positions, rows);
  return { ...base, task: classes.length === 2 ? 'binary' : 'multiclass', classes, y };
}

/** 0, 1, ..., n - 1. */
function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * The target columns and the feature specs of a table with these typed columns (DataPlan.fit's
 * decision); each excluded column is warned about in `warnings`.
 */
export function planDataset(header: string[], columns: ColumnInfo[], options: DatasetOptions, warnings: Diagnostic[]): { targets: ColumnInfo[]; features: FeatureSpec[] } {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const targets = resolveTargets(options.target, byName, header, options.fileName);
  const features = featureSpecs(selectFeatures(header, byName, targets, options, warnings));
  return { targets, features };
}

/** The target columns, checked to exist and to be usable as labels. */
function resolveTargets(target: string | string[], byName: Map<string, ColumnInfo>, header: string[], file: string | undefined): ColumnInfo[] {
  const names = [...new Set(typeof target === 'string' ? [target] : target)];
  if (names.length === 0) throw new DataError({ code: 'target.none', message: 'no target column was given', file });
  return names.map((name) => {
    const info = byName.get(name);
    if (!info) throw unknownColumn(name, header, file, 'target');
    if (info.kind === 'empty') throw new DataError({ code: 'target.empty', message: `target '${name}' has no values`, file });
    if (info.kind === 'id') throw new DataError({ code: 'target.id', message: `target '${name}' ${info.reason}, not class labels`, file });
    return info;
  });
}

function unknownColumn(name: string, header: string[], file: string | undefined, role: string): DataError {
  const shown = header.slice(0, 12).map((h) => `'${h}'`).join(', ');
  const more = header.length > 12 ? ', ...' : '';
  return new DataError({ code: 'dataset.unknown-column', message: `there is no column '${name}' for the ${role} (columns: ${shown}${more})`, file });
}

/** The feature columns: requested (or all) minus the targets and unusable columns, each exclusion warned about. */
function selectFeatures(header: string[], byName: Map<string, ColumnInfo>, targets: ColumnInfo[], options: DatasetOptions, warnings: Diagnostic[]): ColumnInfo[] {
  const file = options.fileName;
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const targetNames = new Set(targets.map((t) => t.name));
  const requested = options.features !== undefined ? [...new Set(options.features)] : undefined;
  const chosen: ColumnInfo[] = [];
  for (const name of requested ?? header) {
    const info = byName.get(name);
    if (!info) throw unknownColumn(name, header, file, 'features');
    if (targetNames.has(name)) {
      if (requested) warnings.push(warning('feature.is-target', `column '${name}' is the target, so it is not used as a feature`, { file }));
      continue;
    }
    const why = exclusionReason(info, maxCategories);
    if (why) {
      warnings.push(warning('feature.excluded', `column '${name}' is not used as a feature: ${why}`, { file }));
      continue;
    }
    chosen.push(info);
  }
  if (chosen.length === 0) {
    // A failed run prints no list of warnings: the one line says why each column was left out.
    const why = warnings.filter((w) => w.code === 'feature.excluded' || w.code === 'feature.is-target').map((w) => w.message);
    throw new DataError({ code: 'dataset.no-features', message: `no usable feature columns remain${why.length > 0 ? `: ${why.join('; ')}` : ''}`, file });
  }
  return chosen;
}

/** Why a column cannot be a feature, or undefined when it can. */
function exclusionReason(info: ColumnInfo, maxCategories: number): string | undefined {
  if (info.kind === 'empty' || info.kind === 'constant' || info.kind === 'id') return info.reason;
  if (info.kind === 'categorical' && info.distinct > maxCategories) {
    return `it has ${info.distinct} distinct values, more than maxCategories (${maxCategories})`;
  }
  return undefined;
}

/** One numeric feature per numeric column, one indicator per level of a categorical column. */
function featureSpecs(columns: ColumnInfo[]): FeatureSpec[] {
  const specs: FeatureSpec[] = [];
  for (const c of columns) {
    if (c.kind === 'categorical') {
      for (const level of c.levels ?? []) specs.push({ kind: 'onehot', column: c.name, level, name: `${c.name}=${level}` });
    } else {
      specs.push({ kind: 'numeric', column: c.name, name: c.name });
    }
  }
  return specs;
}

/**
 * Rows whose target cells are all present (missingAt[t](row) tells whether target t's cell is
 * missing); the others are counted in a warning.
 */
export function rowsWithTarget(targets: ColumnInfo[], missingAt: ((row: number) => boolean)[], rowLines: Int32Array, file: string | undefined, warnings: Diagnostic[]): Int32Array {
  const nRows = rowLines.length;
  const rows = new Int32Array(nRows);
  let n = 0;
  let first = -1;
  const single = missingAt.length === 1 ? missingAt[0] : null;
  for (let i = 0; i < nRows; i++) {
    let missing = false;
    if (single !== null) missing = single(i);
    else {
      for (let t = 0; t < missingAt.length && !missing; t++) missing = missingAt[t](i);
    }
    if (!missing) rows[n++] = i;
    else if (first < 0) first = i;
  }
  const dropped = nRows - n;
  if (dropped > 0) {
    const what = targets.length === 1 ? `target '${targets[0].name}' is` : 'targets are';
    warnings.push(warning('target.missing', `${plural(dropped, 'row')} whose ${what} missing ${dropped === 1 ? 'was' : 'were'} dropped`, { file, line: rowLines[first] }));
  }
  return n === nRows ? rows : rows.slice(0, n);
}

/** Positions (into the encoded rows) of rows without a missing feature value; warns about the rest. */
function dropMissing(rowHasMissing: Uint8Array, rows: Int32Array, rowLines: Int32Array, file: string | undefined, warnings: Diagnostic[]): Int32Array {
  const keep = new Int32Array(rowHasMissing.length);
  let n = 0;
  let first = -1;
  for (let r = 0; r < rowHasMissing.length; r++) {
    if (!rowHasMissing[r]) keep[n++] = r;
    else if (first < 0) first = r;
  }
  const dropped = rowHasMissing.length - n;
  if (dropped > 0) {
    warnings.push(warning('dataset.dropped-missing', `${plural(dropped, 'row')} with missing feature values ${dropped === 1 ? 'was' : 'were'} dropped (missing policy 'drop')`, { file, line: rowLines[rows[first]] }));
  }
  return keep.slice(0, n);
}

/** An info note listing the columns whose missing values will be imputed. */
function noteImputation(missingByColumn: Map<string, number>, file: string | undefined, warnings: Diagnostic[]): void {
  const parts = [...missingByColumn].filter(([, k]) => k > 0).map(([name, k]) => `'${name}' (${k})`);
  if (parts.length === 0) return;
  warnings.push({
    severity: 'info',
    code: 'dataset.impute',
    message: `missing values in ${parts.join(', ')} are imputed with the training mean (numeric) or an all-zero one-hot (categorical)`,
    file,
  });
}

/** Class labels of a single target in scikit-learn's order, and the class index of each row. */
function encodeClasses(
  table: CsvTable,
  target: ColumnInfo,
  rows: Int32Array,
  positiveClass: string | undefined,
  file: string | undefined,
  warnings: Diagnostic[],
): { classes: string[]; y: Int32Array } {
  const cells = table.columns[target.index];
  const raw = new Set<string>();
  for (const r of rows) raw.add(cells[r].trim());
  const { classes, classOf } = classesOf([...raw], target.name, table.decimalComma, positiveClass, file, warnings);
  const y = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) y[r] = classOf.get(cells[rows[r]].trim())!;
  return { classes, y };
}

/**
 * A single target's classes in scikit-learn's order (the positive class second when given) from its
 * distinct trimmed label texts, in order of first appearance, and the class index of each text.
 */
export function classesOf(
  raw: string[],
  name: string,
  decimalComma: boolean,
  positiveClass: string | undefined,
  file: string | undefined,
  warnings: Diagnostic[],
): { classes: string[]; classOf: Map<string, number> } {
  const labels = canonicalLabels(raw, name, decimalComma, file);
  let classes = sortClassLabels([...new Set(labels.values())]);
  if (classes.length < 2) {
    throw new DataError({ code: 'target.one-class', message: `target '${name}' has only one class ('${classes[0]}'); logistic regression needs at least two`, file });
  }
  if (positiveClass !== undefined) classes = withPositiveClass(classes, positiveClass, name, decimalComma, file, warnings);
  const index = new Map(classes.map((c, k) => [c, k]));
  return { classes, classOf: new Map(raw.map((s) => [s, index.get(labels.get(s)!)!])) };
}

/**
 * Maps each raw label to its class name: numbers are written canonically ("1.0" and "+1" are "1")
 * when every label is a number, and must then look like class labels (integers, at most 20 values).
 */
function canonicalLabels(raw: string[], name: string, decimalComma: boolean, file: string | undefined): Map<string, string> {
  const values = raw.map((s) => parseNumber(s, decimalComma));
  if (!values.every(Number.isFinite)) return new Map(raw.map((s) => [s, s]));
  const distinct = new Set(values).size;
  const fraction = values.find((v) => !Number.isInteger(v));
  if (distinct > MAX_NUMERIC_CLASSES || fraction !== undefined) {
    const detail = distinct > MAX_NUMERIC_CLASSES ? `${distinct} distinct values` : `non-integer values such as ${fraction}`;
    throw new DataError({ code: 'target.continuous', message: `target '${name}' looks continuous (${detail}); logistic regression needs class labels`, file });
  }
  return new Map(raw.map((s, i) => [s, String(values[i])]));
}

/** Binary: reorders the two classes so the positive one comes second. */
function withPositiveClass(classes: string[], positiveClass: string, name: string, decimalComma: boolean, file: string | undefined, warnings: Diagnostic[]): string[] {
  if (classes.length !== 2) {
    warnings.push(warning('target.positive-ignored', `positive class '${positiveClass}' is ignored because target '${name}' has ${classes.length} classes`, { file }));
    return classes;
  }
  const asNumber = parseNumber(positiveClass, decimalComma);
  const wanted = Number.isFinite(asNumber) && classes.every((c) => Number.isFinite(parseNumber(c, false))) ? String(asNumber) : positiveClass.trim();
  const k = classes.indexOf(wanted);
  if (k < 0) {
    throw new DataError({ code: 'target.positive-class', message: `positive class '${positiveClass}' is not a value of target '${name}' (classes: ${classes.map((c) => `'${c}'`).join(', ')})`, file });
  }
  return k === 1 ? classes : [classes[1], classes[0]];
}

/** Label ids of cells[rows[r]]: texts[ids[r]] is the cell, each distinct text once. */
function labelIds(cells: string[], rows: Int32Array): { ids: Int32Array; texts: string[] } {
  const byText = new Map<string, number>();
  const texts: string[] = [];
  const ids = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const cell = cells[rows[r]];
    let id = byText.get(cell);
    if (id === undefined) byText.set(cell, (id = texts.push(cell) - 1));
    ids[r] = id;
  }
  return { ids, texts };
}

/**
 * Column l of the n x L 0/1 matrix Y of a multilabel target, from each row's label id (texts[ids[r]]
 * is row r's cell, at line lines[r]); the column must hold two 0/1-like values.
 */
export function encodeLabelColumn(Y: Uint8Array, L: number, l: number, name: string, ids: Int32Array, texts: readonly string[], lines: Int32Array, file: string | undefined): void {
  const bits = texts.map(binaryLabel);
  const seen = [false, false];
  for (let r = 0; r < ids.length; r++) {
    const v = bits[ids[r]];
    if (v < 0) {
      const line = lines[r];
      throw new DataError({ code: 'target.not-binary', message: `label column '${name}' must hold 0/1 values (or true/false, yes/no), but line ${line} has '${texts[ids[r]].trim()}'`, file, line });
    }
    Y[r * L + l] = v;
    seen[v] = true;
  }
  if (!seen[0] || !seen[1]) {
    throw new DataError({ code: 'target.one-class', message: `label column '${name}' is always ${seen[1] ? 1 : 0}; each label needs both values`, file });
  }
}

/** 1 or 0 for a 0/1-like cell ("1", "1.0", "true", "yes", "-1", "no", ...), -1 otherwise. */
export function binaryLabel(cell: string): number {
  const t = cell.trim().toLowerCase();
  const v = parseNumber(t, false);
  const key = Number.isFinite(v) ? String(v) : t;
  if (LABEL_TRUE.has(key)) return 1;
  if (LABEL_FALSE.has(key)) return 0;
  return -1;
}

export function plural(k: number, noun: string): string {
  return `${k} ${noun}${k === 1 ? '' : 's'}`;
}
