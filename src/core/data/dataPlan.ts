/**
 * The data plan: every decision that turns a parsed CSV into a design matrix, made once.
 *
 * `DataPlan.fit(table, options)` types the columns (inferColumns on a CsvTable, inferFastColumns on a
 * FastTable: the same types), resolves the target(s) and the feature columns (planDataset), and
 * fixes the encoding: one numeric feature per numeric column, one indicator per categorical level,
 * and the missing-value policy (imputation means and scaling are fitted later on the training rows
 * only, preprocess.ts). `plan.encode(source, rows)` then writes the rows' design matrix from any
 * column source (columnSource.ts): the general parser's CsvTable, the fast parser's FastTable, a
 * streamed block, or a new file at prediction time. Nothing else turns columns into features.
 *
 * A plan is stored in the model JSON as the model's `features` (and `featureNames`), exactly as
 * before it existed: `DataPlan.fromModel(model)` is the plan a saved model predicts with.
 *
 * Classes are the target's business: the in-memory runs take them from the rows kept after the
 * missing-value policy (finishDataset), streaming from the sample (streaming.ts planStream).
 */
import { isMissing, parseNumber, type CsvTable } from './csv';
import { DataError, warning, type Diagnostic } from '../diagnostics';
import { cellText, codeLevels, codeNumbers, columnSource, isFastTable, CODE_INFINITE, MISSING_POS, UNKNOWN_POS, type ColumnAccess, type ColumnSource } from './columnSource';
import {
  DEFAULT_MAX_CATEGORIES,
  finishDataset,
  inferColumns,
  planDataset,
  rowsWithTarget,
  tableTargetEncoder,
  type ColumnInfo,
  type Dataset,
  type DatasetOptions,
  type FeatureSpec,
  type MissingPolicy,
} from './dataset';
import { fastTargetEncoder, inferFastColumns, missingCells } from './fastDataset';
import type { FastTable } from './fastCsv';

/** What a plan stores in the model JSON (the model's own fields, unchanged). */
export interface DataPlanJson {
  features: FeatureSpec[];
  featureNames: string[];
}

/** Feature rows encoded by a plan. */
export interface EncodedRows {
  X: Float64Array;
  /** Per encoded row: 1 when any feature cell is missing (or unusable). */
  rowHasMissing: Uint8Array;
  /** Missing cells per feature column. */
  missingByColumn: Map<string, number>;
  /** Per feature column (in order of first use): what the encoding ran into. */
  groups: ColumnGroup[];
  warnings: Diagnostic[];
}

export interface EncodeOptions {
  /** For messages. */
  file?: string;
  /** Default: the source's. */
  decimalComma?: boolean;
  /**
   * A FastTable whose features are all numeric: write X inside its values buffer (row-major
   * compaction, no second matrix). The table's values are meaningless afterwards.
   */
  consumeValues?: Float64Array;
  /** The source's numeric feature columns have no missing or infinite cell (no per-value test). */
  clean?: boolean;
}

/**
 * The features of one CSV column: its name and index in the header (-1 when absent), the position of
 * its numeric feature (-1 if none) and of each one-hot level, and what encoding it ran into.
 */
export interface ColumnGroup {
  name: string;
  j: number;
  numeric: number;
  levels: Map<string, number>;
  issues: CellIssues;
}

/**
 * Counts from encoding one column (row positions are into the encoded rows; -1 when none): missing
 * cells (missing tokens, infinite values and unusable cells), infinite values, and unusable cells (a
 * text in a numeric column, a level the plan does not know).
 */
export interface CellIssues {
  missing: number;
  infinite: number;
  firstInfinite: number;
  bad: number;
  firstBad: number;
}

export class DataPlan {
  private constructor(
    /** The encoding: one spec per design-matrix column. */
    readonly features: FeatureSpec[],
    /** The typed columns of the table the plan was fitted on (empty for a saved model's plan). */
    readonly columns: ColumnInfo[],
    /** The target column(s) (empty for a saved model's plan). */
    readonly targets: ColumnInfo[],
    readonly missing: MissingPolicy,
    /** The table's warnings, then the feature selection's (excluded columns). */
    readonly warnings: readonly Diagnostic[],
  ) {}

  /**
   * Decides the plan on a table (or a streamed sample): column types (`columns` when already typed
   * with the same maxCategories), target(s), features. Throws DataError as buildDataset does.
   */
  static fit(table: CsvTable | FastTable, options: DatasetOptions, columns?: ColumnInfo[]): DataPlan {
    const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
    const typed = columns ?? (isFastTable(table) ? inferFastColumns(table, { maxCategories }) : inferColumns(table, { maxCategories }));
    const warnings: Diagnostic[] = [...table.warnings];
    const { targets, features } = planDataset(table.header, typed, options, warnings);
    return new DataPlan(features, typed, targets, options.missing ?? 'impute', warnings);
  }

  /** The plan a saved model encodes new rows with. */
  static fromModel(model: { features: FeatureSpec[] }): DataPlan {
    return new DataPlan(model.features, [], [], 'impute', []);
  }

  /** The model JSON's fields for the plan. */
  toJSON(): DataPlanJson {
    return { features: this.features, featureNames: this.features.map((f) => f.name) };
  }

  get d(): number {
    return this.features.length;
  }

  /**
   * Whether `source` can encode the features exactly as the general parser's table would: false when
   * a one-hot feature's column is stored as float64 numbers (the FastTable keeps no texts to match
   * the levels by). The fast path checks this and takes the general parser's table instead.
   */
  encodes(source: ColumnSource): boolean {
    return groupByColumn(this.features, source.header).every((g) => g.j < 0 || g.numeric >= 0 || source.column(g.j).kind !== 'number');
  }

  /**
   * Encodes source rows `rows`: numbers parsed (NaN when missing or not a finite number), one-hot
   * indicators per level (all zeros when missing or an unknown level). Warns, per column, about cells
   * that are not finite numbers and about unknown levels; `groups` says where each was (streaming
   * makes errors of them). A column the plan needs but the source lacks is a DataError.
   */
  encode(source: ColumnSource, rows: Int32Array, options: EncodeOptions = {}): EncodedRows {
    const d = this.features.length;
    const groups = groupByColumn(this.features, source.header);
    const absent = groups.find((g) => g.j < 0);
    if (absent) {
      throw new DataError({ code: 'predict.missing-column', message: `column '${absent.name}' used by the model is missing from the file`, file: options.file });
    }
    const columns = groups.map((g) => source.column(g.j));
    const numbers = groups.filter((g, k) => g.numeric >= 0 && columns[k].kind === 'number');
    const values = numbers.length > 0 ? (columns[groups.indexOf(numbers[0])] as Extract<ColumnAccess, { kind: 'number' }>) : undefined;
    const inPlace = options.consumeValues !== undefined && values !== undefined && numbers.length === groups.length && d <= values.width && options.consumeValues === values.values;
    const X = inPlace ? values.values.subarray(0, rows.length * d) : new Float64Array(rows.length * d);
    const rowHasMissing = new Uint8Array(rows.length);
    if (values) encodeNumericRows(values.values, values.width, numbers, rows, X, d, rowHasMissing, options.clean === true);
    const decimalComma = options.decimalComma ?? source.decimalComma;
    groups.forEach((g, k) => {
      if (columns[k].kind !== 'number' || g.numeric < 0) encodeColumn(columns[k], g, rows, X, d, decimalComma, rowHasMissing);
    });
    const { missingByColumn, warnings } = encodingIssues(groups, rows, source.rowLines, (g, row) => cellText(source.column(g.j), row), options.file);
    return { X, rowHasMissing, missingByColumn, groups, warnings };
  }

  /**
   * The training dataset of the table the plan was fitted on: rows with a target, their features
   * encoded, the missing-value policy, then the classes (or the multilabel Y) over the kept rows.
   * `consume` (FastTable only): X is built inside table.values (see EncodeOptions.consumeValues).
   */
  dataset(table: CsvTable | FastTable, options: DatasetOptions, consume = false): Dataset {
    const file = options.fileName;
    const warnings = [...this.warnings];
    const { targets, features } = this;
    const source = columnSource(table);
    const missingAt = targets.map((t) => (isFastTable(table) ? missingCells(table, t.index) : cellMissing(table.columns[t.index])));
    const withTarget = rowsWithTarget(targets, missingAt, table.rowLines, file, warnings);
    // The labels are read before X may overwrite a FastTable's values.
    const labels = isFastTable(table)
      ? fastTargetEncoder(table, targets, withTarget, options, warnings)
      : tableTargetEncoder(table, targets, options, warnings);
    const fast = isFastTable(table);
    const encoded = this.encode(source, withTarget, {
      file,
      consumeValues: fast && consume ? table.values : undefined,
      // Feature columns without a missing or infinite cell in any row need no per-value test.
      clean: fast && features.every((f) => this.columns.find((c) => c.name === f.column)?.missing === 0),
    });
    return finishDataset({ table, targets, features, withTarget, encoded }, options, warnings, labels);
  }
}

function cellMissing(cells: readonly string[]): (row: number) => boolean {
  return (row) => isMissing(cells[row]);
}

/** Builds the numeric dataset for training from the general parser's table. Throws DataError when no model can be trained on it. */
export function buildDataset(table: CsvTable, columns: ColumnInfo[], options: DatasetOptions): Dataset {
  return DataPlan.fit(table, options, columns).dataset(table, options);
}

export interface FastDatasetExtras {
  /** Columns already typed by inferFastColumns (with the same maxCategories); typed here otherwise. */
  columns?: ColumnInfo[];
  /**
   * Write X into table.values' buffer (row-major compaction, no second matrix) when every feature is
   * numeric. The table's values are meaningless afterwards; everything else in it stays valid.
   */
  consume?: boolean;
}

/**
 * The dataset buildDataset would build from the general parser's table of the same file, and the
 * column types it was built with. Throws DataError as buildDataset does. Call it only where
 * fastDatasetSupport says it can (fastDataset.ts).
 */
export function buildDatasetFromFast(table: FastTable, options: DatasetOptions, extras: FastDatasetExtras = {}): { dataset: Dataset; columns: ColumnInfo[] } {
  const plan = DataPlan.fit(table, options, extras.columns);
  return { dataset: plan.dataset(table, options, extras.consume === true), columns: plan.columns };
}

/**
 * Encodes a new CSV with a trained model's features: missing or non-numeric numeric cells become NaN
 * (imputed later by the preprocessor), unknown categorical levels all zeros, each with a warning.
 * A column the model needs but the file lacks is a DataError. A FastTable must pass plan.encodes.
 */
export function encodeForPrediction(
  table: CsvTable | FastTable,
  features: FeatureSpec[],
  options: { fileName?: string; decimalComma?: boolean } = {},
): { X: Float64Array; n: number; rowLines: Int32Array; warnings: Diagnostic[] } {
  const all = Int32Array.from({ length: table.nRows }, (_, i) => i);
  const encoded = DataPlan.fromModel({ features }).encode(columnSource(table), all, { file: options.fileName, decimalComma: options.decimalComma });
  return { X: encoded.X, n: table.nRows, rowLines: table.rowLines.slice(), warnings: encoded.warnings };
}

/** The feature specs grouped by CSV column, in order of first use. */
export function groupByColumn(features: FeatureSpec[], header: readonly string[]): ColumnGroup[] {
  const groups = new Map<string, ColumnGroup>();
  features.forEach((f, p) => {
    let g = groups.get(f.column);
    if (!g) groups.set(f.column, (g = { name: f.column, j: header.indexOf(f.column), numeric: -1, levels: new Map(), issues: { missing: 0, infinite: 0, firstInfinite: -1, bad: 0, firstBad: -1 } }));
    if (f.kind === 'numeric') g.numeric = p;
    else g.levels.set(f.level, p);
  });
  return [...groups.values()];
}

/** The first of two row positions (-1 = none). */
function firstOf(a: number, b: number): number {
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/**
 * Missing cells per column and one warning per column with unusable cells (infinite values count as
 * not finite numbers), after encoding `rows`; cellText(g, row) is the text of source row `row`.
 */
function encodingIssues(
  groups: ColumnGroup[],
  rows: Int32Array,
  rowLines: Int32Array,
  cellText: (group: ColumnGroup, row: number) => string,
  file: string | undefined,
): { missingByColumn: Map<string, number>; warnings: Diagnostic[] } {
  const missingByColumn = new Map<string, number>();
  const warnings: Diagnostic[] = [];
  for (const g of groups) {
    const issue = g.issues;
    missingByColumn.set(g.name, issue.missing);
    const bad = issue.bad + issue.infinite;
    if (bad === 0) continue;
    const row = rows[firstOf(issue.firstBad, issue.firstInfinite)];
    const line = rowLines[row];
    const value = cellText(g, row).trim();
    const message = g.numeric >= 0
      ? `column '${g.name}' has ${plural(bad, 'value')} that ${bad === 1 ? 'is' : 'are'} not a finite number (first '${value}' at line ${line}); treated as missing`
      : `column '${g.name}' has ${plural(bad, 'value')} not seen in training (first '${value}' at line ${line}); encoded as all zeros`;
    warnings.push(warning(g.numeric >= 0 ? 'feature.not-number' : 'feature.unknown-level', message, { file, line }));
  }
  return { missingByColumn, warnings };
}

/** Encodes one column group stored as texts or codes (its numeric feature, or its one-hot levels) of `rows` into X, counting its issues. */
function encodeColumn(column: ColumnAccess, g: ColumnGroup, rows: Int32Array, X: Float64Array, d: number, decimalComma: boolean, rowHasMissing: Uint8Array): void {
  if (column.kind === 'number') throw new Error(`column '${g.name}' is stored as numbers but encoded one-hot: check plan.encodes first`);
  if (g.numeric >= 0) {
    if (column.kind === 'text') encodeNumericTexts(column.cells, rows, X, d, g.numeric, decimalComma, rowHasMissing, g.issues);
    else encodeNumericCodes(column, rows, X, d, g.numeric, decimalComma, rowHasMissing, g.issues);
  } else if (column.kind === 'text') encodeOneHotTexts(column.cells, rows, X, d, g.levels, rowHasMissing, g.issues);
  else encodeOneHotCodes(column, rows, X, d, g.levels, rowHasMissing, g.issues);
}

/** A cell that is neither missing nor usable: counted (the first one's row position kept). */
function noteBad(issues: CellIssues, r: number): void {
  if (issues.bad++ === 0) issues.firstBad = r;
}

function noteInfinite(issues: CellIssues, r: number): void {
  if (issues.infinite++ === 0) issues.firstInfinite = r;
}

function noteMissing(issues: CellIssues, rowHasMissing: Uint8Array, r: number): void {
  issues.missing++;
  rowHasMissing[r] = 1;
}

function encodeNumericTexts(cells: readonly string[], rows: Int32Array, X: Float64Array, d: number, p: number, decimalComma: boolean, rowHasMissing: Uint8Array, issues: CellIssues): void {
  for (let r = 0; r < rows.length; r++) {
    const cell = cells[rows[r]];
    let v = parseNumber(cell, decimalComma);
    if (v === Infinity || v === -Infinity) {
      v = NaN;
      noteInfinite(issues, r);
    } else if (v !== v && !isMissing(cell)) noteBad(issues, r);
    if (v !== v) noteMissing(issues, rowHasMissing, r);
    X[r * d + p] = v;
  }
}

/** Numbers from dictionary codes: each distinct text parsed once. */
function encodeNumericCodes(column: { codes: Int32Array; texts: readonly string[] }, rows: Int32Array, X: Float64Array, d: number, p: number, decimalComma: boolean, rowHasMissing: Uint8Array, issues: CellIssues): void {
  const { value, bad } = codeNumbers(column.texts, decimalComma);
  for (let r = 0; r < rows.length; r++) {
    const c = column.codes[rows[r]];
    if (bad[c] === CODE_INFINITE) noteInfinite(issues, r);
    else if (bad[c]) noteBad(issues, r);
    const v = value[c];
    if (v !== v) noteMissing(issues, rowHasMissing, r);
    X[r * d + p] = v;
  }
}

function encodeOneHotTexts(cells: readonly string[], rows: Int32Array, X: Float64Array, d: number, levels: Map<string, number>, rowHasMissing: Uint8Array, issues: CellIssues): void {
  for (let r = 0; r < rows.length; r++) {
    const cell = cells[rows[r]];
    if (isMissing(cell)) {
      noteMissing(issues, rowHasMissing, r);
      continue;
    }
    const p = levels.get(cell.trim());
    if (p === undefined) noteBad(issues, r);
    else X[r * d + p] = 1;
  }
}

/** One-hot levels from dictionary codes: each distinct text looked up once. */
function encodeOneHotCodes(column: { codes: Int32Array; texts: readonly string[] }, rows: Int32Array, X: Float64Array, d: number, levels: Map<string, number>, rowHasMissing: Uint8Array, issues: CellIssues): void {
  const position = codeLevels(column.texts, levels);
  for (let r = 0; r < rows.length; r++) {
    const p = position[column.codes[rows[r]]];
    if (p === MISSING_POS) noteMissing(issues, rowHasMissing, r);
    else if (p === UNKNOWN_POS) noteBad(issues, r);
    else X[r * d + p] = 1;
  }
}

/**
 * Every numeric feature stored as float64 numbers (a FastTable's row-major values, NaN = a missing
 * token), all at once, row by row: each source row is read whole before its X row is written, which
 * lets X live inside `values` (consumeValues): X row r ends at or before source row rows[r]'s end
 * because d <= width and rows are increasing. X row r can overlap source row rows[r] only while
 * r·d + d > rows[r]·width, that is for the first few rows: those go through a copy of the source row,
 * the others straight across. Unless the columns are `clean` (no missing or infinite cell: nothing to
 * record), one test (v - v !== 0) per value sends NaN and ±Infinity to the bookkeeping. Clean leading
 * columns in order (the usual features-then-target file) are copied row by row without the column maps.
 */
function encodeNumericRows(
  values: Float64Array, width: number, groups: ColumnGroup[], rows: Int32Array, X: Float64Array, d: number, rowHasMissing: Uint8Array, clean: boolean,
): void {
  const m = groups.length;
  const source = Int32Array.from(groups, (g) => g.j);
  const target = Int32Array.from(groups, (g) => g.numeric);
  const row = new Float64Array(m);
  const overlaps = X.buffer === values.buffer && X.byteOffset === values.byteOffset;
  const leading = m === d && groups.every((g, k) => g.j === k && g.numeric === k);
  if (clean && leading) {
    for (let r = 0, out = 0; r < rows.length; r++, out += d) {
      const base = rows[r] * width;
      if (overlaps && out + d > base) values.copyWithin(out, base, base + d);
      else for (let k = 0; k < d; k++) X[out + k] = values[base + k];
    }
    return;
  }
  const special = (r: number, k: number, value: number): number => {
    const issues = groups[k].issues;
    if (value === Infinity || value === -Infinity) noteInfinite(issues, r);
    noteMissing(issues, rowHasMissing, r);
    return NaN;
  };
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * width;
    const out = r * d;
    if (overlaps && out + d > base) {
      for (let k = 0; k < m; k++) row[k] = values[base + source[k]];
      for (let k = 0; k < m; k++) {
        const v = row[k];
        X[out + target[k]] = v - v !== 0 ? special(r, k, v) : v;
      }
    } else {
      for (let k = 0; k < m; k++) {
        const v = values[base + source[k]];
        X[out + target[k]] = v - v !== 0 ? special(r, k, v) : v;
      }
    }
  }
}

function plural(k: number, noun: string): string {
  return `${k} ${noun}${k === 1 ? '' : 's'}`;
}
