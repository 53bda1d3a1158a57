/**
 * The one value type of the gradcheck language: a dense 2-D float64 matrix in column-major order,
 * as in Octave. Vectors are n×1 columns (or 1×n rows); a 1×1 matrix acts as a scalar.
 */
export class Mat {
  /** An Octave logical array (a comparison's result): indexes as a mask. */
  logical = false;

  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float64Array,
  ) {}

  static zeros(rows: number, cols: number): Mat {
    return new Mat(rows, cols, new Float64Array(rows * cols));
  }

  static scalar(x: number): Mat {
    return new Mat(1, 1, Float64Array.of(x));
  }

  get size(): number {
    return this.data.length;
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  isScalar(): boolean {
    return this.rows === 1 && this.cols === 1;
  }

  isVector(): boolean {
    return this.rows === 1 || this.cols === 1;
  }

  /** Element (i, j), 0-based. */
  get(i: number, j: number): number {
    return this.data[i + j * this.rows];
  }

  map(f: (x: number) => number): Mat {
    const out = new Float64Array(this.data.length);
    for (let k = 0; k < out.length; k++) out[k] = f(this.data[k]);
    return new Mat(this.rows, this.cols, out);
  }

  transpose(): Mat {
    const t = Mat.zeros(this.cols, this.rows);
    for (let j = 0; j < this.cols; j++) {
      for (let i = 0; i < this.rows; i++) t.data[j + i * this.cols] = this.data[i + j * this.rows];
    }
    return t;
  }

  clone(): Mat {
    return new Mat(this.rows, this.cols, this.data.slice());
  }

  allFinite(): boolean {
    for (let k = 0; k < this.data.length; k++) if (!Number.isFinite(this.data[k])) return false;
    return true;
  }
}

/** "3×2", the way shapes appear in messages. */
export function shapeText(shape: readonly [number, number]): string {
  return `${shape[0]}×${shape[1]}`;
}

/**
 * Octave broadcasting: each dimension must agree or be 1 on one side. Returns null when the shapes
 * do not broadcast.
 */
export function broadcastShape(a: Mat, b: Mat): [number, number] | null {
  const dim = (x: number, y: number): number => (x === y ? x : x === 1 ? y : y === 1 ? x : -1);
  const r = dim(a.rows, b.rows);
  const c = dim(a.cols, b.cols);
  return r < 0 || c < 0 ? null : [r, c];
}

/** Element-wise binary operation on already broadcast-compatible operands. */
export function elementwise(a: Mat, b: Mat, shape: [number, number], f: (x: number, y: number) => number): Mat {
  const [rows, cols] = shape;
  const out = Mat.zeros(rows, cols);
  for (let j = 0; j < cols; j++) {
    const ja = a.cols === 1 ? 0 : j;
    const jb = b.cols === 1 ? 0 : j;
    for (let i = 0; i < rows; i++) {
      const x = a.data[(a.rows === 1 ? 0 : i) + ja * a.rows];
      const y = b.data[(b.rows === 1 ? 0 : i) + jb * b.rows];
      out.data[i + j * rows] = f(x, y);
    }
  }
  return out;
}

/** Matrix product; `tick` runs once per output column so long products can be interrupted. */
export function matmul(a: Mat, b: Mat, tick?: () => void): Mat {
  const out = Mat.zeros(a.rows, b.cols);
  for (let j = 0; j < b.cols; j++) {
    tick?.();
    for (let k = 0; k < a.cols; k++) {
      const bkj = b.data[k + j * b.rows];
      if (bkj === 0) continue;
      const aOff = k * a.rows;
      const oOff = j * a.rows;
      for (let i = 0; i < a.rows; i++) out.data[oOff + i] += a.data[aOff + i] * bkj;
    }
  }
  return out;
}

/** Horizontal then vertical block concatenation, as in the Octave literal [A, B; C, D]. */
export function concatBlocks(rows: Mat[][]): Mat | string {
  const bands: Mat[] = [];
  for (const row of rows) {
    const parts = row.filter((m) => m.size > 0);
    if (parts.length === 0) continue;
    const height = parts[0].rows;
    const bad = parts.find((m) => m.rows !== height);
    if (bad) return `cannot place ${shapeText(parts[0].shape)} and ${shapeText(bad.shape)} side by side (row counts differ)`;
    const width = parts.reduce((s, m) => s + m.cols, 0);
    const band = Mat.zeros(height, width);
    let offset = 0;
    for (const m of parts) {
      band.data.set(m.data, offset * height);
      offset += m.cols;
    }
    bands.push(band);
  }
  if (bands.length === 0) return Mat.zeros(0, 0);
  const width = bands[0].cols;
  const bad = bands.find((m) => m.cols !== width);
  if (bad) return `cannot stack ${shapeText(bands[0].shape)} on ${shapeText(bad.shape)} (column counts differ)`;
  const height = bands.reduce((s, m) => s + m.rows, 0);
  const out = Mat.zeros(height, width);
  let top = 0;
  for (const m of bands) {
    for (let j = 0; j < width; j++) {
      for (let i = 0; i < m.rows; i++) out.data[top + i + j * height] = m.data[i + j * m.rows];
    }
    top += m.rows;
  }
  return out;
}
