/**
 * Runtime checks of the messages a webview posts to the host, against the protocol types (panel.ts,
 * gradcheck.ts). A webview is another process: what arrives is `unknown` until checked. Each message
 * type lists its fields and a check per field; a message with an unknown type, a missing or mistyped
 * field, or a field its type does not have is rejected with a sentence naming the problem.
 *
 * Adding a message: add it to the union in panel.ts or gradcheck.ts, then to the table here (the
 * `satisfies` clauses make the compiler ask for it).
 */
import { DEFAULT_SETTINGS, type TrainSettings } from '../core/run/settings';
import type { GradcheckWebviewToHost } from './gradcheck';
import type { WebviewToHost } from './panel';

export type Checked<T> = { ok: true; message: T } | { ok: false; error: string };

/** A check of one value: undefined when it is fine, else what is wrong with it. */
type Check = (value: unknown) => string | undefined;

const isString: Check = (v) => (typeof v === 'string' ? undefined : 'is not a string');
const isRunId: Check = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : 'is not a run id (a non-negative integer)');
const isFactor: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 100 ? undefined : 'is not a positive number up to 100');
const isIndex = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
/** Landscape directions: { kind: 'auto' } or { kind: 'coefficients', i, j } with two different indices. */
const isDirections: Check = (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'is not an object';
  const d = v as Record<string, unknown>;
  if (d.kind === 'auto') return Object.keys(d).length === 1 ? undefined : 'has fields besides kind';
  if (d.kind !== 'coefficients') return `kind is not 'auto' or 'coefficients'`;
  if (Object.keys(d).length !== 3 || !isIndex(d.i) || !isIndex(d.j) || d.i === d.j) return 'needs two different coefficient indices i and j';
  return undefined;
};
const oneOf = (...values: string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? undefined : `is not one of ${values.join(', ')}`);

/** Enumerated settings: the values the core accepts. */
const SETTING_VALUES: Partial<Record<keyof TrainSettings, readonly string[]>> = {
  model: ['auto', 'binary', 'multinomial', 'ovr', 'multilabel'],
  solver: ['auto', 'lbfgs', 'newton', 'newton-cholesky', 'gd', 'sgd', 'minibatch'],
  optimizer: ['sgd', 'momentum', 'adam'],
  schedule: ['constant', 'invscaling', 'exponential'],
  penalty: ['l2', 'l1', 'elasticnet', 'none'],
  classWeight: ['none', 'balanced'],
  missing: ['impute', 'drop'],
};
/** Settings without a default (optional in TrainSettings) and their type. */
const OPTIONAL_SETTINGS: Partial<Record<keyof TrainSettings, 'number' | 'string' | 'boolean'>> = { learningRate: 'number', lambda: 'number', positiveClass: 'string', perceptron: 'boolean', oversample: 'boolean', costFP: 'number', costFN: 'number' };

/**
 * Training settings: an object whose fields are TrainSettings fields of the right type (numbers,
 * booleans, the enumerated strings, lists of column names). Ranges are validateSettings's job: an
 * out-of-range value is a training failure the panel shows, not a malformed message.
 */
const isSettings: Check = (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'is not an object';
  for (const [key, value] of Object.entries(v)) {
    const k = key as keyof TrainSettings;
    if (k === 'expansion') {
      const problem = value === undefined || value === null ? undefined : expansionShape(value);
      if (problem) return `field 'expansion' ${problem}`;
      continue;
    }
    const optional = OPTIONAL_SETTINGS[k];
    if (optional) {
      if (value !== undefined && value !== null && typeof value !== optional) return `field '${key}' is not a ${optional}`;
      continue;
    }
    if (!(k in DEFAULT_SETTINGS)) return `has an unknown field '${key}'`;
    const expected = DEFAULT_SETTINGS[k];
    if (Array.isArray(expected)) {
      if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) return `field '${key}' is not a list of column names`;
    } else if (typeof value !== typeof expected) return `field '${key}' is not a ${typeof expected}`;
    const allowed = SETTING_VALUES[k];
    if (allowed && !allowed.includes(value as string)) return `field '${key}' is not one of ${allowed.join(', ')}`;
  }
  return undefined;
};

/** The shape of settings.expansion (featureExpansion.ts ExpansionSpec); its ranges are validateSettings's. */
function expansionShape(v: unknown): string | undefined {
  if (typeof v !== 'object' || Array.isArray(v)) return 'is not an object';
  const e = v as Record<string, unknown>;
  const names = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'string');
  const bins = Array.isArray(e.bins) && e.bins.every((b) => !!b && typeof b === 'object' && typeof (b as { feature?: unknown }).feature === 'string' && typeof (b as { n?: unknown }).n === 'number');
  if (typeof e.degree !== 'number' || typeof e.interactionOnly !== 'boolean' || !names(e.log) || !names(e.log1p) || !bins) return 'is not a feature expansion (degree, interactionOnly, log, log1p, bins)';
  if (Object.keys(e).some((key) => !['degree', 'interactionOnly', 'log', 'log1p', 'bins'].includes(key))) return 'has an unknown field';
  return undefined;
}
/** Largest grid and fold count the panel may ask for (the CLI's limits). */
export const CV_MAX_POINTS = 100;
export const CV_MAX_FOLDS = 100;

/** A cross-validation request: folds 2..100, 1..100 positive finite Cs, a scoring, a rule and a penalty. */
const isCvRequest: Check = (v) => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'is not an object';
  const r = v as Record<string, unknown>;
  const fields: Record<string, Check> = {
    folds: (x) => (typeof x === 'number' && Number.isInteger(x) && x >= 2 && x <= CV_MAX_FOLDS ? undefined : `is not an integer from 2 to ${CV_MAX_FOLDS}`),
    Cs: (x) => (Array.isArray(x) && x.length >= 1 && x.length <= CV_MAX_POINTS && x.every((c) => typeof c === 'number' && Number.isFinite(c) && c > 0) ? undefined : `is not a list of 1 to ${CV_MAX_POINTS} positive numbers`),
    scoring: oneOf('neg_log_loss', 'accuracy', 'roc_auc'),
    rule: oneOf('best', '1se'),
    penalty: oneOf('l2', 'l1', 'elasticnet'),
  };
  for (const [name, check] of Object.entries(fields)) {
    const problem = check(r[name]);
    if (problem) return `field '${name}' ${problem}`;
  }
  const extra = Object.keys(r).find((k) => !(k in fields));
  return extra === undefined ? undefined : `has an unknown field '${extra}'`;
};

type Schema<M extends { type: string }> = { [T in M['type']]: Record<string, Check> };

const PANEL_SCHEMA = {
  ready: {},
  startTraining: { settings: isSettings },
  cancelTraining: {},
  exportModel: { runId: isRunId },
  exportPredictions: { runId: isRunId },
  exportReport: { runId: isRunId },
  exportPlot: { name: isString, format: oneOf('svg', 'png'), data: isString },
  reloadData: {},
  compareSolvers: { runId: isRunId },
  cancelComparison: {},
  computeLandscape: { runId: isRunId, directions: isDirections },
  descend: { runId: isRunId, factor: isFactor },
  crossValidate: { runId: isRunId, request: isCvRequest },
  cancelCrossValidation: {},
  loadCurves: { runId: isRunId, split: oneOf('train', 'validation', 'test') },
} satisfies Schema<WebviewToHost>;

const GRADCHECK_SCHEMA = {
  ready: {},
  runCheck: { source: isString },
} satisfies Schema<GradcheckWebviewToHost>;

function checkAgainst<M extends { type: string }>(schema: Schema<M>, value: unknown): Checked<M> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'the message is not an object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(schema, type)) {
    return { ok: false, error: `unknown message type ${JSON.stringify(type)?.slice(0, 60) ?? 'undefined'}` };
  }
  const fields = (schema as Record<string, Record<string, Check>>)[type];
  for (const [name, check] of Object.entries(fields)) {
    const problem = check((value as Record<string, unknown>)[name]);
    if (problem) return { ok: false, error: `'${type}': field '${name}' ${problem}` };
  }
  for (const key of Object.keys(value)) {
    if (key !== 'type' && !(key in fields)) return { ok: false, error: `'${type}' has an unknown field '${key}'` };
  }
  return { ok: true, message: value as M };
}

/** Checks a message from the model panel's webview. */
export function checkPanelMessage(value: unknown): Checked<WebviewToHost> {
  return checkAgainst<WebviewToHost>(PANEL_SCHEMA, value);
}

/** Checks a message from the gradient checker's webview. */
export function checkGradcheckMessage(value: unknown): Checked<GradcheckWebviewToHost> {
  return checkAgainst<GradcheckWebviewToHost>(GRADCHECK_SCHEMA, value);
}
