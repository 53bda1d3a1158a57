/**
 * TeX for the model panel: escaping of CSV-derived strings and the formulas of a fitted model and of
 * the objective it minimized. Pure string building (no DOM): the views hand the results to
 * `katex.render(tex, element)`, never to innerHTML.
 *
 * Every string that comes from a CSV (feature, class and target names) goes through
 * {@link texText}: it is wrapped in \text{...} with the TeX specials escaped, so a header such as
 * `a_b}\def\x{` is typeset literally and cannot inject TeX commands.
 */
import type { ModelJson } from '../src/core/model/model';

/** Text-mode replacements for the ten TeX specials (and the two characters KaTeX's text mode treats specially). */
const TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '%': '\\%',
  '~': '\\textasciitilde{}',
  // Not specials, but text mode would typeset " as a closing curly quote.
  '"': '{\\char34}',
};

/**
 * Escapes a string for TeX text mode: \ { } $ & # ^ _ % ~ become their text-mode commands, a double
 * quote becomes {\char34} (a straight quote), consecutive hyphens are kept apart (no dash
 * ligatures), control characters (tabs, newlines...) become spaces. The result goes inside \text{...}.
 */
export function escapeTexText(s: string): string {
  let out = '';
  let prev = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    // "--" and "---" would become dashes (text-mode ligatures): keep hyphens apart.
    if (ch === '-' && prev === '-') out += '{}';
    if (code < 0x20 || code === 0x7f) out += ' ';
    else out += TEXT_ESCAPES[ch] ?? ch;
    prev = ch;
  }
  return out;
}

/** A CSV string as a TeX text box: `\text{escaped}`. */
export function texText(s: string): string {
  return `\\text{${escapeTexText(s)}}`;
}

/**
 * A number for TeX: `digits` significant digits, without trailing zeros, scientific notation as
 * `1.2 \times 10^{-5}`, and the sign as a true minus (`-` in TeX math is already a minus).
 */
export function texNumber(v: number, digits = 3): string {
  if (Number.isNaN(v)) return '\\text{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (abs >= 1e-3 && abs < 1e6) {
    let t = abs.toPrecision(digits);
    if (t.includes('e')) t = String(Number(t));
    if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
    return sign + t;
  }
  const [mant, exp] = abs.toExponential(digits - 1).split('e');
  const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
  return `${sign}${m} \\times 10^{${Number(exp)}}`;
}

/**
 * A linear predictor `b + w_1 x_1 + ...` in TeX, terms in feature order, signs folded into the
 * operators ("- 0.4 x"), zero coefficients dropped. `maxTerms` limits the length (then "+ \cdots").
 */
export function linearTex(coef: readonly number[], intercept: number, featureNames: readonly string[], maxTerms = Infinity): string {
  const parts: string[] = [];
  let shown = 0;
  let hidden = 0;
  for (let j = 0; j < coef.length; j++) {
    const w = coef[j];
    if (w === 0) continue;
    if (shown >= maxTerms) {
      hidden++;
      continue;
    }
    const mag = texNumber(Math.abs(w));
    const term = `${mag}\\,${texText(featureNames[j])}`;
    if (parts.length === 0) parts.push(w < 0 ? `-${term}` : term);
    else parts.push(w < 0 ? `- ${term}` : `+ ${term}`);
    shown++;
  }
  if (hidden > 0) parts.push('+ \\cdots');
  const b = texNumber(Math.abs(intercept));
  if (parts.length === 0) return texNumber(intercept);
  if (intercept !== 0) parts.push(intercept < 0 ? `- ${b}` : `+ ${b}`);
  return parts.join(' ');
}

/** The model's probability formula, one or more lines of TeX (each rendered on its own). */
export interface ModelFormula {
  /** The headline: P(y = "yes" | x) = σ(...) or the softmax form. */
  main: string;
  /** Definitions of the linear predictors z_k when they do not fit into the headline. */
  definitions: string[];
}

/** Above this many terms the predictor goes onto its own line(s) as z = .... */
const INLINE_TERMS = 4;

/**
 * The fitted model as math, in original feature units (coef / intercept):
 * - binary: P(y = "yes" | x) = σ(1.23 x_1 − 0.4 x_2 + 0.1);
 * - multinomial: P(y = k | x) = exp(z_k) / Σ_j exp(z_j) with one z_k per class;
 * - ovr: σ(z_k) / Σ_j σ(z_j); multilabel: P(y_l = 1 | x) = σ(z_l) per label.
 */
export function modelFormulaTex(model: Pick<ModelJson, 'kind' | 'classes' | 'targetNames' | 'featureNames' | 'coef' | 'intercept'>, maxTerms = 12): ModelFormula {
  const target = texText(model.targetNames.length === 1 ? model.targetNames[0] : 'y');
  const names = model.featureNames;
  if (model.kind === 'binary') {
    const pos = texText(model.classes[1] ?? '1');
    const lin = linearTex(model.coef[0], model.intercept[0], names, maxTerms);
    const p = `P(${target} = ${pos} \\mid x)`;
    const nonzero = model.coef[0].filter((w) => w !== 0).length;
    if (nonzero <= INLINE_TERMS) return { main: `${p} = \\sigma\\left(${lin}\\right)`, definitions: [] };
    return { main: `${p} = \\sigma(z), \\quad \\sigma(z) = \\frac{1}{1 + e^{-z}}`, definitions: [`z = ${lin}`] };
  }
  const definitions = model.coef.map((row, k) => `z_{${texText(model.classes[k] ?? String(k))}} = ${linearTex(row, model.intercept[k], names, maxTerms)}`);
  if (model.kind === 'multinomial') {
    return { main: `P(${target} = k \\mid x) = \\frac{e^{z_k}}{\\sum_{j} e^{z_j}}`, definitions };
  }
  if (model.kind === 'ovr') {
    return { main: `P(${target} = k \\mid x) = \\frac{\\sigma(z_k)}{\\sum_{j} \\sigma(z_j)}`, definitions };
  }
  return { main: `P(y_l = 1 \\mid x) = \\sigma(z_l) \\quad \\text{for each label } l`, definitions };
}

/** What the objective formula needs from a model and its data. */
export interface ObjectiveInput {
  kind: ModelJson['kind'];
  penalty: string;
  C: number;
  lambda: number;
  l1Ratio: number;
  classWeight: 'none' | 'balanced';
  nTrain: number;
}

/**
 * The objective actually minimized, in scikit-learn's terms (see docs/objective.md):
 * (1/S) Σ_i s_i ℓ_i + r(w) / (S C), with the loss ℓ_i of the model kind, the penalty r(w), and the
 * values of C and λ = 1/(C n). Returns TeX lines: the objective, the loss, the constants.
 */
export function objectiveTex(o: ObjectiveInput): string[] {
  const softmax = o.kind === 'multinomial';
  const w = softmax ? 'W' : 'w';
  const norm2 = softmax ? '\\lVert W \\rVert_F^2' : '\\lVert w \\rVert_2^2';
  const norm1 = softmax ? '\\lVert W \\rVert_1' : '\\lVert w \\rVert_1';
  const rho = texNumber(o.l1Ratio);
  let r: string | null;
  switch (o.penalty) {
    case 'l2':
      r = `\\tfrac{1}{2}${norm2}`;
      break;
    case 'l1':
      r = norm1;
      break;
    case 'elasticnet':
      r = `\\tfrac{1 - ${rho}}{2}${norm2} + ${rho}\\,${norm1}`;
      break;
    default:
      r = null;
  }
  const weighted = o.classWeight === 'balanced';
  const sum = weighted ? '\\frac{1}{S}\\sum_{i=1}^{n} s_i\\,\\ell_i' : '\\frac{1}{n}\\sum_{i=1}^{n} \\ell_i';
  const denom = weighted ? 'S\\,C' : 'n\\,C';
  const lines = [`\\min_{${w},\\,b} \\; ${sum}${r ? ` + \\frac{1}{${denom}}\\left(${r}\\right)` : ''}`];
  if (softmax) lines.push(`\\ell_i = \\log \\sum_{k} e^{z_{ik}} - z_{i,y_i}`);
  else if (o.kind === 'multilabel') lines.push(`\\ell_i = -\\sum_{l} \\left[ y_{il} \\log p_{il} + (1 - y_{il}) \\log (1 - p_{il}) \\right]`);
  else lines.push(`\\ell_i = -\\left[ y_i \\log p_i + (1 - y_i) \\log (1 - p_i) \\right]`);
  if (o.kind === 'ovr') lines.push(`\\text{one such problem per class } k \\text{ (one-vs-rest), } y_i = 1[\\text{class}_i = k]`);
  const consts = [`n = ${o.nTrain}`];
  if (weighted) consts.push(`s_i = \\frac{n}{K\\,n_{y_i}} \\text{ (balanced)}, \\; S = \\sum_i s_i`);
  if (r) {
    consts.push(`C = ${texNumber(o.C)}`);
    consts.push(`\\lambda = \\frac{1}{C\\,n} = ${texNumber(o.lambda)}`);
  } else {
    consts.push(`\\text{no penalty}`);
  }
  lines.push(consts.join(', \\quad '));
  return lines;
}
