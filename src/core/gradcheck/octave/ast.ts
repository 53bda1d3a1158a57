/**
 * The syntax tree of the Octave subset gradcheck reads. Every node carries `offset`, the 0-based
 * character offset of its first token in its source (the operator token for binary operators, so a
 * shape error points at the `*`); `source` says which text that is (a block or a NAME.m file).
 */

export type Expr = (
  | { type: 'num'; offset: number; value: number; text: string }
  | { type: 'str'; offset: number; value: string; dq: boolean }
  | { type: 'id'; offset: number; name: string }
  | { type: 'end'; offset: number }
  | { type: 'colon'; offset: number }
  | { type: 'range'; offset: number; start: Expr; step?: Expr; stop: Expr }
  | { type: 'binary'; offset: number; op: string; left: Expr; right: Expr }
  | { type: 'unary'; offset: number; op: string; operand: Expr }
  | { type: 'postfix'; offset: number; op: string; operand: Expr }
  | { type: 'index'; offset: number; object: Expr; args: Expr[]; brace: boolean }
  | { type: 'field'; offset: number; object: Expr; name: string }
  | { type: 'matrix'; offset: number; rows: Expr[][] }
  | { type: 'anon'; offset: number; params: string[]; body: Expr }
  | { type: 'handle'; offset: number; name: string }
  | { type: 'tilde'; offset: number }
  | { type: 'paren'; offset: number; expr: Expr }
) & {
  /** Offset just past the node's last token (set by the parser). */
  end?: number;
};

export interface LValue {
  offset: number;
  name: string;
  /** `x(i, j) = ...`: the index arguments; absent for a whole variable. */
  args?: Expr[];
  /** `[~, i] = ...`: an ignored output. */
  ignore?: boolean;
}

export type Stmt =
  | { type: 'expr'; offset: number; expr: Expr; text: string }
  | { type: 'assign'; offset: number; targets: LValue[]; op: string; value: Expr; text: string }
  | { type: 'if'; offset: number; clauses: { cond: Expr; body: Stmt[] }[]; otherwise?: Stmt[] }
  | { type: 'for'; offset: number; variable: LValue; range: Expr; body: Stmt[] }
  | { type: 'while'; offset: number; cond: Expr; body: Stmt[] }
  | { type: 'break' | 'continue' | 'return'; offset: number };

export interface FunctionDef {
  name: string;
  params: string[];
  outputs: string[];
  body: Stmt[];
  offset: number;
  /** Offset just after the `end`/`endfunction` (or the end of the file). */
  endOffset: number;
  /** The file the function came from, when not the block. */
  fileName?: string;
  source: string;
}

export interface Program {
  functions: FunctionDef[];
  /** Script statements (outside any function). */
  body: Stmt[];
  source: string;
  fileName?: string;
}
