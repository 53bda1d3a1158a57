/**
 * Explaining a wrong gradient in one plain sentence: a shape mismatch, a transposed result, a sign
 * error, a constant factor (of the whole gradient or of one additive term of the formula), a set of
 * wrong components, or "not a simple slip". Every test uses all checked points at once, so a pattern
 * must hold at the given point and at the random perturbations.
 */
import { type Mat, shapeText } from './matrix';
import type { Diagnosis } from './types';

/** Values of a derivative at one point; analytic keeps the shape the formula returned. */
export interface PointValues {
  analytic: Mat;
  numeric: Mat;
  relError: Float64Array;
}

/** One additive term of the formula, `sign * expression`, evaluated at every point. */
export interface Term {
  text: string;
  sign: 1 | -1;
  values: Mat[];
  /** An expression of the data that is not in the formula but often belongs there (a missing term). */
  candidate?: boolean;
}

/** A named quantity a factor may be, e.g. { name: "n", value: 3, note: "the number of rows of X" }. */
export interface NamedValue {
  name: string;
  value: number;
  note?: string;
}

export interface DiagnosisInput {
  /** How the formula is called in messages, e.g. "grad(w)" or "grad_W". */
  what: string;
  param: string;
  points: PointValues[];
  terms: Term[];
  named: NamedValue[];
  tolerance: number;
  /** What is compared, when `what` does not say it (a function name): 'gradient' or 'Hessian'. */
  noun?: 'gradient' | 'Hessian';
  /** How components are written: w[2] (default, the block notation), theta(2) for Octave front ends, W[1, 0] (0-based) for NumPy. */
  notation?: 'octave' | 'python' | 'block';
}

const FIT = 1e-6;

export function diagnose(input: DiagnosisInput): Diagnosis {
  const { points, what, param } = input;
  const expected = points[0].numeric.shape;
  const got = points[0].analytic.shape;
  if (got[0] !== expected[0] || got[1] !== expected[1]) return shapeDiagnosis(input, got, expected);

  const a = concat(points.map((p) => p.analytic.data));
  const n = concat(points.map((p) => p.numeric.data));
  if (expected[0] === expected[1] && expected[0] > 1 && fits(concat(points.map((p) => p.analytic.transpose().data)), n)) {
    return { kind: 'transpose', message: `${what} returns the transpose of the ${input.noun ?? 'gradient'} with respect to ${param}: transpose the result.` };
  }
  const whole = scaleOf(a, n);
  if (whole !== undefined) return scaleDiagnosis(whole, `the analytic ${input.noun ?? noun(what)}`, undefined, input.named);

  const formula = input.terms.filter((t) => !t.candidate);
  for (const term of formula) {
    const factor = termFactor(term, points, a, n);
    if (factor === undefined) continue;
    if (Math.abs(factor) < FIT) {
      return { kind: 'scale', factor: 0, message: `the term "${term.text}" does not belong in ${what}: without it the result matches.` };
    }
    return scaleDiagnosis(1 / factor, `the term "${term.text}" of ${what}`, term, input.named);
  }

  const first = leavesFirstOut(formula, points, a, n, expected);
  if (first) {
    const name = componentName(0, expected, param, input.notation);
    return { kind: 'components', components: [name], message: `the term "${first.text}" of ${what} should leave ${name} out (the intercept is not regularized): without its first component the result matches.` };
  }
  for (const term of input.terms.filter((t) => t.candidate)) {
    const factor = termFactor(term, points, a, n);
    if (factor === undefined) continue;
    return missingTerm(term, factor - 1, what, input.named);
  }

  const wrong = wrongComponents(points, input.tolerance);
  if (wrong.length > 0 && wrong.length < a.length / points.length) {
    const names = input.notation === 'python' ? numpyComponentNames(wrong, expected, param) : componentNames(wrong, expected, param, input.notation);
    return { kind: 'components', components: names, message: `only ${describeComponents(names)} ${names.length === 1 ? 'is' : 'are'} wrong; the other components match.` };
  }
  const worst = Math.max(...points.flatMap((p) => Array.from(p.relError)));
  if (worst < 1e-4) {
    return {
      kind: 'other',
      message: `${what} is close but not within tolerance (max relative error ${worst.toExponential(1)}): look for a kink (abs, sign, max) near the point or a loss of precision.`,
    };
  }
  return { kind: 'other', message: `not a simple slip: no sign, constant factor, transpose or set of components explains the difference.` };
}

function noun(what: string): string {
  return what.startsWith('hess') ? 'Hessian' : 'gradient';
}

function shapeDiagnosis(input: DiagnosisInput, got: [number, number], expected: [number, number]): Diagnosis {
  const { what, param, points } = input;
  const head = `${what} is ${shapeText(got)} but ${param === 'Hessian' ? 'the Hessian' : param} is ${shapeText(expected)}`;
  if (got[0] === expected[1] && got[1] === expected[0]) {
    const transposed = concat(points.map((p) => p.analytic.transpose().data));
    const n = concat(points.map((p) => p.numeric.data));
    if (fits(transposed, n)) {
      return { kind: 'transpose', message: `${head}: it is the transpose of the right result, so transpose it.` };
    }
    return { kind: 'shape', message: `${head}; the transpose would match the shape, but the values are wrong too.` };
  }
  return { kind: 'shape', message: `${head}.` };
}

/** a ≈ s * n for a constant s ≠ 1? Returns s. */
function scaleOf(a: Float64Array, n: Float64Array): number | undefined {
  const nn = dot(n, n);
  if (nn === 0) return undefined;
  const s = dot(a, n) / nn;
  if (Math.abs(s - 1) < FIT || Math.abs(s) < FIT) return undefined;
  return residual(a, n, s) < FIT * Math.sqrt(dot(a, a)) ? s : undefined;
}

/** Does multiplying this term by some m make the formula match? Returns m. */
function termFactor(term: Term, points: PointValues[], a: Float64Array, n: Float64Array): number | undefined {
  if (term.values.some((v, i) => v.rows !== points[i].numeric.rows || v.cols !== points[i].numeric.cols)) return undefined;
  const t = concat(term.values.map((v) => v.data)).map((x) => term.sign * x);
  const tt = dot(t, t);
  if (tt === 0) return undefined;
  const d = a.map((x, k) => n[k] - x);
  const alpha = dot(d, t) / tt;
  if (Math.abs(alpha) < FIT) return undefined;
  return residual(d, t, alpha) < FIT * Math.sqrt(dot(n, n)) ? 1 + alpha : undefined;
}

function fits(a: Float64Array, n: Float64Array): boolean {
  return residual(a, n, 1) < FIT * Math.max(Math.sqrt(dot(n, n)), 1e-300);
}

/** ||a - s n||. */
function residual(a: Float64Array, n: Float64Array, s: number): number {
  let r = 0;
  for (let k = 0; k < a.length; k++) r += (a[k] - s * n[k]) ** 2;
  return Math.sqrt(r);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * The sentence for analytic = ratio × right (for a term: the term as written = ratio × the term as
 * it should be). The reported factor is 1/ratio, the number the analytic side must be multiplied by:
 * a missing 1/n gives factor 1/n, a missing 2 gives 2.
 */
function scaleDiagnosis(ratio: number, subject: string, term: Term | undefined, named: NamedValue[]): Diagnosis {
  const factor = 1 / ratio;
  if (Math.abs(ratio + 1) < FIT) {
    return { kind: 'sign', message: `${subject} has the wrong sign: ${term ? 'with the opposite sign the result matches' : 'it equals minus the numeric one'}.` };
  }
  const sign = ratio < 0 ? 'has the wrong sign and ' : '';
  const size = fraction(Math.abs(ratio));
  const comparison = term
    ? Math.abs(ratio) > 1 ? `${size}× too large` : `${size} of what it should be`
    : Math.abs(ratio) > 1 ? `${size}× the numeric one` : `${size} of the numeric one`;
  const name = nameOf(Math.abs(factor), named);
  return {
    kind: 'scale',
    factor,
    message: `${subject} ${sign}is ${comparison}: a factor ${fraction(Math.abs(factor))}${name ? ` (${name})` : ''} is missing.`,
  };
}

/** "1/3", "2", "3/2", or 4 significant digits when no small fraction fits. */
export function fraction(x: number): string {
  for (let q = 1; q <= 12; q++) {
    const p = Math.round(x * q);
    if (p !== 0 && Math.abs(p / q - x) <= 1e-6 * Math.abs(x) && Math.abs(p) <= 10000) {
      return q === 1 ? String(p) : `${p}/${q}`;
    }
  }
  return String(Number(x.toPrecision(4)));
}

function nameOf(factor: number, named: NamedValue[]): string | undefined {
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-6 * Math.abs(y);
  for (const v of named) {
    if (v.value === 0 || v.value === 1) continue;
    const note = v.note ? `, ${v.note}` : '';
    if (close(factor, 1 / v.value)) return `1/${v.name} with ${v.name} = ${fraction(v.value)}${note}`;
    if (close(factor, v.value)) return `${v.name} = ${fraction(v.value)}${note}`;
  }
  return undefined;
}

/** Column-major indices of components wrong at any point. */
function wrongComponents(points: PointValues[], tolerance: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < points[0].relError.length; k++) {
    if (points.some((p) => !(p.relError[k] < tolerance))) out.push(k);
  }
  return out;
}

/** A term of the formula whose first component must be left out (lambda*theta regularizing the intercept). */
function leavesFirstOut(terms: Term[], points: PointValues[], a: Float64Array, n: Float64Array, shape: [number, number]): Term | undefined {
  if (shape[0] !== 1 && shape[1] !== 1) return undefined;
  const size = shape[0] * shape[1];
  if (size < 2) return undefined;
  const scale = Math.max(Math.sqrt(dot(n, n)), 1e-300);
  for (const term of terms) {
    if (term.values.some((v) => v.size !== size)) continue;
    // analytic - numeric == sign * term at the first component of every point, 0 elsewhere.
    let r = 0;
    let t0 = 0;
    for (let p = 0; p < points.length; p++) {
      for (let k = 0; k < size; k++) {
        const d = a[p * size + k] - n[p * size + k];
        const want = k === 0 ? term.sign * term.values[p].data[0] : 0;
        r += (d - want) ** 2;
        if (k === 0) t0 += want * want;
      }
    }
    if (t0 > 0 && Math.sqrt(r) < FIT * scale && Math.sqrt(t0) > 1e3 * FIT * scale) return term;
  }
  return undefined;
}

/** The sentence for a missing candidate term: analytic + coefficient * term = numeric. */
function missingTerm(term: Term, coefficient: number, what: string, named: NamedValue[]): Diagnosis {
  const c = term.sign * coefficient;
  const magnitude = Math.abs(c);
  const name = nameOf(magnitude, named);
  const coef = Math.abs(magnitude - 1) < FIT ? '' : `${fraction(magnitude)}·`;
  const added = `${c < 0 ? '−' : '+'}${coef}${term.text}`;
  const oneHot = /onehot/.test(term.text);
  const head = oneHot ? `the ${c < 0 ? '−' : ''}Y (one-hot) term is missing from ${what}` : `a term ${added} is missing from ${what}`;
  return {
    kind: 'scale',
    factor: 0,
    components: [term.text],
    message: `${head}: adding ${added}${name ? ` (${name})` : ''} makes it match.`,
  };
}

/**
 * One entry's name as the diagnosis writes it: w[2] / W[3,1] (block notation), theta(2) / W(3,1)
 * (Octave), both 1-based; w[1] / W[2, 0] (NumPy, 0-based). The component tables use it too.
 */
export function componentName(k: number, shape: readonly [number, number], param: string, notation?: DiagnosisInput['notation']): string {
  const [rows, cols] = shape;
  if (notation === 'python') return rows === 1 || cols === 1 ? `${param}[${k}]` : `${param}[${k % rows}, ${Math.floor(k / rows)}]`;
  const [open, close] = notation === 'octave' ? ['(', ')'] : ['[', ']'];
  if (rows === 1 || cols === 1) return `${param}${open}${k + 1}${close}`;
  return `${param}${open}${(k % rows) + 1},${Math.floor(k / rows) + 1}${close}`;
}

/** A component table row's name: the parameter alone when it is a scalar, else componentName. */
export function componentRowName(k: number, shape: readonly [number, number], param: string, notation?: DiagnosisInput['notation']): string {
  return shape[0] === 1 && shape[1] === 1 ? param : componentName(k, shape, param, notation);
}

/** Names wrong entries, grouping whole rows (W[3,:]) and whole columns (W[:,2]) of a matrix. */
function componentNames(indices: number[], shape: [number, number], param: string, notation?: DiagnosisInput['notation']): string[] {
  const [rows, cols] = shape;
  if (rows === 1 && cols === 1) return [param];
  if (rows === 1 || cols === 1) return indices.map((k) => componentName(k, shape, param, notation));
  const wrong = new Set(indices);
  const names: string[] = [];
  const covered = new Set<number>();
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: cols }, (_, j) => i + j * rows);
    if (row.every((k) => wrong.has(k))) {
      names.push(notation === 'octave' ? `${param}(${i + 1},:)` : `${param}[${i + 1},:]`);
      row.forEach((k) => covered.add(k));
    }
  }
  for (let j = 0; j < cols; j++) {
    const col = Array.from({ length: rows }, (_, i) => i + j * rows);
    if (col.every((k) => wrong.has(k)) && !col.every((k) => covered.has(k))) {
      names.push(notation === 'octave' ? `${param}(:,${j + 1})` : `${param}[:,${j + 1}]`);
      col.forEach((k) => covered.add(k));
    }
  }
  for (const k of indices) if (!covered.has(k)) names.push(componentName(k, shape, param, notation));
  return names;
}

/** componentNames in NumPy's notation, 0-based: W[2, :], W[:, 1], W[0, 3], w[4]. */
function numpyComponentNames(indices: number[], shape: [number, number], param: string): string[] {
  return componentNames(indices, shape, param).map((name) =>
    name.replace(/\[([^\]]*)\]$/, (_, inside: string) => `[${inside.split(',').map((p) => (p === ':' ? ':' : String(Number(p) - 1))).join(', ')}]`),
  );
}

function describeComponents(names: string[]): string {
  const parts = names.map((name) => {
    const row = /^(.*)[[(](\d+), ?:[\])]$/.exec(name);
    if (row) return `row ${row[2]} of ${row[1]} (${name})`;
    const col = /^(.*)[[(]:, ?(\d+)[\])]$/.exec(name);
    if (col) return `column ${col[2]} of ${col[1]} (${name})`;
    return name;
  });
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The block-level refinement: a parameter wrong as a whole while the other parameters pass. */
export function onlyThisParameter(param: string, others: string[]): Diagnosis {
  return {
    kind: 'components',
    components: [param],
    message: `only the gradient with respect to ${param} is wrong; the gradient${others.length === 1 ? '' : 's'} for ${others.join(', ')} match${others.length === 1 ? 'es' : ''}.`,
  };
}
