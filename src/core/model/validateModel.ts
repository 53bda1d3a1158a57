/**
 * The schema of a model file, checked in full before any prediction: a model edited by hand or
 * damaged (string coefficients, a zero scale, one class, an unknown kind) is refused with one message
 * naming the field, never used to print blank probabilities.
 */
import type { ModelJson } from './model';
import { expansionJsonProblem } from '../data/featureExpansion';

const KINDS = ['binary', 'multinomial', 'ovr', 'multilabel'] as const;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The first entry of `a` that is not a finite number, as "name[i]"; undefined when all are. */
function badNumber(a: unknown[], name: string): string | undefined {
  const i = a.findIndex((v) => !isFiniteNumber(v));
  return i >= 0 ? `${name}[${i}] is ${JSON.stringify(a[i]) ?? 'missing'}, not a finite number` : undefined;
}

/**
 * Returns the first problem of a parsed model document (whose format and version are already
 * checked), or undefined when it is a model Logit Lab can predict with.
 */
export function modelProblem(m: Partial<ModelJson>): string | undefined {
  if (!KINDS.includes(m.kind as (typeof KINDS)[number])) return `has an unknown "kind" ${JSON.stringify(m.kind)} (expected one of ${KINDS.join(', ')})`;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (!strings(m.classes)) return 'has "classes" that are not a list of strings';
  if (!strings(m.featureNames)) return 'has "featureNames" that are not a list of strings';
  const classes = m.classes!;
  const d = m.featureNames!.length;
  if (new Set(classes).size !== classes.length) return 'lists a class twice in "classes"';
  const outputs = m.kind === 'binary' ? 1 : classes.length;
  if (m.kind === 'binary' && classes.length !== 2) return `is a binary model with ${classes.length} class(es); it needs 2`;
  if (m.kind === 'multinomial' && classes.length < 2) return `is a multinomial model with ${classes.length} class(es); it needs at least 2`;
  if (m.kind === 'ovr' && classes.length < 3) return `is a one-vs-rest model with ${classes.length} class(es); it needs at least 3`;
  if (m.kind === 'multilabel' && classes.length < 1) return 'is a multilabel model without labels';
  if (!Array.isArray(m.features)) return 'has no list of feature encodings';
  if (m.expansion !== undefined) {
    const problem = expansionJsonProblem(m.expansion, d, m.features.length);
    if (problem) return problem;
  } else if (m.features.length !== d) return 'lists a different number of features and feature encodings';
  const badFeature = m.features.findIndex((f) => !f || typeof f.column !== 'string' || typeof f.name !== 'string' || !(f.kind === 'numeric' || (f.kind === 'onehot' && typeof f.level === 'string')));
  if (badFeature >= 0) return `has an invalid feature encoding features[${badFeature}]`;
  const W = m.coefStandardized;
  if (!Array.isArray(W) || W.length !== outputs) return `has ${Array.isArray(W) ? W.length : 'no'} coefficient rows; a ${m.kind} model with ${classes.length} classes has ${outputs}`;
  for (let k = 0; k < W.length; k++) {
    if (!Array.isArray(W[k]) || W[k].length !== d) return `has coefficient rows that do not have ${d} entries`;
    const bad = badNumber(W[k], `coefStandardized[${k}]`);
    if (bad) return `has ${bad}`;
  }
  if (!Array.isArray(m.interceptStandardized) || m.interceptStandardized.length !== W.length) return 'has a different number of intercepts and coefficient rows';
  const pre = m.preprocessor;
  if (!pre || [pre.imputeMean, pre.mean, pre.scale].some((a) => !Array.isArray(a) || a.length !== d)) return 'has a preprocessor that does not match its features';
  const bad = badNumber(m.interceptStandardized, 'interceptStandardized') ?? badNumber(pre.imputeMean, 'preprocessor.imputeMean') ?? badNumber(pre.mean, 'preprocessor.mean') ?? badNumber(pre.scale, 'preprocessor.scale');
  if (bad) return `has ${bad}`;
  const zero = pre.scale.findIndex((s) => s <= 0);
  if (zero >= 0) return `has preprocessor.scale[${zero}] = ${pre.scale[zero]}; a scale must be positive`;
  if (m.kind === 'binary' && !(isFiniteNumber(m.threshold) && m.threshold >= 0 && m.threshold <= 1)) return `has a threshold ${JSON.stringify(m.threshold)} outside [0, 1]`;
  return undefined;
}
