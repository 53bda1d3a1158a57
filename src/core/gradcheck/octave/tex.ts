/**
 * TeX of Octave code for the checker panel (rendered there with KaTeX): the assignments a function
 * makes to its outputs, e.g. `J = ...` and `grad = ...` of `function [J, grad] = costFunction(...)`,
 * in the same course notation as the block notation's TeX (x' as x^{\top}, .* as \odot, sigmoid as σ).
 */
import { symbol } from '../tex';
import type { Expr, FunctionDef, Program, Stmt } from './ast';

const NAMED: Record<string, string> = { log: '\\log', exp: '\\exp', sqrt: '\\sqrt', sum: '\\sum', sigmoid: '\\sigma', max: '\\max', min: '\\min' };

/** TeX of the last whole assignment to each output of a function (loss, gradient, Hessian). */
export function functionTex(fn: FunctionDef): { loss?: string; grad?: string; hess?: string } {
  const last = new Map<string, Expr>();
  const visit = (list: Stmt[]): void => {
    for (const s of list) {
      if (s.type === 'assign' && s.targets.length === 1 && !s.targets[0].args && s.op === '=') last.set(s.targets[0].name, s.value);
      else if (s.type === 'if') {
        s.clauses.forEach((c) => visit(c.body));
        if (s.otherwise) visit(s.otherwise);
      }
    }
  };
  visit(fn.body);
  const out: { loss?: string; grad?: string; hess?: string } = {};
  const keys = ['loss', 'grad', 'hess'] as const;
  fn.outputs.slice(0, 3).forEach((name, k) => {
    const e = last.get(name);
    if (e) out[keys[k]] = `${symbol(name)} = ${exprTex(e)}`;
  });
  return out;
}

/** TeX of one expression; deep left-leaning chains are rendered iteratively. */
export function exprTex(e: Expr): string {
  switch (e.type) {
    case 'num':
      return e.text.replace(/[eE]([+-]?\d+)$/, ' \\cdot 10^{$1}');
    case 'str':
      return `\\text{'${e.value.replace(/[\\{}$&#^_%~]/g, '')}'}`;
    case 'id':
      return symbol(e.name);
    case 'end':
      return '\\mathrm{end}';
    case 'colon':
      return ':';
    case 'tilde':
      return '\\sim';
    case 'paren':
      // (1/m) is a fraction already; (x) and (2) need no parentheses.
      if ((e.expr.type === 'binary' && e.expr.op === '/') || e.expr.type === 'id' || e.expr.type === 'num') return exprTex(e.expr);
      return `\\left(${exprTex(e.expr)}\\right)`;
    case 'range':
      return `${exprTex(e.start)}{:}${e.step ? `${exprTex(e.step)}{:}` : ''}${exprTex(e.stop)}`;
    case 'unary':
      return `${e.op === '!' ? '\\lnot ' : e.op}${exprTex(e.operand)}`;
    case 'postfix':
      return `{${exprTex(e.operand)}}^{\\top}`;
    case 'binary':
      return binaryTex(e);
    case 'index':
      return indexTex(e);
    case 'matrix':
      return `\\begin{bmatrix}${e.rows.map((r) => r.map(exprTex).join(' & ')).join(' \\\\ ')}\\end{bmatrix}`;
    case 'anon':
      return `${e.params.map(symbol).join(', ')} \\mapsto ${exprTex(e.body)}`;
    case 'handle':
      return `@${symbol(e.name)}`;
    case 'field':
      return `${exprTex(e.object)}.${symbol(e.name)}`;
  }
}

const OPS: Record<string, string> = {
  '+': ' + ', '-': ' - ', '*': ' ', '.*': ' \\odot ', './': ' \\oslash ', '\\': ' \\backslash ', '==': ' = ', '!=': ' \\neq ',
  '<': ' < ', '<=': ' \\le ', '>': ' > ', '>=': ' \\ge ', '&': ' \\land ', '|': ' \\lor ', '&&': ' \\land ', '||': ' \\lor ', '.\\': ' \\backslash ',
};

function binaryTex(e: Extract<Expr, { type: 'binary' }>): string {
  if (e.op === '/') return `\\frac{${exprTex(e.left)}}{${exprTex(e.right)}}`;
  if (e.op === '^') return `{${exprTex(e.left)}}^{${exprTex(e.right)}}`;
  if (e.op === '.^') return `{${exprTex(e.left)}}^{\\circ ${exprTex(e.right)}}`;
  const parts: string[] = [];
  let node: Expr = e;
  while (node.type === 'binary' && OPS[node.op] !== undefined && node.op !== '/' ) {
    parts.push(`${OPS[node.op]}${exprTex(node.right)}`);
    node = node.left;
  }
  return exprTex(node) + parts.reverse().join('');
}

function indexTex(e: Extract<Expr, { type: 'index' }>): string {
  const args = e.args.map(exprTex).join(', ');
  if (e.object.type === 'id') {
    const name = e.object.name;
    if (NAMED[name]) return `${NAMED[name]}\\left(${args}\\right)`;
    if (/^[a-z]/.test(name) && name.length > 1 && !/^(theta|lambda|alpha|beta|grad|temp|[a-z]_)/.test(name)) return `\\operatorname{${name.replace(/_/g, '\\_')}}\\left(${args}\\right)`;
    return `${symbol(name)}_{${args}}`;
  }
  return `\\left(${exprTex(e.object)}\\right)_{${args}}`;
}

/** One previewed statement of an Octave block: its 0-based offset, TeX and role. */
export interface StatementTex {
  offset: number;
  tex: string;
  role: 'loss' | 'grad' | 'hess' | 'check' | 'other';
}

/**
 * TeX of every statement of an Octave program, for the checker panel's live preview: function
 * headers, assignments (the outputs of a function marked as loss, gradient and Hessian) and
 * check_gradient calls; control flow is entered, not typeset.
 */
export function programTex(program: Program): StatementTex[] {
  const out: StatementTex[] = [];
  const visit = (list: Stmt[], fn?: FunctionDef): void => {
    for (const s of list) {
      if (s.type === 'assign') {
        const name = s.targets.length === 1 ? s.targets[0].name : '';
        const k = fn && fn.outputs.length >= 2 && !s.targets[0].args ? fn.outputs.indexOf(name) : -1;
        const lhs = s.targets.map((t) => (t.ignore ? '\\sim' : t.args ? `${symbol(t.name)}_{${t.args.map(exprTex).join(', ')}}` : symbol(t.name))).join(', ');
        const op = s.op === '=' ? '=' : `\\mathrel{${s.op.replace('=', '')}}=`;
        out.push({ offset: s.offset, tex: `${s.targets.length > 1 ? `[${lhs}]` : lhs} ${op} ${exprTex(s.value)}`, role: k === 0 ? 'loss' : k === 1 ? 'grad' : k === 2 ? 'hess' : 'other' });
      } else if (s.type === 'expr') {
        const check = s.expr.type === 'index' && s.expr.object.type === 'id' && s.expr.object.name === 'check_gradient';
        out.push({ offset: s.offset, tex: exprTex(s.expr), role: check ? 'check' : 'other' });
      } else if (s.type === 'if') {
        s.clauses.forEach((c) => visit(c.body, fn));
        if (s.otherwise) visit(s.otherwise, fn);
      } else if (s.type === 'for' || s.type === 'while') {
        visit(s.body, fn);
      }
    }
  };
  const items: { offset: number; run: () => void }[] = [
    { offset: -1, run: () => visit(program.body) },
    ...program.functions.map((f) => ({
      offset: f.offset,
      run: () => {
        const outs = f.outputs.map(symbol).join(', ');
        out.push({ offset: f.offset, tex: `${f.outputs.length > 0 ? `[${outs}] = ` : ''}\\operatorname{${f.name.replace(/_/g, '\\_')}}(${f.params.map((p) => (p === '~' ? '\\sim' : symbol(p))).join(', ')})`, role: 'other' });
        visit(f.body, f);
      },
    })),
  ];
  items.forEach((i) => i.run());
  return out.sort((a, b) => a.offset - b.offset);
}
