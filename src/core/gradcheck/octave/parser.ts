/**
 * The Octave parser of gradcheck blocks and .m files: a recursive-descent parser over lexer.ts's
 * tokens with Octave's operator precedence (|| < && < | < & < comparisons < : < + - < * / .* ./ <
 * unary < ^ .^ and postfix '), producing ast.ts nodes with exact offsets. Errors are Octave-worded
 * ("parse error: ...") and point at the offending token. Expressions nested deeper than
 * MAX_NESTING are refused with a clear message rather than overflowing the JavaScript stack; long
 * chains of + and * are parsed in loops, not recursion.
 */
import { GradcheckError } from '../errors';
import type { Expr, FunctionDef, LValue, Program, Stmt } from './ast';
import { tokenize, type Token } from './lexer';

/** Deepest nesting of parentheses, brackets and calls accepted. */
export const MAX_NESTING = 200;

const UNSUPPORTED_KEYWORDS: Record<string, string> = {
  switch: 'switch', case: 'switch', otherwise: 'switch', endswitch: 'switch', do: 'do ... until', until: 'do ... until',
  try: 'try', catch: 'try', end_try_catch: 'try', unwind_protect: 'unwind_protect', unwind_protect_cleanup: 'unwind_protect',
  end_unwind_protect: 'unwind_protect', global: 'global', persistent: 'persistent', parfor: 'parfor', endparfor: 'parfor', classdef: 'classdef',
};

export function unsupported(name: string, offset: number): GradcheckError {
  return new GradcheckError(`\`${name}\` is not supported in gradcheck blocks`, offset);
}

/** Parses a block or a .m file. */
export function parseProgram(source: string, fileName?: string): Program {
  return new Parser(source, fileName).program();
}

const BLOCK_ENDS: Record<string, string[]> = {
  if: ['end', 'endif'],
  for: ['end', 'endfor'],
  while: ['end', 'endwhile'],
  function: ['end', 'endfunction'],
};

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;
  private readonly functions: FunctionDef[] = [];

  constructor(
    private readonly source: string,
    private readonly fileName?: string,
  ) {
    this.tokens = tokenize(source);
  }

  program(): Program {
    const body: Stmt[] = [];
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'kw' && t.text === 'function') {
        this.functionDef();
        continue;
      }
      body.push(...this.statementList([]));
    }
    return { functions: this.functions, body, source: this.source, fileName: this.fileName };
  }

  // ---- tokens ----

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[Math.min(this.pos++, this.tokens.length - 1)];
  }

  private isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === text;
  }

  private isKw(...words: string[]): boolean {
    const t = this.peek();
    return t.kind === 'kw' && words.includes(t.text);
  }

  private expectOp(text: string, what?: string): Token {
    const t = this.peek();
    if (t.kind === 'op' && t.text === text) return this.next();
    throw this.error(`parse error: expected "${text}"${what ? ` ${what}` : ''} but found ${describe(t)}`, t);
  }

  /** Records where a node ends: just past the last token consumed. */
  private fin<T extends Expr>(node: T): T {
    const last = this.tokens[this.pos - 1];
    node.end = last ? last.offset + last.text.length : node.offset;
    return node;
  }

  private error(message: string, t: Token = this.peek()): GradcheckError {
    return new GradcheckError(message, t.offset);
  }

  private skipSeparators(): void {
    while (this.peek().kind === 'nl' || this.isOp(';') || this.isOp(',')) this.next();
  }

  // ---- statements ----

  /** Statements up to one of the `stop` keywords (not consumed) or the end of input. */
  private statementList(stop: string[]): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      this.skipSeparators();
      const t = this.peek();
      if (t.kind === 'eof') return out;
      if (t.kind === 'kw' && stop.includes(t.text)) return out;
      if (t.kind === 'kw' && t.text === 'function') {
        if (stop.length === 0) return out;
        throw this.error('parse error: a function cannot be defined inside a statement', t);
      }
      out.push(this.statement());
    }
  }

  private statement(): Stmt {
    const t = this.peek();
    if (t.kind === 'kw') {
      switch (t.text) {
        case 'if':
          return this.ifStatement();
        case 'for':
          return this.forStatement();
        case 'while':
          return this.whileStatement();
        case 'break':
        case 'continue':
        case 'return':
          this.next();
          this.endOfStatement();
          return { type: t.text, offset: t.offset };
        default:
          if (UNSUPPORTED_KEYWORDS[t.text]) throw unsupported(UNSUPPORTED_KEYWORDS[t.text], t.offset);
          throw this.error(`parse error: "${t.text}" without a matching if, for, while or function`, t);
      }
    }
    return this.simpleStatement();
  }

  private endOfStatement(): void {
    const t = this.peek();
    if (t.kind === 'nl' || t.kind === 'eof' || this.isOp(';') || this.isOp(',')) return;
    if (t.kind === 'kw' && ['end', 'endif', 'endfor', 'endwhile', 'endfunction', 'else', 'elseif'].includes(t.text)) return;
    throw this.error(`parse error: unexpected ${describe(t)}`, t);
  }

  private closeBlock(kind: string, opener: Token): void {
    const t = this.peek();
    if (t.kind === 'kw' && BLOCK_ENDS[kind].includes(t.text)) {
      this.next();
      return;
    }
    if (t.kind === 'eof') throw this.error(`parse error: "${kind}" is never closed with "end"`, opener);
    throw this.error(`parse error: "${t.text}" cannot close "${kind}" (line of the "${kind}" above)`, t);
  }

  private ifStatement(): Stmt {
    const opener = this.next();
    const clauses: { cond: Expr; body: Stmt[] }[] = [];
    let otherwise: Stmt[] | undefined;
    const cond = this.expression();
    clauses.push({ cond, body: this.statementList(['elseif', 'else', ...BLOCK_ENDS.if]) });
    for (;;) {
      if (this.isKw('elseif')) {
        this.next();
        this.skipNewlines();
        const c = this.expression();
        clauses.push({ cond: c, body: this.statementList(['elseif', 'else', ...BLOCK_ENDS.if]) });
      } else if (this.isKw('else')) {
        this.next();
        otherwise = this.statementList(BLOCK_ENDS.if);
      } else {
        break;
      }
    }
    this.closeBlock('if', opener);
    return { type: 'if', offset: opener.offset, clauses, otherwise };
  }

  private skipNewlines(): void {
    while (this.peek().kind === 'nl') this.next();
  }

  private forStatement(): Stmt {
    const opener = this.next();
    const paren = this.isOp('(');
    if (paren) this.next();
    const name = this.peek();
    if (name.kind !== 'id') throw this.error(`parse error: expected a loop variable after "for" but found ${describe(name)}`, name);
    this.next();
    this.expectOp('=', 'after the loop variable');
    const range = this.expression();
    if (paren) this.expectOp(')');
    const body = this.statementList(BLOCK_ENDS.for);
    this.closeBlock('for', opener);
    return { type: 'for', offset: opener.offset, variable: { name: name.text, offset: name.offset }, range, body };
  }

  private whileStatement(): Stmt {
    const opener = this.next();
    const cond = this.expression();
    const body = this.statementList(BLOCK_ENDS.while);
    this.closeBlock('while', opener);
    return { type: 'while', offset: opener.offset, cond, body };
  }

  private functionDef(): void {
    const opener = this.next();
    let outputs: string[] = [];
    // function name | function out = name | function [a, b] = name
    if (this.isOp('[')) {
      outputs = this.nameList(']', false, 'output list of a function');
      this.expectOp('=', 'after the output list');
    } else if (this.peek().kind === 'id' && this.isOp('=', 1)) {
      outputs = [this.next().text];
      this.next();
    }
    const nameToken = this.next();
    if (nameToken.kind !== 'id') throw this.error(`parse error: expected a function name but found ${describe(nameToken)}`, nameToken);
    const params = this.isOp('(') ? this.nameList(')', true, `parameter list of ${nameToken.text}`) : [];
    const body = this.statementList(['end', 'endfunction', 'function']);
    let endOffset = this.source.length;
    if (this.isKw('end', 'endfunction')) endOffset = this.next().offset + this.peek(-1).text.length;
    this.functions.push({ name: nameToken.text, params, outputs, body, offset: opener.offset, endOffset, fileName: this.fileName, source: this.source });
  }

  /**
   * The names of a function's output list `[a, b]` or parameter list `(a, ~, b)`, from its opening
   * bracket through `close`; `ignored` lets `~` (or `!`) stand for an ignored parameter.
   */
  private nameList(close: string, ignored: boolean, what: string): string[] {
    this.next();
    const names: string[] = [];
    while (!this.isOp(close)) {
      const t = this.next();
      if (t.kind === 'id') names.push(t.text);
      else if (ignored && t.kind === 'op' && (t.text === '~' || t.text === '!')) names.push('~');
      else if (!(t.kind === 'op' && t.text === ',')) throw this.error(`parse error: invalid ${what}: ${describe(t)}`, t);
    }
    this.next();
    return names;
  }

  /** An expression statement or an assignment. */
  private simpleStatement(): Stmt {
    const start = this.peek();
    if (this.isOp('[') && this.looksLikeMultiAssign()) return this.multiAssign();
    const expr = this.expression();
    const t = this.peek();
    if (t.kind === 'op' && ['=', '+=', '-=', '*=', '/=', '^='].includes(t.text)) {
      this.next();
      const target = this.toLValue(expr);
      const value = this.expression();
      this.endOfStatement();
      return { type: 'assign', offset: start.offset, targets: [target], op: t.text, value, text: this.textFrom(start) };
    }
    if (t.kind === 'op' && (t.text === '++' || t.text === '--')) {
      this.next();
      const target = this.toLValue(expr);
      this.endOfStatement();
      const one: Expr = { type: 'num', offset: t.offset, value: 1, text: '1' };
      return { type: 'assign', offset: start.offset, targets: [target], op: t.text === '++' ? '+=' : '-=', value: one, text: this.textFrom(start) };
    }
    this.endOfStatement();
    return { type: 'expr', offset: start.offset, expr, text: this.textFrom(start) };
  }

  private textFrom(start: Token): string {
    const end = this.peek().offset;
    return this.source.slice(start.offset, end).replace(/[;,\s]+$/, '');
  }

  /** `[a, b] = ...`: a bracket whose matching `]` is followed by `=` (not `==`). */
  private looksLikeMultiAssign(): boolean {
    let depth = 0;
    for (let k = this.pos; k < this.tokens.length; k++) {
      const t = this.tokens[k];
      if (t.kind === 'eof' || t.kind === 'nl') return false;
      if (t.kind === 'op' && (t.text === '[' || t.text === '(' || t.text === '{')) depth++;
      if (t.kind === 'op' && (t.text === ']' || t.text === ')' || t.text === '}')) {
        depth--;
        if (depth === 0) {
          const n = this.tokens[k + 1];
          return n?.kind === 'op' && n.text === '=';
        }
      }
    }
    return false;
  }

  private multiAssign(): Stmt {
    const start = this.next();
    const targets: LValue[] = [];
    while (!this.isOp(']')) {
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      const t = this.peek();
      if (t.kind === 'op' && (t.text === '~' || t.text === '!') && (this.isOp(',', 1) || this.isOp(']', 1))) {
        this.next();
        targets.push({ name: '~', offset: t.offset, ignore: true });
        continue;
      }
      targets.push(this.toLValue(this.postfixExpression()));
    }
    this.next();
    this.expectOp('=');
    const value = this.expression();
    this.endOfStatement();
    return { type: 'assign', offset: start.offset, targets, op: '=', value, text: this.textFrom(start) };
  }

  private toLValue(e: Expr): LValue {
    if (e.type === 'id') return { name: e.name, offset: e.offset };
    if (e.type === 'index' && e.object.type === 'id' && !e.brace) return { name: e.object.name, offset: e.object.offset, args: e.args };
    if (e.type === 'index' && e.brace) throw unsupported('cell arrays ({...})', e.offset);
    if (e.type === 'field') throw unsupported('structs (.field)', e.offset);
    throw new GradcheckError('parse error: invalid left-hand side of an assignment (assign to a name or to name(index))', e.offset);
  }

  // ---- expressions ----

  expression(): Expr {
    if (++this.depth > MAX_NESTING) {
      throw new GradcheckError(`the expression is nested too deeply (more than ${MAX_NESTING} levels of parentheses, brackets or calls)`, this.peek().offset, 'limit');
    }
    try {
      return this.binaryLevel(0);
    } finally {
      this.depth--;
    }
  }

  /** Binary operator levels from the loosest; each level loops (left associative). */
  private binaryLevel(level: number): Expr {
    if (level === LEVELS.length) return this.rangeOrLower();
    const ops = LEVELS[level];
    let left = this.binaryLevel(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !ops.includes(t.text)) return left;
      this.next();
      const right = this.binaryLevel(level + 1);
      left = this.fin({ type: 'binary', offset: t.offset, op: normalizeOp(t.text), left, right });
    }
  }

  /** The range level (between comparisons and + -): a:b or a:step:b. */
  private rangeOrLower(): Expr {
    const start = this.additive();
    if (!this.isOp(':') || this.colonEndsArgument()) return start;
    const colon = this.next();
    const second = this.additive();
    if (this.isOp(':') && !this.colonEndsArgument()) {
      this.next();
      const third = this.additive();
      return this.fin({ type: 'range', offset: colon.offset, start, step: second, stop: third });
    }
    return this.fin({ type: 'range', offset: colon.offset, start, stop: second });
  }

  /** A `:` followed by `)` or `,` is not a range operator (it cannot be, so report it as an error later). */
  private colonEndsArgument(): boolean {
    const n = this.peek(1);
    return n.kind === 'op' && (n.text === ')' || n.text === ',');
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-')) return left;
      this.next();
      const right = this.multiplicative();
      left = this.fin({ type: 'binary', offset: t.offset, op: t.text, left, right });
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !['*', '/', '.*', './', '\\', '.\\'].includes(t.text)) return left;
      this.next();
      const right = this.unary();
      left = this.fin({ type: 'binary', offset: t.offset, op: t.text, left, right });
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && ['-', '+', '!', '~'].includes(t.text)) {
      this.next();
      const operand = this.nested(() => this.unary());
      return this.fin({ type: 'unary', offset: t.offset, op: t.text === '~' ? '!' : t.text, operand });
    }
    if (t.kind === 'op' && (t.text === '++' || t.text === '--')) throw unsupported(`${t.text} as a prefix operator`, t.offset);
    return this.power();
  }

  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_NESTING) {
      throw new GradcheckError(`the expression is nested too deeply (more than ${MAX_NESTING} levels)`, this.peek().offset, 'limit');
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /** ^ and .^ are left-associative in Octave (2^3^2 = 64); their right operand may carry a unary sign. */
  private power(): Expr {
    let left = this.postfixExpression();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '^' && t.text !== '.^')) return left;
      this.next();
      let right: Expr;
      const u = this.peek();
      if (u.kind === 'op' && ['-', '+', '!', '~'].includes(u.text)) {
        this.next();
        right = this.fin({ type: 'unary', offset: u.offset, op: u.text === '~' ? '!' : u.text, operand: this.postfixExpression() });
      } else {
        right = this.postfixExpression();
      }
      left = this.fin({ type: 'binary', offset: t.offset, op: t.text, left, right });
    }
  }

  private postfixExpression(): Expr {
    let e = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return e;
      if (t.text === '(' || t.text === '{') {
        // Inside [...], "a (1)" was split by the lexer already; an adjacent "(" indexes.
        this.next();
        const close = t.text === '(' ? ')' : '}';
        const args = this.nested(() => this.arguments(close));
        e = this.fin({ type: 'index', offset: e.offset, object: e, args, brace: t.text === '{' });
      } else if (t.text === "'" || t.text === ".'") {
        this.next();
        e = this.fin({ type: 'postfix', offset: t.offset, op: t.text, operand: e });
      } else if (t.text === '.' && this.peek(1).kind === 'id') {
        this.next();
        const name = this.next();
        e = this.fin({ type: 'field', offset: name.offset, object: e, name: name.text });
      } else if (t.text === '.' && this.isOp('(', 1)) {
        throw unsupported('dynamic fields (.(name))', t.offset);
      } else {
        return e;
      }
    }
  }

  /** Call or index arguments; a lone `:` is the magic colon. */
  private arguments(close: string): Expr[] {
    const args: Expr[] = [];
    if (this.isOp(close)) {
      this.next();
      return args;
    }
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && t.text === ':' && (this.isOp(',', 1) || this.isOp(close, 1))) {
        this.next();
        args.push({ type: 'colon', offset: t.offset });
      } else {
        args.push(this.expression());
      }
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      if (this.isOp(close)) {
        this.next();
        return args;
      }
      throw this.error(`parse error: expected "," or "${close}" in an argument list but found ${describe(this.peek())}`);
    }
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'num':
        this.next();
        return this.fin({ type: 'num', offset: t.offset, value: t.value as number, text: t.text });
      case 'str':
        this.next();
        return this.fin({ type: 'str', offset: t.offset, value: t.value as string, dq: t.text.startsWith('"') });
      case 'id':
        this.next();
        return this.fin({ type: 'id', offset: t.offset, name: t.text });
      case 'kw':
        if (t.text === 'end') {
          this.next();
          return this.fin({ type: 'end', offset: t.offset });
        }
        throw this.error(`parse error: unexpected keyword "${t.text}"`, t);
      case 'op':
        return this.primaryOp(t);
      default:
        throw this.error(`parse error: the expression is incomplete (found ${describe(t)})`, t);
    }
  }

  private primaryOp(t: Token): Expr {
    if (t.text === '(') {
      this.next();
      const e = this.nested(() => this.expression());
      this.expectOp(')', 'to close "("');
      return this.fin({ type: 'paren', offset: t.offset, expr: e });
    }
    if (t.text === '[' || t.text === '{') {
      if (t.text === '{') throw unsupported('cell arrays ({...})', t.offset);
      this.next();
      return this.nested(() => this.matrix(t));
    }
    if (t.text === '@') {
      this.next();
      if (this.isOp('(')) {
        this.next();
        const params: string[] = [];
        while (!this.isOp(')')) {
          const p = this.next();
          if (p.kind === 'id') params.push(p.text);
          else if (p.kind === 'op' && (p.text === '~' || p.text === '!')) params.push('~');
          else if (!(p.kind === 'op' && p.text === ',')) throw this.error(`parse error: invalid parameter of an anonymous function: ${describe(p)}`, p);
        }
        this.next();
        const body = this.nested(() => this.expression());
        return this.fin({ type: 'anon', offset: t.offset, params, body });
      }
      const name = this.next();
      if (name.kind !== 'id') throw this.error(`parse error: expected a function name or "(" after "@" but found ${describe(name)}`, name);
      return this.fin({ type: 'handle', offset: t.offset, name: name.text });
    }
    if (t.text === ':') throw this.error('parse error: ":" alone can only stand as an index, as in A(:, 1)', t);
    throw this.error(`parse error: unexpected ${describe(t)}`, t);
  }

  private matrix(open: Token): Expr {
    const rows: Expr[][] = [];
    let row: Expr[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && t.text === ']') {
        this.next();
        if (row.length > 0 || rows.length === 0) rows.push(row);
        return this.fin({ type: 'matrix', offset: open.offset, rows: rows.filter((r) => r.length > 0) });
      }
      if (t.kind === 'op' && t.text === ';') {
        this.next();
        if (row.length > 0) rows.push(row);
        row = [];
        continue;
      }
      if (t.kind === 'op' && t.text === ',') {
        this.next();
        continue;
      }
      if (t.kind === 'op' && (t.text === '~' || t.text === '!') && (this.isOp(',', 1) || this.isOp(']', 1))) {
        this.next();
        row.push({ type: 'tilde', offset: t.offset });
        continue;
      }
      if (t.kind === 'eof') throw this.error('parse error: "[" is never closed', open);
      row.push(this.expression());
    }
  }
}

const LEVELS: string[][] = [['||'], ['&&'], ['|'], ['&'], ['==', '~=', '!=', '<', '<=', '>', '>=']];

function normalizeOp(op: string): string {
  return op === '~=' ? '!=' : op;
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the input';
  if (t.kind === 'nl') return 'the end of the line';
  if (t.kind === 'str') return `the string ${t.text}`;
  if (t.kind === 'num') return `the number ${t.text}`;
  if (t.kind === 'kw') return `the keyword "${t.text}"`;
  return `"${t.text}"`;
}
