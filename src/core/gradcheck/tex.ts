/**
 * TeX for gradcheck lines, from mathjs' toTex with a handler for the course notation: x' as x^{\top},
 * .* as \odot, ./ as \oslash, sigmoid as \sigma, Greek names as letters, and loss/grad/hess
 * definitions as L, \nabla_w L and \nabla^2_w L. The webview renders the result with KaTeX.
 */
import type { MathNode } from 'mathjs';
import { parseExpression, type Node } from './notation';

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu',
  'xi', 'pi', 'rho', 'sigma', 'tau', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Sigma', 'Phi', 'Omega',
]);

const OPERATOR_NAMES = new Set(['softmax', 'logsumexp', 'onehot', 'diag', 'sum', 'mean', 'prod', 'max', 'min', 'sign', 'relu', 'softplus', 'logsigmoid', 'ones', 'zeros', 'eye', 'randn', 'rand', 'dot', 'numel']);

interface TexOptions {
  handler: (node: MathNode, options: TexOptions) => string | undefined;
}

/**
 * TeX of one line of a block: a definition (`loss(w) = ...`, `grad_W(W, b) = ...`), an assignment,
 * a `check A == B` line or a bare expression. Throws on a syntax error.
 */
export function toTex(source: string): string {
  const text = source.replace(/#.*$/gm, '').trim().replace(/^check\b/, '');
  return texOf(parseExpression(text));
}

/** TeX of an already parsed node. */
export function texOf(node: MathNode): string {
  return node.toTex(OPTIONS);
}

export function symbol(name: string): string {
  const [base, ...subscript] = name.split('_');
  const head = GREEK.has(base) ? `\\${base}` : base.length === 1 ? base : `\\mathit{${base}}`;
  return subscript.length > 0 ? `{${head}_{${subscript.join(',')}}}` : `{${head}}`;
}

function args(node: Node, options: TexOptions): string {
  return (node.args ?? []).map((a) => a.toTex(options)).join(', ');
}

/** A base for ^: symbols are already braced, operator expressions get parentheses, others braces. */
function operand(node: Node, options: TexOptions): string {
  const tex = node.toTex(options);
  if (node.type === 'SymbolNode') return tex;
  return node.type === 'OperatorNode' && node.op !== "'" ? `\\left(${tex}\\right)` : `{${tex}}`;
}

function definition(node: Node, options: TexOptions): string {
  const name = node.name!;
  const params = (node.params as string[]).map(symbol).join(', ');
  const body = node.expr!.toTex(options);
  const derivative = /^(grad|hess)(?:_(\w+))?$/.exec(name);
  if (name === 'loss') return `L(${params}) = ${body}`;
  if (derivative) {
    const wrt = derivative[2] ? symbol(derivative[2]) : params;
    return `${derivative[1] === 'grad' ? '\\nabla' : '\\nabla^2'}_{${wrt}} L = ${body}`;
  }
  return `\\operatorname{${name}}(${params}) = ${body}`;
}

function handler(mathNode: MathNode, options: TexOptions): string | undefined {
  const node = mathNode as Node;
  switch (node.type) {
    case 'SymbolNode':
      return symbol(node.name!);
    case 'FunctionAssignmentNode':
      return definition(node, options);
    case 'FunctionNode': {
      const name = (node.fn as Node).name ?? '';
      if (name === 'sigmoid') return `\\sigma\\left(${args(node, options)}\\right)`;
      if (name === 'norm') return `\\left\\|${node.args![0].toTex(options)}\\right\\|`;
      if (name === 'trace') return `\\operatorname{tr}\\left(${args(node, options)}\\right)`;
      if (OPERATOR_NAMES.has(name)) return `\\operatorname{${name}}\\left(${args(node, options)}\\right)`;
      return undefined;
    }
    case 'OperatorNode': {
      const [a, b] = node.args ?? [];
      if (node.op === "'") return `${operand(a, options)}^{\\top}`;
      if (node.op === '.*') return `${a.toTex(options)} \\odot ${b.toTex(options)}`;
      if (node.op === './') return `${a.toTex(options)} \\oslash ${b.toTex(options)}`;
      if (node.op === '.^') return `${operand(a, options)}^{\\circ ${b.toTex(options)}}`;
      if (node.op === '==') return `${a.toTex(options)} \\stackrel{?}{=} ${b.toTex(options)}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

const OPTIONS: TexOptions = { handler };
