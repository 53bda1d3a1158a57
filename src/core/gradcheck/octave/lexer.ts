/**
 * The Octave lexer of gradcheck blocks and .m files. Follows Octave's rules where they matter for
 * homework code: `%` and `#` comments (and `%{ ... %}` blocks), `...` continuation, `'` as transpose
 * after a value and as a string quote elsewhere, and inside `[...]`/`{...}` whitespace and newlines
 * that separate elements and rows (`[ones(m, 1) X]`, `[a -b]` two elements, `[a - b]` one).
 */
import { GradcheckError } from '../errors';

export type TokenKind = 'num' | 'str' | 'id' | 'kw' | 'op' | 'nl' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based offset in the source. */
  offset: number;
  /** For 'num': the value; for 'str': the decoded text. */
  value?: number | string;
  /** A separator the lexer inserted inside brackets (whitespace or newline), not written by the user. */
  implied?: boolean;
}

export const KEYWORDS = new Set([
  'function', 'endfunction', 'end', 'if', 'elseif', 'else', 'endif', 'for', 'endfor', 'while', 'endwhile',
  'break', 'continue', 'return', 'switch', 'case', 'otherwise', 'endswitch', 'do', 'until', 'try', 'catch',
  'end_try_catch', 'unwind_protect', 'unwind_protect_cleanup', 'end_unwind_protect', 'global', 'persistent',
  'parfor', 'endparfor', 'classdef',
]);

/** Operators, longest first. */
const OPERATORS = [
  '...', '.^\'', '==', '~=', '!=', '<=', '>=', '&&', '||', '.*', './', '.\\', '.^', ".'", '+=', '-=', '*=', '/=', '^=', '++', '--',
  '+', '-', '*', '/', '\\', '^', "'", '<', '>', '&', '|', '!', '~', '=', ':', ',', ';', '(', ')', '[', ']', '{', '}', '@', '.',
].filter((o) => o !== ".^'");

const OPERATORS_BY_CHAR = new Map<string, string[]>();
for (const op of OPERATORS) OPERATORS_BY_CHAR.set(op[0], [...(OPERATORS_BY_CHAR.get(op[0]) ?? []), op]);
const WORD = /[A-Za-z_][A-Za-z_0-9]*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?/y;

const VALUE_END = new Set([')', ']', '}', "'", ".'"]);

/** Tokens of an Octave source; throws a GradcheckError with the offset of a lexical error. */
export function tokenize(source: string): Token[] {
  return new Lexer(source).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  /** Open brackets: '(' , '[' or '{'. */
  private readonly brackets: { ch: string; offset: number }[] = [];
  private i = 0;

  constructor(private readonly src: string) {}

  run(): Token[] {
    const s = this.src;
    while (this.i < s.length) {
      const start = this.i;
      const ch = s[this.i];
      if (ch === ' ' || ch === '\t' || ch === '\r') {
        this.i++;
        this.whitespace(start);
      } else if (ch === '\n') {
        this.newline(start);
      } else if (ch === '%' || ch === '#') {
        this.comment();
      } else if (s.startsWith('...', this.i)) {
        // Continuation: the rest of the line is a comment, the newline is whitespace.
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        this.i++;
        this.whitespace(start);
      } else if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch === '_') {
        this.word();
      } else if ((ch >= '0' && ch <= '9') || (ch === '.' && s[this.i + 1] >= '0' && s[this.i + 1] <= '9')) {
        this.number();
      } else if (ch === '"' || (ch === "'" && !this.valueBefore(true))) {
        this.string(ch);
      } else {
        this.operator();
      }
    }
    const open = this.brackets[this.brackets.length - 1];
    if (open) throw new GradcheckError(`parse error: "${open.ch}" is never closed`, open.offset);
    this.push('nl', '\n', s.length);
    this.push('eof', '', s.length);
    return this.tokens;
  }

  private push(kind: TokenKind, text: string, offset: number, value?: number | string, implied = false): void {
    this.tokens.push({ kind, text, offset, value, implied });
  }

  private get inMatrix(): boolean {
    const top = this.brackets[this.brackets.length - 1];
    return top !== undefined && top.ch !== '(';
  }

  /** Whether the last token ends a value (so `'` is a transpose and whitespace may separate elements). */
  private valueBefore(adjacent: boolean): boolean {
    const prev = this.tokens[this.tokens.length - 1];
    if (!prev) return false;
    if (adjacent && this.inMatrix && /\s/.test(this.src[this.i - 1] ?? '')) return false;
    if (prev.kind === 'num' || prev.kind === 'str') return true;
    if (prev.kind === 'id') return true;
    if (prev.kind === 'kw') return prev.text === 'end' && this.brackets.length > 0;
    return prev.kind === 'op' && VALUE_END.has(prev.text);
  }

  /** Inside [...], whitespace between two elements is a comma: decide by what follows. */
  private whitespace(start: number): void {
    if (!this.inMatrix || !this.valueBefore(false)) return;
    const s = this.src;
    let j = this.i;
    while (j < s.length && (s[j] === ' ' || s[j] === '\t' || s[j] === '\r')) j++;
    if (s.startsWith('...', j)) return; // decided after the continuation
    const next = s[j] ?? '';
    const after = s[j + 1] ?? '';
    let separates: boolean;
    if (next === '' || next === '\n' || next === ',' || next === ';' || next === ']' || next === '}' || next === '%' || next === '#') separates = false;
    else if (next === '+' || next === '-') separates = after !== ' ' && after !== '\t' && after !== '=' && !(next === after);
    else if (next === "'" || next === '"' || next === '(' || next === '[' || next === '@' || next === '{') separates = true;
    else if (next === '~' || next === '!') separates = after !== '=';
    else if (/[A-Za-z_0-9]/.test(next) || (next === '.' && /[0-9]/.test(after))) separates = true;
    else separates = false;
    if (separates) this.push('op', ',', start, undefined, true);
  }

  private newline(start: number): void {
    this.i++;
    if (this.brackets.length === 0) {
      this.push('nl', '\n', start);
    } else if (this.inMatrix) {
      const prev = this.tokens[this.tokens.length - 1];
      if (prev && !(prev.kind === 'op' && (prev.text === ';' || prev.text === ',' || prev.text === '[' || prev.text === '{'))) {
        this.push('op', ';', start, undefined, true);
      }
    }
  }

  private comment(): void {
    const s = this.src;
    const lineStart = s.lastIndexOf('\n', this.i - 1) + 1;
    const lineEnd = s.indexOf('\n', this.i);
    const line = s.slice(lineStart, lineEnd < 0 ? s.length : lineEnd).trim();
    if ((line === '%{' || line === '#{') && this.brackets.length === 0) {
      // Block comment up to a line holding only %} (or #}).
      let j = lineEnd < 0 ? s.length : lineEnd + 1;
      while (j < s.length) {
        const e = s.indexOf('\n', j);
        const l = s.slice(j, e < 0 ? s.length : e).trim();
        if (l === '%}' || l === '#}') {
          this.i = e < 0 ? s.length : e;
          return;
        }
        j = e < 0 ? s.length : e + 1;
      }
      throw new GradcheckError('parse error: block comment "%{" is never closed with "%}"', this.i);
    }
    while (this.i < s.length && s[this.i] !== '\n') this.i++;
  }

  private word(): void {
    WORD.lastIndex = this.i;
    const text = WORD.exec(this.src)![0];
    const isEndValue = text === 'end' && this.brackets.length > 0;
    this.push(KEYWORDS.has(text) && !isEndValue ? 'kw' : text === 'end' ? 'kw' : 'id', text, this.i);
    this.i += text.length;
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const text = NUMBER.exec(this.src)![0];
    if (/^[A-Za-z_]/.test(this.src[this.i + text.length] ?? '')) {
      const bad = /^[A-Za-z_0-9]*/.exec(this.src.slice(this.i + text.length))![0];
      if (/^[ij]$/.test(bad)) throw new GradcheckError('complex numbers are not supported in gradcheck blocks', this.i);
      throw new GradcheckError(`parse error: "${text}${bad}" is not a number or a name`, this.i);
    }
    this.push('num', text, this.i, Number(text.replace(/[dD]/, 'e')));
    this.i += text.length;
  }

  private string(quote: string): void {
    const s = this.src;
    let j = this.i + 1;
    let value = '';
    for (;;) {
      if (j >= s.length || s[j] === '\n') throw new GradcheckError('parse error: unterminated character string constant', this.i);
      if (s[j] === quote) {
        if (s[j + 1] === quote) {
          value += quote;
          j += 2;
          continue;
        }
        break;
      }
      if (quote === '"' && s[j] === '\\' && j + 1 < s.length) {
        const esc: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" };
        value += esc[s[j + 1]] ?? s[j + 1];
        j += 2;
        continue;
      }
      value += s[j++];
    }
    this.push('str', s.slice(this.i, j + 1), this.i, value);
    this.i = j + 1;
  }

  private operator(): void {
    const op = (OPERATORS_BY_CHAR.get(this.src[this.i]) ?? []).find((o) => this.src.startsWith(o, this.i));
    if (!op) throw new GradcheckError(`parse error: invalid character "${this.src[this.i]}"`, this.i);
    if (op === "'" || op === ".'") {
      // Reached only after a value: a transpose.
      this.push('op', op, this.i);
      this.i += op.length;
      return;
    }
    if (op === '(' || op === '[' || op === '{') this.brackets.push({ ch: op, offset: this.i });
    if (op === ')' || op === ']' || op === '}') {
      const open = this.brackets.pop();
      const want = { ')': '(', ']': '[', '}': '{' }[op];
      if (!open) throw new GradcheckError(`parse error: "${op}" without a matching "${want}"`, this.i);
      if (open.ch !== want) throw new GradcheckError(`parse error: "${open.ch}" closed by "${op}"`, this.i);
      // A trailing implied separator before a closing bracket is dropped.
      const prev = this.tokens[this.tokens.length - 1];
      if (prev?.implied) this.tokens.pop();
    }
    this.push('op', op, this.i);
    this.i += op.length;
  }
}
