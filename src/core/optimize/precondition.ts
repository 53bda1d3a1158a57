/**
 * The initial inverse Hessian H₀ = T D Tᵀ that makes L-BFGS behave as on standardized features: T maps
 * coefficients on standardized columns, (x_j - μ_j)/σ_j, to coefficients on the raw columns
 * (w_j = v_j / σ_j, b = v_b - Σ_j v_j μ_j / σ_j, per class block). μ and σ are the s-weighted column
 * mean and standard deviation (no centring without an intercept). A quasi-Newton method is invariant
 * under this change of variables, so unscaled or uncentred features no longer slow it down. In the
 * standardized variables the L2 penalty on the raw weights has curvature l2/σ_j², which varies as much as
 * the scales do; the diagonal D_j = 1/(c + l2/σ_j²) (c = the data curvature per coordinate at θ = 0:
 * 1/4 binary, (K-1)/K² softmax; D = 1/c for intercepts) evens that out.
 */
import type { LinearModelLoss } from '../model/loss';

/**
 * Rows the preconditioner's column statistics are taken from, at most: SAMPLE_BLOCK consecutive rows
 * at evenly spaced places (contiguous, so that memory is read in order, not row by scattered row).
 * Enough for the scales to within about 1 %, and few enough that the statistics take a few
 * milliseconds; every row of a 100k x 50 matrix, read at the start of each fit, took 40-80 ms.
 */
const PRECONDITION_ROWS = 8192;
const SAMPLE_BLOCK = 64;

/**
 * The sampled rows as [start, end) ranges, in order: every row up to maxRows, else evenly spaced blocks
 * of SAMPLE_BLOCK (about maxRows in all). Also the rows of the run's PCA picture (run/train.ts).
 */
export function sampledRanges(n: number, maxRows = PRECONDITION_ROWS): Int32Array {
  const blocks = Math.ceil(Math.min(n, maxRows) / SAMPLE_BLOCK);
  const ranges = new Int32Array(2 * blocks);
  for (let b = 0; b < blocks; b++) {
    const r0 = n <= maxRows ? b * SAMPLE_BLOCK : Math.floor((b * n) / blocks);
    ranges[2 * b] = r0;
    ranges[2 * b + 1] = Math.min(r0 + SAMPLE_BLOCK, n);
  }
  return ranges;
}

/**
 * The s-weighted sums over the sampled rows (ranges, in order): Σ s_i x_ij into sum, or, given the
 * column means, Σ s_i (x_ij - mean_j)² into sum. Plain nested loops in one function (not a callback
 * per row), which V8 optimizes within the first call: the callbacks ran unoptimized for most of a
 * fit's only call (20-50 ms on 8192 x 50 rows, against 2-3 ms).
 */
function sampledSums(X: Float64Array, d: number, ranges: Int32Array, weights: Float64Array | null, mean: Float64Array | null, sum: Float64Array): void {
  for (let b = 0; b < ranges.length; b += 2) {
    for (let i = ranges[b]; i < ranges[b + 1]; i++) {
      const s = weights ? weights[i] : 1;
      const o = i * d;
      if (mean) {
        for (let j = 0; j < d; j++) {
          const c = X[o + j] - mean[j];
          sum[j] += s * c * c;
        }
      } else {
        for (let j = 0; j < d; j++) sum[j] += s * X[o + j];
      }
    }
  }
}

export class StandardizingPreconditioner {
  private readonly mean: Float64Array;
  private readonly invScale: Float64Array;
  private readonly tmp: Float64Array;
  private readonly diag: Float64Array;

  constructor(private readonly loss: LinearModelLoss) {
    const { X, n, d, sampleWeight, fitIntercept } = loss;
    const sum = new Float64Array(d);
    const sq = new Float64Array(d);
    // A preconditioner needs the columns' scales, not their exact values: above PRECONDITION_ROWS rows,
    // a sample is enough (it changes the path of the solver, never the optimum).
    // Weighted statistics, unless every sampled row has weight 0 (then unweighted ones).
    const ranges = sampledRanges(n);
    let S = 0;
    let rows = 0;
    for (let b = 0; b < ranges.length; b += 2) {
      for (let i = ranges[b]; i < ranges[b + 1]; i++) S += sampleWeight ? sampleWeight[i] : 1;
      rows += ranges[b + 1] - ranges[b];
    }
    const weights = S > 0 ? sampleWeight : null;
    if (!(S > 0)) S = rows;
    sampledSums(X, d, ranges, weights, null, sum);
    this.mean = new Float64Array(d);
    for (let j = 0; j < d; j++) this.mean[j] = fitIntercept ? sum[j] / S : 0;
    sampledSums(X, d, ranges, weights, this.mean, sq);
    this.invScale = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(sq[j] / S);
      const rms = Math.sqrt(sd * sd + this.mean[j] * this.mean[j]);
      if (sd > 1e-10 * rms) this.invScale[j] = 1 / sd;
      else {
        // A constant column: leave it uncentred (it is collinear with the intercept).
        this.mean[j] = 0;
        this.invScale[j] = rms > 0 ? 1 / rms : 1;
      }
    }
    this.tmp = new Float64Array(loss.nParams);
    const K = loss.nClasses;
    const c = loss.kind === 'binary' ? 0.25 : (K - 1) / (K * K);
    this.diag = new Float64Array(loss.nParams);
    for (let k = 0; k < loss.nCoefRows; k++) {
      const o = k * (d + 1);
      for (let j = 0; j < d; j++) this.diag[o + j] = 1 / (c + loss.l2Strength * this.invScale[j] * this.invScale[j]);
      this.diag[o + d] = 1 / c;
    }
  }

  /** out = Tᵀ q (a gradient on the raw coefficients → on the standardized ones). */
  transpose(q: Float64Array, out: Float64Array): void {
    const d = this.loss.d;
    for (let k = 0; k < this.loss.nCoefRows; k++) {
      const o = k * (d + 1);
      const qb = q[o + d];
      for (let j = 0; j < d; j++) out[o + j] = (q[o + j] - qb * this.mean[j]) * this.invScale[j];
      out[o + d] = qb;
    }
  }

  /** out = T D Tᵀ q (out may alias q). */
  apply(q: Float64Array, out: Float64Array): void {
    const d = this.loss.d;
    const t = this.tmp;
    this.transpose(q, t);
    for (let j = 0; j < t.length; j++) t[j] *= this.diag[j];
    for (let k = 0; k < this.loss.nCoefRows; k++) {
      const o = k * (d + 1);
      let b = t[o + d];
      for (let j = 0; j < d; j++) {
        const w = t[o + j] * this.invScale[j];
        out[o + j] = w;
        b -= w * this.mean[j];
      }
      out[o + d] = b;
    }
  }

  /** qᵀ T D Tᵀ q. */
  norm2(q: Float64Array): number {
    this.transpose(q, this.tmp);
    let s = 0;
    for (let j = 0; j < this.tmp.length; j++) s += this.diag[j] * this.tmp[j] * this.tmp[j];
    return s;
  }
}
