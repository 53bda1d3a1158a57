/**
 * Statistical inference for an unpenalized maximum-likelihood fit, as statsmodels' `Logit`/`MNLogit`
 * and R's `glm(family = binomial)` print it: per coefficient the estimate, its standard error from the
 * observed information, the Wald z, the two-sided p-value, a 95 % interval and the odds ratio with its
 * interval; per model the log-likelihood, the null log-likelihood, the likelihood-ratio test,
 * McFadden's pseudo-R², AIC, BIC and the deviances.
 *
 * Everything is in original feature units with the intercept first (R's order). A multinomial model is
 * reported as MNLogit does: each class k ≥ 1 against the first class (β_k − β_0), since the symmetric
 * softmax parameters are not identifiable without a penalty. OvR and multilabel outputs are independent
 * binary fits, one table each.
 *
 * The fit's parameters are first polished by a few Newton steps on the exact log-likelihood (the
 * solvers stop at a relative gradient of 1e-8; the reference tools iterate Newton to machine
 * precision), so the standard errors match theirs to about 1e-9. A singular information matrix
 * (collinear columns, e.g. every one-hot level with an intercept) gives no standard errors and names
 * the dependent columns; fitted probabilities numerically 0 or 1 (R's test) or huge standard errors
 * flag (quasi-)separation. Penalized or class-weighted fits get no table, and say why.
 */
import { LinearModelLoss, type Penalty } from '../model/loss';
import { choleskySolve } from '../optimize/newton';
import { chiSquareSf, twoSidedP, Z_975 } from './distributions';

export const INTERCEPT_TERM = '(intercept)';

/** One coefficient of an inference table (original units). Null where the information is singular. */
export interface CoefficientTest {
  term: string;
  estimate: number;
  se: number | null;
  z: number | null;
  p: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** exp(estimate) and exp of the interval ends. */
  oddsRatio: number;
  oddsLow: number | null;
  oddsHigh: number | null;
  /** The standardized-scale SE exceeds HUGE_SE: a symptom of separation. */
  suspect: boolean;
}

export interface FitStatistics {
  nObs: number;
  /** Parameters estimated (the rank of the information matrix). */
  nParams: number;
  logLikelihood: number;
  nullLogLikelihood: number;
  /** Likelihood-ratio statistic 2 (llf − llnull), its degrees of freedom and p-value. */
  llr: number;
  llrDf: number;
  llrPValue: number;
  pseudoR2: number;
  aic: number;
  bic: number;
  deviance: number;
  nullDeviance: number;
}

export interface InferenceFlag {
  code: 'separation' | 'singular' | 'not-converged';
  message: string;
  /** The terms concerned (singular: the dependent columns; separation: the huge-SE terms). */
  terms: string[];
}

/** The inference of one fitted output: one block of coefficients (binary) or K − 1 (multinomial). */
export interface InferenceTable {
  /** What the output models: binary "P(class)", OvR/multilabel the class or label. */
  name: string;
  /** Multinomial: the reference (first) class; each block is a class against it. */
  reference?: string;
  blocks: { name: string; terms: CoefficientTest[] }[];
  fit: FitStatistics;
  flags: InferenceFlag[];
}

export interface Inference {
  available: boolean;
  /** Why there is no table (penalized or weighted fit, too many parameters). */
  reason?: string;
  tables: InferenceTable[];
  /** Iterations of the solver, and Newton steps added by the polish. */
  iterations: number;
  polishSteps: number;
}

/** One fitted output as train.ts has it: the solver's θ (LinearModelLoss layout) on its labels. */
export interface InferenceOutput {
  kind: 'binary' | 'multinomial';
  nClasses: number;
  y: Int32Array;
  theta: Float64Array;
  /** Binary: the output's name; multinomial: the class labels (K). */
  names: string[];
}

export interface InferenceInput {
  /** Standardized training rows (n × d) and the scaler that made them. */
  X: Float64Array;
  n: number;
  d: number;
  featureNames: string[];
  mean: ArrayLike<number>;
  scale: ArrayLike<number>;
  outputs: InferenceOutput[];
  penalty: Penalty;
  C: number;
  classWeight: 'none' | 'balanced';
  iterations: number;
}

/** A standardized-scale standard error above this marks a coefficient as suspect (separation). */
export const HUGE_SE = 50;
/** Largest number of free parameters per output, and of n × parameters² multiply-adds, for the dense information. */
export const MAX_INFERENCE_PARAMS = 600;
export const MAX_INFERENCE_WORK = 2e10;
/** A column whose share of variance not explained by the columns before it (in the information metric) is below this is aliased. */
const ALIAS_TOL = 1e-10;
const EPS10 = 10 * Number.EPSILON;

/** A p-value as R prints it: below 2e-16 as "< 2e-16", small ones in exponent form; "—" when there is none. */
export function formatPValue(p: number | null): string {
  if (p === null || Number.isNaN(p)) return '—';
  return p < 2e-16 ? '< 2e-16' : p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

/** Whether the settings allow a table, and if not the reason shown in its place. */
export function inferenceUnavailableReason(s: { penalty: Penalty; C: number; classWeight: 'none' | 'balanced' }): string | null {
  if (s.penalty !== 'none' && Number.isFinite(s.C)) {
    return (
      `the fit is penalized (${s.penalty === 'elasticnet' ? 'elastic net' : s.penalty.toUpperCase()}, C = ${s.C}): a penalized estimate is shrunk toward 0 and the inverse Hessian of the ` +
      'penalized objective is not its covariance, so statsmodels and R print no standard errors for it. Refit without a penalty (--penalty none) for standard errors, z, p-values and intervals'
    );
  }
  if (s.classWeight === 'balanced') {
    return 'balanced class weights make the objective a weighted pseudo-likelihood whose inverse Hessian is not the covariance of the estimate; refit with class weight none for standard errors';
  }
  return null;
}

export function statisticalInference(input: InferenceInput): Inference {
  const reason = inferenceUnavailableReason(input);
  if (reason) return { available: false, reason, tables: [], iterations: input.iterations, polishSteps: 0 };
  const { n, d } = input;
  for (const out of input.outputs) {
    const free = (d + 1) * (out.kind === 'multinomial' ? out.nClasses - 1 : 1);
    if (free > MAX_INFERENCE_PARAMS || n * free * free > MAX_INFERENCE_WORK) {
      return {
        available: false,
        reason: `${free} parameters on ${n} rows are too many for the dense information matrix (at most ${MAX_INFERENCE_PARAMS} parameters and ${MAX_INFERENCE_WORK.toExponential(0)} multiply-adds)`,
        tables: [],
        iterations: input.iterations,
        polishSteps: 0,
      };
    }
  }
  let polishSteps = 0;
  const tables = input.outputs.map((out) => {
    const t = outputInference(input, out);
    polishSteps = Math.max(polishSteps, t.steps);
    return t.table;
  });
  return { available: true, tables, iterations: input.iterations, polishSteps };
}

/** The free parameters of an output in reporting order: per block (class ≥ 1 for multinomial) the intercept, then the weights. */
function freeIndices(d: number, firstBlock: number, blocks: number): number[] {
  const idx: number[] = [];
  for (let k = firstBlock; k < blocks; k++) {
    idx.push(k * (d + 1) + d);
    for (let j = 0; j < d; j++) idx.push(k * (d + 1) + j);
  }
  return idx;
}

function outputInference(input: InferenceInput, out: InferenceOutput): { table: InferenceTable; steps: number } {
  const { X, n, d } = input;
  const multi = out.kind === 'multinomial';
  const K = multi ? out.nClasses : 1;
  const stride = d + 1;
  const loss = new LinearModelLoss({ X, n, d, kind: out.kind, y: out.y, nClasses: out.nClasses, penalty: 'none', C: Infinity, simd: false });
  // Multinomial: the reference parameterization β_k − β_0 (the same probabilities).
  const theta = out.theta.slice();
  if (multi) for (let k = K - 1; k >= 0; k--) for (let p = 0; p < stride; p++) theta[k * stride + p] -= theta[p];
  const free = freeIndices(d, multi ? 1 : 0, K);
  const names = free.map((p) => (p % stride === d ? INTERCEPT_TERM : input.featureNames[p % stride]));
  const { steps, info } = polish(loss, theta, free);
  const flags: InferenceFlag[] = [];
  const m = free.length;
  let cov: Float64Array | null = null;
  if (info.aliased.length > 0) {
    // Named in original units (where a one-hot level is 1 minus the others, an intercept is involved).
    const H = loss.hessian(theta);
    const Hf = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) Hf[a * m + b] = H[free[a] * loss.nParams + free[b]];
    const all = Array.from({ length: m }, (_, i) => i);
    flags.push(singularFlag(factorInformation(originalUnitsInformation(Hf, m, d, input.mean, input.scale), m, all), names));
  } else {
    cov = new Float64Array(m * m);
    const e = new Float64Array(m);
    for (let c = 0; c < m; c++) {
      e.fill(0);
      e[c] = 1;
      choleskySolve(info.L, m, e);
      // The Hessian is of the mean loss: the information is n H.
      for (let r = 0; r < m; r++) cov[r * m + c] = e[r] / n;
    }
  }
  if (info.gradInf * n > 1e-4) {
    flags.push({ code: 'not-converged', message: `the fit is not at the maximum of the likelihood (largest score ${(info.gradInf * n).toExponential(2)} after ${steps} Newton steps): the standard errors are not reliable`, terms: [] });
  }
  const blocks: InferenceTable['blocks'] = [];
  const suspects: string[] = [];
  for (let b = 0; b < (multi ? K - 1 : 1); b++) {
    const terms: CoefficientTest[] = [];
    const o = b * stride;
    const k = (multi ? b + 1 : 0) * stride;
    // Original units: w_j / scale_j, and b − Σ mean_j w_j / scale_j with its gradient a.
    const a = new Float64Array(stride);
    a[0] = 1;
    let intercept = theta[k + d];
    for (let j = 0; j < d; j++) {
      a[1 + j] = -input.mean[j] / input.scale[j];
      intercept += a[1 + j] * theta[k + j];
    }
    let varB = 0;
    if (cov) for (let r = 0; r < stride; r++) for (let c = 0; c < stride; c++) varB += a[r] * a[c] * cov[(o + r) * m + o + c];
    terms.push(coefficientTest(INTERCEPT_TERM, intercept, cov ? Math.sqrt(varB) : null, cov ? Math.sqrt(cov[o * m + o]) : 0));
    for (let j = 0; j < d; j++) {
      const q = o + 1 + j;
      const stdSe = cov ? Math.sqrt(cov[q * m + q]) : 0;
      terms.push(coefficientTest(input.featureNames[j], theta[k + j] / input.scale[j], cov ? stdSe / input.scale[j] : null, stdSe));
    }
    for (const t of terms) if (t.suspect) suspects.push(multi ? `${t.term} (${out.names[b + 1]})` : t.term);
    blocks.push({ name: multi ? out.names[b + 1] : out.names[0], terms });
  }
  const extreme = extremeRows(loss, theta, n, K);
  if (extreme > 0 || suspects.length > 0) flags.push(separationFlag(extreme, suspects));
  const fit = fitStatistics(loss.loss(theta) * n, out, n, m - info.aliased.length, multi ? K - 1 : 1);
  const table: InferenceTable = { name: multi ? '' : out.names[0], blocks, fit, flags };
  if (multi) table.reference = out.names[0];
  return { table, steps };
}

function coefficientTest(term: string, estimate: number, se: number | null, stdSe: number): CoefficientTest {
  if (se === null || !Number.isFinite(se)) {
    return { term, estimate, se: null, z: null, p: null, ciLow: null, ciHigh: null, oddsRatio: Math.exp(estimate), oddsLow: null, oddsHigh: null, suspect: false };
  }
  const z = estimate / se;
  const lo = estimate - Z_975 * se;
  const hi = estimate + Z_975 * se;
  return { term, estimate, se, z, p: twoSidedP(z), ciLow: lo, ciHigh: hi, oddsRatio: Math.exp(estimate), oddsLow: Math.exp(lo), oddsHigh: Math.exp(hi), suspect: stdSe > HUGE_SE };
}

/** Rows whose fitted probability of some class is within 10 ε of 0 or 1 (R glm.fit's test). */
function extremeRows(loss: LinearModelLoss, theta: Float64Array, n: number, K: number): number {
  const p = loss.predictProba(theta, loss.X, n);
  const width = K === 1 ? 2 : K;
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < width; k++) {
      if (p[i * width + k] > 1 - EPS10) {
        count++;
        break;
      }
    }
  }
  return count;
}

function separationFlag(rows: number, suspects: string[]): InferenceFlag {
  const parts: string[] = [];
  if (rows > 0) parts.push(`${rows} training row${rows === 1 ? ' has' : 's have'} fitted probabilities numerically 0 or 1`);
  if (suspects.length > 0) parts.push(`the standard errors of ${suspects.join(', ')} are huge (over ${HUGE_SE} per standard deviation)`);
  return {
    code: 'separation',
    message: `(quasi-)separation: ${parts.join(' and ')}. The maximum-likelihood estimates do not exist or are unstable (they grow without bound), so these z and p-values are meaningless; use a penalty (L2) or drop the separating features`,
    terms: suspects,
  };
}

function singularFlag(info: Factor, names: string[]): InferenceFlag {
  const described = info.aliased.map((a) => `'${names[a.index]}' = a combination of ${a.dependsOn.map((i) => `'${names[i]}'`).join(', ')}`);
  const terms = [...new Set(info.aliased.flatMap((a) => [a.index, ...a.dependsOn]).map((i) => names[i]))];
  return {
    code: 'singular',
    message: `the information matrix is singular (collinear columns, e.g. every one-hot level of a column together with the intercept): ${described.join('; ')}. The coefficients of these columns are not identifiable, so no standard errors are given; drop one of the columns or use a penalty`,
    terms,
  };
}

function fitStatistics(negLogLik: number, out: InferenceOutput, n: number, rank: number, nIntercepts: number): FitStatistics {
  const K = out.kind === 'multinomial' ? out.nClasses : 2;
  const counts = new Float64Array(K);
  for (let i = 0; i < n; i++) counts[out.y[i]]++;
  let llnull = 0;
  for (const c of counts) if (c > 0) llnull += c * Math.log(c / n);
  const llf = -negLogLik;
  const llr = 2 * (llf - llnull);
  const df = rank - nIntercepts;
  return {
    nObs: n,
    nParams: rank,
    logLikelihood: llf,
    nullLogLikelihood: llnull,
    llr,
    llrDf: df,
    llrPValue: df > 0 ? chiSquareSf(llr, df) : 1,
    pseudoR2: 1 - llf / llnull,
    aic: -2 * llf + 2 * rank,
    bic: -2 * llf + Math.log(n) * rank,
    deviance: -2 * llf,
    nullDeviance: -2 * llnull,
  };
}

/**
 * The information of the free parameters (blocks of [intercept, weights], standardized units) in
 * original units: Jᵀ H J with J = ∂θ_std/∂θ_orig, i.e. b_std = b + Σ_j mean_j w_j and w_std_j = scale_j w_j.
 */
function originalUnitsInformation(H: Float64Array, m: number, d: number, mean: ArrayLike<number>, scale: ArrayLike<number>): Float64Array {
  const stride = d + 1;
  const J = new Float64Array(m * m);
  for (let o = 0; o < m; o += stride) {
    J[o * m + o] = 1;
    for (let j = 0; j < d; j++) {
      J[o * m + o + 1 + j] = mean[j];
      J[(o + 1 + j) * m + o + 1 + j] = scale[j];
    }
  }
  const HJ = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let k = 0; k < m; k++) if (H[a * m + k] !== 0) for (let b = 0; b < m; b++) HJ[a * m + b] += H[a * m + k] * J[k * m + b];
  const out = new Float64Array(m * m);
  for (let k = 0; k < m; k++) for (let a = 0; a < m; a++) if (J[k * m + a] !== 0) for (let b = 0; b < m; b++) out[a * m + b] += J[k * m + a] * HJ[k * m + b];
  return out;
}

interface Factor {
  /** Lower Cholesky factor (m × m) of the information of the kept parameters; meaningful only without aliases. */
  L: Float64Array;
  aliased: { index: number; dependsOn: number[] }[];
  /** Largest |gradient| of the mean loss over the free parameters at the final point. */
  gradInf: number;
}

/**
 * Newton steps on the mean log-loss over the `free` parameters (the others fixed; θ updated in place)
 * until the step is at rounding level, with step halving so the loss never rises. Returns the steps
 * taken and the factor of the Hessian at the final point.
 */
function polish(loss: LinearModelLoss, theta: Float64Array, free: number[]): { steps: number; info: Factor } {
  const m = free.length;
  const g = new Float64Array(loss.nParams);
  const trial = new Float64Array(theta.length);
  let f = loss.lossGradient(theta, g);
  let steps = 0;
  for (;;) {
    const info = factorInformation(loss.hessian(theta), loss.nParams, free);
    info.gradInf = Math.max(...free.map((p) => Math.abs(g[p])));
    if (steps >= 10 || info.aliased.length > 0 || info.gradInf === 0) return { steps, info };
    const step = Float64Array.from(free, (p) => -g[p]);
    choleskySolve(info.L, m, step);
    let size = 0;
    let scale = 0;
    for (let c = 0; c < m; c++) {
      size = Math.max(size, Math.abs(step[c]));
      scale = Math.max(scale, Math.abs(theta[free[c]]));
    }
    if (size <= 1e-14 * (1 + scale)) return { steps, info };
    let t = 1;
    let fNew = Infinity;
    const gNew = new Float64Array(loss.nParams);
    for (let h = 0; h < 40; h++, t /= 2) {
      trial.set(theta);
      for (let c = 0; c < m; c++) trial[free[c]] += t * step[c];
      fNew = loss.lossGradient(trial, gNew);
      if (fNew <= f) break;
    }
    if (!(fNew <= f)) return { steps, info };
    theta.set(trial);
    g.set(gNew);
    f = fNew;
    steps++;
  }
}

/**
 * Cholesky factor of the Hessian restricted to `free` (in that order), skipping a column whose
 * remaining pivot is below ALIAS_TOL of its diagonal: it is (numerically) a linear combination of the
 * columns before it, which are then found by solving against the kept columns.
 */
function factorInformation(H: Float64Array, N: number, free: number[]): Factor {
  const m = free.length;
  const A = (a: number, b: number) => H[free[a] * N + free[b]];
  const kept: number[] = [];
  const Lk = new Float64Array(m * m);
  const aliasedIdx: number[] = [];
  for (let j = 0; j < m; j++) {
    const r = kept.length;
    const row = new Float64Array(r);
    for (let c = 0; c < r; c++) {
      let t = A(j, kept[c]);
      for (let q = 0; q < c; q++) t -= row[q] * Lk[c * m + q];
      row[c] = t / Lk[c * m + c];
    }
    let s = A(j, j);
    for (let q = 0; q < r; q++) s -= row[q] * row[q];
    if (!(s > ALIAS_TOL * A(j, j))) {
      aliasedIdx.push(j);
      continue;
    }
    for (let q = 0; q < r; q++) Lk[r * m + q] = row[q];
    Lk[r * m + r] = Math.sqrt(s);
    kept.push(j);
  }
  const r = kept.length;
  const L = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let b = 0; b <= a; b++) L[a * r + b] = Lk[a * m + b];
  const aliased = aliasedIdx.map((j) => {
    const c = Float64Array.from(kept, (k) => A(k, j));
    choleskySolve(L, r, c);
    const dependsOn = kept.filter((k, i) => Math.abs(c[i]) * Math.sqrt(A(k, k) / Math.max(A(j, j), 1e-300)) > 1e-6);
    return { index: j, dependsOn };
  });
  return { L, aliased, gradInf: 0 };
}
