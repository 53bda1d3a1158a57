/**
 * Larger-than-memory training: streaming mini-batch SGD over a CSV that is read block by block and
 * never held whole. Pure core: the caller (src/node/streamCsv.ts) hands in a sample of the first lines
 * and, for every pass, the file's blocks already parsed (the fast parser's FastTable, with the general
 * parser's CsvTable of the same bytes on demand); this module never sees a file.
 *
 * The run, in passes over the file:
 * 1. Plan (from the sample, the first few MB): column types, target, feature encoding and classes on
 *    the in-memory rules (dataset.ts inferColumns / guessTarget / planDataset / classesOf). Later rows
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
import { MAX_SCALED_VALUE, extremeValueError, overflowingColumnError } from '../data/extremeValues';
import { isMissing, parseNumber, type CsvTable } from '../data/csv';
import { classesOf, guessTarget, inferColumns, planDataset, type ColumnInfo, type Dataset, type FeatureSpec } from '../data/dataset';
import { DataError, warning, type Diagnostic } from '../diagnostics';
import type { FastTable } from '../data/fastCsv';
import { evaluateSplit, fitCalibrators } from '../evaluate/evaluate';
import { LinearModelLoss } from '../model/loss';
import { precisionRecallF1 } from '../evaluate/curves';
import type { ClassificationMetrics } from '../evaluate/metrics';
import { MODEL_FORMAT, MODEL_VERSION, decisionOnPreprocessed, probaFromDecision, type ModelJson } from '../model/model';
import { defaultLearningRate } from '../optimize/gd';
import { l1Norm, pseudoGradient } from '../optimize/prox';
import { createStepper, scheduleFactor } from '../optimize/stepper';
import { coefToOriginal, isConstantFeature } from '../data/preprocess';
import { principalComponents } from '../evaluate/projection';
import { Rng } from '../random';
import type { Convergence, DataSummary, SplitEvaluation, SplitName, TrainProgress, TrainReport } from '../report/report';
import { DEFAULT_SETTINGS, validateSettings, type TrainSettings } from './settings';
import { TrainingCancelled } from './train';
import { VERSION } from '../version';

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
const PCA_ROWS = 5000;

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

interface PlanGroup {
  name: string;
  /** Column index in the header. */
  j: number;
  /** Position of the numeric feature, or -1 for a one-hot group. */
  numeric: number;
  levels: Map<string, number>;
}

/** What the sample fixes for the whole file. */
export interface StreamPlan {
  header: string[];
  delimiter: string;
  decimalComma: boolean;
  encoding: 'utf-8' | 'windows-1252';
  /** Typed on the sample. */
  columns: ColumnInfo[];
  target: ColumnInfo;
  features: FeatureSpec[];
  groups: PlanGroup[];
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
  const warnings: Diagnostic[] = [...sample.warnings];
  const { targets, features } = planDataset(sample.header, columns, {
    target: targetName,
    features: settings.features.length > 0 ? settings.features : undefined,
    missing: settings.missing,
    positiveClass: settings.positiveClass,
    fileName: file,
  }, warnings);
  const target = targets[0];
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

  const groups = new Map<string, PlanGroup>();
  features.forEach((f, p) => {
    let g = groups.get(f.column);
    if (!g) groups.set(f.column, (g = { name: f.column, j: sample.header.indexOf(f.column), numeric: -1, levels: new Map() }));
    if (f.kind === 'numeric') g.numeric = p;
    else g.levels.set(f.level, p);
  });
  return {
    header: sample.header,
    delimiter: sample.delimiter,
    decimalComma: sample.decimalComma,
    encoding: sample.encoding,
    columns,
    target,
    features,
    groups: [...groups.values()],
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

/** How one feature column is read from a block. */
type Reader =
  | { kind: 'value'; j: number; p: number }
  | { kind: 'codes-number'; codes: Int32Array; value: Float64Array; bad: Uint8Array; texts: string[]; j: number; p: number }
  | { kind: 'codes-level'; codes: Int32Array; pos: Int32Array; texts: string[]; j: number }
  | { kind: 'cells-number'; cells: string[]; j: number; p: number }
  | { kind: 'cells-level'; cells: string[]; levels: Map<string, number>; j: number };

/** The readers that go through cell texts or dictionary codes. */
type TextReader = Exclude<Reader, { kind: 'value' }>;

const MISSING_POS = -1;
const UNKNOWN_POS = -2;

/**
 * Walks every data row of a pass: encodes the rows of the wanted splits into the window (calling
 * `feed` each time it fills) and numbers rows for the hold-out hash. Throws the DataErrors of rows that
 * do not fit the plan.
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
    const width = plan.header.length;
    const dc = plan.decimalComma;
    const readers: Reader[] = plan.groups.map((g) => {
      if (fast) {
        const col = fast.columns[g.j];
        if (col.kind === 'numeric') return { kind: 'value', j: g.j, p: g.numeric };
        if (g.numeric >= 0) {
          const value = new Float64Array(col.levels.length);
          const bad = new Uint8Array(col.levels.length);
          col.levels.forEach((t, c) => {
            if (isMissing(t)) value[c] = NaN;
            else {
              const v = parseNumber(t, dc);
              if (Number.isFinite(v)) value[c] = v;
              else bad[c] = 1;
            }
          });
          return { kind: 'codes-number', codes: col.codes, value, bad, texts: col.levels, j: g.j, p: g.numeric };
        }
        const pos = Int32Array.from(col.levels, (t) => (isMissing(t) ? MISSING_POS : (g.levels.get(t.trim()) ?? UNKNOWN_POS)));
        return { kind: 'codes-level', codes: col.codes, pos, texts: col.levels, j: g.j };
      }
      const cells = (table as CsvTable).columns[g.j];
      return g.numeric >= 0 ? { kind: 'cells-number', cells, j: g.j, p: g.numeric } : { kind: 'cells-level', cells, levels: g.levels, j: g.j };
    });
    // Numbers read from the fast table's values never throw: they take a tight loop of their own
    // (the other readers keep their order, so a row's first error is the same).
    const valueReaders = readers.flatMap((rd, g) => (rd.kind === 'value' ? [{ j: rd.j, p: rd.p, g }] : []));
    const valueJ = Int32Array.from(valueReaders, (r) => r.j);
    const valueP = Int32Array.from(valueReaders, (r) => r.p);
    const valueG = Int32Array.from(valueReaders, (r) => r.g);
    const nValues = valueReaders.length;
    const values = fast?.values ?? new Float64Array(0);
    const otherReaders = readers.flatMap((rd, g) => (rd.kind === 'value' ? [] : [{ rd: rd as TextReader, g }]));
    const classOfRow = this.targetReader(fast, table as CsvTable);
    const rowLines = table.rowLines;
    const { window, wanted, counts, settings } = this;
    const d = window.d;
    const drop = settings.missing === 'drop';
    const nRows = table.nRows;
    for (let i = 0; i < nRows; i++) {
      const r = this.row++;
      const line = rowLines[i] + block.lineOffset;
      const cls = classOfRow(i, line);
      if (cls < 0) {
        if (counts) {
          counts.missingTarget++;
          counts.dropped++;
        }
        continue;
      }
      const split = streamSplitOf(r, settings.seed, settings.valSize, settings.testSize);
      // The statistics pass encodes every row (to find every error); later passes skip unwanted splits.
      if (!wanted[split] && !counts) continue;
      const at = window.n * d;
      const X = window.X;
      X.fill(0, at, at + d);
      let missing = false;
      const rowAt = i * width;
      for (let k = 0; k < nValues; k++) {
        let v = values[rowAt + valueJ[k]];
        if (v === Infinity || v === -Infinity) {
          v = NaN;
          if (counts && counts.infinite++ === 0) counts.firstInfiniteLine = line;
        }
        if (v !== v) {
          missing = true;
          if (counts) counts.missingByColumn[valueG[k]]++;
        }
        X[at + valueP[k]] = v;
      }
      for (let o = 0; o < otherReaders.length; o++) {
        const { rd, g } = otherReaders[o];
        switch (rd.kind) {
          case 'codes-number': {
            const c = rd.codes[i];
            if (rd.bad[c]) throw this.lateText(rd.j, line, rd.texts[c]);
            const v = rd.value[c];
            if (v !== v) {
              missing = true;
              if (counts) counts.missingByColumn[g]++;
            }
            X[at + rd.p] = v;
            break;
          }
          case 'codes-level': {
            const c = rd.codes[i];
            const p = rd.pos[c];
            if (p === UNKNOWN_POS) throw this.lateLevel(g, rd.j, line, rd.texts[c]);
            if (p === MISSING_POS) {
              missing = true;
              if (counts) counts.missingByColumn[g]++;
            } else X[at + p] = 1;
            break;
          }
          case 'cells-number': {
            const cell = rd.cells[i];
            let v: number;
            if (isMissing(cell)) v = NaN;
            else {
              v = parseNumber(cell, dc);
              if (v === Infinity || v === -Infinity) {
                v = NaN;
                if (counts && counts.infinite++ === 0) counts.firstInfiniteLine = line;
              } else if (v !== v) throw this.lateText(rd.j, line, cell);
            }
            if (v !== v) {
              missing = true;
              if (counts) counts.missingByColumn[g]++;
            }
            X[at + rd.p] = v;
            break;
          }
          case 'cells-level': {
            const cell = rd.cells[i];
            if (isMissing(cell)) {
              missing = true;
              if (counts) counts.missingByColumn[g]++;
              break;
            }
            const p = rd.levels.get(cell.trim());
            if (p === undefined) throw this.lateLevel(g, rd.j, line, cell);
            X[at + p] = 1;
            break;
          }
        }
      }
      if (missing && drop) {
        if (counts) counts.dropped++;
        continue;
      }
      if (counts) counts.rows++;
      if (!wanted[split]) continue;
      window.y[window.n] = cls;
      window.split[window.n] = split;
      window.line[window.n] = line;
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
    for (const g of this.plan.groups) if (g.numeric < 0 && fast.columns[g.j].kind === 'numeric') return false;
    return this.plan.numericLabels || fast.columns[this.plan.target.index].kind !== 'numeric';
  }

  /** Class index of block row i (-1 when the target is missing); a new class is a DataError. */
  private targetReader(fast: FastTable | undefined, table: CsvTable): (i: number, line: number) => number {
    const { plan } = this;
    const j = plan.target.index;
    const dc = plan.decimalComma;
    const keyOf = (text: string) => (plan.numericLabels ? String(parseNumber(text.trim(), dc)) : text.trim());
    if (fast) {
      const col = fast.columns[j];
      if (col.kind === 'numeric') {
        const values = fast.values;
        const width = plan.header.length;
        return (i, line) => {
          const v = values[i * width + j];
          if (v !== v) return -1;
          const k = plan.classIndex.get(String(v));
          if (k === undefined) throw this.lateClass(line, String(v));
          return k;
        };
      }
      const ids = Int32Array.from(col.levels, (t) => (isMissing(t) ? MISSING_POS : (plan.classIndex.get(keyOf(t)) ?? UNKNOWN_POS)));
      return (i, line) => {
        const k = ids[col.codes[i]];
        if (k === UNKNOWN_POS) throw this.lateClass(line, col.levels[col.codes[i]].trim());
        return k;
      };
    }
    const cells = table.columns[j];
    return (i, line) => {
      const cell = cells[i];
      if (isMissing(cell)) return -1;
      const k = plan.classIndex.get(keyOf(cell));
      if (k === undefined) throw this.lateClass(line, cell.trim());
      return k;
    };
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

/**
 * Trains on the stream. Settings as trainFromTable's; the solver is always mini-batch SGD (settings
 * optimizer, learningRate, schedule, batchSize, epochs, earlyStopping/patience on the epoch's
 * validation loss), binary or multinomial.
 */
export async function trainStream(source: StreamSource, settingsIn: Partial<TrainSettings>, options: StreamOptions): Promise<TrainReport> {
  const settings: TrainSettings = { ...DEFAULT_SETTINGS, ...settingsIn, solver: 'minibatch', stream: true };
  const file = options.fileName;
  const problems = validateSettings(settings);
  if (problems.length > 0) throw new DataError({ code: 'settings.invalid', message: problems.join('; ') });
  const plan = planStream(source.sample, settings, file);
  const warnings = plan.warnings;
  const d = plan.features.length;
  const K = plan.classes.length;
  const nOut = plan.kind === 'binary' ? 1 : K;
  const nParams = nOut * (d + 1);
  const epochs = settings.epochs;
  const interval = options.progressIntervalMs ?? 100;
  const windowRows = options.windowRows ?? Math.max(Math.min(65536, Math.floor((4 << 20) / Math.max(1, d))), settings.batchSize, 256);
  const reservoirRows = options.reservoirRows ?? STREAM_RESERVOIR_ROWS;
  const shouldStop = () => {
    if (options.shouldStop?.()) throw new TrainingCancelled();
  };
  let lastPost = -Infinity;
  const history = { train: [] as number[], validation: [] as number[] };
  let lastBatchNorm = 0;
  let latestValidation: number | null = null;
  const post = (phase: TrainProgress['phase'], force = false) => {
    if (!options.onProgress) return;
    const t = now();
    if (!force && t - lastPost < interval) return;
    lastPost = t;
    options.onProgress({
      phase,
      iteration: history.train.length,
      maxIter: epochs * (POINTS_PER_EPOCH + 1),
      output: 0,
      outputs: 1,
      gradientNorm: lastBatchNorm,
      lossHistory: { train: history.train.slice(), validation: history.validation.slice() },
    });
  };
  const streamProgress = (pass: StreamProgress['pass'], epoch: number, bytes: number) =>
    options.onStreamProgress?.({ pass, epoch, epochs, bytes, totalBytes: source.totalBytes, validationLoss: latestValidation });

  /** One pass over the file, feeding windows of the wanted splits. */
  const runPass = async (pass: StreamProgress['pass'], epoch: number, wanted: [boolean, boolean, boolean], feed: Feed, counts: RowCounts | null) => {
    const window = new RowWindow(windowRows, d);
    const encoder = new Encoder(plan, settings, file, window, wanted, feed, counts);
    for await (const block of source.pass()) {
      shouldStop();
      encoder.block(block);
      streamProgress(pass, epoch, block.bytesEnd);
      post(pass === 'statistics' ? 'reading' : pass === 'training' ? 'fitting' : 'evaluating');
    }
    encoder.finish();
  };

  // Pass 1: statistics.
  const t0 = now();
  post('reading', true);
  const counts: RowCounts = { rows: 0, dropped: 0, missingTarget: 0, missingByColumn: new Array<number>(plan.groups.length).fill(0), infinite: 0, firstInfiniteLine: 0 };
  const classCounts = new Array<number>(K).fill(0);
  const trainClassCounts = new Float64Array(K);
  const splitCounts = [0, 0, 0];
  const count = new Float64Array(d);
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  let rowsSeen = 0;
  await runPass('statistics', 0, [true, true, true], (w) => {
    rowsSeen += w.n;
    for (let i = 0; i < w.n; i++) {
      classCounts[w.y[i]]++;
      splitCounts[w.split[i]]++;
      if (w.split[i] === 0) trainClassCounts[w.y[i]]++;
    }
    // Two-pass mean and M2 of this window's training values, merged into the running totals (Chan et al.).
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
  }, counts);
  const nTrain = splitCounts[0];
  if (rowsSeen === 0) throw new DataError({ code: 'dataset.no-rows', file, message: 'no rows are left after dropping rows with a missing target or missing values' });
  if (nTrain < 2) throw new DataError({ code: 'data.too-few-rows', file, message: `only ${nTrain} training row(s) remain after the hold-out; lower --test-size/--val-size` });
  const scaler: Scaler = { imputeMean: new Float64Array(d), mean: new Float64Array(d), scale: new Float64Array(d).fill(1) };
  for (let j = 0; j < d; j++) {
    scaler.imputeMean[j] = count[j] > 0 ? mean[j] : 0;
    if (!settings.standardize) continue;
    scaler.mean[j] = scaler.imputeMean[j];
    // Imputed cells sit at the mean and add nothing to the sum of squares.
    const variance = count[j] > 0 ? m2[j] / nTrain : 0;
    if (!isConstantFeature(variance, scaler.mean[j], nTrain)) scaler.scale[j] = Math.sqrt(variance);
    if (!Number.isFinite(scaler.imputeMean[j]) || !Number.isFinite(scaler.scale[j])) throw overflowingColumnError(plan.features[j].name, file);
  }
  // Class weights ('balanced', scikit-learn's n / (K · n_k)) from the training rows of the whole file.
  const classWeight = new Float64Array(K).fill(1);
  if (settings.classWeight === 'balanced') for (let k = 0; k < K; k++) classWeight[k] = trainClassCounts[k] > 0 ? nTrain / (K * trainClassCounts[k]) : 0;
  let S = 0;
  for (let k = 0; k < K; k++) S += classWeight[k] * trainClassCounts[k];
  const C = settings.lambda !== undefined ? 1 / (settings.lambda * S) : settings.C;
  const penalized = settings.penalty !== 'none' && Number.isFinite(C);
  const statsMs = now() - t0;

  /** Standardizes rows of the window whose split is wanted into `out` (compact); returns their window indices. */
  const standardize = (w: RowWindow, which: number, out: Float64Array, idx: Int32Array): number => {
    let m = 0;
    for (let i = 0; i < w.n; i++) {
      if (which >= 0 && w.split[i] !== which) continue;
      const src = i * d;
      const dst = m * d;
      for (let j = 0; j < d; j++) {
        const v = w.X[src + j];
        const t = ((v === v ? v : scaler.imputeMean[j]) - scaler.mean[j]) / scaler.scale[j];
        if (!(t <= MAX_SCALED_VALUE && t >= -MAX_SCALED_VALUE)) throw extremeValueError(plan.features[j].name, v, settings.standardize, w.line[i], file);
        out[dst + j] = t;
      }
      idx[m++] = i;
    }
    return m;
  };
  /** The loss on `m` standardized rows whose penalty strengths equal the whole file's (C scaled by S / S_window). */
  const windowLoss = (Xs: Float64Array, m: number, y: Int32Array): LinearModelLoss => {
    let weights: Float64Array | null = null;
    let Sw = m;
    if (settings.classWeight === 'balanced') {
      weights = new Float64Array(m);
      Sw = 0;
      for (let i = 0; i < m; i++) Sw += weights[i] = classWeight[y[i]];
    }
    return new LinearModelLoss({
      X: Xs,
      n: m,
      d,
      kind: plan.kind,
      y,
      nClasses: K,
      sampleWeight: weights,
      fitIntercept: true,
      penalty: penalized ? settings.penalty : 'none',
      C: penalized ? (C * S) / Sw : Infinity,
      l1Ratio: settings.l1Ratio,
    });
  };
  /** Mean log-loss terms of rows (natural log, probabilities floored at 1e-300 as train.ts's validation loss). */
  const rowLogLoss = (z: Float64Array, i: number, cls: number): number => {
    if (plan.kind === 'binary') {
      const v = z[i];
      // -log σ(v) for class 1, -log(1-σ(v)) for class 0, computed stably.
      const t = cls === 1 ? -v : v;
      return Math.min(t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)), 690.8);
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, z[i * K + k]);
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(z[i * K + k] - max);
    return Math.min(max + Math.log(s) - z[i * K + cls], 690.8);
  };

  // Passes 2..: epochs of mini-batch SGD.
  const t1 = now();
  const theta = new Float64Array(nParams);
  const B = settings.batchSize;
  const optimizer = settings.optimizer;
  const mu = 0.9;
  let lr0 = settings.learningRate ?? NaN;
  let stepper: ReturnType<typeof createStepper> | null = null;
  const rng = new Rng(settings.seed);
  const Xtrain = new Float64Array(windowRows * d);
  const Xval = new Float64Array(windowRows * d);
  const idx = new Int32Array(windowRows);
  const yBuf = new Int32Array(windowRows);
  const grad = new Float64Array(nParams);
  const zBuf = new Float64Array(windowRows * nOut);
  const segmentRows = Math.max(B, Math.ceil(nTrain / POINTS_PER_EPOCH));
  const epochValidation: number[] = [];
  let best = Infinity;
  let bestTheta: Float64Array | null = null;
  let sinceBest = 0;
  let earlyStopped = false;
  let diverged = false;
  let lastGood = theta.slice();
  let epochsRun = 0;
  const hasValidation = splitCounts[1] > 0;
  for (let epoch = 0; epoch < epochs && !diverged && !earlyStopped; epoch++) {
    let segTrain = 0;
    let segTrainRows = 0;
    let segVal = 0;
    let segValRows = 0;
    let epochVal = 0;
    let epochValRows = 0;
    const pushPoint = () => {
      if (segTrainRows === 0) return;
      history.train.push(segTrain / segTrainRows);
      if (hasValidation) {
        const v = segValRows > 0 ? segVal / segValRows : (history.validation[history.validation.length - 1] ?? NaN);
        history.validation.push(v);
        if (segValRows > 0) latestValidation = v;
      }
      segTrain = segTrainRows = segVal = segValRows = 0;
    };
    let eta = 0;
    await runPass('training', epoch + 1, [true, true, false], (w) => {
      if (diverged) return;
      // Progressive validation: this window's hold-out rows, scored before its training rows are used.
      const mv = standardize(w, 1, Xval, idx);
      if (mv > 0) {
        const z = zBuf.subarray(0, mv * nOut);
        decisionInto(theta, Xval, mv, d, nOut, z);
        for (let a = 0; a < mv; a++) {
          const l = rowLogLoss(z, a, w.y[idx[a]]);
          segVal += l;
          epochVal += l;
        }
        segValRows += mv;
        epochValRows += mv;
      }
      const m = standardize(w, 0, Xtrain, idx);
      if (m === 0) return;
      for (let a = 0; a < m; a++) yBuf[a] = w.y[idx[a]];
      const loss = windowLoss(Xtrain, m, yBuf.subarray(0, m));
      if (!stepper) {
        if (!(lr0 > 0)) lr0 = defaultLearningRate(loss, 'minibatch', optimizer, mu, Math.min(B, m));
        stepper = createStepper(nParams, optimizer, mu, loss.penalizedMask, loss.l1Strength);
      }
      eta = lr0 * scheduleFactor(settings.schedule, epoch);
      const order = new Int32Array(m);
      for (let a = 0; a < m; a++) order[a] = a;
      rng.shuffle(order);
      for (let start = 0; start < m; start += B) {
        shouldStop();
        const end = Math.min(m, start + B);
        const f = loss.lossGradientBatch(theta, order, start, end, grad) + l1Norm(theta, loss.penalizedMask, loss.l1Strength);
        if (!Number.isFinite(f)) {
          diverged = true;
          theta.set(lastGood);
          return;
        }
        let gn = 0;
        for (let j = 0; j < nParams; j++) gn = Math.max(gn, Math.abs(grad[j]));
        lastBatchNorm = gn;
        stepper.update(theta, grad, eta);
        segTrain += f * (end - start);
        segTrainRows += end - start;
        if (segTrainRows >= segmentRows) pushPoint();
      }
      if (theta.every(Number.isFinite)) lastGood = theta.slice();
      else {
        diverged = true;
        theta.set(lastGood);
      }
      post('fitting');
    }, null);
    pushPoint();
    epochsRun = epoch + 1;
    const v = epochValRows > 0 ? epochVal / epochValRows : NaN;
    epochValidation.push(v);
    if (settings.earlyStopping && epochValRows > 0) {
      if (v < best - 1e-12) {
        best = v;
        bestTheta = theta.slice();
        sinceBest = 0;
      } else if (++sinceBest >= settings.patience) earlyStopped = true;
    }
    post('fitting', true);
  }
  if (earlyStopped && bestTheta) theta.set(bestTheta);
  const fitMs = now() - t1;

  // The model (coefficients in both units), before the evaluation pass fills its metrics.
  const coefStd = new Float64Array(nOut * d);
  const interceptStd = new Float64Array(nOut);
  for (let k = 0; k < nOut; k++) {
    coefStd.set(theta.subarray(k * (d + 1), k * (d + 1) + d), k * d);
    interceptStd[k] = theta[k * (d + 1) + d];
  }
  const prep = { ...scaler, standardize: settings.standardize };
  const orig = coefToOriginal(coefStd, interceptStd, d, prep);
  const rowsOf = (flat: Float64Array) => Array.from({ length: nOut }, (_, k) => Array.from(flat.subarray(k * d, (k + 1) * d)));
  const model: ModelJson = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    kind: plan.kind,
    classes: plan.classes,
    targetNames: [plan.target.name],
    featureNames: plan.features.map((f) => f.name),
    features: plan.features,
    preprocessor: { imputeMean: Array.from(scaler.imputeMean), mean: Array.from(scaler.mean), scale: Array.from(scaler.scale), standardize: settings.standardize },
    coef: rowsOf(orig.coef),
    intercept: Array.from(orig.intercept),
    coefStandardized: rowsOf(coefStd),
    interceptStandardized: Array.from(interceptStd),
    threshold: 0.5,
    settings: { ...settings, C, lambda: 1 / (C * S) },
    training: { solver: 'minibatch', iterations: epochsRun, converged: false, gradientNorm: 0, objective: 0 },
    metrics: {},
    createdBy: `logit-lab ${VERSION}`,
  };

  // Last pass: evaluation with the final model.
  const t2 = now();
  post('evaluating', true);
  const Kp = plan.kind === 'binary' ? 2 : K;
  const acc = [0, 1, 2].map(() => new SplitAccumulator(K, nOut, reservoirRows));
  const evalRng = new Rng(settings.seed + 1);
  const pointCap = settings.maxPoints;
  const pointsX = new Float64Array(pointCap * d);
  const pointsY = new Int32Array(pointCap);
  const pointsSplit = new Int32Array(pointCap);
  let pointsSeen = 0;
  const pcaX = new Float64Array(PCA_ROWS * d);
  let pcaSeen = 0;
  const dataSum = { f: 0, g: new Float64Array(nParams) };
  const gw = new Float64Array(nParams);
  const Xs = new Float64Array(windowRows * d);
  const p = new Float64Array(Kp);
  const l2 = penalized ? (1 - (settings.penalty === 'l1' ? 1 : settings.penalty === 'elasticnet' ? settings.l1Ratio : 0)) / (S * C) : 0;
  const l1 = penalized ? (settings.penalty === 'l1' ? 1 : settings.penalty === 'elasticnet' ? settings.l1Ratio : 0) / (S * C) : 0;
  await runPass('evaluation', 0, [true, true, true], (w) => {
    const m = standardize(w, -1, Xs, idx);
    const z = zBuf.subarray(0, m * nOut);
    decisionInto(theta, Xs, m, d, nOut, z);
    for (let a = 0; a < m; a++) {
      const i = idx[a];
      const s = w.split[i];
      const cls = w.y[i];
      const A = acc[s];
      // Probabilities and the predicted class (binary at the model's threshold, else argmax).
      if (plan.kind === 'binary') {
        const p1 = 1 / (1 + Math.exp(-z[a]));
        p[0] = 1 - p1;
        p[1] = p1;
      } else {
        let max = -Infinity;
        for (let k = 0; k < K; k++) max = Math.max(max, z[a * K + k]);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += p[k] = Math.exp(z[a * K + k] - max);
        for (let k = 0; k < K; k++) p[k] /= sum;
      }
      let pred = 0;
      if (plan.kind === 'binary') pred = p[1] >= model.threshold ? 1 : 0;
      else for (let k = 1; k < K; k++) if (p[k] > p[pred]) pred = k;
      A.confusion[cls][pred]++;
      // scikit-learn's log_loss: clipped to [1e-15, 1 - 1e-15] and renormalized.
      let rowSum = 0;
      for (let k = 0; k < Kp; k++) rowSum += Math.min(1 - 1e-15, Math.max(1e-15, p[k]));
      A.logLoss -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, p[cls])) / rowSum);
      if (Kp === 2) A.brier += (p[1] - cls) ** 2;
      else for (let k = 0; k < K; k++) A.brier += (p[k] - (cls === k ? 1 : 0)) ** 2;
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
    const mt = standardize(w, 0, Xtrain, idx);
    if (mt > 0) {
      for (let a = 0; a < mt; a++) yBuf[a] = w.y[idx[a]];
      const loss = windowLoss(Xtrain, mt, yBuf.subarray(0, mt));
      let f = loss.lossGradient(theta, gw);
      let w2 = 0;
      for (let j = 0; j < nParams; j++) {
        if (!loss.penalizedMask[j]) continue;
        w2 += theta[j] * theta[j];
        gw[j] -= l2 * theta[j];
      }
      f -= (l2 / 2) * w2;
      const Sw = loss.totalWeight;
      dataSum.f += f * Sw;
      for (let j = 0; j < nParams; j++) dataSum.g[j] += gw[j] * Sw;
    }
  }, null);

  // Final objective, projected gradient and convergence.
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
  const objective = penalized ? F * S * C : F * S;
  const finalValidation = acc[1].n > 0 ? acc[1].logLoss / acc[1].n : null;
  const stopReason: Convergence['stopReason'] = diverged ? 'diverged' : earlyStopped ? 'early-stopped' : 'max-iter';
  const convergence: Convergence = {
    solver: 'minibatch',
    iterations: epochsRun,
    converged: false,
    gradientNorm,
    stopReason,
    message: diverged
      ? `streaming SGD diverged in epoch ${epochsRun}; the last finite model is kept: lower --learning-rate${settings.learningRate !== undefined ? ` (now ${settings.learningRate})` : ''}`
      : `streaming mini-batch SGD ran ${epochsRun} epoch${epochsRun === 1 ? '' : 's'} over ${nTrain} training rows${finalValidation !== null ? ` (validation log-loss ${finalValidation.toPrecision(4)})` : ''}; more epochs (--epochs, or "Epochs (streaming)" in the panel) make more passes`,
    objective,
  };
  model.training = { solver: 'minibatch', iterations: epochsRun, converged: false, gradientNorm, objective };

  // Calibrators from the validation reservoir, then each split's evaluation.
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
    const mt = ev.metrics!;
    model.metrics[names[s]] = { n: A.n, accuracy: mt.accuracy, logLoss: mt.logLoss, rocAuc: mt.rocAuc };
  });

  // Boundary points (a uniform reservoir over all rows) and the PCA projection (of a reservoir of training rows).
  const mp = Math.min(pointsSeen, pointCap);
  const ptsX = pointsX.slice(0, mp * d);
  const ptsStd = new Float64Array(mp * d);
  for (let i = 0; i < mp * d; i++) ptsStd[i] = (ptsX[i] - scaler.mean[i % d]) / scaler.scale[i % d];
  const proba = probaFromDecision(plan.kind, decisionOnPreprocessed(model, ptsStd, mp), mp, nOut);
  const predicted: number[] = [];
  for (let a = 0; a < mp; a++) {
    if (plan.kind === 'binary') predicted.push(proba[2 * a + 1] >= model.threshold ? 1 : 0);
    else {
      let bestK = 0;
      for (let k = 1; k < K; k++) if (proba[a * K + k] > proba[a * K + bestK]) bestK = k;
      predicted.push(bestK);
    }
  }
  const mPca = Math.min(pcaSeen, PCA_ROWS);

  // Notes and warnings.
  if (counts.infinite > 0) warnings.push(warning('feature.not-number', `${counts.infinite} infinite value${counts.infinite === 1 ? ' was' : 's were'} treated as missing`, { file, line: counts.firstInfiniteLine }));
  if (counts.missingTarget > 0) warnings.push(warning('target.missing', `${counts.missingTarget} row${counts.missingTarget === 1 ? '' : 's'} whose target '${plan.target.name}' is missing ${counts.missingTarget === 1 ? 'was' : 'were'} dropped`, { file }));
  const missingCounts: Record<string, number> = {};
  plan.groups.forEach((g, k) => (missingCounts[g.name] = counts.missingByColumn[k]));
  if (settings.missing === 'drop' && counts.dropped > counts.missingTarget) {
    warnings.push(warning('dataset.dropped-missing', `${counts.dropped - counts.missingTarget} rows with missing feature values were dropped (missing policy 'drop')`, { file }));
  }
  warnings.push({
    severity: 'info',
    code: 'stream.notes',
    file,
    message:
      `trained by streaming (larger than memory): column types, categories and classes come from the first ${plan.sampleRows} rows; ` +
      `the hold-out is a seeded hash of the row number (validation ${settings.valSize}, test ${settings.testSize}); rows are shuffled within windows of ${windowRows} rows, not across the file; ` +
      `the loss curve's validation values are progressive (each hold-out row scored by the model of its moment); ` +
      `counts, accuracy, log-loss, Brier and the confusion matrix are exact, while ROC/PR/AUC, average precision, ECE, reliability and calibration use a random sample of up to ${reservoirRows} rows per split`,
  });
  if (diverged) warnings.push(warning('fit.diverged', convergence.message!, { file }));
  if (earlyStopped) warnings.push(warning('fit.early-stopped', `stopped early after ${epochsRun} epochs: the validation loss did not improve for ${settings.patience} epochs`, { file }));

  const data: DataSummary = {
    fileName: file,
    nRows: counts.rows + counts.dropped,
    nColumns: plan.header.length,
    delimiter: plan.delimiter,
    decimalComma: plan.decimalComma,
    encoding: plan.encoding,
    columns: plan.columns,
    target: [plan.target.name],
    classes: plan.classes,
    classCounts,
    droppedRows: counts.dropped,
    missingPolicy: settings.missing,
    missingCounts,
    nTrain,
    nValidation: splitCounts[1],
    nTest: splitCounts[2],
  };
  post('evaluating', true);
  return {
    version: 1,
    model,
    data,
    convergence,
    lossHistory: history,
    evaluation,
    points: { X: Array.from(ptsX), y: Array.from(pointsY.subarray(0, mp)), split: Array.from(pointsSplit.subarray(0, mp)), predicted, ofRows: rowsSeen },
    projection: principalComponents(pcaX.subarray(0, mPca * d), mPca, d, settings.seed),
    warnings,
    timings: { parseMs: statsMs, fitMs, evaluateMs: now() - t2 },
    stream: { epochs: epochsRun, epochValidationLoss: epochValidation, finalValidationLoss: finalValidation, windowRows, reservoirRows, totalBytes: source.totalBytes },
  };
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
  m.perClass = [];
  for (let k = 0; k < K; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < K; j++) {
      support += cm[k][j];
      predicted += cm[j][k];
    }
    const tp = cm[k][k];
    m.perClass.push({ ...precisionRecallF1(tp, predicted - tp, support - tp), support });
  }
  const average = (weights: number[]) => {
    const total = weights.reduce((s, v) => s + v, 0);
    const mean = (key: 'precision' | 'recall' | 'f1') => (total > 0 ? m.perClass.reduce((s, c, k) => s + weights[k] * c[key], 0) / total : 0);
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
  };
  m.macro = average(m.perClass.map(() => 1));
  m.weighted = average(m.perClass.map((c) => c.support));
}
