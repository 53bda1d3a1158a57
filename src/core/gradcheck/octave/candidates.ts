/**
 * Candidate terms for diagnosing a *missing* term of a gradient: expressions of the data a check
 * captured (the anonymous function's X, y, ...) that often belong in a logistic or softmax gradient
 * and have the parameter's shape — X'*y for a vector parameter, the one-hot term of a softmax
 * gradient (onehot(y)*X in either orientation) for a matrix one, and the parameter itself (a
 * missing weight decay). The diagnosis fits a coefficient to each, so X'*y/m and X'*y match alike.
 */
import { Mat, matmul } from '../matrix';

export interface Candidate {
  text: string;
  sign: 1;
  value: Mat;
  candidate: true;
}

/** Integer labels 1..K (or 0..K-1) of a vector, or undefined. */
function labels(y: Mat): { values: number[]; min: number; max: number } | undefined {
  if (y.size < 2 || (y.rows !== 1 && y.cols !== 1)) return undefined;
  const values = Array.from(y.data);
  if (!values.every((v) => Number.isInteger(v) && v >= 0)) return undefined;
  return { values, min: Math.min(...values), max: Math.max(...values) };
}

function oneHot(y: number[], K: number, base: number): Mat | undefined {
  const out = Mat.zeros(K, y.length);
  for (let i = 0; i < y.length; i++) {
    const c = y[i] - base;
    if (c < 0 || c >= K) return undefined;
    out.data[c + i * K] = 1;
  }
  return out;
}

export function candidateTerms(point: Mat, data: Map<string, Mat>, param: string): Candidate[] {
  const out: Candidate[] = [{ text: param, sign: 1, value: point, candidate: true }];
  const matrices = [...data].filter(([, m]) => m.rows > 1 && m.cols > 1);
  const vectors = [...data].filter(([, m]) => (m.rows === 1 || m.cols === 1) && m.size > 1);
  const vectorParam = point.rows === 1 || point.cols === 1;
  for (const [xName, X] of matrices) {
    for (const [yName, y] of vectors) {
      if (y.size !== X.rows && y.size !== X.cols) continue;
      const yCol = new Mat(y.size, 1, y.data);
      if (vectorParam && y.size === X.rows && X.cols === point.size) {
        const v = matmul(X.transpose(), yCol);
        out.push({ text: `${xName}'*${yName}`, sign: 1, value: new Mat(point.rows, point.cols, v.data), candidate: true });
      }
      if (vectorParam) continue;
      const l = labels(y);
      if (!l) continue;
      // Samples along the rows of X (n×d) or its columns (d×n); classes along either side of the parameter.
      const samplesInRows = y.size === X.rows;
      const Xs = samplesInRows ? X : X.transpose(); // n×d
      for (const classesInRows of [true, false]) {
        const K = classesInRows ? point.rows : point.cols;
        const d = classesInRows ? point.cols : point.rows;
        if (Xs.cols !== d) continue;
        const base = l.min >= 1 && l.max <= K ? 1 : l.max < K ? 0 : -1;
        if (base < 0) continue;
        const Y = oneHot(l.values, K, base);
        if (!Y) continue;
        const YX = matmul(Y, Xs); // K×d
        const value = classesInRows ? YX : YX.transpose();
        const text = classesInRows ? `onehot(${yName})*${samplesInRows ? xName : `${xName}'`}` : `${samplesInRows ? `${xName}'` : xName}*onehot(${yName})'`;
        out.push({ text, sign: 1, value, candidate: true });
      }
    }
  }
  return out;
}
