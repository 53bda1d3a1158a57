/**
 * The Python harness's wire format: JSON lines; arrays as float64 bytes in Fortran (column-major)
 * order, base64-encoded, with their NumPy shape. A NumPy shape maps to a column-major `Mat`:
 * () -> 1×1, (n,) -> n×1, (a, b) -> a×b, (a, b, c...) -> a × (b·c·...).
 */
import { Mat } from '../../core/gradcheck/matrix';

export interface WireArray {
  shape: number[];
  dtype: string;
  data: string;
}

export function matShape(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], 1];
  return [shape[0], shape.slice(1).reduce((a, b) => a * b, 1)];
}

export function decodeArray(a: WireArray): Mat {
  const bytes = Buffer.from(a.data, 'base64');
  const data = new Float64Array(bytes.length / 8);
  new Uint8Array(data.buffer).set(bytes);
  const [rows, cols] = matShape(a.shape);
  return new Mat(rows, cols, data);
}

export function encodeMat(m: Mat): string {
  return Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).toString('base64');
}

/** NumPy's way of printing a shape: (3,), (3, 12). */
export function numpyShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** A position the harness reports: cell index (in the job) and 1-based line in that cell's code. */
export interface CellPosition {
  cell: number;
  line: number;
}

export interface WireHint {
  kind: 'broadcast' | 'integer' | 'mutation' | 'nondeterministic' | 'other';
  message: string;
  decisive?: boolean;
  cell?: number;
  line?: number;
}

export interface WireValue {
  loss: number | string;
  lossShape?: [number, number];
  grad?: WireArray;
  hess?: WireArray;
  outputs: number;
  terms?: { text: string; sign: 1 | -1; value: WireArray; candidate?: boolean }[];
  hints?: WireHint[];
  returnAt?: CellPosition;
  named?: { name: string; value: number }[];
  function?: string;
}

export type HarnessMessage =
  | { type: 'hello'; executable: string; version: string; numpy: string }
  | { type: 'fatal'; kind: 'numpy' | 'other'; message: string }
  | { type: 'cell'; index: number }
  | { type: 'check'; at: CellPosition | null; x0: WireArray; param: string; what: string; notes: string[] }
  | { type: 'values'; values: WireValue[] }
  | { type: 'raised'; message: string; at: CellPosition | null; fatal?: boolean; column?: number }
  | { type: 'end' };
