/**
 * Reproducible code for a fitted model: a scikit-learn script, an R script (glm / glmnet) and a
 * PySpark MLlib job that read the same CSV, prepare it as Logit Lab did and fit the same objective.
 *
 * - Reading: every cell as text; Logit Lab's missing-value tokens (csv.ts MISSING_TOKENS, case- and
 *   space-insensitive) are missing; rows without a target (and with policy 'drop', rows with a missing
 *   feature) are dropped; numeric features are parsed (decimal comma when the file has one), one-hot
 *   features are 1 where the trimmed cell equals the level.
 * - Split: scikit-learn and R scripts embed Logit Lab's exact split (two bits per kept row, hex), so
 *   they train on the same rows; the PySpark job, meant for data beyond one machine, uses Spark's
 *   seeded randomSplit with the same fractions (other rows, same objective).
 * - Preprocessing: training-mean imputation, then (when on) standardization with the training mean
 *   and population standard deviation, a constant column keeping scale 1.
 * - Objective: C Σ s_i ℓ_i + r(w) (docs/objective.md). scikit-learn takes C, penalty, l1_ratio and
 *   class_weight as they are; glmnet and Spark minimize (1/S) Σ s_i ℓ_i + λ r(w), so
 *   λ = regParam = 1/(C·S), S = Σ s_i (n_train without class weights), alpha = elasticNetParam = ρ.
 * Each prints the coefficients in original units, the accuracy per split, and a last line of JSON.
 * Pure string building (no Node APIs): the CLI writes the text.
 */
import { MISSING_TOKENS } from '../data/csv';
import { splitDataset, type Split } from '../data/split';
import { DataError } from '../diagnostics';
import { inputNames, type ModelJson } from '../model/model';
import { tableColumns, tableDataset, type TrainingTable } from '../run/train';

export type ScriptKind = 'sklearn' | 'r' | 'pyspark';
export const SCRIPT_KINDS: readonly ScriptKind[] = ['sklearn', 'r', 'pyspark'];

export interface ScriptSource {
  /** The CSV path written into the script (the script also takes it as its first argument). */
  csvPath: string;
  delimiter: string;
  decimalComma: boolean;
  encoding: 'utf-8' | 'windows-1252';
  /** The run's split over the dataset's rows (after dropping), for the sklearn and R scripts. */
  split: Split;
  /** Rows of the dataset (kept rows). */
  nRows: number;
}

/**
 * The data side of a script: the file's format and the run's split, rebuilt from the model's settings
 * (the same dataset and seeded split as training). A file whose features differ is a DataError.
 */
export function scriptSource(model: ModelJson, table: TrainingTable, csvPath: string, fileName: string): ScriptSource {
  const s = model.settings;
  const ds = tableDataset(table, tableColumns(table), {
    target: model.targetNames.length === 1 ? model.targetNames[0] : model.targetNames,
    features: [...new Set(model.features.map((f) => f.column))],
    missing: s.missing,
    positiveClass: s.positiveClass,
    fileName,
  });
  const encoded = inputNames(model);
  if (ds.featureNames.join('\u0000') !== encoded.join('\u0000') || ds.classes.join('\u0000') !== model.classes.join('\u0000')) {
    throw new DataError({ code: 'export.mismatch', file: fileName, message: `does not give the model's features and classes (features ${ds.featureNames.join(', ')}; the model has ${encoded.join(', ')}): export with the file the model was trained on` });
  }
  return { csvPath, delimiter: table.delimiter, decimalComma: table.decimalComma, encoding: table.encoding, split: splitDataset(ds, s), nRows: ds.n };
}

/** Two bits per row (0 train, 1 validation, 2 test), four rows per byte, lowest bits first, as hex. */
export function encodeSplit(split: Split, n: number): string {
  const bytes = new Uint8Array(Math.ceil(n / 4));
  const mark = (rows: Int32Array, code: number) => rows.forEach((r) => (bytes[r >> 2] |= code << ((r & 3) * 2)));
  mark(split.validation, 1);
  mark(split.test, 2);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** The λ of glmnet and the regParam of Spark for the model's C: 1/(C·S) (0 without a penalty). */
export function glmnetLambda(model: ModelJson, totalWeight: number): number {
  const s = model.settings;
  return s.penalty === 'none' || !Number.isFinite(s.C) ? 0 : 1 / (s.C * totalWeight);
}

/** The mixing ρ of the model's penalty: 0 for L2, 1 for L1, l1Ratio for elastic net. */
export function penaltyMix(model: ModelJson): number {
  const p = model.settings.penalty;
  return p === 'l1' ? 1 : p === 'elasticnet' ? model.settings.l1Ratio : 0;
}

const q = (s: string) => JSON.stringify(s);
const missingLower = () => [...new Set([...MISSING_TOKENS].map((t) => t.toLowerCase()))];
const pyList = (xs: readonly string[]) => `[${xs.map(q).join(', ')}]`;
const rVec = (xs: readonly string[]) => `c(${xs.map(q).join(', ')})`;
const pyNum = (v: number) => (Number.isFinite(v) ? String(v) : 'float("inf")');
const featureColumns = (m: ModelJson) => [...new Set(m.features.map((f) => f.column))];
const encodingName = (e: ScriptSource['encoding']) => (e === 'utf-8' ? 'utf-8' : 'cp1252');

function header(model: ModelJson, tool: string, comment: string): string {
  const s = model.settings;
  const pen = s.penalty === 'none' || !Number.isFinite(s.C) ? 'no penalty' : `${s.penalty} penalty, C = ${s.C}${s.penalty === 'elasticnet' ? `, l1 ratio ${s.l1Ratio}` : ''}`;
  return [
    `${comment} Exported by ${model.createdBy}: a ${model.kind} logistic model of ${model.targetNames.join(', ')} on ${model.featureNames.length} features,`,
    `${comment} ${pen}${s.classWeight === 'balanced' ? ', balanced class weights' : ''}${model.preprocessor.standardize ? ', standardized features' : ''}; refitted with ${tool}.`,
    `${comment} Logit Lab's objective: C * sum_i s_i * loss_i + r(w), intercepts unpenalized (docs/objective.md).`,
  ].join('\n');
}

/** The Python data preparation shared by the scikit-learn script (pandas). */
function pythonPrepare(model: ModelJson, src: ScriptSource): string {
  const spec = {
    targets: model.targetNames,
    classes: model.classes,
    kind: model.kind,
    features: model.features,
    missing: model.settings.missing,
  };
  return `CSV = sys.argv[1] if len(sys.argv) > 1 else ${q(src.csvPath)}
SPEC = json.loads(${q(JSON.stringify(spec))})
MISSING = set(${pyList(missingLower())})
# Logit Lab's split of the kept rows: two bits per row (0 train, 1 validation, 2 test), hex.
SPLIT = ${q(encodeSplit(src.split, src.nRows))}
N_ROWS = ${src.nRows}


def is_missing(column):
    return column.str.strip().str.lower().isin(MISSING)


def load():
    df = pd.read_csv(CSV, sep=${q(src.delimiter)}, dtype=str, keep_default_na=False, encoding=${q(encodingName(src.encoding))})
    keep = np.ones(len(df), dtype=bool)
    for t in SPEC['targets']:
        keep &= ~is_missing(df[t]).to_numpy()
    if SPEC['missing'] == 'drop':
        for c in ${pyList(featureColumns(model))}:
            keep &= ~is_missing(df[c]).to_numpy()
    df = df[keep].reset_index(drop=True)
    if len(df) != N_ROWS:
        sys.exit(f'{CSV}: {len(df)} rows with a target, but the model was trained on a file with {N_ROWS}')
    columns = []
    for f in SPEC['features']:
        cells = df[f['column']]
        if f['kind'] == 'numeric':
            text = cells.str.strip()${src.decimalComma ? ".str.replace(',', '.', regex=False)" : ''}
            columns.append(pd.to_numeric(text.where(~is_missing(cells)), errors='coerce').to_numpy(dtype=float))
        else:
            columns.append((cells.str.strip() == f['level']).to_numpy(dtype=float))
    X = np.column_stack(columns)
    if SPEC['kind'] == 'multilabel':
        y = np.column_stack([pd.to_numeric(df[t].str.strip()).to_numpy(dtype=int) for t in SPEC['targets']])
    else:
        index = {c: k for k, c in enumerate(SPEC['classes'])}
        y = df[SPEC['targets'][0]].str.strip().map(index).to_numpy()
    codes = np.frombuffer(bytes.fromhex(SPLIT), dtype=np.uint8)
    part = np.stack([(codes >> (2 * k)) & 3 for k in range(4)], axis=1).ravel()[:N_ROWS]
    return X, y, part
`;
}

/** A scikit-learn script: pandas reading, SimpleImputer -> StandardScaler -> LogisticRegression. */
export function sklearnScript(model: ModelJson, src: ScriptSource): string {
  const s = model.settings;
  const none = s.penalty === 'none' || !Number.isFinite(s.C);
  // Polynomial columns are ill-conditioned: lbfgs stops on its relative objective change (scipy's ftol)
  // before 1e-4 agreement there, newton-cg reaches the optimum.
  const solver = none || s.penalty === 'l2' ? (model.expansion ? 'newton-cg' : 'lbfgs') : 'saga';
  const args = [
    `penalty=${none ? 'None' : q(s.penalty)}`,
    ...(none ? [] : [`C=${pyNum(s.C)}`]),
    ...(s.penalty === 'elasticnet' && !none ? [`l1_ratio=${s.l1Ratio}`] : []),
    `class_weight=${s.classWeight === 'balanced' ? "'balanced'" : 'None'}`,
    `solver=${q(solver)}`,
    'tol=1e-10',
    // newton-cg reaches the optimum in tens of iterations, but its stop (largest |gradient| of the C-sum
    // objective <= tol) may sit below rounding: it then warns at max_iter with the optimum found.
    `max_iter=${solver === 'newton-cg' ? 300 : 100000}`,
    ...(model.kind === 'multinomial' && model.classes.length === 2 ? ["multi_class='multinomial'"] : []),
  ];
  const estimator = `LogisticRegression(${args.join(', ')})`;
  const wrapped = model.kind === 'ovr' ? `OneVsRestClassifier(${estimator})` : model.kind === 'multilabel' ? `MultiOutputClassifier(${estimator})` : estimator;
  return `#!/usr/bin/env python3
${header(model, 'scikit-learn', '#')}
# Run: python3 this_script.py [data.csv]   (pandas and scikit-learn >= 1.2)
import json
import sys

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures, StandardScaler

${pythonPrepare(model, src)}
${model.expansion ? pythonExpansion(model) : ''}
def coefficients(pipe):
    """Coefficients and intercepts in original feature units (one row per output)."""
    last = pipe[-1]
    parts = getattr(last, 'estimators_', None) or [last]
    W = np.vstack([p.coef_ for p in parts])
    b = np.concatenate([p.intercept_ for p in parts])
    if ${model.preprocessor.standardize ? 'True' : 'False'}:
        scaler = pipe[-2]
        W = W / scaler.scale_
        b = b - W @ scaler.mean_
    return W, b


def main():
    X, y, part = load()
    train = part == 0
    pipe = make_pipeline(SimpleImputer(strategy='mean', keep_empty_features=True),${expansionSteps(model)}${model.preprocessor.standardize ? ' StandardScaler(),' : ''} ${wrapped})
    pipe.fit(X[train], y[train])
    W, b = coefficients(pipe)
    names = ${pyList(model.featureNames)}
    for k in range(W.shape[0]):
        print(f'output {k}: intercept {b[k]:.6g}')
        for j, name in enumerate(names):
            print(f'  {name:30s} {W[k, j]: .6g}')
    accuracy = {}
    for code, split in enumerate(['train', 'validation', 'test']):
        rows = part == code
        if rows.any():
            accuracy[split] = float(np.mean(np.all(pipe.predict(X[rows]).reshape(y[rows].shape) == y[rows], axis=-1) if y.ndim > 1 else pipe.predict(X[rows]) == y[rows]))
            print(f'{split} accuracy {accuracy[split]:.4f} ({int(rows.sum())} rows)')
    print(json.dumps({'coef': W.tolist(), 'intercept': b.tolist(), 'accuracy': accuracy}))


if __name__ == '__main__':
    main()
`;
}

/** The R data preparation (base R). */
function rPrepare(model: ModelJson, src: ScriptSource): string {
  const numericCols = model.features.map((f) => (f.kind === 'numeric' ? 'TRUE' : 'FALSE'));
  return `args <- commandArgs(trailingOnly = TRUE)
csv <- if (length(args) >= 1) args[1] else ${q(src.csvPath)}
targets <- ${rVec(model.targetNames)}
classes <- ${rVec(model.classes)}
feature_columns <- ${rVec(model.features.map((f) => f.column))}
feature_levels <- ${rVec(model.features.map((f) => (f.kind === 'onehot' ? f.level : '')))}
feature_numeric <- c(${numericCols.join(', ')})
feature_names <- ${rVec(model.featureNames)}
missing_tokens <- ${rVec(missingLower())}
# Logit Lab's split of the kept rows: two bits per row (0 train, 1 validation, 2 test), hex.
split_hex <- ${q(encodeSplit(src.split, src.nRows))}
n_rows <- ${src.nRows}

is_missing <- function(v) tolower(trimws(v)) %in% missing_tokens
df <- read.csv(csv, sep = ${q(src.delimiter)}, colClasses = "character", na.strings = character(0), check.names = FALSE,
               strip.white = FALSE, fileEncoding = ${q(src.encoding === 'utf-8' ? 'UTF-8' : 'CP1252')})
keep <- rep(TRUE, nrow(df))
for (t in targets) keep <- keep & !is_missing(df[[t]])
if (${q(model.settings.missing)} == "drop") for (c in unique(feature_columns)) keep <- keep & !is_missing(df[[c]])
df <- df[keep, , drop = FALSE]
if (nrow(df) != n_rows) stop(sprintf("%s: %d rows with a target, but the model was trained on a file with %d", csv, nrow(df), n_rows))
X <- sapply(seq_along(feature_columns), function(j) {
  cells <- df[[feature_columns[j]]]
  if (feature_numeric[j]) {
    text <- trimws(cells)${src.decimalComma ? '\n    text <- sub(",", ".", text, fixed = TRUE)' : ''}
    text[is_missing(cells)] <- NA
    suppressWarnings(as.numeric(text))
  } else as.numeric(trimws(cells) == feature_levels[j])
})
X <- matrix(X, nrow = nrow(df), dimnames = list(NULL, feature_names))
bytes <- strtoi(substring(split_hex, seq(1, nchar(split_hex), 2), seq(2, nchar(split_hex), 2)), 16L)
part <- as.vector(rbind(bytes %% 4, (bytes %/% 4) %% 4, (bytes %/% 16) %% 4, (bytes %/% 64) %% 4))[seq_len(n_rows)]
train <- part == 0
# Training-mean imputation, then standardization with the training mean and population SD.
impute <- colMeans(X[train, , drop = FALSE], na.rm = TRUE)
impute[is.nan(impute)] <- 0
for (j in seq_len(ncol(X))) X[is.na(X[, j]), j] <- impute[j]
center <- rep(0, ncol(X))
scale <- rep(1, ncol(X))
if (${model.preprocessor.standardize ? 'TRUE' : 'FALSE'}) {
  center <- colMeans(X[train, , drop = FALSE])
  sd_pop <- sqrt(colMeans(sweep(X[train, , drop = FALSE], 2, center)^2))
  scale <- ifelse(sd_pop > 1e-12 * pmax(1, abs(center)), sd_pop, 1)
}
Xs <- sweep(sweep(X, 2, center), 2, scale, "/")
`;
}

/** An R script: glm for unpenalized binary outputs, glmnet (lambda = 1/(C S), alpha = rho) otherwise. */
export function rScript(model: ModelJson, src: ScriptSource): string {
  const s = model.settings;
  const none = s.penalty === 'none' || !Number.isFinite(s.C);
  const outputs =
    model.kind === 'binary' ? 'list(list(y = factor(classes[df_y + 1], levels = classes), family = "binomial"))'
    : model.kind === 'multinomial' ? 'list(list(y = factor(classes[df_y + 1], levels = classes), family = "multinomial"))'
    : model.kind === 'ovr' ? 'lapply(seq_along(classes), function(k) list(y = factor(as.numeric(df_y == k - 1), levels = c(0, 1)), family = "binomial"))'
    : 'lapply(seq_along(targets), function(l) list(y = factor(as.numeric(trimws(df[[targets[l]]])), levels = c(0, 1)), family = "binomial"))';
  return `#!/usr/bin/env Rscript
${header(model, none ? 'R (glm; glmnet with lambda 0 for a multinomial model)' : 'R glmnet', '#')}
# Run: Rscript this_script.R [data.csv]   (base R${none && model.kind !== 'multinomial' ? '' : ' and glmnet'})
${rPrepare(model, src)}
df_y <- if (${q(model.kind)} == "multilabel") rep(0, nrow(df)) else match(trimws(df[[targets[1]]]), classes) - 1
outputs <- ${outputs}
balanced <- ${s.classWeight === 'balanced' ? 'TRUE' : 'FALSE'}
C <- ${Number.isFinite(s.C) ? s.C : 'Inf'}
alpha <- ${penaltyMix(model)}
penalized <- ${none ? 'FALSE' : 'TRUE'}
coef_rows <- list()
for (o in outputs) {
  y <- o$y[train]
  counts <- table(y)
  w <- if (balanced) as.numeric(length(y) / (length(counts) * counts[as.character(y)])) else rep(1, length(y))
  if (!penalized && o$family == "binomial") {
    fit <- suppressWarnings(glm(y ~ ., data = data.frame(Xs[train, , drop = FALSE], check.names = FALSE), family = binomial, weights = w,
                                control = glm.control(epsilon = 1e-14, maxit = 100)))
    B <- matrix(coef(fit), nrow = 1)
  } else {
    library(glmnet)
    lambda <- if (penalized) 1 / (C * sum(w)) else 0
    path <- if (lambda > 0) lambda * c(1000, 300, 100, 30, 10, 3, 1) else 0
    fit <- glmnet(Xs[train, , drop = FALSE], y, family = o$family, weights = w, alpha = alpha, lambda = path,
                  standardize = FALSE, intercept = TRUE, thresh = 1e-14, maxit = 1e7)
    cf <- coef(fit, s = lambda)
    if (!is.list(cf)) cf <- list(cf)
    B <- do.call(rbind, lapply(cf, function(m) as.numeric(m[, ncol(m)])))
  }
  for (k in seq_len(nrow(B))) coef_rows[[length(coef_rows) + 1]] <- B[k, ]
}
# Original units: w / scale, and b - sum(w * center / scale).
W <- t(sapply(coef_rows, function(r) r[-1] / scale))
if (length(coef_rows) == 1 || ncol(X) == 1) W <- matrix(unlist(lapply(coef_rows, function(r) r[-1] / scale)), nrow = length(coef_rows), byrow = TRUE)
b <- sapply(seq_along(coef_rows), function(k) coef_rows[[k]][1] - sum(W[k, ] * center))
for (k in seq_len(nrow(W))) {
  cat(sprintf("output %d: intercept %.6g\\n", k - 1, b[k]))
  for (j in seq_len(ncol(W))) cat(sprintf("  %-30s % .6g\\n", feature_names[j], W[k, j]))
}
num <- function(v) paste0("[", paste(sprintf("%.17g", v), collapse = ","), "]")
cat(sprintf('{"coef": [%s], "intercept": %s}\\n', paste(apply(W, 1, num), collapse = ","), num(b)))
`;
}

/**
 * A PySpark MLlib job: the same reading and preprocessing as DataFrame operations, Spark's seeded
 * randomSplit, and LogisticRegression with regParam = 1/(C·S), elasticNetParam = ρ, family binomial or
 * multinomial. Features are standardized by the job (population SD, as Logit Lab) and passed with
 * standardization=False: Spark's own standardization divides by the sample SD (n − 1) and weights
 * it by the instance weights, which would change the penalty (docs/objective.md).
 */
export function pysparkScript(model: ModelJson, src: ScriptSource): string {
  const s = model.settings;
  const none = s.penalty === 'none' || !Number.isFinite(s.C);
  const outputs =
    model.kind === 'binary' || model.kind === 'multinomial'
      ? `[('label', ${q(model.kind === 'binary' ? 'binomial' : 'multinomial')}, F.col('label_index'))]`
      : model.kind === 'ovr'
        ? `[(f'is_{k}', 'binomial', (F.col('label_index') == k).cast('double')) for k in range(len(CLASSES))]`
        : `[(f'label_{l}', 'binomial', F.col(t).cast('double')) for l, t in enumerate(TARGETS)]`;
  return `#!/usr/bin/env python3
${header(model, 'PySpark MLlib', '#')}
# Run: spark-submit this_job.py [data.csv]   (Spark 3.x). For data larger than one machine: the rows of
# each split differ from Logit Lab's (Spark's randomSplit), the objective is the same:
#   C * sum_i s_i loss_i + r(w)  =  C * S * [ (1/S) sum_i s_i loss_i + regParam * r(w) ],  regParam = 1 / (C * S).
import sys

from pyspark.ml.classification import LogisticRegression
from pyspark.ml.feature import VectorAssembler
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

CSV = sys.argv[1] if len(sys.argv) > 1 else ${q(src.csvPath)}
TARGETS = ${pyList(model.targetNames)}
CLASSES = ${pyList(model.classes)}
FEATURES = ${JSON.stringify(model.features.map((f) => (f.kind === 'numeric' ? [f.name, f.column, null] : [f.name, f.column, f.level])))}
MISSING = ${pyList(missingLower())}
C = ${pyNum(s.C)}
PENALIZED = ${none ? 'False' : 'True'}
L1_RATIO = ${penaltyMix(model)}
BALANCED = ${s.classWeight === 'balanced' ? 'True' : 'False'}
STANDARDIZE = ${model.preprocessor.standardize ? 'True' : 'False'}
TEST_SIZE, VAL_SIZE, SEED = ${s.testSize}, ${s.valSize}, ${s.seed}


def clean(column):
    """A trimmed cell, or null when it is one of Logit Lab's missing-value tokens."""
    text = F.trim(F.col(column))
    return F.when(F.lower(text).isin(MISSING), F.lit(None)).otherwise(text)


def main():
    spark = SparkSession.builder.appName('logit-lab-export').getOrCreate()
    df = spark.read.csv(CSV, header=True, sep=${q(src.delimiter)}, encoding=${q(src.encoding === 'utf-8' ? 'UTF-8' : 'windows-1252')}, inferSchema=False)
    for column in set(TARGETS) | {f[1] for f in FEATURES}:
        df = df.withColumn(column, clean(column))
    df = df.dropna(subset=TARGETS${model.settings.missing === 'drop' ? " + [f[1] for f in FEATURES]" : ''})
    for name, column, level in FEATURES:
        value = F.regexp_replace(F.col(column), ',', '.') if ${src.decimalComma ? 'True' : 'False'} else F.col(column)
        df = df.withColumn(name, value.cast('double') if level is None else F.when(F.col(column) == level, 1.0).otherwise(0.0))
    if ${model.kind === 'multilabel' ? 'False' : 'True'}:
        index = F.lit(None)
        for k, c in enumerate(CLASSES):
            index = F.when(F.col(TARGETS[0]) == c, float(k)).otherwise(index)
        df = df.withColumn('label_index', index)
    weights = [1.0 - TEST_SIZE - VAL_SIZE, VAL_SIZE, TEST_SIZE]
    train, validation, test = df.randomSplit(weights, seed=SEED)
    train.cache()
    names = [f[0] for f in FEATURES]
    # Training-mean imputation, then the training mean and population SD (a constant column keeps scale 1).
    stats = train.agg(*[F.avg(n).alias(f'm{j}') for j, n in enumerate(names)]).first()
    means = [stats[f'm{j}'] if stats[f'm{j}'] is not None else 0.0 for j in range(len(names))]
    train = train.fillna({n: m for n, m in zip(names, means)})
    spread = train.agg(*[F.stddev_pop(n).alias(f's{j}') for j, n in enumerate(names)]).first()
    center = means if STANDARDIZE else [0.0] * len(names)
    scale = [(spread[f's{j}'] or 1.0) if STANDARDIZE and (spread[f's{j}'] or 0.0) > 1e-12 * max(1.0, abs(center[j])) else 1.0 for j in range(len(names))]

    def prepare(frame):
        frame = frame.fillna({n: m for n, m in zip(names, means)})
        for j, n in enumerate(names):
            frame = frame.withColumn(n, (F.col(n) - center[j]) / scale[j])
        return VectorAssembler(inputCols=names, outputCol='features').transform(frame)

    for label, family, value in ${outputs}:
        data = [prepare(frame.withColumn('y', value)) for frame in (train, validation, test)]
        if BALANCED:
            counts = {r['y']: r['count'] for r in data[0].groupBy('y').count().collect()}
            n, k = sum(counts.values()), len(counts)
            mapping = F.create_map(*[x for y, c in counts.items() for x in (F.lit(y), F.lit(n / (k * c)))])
            data[0] = data[0].withColumn('w', mapping[F.col('y')])
        else:
            data[0] = data[0].withColumn('w', F.lit(1.0))
        total_weight = data[0].agg(F.sum('w')).first()[0]
        reg_param = 1.0 / (C * total_weight) if PENALIZED else 0.0
        lr = LogisticRegression(featuresCol='features', labelCol='y', weightCol='w', family=family, regParam=reg_param,
                                elasticNetParam=L1_RATIO, standardization=False, fitIntercept=True, maxIter=10000, tol=1e-10)
        fitted = lr.fit(data[0])
        W = fitted.coefficientMatrix.toArray()
        b = fitted.interceptVector.toArray()
        print(f'{label}: regParam {reg_param:.6g} (1 / (C * S), S = {total_weight:.6g}), elasticNetParam {L1_RATIO}')
        for r in range(W.shape[0]):
            w = W[r] / scale
            print(f'  intercept {b[r] - sum(w[j] * center[j] for j in range(len(names))):.6g}')
            for j, n in enumerate(names):
                print(f'  {n:30s} {w[j]: .6g}')
        for split, frame in zip(['train', 'validation', 'test'], data):
            if frame.count() > 0:
                scored = fitted.transform(frame)
                accuracy = scored.agg(F.avg((F.col('prediction') == F.col('y')).cast('double'))).first()[0]
                print(f'  {split} accuracy {accuracy:.4f}')
    spark.stop()


if __name__ == '__main__':
    main()
`;
}

/**
 * The per-column transforms of a model's feature expansion in Python (log, log1p, one-hot bins with
 * the edges Logit Lab fitted on the training rows, which KBinsDiscretizer(strategy='uniform') also
 * computes), for a FunctionTransformer between the imputer and PolynomialFeatures.
 */
function pythonExpansion(model: ModelJson): string {
  const ex = model.expansion!;
  const spec = {
    inputs: ex.inputNames, log: ex.spec.log, log1p: ex.spec.log1p,
    bins: Object.fromEntries(ex.spec.bins.map((b, k) => [b.feature, ex.binEdges[k]])),
  };
  return `EXPANSION = json.loads(${q(JSON.stringify(spec))})


def transform_columns(X):
    """Logit Lab's per-column transforms: log, log1p, one-hot uniform bins (training edges)."""
    out = []
    for j, name in enumerate(EXPANSION['inputs']):
        x = X[:, j]
        if name in EXPANSION['bins']:
            edges = np.array(EXPANSION['bins'][name])
            k = np.searchsorted(edges[1:-1], x, side='right')
            out.extend((k == b).astype(float) for b in range(len(edges) - 1))
        elif name in EXPANSION['log']:
            out.append(np.log(x))
        elif name in EXPANSION['log1p']:
            out.append(np.log1p(x))
        else:
            out.append(x)
    return np.column_stack(out)

`;
}

/** The pipeline steps of the expansion (after the imputer, before the scaler): empty without one. */
function expansionSteps(model: ModelJson): string {
  const ex = model.expansion;
  if (!ex) return '';
  return ` FunctionTransformer(transform_columns), PolynomialFeatures(degree=${ex.spec.degree}, interaction_only=${ex.spec.interactionOnly ? 'True' : 'False'}, include_bias=False),`;
}

/** The script of one kind. */
export function exportScript(kind: ScriptKind, model: ModelJson, src: ScriptSource): string {
  if (model.expansion && kind !== 'sklearn') {
    throw new DataError({ code: 'export.expansion', message: `a model with feature expansion (polynomial, log, bins) is exported to scikit-learn only, not to ${kind === 'r' ? 'R' : 'PySpark'}` });
  }
  return kind === 'sklearn' ? sklearnScript(model, src) : kind === 'r' ? rScript(model, src) : pysparkScript(model, src);
}
