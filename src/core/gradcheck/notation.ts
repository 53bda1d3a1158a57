/**
 * The notation of a gradcheck block: splitting it into statements, parsing each with mathjs, and
 * recovering source positions (mathjs nodes carry none) by aligning each node with the tokens of its
 * statement, so errors can name the user's line and column.
 *
 * mathjs already reads the course/Octave notation we need: `x'` (ctranspose), `.*`, `./`, `.^`,
 * `[a, b; c, d]`, `v[i]`, `#` comments. Only parsing is used from mathjs; evaluation is ours.
 */
import { create, parseDependencies, type MathNode } from 'mathjs';
import { GradcheckError } from './errors';

const math = create({ parseDependencies });

/** mathjs node fields the interpreter reads; narrower than mathjs' generics and easier to switch on. */
export type Node = MathNode & {
  op?: string;
  fn?: Node | string;
  args?: Node[];
  implicit?: boolean;
  name?: string;
  value?: unknown;
  content?: Node;
  items?: Node[];
  object?: Node;
  index?: Node | null;
  dimensions?: Node[];
  dotNotation?: boolean;
  start?: Node;
  end?: Node;
  step?: Node | null;
  params?: string[] | Node[];
  expr?: Node;
  blocks?: { node: Node; visible: boolean }[];
};

/** Where nodes start in the block source (0-based character offsets). */
export type Positions = WeakMap<MathNode, number>;

export type Statement =
  | { kind: 'assign'; name: string; value: Node; offset: number; text: string }
  | { kind: 'function'; name: string; params: string[]; expr: Node; node: Node; offset: number; text: string }
  | { kind: 'check'; left: Node; right: Node; offset: number; text: string };

export interface ParsedBlock {
  statements: Statement[];
  positions: Positions;
  /** Array nodes that are the `;`-separated rows of a 2-D literal, not bracketed literals. */
  matrixRows: WeakSet<MathNode>;
}

/** Parses one mathjs expression (no position bookkeeping); used for TeX rendering. */
export function parseExpression(text: string): Node {
  return math.parse(text) as Node;
}

/** Splits a block into statements, parses them and records node positions. Throws GradcheckError. */
export function parseBlock(source: string): ParsedBlock {
  const positions: Positions = new WeakMap();
  const matrixRows = new WeakSet<MathNode>();
  const statements: Statement[] = [];
  for (const span of splitStatements(source)) {
    const raw = source.slice(span.start, span.end);
    const check = /^(\s*)check\b/.exec(raw);
    const offset = span.start + (check ? check[0].length : 0);
    const text = source.slice(offset, span.end);
    tooDeep(offset, () => {
      const node = parseText(text, offset);
      align(node, text, offset, positions, matrixRows);
      const display = raw.replace(/#.*$/gm, '').trim();
      if (check) {
        statements.push(checkStatement(node, offset, display));
        return;
      }
      for (const single of node.type === 'BlockNode' ? node.blocks!.map((b) => b.node) : [node]) {
        statements.push(toStatement(single, leftmost(single, positions) ?? offset, display));
      }
    });
  }
  return { statements, positions, matrixRows };
}

/**
 * Runs f, turning an exhausted JavaScript stack (a line of 200,000 terms, thousands of nested
 * parentheses) into a clear limit at the line's offset instead of an internal error.
 */
export function tooDeep<T>(offset: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) {
      throw new GradcheckError('this line is too long or nested too deeply to check (split it into several assignments)', offset, 'limit');
    }
    throw e;
  }
}

/** The smallest recorded offset in a subtree: where a statement starts. */
function leftmost(node: Node, positions: Positions): number | undefined {
  const offsets = node.filter(() => true).map((n) => positions.get(n)).filter((o): o is number => o !== undefined);
  return offsets.length > 0 ? Math.min(...offsets) : undefined;
}

function parseText(text: string, offset: number): Node {
  try {
    return math.parse(text) as Node;
  } catch (e) {
    if (e instanceof RangeError) throw e;
    const err = e as Error & { char?: number };
    const char = typeof err.char === 'number' ? err.char : 1;
    let message = err.message.replace(/\s*\(char \d+\)\s*$/, '');
    if (/End of matrix \] expected/.test(message)) message += ' (separate matrix elements with commas: [a, b; c, d])';
    throw new GradcheckError(`syntax error: ${message}`, offset + Math.max(0, Math.min(char - 1, text.length)));
  }
}

function checkStatement(node: Node, offset: number, text: string): Statement {
  if (node.type === 'OperatorNode' && node.op === '==' && node.args?.length === 2) {
    return { kind: 'check', left: node.args[0], right: node.args[1], offset, text };
  }
  throw new GradcheckError('a check line must have the form "check A == B"', offset);
}

function toStatement(node: Node, offset: number, text: string): Statement {
  if (node.type === 'AssignmentNode') {
    if (node.object?.type !== 'SymbolNode') {
      throw new GradcheckError('only whole variables can be assigned (write v = [...], not v[i] = ...)', offset);
    }
    return { kind: 'assign', name: node.object.name!, value: node.value as Node, offset, text };
  }
  if (node.type === 'FunctionAssignmentNode') {
    return { kind: 'function', name: node.name!, params: node.params as string[], expr: node.expr!, node, offset, text };
  }
  throw new GradcheckError(
    'each line must be an assignment (x = ...), a definition (loss(w) = ..., grad(w) = ...) or a check (check A == B)',
    offset,
  );
}

/**
 * Statement spans of a block: a newline ends a statement unless a bracket is still open; `#` starts a
 * comment; `"` strings are skipped. Throws a GradcheckError at an unclosed bracket. (The checker
 * webview's live preview splits with this too.)
 */
export function splitStatements(source: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const open: number[] = [];
  let start = 0;
  const flush = (end: number): void => {
    const text = source.slice(start, end).replace(/#.*$/gm, '');
    if (text.trim() !== '') spans.push({ start, end });
    start = end + 1;
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '#') {
      while (i + 1 < source.length && source[i + 1] !== '\n') i++;
    } else if (ch === '"') {
      i = skipString(source, i, '"');
    } else if (ch === '(' || ch === '[' || ch === '{') {
      open.push(i);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      open.pop();
    } else if (ch === '\n' && open.length === 0) {
      flush(i);
    }
  }
  if (open.length > 0) throw new GradcheckError(`unclosed "${source[open[0]]}"`, open[0]);
  flush(source.length);
  return spans;
}

function skipString(s: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < s.length && s[j] !== quote && s[j] !== '\n') j += s[j] === '\\' ? 2 : 1;
  return j;
}

interface Token {
  text: string;
  kind: 'name' | 'number' | 'string' | 'op' | 'punct';
  offset: number;
  /** For "[": whether a ";" appears directly inside it (a 2-D literal). */
  rows?: boolean;
}

const OPERATORS = ['>>>', '.*', './', '.^', '==', '!=', '<=', '>=', '<<', '>>', '^|', "'", '+', '-', '*', '/', '^', '!', '%', '=', '<', '>', '?', ':', '&', '|', '~', '.'];

/** Tokens of a statement, with the transpose/string ambiguity of `'` resolved as mathjs does. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const brackets: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const prev = tokens[tokens.length - 1];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[A-Za-z_$\u00C0-\uFFFF]/.test(ch)) {
      const m = /^[A-Za-z_$\u00C0-\uFFFF][\w$\u00C0-\uFFFF]*/.exec(text.slice(i))!;
      tokens.push({ text: m[0], kind: 'name', offset: i });
      i += m[0].length;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(\d*\.?\d*(?:[eE][+-]?\d+)?)/.exec(text.slice(i))!;
      tokens.push({ text: m[0], kind: 'number', offset: i });
      i += m[0].length;
    } else if (ch === '"' || (ch === "'" && !(prev && (prev.kind === 'name' || prev.kind === 'number' || [')', ']', "'"].includes(prev.text))))) {
      const j = skipString(text, i, ch);
      tokens.push({ text: text.slice(i, j + 1), kind: 'string', offset: i });
      i = j + 1;
    } else if ('()[]{},;'.includes(ch)) {
      const t: Token = { text: ch, kind: 'punct', offset: i };
      if (ch === '[' || ch === '(' || ch === '{') brackets.push(t);
      else if (ch === ']' || ch === ')' || ch === '}') brackets.pop();
      else if (ch === ';' && brackets[brackets.length - 1]?.text === '[') brackets[brackets.length - 1].rows = true;
      tokens.push(t);
      i++;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i)) ?? ch;
      tokens.push({ text: op, kind: 'op', offset: i });
      i += op.length;
    }
  }
  return tokens;
}

/**
 * Walks the tree in source order and gives each node the offset of its first token (the operator
 * token for binary operators, so a shape error points at the `*`). Lookups search forward, so an
 * unexpected tree shape degrades to a nearby position rather than failing.
 */
function align(root: Node, text: string, base: number, positions: Positions, matrixRows: WeakSet<MathNode>): void {
  const tokens = tokenize(text);
  let cursor = 0;
  const find = (pred: (t: Token) => boolean): number | undefined => {
    for (let k = cursor; k < tokens.length; k++) {
      if (pred(tokens[k])) {
        cursor = k + 1;
        return base + tokens[k].offset;
      }
    }
    return undefined;
  };
  const here = (): number => base + (tokens[cursor]?.offset ?? text.length);
  const set = (node: Node, at: number | undefined): void => {
    if (!positions.has(node)) positions.set(node, at ?? here());
  };
  const visit = (node: Node): void => {
    switch (node.type) {
      case 'SymbolNode':
        set(node, find((t) => t.text === node.name));
        return;
      case 'ConstantNode':
        set(node, find((t) => t.kind === 'number' || t.kind === 'string' || t.text === String(node.value)));
        return;
      case 'OperatorNode': {
        const args = node.args ?? [];
        if (args.length === 2) {
          const start = here();
          visit(args[0]);
          set(node, node.implicit ? start : find((t) => t.text === node.op));
          visit(args[1]);
        } else if (node.op === "'" || node.op === '!') {
          const start = here();
          args.forEach(visit);
          find((t) => t.text === node.op);
          set(node, start);
        } else {
          set(node, find((t) => t.text === node.op));
          args.forEach(visit);
        }
        return;
      }
      case 'ArrayNode': {
        const at = find((t) => t.text === '[');
        const bracket = at === undefined ? undefined : tokens[cursor - 1];
        set(node, at);
        for (const item of node.items ?? []) {
          if (bracket?.rows && item.type === 'ArrayNode') {
            matrixRows.add(item);
            set(item, here());
            item.items!.forEach(visit);
          } else {
            visit(item);
          }
        }
        return;
      }
      case 'IndexNode':
        set(node, node.dotNotation ? here() : find((t) => t.text === '['));
        node.dimensions!.forEach(visit);
        return;
      case 'FunctionAssignmentNode':
        set(node, find((t) => t.text === node.name));
        for (const p of node.params as string[]) find((t) => t.text === p);
        visit(node.expr!);
        return;
      case 'BlockNode':
        set(node, here());
        node.blocks!.forEach((b) => visit(b.node));
        return;
      default: {
        const start = here();
        const children: Node[] = [];
        node.forEach((child) => children.push(child as Node));
        children.forEach(visit);
        set(node, children.length > 0 ? positions.get(children[0]) : start);
      }
    }
  };
  visit(root);
}
