/**
 * Larger-than-memory training: streaming mini-batch SGD over a CSV that is read block by block and
 * never held whole. Pure core: the caller (src/node/streamCsv.ts) hands in a sample of the first lines
 * and, for every pass, the file's blocks already parsed (the fast parser's FastTable, with the general
 * parser's CsvTable of the same bytes on demand); this module never sees a file.
 *
 * The run, in passes over the file:
 * 1. Plan (from the sample, the first few MB): the data plan (dataPlan.ts DataPlan.fit: column types,
 *    target, feature encoding) and the classes (dataset.ts classesOf); every block is encoded by that
 *    plan's encoder, as the in-memory runs and prediction are. Later rows
 *    must fit that plan: a class, a categorical level or a text value in a numeric column that first
 *    appears after the sample is a DataError naming the file, line and column (field number).
 * 2. Statistics: one full pass encodes every row (so every such error surfaces before any fitting),
 *    counts rows, classes and missing cells, and accumulates the imputation means and the
 *    StandardScaler mean / population variance of the training rows (per window two-pass sums merged
 *    with Chan's formula; the same imputer -> scaler conventions as preprocess.ts).
 * 3. Epochs: rows go through a shuffle window of W rows (independent of block boundaries, so the
 *    result depends only on the rows and the seed); each full window first scores its validation rows
 *    with the current model (progressive validation: a hold-out row is scored, never trained on), then
 *    takes mini-batch steps over its shuffled training rows with LinearModelLoss.lossGradientBatch and
 *    the optimizer rule of optimize/stepper.ts (plain, momentum, Adam; proximal L1 step; per-epoch
 *    schedule). The objective is the in-memory one: weighted mean loss + penalty / (S·C) with S the
 *    training weight of the whole file; intercepts unpenalized.
 * 4. Evaluation: one pass with the final model: exact streamed counts per split (n, accuracy, log-loss,
 *    Brier, confusion matrix and the per-class scores derived from it) and, on the training rows, the
 *    full objective and projected gradient; ROC/PR/AUC, reliability, calibrators, the boundary points
 *    and the PCA projection from bounded reservoir samples.
 *
 * Hold-out: data row r (0-based, in file order) is a validation row when hash(r, seed) falls in
 * [0, valSize), a test row in [valSize, valSize + testSize), else a training row (streamSplitOf).
 */
import { MAX_CLASSES_IN_DETAIL, checkClassCount } from '../data/classCount';
import { ColumnExtremes } from '../data/extremeValues';
import { isMissing, parseNumber, type CsvTable } from '../data/csv';
import { cellText, columnSource, MISSING_POS, UNKNOWN_POS, type ColumnSource } from '../data/columnSource';
import { classesOf, guessTarget, inferColumns, type ColumnInfo, type Dataset, type FeatureSpec } from '../data/dataset';
import { DataPlan, groupByColumn, type ColumnGroup } from '../data/dataPlan';
import { DataError, warning, type Diagnostic } from '../diagnostics';
import type { FastTable } from '../data/fastCsv';
import { evaluateSplit, fitCalibrators } from '../evaluate/evaluate';
import { LinearModelLoss } from '../model/loss';
import { metricsFromConfusion, type ClassificationMetrics } from '../evaluate/metrics';
import { cappedRowLoss, lossFamilyOf, predictRowFromProba, probaRowBrier, probaRowLogLoss, type LossFamily } from '../model/lossFamily';
import type { ModelJson } from '../model/model';
import { defaultLearningRate } from '../optimize/gd';
import { l1Norm, pseudoGradient } from '../optimize/prox';
import { createStepper, scheduleFactor } from '../optimize/stepper';
import { isConstantFeature } from '../data/preprocess';
import { principalComponents, PROJECTION_ROWS } from '../evaluate/projection';
import { Rng } from '../random';
import type { Convergence, DataSummary, SplitEvaluation, SplitName, TrainProgress, TrainReport } from '../report/report';
import { DEFAULT_SETTINGS, validateSettings, type TrainSettings } from './settings';
import { TrainingCancelled } from './train';
import { assembleModel, assembleReport, EarlyStopping, type PointSample } from './assemble';
import { SnapshotRecorder, type Replay } from './snapshots';

/** One block of the file, parsed: header + a run of whole records. */
export interface StreamBlock {
  /** The fast parser's table of the block, unless it gave up on it. */
  fast?: FastTable;
  /** The general parser's table of the same bytes (parsed on demand; its lines are block-relative too). */
  general(): CsvTable;
  /** Added to a block table's rowLines, gives the line in the file. */
  lineOffset: number;
  /** Bytes of the file consumed up to the end of this block. */
  bytesEnd: number;
}

export interface StreamSource {
  /** The general parser's table of the file's first bytes (whole records only). */
  sample: CsvTable;
  totalBytes: number;
  /** One pass over the whole file in order, the sample's rows included. */
  pass(): AsyncIterable<StreamBlock>;
}

export interface StreamProgress {
  pass: 'statistics' | 'training' | 'evaluation';
  /** 1-based epoch during 'training' (0 otherwise). */
  epoch: number;
  epochs: number;
  bytes: number;
  totalBytes: number;
  /** The latest progressive validation log-loss (null before the first, or without validation rows). */
  validationLoss: number | null;
}

export interface StreamOptions {
  fileName: string;
  /** Complete TrainProgress snapshots (as trainFromTable's), at most every progressIntervalMs (default 100). */
  onProgress?: (progress: TrainProgress) => void;
  progressIntervalMs?: number;
  /** Byte-level progress, after every block. */
  onStreamProgress?: (progress: StreamProgress) => void;
  /** Polled once per mini-batch and once per block; true abandons the run with TrainingCancelled. */
  shouldStop?: () => boolean;
  /** Rows in the shuffle window (default: up to 65536, fewer for wide data so it stays within 32 MB). */
  windowRows?: number;
  /** Rows kept per split for ROC/PR/AUC, reliability and calibration (default 100000). */
  reservoirRows?: number;
}

/** Default rows per split in the evaluation reservoir. */
export const STREAM_RESERVOIR_ROWS = 100_000;
/** History points per epoch (training objective estimate and progressive validation loss). */
const POINTS_PER_EPOCH = 50;
/** Standardized training rows sampled for the PCA projection (as train.ts). */
const PCA_ROWS = PROJECTION_ROWS;

/** Settings streaming cannot honour, as a DataError. */
function unsupported(file: string, message: string): DataError {
  return new DataError({ code: 'stream.unsupported', file, message });
}

// ---------------------------------------------------------------------------------------------
// Hold-out assignment

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Split of data row `row` (0-based in file order): 0 train, 1 validation, 2 test; a seeded hash, stable across passes. */
export function streamSplitOf(row: number, seed: number, valSize: number, testSize: number): 0 | 1 | 2 {
  const hi = Math.floor(row / 4294967296);
  const u = fmix((row >>> 0) ^ fmix((hi + Math.imul(seed | 0, 0x9e3779b1)) >>> 0)) / 4294967296;
  return u < valSize ? 1 : u < valSize + testSize ? 2 : 0;
}

// ---------------------------------------------------------------------------------------------
// The plan: column types, features and classes from the sample

/** What the sample fixes for the whole file. */
export interface StreamPlan {
  header: string[];
  delimiter: string;
  decimalComma: boolean;
  encoding: 'utf-8' | 'windows-1252';
  /** Typed on the sample. */
  columns: ColumnInfo[];
  target: ColumnInfo;
  /** The data plan fitted on the sample: every block is encoded by it. */
  data: DataPlan;
  features: FeatureSpec[];
  /** The feature columns, in the order of the plan's encoded groups. */
  groups: ColumnGroup[];
  classes: string[];
  /** Every sample label is a number: labels are matched by value ("1.0" is class "1"). */
  numericLabels: boolean;
  /** Label key (trimmed text, or String(number) when numericLabels) -> class index. */
  classIndex: Map<string, number>;
  kind: 'binary' | 'multinomial';
  sampleRows: number;
  warnings: Diagnostic[];
}

export function planStream(sample: CsvTable, settings: TrainSettings, file: string): StreamPlan {
  if (settings.target.length > 1) throw unsupported(file, 'streaming trains binary and multinomial models; a multilabel target (several columns) needs the in-memory path (train without --stream)');
  if (settings.model === 'ovr' || settings.model === 'multilabel') throw unsupported(file, `streaming trains binary and multinomial models, not '${settings.model}' (use --model auto, binary or multinomial, or train without --stream)`);
  const columns = inferColumns(sample);
  const targetName = settings.target.length === 1 ? settings.target[0] : guessTarget(sample, columns);
  const data = DataPlan.fit(sample, {
    target: targetName,
    features: settings.features.length > 0 ? settings.features : undefined,
    missing: settings.missing,
    positiveClass: settings.positiveClass,
    fileName: file,
  }, columns);
  const warnings: Diagnostic[] = [...data.warnings];
  const { features } = data;
  const target = data.targets[0];
  const cells = sample.columns[target.index];
  const raw = new Set<string>();
  for (const cell of cells) if (!isMissing(cell)) raw.add(cell.trim());
  if (raw.size === 0) throw new DataError({ code: 'target.empty', file, message: `target '${target.name}' has no values in the first ${sample.nRows} rows` });
  const rawList = [...raw];
  const { classes, classOf } = classesOf(rawList, target.name, sample.decimalComma, settings.positiveClass, file, warnings);
  checkClassCount(target.name, classes.length, sample.nRows, file);
  const numericLabels = rawList.every((s) => Number.isFinite(parseNumber(s, sample.decimalComma)));
  const classIndex = numericLabels ? new Map(classes.map((c, k) => [c, k])) : classOf;
  const K = classes.length;
  let kind: 'binary' | 'multinomial';
  if (settings.model === 'binary') {
    if (K !== 2) throw new DataError({ code: 'settings.model', file, message: `a binary model needs 2 classes, but '${target.name}' has ${K}; use --model multinomial` });
    kind = 'binary';
  } else if (settings.model === 'multinomial') kind = 'multinomial';
  else kind = K === 2 ? 'binary' : 'multinomial';

  return {
    header: sample.header,
    delimiter: sample.delimiter,
    decimalComma: sample.decimalComma,
    encoding: sample.encoding,
    columns,
    target,
    data,
    features,
    groups: groupByColumn(features, sample.header),
    classes,
    numericLabels,
    classIndex,
    kind,
    sampleRows: sample.nRows,
    warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Encoding blocks into a row window

/** Rows buffered between blocks: raw features (NaN = missing), class, split and source line. */
class RowWindow {
  readonly X: Float64Array;
  readonly y: Int32Array;
  readonly split: Uint8Array;
  readonly line: Float64Array;
  n = 0;
  constructor(
    readonly capacity: number,
    readonly d: number,
  ) {
    this.X = new Float64Array(capacity * d);
    this.y = new Int32Array(capacity);
    this.split = new Uint8Array(capacity);
    this.line = new Float64Array(capacity);
  }
}

/** Counts the statistics pass makes over every row with a target. */
interface RowCounts {
  rows: number;
  dropped: number;
  missingTarget: number;
  missingByColumn: number[];
  infinite: number;
  firstInfiniteLine: number;
}

type Feed = (window: RowWindow) => void;

/** A block's rows to encode: block row, class and split of each, and the first row of a class the plan does not know (-1: none). */
interface BlockRows {
  rows: Int32Array;
  cls: Int32Array;
  split: Uint8Array;
  n: number;
  lateClassRow: number;
}

/**
 * Walks every data row of a pass: encodes the rows of the wanted splits with the plan's encoder
 * (DataPlan.encode, as the in-memory runs and prediction do) and moves them into the window (calling
 * `feed` each time it fills), numbering rows for the hold-out hash. Throws the DataErrors of rows that
 * do not fit the plan, the first in file order.
 */
class Encoder {
  private row = 0;
  constructor(
    private readonly plan: StreamPlan,
    private readonly settings: TrainSettings,
    private readonly file: string,
    private readonly window: RowWindow,
    private readonly wanted: [boolean, boolean, boolean],
    private readonly feed: Feed,
    private readonly counts: RowCounts | null,
  ) {}

  /** Encodes one block. */
  block(block: StreamBlock): void {
    const { plan } = this;
    let fast = block.fast;
    if (fast && (fast.decimalComma !== plan.decimalComma || fast.header.length !== plan.header.length || !this.fastFits(fast))) fast = undefined;
    const table: FastTable | CsvTable = fast ?? block.general();
    if (table.header.length !== plan.header.length || table.header.some((h, j) => h !== plan.header[j])) {
      throw new DataError({ code: 'stream.header', file: this.file, message: 'a block of the file was read with a different header (internal reader error)' });
    }
    const source = columnSource(table);
    const picked = this.blockRows(fast, table);
    const rows = picked.rows.subarray(0, picked.n);
    const encoded = plan.data.encode(source, rows, { file: this.file, decimalComma: plan.decimalComma });
    this.throwFirstError(encoded.groups, source, rows, picked.lateClassRow, table.rowLines, block.lineOffset);
    if (this.counts) this.count(encoded.groups, rows, table.rowLines, block.lineOffset);
    this.fill(encoded.X, encoded.rowHasMissing, picked, table.rowLines, block.lineOffset);
  }

  /**
   * The block rows to encode: those with a class, in the wanted splits (the statistics pass encodes
   * every row with a class, to find every error). Stops at the first row with a class the plan does
   * not know; counts the rows without a target.
   */
  private blockRows(fast: FastTable | undefined, table: FastTable | CsvTable): BlockRows {
    const nRows = table.nRows;
    const out: BlockRows = { rows: new Int32Array(nRows), cls: new Int32Array(nRows), split: new Uint8Array(nRows), n: 0, lateClassRow: -1 };
    const classOfRow = this.targetReader(fast, table as CsvTable);
    const { settings, wanted, counts } = this;
    for (let i = 0; i < nRows; i++) {
      const r = this.row++;
      const cls = classOfRow(i);
      if (cls === UNKNOWN_POS) {
        out.lateClassRow = i;
        break;
      }
      if (cls < 0) {
        if (counts) {
          counts.missingTarget++;
          counts.dropped++;
        }
        continue;
      }
      const split = streamSplitOf(r, settings.seed, settings.valSize, settings.testSize);
      if (!wanted[split] && !counts) continue;
      out.rows[out.n] = i;
      out.cls[out.n] = cls;
      out.split[out.n++] = split;
    }
    return out;
  }

  /**
   * The first error of the block in file order: a text in a numeric column or a new level (within a
   * row, the first such column in feature order), else a new class (its row ends the encoded rows).
   */
  private throwFirstError(groups: ColumnGroup[], source: ColumnSource, rows: Int32Array, lateClassRow: number, rowLines: Int32Array, lineOffset: number): void {
    let first = -1;
    let group = -1;
    groups.forEach((g, k) => {
      const at = g.issues.firstBad;
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
        group = k;
      }
    });
    if (group >= 0) {
      const g = groups[group];
      const line = rowLines[rows[first]] + lineOffset;
      const text = cellText(source.column(g.j), rows[first]);
      throw g.numeric >= 0 ? this.lateText(g.j, line, text) : this.lateLevel(group, g.j, line, text);
    }
    if (lateClassRow >= 0) throw this.lateClass(rowLines[lateClassRow] + lineOffset, this.classText(source, lateClassRow));
  }

  /** The statistics pass's counts of the block's rows with a target: missing cells per column, infinite values. */
  private count(groups: ColumnGroup[], rows: Int32Array, rowLines: Int32Array, lineOffset: number): void {
    const counts = this.counts!;
    let firstInfinite = -1;
    groups.forEach((g, k) => {
      counts.missingByColumn[k] += g.issues.missing;
      const at = g.issues.firstInfinite;
      if (at >= 0 && (firstInfinite < 0 || at < firstInfinite)) firstInfinite = at;
    });
    if (firstInfinite >= 0 && counts.infinite === 0) counts.firstInfiniteLine = rowLines[rows[firstInfinite]] + lineOffset;
    for (const g of groups) counts.infinite += g.issues.infinite;
  }

  /** Moves the encoded rows into the window (dropping rows with a missing value under the 'drop' policy). */
  private fill(X: Float64Array, rowHasMissing: Uint8Array, picked: BlockRows, rowLines: Int32Array, lineOffset: number): void {
    const { window, wanted, counts } = this;
    const d = window.d;
    const drop = this.settings.missing === 'drop';
    for (let r = 0; r < picked.n; r++) {
      if (drop && rowHasMissing[r]) {
        if (counts) counts.dropped++;
        continue;
      }
      if (counts) counts.rows++;
      const split = picked.split[r];
      if (!wanted[split]) continue;
      const at = window.n * d;
      for (let k = 0, from = r * d; k < d; k++) window.X[at + k] = X[from + k];
      window.y[window.n] = picked.cls[r];
      window.split[window.n] = split;
      window.line[window.n] = rowLines[picked.rows[r]] + lineOffset;
      if (++window.n === window.capacity) {
        this.feed(window);
        window.n = 0;
      }
    }
  }

  /** Feeds the last partial window of the pass. */
  finish(): void {
    if (this.window.n > 0) this.feed(this.window);
    this.window.n = 0;
  }

  /** False when a FastTable lacks texts the plan needs (a one-hot column or a text-labelled target stored as numbers). */
  private fastFits(fast: FastTable): boolean {
    if (!this.plan.data.encodes(columnSource(fast))) return false;
    return this.plan.numericLabels || fast.columns[this.plan.target.index].kind !== 'numeric';
  }

  /** Class index of block row i: -1 when the target is missing, UNKNOWN_POS for a class the plan does not know. */
  private targetReader(fast: FastTable | undefined, table: CsvTable): (i: number) => number {
    const { plan } = this;
    const j = plan.target.index;
    const keyOf = (text: string) => this.classKey(text);
    if (fast) {
      const col = fast.columns[j];
      if (col.kind === 'numeric') {
        const values = fast.values;
        const width = plan.header.length;
        return (i) => {
          const v = values[i * width + j];
          return v !== v ? -1 : (plan.classIndex.get(String(v)) ?? UNKNOWN_POS);
        };
      }
      const ids = Int32Array.from(col.levels, (t) => (isMissing(t) ? MISSING_POS : (plan.classIndex.get(keyOf(t)) ?? UNKNOWN_POS)));
      return (i) => ids[col.codes[i]];
    }
    const cells = table.columns[j];
    return (i) => (isMissing(cells[i]) ? -1 : (plan.classIndex.get(keyOf(cells[i])) ?? UNKNOWN_POS));
  }

  /** A label's key in plan.classIndex: trimmed text, or String(number) when the labels are numbers. */
  private classKey(text: string): string {
    return this.plan.numericLabels ? String(parseNumber(text.trim(), this.plan.decimalComma)) : text.trim();
  }

  /** The label text of block row i as the messages quote it (a FastTable number as String(value)). */
  private classText(source: ColumnSource, i: number): string {
    const column = source.column(this.plan.target.index);
    return column.kind === 'number' ? String(column.values[i * column.width + column.j]) : cellText(column, i).trim();
  }

  private lateText(j: number, line: number, text: string): DataError {
    const name = this.plan.header[j];
    return new DataError({
      code: 'stream.late-text',
      file: this.file,
      line,
      column: j + 1,
      message: `column '${name}' (field ${j + 1}) has '${text.trim()}', but it held only numbers in the first ${this.plan.sampleRows} rows, from which streaming fixes the column types; fix the value or train without --stream`,
    });
  }

  private lateLevel(g: number, j: number, line: number, text: string): DataError {
    const group = this.plan.groups[g];
    const shown = [...group.levels.keys()].slice(0, 8).map((l) => `'${l}'`).join(', ');
    return new DataError({
      code: 'stream.late-level',
      file: this.file,
      line,
      column: j + 1,
      message: `column '${group.name}' (field ${j + 1}) has the value '${text.trim()}', which does not occur in the first ${this.plan.sampleRows} rows (levels: ${shown}${group.levels.size > 8 ? ', ...' : ''}); streaming fixes the categories from those rows: shuffle the file or train without --stream`,
    });
  }

  private lateClass(line: number, text: string): DataError {
    const { plan } = this;
    const j = plan.target.index;
    return new DataError({
      code: 'stream.late-class',
      file: this.file,
      line,
      column: j + 1,
      message: `target '${plan.target.name}' (field ${j + 1}) has the class '${text}', which does not occur in the first ${plan.sampleRows} rows (classes: ${plan.classes.map((c) => `'${c}'`).join(', ')}); streaming fixes the classes from those rows: shuffle the file or train without --stream`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The run

interface Scaler {
  imputeMean: Float64Array;
  mean: Float64Array;
  scale: Float64Array;
}

/** Per-split streamed counts of the evaluation pass, plus a reservoir of (decision values, class). */
class SplitAccumulator {
  n = 0;
  logLoss = 0;
  brier = 0;
  readonly confusion: number[][];
  readonly z: Float64Array;
  readonly y: Int32Array;
  kept = 0;
  constructor(
    readonly K: number,
    readonly nOut: number,
    readonly capacity: number,
  ) {
    this.confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    this.z = new Float64Array(capacity * nOut);
    this.y = new Int32Array(capacity);
  }
}

/** Reservoir slot for the t-th item (0-based) of a stream with capacity m: its index, or -1 to skip. */
function reservoirSlot(t: number, m: number, rng: Rng): number {
  if (t < m) return t;
  const k = Math.floor(rng.next() * (t + 1));
  return k < m ? k : -1;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** What every pass of a streamed run shares: sizes, the loss history, progress posting and the pass itself. */
class StreamRun {
  readonly d: number;
  readonly K: number;
  /** Outputs of the linear part: 1 (binary) or K. */
  readonly nOut: number;
  readonly nParams: number;
  readonly windowRows: number;
  readonly reservoirRows: number;
  readonly family: LossFamily;
  readonly history = { train: [] as number[], validation: [] as number[] };
  lastBatchNorm = 0;
  latestValidation: number | null = null;
  private lastPost = -Infinity;

  constructor(
    readonly source: StreamSource,
    readonly settings: TrainSettings,
    readonly options: StreamOptions,
    readonly plan: StreamPlan,
  ) {
    this.d = plan.features.length;
    this.K = plan.classes.length;
    this.nOut = plan.kind === 'binary' ? 1 : this.K;
    this.nParams = this.nOut * (this.d + 1);
    this.windowRows = options.windowRows ?? Math.max(Math.min(65536, Math.floor((4 << 20) / Math.max(1, this.d))), settings.batchSize, 256);
    this.reservoirRows = options.reservoirRows ?? STREAM_RESERVOIR_ROWS;
    this.family = lossFamilyOf(plan.kind);
  }

  get file(): string {
    return this.options.fileName;
  }

  shouldStop(): void {
    if (this.options.shouldStop?.()) throw new TrainingCancelled();
  }

  /** A TrainProgress snapshot, at most every progressIntervalMs unless forced. */
  post(phase: TrainProgress['phase'], force = false): void {
    if (!this.options.onProgress) return;
    const t = now();
    if (!force && t - this.lastPost < (this.options.progressIntervalMs ?? 100)) return;
    this.lastPost = t;
    this.options.onProgress({
      phase,
      iteration: this.history.train.length,
      maxIter: this.settings.epochs * (POINTS_PER_EPOCH + 1),
      output: 0,
      outputs: 1,
      gradientNorm: this.lastBatchNorm,
      lossHistory: { train: this.history.train.slice(), validation: this.history.validation.slice() },
    });
  }

  /** One pass over the file, feeding windows of the wanted splits. */
  async pass(pass: StreamProgress['pass'], epoch: number, wanted: [boolean, boolean, boolean], feed: Feed, counts: RowCounts | null): Promise<void> {
    const window = new RowWindow(this.windowRows, this.d);
    const encoder = new Encoder(this.plan, this.settings, this.file, window, wanted, feed, counts);
    const { source, options, settings } = this;
    for await (const block of source.pass()) {
      this.shouldStop();
      encoder.block(block);
      options.onStreamProgress?.({ pass, epoch, epochs: settings.epochs, bytes: block.bytesEnd, totalBytes: source.totalBytes, validationLoss: this.latestValidation });
      this.post(pass === 'statistics' ? 'reading' : pass === 'training' ? 'fitting' : 'evaluating');
    }
    encoder.finish();
  }
}

/** What the statistics pass learns about the whole file. */
interface StreamStatistics {
  counts: RowCounts;
  classCounts: number[];
  /** Rows per split (train, validation, test). */
  splitCounts: number[];
  rowsSeen: number;
  nTrain: number;
  scaler: Scaler;
  /** Per-class weight ('balanced': n / (K · n_k) on the training rows), S the training weight, C resolved. */
  classWeight: Float64Array;
  S: number;
  C: number;
  penalized: boolean;
  ms: number;
}

/**
 * Pass 1: encodes every row (so every DataError surfaces before fitting), counts rows, classes and
 * missing cells, and merges each window's training moments into the scaler's (Chan et al.).
 */
async function statisticsPass(run: StreamRun): Promise<StreamStatistics> {
  const { d, K, plan, settings, file } = run;
  const t0 = now();
  run.post('reading', true);
  const counts: RowCounts = { rows: 0, dropped: 0, missingTarget: 0, missingByColumn: new Array<number>(plan.groups.length).fill(0), infinite: 0, firstInfiniteLine: 0 };
  const classCounts = new Array<number>(K).fill(0);
  const trainClassCounts = new Float64Array(K);
  const splitCounts = [0, 0, 0];
  const moments = { count: new Float64Array(d), mean: new Float64Array(d), m2: new Float64Array(d) };
  const extremes = new ColumnExtremes(d);
  let rowsSeen = 0;
  await run.pass('statistics', 0, [true, true, true], (w) => {
    rowsSeen += w.n;
    for (let i = 0; i < w.n; i++) {
      classCounts[w.y[i]]++;
      splitCounts[w.split[i]]++;
      if (w.split[i] === 0) trainClassCounts[w.y[i]]++;
    }
    mergeTrainingMoments(w, d, moments);
    extremes.add(w.X, w.n, w.line);
  }, counts);
  const nTrain = splitCounts[0];
  if (rowsSeen === 0) throw new DataError({ code: 'dataset.no-rows', file, message: 'no rows are left after dropping rows with a missing target or missing values' });
  if (nTrain < 2) throw new DataError({ code: 'data.too-few-rows', file, message: `only ${nTrain} training row(s) remain after the hold-out; lower --test-size/--val-size` });
  const scaler = scalerFromMoments(moments, nTrain, settings.standardize);
  // A value that no fit can use (a sum that overflowed, a value far beyond the column's scale): exit 2 now.
  extremes.check(scaler, settings.standardize, plan.features.map((f) => f.name), file);
  // Class weights ('balanced', scikit-learn's n / (K · n_k)) from the training rows of the whole file.
  const classWeight = new Float64Array(K).fill(1);
  if (settings.classWeight === 'balanced') for (let k = 0; k < K; k++) classWeight[k] = trainClassCounts[k] > 0 ? nTrain / (K * trainClassCounts[k]) : 0;
  let S = 0;
  for (let k = 0; k < K; k++) S += classWeight[k] * trainClassCounts[k];
  const C = settings.lambda !== undefined ? 1 / (settings.lambda * S) : settings.C;
  const penalized = settings.penalty !== 'none' && Number.isFinite(C);
  return { counts, classCounts, splitCounts, rowsSeen, nTrain, scaler, classWeight, S, C, penalized, ms: now() - t0 };
}

/**
 * Two-pass mean and M2 of a window's training values per feature, merged into the running totals (Chan et al.).
 * The two loops over the window are the two passes (the mean, then squares about it), not a copy.
 */
function mergeTrainingMoments(w: RowWindow, d: number, totals: { count: Float64Array; mean: Float64Array; m2: Float64Array }): void {
  const { count, mean, m2 } = totals;
  for (let j = 0; j < d; j++) {
    let c = 0;
    let s = 0;
    for (let i = 0; i < w.n; i++) {
      if (w.split[i] !== 0) continue;
      const v = w.X[i * d + j];
      if (v === v) {
        c++;
        s += v;
      }
    }
    if (c === 0) continue;
    const mb = s / c;
    let q = 0;
    let corr = 0;
    for (let i = 0; i < w.n; i++) {
      if (w.split[i] !== 0) continue;
      const v = w.X[i * d + j];
      if (v === v) {
        const t = v - mb;
        q += t * t;
        corr += t;
      }
    }
    q -= (corr * corr) / c;
    const ca = count[j];
    const total = ca + c;
    const delta = mb - mean[j];
    mean[j] += (delta * c) / total;
    m2[j] += q + (delta * delta * ca * c) / total;
    count[j] = total;
  }
}

/** Imputation means and the StandardScaler of the training rows (preprocess.ts's conventions). */
function scalerFromMoments(moments: { count: Float64Array; mean: Float64Array; m2: Float64Array }, nTrain: number, standardize: boolean): Scaler {
  const { count, mean, m2 } = moments;
  const d = count.length;
  const scaler: Scaler = { imputeMean: new Float64Array(d), mean: new Float64Array(d), scale: new Float64Array(d).fill(1) };
  for (let j = 0; j < d; j++) {
    scaler.imputeMean[j] = count[j] > 0 ? mean[j] : 0;
    if (!standardize) continue;
    scaler.mean[j] = scaler.imputeMean[j];
    // Imputed cells sit at the mean and add nothing to the sum of squares.
    const variance = count[j] > 0 ? m2[j] / nTrain : 0;
    if (!isConstantFeature(variance, scaler.mean[j], nTrain)) scaler.scale[j] = Math.sqrt(variance);
  }
  return scaler;
}

/** Standardizes the window's rows of split `which` (-1: all) into `out` (compact); returns their count, their window indices in idx. */
function standardizeWindow(w: RowWindow, which: number, scaler: Scaler, d: number, out: Float64Array, idx: Int32Array): number {
  let m = 0;
  for (let i = 0; i < w.n; i++) {
    if (which >= 0 && w.split[i] !== which) continue;
    const src = i * d;
    const dst = m * d;
    for (let j = 0; j < d; j++) {
      const v = w.X[src + j];
      out[dst + j] = ((v === v ? v : scaler.imputeMean[j]) - scaler.mean[j]) / scaler.scale[j];
    }
    idx[m++] = i;
  }
  return m;
}

/** The loss on `m` standardized rows whose penalty strengths equal the whole file's (C scaled by S / S_window). */
function windowLoss(run: StreamRun, stats: StreamStatistics, Xs: Float64Array, m: number, y: Int32Array): LinearModelLoss {
  const { settings } = run;
  let weights: Float64Array | null = null;
  let Sw = m;
  if (settings.classWeight === 'balanced') {
    weights = new Float64Array(m);
    Sw = 0;
    for (let i = 0; i < m; i++) Sw += weights[i] = stats.classWeight[y[i]];
  }
  return new LinearModelLoss({
    X: Xs,
    n: m,
    d: run.d,
    kind: run.plan.kind,
    y,
    nClasses: run.K,
    sampleWeight: weights,
    fitIntercept: true,
    penalty: stats.penalized ? settings.penalty : 'none',
    C: stats.penalized ? (stats.C * stats.S) / Sw : Infinity,
    l1Ratio: settings.l1Ratio,
  });
}

/** The result of the SGD epochs. */
interface SgdResult {
  theta: Float64Array;
  epochsRun: number;
  earlyStopped: boolean;
  diverged: boolean;
  /** Each epoch's progressive validation loss (NaN without validation rows). */
  epochValidation: number[];
  ms: number;
  /** θ at the start and after each loss-history point (snapshots.ts), for the replay. */
  replay: Replay;
}

/**
 * Mini-batch SGD over the windows of one run: progressive validation of each window's hold-out rows,
 * then steps over its shuffled training rows, with the loss history's points every `segmentRows`.
 */
class SgdEpochs {
  readonly theta: Float64Array;
  diverged = false;
  private lastGood: Float64Array;
  private lr0: number;
  private stepper: ReturnType<typeof createStepper> | null = null;
  private readonly rng: Rng;
  private readonly Xtrain: Float64Array;
  private readonly Xval: Float64Array;
  private readonly idx: Int32Array;
  private readonly yBuf: Int32Array;
  private readonly grad: Float64Array;
  private readonly zBuf: Float64Array;
  private readonly segmentRows: number;
  private readonly hasValidation: boolean;
  // Running sums: this history segment's and this epoch's.
  private segTrain = 0;
  private segTrainRows = 0;
  private segVal = 0;
  private segValRows = 0;
  epochVal = 0;
  epochValRows = 0;
  /** Snapshot k is θ after history point k (0: the start), as the replay's iteration k. */
  readonly snapshots: SnapshotRecorder;

  constructor(
    private readonly run: StreamRun,
    private readonly stats: StreamStatistics,
  ) {
    const { nParams, windowRows, d, nOut, settings } = run;
    this.theta = new Float64Array(nParams);
    this.lastGood = this.theta.slice();
    this.lr0 = settings.learningRate ?? NaN;
    this.rng = new Rng(settings.seed);
    this.Xtrain = new Float64Array(windowRows * d);
    this.Xval = new Float64Array(windowRows * d);
    this.idx = new Int32Array(windowRows);
    this.yBuf = new Int32Array(windowRows);
    this.grad = new Float64Array(nParams);
    this.zBuf = new Float64Array(windowRows * nOut);
    this.segmentRows = Math.max(settings.batchSize, Math.ceil(stats.nTrain / POINTS_PER_EPOCH));
    this.hasValidation = stats.splitCounts[1] > 0;
    this.snapshots = new SnapshotRecorder(nOut);
    this.snapshots.record(0, this.theta);
  }

  startEpoch(): void {
    this.epochVal = this.epochValRows = 0;
  }

  /** Closes the history segment: a training point, and a validation point when there are validation rows. */
  pushPoint(): void {
    const { history } = this.run;
    if (this.segTrainRows === 0) return;
    history.train.push(this.segTrain / this.segTrainRows);
    if (this.hasValidation) {
      const v = this.segValRows > 0 ? this.segVal / this.segValRows : (history.validation[history.validation.length - 1] ?? NaN);
      history.validation.push(v);
      if (this.segValRows > 0) this.run.latestValidation = v;
    }
    this.segTrain = this.segTrainRows = this.segVal = this.segValRows = 0;
    this.snapshots.record(history.train.length, this.theta);
  }

  /** Scores the window's validation rows with the current model (progressive validation). */
  private scoreValidation(w: RowWindow): void {
    const { run } = this;
    const mv = standardizeWindow(w, 1, this.stats.scaler, run.d, this.Xval, this.idx);
    if (mv === 0) return;
    const z = this.zBuf.subarray(0, mv * run.nOut);
    decisionInto(this.theta, this.Xval, mv, run.d, run.nOut, z);
    for (let a = 0; a < mv; a++) {
      const l = cappedRowLoss(run.family, z, a * run.nOut, run.K, w.y[this.idx[a]]);
      this.segVal += l;
      this.epochVal += l;
    }
    this.segValRows += mv;
    this.epochValRows += mv;
  }

  /** One window of an epoch: its validation rows scored, then mini-batch steps over its training rows. */
  window(w: RowWindow, epoch: number): void {
    if (this.diverged) return;
    const { run, theta, grad } = this;
    const { settings, nParams } = run;
    this.scoreValidation(w);
    const m = standardizeWindow(w, 0, this.stats.scaler, run.d, this.Xtrain, this.idx);
    if (m === 0) return;
    for (let a = 0; a < m; a++) this.yBuf[a] = w.y[this.idx[a]];
    const loss = windowLoss(run, this.stats, this.Xtrain, m, this.yBuf.subarray(0, m));
    const B = settings.batchSize;
    if (!this.stepper) {
      if (!(this.lr0 > 0)) this.lr0 = defaultLearningRate(loss, 'minibatch', settings.optimizer, MOMENTUM, Math.min(B, m));
      this.stepper = createStepper(nParams, settings.optimizer, MOMENTUM, loss.penalizedMask, loss.l1Strength);
    }
    const eta = this.lr0 * scheduleFactor(settings.schedule, epoch);
    const order = new Int32Array(m);
    for (let a = 0; a < m; a++) order[a] = a;
    this.rng.shuffle(order);
    for (let start = 0; start < m; start += B) {
      run.shouldStop();
      const end = Math.min(m, start + B);
      const f = loss.lossGradientBatch(theta, order, start, end, grad) + l1Norm(theta, loss.penalizedMask, loss.l1Strength);
      if (!Number.isFinite(f)) {
        this.diverge();
        return;
      }
      let gn = 0;
      for (let j = 0; j < nParams; j++) gn = Math.max(gn, Math.abs(grad[j]));
      run.lastBatchNorm = gn;
      this.stepper.update(theta, grad, eta);
      this.segTrain += f * (end - start);
      this.segTrainRows += end - start;
      if (this.segTrainRows >= this.segmentRows) this.pushPoint();
    }
    if (theta.every(Number.isFinite)) this.lastGood = theta.slice();
    else this.diverge();
    run.post('fitting');
  }

  /** A non-finite loss or step: the last finite parameters are kept and the run ends. */
  private diverge(): void {
    this.diverged = true;
    this.theta.set(this.lastGood);
  }
}

/** Momentum of the streaming optimizer's 'momentum' rule. */
const MOMENTUM = 0.9;

/** Passes 2..: epochs of mini-batch SGD, with early stopping on each epoch's progressive validation loss. */
async function sgdEpochs(run: StreamRun, stats: StreamStatistics): Promise<SgdResult> {
  const { settings } = run;
  const t1 = now();
  const sgd = new SgdEpochs(run, stats);
  const stopping = new EarlyStopping(settings.patience);
  const epochValidation: number[] = [];
  let epochsRun = 0;
  for (let epoch = 0; epoch < settings.epochs && !sgd.diverged && !stopping.stopped; epoch++) {
    sgd.startEpoch();
    await run.pass('training', epoch + 1, [true, true, false], (w) => sgd.window(w, epoch), null);
    sgd.pushPoint();
    epochsRun = epoch + 1;
    const v = sgd.epochValRows > 0 ? sgd.epochVal / sgd.epochValRows : NaN;
    epochValidation.push(v);
    if (settings.earlyStopping && sgd.epochValRows > 0) stopping.observe(v, sgd.theta);
    run.post('fitting', true);
  }
  if (stopping.stopped && stopping.bestTheta) sgd.theta.set(stopping.bestTheta);
  return { theta: sgd.theta, epochsRun, earlyStopped: stopping.stopped, diverged: sgd.diverged, epochValidation, ms: now() - t1, replay: { d: run.d, outputs: [sgd.snapshots.finish()] } };
}

/** What the evaluation pass gathers: exact counts and reservoirs per split, the points, the PCA rows, and the training data terms. */
interface EvaluationGather {
  acc: SplitAccumulator[];
  points: PointSample;
  pcaX: Float64Array;
  pcaRows: number;
  /** Σ over training windows of S_w × (data loss, its gradient) at the final model. */
  dataSum: { f: number; g: Float64Array };
}

/**
 * The last pass, with the final model: per split the exact counts (confusion, log-loss, Brier) and a
 * reservoir of decision values; a uniform reservoir of boundary points; a reservoir of standardized
 * training rows for the PCA; and the training rows' data terms of the objective.
 */
async function evaluationPass(run: StreamRun, stats: StreamStatistics, theta: Float64Array, threshold: number): Promise<EvaluationGather> {
  const { d, K, nOut, nParams, windowRows, settings, plan } = run;
  const { scaler } = stats;
  const Kp = plan.kind === 'binary' ? 2 : K;
  const acc = [0, 1, 2].map(() => new SplitAccumulator(K, nOut, run.reservoirRows));
  const evalRng = new Rng(settings.seed + 1);
  const pointCap = settings.maxPoints;
  const pointsX = new Float64Array(pointCap * d);
  const pointsY = new Int32Array(pointCap);
  const pointsSplit = new Int32Array(pointCap);
  let pointsSeen = 0;
  const pcaX = new Float64Array(PCA_ROWS * d);
  let pcaSeen = 0;
  const dataSum = { f: 0, g: new Float64Array(nParams) };
  const Xs = new Float64Array(windowRows * d);
  const Xtrain = new Float64Array(windowRows * d);
  const idx = new Int32Array(windowRows);
  const yBuf = new Int32Array(windowRows);
  const zBuf = new Float64Array(windowRows * nOut);
  const p = new Float64Array(Kp);
  const penalty = penaltyStrengths(stats, settings);
  await run.pass('evaluation', 0, [true, true, true], (w) => {
    const m = standardizeWindow(w, -1, scaler, d, Xs, idx);
    const z = zBuf.subarray(0, m * nOut);
    decisionInto(theta, Xs, m, d, nOut, z);
    for (let a = 0; a < m; a++) {
      const i = idx[a];
      const s = w.split[i];
      const cls = w.y[i];
      const A = acc[s];
      // Probabilities and the predicted class (binary at the model's threshold, else argmax).
      run.family.rowProba(z, a * nOut, Kp, p, 0);
      A.confusion[cls][predictRowFromProba(p, 0, Kp, plan.kind === 'binary' ? threshold : undefined)]++;
      A.logLoss += probaRowLogLoss(p, 0, Kp, cls);
      A.brier += probaRowBrier(p, 0, Kp, cls);
      const slot = reservoirSlot(A.n, A.capacity, evalRng);
      if (slot >= 0) {
        A.z.set(z.subarray(a * nOut, (a + 1) * nOut), slot * nOut);
        A.y[slot] = cls;
        A.kept = Math.min(A.capacity, A.kept + 1);
      }
      A.n++;
      const ps = reservoirSlot(pointsSeen++, pointCap, evalRng);
      if (ps >= 0) {
        for (let j = 0; j < d; j++) {
          const v = w.X[i * d + j];
          pointsX[ps * d + j] = v === v ? v : scaler.imputeMean[j];
        }
        pointsY[ps] = cls;
        pointsSplit[ps] = s;
      }
      if (s === 0) {
        const qs = reservoirSlot(pcaSeen++, PCA_ROWS, evalRng);
        if (qs >= 0) pcaX.set(Xs.subarray(a * d, (a + 1) * d), qs * d);
      }
    }
    // The full objective and gradient at the final model: the data terms of the training rows, summed over windows.
    const mt = standardizeWindow(w, 0, scaler, d, Xtrain, idx);
    if (mt > 0) {
      for (let a = 0; a < mt; a++) yBuf[a] = w.y[idx[a]];
      addDataTerms(windowLoss(run, stats, Xtrain, mt, yBuf.subarray(0, mt)), theta, penalty.l2, dataSum);
    }
  }, null);
  const mp = Math.min(pointsSeen, pointCap);
  const points = { X: pointsX.slice(0, mp * d), y: pointsY.subarray(0, mp), split: pointsSplit.subarray(0, mp), ofRows: stats.rowsSeen };
  return { acc, points, pcaX, pcaRows: Math.min(pcaSeen, PCA_ROWS), dataSum };
}

/** The penalty strengths of the whole file's objective: ½ l2 ||W||² + l1 ||W||_1. */
function penaltyStrengths(stats: StreamStatistics, settings: TrainSettings): { l1: number; l2: number } {
  if (!stats.penalized) return { l1: 0, l2: 0 };
  const rho = settings.penalty === 'l1' ? 1 : settings.penalty === 'elasticnet' ? settings.l1Ratio : 0;
  return { l1: rho / (stats.S * stats.C), l2: (1 - rho) / (stats.S * stats.C) };
}

/** Adds one window's data loss and gradient (its L2 part removed), weighted by the window's S_w, to the sums. */
function addDataTerms(loss: LinearModelLoss, theta: Float64Array, l2: number, dataSum: { f: number; g: Float64Array }): void {
  const gw = new Float64Array(theta.length);
  let f = loss.lossGradient(theta, gw);
  let w2 = 0;
  for (let j = 0; j < theta.length; j++) {
    if (!loss.penalizedMask[j]) continue;
    w2 += theta[j] * theta[j];
    gw[j] -= l2 * theta[j];
  }
  f -= (l2 / 2) * w2;
  const Sw = loss.totalWeight;
  dataSum.f += f * Sw;
  for (let j = 0; j < theta.length; j++) dataSum.g[j] += gw[j] * Sw;
}

/** The final objective (scikit-learn's scale) and projected gradient norm from the evaluation pass's data terms. */
function finalObjective(run: StreamRun, stats: StreamStatistics, theta: Float64Array, dataSum: EvaluationGather['dataSum']): { objective: number; gradientNorm: number } {
  const { nParams, nOut, d, settings } = run;
  const { S, C } = stats;
  const { l1, l2 } = penaltyStrengths(stats, settings);
  const mask = new Uint8Array(nParams);
  for (let k = 0; k < nOut; k++) mask.fill(1, k * (d + 1), k * (d + 1) + d);
  let w2 = 0;
  const fullGrad = new Float64Array(nParams);
  for (let j = 0; j < nParams; j++) {
    fullGrad[j] = dataSum.g[j] / S + (mask[j] ? l2 * theta[j] : 0);
    if (mask[j]) w2 += theta[j] * theta[j];
  }
  const F = dataSum.f / S + (l2 / 2) * w2 + l1Norm(theta, mask, l1);
  const gradientNorm = pseudoGradient(theta, fullGrad, mask, l1, new Float64Array(nParams));
  return { objective: stats.penalized ? F * S * C : F * S, gradientNorm };
}

/** The convergence record of a streamed run: it always runs its epochs, unless it diverged or stopped early. */
function streamConvergence(run: StreamRun, stats: StreamStatistics, sgd: SgdResult, final: { objective: number; gradientNorm: number }, finalValidation: number | null): Convergence {
  const { epochsRun, diverged, earlyStopped } = sgd;
  const learningRate = run.settings.learningRate;
  return {
    solver: 'minibatch',
    iterations: epochsRun,
    converged: false,
    gradientNorm: final.gradientNorm,
    stopReason: diverged ? 'diverged' : earlyStopped ? 'early-stopped' : 'max-iter',
    message: diverged
      ? `streaming SGD diverged in epoch ${epochsRun}; the last finite model is kept: lower --learning-rate${learningRate !== undefined ? ` (now ${learningRate})` : ''}`
      : `streaming mini-batch SGD ran ${epochsRun} epoch${epochsRun === 1 ? '' : 's'} over ${stats.nTrain} training rows${finalValidation !== null ? ` (validation log-loss ${finalValidation.toPrecision(4)})` : ''}; more epochs (--epochs, or "Epochs (streaming)" in the panel) make more passes`,
    objective: final.objective,
  };
}

/** Each split's evaluation from its reservoir, with the exact streamed counts; a binary model's calibrators from the validation reservoir. */
function streamEvaluation(run: StreamRun, model: ModelJson, acc: SplitAccumulator[]): Partial<Record<SplitName, SplitEvaluation>> {
  const { nOut, plan } = run;
  if (plan.kind === 'binary' && acc[1].kept > 0) {
    model.calibration = fitCalibrators(acc[1].z.slice(0, acc[1].kept), acc[1].y.slice(0, acc[1].kept));
  }
  const evaluation: Partial<Record<SplitName, SplitEvaluation>> = {};
  const names: SplitName[] = ['train', 'validation', 'test'];
  acc.forEach((A, s) => {
    if (A.n === 0) return;
    const m = A.kept;
    const rows = Int32Array.from({ length: m }, (_, i) => i);
    const ds: Pick<Dataset, 'y' | 'classes'> = { y: A.y.slice(0, m), classes: plan.classes };
    const ev = evaluateSplit(names[s], model, A.z.slice(0, m * nOut), rows, ds);
    ev.n = A.n;
    if (ev.metrics) exactCounts(ev.metrics, A);
    evaluation[names[s]] = ev;
  });
  return evaluation;
}

/** The run's notes and warnings: infinite values, dropped rows, what streaming approximates, divergence, early stopping. */
function streamWarnings(run: StreamRun, stats: StreamStatistics, sgd: SgdResult, convergence: Convergence): Diagnostic[] {
  const { plan, settings, file } = run;
  const { counts } = stats;
  const warnings = plan.warnings;
  if (counts.infinite > 0) warnings.push(warning('feature.not-number', `${counts.infinite} infinite value${counts.infinite === 1 ? ' was' : 's were'} treated as missing`, { file, line: counts.firstInfiniteLine }));
  if (counts.missingTarget > 0) warnings.push(warning('target.missing', `${counts.missingTarget} row${counts.missingTarget === 1 ? '' : 's'} whose target '${plan.target.name}' is missing ${counts.missingTarget === 1 ? 'was' : 'were'} dropped`, { file }));
  if (settings.missing === 'drop' && counts.dropped > counts.missingTarget) {
    warnings.push(warning('dataset.dropped-missing', `${counts.dropped - counts.missingTarget} rows with missing feature values were dropped (missing policy 'drop')`, { file }));
  }
  warnings.push({
    severity: 'info',
    code: 'stream.notes',
    file,
    message:
      `trained by streaming (larger than memory): column types, categories and classes come from the first ${plan.sampleRows} rows; ` +
      `the hold-out is a seeded hash of the row number (validation ${settings.valSize}, test ${settings.testSize}); rows are shuffled within windows of ${run.windowRows} rows, not across the file; ` +
      `the loss curve's validation values are progressive (each hold-out row scored by the model of its moment); ` +
      `counts, accuracy, log-loss, Brier and the confusion matrix are exact, while ROC/PR/AUC, average precision, ECE, reliability and calibration use a random sample of up to ${run.reservoirRows} rows per split`,
  });
  if (sgd.diverged) warnings.push(warning('fit.diverged', convergence.message!, { file }));
  const g = convergence.gradientNorm;
  if (!sgd.diverged && Number.isFinite(g) && g > STREAM_UNDERFIT_GRADIENT) {
    warnings.push(
      warning(
        'fit.underfit',
        `after ${sgd.epochsRun} epoch${sgd.epochsRun === 1 ? '' : 's'} the projected gradient of the whole objective is ${g.toPrecision(2)}, above ${STREAM_UNDERFIT_GRADIENT}: the model is still far from its optimum; run more epochs (--epochs) or raise --learning-rate`,
        { file },
      ),
    );
  }
  if (sgd.earlyStopped) warnings.push(warning('fit.early-stopped', `stopped early after ${sgd.epochsRun} epochs: the validation loss did not improve for ${settings.patience} epochs`, { file }));
  return warnings;
}

/** A streamed model whose final projected gradient is above this is warned about as underfit. */
export const STREAM_UNDERFIT_GRADIENT = 0.01;

function streamDataSummary(run: StreamRun, stats: StreamStatistics): DataSummary {
  const { plan, settings, file } = run;
  const { counts } = stats;
  const missingCounts: Record<string, number> = {};
  plan.groups.forEach((g, k) => (missingCounts[g.name] = counts.missingByColumn[k]));
  return {
    fileName: file,
    nRows: counts.rows + counts.dropped,
    nColumns: plan.header.length,
    delimiter: plan.delimiter,
    decimalComma: plan.decimalComma,
    encoding: plan.encoding,
    columns: plan.columns,
    target: [plan.target.name],
    classes: plan.classes,
    classCounts: stats.classCounts,
    droppedRows: counts.dropped,
    missingPolicy: settings.missing,
    missingCounts,
    nTrain: stats.nTrain,
    nValidation: stats.splitCounts[1],
    nTest: stats.splitCounts[2],
  };
}

/** The standardized coefficients and intercepts of θ (nOut blocks of d weights and an intercept). */
function splitTheta(theta: Float64Array, nOut: number, d: number): { coefStd: Float64Array; interceptStd: Float64Array } {
  const coefStd = new Float64Array(nOut * d);
  const interceptStd = new Float64Array(nOut);
  for (let k = 0; k < nOut; k++) {
    coefStd.set(theta.subarray(k * (d + 1), k * (d + 1) + d), k * d);
    interceptStd[k] = theta[k * (d + 1) + d];
  }
  return { coefStd, interceptStd };
}

/**
 * Trains on the stream. Settings as trainFromTable's; the solver is always mini-batch SGD (settings
 * optimizer, learningRate, schedule, batchSize, epochs, earlyStopping/patience on the epoch's
 * validation loss), binary or multinomial. The phases: statistics, SGD epochs, evaluation, assembly.
 */
export async function trainStream(source: StreamSource, settingsIn: Partial<TrainSettings>, options: StreamOptions): Promise<TrainReport> {
  const settings: TrainSettings = { ...DEFAULT_SETTINGS, ...settingsIn, solver: 'minibatch', stream: true };
  const problems = validateSettings(settings);
  if (problems.length > 0) throw new DataError({ code: 'settings.invalid', message: problems.join('; ') });
  const plan = planStream(source.sample, settings, options.fileName);
  const run = new StreamRun(source, settings, options, plan);
  const { d, nOut } = run;

  const stats = await statisticsPass(run);
  const sgd = await sgdEpochs(run, stats);
  const { theta, epochsRun } = sgd;

  // The model (coefficients in both units), before the evaluation pass fills its metrics.
  const model = assembleModel({
    kind: plan.kind,
    classes: plan.classes,
    targetNames: [plan.target.name],
    features: plan.features,
    prep: { ...stats.scaler, standardize: settings.standardize },
    ...splitTheta(theta, nOut, d),
    settings,
    C: stats.C,
    totalWeight: stats.S,
    training: { solver: 'minibatch', iterations: epochsRun, converged: false, gradientNorm: 0, objective: 0 },
  });

  const t2 = now();
  run.post('evaluating', true);
  const gathered = await evaluationPass(run, stats, theta, model.threshold);
  const final = finalObjective(run, stats, theta, gathered.dataSum);
  const finalValidation = gathered.acc[1].n > 0 ? gathered.acc[1].logLoss / gathered.acc[1].n : null;
  const convergence = streamConvergence(run, stats, sgd, final, finalValidation);
  model.training = { solver: 'minibatch', iterations: epochsRun, converged: false, gradientNorm: final.gradientNorm, objective: final.objective };
  const evaluation = streamEvaluation(run, model, gathered.acc);
  const warnings = streamWarnings(run, stats, sgd, convergence);
  const data = streamDataSummary(run, stats);
  run.post('evaluating', true);
  const mPca = gathered.pcaRows;
  return assembleReport({
    model,
    data,
    convergence,
    lossHistory: run.history,
    replay: sgd.replay,
    evaluation,
    points: gathered.points,
    projection: principalComponents(gathered.pcaX.subarray(0, mPca * d), mPca, d, settings.seed),
    warnings,
    timings: { parseMs: stats.ms, fitMs: sgd.ms, evaluateMs: now() - t2 },
    stream: { epochs: epochsRun, epochValidationLoss: sgd.epochValidation, finalValidationLoss: finalValidation, windowRows: run.windowRows, reservoirRows: run.reservoirRows, totalBytes: source.totalBytes },
  });
}

/** z = X θ for m standardized rows (θ holds nOut blocks of d weights and an intercept). */
function decisionInto(theta: Float64Array, X: Float64Array, m: number, d: number, nOut: number, z: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * d;
    for (let k = 0; k < nOut; k++) {
      const o = k * (d + 1);
      let s = theta[o + d];
      for (let j = 0; j < d; j++) s += theta[o + j] * X[row + j];
      z[i * nOut + k] = s;
    }
  }
}

/** Replaces the sample-based count metrics by the exact streamed ones (the rest stays from the sample). */
function exactCounts(m: ClassificationMetrics, A: SplitAccumulator): void {
  const K = A.K;
  const cm = A.confusion;
  let correct = 0;
  for (let k = 0; k < K; k++) correct += cm[k][k];
  m.n = A.n;
  m.accuracy = correct / A.n;
  m.logLoss = A.logLoss / A.n;
  m.brier = A.brier / A.n;
  m.confusion = K <= MAX_CLASSES_IN_DETAIL ? cm.map((r) => r.slice()) : [];
  Object.assign(m, metricsFromConfusion(cm));
}
