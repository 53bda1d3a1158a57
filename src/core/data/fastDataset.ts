/**
 * The FastTable (fastCsv.ts) side of the rules: the same ColumnInfo[] that inferColumns (dataset.ts)
 * types on the general parser's CsvTable of the same file, and the target's classes or labels, so that
 * DataPlan (dataPlan.ts) builds the same Dataset from either: the same X bits, y, classes and their
 * order, features, rowLines, warnings. Numeric columns are read as float64 (never as text);
 * dictionary columns are worked out once per distinct text.
 *
 * The few datasets that need a numeric cell's original text, which the FastTable does not keep, are
 * found beforehand by a capability check, fastDatasetSupport (the caller then takes the general
 * parser's table): a single target with an infinite value, and a numeric multilabel column with a
 * value that is not 0/1-like, infinite or written with a decimal comma.
 *
 * Typing, feature selection, target and label rules and the warnings come from dataset.ts; only the
 * loops over the storage (float64 values, dictionary codes) are this module's own.
 */
import { isMissing, parseNumber } from './csv';
import {
  DEFAULT_MAX_CATEGORIES,
  DISTINCT_CAP,
  binaryLabel,
  classesOf,
  encodeLabelColumn,
  isIdName,
  numericColumn,
  planDataset,
  textColumnFromCounts,
  type ColumnInfo,
  type DatasetOptions,
  type NumericStats,
  type TargetEncoder,
} from './dataset';
import type { Diagnostic } from '../diagnostics';
import type { DictionaryFastColumn, FastTable, NumericFastColumn } from './fastCsv';
import { takeInt } from './split';

/**
 * Whether buildDatasetFromFast can build this dataset: undefined when it can, else the reason (a
 * numeric cell's text it would need and does not keep); then build from the general parser's table.
 * A superset of the cases that need the texts: a label column with an infinite value anywhere (not
 * only on rows with a target) sends the file to the general path, which gives the same dataset.
 */
export function fastDatasetSupport(table: FastTable, columns: ColumnInfo[], options: DatasetOptions): string | undefined {
  let targets: ColumnInfo[];
  try {
    targets = planDataset(table.header, columns, options, []).targets;
  } catch {
    return undefined; // The settings' own error: buildDatasetFromFast throws the same DataError.
  }
  const width = table.header.length;
  for (const t of targets) {
    const column = table.columns[t.index];
    if (column.kind !== 'numeric') continue;
    if (column.infiniteTexts.size > 0) return targets.length === 1 ? `target '${t.name}' has an infinite value` : `label column '${t.name}' has an infinite value`;
    if (targets.length === 1) continue;
    if (column.commaCells > 0) return `label column '${t.name}' has numbers with a decimal comma`;
    for (let i = 0; i < table.nRows; i++) {
      const v = table.values[i * width + t.index];
      if (v === v && binaryLabel(String(v)) < 0) return `label column '${t.name}' has a value that is not 0/1`;
    }
  }
  return undefined;
}

/** Types every column as inferColumns would type the general parser's table of the same file. */
export function inferFastColumns(table: FastTable, options: { maxCategories?: number; keep?: readonly number[] } = {}): ColumnInfo[] {
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const scans = scanValues(table, (options.keep ?? []).filter((j) => table.columns[j]?.kind === 'numeric'));
  return table.header.map((name, index) => {
    const column = table.columns[index];
    return column.kind === 'numeric'
      ? numericColumn(name, index, scans.get(index)!, table.rowLines)
      : dictionaryColumn(name, index, column, table, maxCategories);
  });
}

/**
 * dataset.ts scanNumeric's statistics for every numeric column, in one row-major pass over
 * table.values (NaN = missing token); each column's values are still visited in row order, so the sums
 * are the same floats. The running statistics live in typed arrays (one slot per column) so the loop does
 * not box numbers. Distinct values are counted in a DistinctSet per column (a Set<number> would hash
 * every value through the runtime) until the column's cap is reached, then no more; a column whose
 * first block is mostly distinct (a continuous one) is counted down the column at once, with one table
 * sized for it (the count does not depend on the order). (Not shared with scanNumeric: a per-column
 * pass over an accessor would stride through the row-major values.)
 */
function scanValues(table: FastTable, keep: number[]): Map<number, NumericStats> {
  const { values, nRows, header } = table;
  const width = header.length;
  // The kept columns' label ids (numericLabels), read block by block while the block is in cache.
  const kept = keep.map((j) => ({ j, labels: new NumericLabeler(nRows) }));
  const js = Int32Array.from(header.keys()).filter((j) => table.columns[j].kind === 'numeric');
  const state = new ScanState(Array.from(js, (j) => (isIdName(header[j]) ? Infinity : DISTINCT_CAP)));
  // Blocks of SCAN_ROWS rows (in cache), one column at a time within a block, its statistics in locals;
  // the plain columns (see scanPlainBlock) four at a time.
  const plain = new Int32Array(4);
  for (let r0 = 0; r0 < nRows; r0 += SCAN_ROWS) {
    const r1 = Math.min(nRows, r0 + SCAN_ROWS);
    let nPlain = 0;
    for (let k = 0; k < js.length; k++) {
      // The usual state of a continuous column after its first blocks: sums and bounds only.
      if (state.allIntegers[k] === 0 && state.open[k] === 0) {
        plain[nPlain++] = k;
        if (nPlain === 4) nPlain = scanPlainBlock4(state, plain, js, values, width, r0, r1);
      } else scanFullBlock(state, k, values, r0 * width + js[k], width, r0, r1);
    }
    for (let c = 0; c < nPlain; c++) scanPlainBlock(state, plain[c], values, r0 * width + js[plain[c]], width, r0, r1);
    for (const { j, labels } of kept) labels.read(values, r0 * width + j, width, r0, r1);
    if (r0 === 0) countAhead(state, values, js, width, r1, nRows);
  }
  for (const { j, labels } of kept) keepLabels(table, j, labels);
  return new Map(Array.from(js, (j, k) => [j, state.stats(k)]));
}

/** scanValues' running statistics, one slot per numeric column (typed arrays: the loops do not box numbers). */
class ScanState {
  readonly missing: Float64Array;
  readonly infinite: Float64Array;
  readonly firstInfinite: Float64Array;
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly allIntegers: Uint8Array;
  /** 1 while the column's distinct values are still counted (below its cap). */
  readonly open: Uint8Array;
  /** Rows before this one are already counted (countAhead): the block scan counts from here. */
  readonly countFrom: Float64Array;
  /** The column's last two values looked up (NaN before): a repeat of either needs no lookup (a 0/1 column needs two in all). */
  readonly last: Float64Array;
  readonly last2: Float64Array;
  readonly seen: DistinctSet[];

  constructor(caps: number[]) {
    const m = caps.length;
    this.missing = new Float64Array(m);
    this.infinite = new Float64Array(m);
    this.firstInfinite = new Float64Array(m).fill(-1);
    this.count = new Float64Array(m);
    this.sum = new Float64Array(m);
    this.min = new Float64Array(m).fill(Infinity);
    this.max = new Float64Array(m).fill(-Infinity);
    this.allIntegers = new Uint8Array(m).fill(1);
    this.open = new Uint8Array(m).fill(1);
    this.countFrom = new Float64Array(m);
    this.last = new Float64Array(m).fill(NaN);
    this.last2 = new Float64Array(m).fill(NaN);
    this.seen = caps.map((cap) => new DistinctSet(cap));
  }

  stats(k: number): NumericStats {
    return {
      missing: this.missing[k],
      infinite: this.infinite[k],
      firstInfinite: this.firstInfinite[k],
      count: this.count[k],
      sum: this.sum[k],
      min: this.min[k],
      max: this.max[k],
      allIntegers: this.allIntegers[k] === 1,
      distinct: this.seen[k].size,
    };
  }
}

/** Every statistic of column k over values[start + (i - r0)·width], r0 ≤ i < r1: bounds, sums, the integer test and distinct values. */
function scanFullBlock(state: ScanState, k: number, values: Float64Array, start: number, width: number, r0: number, r1: number): void {
  let miss = state.missing[k];
  let cnt = state.count[k];
  let total = state.sum[k];
  let lo = state.min[k];
  let hi = state.max[k];
  let integers = state.allIntegers[k] === 1;
  let prev = state.last[k];
  let prev2 = state.last2[k];
  let counting = state.open[k] === 1;
  const set = state.seen[k];
  const from = state.countFrom[k];
  for (let i = r0, p = start; i < r1; i++, p += width) {
    const v = values[p];
    if (v !== v) {
      miss++;
      continue;
    }
    if (v === Infinity || v === -Infinity) {
      miss++;
      if (state.infinite[k]++ === 0) state.firstInfinite[k] = i;
      continue;
    }
    cnt++;
    total += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (integers && !Number.isInteger(v)) integers = false;
    if (counting && i >= from && v !== prev && v !== prev2) {
      prev2 = prev;
      prev = v;
      if (set.add(v)) counting = false;
    }
  }
  state.missing[k] = miss;
  state.count[k] = cnt;
  state.sum[k] = total;
  state.min[k] = lo;
  state.max[k] = hi;
  state.allIntegers[k] = integers ? 1 : 0;
  state.last[k] = prev;
  state.last2[k] = prev2;
  state.open[k] = counting ? 1 : 0;
}

/**
 * scanFullBlock without distinct counting or the integer test (a column known to hold fractions and
 * past its distinct cap), in a small function of its own: the compiler keeps its few variables in
 * registers (a deliberate specialization: its loads and stores of the state repeat scanFullBlock's).
 * One test (v - v !== 0) catches NaN and ±Infinity.
 */
function scanPlainBlock(state: ScanState, k: number, values: Float64Array, start: number, width: number, r0: number, r1: number): void {
  let cnt = state.count[k];
  let total = state.sum[k];
  let lo = state.min[k];
  let hi = state.max[k];
  let miss = state.missing[k];
  let inf = 0;
  let firstInf = -1;
  for (let i = r0, p = start; i < r1; i++, p += width) {
    const v = values[p];
    if (v - v !== 0) {
      miss++;
      if (v === v && inf++ === 0) firstInf = i;
      continue;
    }
    cnt++;
    total += v;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  state.count[k] = cnt;
  state.sum[k] = total;
  state.min[k] = lo;
  state.max[k] = hi;
  state.missing[k] = miss;
  if (inf > 0) {
    if (state.infinite[k] === 0) state.firstInfinite[k] = firstInf;
    state.infinite[k] += inf;
  }
}

/**
 * scanPlainBlock of the four columns ks (each a plain one) over rows r0 <= i < r1 in one loop: four
 * independent chains of sums and bounds, each column's values still visited in row order (the same
 * floats). A row with a missing or infinite value among the four goes through scanPlainBlock, one row
 * per column. Returns 0 (the columns are done).
 */
function scanPlainBlock4(state: ScanState, ks: Int32Array, js: Int32Array, values: Float64Array, width: number, r0: number, r1: number): number {
  for (let i = r0; i < r1; ) {
    i = plainRun4(state, ks, js, values, width, i, r1);
    if (i < r1) {
      for (let c = 0; c < 4; c++) scanPlainBlock(state, ks[c], values, i * width + js[ks[c]], width, i, i + 1);
      i++;
    }
  }
  return 0;
}

/** scanPlainBlock4's loop from row i0 up to the first row where one of the four values is not finite (returned; r1 when none). */
function plainRun4(state: ScanState, ks: Int32Array, js: Int32Array, values: Float64Array, width: number, i0: number, r1: number): number {
  const [k0, k1, k2, k3] = ks;
  let c0 = state.count[k0], s0 = state.sum[k0], lo0 = state.min[k0], hi0 = state.max[k0];
  let c1 = state.count[k1], s1 = state.sum[k1], lo1 = state.min[k1], hi1 = state.max[k1];
  let c2 = state.count[k2], s2 = state.sum[k2], lo2 = state.min[k2], hi2 = state.max[k2];
  let c3 = state.count[k3], s3 = state.sum[k3], lo3 = state.min[k3], hi3 = state.max[k3];
  const p0 = js[k0];
  const p1 = js[k1];
  const p2 = js[k2];
  const p3 = js[k3];
  let i = i0;
  for (let o = i0 * width; i < r1; i++, o += width) {
    const v0 = values[o + p0];
    const v1 = values[o + p1];
    const v2 = values[o + p2];
    const v3 = values[o + p3];
    // NaN exactly when one of the four is NaN or infinite.
    if (v0 - v0 + (v1 - v1) + (v2 - v2) + (v3 - v3) !== 0) break;
    c0++;
    c1++;
    c2++;
    c3++;
    s0 += v0;
    s1 += v1;
    s2 += v2;
    s3 += v3;
    lo0 = v0 < lo0 ? v0 : lo0;
    lo1 = v1 < lo1 ? v1 : lo1;
    lo2 = v2 < lo2 ? v2 : lo2;
    lo3 = v3 < lo3 ? v3 : lo3;
    hi0 = v0 > hi0 ? v0 : hi0;
    hi1 = v1 > hi1 ? v1 : hi1;
    hi2 = v2 > hi2 ? v2 : hi2;
    hi3 = v3 > hi3 ? v3 : hi3;
  }
  state.count[k0] = c0;
  state.sum[k0] = s0;
  state.min[k0] = lo0;
  state.max[k0] = hi0;
  state.count[k1] = c1;
  state.sum[k1] = s1;
  state.min[k1] = lo1;
  state.max[k1] = hi1;
  state.count[k2] = c2;
  state.sum[k2] = s2;
  state.min[k2] = lo2;
  state.max[k2] = hi2;
  state.count[k3] = c3;
  state.sum[k3] = s3;
  state.min[k3] = lo3;
  state.max[k3] = hi3;
  return i;
}

/**
 * After the first block (rows below r1): a column whose values were mostly distinct there (a
 * continuous one) is counted ahead now, down the column, in a table sized once (growing 51 tables
 * block by block took about 200 ms of a 100k x 50 scan, this about 50), over at most AHEAD_ROWS rows:
 * a column that has not reached its cap by then (this file's 4,047 distinct values in 1M rows) is
 * counted on in the block scan from there, while each block is in cache, instead of by a pass down
 * the column that reads every row's cache line again.
 */
function countAhead(state: ScanState, values: Float64Array, js: Int32Array, width: number, r1: number, nRows: number): void {
  for (let k = 0; k < js.length; k++) {
    if (state.open[k] === 1 && 2 * state.seen[k].size > r1) {
      const rows = Math.min(nRows - r1, AHEAD_ROWS);
      state.seen[k].reserve(nRows - r1);
      if (state.seen[k].addAll(values, r1 * width + js[k], width, rows) || rows === nRows - r1) state.open[k] = 0;
      else state.countFrom[k] = r1 + rows;
    }
  }
}

/** Rows countAhead counts down one column at most (a continuous column reaches DISTINCT_CAP well before). */
const AHEAD_ROWS = 4 * DISTINCT_CAP;

/** Rows per block of scanValues. */
const SCAN_ROWS = 128;

/** Scratch for the bits of one float64 (DistinctSet's hash). */
const BITS = new Float64Array(1);
const BITS_WORDS = new Int32Array(BITS.buffer);

/**
 * The distinct finite numbers of one column, as a Set<number> counts them (SameValueZero: -0 and 0 are one
 * value), up to a cap: an open-addressing float64 hash table (linear probing, NaN = empty slot, load at most
 * 1/2, doubled as it fills).
 */
class DistinctSet {
  size = 0;
  private table = new Float64Array(256).fill(NaN);
  private mask = 255;

  constructor(private readonly cap: number) {}

  /** Adds a finite v (once the cap is reached: nothing); returns whether size has reached the cap. */
  add(v: number): boolean {
    if (this.size >= this.cap) return true;
    const key = v === 0 ? 0 : v;
    const table = this.table;
    const mask = this.mask;
    for (let slot = hashFloat(key) & mask; ; slot = (slot + 1) & mask) {
      const s = table[slot];
      if (s === key) return false;
      if (s !== s) {
        table[slot] = key;
        if (2 * ++this.size > mask) this.grow();
        return this.size >= this.cap;
      }
    }
  }

  /** Adds the finite values[start + t·width] (t < rows) until the cap; returns whether the cap is reached. */
  addAll(values: Float64Array, start: number, width: number, rows: number): boolean {
    for (let t = 0, p = start; t < rows; t++, p += width) {
      const v = values[p];
      if (v - v === 0 && this.add(v)) return true;
    }
    return this.size >= this.cap;
  }

  /** Sizes the table once for up to `rows` more values (growing it step by step cost more than the lookups). */
  reserve(rows: number): void {
    const want = Math.min(this.cap, this.size + rows);
    let slots = this.table.length;
    while (2 * want > slots - 1) slots *= 2;
    this.rehash(slots);
  }

  private grow(): void {
    this.rehash(2 * this.table.length);
  }

  private rehash(slots: number): void {
    const old = this.table;
    if (slots === old.length) return;
    const table = new Float64Array(slots).fill(NaN);
    const mask = table.length - 1;
    for (let p = 0; p < old.length; p++) {
      const key = old[p];
      if (key !== key) continue;
      let slot = hashFloat(key) & mask;
      while (table[slot] === table[slot]) slot = (slot + 1) & mask;
      table[slot] = key;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** A 32-bit mix of both words of a float64 (small integers differ only in the high word). */
function hashFloat(v: number): number {
  BITS[0] = v;
  let h = Math.imul(BITS_WORDS[0] ^ Math.imul(BITS_WORDS[1], 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 13);
}

/** Types a dictionary column (at least one text cell) as inferColumns types its text column, once per distinct cell text. */
function dictionaryColumn(name: string, index: number, column: DictionaryFastColumn, table: FastTable, maxCategories: number): ColumnInfo {
  const { codes, levels: texts } = column;
  const counts = new Float64Array(texts.length);
  for (let i = 0; i < codes.length; i++) counts[codes[i]]++;
  const isText = texts.map((t) => Number.isNaN(parseNumber(t, table.decimalComma)) && !isMissing(t));
  const firstText = codes.findIndex((code) => isText[code]);
  const first = { text: texts[codes[firstText]], line: table.rowLines[firstText] };
  const entries = texts.map((t, k) => [t, counts[k]] as const);
  return textColumnFromCounts(name, index, entries, first, { nRows: table.nRows, decimalComma: table.decimalComma, maxCategories });
}

/**
 * The target encoder of a FastTable (finishDataset's `labels`), as dataset.ts tableTargetEncoder over
 * the general parser's table: the labels of the rows with a target are read now, before the design
 * matrix may overwrite table.values.
 */
export function fastTargetEncoder(table: FastTable, targets: ColumnInfo[], withTarget: Int32Array, options: DatasetOptions, warnings: Diagnostic[]): TargetEncoder {
  const file = options.fileName;
  const labels = targets.map((t) => rawLabels(table, t.index, withTarget));
  // The target columns' label ids (numericLabels) have served rowsWithTarget and the labels (which may
  // write the classes over them).
  columnLabels.delete(table);
  return {
    classes: (positions) => encodeClasses(labels[0], positions, targets[0].name, table.decimalComma, options.positiveClass, file, warnings),
    multilabel: (Y, positions, _rows, rowLines) => encodeMultilabel(Y, targets, labels, positions, rowLines, file),
  };
}

/**
 * A numeric column's values as labels: ids[row] indexes texts, the distinct values in order of first
 * appearance as String(value) (null for a value that is not finite: NaN, the missing cells, and
 * ±Infinity); missingId is NaN's id (-1 when no cell is missing).
 */
interface NumericLabelColumn {
  ids: Int32Array;
  texts: (string | null)[];
  missingId: number;
}

/** Label ids of numeric target columns, made once per table and column (see numericLabels). */
const columnLabels = new WeakMap<FastTable, Map<number, NumericLabelColumn>>();

/** Label values looked up without a Map. */
const FEW_LABELS = 8;

/**
 * Numbers a numeric column's values in row order (NumericLabelColumn). The first FEW_LABELS distinct
 * values (a class label's usual count) are looked up in a small array (=== treats -0 and 0 as one
 * value, as the Map does; a NaN goes to the Map), the rest in a Map.
 */
class NumericLabeler implements NumericLabelColumn {
  readonly ids: Int32Array;
  readonly texts: (string | null)[] = [];
  missingId = -1;
  private readonly byValue = new Map<number, number>();
  private readonly few = new Float64Array(FEW_LABELS);
  private nFew = 0;

  constructor(nRows: number) {
    this.ids = new Int32Array(nRows);
  }

  /** Rows [r0, r1) of the column whose row r0 is values[p], a row every `stride` values. */
  read(values: Float64Array, p: number, stride: number, r0: number, r1: number): void {
    const { ids, few } = this;
    for (let r = r0; r < r1; r++, p += stride) {
      const v = values[p];
      let id = -1;
      for (let k = 0; k < this.nFew; k++) {
        if (few[k] === v) {
          id = k;
          break;
        }
      }
      ids[r] = id >= 0 ? id : this.lookUp(v);
    }
  }

  private lookUp(v: number): number {
    let id = this.byValue.get(v);
    if (id === undefined) {
      this.byValue.set(v, (id = this.texts.push(Number.isFinite(v) ? String(v) : null) - 1));
      if (v !== v) this.missingId = id;
      else if (id === this.nFew && this.nFew < FEW_LABELS) this.few[this.nFew++] = v;
    }
    return id;
  }
}

/**
 * Numeric column j's label ids by data row: a target column is read by several passes (rows with a
 * target, labels), and one pass through the row-major values then serves them all (the typing scan's,
 * inferFastColumns' `keep`, or a strided one here). Made before the design matrix may overwrite
 * table.values.
 */
function numericLabels(table: FastTable, j: number): NumericLabelColumn {
  let labels = columnLabels.get(table)?.get(j);
  if (!labels) {
    const labeler = new NumericLabeler(table.nRows);
    labeler.read(table.values, j, table.header.length, 0, table.nRows);
    keepLabels(table, j, (labels = labeler));
  }
  return labels;
}

/** Stores column j's label ids for numericLabels. */
function keepLabels(table: FastTable, j: number, labels: NumericLabelColumn): void {
  let kept = columnLabels.get(table);
  if (!kept) columnLabels.set(table, (kept = new Map()));
  kept.set(j, labels);
}

/** Per data row: whether column j's cell is a missing token. */
export function missingCells(table: FastTable, j: number): (row: number) => boolean {
  const column = table.columns[j];
  if (column.kind === 'numeric') {
    const { ids, missingId } = numericLabels(table, j);
    return (row) => ids[row] === missingId;
  }
  const missing = column.levels.map((t) => isMissing(t));
  return (row) => missing[column.codes[row]];
}

/**
 * A target column's labels over rows with a target: ids[r] indexes texts, the distinct trimmed cell
 * texts. A numeric column's text is String(value): the same class names as its original text once
 * canonicalLabels has run, since every label is then a number. texts[k] is null for an infinite value,
 * whose original text the FastTable does not keep, and for NaN (the missing cells, on no row with a
 * target); a numeric column's texts are those of all its rows (numericLabels).
 */
interface RawLabels {
  ids: Int32Array;
  /** Set once encodeClasses has run: it may have written the classes over `ids`. */
  used?: boolean;
  texts: (string | null)[];
  /** Numeric column: cells written with a decimal comma (which binaryLabel does not read as numbers). */
  commaCells: number;
  numeric: boolean;
}

function rawLabels(table: FastTable, j: number, rows: Int32Array): RawLabels {
  const column = table.columns[j];
  if (column.kind === 'dictionary') {
    const ids = new Int32Array(rows.length);
    const texts: string[] = [];
    const byText = new Map<string, number>();
    const idOfCode = column.levels.map((level) => {
      const t = level.trim();
      let id = byText.get(t);
      if (id === undefined) byText.set(t, (id = texts.push(t) - 1));
      return id;
    });
    for (let r = 0; r < rows.length; r++) ids[r] = idOfCode[column.codes[rows[r]]];
    return { ids, texts, commaCells: 0, numeric: false };
  }
  // The column's own ids when every row has a target (rows = 0..n-1), else those of the rows.
  const all = numericLabels(table, j);
  const ids = rows.length === table.nRows ? all.ids : takeInt(all.ids, rows);
  return { ids, texts: all.texts, commaCells: (column as NumericFastColumn).commaCells, numeric: true };
}

/** The label texts of `positions` (into the rows with a target), in order of first appearance. */
function labelsInOrder(labels: RawLabels, positions: Int32Array, targetName: string): string[] {
  const seen = new Uint8Array(labels.texts.length);
  const out: string[] = [];
  for (const p of positions) {
    const id = labels.ids[p];
    if (seen[id]) continue;
    seen[id] = 1;
    const text = labels.texts[id];
    if (text === null) throw new Error(`target '${targetName}' has an infinite value: fastDatasetSupport sends this file to the general parser`);
    out.push(text);
  }
  return out;
}

/** dataset.ts encodeClasses over label ids instead of cell texts. */
function encodeClasses(
  labels: RawLabels,
  positions: Int32Array,
  name: string,
  decimalComma: boolean,
  positiveClass: string | undefined,
  file: string | undefined,
  warnings: Diagnostic[],
): { classes: string[]; y: Int32Array } {
  if (labels.used) throw new Error(`the labels of target '${name}' were encoded already`);
  const { classes, classOf } = classesOf(labelsInOrder(labels, positions, name), name, decimalComma, positiveClass, file, warnings);
  const classOfId = labels.texts.map((t) => (t === null ? -1 : classOf.get(t) ?? -1));
  // Every labelled row kept (positions 0..n-1): the classes are written over the ids, which nothing reads again.
  const ids = labels.ids;
  const y = positions.length === ids.length ? ids : new Int32Array(positions.length);
  for (let r = 0; r < positions.length; r++) y[r] = classOfId[ids[positions[r]]];
  labels.used = true;
  return { classes, y };
}

/**
 * The multilabel Y by dataset.ts encodeLabelColumn, deciding each distinct label text once. A numeric
 * label column whose texts the FastTable does not hold exactly (a decimal comma, a value that is not
 * 0/1-like, whose error quotes the original text) never gets here (fastDatasetSupport).
 */
function encodeMultilabel(Y: Uint8Array, targets: ColumnInfo[], labels: RawLabels[], positions: Int32Array, lines: Int32Array, file: string | undefined): void {
  const L = targets.length;
  targets.forEach((t, l) => {
    const { texts, numeric, commaCells } = labels[l];
    const ids = takeInt(labels[l].ids, positions);
    if (numeric) {
      if (commaCells > 0) throw new Error(`label column '${t.name}' has numbers with a decimal comma: fastDatasetSupport sends this file to the general parser`);
      const bits = texts.map((text) => (text === null ? -1 : binaryLabel(text)));
      for (let r = 0; r < ids.length; r++) if (bits[ids[r]] < 0) throw new Error(`label column '${t.name}' has a value that is not 0/1: fastDatasetSupport sends this file to the general parser`);
    }
    // An infinite value's text (null) is left only on rows not in `positions`.
    encodeLabelColumn(Y, L, l, t.name, ids, texts.map((text) => text ?? ''), lines, file);
  });
}
