/**
 * Feature engineering for a linear model, as a step after encoding and before scaling, in the order a
 * scikit-learn pipeline applies it:
 *   SimpleImputer(mean) -> per-column transforms (log, log1p, uniform-width bins one-hot)
 *   -> PolynomialFeatures(degree, interaction_only, include_bias=False) -> StandardScaler -> model.
 * The imputation means and bin edges are fitted on the training rows only. The polynomial columns
 * follow PolynomialFeatures' order (degree 1 first, then each degree's index combinations in
 * lexicographic order) and get_feature_names_out's names ("a", "a^2", "a b"); the parity is tested
 * against scikit-learn (scripts/fixtures/expansion_fixtures.py).
 * Pure core: applied to training rows (train.ts), saved rows (model.ts preprocessRows) and the
 * boundary grid, so the boundary is drawn through the expansion in the original feature plane.
 */
import { DataError } from '../diagnostics';

/** What to derive from the encoded features (stored in the run's settings and in the model file). */
export interface ExpansionSpec {
  /** Polynomial degree: 1 (no polynomial terms), 2 or 3. */
  degree: number;
  /** PolynomialFeatures(interaction_only=True): products of distinct features only, no powers. */
  interactionOnly: boolean;
  /** Features (by encoded name) replaced by their natural log; their values must be positive. */
  log: string[];
  /** Features replaced by log(1 + x); their values must be above -1. */
  log1p: string[];
  /** Numeric features replaced by a one-hot of `n` equal-width bins over the training range. */
  bins: { feature: string; n: number }[];
}

/** An expansion fitted on the training rows: everything needed to apply it to new rows. */
export interface FittedExpansion {
  spec: ExpansionSpec;
  /** The encoded features it takes, in order (the model's `features` names). */
  inputNames: string[];
  /** Training mean of each input feature: the imputation of a missing value, before any transform. */
  inputMean: number[];
  /** Per spec.bins entry: its n + 1 edges (uniform from the training minimum to maximum). */
  binEdges: number[][];
  /** The columns after the per-column transforms, before the polynomial terms. */
  baseNames: string[];
  /** The expanded features' names (PolynomialFeatures' names on baseNames). */
  names: string[];
}

/** Above this many expanded columns the expansion is refused (degree 3 on 30 features is 5,455). */
export const MAX_EXPANDED_FEATURES = 10000;
export const MAX_BINS = 100;

/** True when the spec changes anything (the default spec is the identity). */
export function isActiveExpansion(spec: ExpansionSpec | undefined): spec is ExpansionSpec {
  return !!spec && (spec.degree > 1 || spec.log.length > 0 || spec.log1p.length > 0 || spec.bins.length > 0);
}

/** One sentence per problem of a spec on its own (names are checked against the data in fitExpansion). */
export function expansionProblems(spec: ExpansionSpec): string[] {
  const problems: string[] = [];
  if (![1, 2, 3].includes(spec.degree)) problems.push(`polynomial degree must be 1, 2 or 3, got ${spec.degree}`);
  if (spec.interactionOnly && spec.degree < 2) problems.push('interactions need a polynomial degree of 2 or 3');
  for (const b of spec.bins) {
    if (!(Number.isInteger(b.n) && b.n >= 2 && b.n <= MAX_BINS)) problems.push(`the number of bins of '${b.feature}' must be an integer from 2 to ${MAX_BINS}, got ${b.n}`);
  }
  const seen = new Map<string, string>();
  const claim = (name: string, what: string) => {
    const before = seen.get(name);
    if (before) problems.push(`feature '${name}' is given both ${before} and ${what}; choose one`);
    else seen.set(name, what);
  };
  spec.log.forEach((f) => claim(f, 'log'));
  spec.log1p.forEach((f) => claim(f, 'log1p'));
  spec.bins.forEach((b) => claim(b.feature, 'bins'));
  return problems;
}

/**
 * The index combinations of PolynomialFeatures(include_bias=False), in its order: degree 1, then
 * each higher degree's combinations (with replacement unless interactionOnly) in lexicographic order.
 */
export function polynomialTerms(nFeatures: number, degree: number, interactionOnly: boolean): number[][] {
  const terms: number[][] = [];
  const extend = (prefix: number[], from: number, left: number) => {
    if (left === 0) {
      terms.push(prefix);
      return;
    }
    for (let j = from; j < nFeatures; j++) extend([...prefix, j], interactionOnly ? j + 1 : j, left - 1);
  };
  for (let k = 1; k <= degree; k++) extend([], 0, k);
  return terms;
}

/** get_feature_names_out of a term: "a", "a^2", "a b", "a^2 b". */
export function termName(term: readonly number[], names: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < term.length; ) {
    let e = i;
    while (e < term.length && term[e] === term[i]) e++;
    parts.push(e - i === 1 ? names[term[i]] : `${names[term[i]]}^${e - i}`);
    i = e;
  }
  return parts.join(' ');
}

/** The count of polynomial terms without building them: Σ_k C(m + k - 1, k) (or C(m, k) for interactions). */
function termCount(m: number, degree: number, interactionOnly: boolean): number {
  let total = 0;
  for (let k = 1; k <= degree; k++) {
    let c = 1;
    for (let i = 0; i < k; i++) c = (c * (interactionOnly ? m - i : m + i)) / (i + 1);
    total += Math.max(0, Math.round(c));
  }
  return total;
}

/**
 * Fits the expansion on the training rows (n x d row-major encoded X, NaN = missing, `train` indexes
 * its rows). `numeric[j]` says whether input j is a numeric column (only those can be binned). A
 * problem (an unknown or non-numeric feature, too many columns) is a DataError naming the file.
 */
export function fitExpansion(
  spec: ExpansionSpec, X: Float64Array, d: number, train: Int32Array, inputNames: string[], numeric: boolean[], file?: string,
): FittedExpansion {
  const fail = (message: string) => new DataError({ code: 'settings.expansion', file, message });
  const problems = expansionProblems(spec);
  if (problems.length > 0) throw fail(problems.join('; '));
  const index = (name: string, what: string) => {
    const j = inputNames.indexOf(name);
    if (j < 0) throw fail(`${what} names feature '${name}', which is not a feature of the model (features: ${inputNames.join(', ')})`);
    if (!numeric[j]) throw fail(`${what} needs a numeric feature; '${name}' is a one-hot level`);
    return j;
  };
  spec.log.forEach((f) => index(f, 'log'));
  spec.log1p.forEach((f) => index(f, 'log1p'));
  const inputMean = columnMeans(X, d, train);
  const binEdges = spec.bins.map((b) => {
    const j = index(b.feature, 'binning');
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of train) {
      const v = X[r * d + j] === X[r * d + j] ? X[r * d + j] : inputMean[j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!(hi > lo)) throw fail(`cannot bin '${b.feature}': its training values are all ${lo}`);
    return Array.from({ length: b.n + 1 }, (_, k) => (k === b.n ? hi : lo + ((hi - lo) * k) / b.n));
  });
  const baseNames = baseColumnNames(spec, inputNames, binEdges);
  const count = termCount(baseNames.length, spec.degree, spec.interactionOnly);
  if (count > MAX_EXPANDED_FEATURES) {
    throw fail(`degree ${spec.degree}${spec.interactionOnly ? ' interactions' : ''} on ${baseNames.length} columns makes ${count} features (at most ${MAX_EXPANDED_FEATURES}); choose fewer features or a lower degree`);
  }
  const names = polynomialTerms(baseNames.length, spec.degree, spec.interactionOnly).map((t) => termName(t, baseNames));
  return { spec, inputNames, inputMean, binEdges, baseNames, names };
}

/** Mean of the non-missing values of each column over `rows` (0 when a column has none), as SimpleImputer. */
function columnMeans(X: Float64Array, d: number, rows: Int32Array): number[] {
  const total = new Float64Array(d);
  const count = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) {
      const v = X[r * d + j];
      if (v === v) {
        total[j] += v;
        count[j]++;
      }
    }
  }
  return Array.from(total, (t, j) => (count[j] > 0 ? t / count[j] : 0));
}

/** Names of the columns after the per-column transforms: "log(x)", "log1p(x)", "x_bin0".. in input order. */
function baseColumnNames(spec: ExpansionSpec, inputNames: string[], binEdges: number[][]): string[] {
  const out: string[] = [];
  inputNames.forEach((name) => {
    const b = spec.bins.findIndex((s) => s.feature === name);
    if (b >= 0) for (let k = 0; k < binEdges[b].length - 1; k++) out.push(`${name}_bin${k}`);
    else if (spec.log.includes(name)) out.push(`log(${name})`);
    else if (spec.log1p.includes(name)) out.push(`log1p(${name})`);
    else out.push(name);
  });
  return out;
}

/** The bin of v among edges (searchsorted(edges[1:-1], v, side='right')): values outside the training range go to the end bins. */
export function binOf(edges: readonly number[], v: number): number {
  let k = 0;
  while (k < edges.length - 2 && v >= edges[k + 1]) k++;
  return k;
}

/** How a transform's value outside its domain is handled: a DataError at the row's line, or NaN (the boundary grid). */
export interface ExpandOptions {
  /** Source line of row i, for the error; without it an invalid value becomes NaN. */
  lineOf?: (i: number) => number;
  file?: string;
}

/** Applies a fitted expansion to n encoded rows (n x inputNames.length, NaN = missing): n x names.length. */
export function expandRows(ex: FittedExpansion, X: Float64Array, n: number, options: ExpandOptions = {}): Float64Array {
  const d = ex.inputNames.length;
  if (X.length !== n * d) throw new RangeError(`matrix has ${X.length} entries, expected ${n} x ${d}`);
  const m = ex.baseNames.length;
  const terms = polynomialTerms(m, ex.spec.degree, ex.spec.interactionOnly);
  const kindOf = ex.inputNames.map((name) => {
    const b = ex.spec.bins.findIndex((s) => s.feature === name);
    return b >= 0 ? { bin: ex.binEdges[b] } : ex.spec.log.includes(name) ? 'log' : ex.spec.log1p.includes(name) ? 'log1p' : 'plain';
  });
  const base = new Float64Array(m);
  const out = new Float64Array(n * terms.length);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j < d; j++) {
      const raw = X[i * d + j];
      const v = raw === raw ? raw : ex.inputMean[j];
      const kind = kindOf[j];
      if (typeof kind === 'object') {
        const k = binOf(kind.bin, v);
        for (let b = 0; b < kind.bin.length - 1; b++) base[c++] = b === k ? 1 : 0;
      } else if (kind === 'plain') base[c++] = v;
      else {
        const ok = kind === 'log' ? v > 0 : v > -1;
        if (!ok && options.lineOf) {
          throw new DataError({
            code: 'data.expansion-domain', file: options.file, line: options.lineOf(i),
            message: `${kind} of feature '${ex.inputNames[j]}' needs values ${kind === 'log' ? 'above 0' : 'above -1'}, got ${v}${kind === 'log' ? ' (log1p takes 0)' : ''}`,
          });
        }
        base[c++] = ok ? (kind === 'log' ? Math.log(v) : Math.log1p(v)) : NaN;
      }
    }
    const o = i * terms.length;
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t];
      let p = base[term[0]];
      for (let q = 1; q < term.length; q++) p *= base[term[q]];
      out[o + t] = p;
    }
  }
  return out;
}

/** Whether a stored expansion is well formed (model files are checked before use); undefined when it is. */
export function expansionJsonProblem(ex: unknown, d: number, inputCount: number): string | undefined {
  const e = ex as Partial<FittedExpansion> | null;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (!e || typeof e !== 'object' || !e.spec || !strings(e.inputNames) || !strings(e.names) || !strings(e.baseNames)) return 'has an invalid "expansion"';
  if (e.inputNames!.length !== inputCount) return 'has an "expansion" whose inputs do not match its feature encodings';
  if (e.names!.length !== d) return 'has an "expansion" whose features do not match "featureNames"';
  if (!Array.isArray(e.inputMean) || e.inputMean.length !== inputCount || !e.inputMean.every(Number.isFinite)) return 'has an "expansion" with invalid input means';
  const s = e.spec;
  if (!strings(s.log) || !strings(s.log1p) || !Array.isArray(s.bins) || typeof s.interactionOnly !== 'boolean') return 'has an invalid "expansion.spec"';
  const problems = expansionProblems(s);
  if (problems.length > 0) return `has an invalid "expansion.spec": ${problems[0]}`;
  if (!Array.isArray(e.binEdges) || e.binEdges.length !== s.bins.length || e.binEdges.some((b, k) => !Array.isArray(b) || b.length !== s.bins[k].n + 1 || !b.every(Number.isFinite))) {
    return 'has an "expansion" with invalid bin edges';
  }
  const rebuilt = baseColumnNames(s, e.inputNames!, e.binEdges);
  if (rebuilt.join('\u0000') !== e.baseNames!.join('\u0000')) return 'has an "expansion" whose columns do not match its spec';
  const names = polynomialTerms(rebuilt.length, s.degree, s.interactionOnly).map((t) => termName(t, rebuilt));
  if (names.join('\u0000') !== e.names!.join('\u0000')) return 'has an "expansion" whose features do not match its spec';
  return undefined;
}

/** Parses the CLI's and the settings form's text: "x:5,y:3" -> bins; "a,b" -> names. */
export function parseBins(text: string): { feature: string; n: number }[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const at = s.lastIndexOf(':');
    return at > 0 ? { feature: s.slice(0, at).trim(), n: Number(s.slice(at + 1)) } : { feature: s, n: 5 };
  });
}

/** One line saying what an expansion does: "degree-2 polynomial; log(a); 4 bins of b: 2 inputs -> 9 features". */
export function describeExpansion(ex: FittedExpansion): string {
  const s = ex.spec;
  const parts: string[] = [];
  if (s.log.length > 0) parts.push(`log of ${s.log.join(', ')}`);
  if (s.log1p.length > 0) parts.push(`log1p of ${s.log1p.join(', ')}`);
  s.bins.forEach((b) => parts.push(`${b.n} equal-width bins of ${b.feature}`));
  if (s.degree > 1) parts.push(`degree-${s.degree} ${s.interactionOnly ? 'interactions' : 'polynomial'}`);
  return `${parts.join('; ')}: ${ex.inputNames.length} encoded features -> ${ex.names.length}`;
}
