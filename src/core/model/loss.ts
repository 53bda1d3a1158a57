/**
 * The regularized logistic / softmax objective apart from any solver (as scikit-learn's
 * `LinearModelLoss`): value, gradient, Hessian-vector product and dense Hessian.
 *
 * Scaled objective (what the solvers minimize; see docs/objective.md):
 *
 *     F(θ) = (1/S) Σ_i s_i ℓ_i(θ) + [ (1-ρ)/2 ||W||² + ρ ||W||_1 ] / (S·C),   S = Σ_i s_i
 *
 * with ρ = 0 for L2, 1 for L1, l1Ratio for elastic net and no penalty for 'none' or C = ∞.
 * Intercepts are never penalized. Parameter layout θ: binary [w_0..w_{d-1}, b]; multinomial K
 * blocks [W_k (d), b_k]. The "smooth part" is F without the L1 term.
 */
import { expNonPositive, softmaxInPlace } from './link';
import { lossFamilyOf, type LossFamily } from './lossFamily';
import { multiDecision, singleDecision } from './model';
import { BinarySimd, sharedMemoryOf, SoftmaxSimd, type SimdPass } from './simdKernels';

/**
 * Smallest n·d·R (multiply-adds of one scores pass; R = 1 binary, K multinomial) for which a loss moves
 * its full-batch passes to the WebAssembly SIMD kernels (simdKernels.ts) by default: below it the
 * module instance (and a copy of X) are not worth it.
 */
export const SIMD_MIN_WORK = 200_000;
/**
 * Largest X (bytes) that the default copies into WebAssembly memory, multinomial and binary; above it
 * the JavaScript kernels run, unless X already lives in a shared WebAssembly memory (read in place).
 * Binary data are large and cheap per row, so their copy stays small.
 */
export const SIMD_MAX_COPY_BYTES = 1 << 30;
export const SIMD_MAX_BINARY_COPY_BYTES = 64 << 20;

/**
 * Rows per block of the data kernels: each block is three simple loops, the scores z = X̃ W for its
 * rows, then the per-row losses and residuals r, then Xᵀ r, so the block's rows come from cache, not
 * memory, the second time. At most 256 rows and about 256 KB of X per block.
 */
function rowsPerBlock(d: number): number {
  return Math.max(8, Math.min(256, Math.floor(32768 / Math.max(1, d))));
}

export type Penalty = 'l2' | 'l1' | 'elasticnet' | 'none';

export interface LossSpec {
  /** Row-major n × d design matrix. */
  X: Float64Array;
  n: number;
  d: number;
  kind: 'binary' | 'multinomial';
  /** Class index per row: binary 0/1; multinomial 0..K-1. */
  y: Int32Array;
  /** 2 for binary. */
  nClasses: number;
  /** s_i = sample weight × class weight; null = ones. */
  sampleWeight?: Float64Array | null;
  /** Default true. */
  fitIntercept?: boolean;
  penalty: Penalty;
  /** Inverse regularization strength; Infinity (or penalty 'none') means no penalty. */
  C: number;
  /** Elastic-net mixing ρ in [0, 1]. */
  l1Ratio?: number;
  /**
   * Full-batch passes on the WebAssembly SIMD kernels (true), on the JavaScript kernels (false), or
   * (undefined) on SIMD when available, n·d·R ≥ SIMD_MIN_WORK, and X is read in place or at most
   * SIMD_MAX_COPY_BYTES (SIMD_MAX_BINARY_COPY_BYTES for a binary loss). Mini-batches always use the
   * JavaScript kernels.
   */
  simd?: boolean;
}

/**
 * scikit-learn's `compute_class_weight('balanced')`: weight_k = n / (K · count_k). Like scikit-learn,
 * it counts rows and ignores sample weights. A class with no rows gets weight 0.
 */
export function balancedClassWeights(y: Int32Array, nClasses: number, _sampleWeight?: Float64Array | null): Float64Array {
  const count = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) count[y[i]]++;
  const out = new Float64Array(nClasses);
  for (let k = 0; k < nClasses; k++) out[k] = count[k] > 0 ? y.length / (nClasses * count[k]) : 0;
  return out;
}

export class LinearModelLoss {
  readonly X: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly kind: 'binary' | 'multinomial';
  /** The loss family of `kind` (lossFamily.ts): the reference path; the kernels below unroll it. */
  readonly family: LossFamily;
  readonly y: Int32Array;
  readonly nClasses: number;
  readonly sampleWeight: Float64Array | null;
  readonly fitIntercept: boolean;
  readonly nParams: number;
  /** 1 (binary) or K (multinomial). */
  readonly nCoefRows: number;
  /** S = Σ_i s_i. */
  readonly totalWeight: number;
  /** 1 for weights, 0 for intercepts. */
  readonly penalizedMask: Uint8Array;
  /** Coefficient of ||W||_1 in F: ρ/(S·C); 0 without an L1 part. */
  readonly l1Strength: number;
  /** Coefficient of ½||W||² in F: (1-ρ)/(S·C); 0 without an L2 part. */
  readonly l2Strength: number;
  /** True when a penalty applies (penalty ≠ 'none' and C finite). */
  readonly penalized: boolean;
  readonly C: number;
  /** Kernel scratch for one block of rows: their indices, scores / residuals, and (mini-batches) their X rows. */
  private readonly blockRows: Int32Array;
  private readonly blockZ: Float64Array;
  private blockX: Float64Array | null = null;
  /** Binary Hessian passes in JavaScript: the block's s_i p_i(1-p_i). */
  private blockH: Float64Array | null = null;
  /** Running sums across blocks: [Σ s_i ℓ_i, binary Σ s_i ∂ℓ_i/∂b]. */
  private readonly blockSums = new Float64Array(2);
  /** Whether full-batch passes use the SIMD kernels, and their rows (made on the first pass). */
  private readonly useSimd: boolean;
  private simd: SimdPass | null = null;

  constructor(spec: LossSpec) {
    const { X, n, d, kind, y, nClasses, penalty, C } = spec;
    if (X.length < n * d) throw new Error(`X has ${X.length} values, fewer than n × d = ${n * d}.`);
    if (y.length !== n) throw new Error(`y has ${y.length} labels for ${n} rows.`);
    const K = kind === 'binary' ? 2 : nClasses;
    if (kind === 'multinomial' && K < 2) throw new Error('A multinomial model needs at least 2 classes.');
    for (let i = 0; i < n; i++) {
      if (!(y[i] >= 0 && y[i] < K)) throw new Error(`Row ${i}: class index ${y[i]} is outside 0..${K - 1}.`);
    }
    if (!(C > 0)) throw new Error(`C must be positive (got ${C}).`);
    const rho = penalty === 'l1' ? 1 : penalty === 'elasticnet' ? (spec.l1Ratio ?? 0.5) : 0;
    if (!(rho >= 0 && rho <= 1)) throw new Error(`l1Ratio must lie in [0, 1] (got ${rho}).`);

    this.X = X;
    this.n = n;
    this.d = d;
    this.kind = kind;
    this.family = lossFamilyOf(kind);
    this.y = y;
    this.nClasses = K;
    this.sampleWeight = spec.sampleWeight ?? null;
    this.fitIntercept = spec.fitIntercept ?? true;
    this.nCoefRows = kind === 'binary' ? 1 : K;
    this.nParams = this.nCoefRows * (d + 1);
    let S = n;
    if (this.sampleWeight) {
      if (this.sampleWeight.length !== n) throw new Error(`sampleWeight has ${this.sampleWeight.length} values for ${n} rows.`);
      S = 0;
      for (let i = 0; i < n; i++) {
        const s = this.sampleWeight[i];
        if (!(s >= 0) || !Number.isFinite(s)) throw new Error(`Row ${i}: sample weight ${s} is not a finite non-negative number.`);
        S += s;
      }
    }
    if (!(S > 0)) throw new Error('The total sample weight is zero.');
    this.totalWeight = S;
    this.C = C;
    this.penalized = penalty !== 'none' && Number.isFinite(C);
    const scale = this.penalized ? 1 / (S * C) : 0;
    this.l1Strength = rho * scale;
    this.l2Strength = (1 - rho) * scale;
    this.penalizedMask = new Uint8Array(this.nParams);
    for (let k = 0; k < this.nCoefRows; k++) this.penalizedMask.fill(1, k * (d + 1), k * (d + 1) + d);
    this.blockRows = new Int32Array(rowsPerBlock(d));
    this.blockZ = new Float64Array(this.blockRows.length * this.nCoefRows);
    const R = this.nCoefRows;
    const maxCopy = kind === 'binary' ? SIMD_MAX_BINARY_COPY_BYTES : SIMD_MAX_COPY_BYTES;
    this.useSimd = d >= 1 &&
      (spec.simd ?? (n * d * R >= SIMD_MIN_WORK && (n * d * 8 <= maxCopy || sharedMemoryOf(X.buffer) !== undefined)));
  }

  /**
   * Smooth part F_s(θ) = (1/S) Σ_i s_i ℓ_i(θ) + (l2Strength/2) ||W||², and ∇F_s into `grad`, in one pass
   * over X. Binary ℓ_i = log(1 + e^{z_i}) - y_i z_i, ∂ℓ_i/∂z_i = σ(z_i) - y_i with z_i = x_i·w + b;
   * multinomial ℓ_i = logsumexp_k z_ik - z_{i,y_i}, ∂ℓ_i/∂z_ik = softmax_k(z_i) - [y_i = k].
   */
  lossGradient(theta: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    const sum = this.accumulateData(theta, grad);
    return this.finish(theta, grad, sum, 1 / this.totalWeight);
  }

  /**
   * One row shard of lossGradient's data term: returns Σ_{start≤i<end} s_i ℓ_i and adds Σ s_i ∇ℓ_i into
   * `grad` (unscaled, no penalty). Shards over a partition of the rows sum to the full data term.
   */
  accumulateRows(theta: Float64Array, start: number, end: number, grad: Float64Array): number {
    return this.accumulate(theta, null, start, end, grad);
  }

  /** F_s(θ) (see lossGradient). */
  loss(theta: Float64Array): number {
    return this.dataLoss(theta) / this.totalWeight + this.l2Term(theta);
  }

  /** F(θ) = F_s(θ) + l1Strength · ||W||_1, the full scaled objective. */
  objective(theta: Float64Array): number {
    return this.loss(theta) + this.l1Term(theta);
  }

  /** scikit-learn's form C Σ_i s_i ℓ_i + r(W) = S·C·F(θ); without a penalty Σ_i s_i ℓ_i = S·F(θ). */
  sklearnObjective(theta: Float64Array): number {
    return this.sklearnFromScaled(this.objective(theta));
  }

  /**
   * sklearnObjective from F(θ) already computed (a solver's SolverResult.objective at its θ, from the
   * same data pass as its gradient): no pass over the rows. Equal to sklearnObjective(θ) up to the
   * summation order of that pass (within 1e-12 relative; loss.test.ts).
   */
  sklearnFromScaled(scaledObjective: number): number {
    const f = scaledObjective * this.totalWeight;
    return this.penalized ? f * this.C : f;
  }

  /**
   * Mini-batch estimate of F_s and ∇F_s over rows[start..end) (B rows):
   * (n / (S·B)) Σ_{i∈batch} s_i ℓ_i + (l2Strength/2)||W||². Its expectation under uniform row sampling
   * is F_s, so sample weights act as in the full objective; over all rows it equals lossGradient.
   */
  lossGradientBatch(theta: Float64Array, rows: Int32Array, start: number, end: number, grad: Float64Array): number {
    grad.fill(0);
    const sum = this.accumulate(theta, rows, start, end, grad);
    return this.finish(theta, grad, sum, this.n / (this.totalWeight * (end - start)));
  }

  /**
   * Hessian of F_s at θ as a linear operator v ↦ H v. Binary: H = (1/S) X̃ᵀ diag(s_i p_i(1-p_i)) X̃ + l2 on
   * the weights; multinomial: (Hv)_k = (1/S) Σ_i s_i p_ik (u_ik - Σ_j p_ij u_ij) x̃_i + l2 V_k, u_ik = x̃_i·v_k.
   * X̃ = [X, 1] (the intercept column is 0 without an intercept).
   */
  hessianProduct(theta: Float64Array): (v: Float64Array, out: Float64Array) => void {
    const { X, n, d, fitIntercept } = this;
    const stride = d + 1;
    const R = this.nCoefRows;
    const invS = 1 / this.totalWeight;
    const prob = this.rowCurvatures(theta);
    const u = new Float64Array(R);
    return (v, out) => {
      out.fill(0);
      for (let i = 0; i < n; i++) {
        const off = i * d;
        const s = this.weightOf(i) * invS;
        if (s === 0) continue;
        for (let k = 0; k < R; k++) {
          const vo = k * stride;
          let t = fitIntercept ? v[vo + d] : 0;
          for (let j = 0; j < d; j++) t += X[off + j] * v[vo + j];
          u[k] = t;
        }
        if (R === 1) u[0] *= s * prob[i];
        else {
          const po = i * R;
          let mean = 0;
          for (let k = 0; k < R; k++) mean += prob[po + k] * u[k];
          for (let k = 0; k < R; k++) u[k] = s * prob[po + k] * (u[k] - mean);
        }
        for (let k = 0; k < R; k++) {
          const c = u[k];
          const oo = k * stride;
          for (let j = 0; j < d; j++) out[oo + j] += c * X[off + j];
          if (fitIntercept) out[oo + d] += c;
        }
      }
      this.addL2(v, out);
    };
  }

  /**
   * Dense nParams × nParams Hessian of F_s (row-major): block (k, l) = (1/S) Σ_i s_i (p_ik [k=l] - p_ik p_il)
   * x̃_i x̃_iᵀ (+ l2 on the weight diagonal); binary has the single block with p_i(1-p_i).
   * Rows and columns of unused intercepts are 0.
   */
  hessian(theta: Float64Array): Float64Array {
    const { X, n, d, fitIntercept } = this;
    const stride = d + 1;
    const R = this.nCoefRows;
    const N = this.nParams;
    const H = new Float64Array(N * N);
    const prob = this.rowCurvatures(theta);
    const invS = 1 / this.totalWeight;
    const xt = new Float64Array(stride);
    const m = fitIntercept ? stride : d;
    for (let i = 0; i < n; i++) {
      const s = this.weightOf(i) * invS;
      if (s === 0) continue;
      for (let j = 0; j < d; j++) xt[j] = X[i * d + j];
      xt[d] = 1;
      for (let k = 0; k < R; k++) {
        for (let l = k; l < R; l++) {
          const c = R === 1 ? s * prob[i] : s * ((k === l ? prob[i * R + k] : 0) - prob[i * R + k] * prob[i * R + l]);
          if (c === 0) continue;
          for (let a = 0; a < m; a++) {
            const ca = c * xt[a];
            const rowOff = (k * stride + a) * N + l * stride;
            for (let b = k === l ? a : 0; b < m; b++) H[rowOff + b] += ca * xt[b];
          }
        }
      }
    }
    for (let p = 0; p < N; p++) {
      if (this.penalizedMask[p]) H[p * N + p] += this.l2Strength;
      for (let q = p + 1; q < N; q++) H[q * N + p] = H[p * N + q];
    }
    return H;
  }

  /**
   * F_s(θ), ∇F_s into `grad` and the dense Hessian of F_s into `H` (nParams × nParams, row-major) at
   * once: what a Newton-Cholesky iteration needs. Binary: one blocked pass over X (the SIMD kernels
   * where the gradient uses them, the rows split across threads where lossGradient's are), the Hessian
   * (1/S) X̃ᵀ diag(s_i p_i(1-p_i)) X̃ + l2 on the weights; multinomial: lossGradient and hessian().
   * Rows and columns of unused intercepts are 0.
   */
  lossGradientHessian(theta: Float64Array, grad: Float64Array, H: Float64Array): number {
    if (this.kind !== 'binary') {
      H.set(this.hessian(theta));
      return this.lossGradient(theta, grad);
    }
    grad.fill(0);
    H.fill(0);
    const sum = this.accumulateDataHessian(theta, grad, H);
    const N = this.nParams;
    const invS = 1 / this.totalWeight;
    for (let p = 0; p < N * N; p++) H[p] *= invS;
    if (!this.fitIntercept) {
      for (let p = 0; p < N; p++) H[p * N + this.d] = H[this.d * N + p] = 0;
    }
    for (let p = 0; p < N; p++) if (this.penalizedMask[p]) H[p * N + p] += this.l2Strength;
    return this.finish(theta, grad, sum, invS);
  }

  /**
   * One row shard of lossGradientHessian's data term (binary): returns Σ_{start≤i<end} s_i ℓ_i, adds
   * Σ s_i ∇ℓ_i into `grad` and Σ s_i p_i(1-p_i) x̃_i x̃_iᵀ into `H` (full, (d+1) × (d+1); unscaled, no
   * penalty). Shards over a partition of the rows sum to the full data term.
   */
  accumulateRowsHessian(theta: Float64Array, start: number, end: number, grad: Float64Array, H: Float64Array): number {
    if (this.kind !== 'binary') throw new Error('accumulateRowsHessian is for binary losses.');
    const { X, d, y, sampleWeight: sw, fitIntercept } = this;
    const simd = end > start ? this.simdPass(start, end) : null;
    if (simd instanceof BinarySimd && simd.hasHessian) return simd.accumulateHessian(theta, start, end, y, sw, fitIntercept, grad, H);
    const idx = this.blockRows;
    const zb = this.blockZ;
    const B = idx.length;
    const sums = this.blockSums;
    const curv = (this.blockH ??= new Float64Array(B));
    sums.fill(0);
    for (let r0 = start; r0 < end; r0 += B) {
      const m = Math.min(B, end - r0);
      for (let t = 0; t < m; t++) idx[t] = r0 + t;
      binaryBlock(X, r0 * d, m, d, idx, y, sw, fitIntercept, theta, zb, grad, sums, curv);
      binaryHessianBlock(X, r0 * d, m, d, curv, H);
    }
    grad[d] += sums[1];
    return sums[0];
  }

  /** Linear predictor z = X W + b: length n (binary) or n × K row-major (multinomial). */
  rawPrediction(theta: Float64Array, X: Float64Array, n: number, out?: Float64Array): Float64Array {
    const d = this.d;
    const R = this.nCoefRows;
    // Each z summed in the plain loop's order (t = b; t += x_ij w_j for j = 0..d-1): the same bits,
    // several rows or outputs at a time.
    if (R === 1) {
      const z = singleDecision(theta, this.fitIntercept ? theta[d] : 0, X, n, d);
      if (!out) return z;
      out.set(z);
      return out;
    }
    // The coefficient rows of theta (stride d + 1, the intercept last) as multiDecision's w and b.
    const w = new Float64Array(R * d);
    const b = new Float64Array(R);
    for (let k = 0; k < R; k++) {
      w.set(theta.subarray(k * (d + 1), k * (d + 1) + d), k * d);
      if (this.fitIntercept) b[k] = theta[k * (d + 1) + d];
    }
    const z = multiDecision(w, b, R, X, n, d);
    if (!out) return z;
    out.set(z);
    return out;
  }

  /** Class probabilities, n × 2 ([1 - σ(z), σ(z)]) for binary or n × K softmax for multinomial. */
  predictProba(theta: Float64Array, X: Float64Array, n: number): Float64Array {
    const z = this.rawPrediction(theta, X, n);
    return this.family.rawToProba(z, n, this.nClasses, this.kind === 'multinomial' ? z : undefined);
  }

  /**
   * Lipschitz constant of one row's gradient term in lossGradientBatch with B = 1:
   * max_i (n s_i / S) · c · ||x̃_i||² + l2Strength, with c = 1/4 (binary) or 1/2 (multinomial, Böhning's bound).
   */
  rowLipschitz(): number {
    const { X, n, d } = this;
    let best = 0;
    for (let i = 0; i < n; i++) {
      let t = this.fitIntercept ? 1 : 0;
      for (let j = 0; j < d; j++) t += X[i * d + j] * X[i * d + j];
      t *= this.weightOf(i);
      if (t > best) best = t;
    }
    const c = this.kind === 'binary' ? 0.25 : 0.5;
    return (c * best * n) / this.totalWeight + this.l2Strength;
  }

  /** Σ_i s_i ℓ_i over all rows, with Σ_i s_i ∇ℓ_i added into `grad`: lossGradient's data term (a subclass may split the rows across threads). */
  protected accumulateData(theta: Float64Array, grad: Float64Array): number {
    return this.accumulate(theta, null, 0, this.n, grad);
  }

  /** accumulateData with the binary Hessian's data term added into `H` (a subclass may split the rows across threads). */
  protected accumulateDataHessian(theta: Float64Array, grad: Float64Array, H: Float64Array): number {
    return this.accumulateRowsHessian(theta, 0, this.n, grad, H);
  }

  /**
   * The SIMD pass for full-batch rows [start, end) when this loss uses the kernels: made on the first
   * pass for its rows, or for all rows once a pass needs others; null where the kernels cannot run.
   */
  private simdPass(start: number, end: number): SimdPass | null {
    if (!this.useSimd) return null;
    if (!this.simd?.holds(start, end)) {
      const [a, b] = this.simd ? [0, this.n] : [start, end];
      this.simd = this.kind === 'binary' ? BinarySimd.create(this.X, this.d, a, b) : SoftmaxSimd.create(this.X, this.d, this.nClasses, a, b);
    }
    return this.simd;
  }

  /**
   * Adds Σ s_i ℓ_i and Σ s_i ∇ℓ_i over rows[start..end) (all rows when `rows` is null); returns the sum.
   * Block by block; a mini-batch block's rows are first gathered into contiguous scratch.
   */
  private accumulate(theta: Float64Array, rows: Int32Array | null, start: number, end: number, grad: Float64Array): number {
    const { X, d, y, sampleWeight: sw, fitIntercept } = this;
    if (rows === null && end > start) {
      const simd = this.simdPass(start, end);
      if (simd) return simd.accumulate(theta, start, end, y, sw, fitIntercept, grad);
    }
    const idx = this.blockRows;
    const zb = this.blockZ;
    const B = idx.length;
    const sums = this.blockSums;
    sums.fill(0);
    for (let r0 = start; r0 < end; r0 += B) {
      const m = Math.min(B, end - r0);
      let src = X;
      let base = r0 * d;
      if (rows === null) {
        for (let t = 0; t < m; t++) idx[t] = r0 + t;
      } else {
        src = this.blockX ??= new Float64Array(B * d);
        base = 0;
        for (let t = 0; t < m; t++) {
          const i = rows[r0 + t];
          idx[t] = i;
          src.set(X.subarray(i * d, i * d + d), t * d);
        }
      }
      if (this.kind === 'binary') binaryBlock(src, base, m, d, idx, y, sw, fitIntercept, theta, zb, grad, sums);
      else softmaxBlock(src, base, m, d, idx, y, sw, fitIntercept, this.nClasses, theta, zb, grad, sums);
    }
    if (this.kind === 'binary') grad[d] += sums[1];
    return sums[0];
  }

  /** Scales the accumulated data term, zeroes unused intercepts and adds the L2 part; returns F_s. */
  private finish(theta: Float64Array, grad: Float64Array, sum: number, scale: number): number {
    for (let p = 0; p < this.nParams; p++) grad[p] *= scale;
    if (!this.fitIntercept) for (let k = 0; k < this.nCoefRows; k++) grad[k * (this.d + 1) + this.d] = 0;
    this.addL2(theta, grad);
    return sum * scale + this.l2Term(theta);
  }

  /** Σ_i s_i ℓ_i (no gradient): the reference path, through the loss family. */
  private dataLoss(theta: Float64Array): number {
    const R = this.nCoefRows;
    const z = this.rawPrediction(theta, this.X, this.n);
    let sum = 0;
    for (let i = 0; i < this.n; i++) {
      const s = this.weightOf(i);
      if (s !== 0) sum += s * this.family.rowLoss(z, i * R, this.nClasses, this.y[i]);
    }
    return sum;
  }

  /** Per-row curvature: binary p_i(1-p_i) (length n); multinomial the probabilities p_ik (n × K). */
  private rowCurvatures(theta: Float64Array): Float64Array {
    const z = this.rawPrediction(theta, this.X, this.n);
    if (this.nCoefRows > 1) {
      for (let i = 0; i < this.n; i++) softmaxInPlace(z, i * this.nClasses, this.nClasses);
      return z;
    }
    for (let i = 0; i < this.n; i++) {
      const e = Math.exp(-Math.abs(z[i]));
      z[i] = e / ((1 + e) * (1 + e));
    }
    return z;
  }

  private weightOf(i: number): number {
    return this.sampleWeight ? this.sampleWeight[i] : 1;
  }

  private l2Term(theta: Float64Array): number {
    if (this.l2Strength === 0) return 0;
    let t = 0;
    for (let p = 0; p < this.nParams; p++) if (this.penalizedMask[p]) t += theta[p] * theta[p];
    return 0.5 * this.l2Strength * t;
  }

  private l1Term(theta: Float64Array): number {
    if (this.l1Strength === 0) return 0;
    let t = 0;
    for (let p = 0; p < this.nParams; p++) if (this.penalizedMask[p]) t += Math.abs(theta[p]);
    return this.l1Strength * t;
  }

  /** out += l2Strength · v on the weights. */
  private addL2(v: Float64Array, out: Float64Array): void {
    if (this.l2Strength === 0) return;
    for (let p = 0; p < this.nParams; p++) if (this.penalizedMask[p]) out[p] += this.l2Strength * v[p];
  }
}


// The data kernels below (binaryScores, binaryGradient, softmaxScores, softmaxGradient; and
// preprocess.ts's blockedColumnSums) repeat one register-blocking shape on purpose: rows or columns four
// at a time in named accumulators, so V8 keeps them in registers. This is deliberate unrolling, kept
// apart per access pattern; a shared helper (arrays or callbacks for the accumulators) would undo it.
// Their per-row formulas are the loss family's (lossFamily.ts), checked row by row in lossFamily.test.ts.

/**
 * Binary rows i = idx[t], t < m, whose features are src[base + t·d ..]: ℓ = log(1 + e^{z}) - y z computed as
 * max(z, 0) - y z + log1p(e^{-|z|}); ∂ℓ/∂z = σ(z) - y from the same exponential. Adds the weights' part
 * of Σ s_i ∇ℓ_i into grad, Σ s_i ℓ_i into sums[0] and the intercept's part into sums[1]; zb (m) is scratch.
 */
function binaryBlock(
  src: Float64Array, base: number, m: number, d: number, idx: Int32Array, y: Int32Array, sw: Float64Array | null,
  fitIntercept: boolean, theta: Float64Array, zb: Float64Array, grad: Float64Array, sums: Float64Array, curv?: Float64Array,
): void {
  binaryScores(src, base, m, d, fitIntercept ? theta[d] : 0, theta, zb);
  let sum = sums[0];
  let gb = sums[1];
  for (let t = 0; t < m; t++) {
    const i = idx[t];
    const s = sw === null ? 1 : sw[i];
    if (s === 0) {
      zb[t] = 0;
      if (curv) curv[t] = 0;
      continue;
    }
    const z = zb[t];
    const a = Math.abs(z);
    const e = expNonPositive(-a);
    const yi = y[i];
    sum += s * (0.5 * (z + a) - yi * z + Math.log1p(e));
    const inv = 1 / (1 + e);
    if (curv) curv[t] = s * e * inv * inv;
    const res = s * ((z >= 0 ? inv : e * inv) - yi);
    zb[t] = res;
    gb += res;
  }
  binaryGradient(src, base, m, d, zb, grad);
  sums[0] = sum;
  sums[1] = gb;
}

/**
 * H += Σ_t c_t x̃_t x̃_tᵀ over the block's m rows x_t = src[base + t·d ..] (x̃ = [x, 1], H (d+1) × (d+1)
 * row-major, c = curv): the upper triangle summed row by row, then mirrored into the lower one for
 * the block.
 */
function binaryHessianBlock(src: Float64Array, base: number, m: number, d: number, curv: Float64Array, H: Float64Array): void {
  const N = d + 1;
  for (let t = 0, o = base; t < m; t++, o += d) {
    const c = curv[t];
    if (c === 0) continue;
    for (let a = 0; a < d; a++) {
      const ca = c * src[o + a];
      const ro = a * N;
      for (let b = a; b < d; b++) H[ro + b] += ca * src[o + b];
      H[ro + d] += ca;
    }
    H[d * N + d] += c;
  }
  for (let a = 0; a < N; a++) for (let b = a + 1; b < N; b++) H[b * N + a] = H[a * N + b];
}

/**
 * zb[t] = b + x_t · w for the m rows x_t = src[base + t·d ..]: four rows at a time (each loaded weight used
 * four times), two columns per step in separate sums (eight independent add chains). A last partial group
 * recomputes its last row.
 */
function binaryScores(src: Float64Array, base: number, m: number, d: number, b: number, w: Float64Array, zb: Float64Array): void {
  const last = m - 1;
  for (let t = 0; t < m; t += 4) {
    const t1 = t + 1 < m ? t + 1 : last;
    const t2 = t + 2 < m ? t + 2 : last;
    const t3 = t + 3 < m ? t + 3 : last;
    const o0 = base + t * d;
    const o1 = base + t1 * d;
    const o2 = base + t2 * d;
    const o3 = base + t3 * d;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    let c3 = 0;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const v = w[j];
      const u = w[j + 1];
      a0 += src[o0 + j] * v;
      c0 += src[o0 + j + 1] * u;
      a1 += src[o1 + j] * v;
      c1 += src[o1 + j + 1] * u;
      a2 += src[o2 + j] * v;
      c2 += src[o2 + j + 1] * u;
      a3 += src[o3 + j] * v;
      c3 += src[o3 + j + 1] * u;
    }
    if (j < d) {
      const v = w[j];
      a0 += src[o0 + j] * v;
      a1 += src[o1 + j] * v;
      a2 += src[o2 + j] * v;
      a3 += src[o3 + j] * v;
    }
    zb[t] = b + (a0 + c0);
    zb[t1] = b + (a1 + c1);
    zb[t2] = b + (a2 + c2);
    zb[t3] = b + (a3 + c3);
  }
}

/**
 * grad[j] += Σ_t r_t x_tj (r = zb, x_t = src[base + t·d ..]) for j < d: four columns at a time, summed over
 * the block's rows in registers. A last partial group of columns sums its last column again, adds it once.
 */
function binaryGradient(src: Float64Array, base: number, m: number, d: number, zb: Float64Array, grad: Float64Array): void {
  const last = d - 1;
  for (let j = 0; j < d; j += 4) {
    const j1 = j + 1 < d ? j + 1 : last;
    const j2 = j + 2 < d ? j + 2 : last;
    const j3 = j + 3 < d ? j + 3 : last;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let t = 0, o = base; t < m; t++, o += d) {
      const r = zb[t];
      a0 += r * src[o + j];
      a1 += r * src[o + j1];
      a2 += r * src[o + j2];
      a3 += r * src[o + j3];
    }
    grad[j] += a0;
    if (j1 !== j) grad[j1] += a1;
    if (j2 !== j1) grad[j2] += a2;
    if (j3 !== j2) grad[j3] += a3;
  }
}

/**
 * Softmax rows i = idx[t], t < m, whose features are src[base + t·d ..]: ℓ = logsumexp_k z_k - z_y;
 * ∂ℓ/∂z_k = softmax_k(z) - [y = k]. Adds Σ s_i ∇ℓ_i into grad and Σ s_i ℓ_i into sums[0]; zb (m × K) is
 * scratch. One exponential (expNonPositive) per row and class.
 */
function softmaxBlock(
  src: Float64Array, base: number, m: number, d: number, idx: Int32Array, y: Int32Array, sw: Float64Array | null,
  fitIntercept: boolean, K: number, theta: Float64Array, zb: Float64Array, grad: Float64Array, sums: Float64Array,
): void {
  softmaxScores(src, base, m, d, K, fitIntercept, theta, zb);
  let sum = sums[0];
  for (let t = 0, zo = 0; t < m; t++, zo += K) {
    const i = idx[t];
    const s = sw === null ? 1 : sw[i];
    if (s === 0) {
      for (let k = 0; k < K; k++) zb[zo + k] = 0;
      continue;
    }
    const yi = y[i];
    const zy = zb[zo + yi];
    let mx = zb[zo];
    for (let k = 1; k < K; k++) if (zb[zo + k] > mx) mx = zb[zo + k];
    let total = 0;
    for (let k = 0; k < K; k++) {
      const e = expNonPositive(zb[zo + k] - mx);
      zb[zo + k] = e;
      total += e;
    }
    const inv = s / total;
    for (let k = 0; k < K; k++) zb[zo + k] *= inv;
    zb[zo + yi] -= s;
    sum += s * (mx - zy + Math.log(total));
  }
  sums[0] = sum;
  softmaxGradient(src, base, m, d, K, zb, grad);
}

/**
 * zb[t·K + k] = b_k + x_t · w_k for the m rows x_t = src[base + t·d ..]: four rows × two classes at a time,
 * eight independent sums, each loaded weight used four times and each X value twice. A last partial group
 * of rows or classes recomputes its last row or class (and stores the same value again).
 */
function softmaxScores(
  src: Float64Array, base: number, m: number, d: number, K: number, fitIntercept: boolean, theta: Float64Array, zb: Float64Array,
): void {
  const stride = d + 1;
  const lastRow = m - 1;
  const lastClass = K - 1;
  for (let t = 0; t < m; t += 4) {
    const t1 = t + 1 < m ? t + 1 : lastRow;
    const t2 = t + 2 < m ? t + 2 : lastRow;
    const t3 = t + 3 < m ? t + 3 : lastRow;
    const o0 = base + t * d;
    const o1 = base + t1 * d;
    const o2 = base + t2 * d;
    const o3 = base + t3 * d;
    for (let k = 0; k < K; k += 2) {
      const k1 = k + 1 < K ? k + 1 : lastClass;
      const w0 = k * stride;
      const w1 = k1 * stride;
      let a00 = 0;
      let a01 = 0;
      let a10 = 0;
      let a11 = 0;
      let a20 = 0;
      let a21 = 0;
      let a30 = 0;
      let a31 = 0;
      for (let j = 0; j < d; j++) {
        const v0 = theta[w0 + j];
        const v1 = theta[w1 + j];
        const x0 = src[o0 + j];
        const x1 = src[o1 + j];
        const x2 = src[o2 + j];
        const x3 = src[o3 + j];
        a00 += x0 * v0;
        a01 += x0 * v1;
        a10 += x1 * v0;
        a11 += x1 * v1;
        a20 += x2 * v0;
        a21 += x2 * v1;
        a30 += x3 * v0;
        a31 += x3 * v1;
      }
      const b0 = fitIntercept ? theta[w0 + d] : 0;
      const b1 = fitIntercept ? theta[w1 + d] : 0;
      zb[t * K + k] = b0 + a00;
      zb[t * K + k1] = b1 + a01;
      zb[t1 * K + k] = b0 + a10;
      zb[t1 * K + k1] = b1 + a11;
      zb[t2 * K + k] = b0 + a20;
      zb[t2 * K + k1] = b1 + a21;
      zb[t3 * K + k] = b0 + a30;
      zb[t3 * K + k1] = b1 + a31;
    }
  }
}

/**
 * grad_k[j] += Σ_t r_tk x_tj and grad_k[d] += Σ_t r_tk with r = zb (m × K) and x_t = src[base + t·d ..]:
 * two classes × four columns at a time, summed over the block's rows in registers. A last partial group of
 * classes or columns sums its last one again and adds it once.
 */
function softmaxGradient(src: Float64Array, base: number, m: number, d: number, K: number, zb: Float64Array, grad: Float64Array): void {
  const stride = d + 1;
  const lastCol = d - 1;
  for (let k = 0; k < K; k += 2) {
    const k1 = k + 1 < K ? k + 1 : K - 1;
    const g0 = k * stride;
    const g1 = k1 * stride;
    const two = k1 !== k;
    for (let j = 0; j < d; j += 4) {
      const j1 = j + 1 < d ? j + 1 : lastCol;
      const j2 = j + 2 < d ? j + 2 : lastCol;
      const j3 = j + 3 < d ? j + 3 : lastCol;
      let a00 = 0;
      let a01 = 0;
      let a02 = 0;
      let a03 = 0;
      let a10 = 0;
      let a11 = 0;
      let a12 = 0;
      let a13 = 0;
      for (let t = 0, o = base, zo = 0; t < m; t++, o += d, zo += K) {
        const r0 = zb[zo + k];
        const r1 = zb[zo + k1];
        const x0 = src[o + j];
        const x1 = src[o + j1];
        const x2 = src[o + j2];
        const x3 = src[o + j3];
        a00 += r0 * x0;
        a01 += r0 * x1;
        a02 += r0 * x2;
        a03 += r0 * x3;
        a10 += r1 * x0;
        a11 += r1 * x1;
        a12 += r1 * x2;
        a13 += r1 * x3;
      }
      grad[g0 + j] += a00;
      if (j1 !== j) grad[g0 + j1] += a01;
      if (j2 !== j1) grad[g0 + j2] += a02;
      if (j3 !== j2) grad[g0 + j3] += a03;
      if (two) {
        grad[g1 + j] += a10;
        if (j1 !== j) grad[g1 + j1] += a11;
        if (j2 !== j1) grad[g1 + j2] += a12;
        if (j3 !== j2) grad[g1 + j3] += a13;
      }
    }
    let b0 = 0;
    let b1 = 0;
    for (let t = 0, zo = 0; t < m; t++, zo += K) {
      b0 += zb[zo + k];
      b1 += zb[zo + k1];
    }
    grad[g0 + d] += b0;
    if (two) grad[g1 + d] += b1;
  }
}
