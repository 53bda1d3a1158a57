/**
 * Values of the Octave interpreter: numeric/logical matrices (`Mat`), character strings and function
 * handles. Sizes are checked before anything is allocated.
 */
import type { Expr, FunctionDef } from './ast';
import { GradcheckError } from '../errors';
import { Mat, shapeText } from '../matrix';

export class Str {
  constructor(readonly text: string) {}
}

export interface Handle {
  kind: 'handle';
  /** `@name` */
  name?: string;
  /** `@(params) body` with the variables it captured when it was created. */
  params?: string[];
  body?: Expr;
  captured?: Map<string, Value>;
  /** The source and file the anonymous function was written in. */
  where?: { source: string; fileName?: string; owner?: FunctionDef };
  /** How it reads in messages: "@costFunction", "@(t) costFunction(t, X, y)". */
  text: string;
}

export type Value = Mat | Str | Handle;

export function isHandle(v: Value): v is Handle {
  return !(v instanceof Mat) && !(v instanceof Str);
}

/** Largest dimension accepted (Octave's index type), checked before allocating. */
export const MAX_DIMENSION = 2 ** 31 - 1;

/** What the interpreter enforces on every allocation. */
export interface Allocator {
  /** Throws unless a rows×cols value may be created. */
  check(rows: number, cols: number, what?: string): void;
}

export function describeValue(v: Value): string {
  if (v instanceof Mat) return `a ${shapeText(v.shape)} ${v.logical ? 'logical ' : ''}matrix`;
  if (v instanceof Str) return `the string '${v.text}'`;
  return `the function handle ${v.text}`;
}

/** A Mat from a value, refusing strings and handles in numeric places. */
export function toMat(v: Value, what: string): Mat {
  if (v instanceof Mat) return v;
  if (v instanceof Str) {
    const m = new Mat(1, v.text.length, Float64Array.from(v.text, (c) => c.charCodeAt(0)));
    return m;
  }
  throw new GradcheckError(`${what}: ${v.text} is a function handle, not a number (call it with arguments)`, undefined, 'input');
}

export function logicalMat(rows: number, cols: number, data: Float64Array): Mat {
  const m = new Mat(rows, cols, data);
  m.logical = true;
  return m;
}

/** Whether a condition holds, as Octave's `if`: non-empty and every element non-zero. */
export function truthy(v: Value): boolean {
  const m = toMat(v, 'a condition');
  if (m.size === 0) return false;
  for (let k = 0; k < m.size; k++) {
    if (Number.isNaN(m.data[k])) throw new GradcheckError('a condition is NaN: it is neither true nor false');
    if (m.data[k] === 0) return false;
  }
  return true;
}
