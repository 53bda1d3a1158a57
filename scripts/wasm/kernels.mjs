/**
 * The WebAssembly SIMD kernels of the loss (src/core/model/simdKernels.ts) and of the scaler and the
 * standardization (src/core/data/preprocessSimd.ts: preprocessKernels below), written as WebAssembly
 * text by the generator below and assembled by wabt (`node scripts/wasm/build.mjs` writes
 * src/core/wasm/kernels.generated.ts; a unit test checks that file against this generator).
 *
 * Both kernels work on one block of m rows, f64 values, byte offsets into the module's own memory:
 *
 *   scores(x, m, d, kp, wt, z)     z[t·kp + k] = wt[d·kp + k] + Σ_j x[t·d + j] · wt[j·kp + k]
 *   gradient(x, m, d, kp, r, gt)   gt[j·kp + k] += Σ_t r[t·kp + k] · x[t·d + j]   (j < d)
 *                                  gt[d·kp + k] += Σ_t r[t·kp + k]
 *
 * x is row-major m × d; wt and gt are (d + 1) × kp, the transposed weights with the intercepts as their
 * last row; z and r are m × kp; kp (the class count rounded up to even) is a multiple of 2, d ≥ 1,
 * m ≥ 1. Each sum runs in the order of its index (j, or t) from its first term, the intercept first.
 * Lanes are pairs of classes (f64x2): scores keeps 4 rows × 4 classes (8 vectors) in registers and
 * splats each x value once (v128.load64_splat); gradient keeps 4 columns × 4 classes. Class tails go by
 * pairs, row and column tails one at a time.
 */
import { assemble, base64Constant } from './assemble.mjs';


/** `count` statements, one per i. */
const each = (count, f) => Array.from({ length: count }, (_, i) => f(i)).join('\n');

/** scores for `rows` rows (4 or 1) × `vecs` vectors of two classes (2 or 1), at row t and class c. */
function scoresBody(rows, vecs) {
  const acc = (r, q) => `$a${r}_${q}`;
  return `
    ;; ${rows} row(s) x ${2 * vecs} classes
    (local.set $wp (i32.add (local.get $wt) (i32.shl (local.get $c) (i32.const 3))))
    (local.set $bp (i32.add (local.get $wp) (i32.mul (local.get $d) (local.get $ks))))
${each(rows, (r) => each(vecs, (q) => `    (local.set ${acc(r, q)} (v128.load offset=${16 * q} (local.get $bp)))`))}
    (local.set $xp (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $rs))))
    (local.set $j (local.get $d))
    (loop $dot${rows}${vecs}
${each(vecs, (q) => `      (local.set $w${q} (v128.load offset=${16 * q} (local.get $wp)))`)}
${each(rows, (r) => `      (local.set $s (v128.load64_splat (i32.add (local.get $xp) (local.get $ro${r}))))
${each(vecs, (q) => `      (local.set ${acc(r, q)} (f64x2.add (local.get ${acc(r, q)}) (f64x2.mul (local.get $s) (local.get $w${q}))))`)}`)}
      (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
      (local.set $wp (i32.add (local.get $wp) (local.get $ks)))
      (br_if $dot${rows}${vecs} (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
    (local.set $zp (i32.add (i32.add (local.get $z) (i32.mul (local.get $t) (local.get $ks))) (i32.shl (local.get $c) (i32.const 3))))
${each(rows, (r) => each(vecs, (q) => `    (v128.store offset=${16 * q} (i32.add (local.get $zp) (local.get $zo${r})) (local.get ${acc(r, q)}))`))}`;
}

/** gradient for `cols` columns (4 or 1) × `vecs` vectors of two classes, at column j and class c. */
function gradientBody(cols, vecs) {
  const acc = (p, q) => `$a${p}_${q}`;
  return `
    ;; ${cols} column(s) x ${2 * vecs} classes
${each(cols, (p) => each(vecs, (q) => `    (local.set ${acc(p, q)} (v128.const f64x2 0 0))`))}
    (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3))))
    (local.set $rp (i32.add (local.get $r) (i32.shl (local.get $c) (i32.const 3))))
    (local.set $t (local.get $m))
    (loop $sum${cols}${vecs}
${each(vecs, (q) => `      (local.set $w${q} (v128.load offset=${16 * q} (local.get $rp)))`)}
${each(cols, (p) => `      (local.set $s (v128.load64_splat offset=${8 * p} (local.get $xp)))
${each(vecs, (q) => `      (local.set ${acc(p, q)} (f64x2.add (local.get ${acc(p, q)}) (f64x2.mul (local.get $s) (local.get $w${q}))))`)}`)}
      (local.set $xp (i32.add (local.get $xp) (local.get $rs)))
      (local.set $rp (i32.add (local.get $rp) (local.get $ks)))
      (br_if $sum${cols}${vecs} (local.tee $t (i32.sub (local.get $t) (i32.const 1)))))
    (local.set $gp (i32.add (i32.add (local.get $gt) (i32.mul (local.get $j) (local.get $ks))) (i32.shl (local.get $c) (i32.const 3))))
${each(cols, (p) => each(vecs, (q) => `    (v128.store offset=${16 * q} (i32.add (local.get $gp) (local.get $go${p}))
      (f64x2.add (v128.load offset=${16 * q} (i32.add (local.get $gp) (local.get $go${p}))) (local.get ${acc(p, q)})))`))}`;
}

/** Intercept part of gradient: gt[d·kp + c ..] += Σ_t r[t·kp + c ..]. */
function biasBody(vecs) {
  return `
    ;; intercepts x ${2 * vecs} classes
${each(vecs, (q) => `    (local.set $a0_${q} (v128.const f64x2 0 0))`)}
    (local.set $rp (i32.add (local.get $r) (i32.shl (local.get $c) (i32.const 3))))
    (local.set $t (local.get $m))
    (loop $bias${vecs}
${each(vecs, (q) => `      (local.set $a0_${q} (f64x2.add (local.get $a0_${q}) (v128.load offset=${16 * q} (local.get $rp))))`)}
      (local.set $rp (i32.add (local.get $rp) (local.get $ks)))
      (br_if $bias${vecs} (local.tee $t (i32.sub (local.get $t) (i32.const 1)))))
    (local.set $gp (i32.add (i32.add (local.get $gt) (i32.mul (local.get $d) (local.get $ks))) (i32.shl (local.get $c) (i32.const 3))))
${each(vecs, (q) => `    (v128.store offset=${16 * q} (local.get $gp) (f64x2.add (v128.load offset=${16 * q} (local.get $gp)) (local.get $a0_${q})))`)}`;
}

const accLocals = each(4, (r) => each(2, (q) => `(local $a${r}_${q} v128)`).replace(/\n/g, ' ')).replace(/\n/g, ' ');

/** Class loop: quads while four classes remain, then one pair. */
function classLoop(name, quad, pair) {
  return `
    (local.set $c (i32.const 0))
    (block $${name}Done
      (loop $${name}
        (if (i32.le_u (i32.add (local.get $c) (i32.const 4)) (local.get $kp))
          (then ${quad}
            (local.set $c (i32.add (local.get $c) (i32.const 4))))
          (else ${pair}
            (local.set $c (i32.add (local.get $c) (i32.const 2)))))
        (br_if $${name} (i32.lt_u (local.get $c) (local.get $kp)))))`;
}

/**
 * The module's text. `shared`: the memory is imported (env.memory, shared, up to 4 GiB) so the kernels
 * can read a matrix that already lives in a shared WebAssembly.Memory; else the module has its own.
 */
export function kernelsWat(shared = false) {
  return `(module
  ${shared ? '(import "env" "memory" (memory 1 65536 shared))' : '(memory (export "memory") 1 65536)'}

  (func (export "scores") (param $x i32) (param $m i32) (param $d i32) (param $kp i32) (param $wt i32) (param $z i32)
    (local $t i32) (local $c i32) (local $j i32) (local $xp i32) (local $wp i32) (local $bp i32) (local $zp i32)
    (local $rs i32) (local $ks i32) (local $ro1 i32) (local $ro2 i32) (local $ro3 i32) (local $zo1 i32) (local $zo2 i32) (local $zo3 i32)
    (local $ro0 i32) (local $zo0 i32)
    (local $s v128) (local $w0 v128) (local $w1 v128) ${accLocals}
    (local.set $rs (i32.shl (local.get $d) (i32.const 3)))
    (local.set $ks (i32.shl (local.get $kp) (i32.const 3)))
    (local.set $ro1 (local.get $rs))
    (local.set $ro2 (i32.shl (local.get $rs) (i32.const 1)))
    (local.set $ro3 (i32.add (local.get $ro2) (local.get $rs)))
    (local.set $zo1 (local.get $ks))
    (local.set $zo2 (i32.shl (local.get $ks) (i32.const 1)))
    (local.set $zo3 (i32.add (local.get $zo2) (local.get $ks)))
    (local.set $t (i32.const 0))
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $t) (i32.const 4)) (local.get $m)))
        ${classLoop('cls4', scoresBody(4, 2), scoresBody(4, 1))}
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $quads)))
    (block $singlesDone
      (loop $singles
        (br_if $singlesDone (i32.ge_u (local.get $t) (local.get $m)))
        ${classLoop('cls1', scoresBody(1, 2), scoresBody(1, 1))}
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $singles))))

  (func (export "gradient") (param $x i32) (param $m i32) (param $d i32) (param $kp i32) (param $r i32) (param $gt i32)
    (local $t i32) (local $c i32) (local $j i32) (local $xp i32) (local $rp i32) (local $gp i32)
    (local $rs i32) (local $ks i32) (local $go0 i32) (local $go1 i32) (local $go2 i32) (local $go3 i32)
    (local $s v128) (local $w0 v128) (local $w1 v128) ${accLocals}
    (local.set $rs (i32.shl (local.get $d) (i32.const 3)))
    (local.set $ks (i32.shl (local.get $kp) (i32.const 3)))
    (local.set $go1 (local.get $ks))
    (local.set $go2 (i32.shl (local.get $ks) (i32.const 1)))
    (local.set $go3 (i32.add (local.get $go2) (local.get $ks)))
    ${classLoop('cls', columnLoops(2), columnLoops(1))})
${binaryKernels()}
${hessianKernel()}
${softmaxRows()}
${preprocessKernels()}
)
`;
}

/** Columns of gradient for one class chunk: fours, then ones, then the intercepts. */
function columnLoops(vecs) {
  return `
    (local.set $j (i32.const 0))
    (block $fours${vecs}Done
      (loop $fours${vecs}
        (br_if $fours${vecs}Done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $d)))
        ${gradientBody(4, vecs)}
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $fours${vecs})))
    (block $ones${vecs}Done
      (loop $ones${vecs}
        (br_if $ones${vecs}Done (i32.ge_u (local.get $j) (local.get $d)))
        ${gradientBody(1, vecs)}
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $ones${vecs})))
    ${biasBody(vecs)}`;
}

/**
 * The binary model's kernels (one output, w = [w_0..w_{d-1}, b]):
 *
 *   bscores(x, m, d, w, z)     z[t] = b + Σ_j x[t·d + j] · w[j]
 *   bgradient(x, m, d, r, g)   g[j] += Σ_t r[t] · x[t·d + j]  (j < d),  g[d] += Σ_t r[t]
 *
 * bscores: four rows at a time, lanes are pairs of columns (two partial sums per row, added at the
 * end), a last odd column in scalar; bgradient: lanes are pairs of columns, eight columns (four
 * vectors) at a time over all m rows, then pairs, then a last odd column in scalar.
 */
function binaryKernels() {
  const rowDot = (rows) => `
    ;; ${rows} row(s)
${each(rows, (r) => `    (local.set $a${r}_0 (v128.const f64x2 0 0))
    (local.set $s${r} (f64.const 0))`)}
    (local.set $xp (i32.add (local.get $x) (i32.mul (local.get $t) (local.get $rs))))
    (local.set $wp (local.get $w))
    (local.set $j (local.get $pairs))
    (if (local.get $j) (then
      (loop $bdot${rows}
        (local.set $w0 (v128.load (local.get $wp)))
${each(rows, (r) => `        (local.set $a${r}_0 (f64x2.add (local.get $a${r}_0) (f64x2.mul (v128.load (i32.add (local.get $xp) (local.get $ro${r}))) (local.get $w0))))`)}
        (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
        (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
        (br_if $bdot${rows} (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))))
    (if (local.get $odd) (then
${each(rows, (r) => `      (local.set $s${r} (f64.mul (f64.load (i32.add (local.get $xp) (local.get $ro${r}))) (f64.load (local.get $wp))))`)}))
    (local.set $zp (i32.add (local.get $z) (i32.shl (local.get $t) (i32.const 3))))
${each(rows, (r) => `    (f64.store offset=${8 * r} (local.get $zp) (f64.add (local.get $b)
      (f64.add (f64.add (f64x2.extract_lane 0 (local.get $a${r}_0)) (f64x2.extract_lane 1 (local.get $a${r}_0))) (local.get $s${r}))))`)}`;
  const colSum = (vecs) => `
    ;; ${2 * vecs} column(s)
${each(vecs, (q) => `    (local.set $a${q}_0 (v128.const f64x2 0 0))`)}
    (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3))))
    (local.set $rp (local.get $r))
    (local.set $t (local.get $m))
    (loop $bsum${vecs}
      (local.set $w0 (v128.load64_splat (local.get $rp)))
${each(vecs, (q) => `      (local.set $a${q}_0 (f64x2.add (local.get $a${q}_0) (f64x2.mul (v128.load offset=${16 * q} (local.get $xp)) (local.get $w0))))`)}
      (local.set $xp (i32.add (local.get $xp) (local.get $rs)))
      (local.set $rp (i32.add (local.get $rp) (i32.const 8)))
      (br_if $bsum${vecs} (local.tee $t (i32.sub (local.get $t) (i32.const 1)))))
    (local.set $gp (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3))))
${each(vecs, (q) => `    (v128.store offset=${16 * q} (local.get $gp) (f64x2.add (v128.load offset=${16 * q} (local.get $gp)) (local.get $a${q}_0)))`)}`;
  return `
  (func (export "bscores") (param $x i32) (param $m i32) (param $d i32) (param $w i32) (param $z i32)
    (local $t i32) (local $j i32) (local $xp i32) (local $wp i32) (local $zp i32) (local $rs i32) (local $pairs i32) (local $odd i32)
    (local $ro0 i32) (local $ro1 i32) (local $ro2 i32) (local $ro3 i32)
    (local $b f64) (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local $w0 v128) (local $a0_0 v128) (local $a1_0 v128) (local $a2_0 v128) (local $a3_0 v128)
    (local.set $rs (i32.shl (local.get $d) (i32.const 3)))
    (local.set $pairs (i32.shr_u (local.get $d) (i32.const 1)))
    (local.set $odd (i32.and (local.get $d) (i32.const 1)))
    (local.set $ro1 (local.get $rs))
    (local.set $ro2 (i32.shl (local.get $rs) (i32.const 1)))
    (local.set $ro3 (i32.add (local.get $ro2) (local.get $rs)))
    (local.set $b (f64.load (i32.add (local.get $w) (local.get $rs))))
    (local.set $t (i32.const 0))
    (block $bquadsDone
      (loop $bquads
        (br_if $bquadsDone (i32.gt_u (i32.add (local.get $t) (i32.const 4)) (local.get $m)))
        ${rowDot(4)}
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $bquads)))
    (block $bsinglesDone
      (loop $bsingles
        (br_if $bsinglesDone (i32.ge_u (local.get $t) (local.get $m)))
        ${rowDot(1)}
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $bsingles))))

  (func (export "bgradient") (param $x i32) (param $m i32) (param $d i32) (param $r i32) (param $g i32)
    (local $t i32) (local $j i32) (local $xp i32) (local $rp i32) (local $gp i32) (local $rs i32)
    (local $acc f64) (local $bias f64)
    (local $w0 v128) (local $a0_0 v128) (local $a1_0 v128) (local $a2_0 v128) (local $a3_0 v128)
    (local.set $rs (i32.shl (local.get $d) (i32.const 3)))
    (local.set $j (i32.const 0))
    (block $eightsDone
      (loop $eights
        (br_if $eightsDone (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $d)))
        ${colSum(4)}
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $eights)))
    (block $twosDone
      (loop $twos
        (br_if $twosDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $d)))
        ${colSum(1)}
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $twos)))
    ;; a last odd column, and the intercept: scalar sums over the rows
    (local.set $acc (f64.const 0))
    (local.set $bias (f64.const 0))
    (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3))))
    (local.set $rp (local.get $r))
    (local.set $t (local.get $m))
    (loop $blast
      (if (i32.lt_u (local.get $j) (local.get $d)) (then
        (local.set $acc (f64.add (local.get $acc) (f64.mul (f64.load (local.get $rp)) (f64.load (local.get $xp)))))))
      (local.set $bias (f64.add (local.get $bias) (f64.load (local.get $rp))))
      (local.set $xp (i32.add (local.get $xp) (local.get $rs)))
      (local.set $rp (i32.add (local.get $rp) (i32.const 8)))
      (br_if $blast (local.tee $t (i32.sub (local.get $t) (i32.const 1)))))
    (local.set $gp (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 3))))
    (if (i32.lt_u (local.get $j) (local.get $d)) (then
      (f64.store (local.get $gp) (f64.add (f64.load (local.get $gp)) (local.get $acc)))))
    (local.set $gp (i32.add (local.get $g) (local.get $rs)))
    (f64.store (local.get $gp) (f64.add (f64.load (local.get $gp)) (local.get $bias))))`;
}

/**
 * The binary Hessian's feature block, upper part (what newton-cholesky needs per block of rows):
 *
 *   bhessian(x, m, d, dp, c, h)   h[j·dp + k] += Σ_t c[t] · x[t·d + j] · x[t·d + k]   for k ≥ j rounded down to even
 *
 * x is row-major m × d, c holds m weights, h is d × dp (dp = d rounded up to even); entries left of
 * the diagonal within a column group may be written too, and with d odd the last pair's second lane
 * reads one value past the row (its sum lands in column d, which the caller ignores). Columns four
 * at a time (each splat of c_t · x_tj once per row), classes... that is the columns k, by pairs as
 * f64x2 lanes, four at a time (4 × 4 = 8 vectors), then a pair; a column tail one at a time. Each sum
 * runs over t in order from its first term.
 */
function hessianKernel() {
  let label = 0;
  const body = (cols, vecs) => {
    const id = label++;
    const acc = (p, q) => `$a${p}_${q}`;
    return `
    ;; ${cols} column(s) x ${2 * vecs} columns k
${each(cols, (p) => each(vecs, (q) => `    (local.set ${acc(p, q)} (v128.const f64x2 0 0))`))}
    (local.set $xp (local.get $x))
    (local.set $cp (local.get $c))
    (local.set $t (local.get $m))
    (loop $hrows${id}
      (local.set $cv (f64.load (local.get $cp)))
      (local.set $jp (i32.add (local.get $xp) (local.get $jo)))
${each(cols, (p) => `      (local.set $s${p} (f64x2.splat (f64.mul (local.get $cv) (f64.load offset=${8 * p} (local.get $jp)))))`)}
      (local.set $kq (i32.add (local.get $xp) (local.get $ko)))
${each(vecs, (q) => `      (local.set $w${q} (v128.load offset=${16 * q} (local.get $kq)))`)}
${each(cols, (p) => each(vecs, (q) => `      (local.set ${acc(p, q)} (f64x2.add (local.get ${acc(p, q)}) (f64x2.mul (local.get $s${p}) (local.get $w${q}))))`))}
      (local.set $xp (i32.add (local.get $xp) (local.get $rs)))
      (local.set $cp (i32.add (local.get $cp) (i32.const 8)))
      (br_if $hrows${id} (local.tee $t (i32.sub (local.get $t) (i32.const 1)))))
    (local.set $hp (i32.add (i32.add (local.get $h) (i32.mul (local.get $j) (local.get $hs))) (local.get $ko)))
${each(cols, (p) => each(vecs, (q) => `    (v128.store offset=${16 * q} (i32.add (local.get $hp) (local.get $ho${p}))
      (f64x2.add (v128.load offset=${16 * q} (i32.add (local.get $hp) (local.get $ho${p}))) (local.get ${acc(p, q)})))`))}`;
  };
  /** Columns k from $k0 to dp for `cols` columns at $j: fours, then a last pair. */
  const kLoop = (cols) => {
    const id = label++;
    return `
      (local.set $ko (i32.shl (local.get $k0) (i32.const 3)))
      (block $kdone${id}
        (loop $ks${id}
          (br_if $kdone${id} (i32.gt_u (i32.add (local.get $k0) (i32.const 4)) (local.get $dp)))
          ${body(cols, 2)}
          (local.set $k0 (i32.add (local.get $k0) (i32.const 4)))
          (local.set $ko (i32.shl (local.get $k0) (i32.const 3)))
          (br $ks${id})))
      (if (i32.lt_u (local.get $k0) (local.get $dp)) (then ${body(cols, 1)}))`;
  };
  return `
  (func (export "bhessian") (param $x i32) (param $m i32) (param $d i32) (param $dp i32) (param $c i32) (param $h i32)
    (local $t i32) (local $j i32) (local $k0 i32) (local $xp i32) (local $cp i32) (local $jp i32) (local $kq i32) (local $hp i32)
    (local $rs i32) (local $hs i32) (local $jo i32) (local $ko i32) (local $ho0 i32) (local $ho1 i32) (local $ho2 i32) (local $ho3 i32)
    (local $cv f64) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $w0 v128) (local $w1 v128) ${accLocals}
    (local.set $rs (i32.shl (local.get $d) (i32.const 3)))
    (local.set $hs (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $ho1 (local.get $hs))
    (local.set $ho2 (i32.shl (local.get $hs) (i32.const 1)))
    (local.set $ho3 (i32.add (local.get $ho2) (local.get $hs)))
    (local.set $j (i32.const 0))
    (block $hfoursDone
      (loop $hfours
        (br_if $hfoursDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $d)))
        (local.set $jo (i32.shl (local.get $j) (i32.const 3)))
        (local.set $k0 (local.get $j))
        ${kLoop(4)}
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $hfours)))
    (block $honesDone
      (loop $hones
        (br_if $honesDone (i32.ge_u (local.get $j) (local.get $d)))
        (local.set $jo (i32.shl (local.get $j) (i32.const 3)))
        (local.set $k0 (i32.and (local.get $j) (i32.const -2)))
        ${kLoop(1)}
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $hones))))`;
}

/** 1/k! for k = 0..13: e^r = Σ r^k/k! on |r| ≤ ln2/2, remainder below 4e-18 e^r. */
const EXP_TAYLOR = Array.from({ length: 14 }, (_, k) => {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return 1 / f;
});

/**
 * f64x2 e^x of the v128 expression `x` (x ≤ 0 or -inf; below -708 it gives 0), as statements setting $e:
 * x = k ln2 + r (Cody–Waite, |r| ≤ ln2/2), e^r by EXP_TAYLOR in Estrin's scheme (short dependency
 * chains: pairs c_2i + c_2i+1 r, then r², r⁴, r⁸), times 2^k built in the exponent bits.
 */
function expVec(x) {
  const c = (k) => `(v128.const f64x2 ${EXP_TAYLOR[k]} ${EXP_TAYLOR[k]})`;
  const madd = (a, b, m) => `(f64x2.add ${a} (f64x2.mul ${b} ${m}))`;
  const q = (i) => madd(c(2 * i), c(2 * i + 1), '(local.get $r)');
  const s0 = madd(q(0), q(1), '(local.get $r2)');
  const s1 = madd(q(2), q(3), '(local.get $r2)');
  const s2 = madd(q(4), q(5), '(local.get $r2)');
  const u0 = madd(s0, s1, '(local.get $r4)');
  const u1 = madd(s2, q(6), '(local.get $r4)');
  const poly = madd(u0, u1, '(f64x2.mul (local.get $r4) (local.get $r4))');
  return `
        (local.set $v ${x})
        (local.set $kf (f64x2.nearest (f64x2.mul (local.get $v) (v128.const f64x2 ${1 / Math.LN2} ${1 / Math.LN2}))))
        (local.set $r (f64x2.sub (f64x2.sub (local.get $v) (f64x2.mul (local.get $kf) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01)))
          (f64x2.mul (local.get $kf) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10))))
        (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
        (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
        (local.set $e (f64x2.mul ${poly}
          (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (f64x2.max (local.get $kf) (v128.const f64x2 -1022 -1022))))
            (v128.const i64x2 1023 1023)) (i32.const 52))))
        (local.set $e (v128.bitselect (v128.const f64x2 0 0) (local.get $e) (f64x2.lt (local.get $v) (v128.const f64x2 -708 -708))))`;
}

/**
 * softmax(z, m, kp, K, y, sw, hasW, out): per row t of the m × kp scores z (classes K..kp-1 are padding),
 * with label y[t] (i32) and weight s = sw[t] (f64; 1 when hasW = 0), replaces the row by the residuals
 * s (softmax(z_t) - e_{y_t}) (0 in the padding and for s = 0) and writes out[2t] = s (max_k z_tk - z_{t,y_t}),
 * out[2t+1] = Σ_k e^{z_tk - max} (1 for s = 0): the row's loss is out[2t] + s log out[2t+1] (the logarithm
 * stays with the caller). The exponentials run two classes at a time (expVec).
 * In three passes over the block's rows: each row's maximum (kept in out[2t+1] meanwhile) and out[2t];
 * its exponentials and their sum (out[2t+1]); its residuals. A row alone is a chain of dependent steps
 * (maximum, exponentials, their sum, a division); in a pass the rows are independent work the processor
 * overlaps (about 1.2-2x faster than row by row). Each row's values come from the same operations in the
 * same order as row by row, so the same bits.
 */
function softmaxRows() {
  /** `body` for each row t of the block, with $zp its scores and $o its two out values. */
  const rows = (name, body) => `
    (local.set $t (i32.const 0))
    (local.set $zp (local.get $z))
    (local.set $o (local.get $out))
    (loop $${name}
      (local.set $end (i32.add (local.get $zp) (local.get $ks)))${body}
      (local.set $zp (local.get $end))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br_if $${name} (i32.lt_u (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $m))))`;
  const weight = `(local.set $s (if (result f64) (local.get $hasW)
        (then (f64.load (i32.add (local.get $sw) (i32.shl (local.get $t) (i32.const 3)))))
        (else (f64.const 1))))`;
  const label = '(local.set $yi (i32.load (i32.add (local.get $y) (i32.shl (local.get $t) (i32.const 2)))))';
  return `
  (func (export "softmax") (param $z i32) (param $m i32) (param $kp i32) (param $K i32) (param $y i32) (param $sw i32) (param $hasW i32) (param $out i32)
    (local $t i32) (local $zp i32) (local $p i32) (local $o i32) (local $end i32) (local $ks i32) (local $yi i32)
    (local $s f64) (local $mx f64)
    (local $v v128) (local $kf v128) (local $r v128) (local $r2 v128) (local $r4 v128) (local $e v128) (local $acc v128) (local $splat v128)
    (local.set $ks (i32.shl (local.get $kp) (i32.const 3)))
    ;; each row's maximum (in out[2t+1] until the next pass) and out[2t] = s (max - z_y) (0 for s = 0)
    ${rows('maxima', `
      ${weight}
      ${label}
      (if (i32.ne (local.get $K) (local.get $kp)) (then
        (f64.store (i32.add (local.get $zp) (i32.shl (local.get $K) (i32.const 3))) (f64.const -inf))))
      (local.set $acc (v128.load (local.get $zp)))
      (local.set $p (i32.add (local.get $zp) (i32.const 16)))
      (block $maxDone
        (loop $max
          (br_if $maxDone (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $acc (f64x2.max (local.get $acc) (v128.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $max)))
      (local.set $mx (f64.max (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
      (f64.store offset=8 (local.get $o) (local.get $mx))
      (f64.store (local.get $o) (if (result f64) (f64.eq (local.get $s) (f64.const 0))
        (then (f64.const 0))
        (else (f64.mul (local.get $s) (f64.sub (local.get $mx)
          (f64.load (i32.add (local.get $zp) (i32.shl (local.get $yi) (i32.const 3)))))))))`)}
    ;; e^{z - max} in place, and their sum in out[2t+1]
    ${rows('exponentials', `
      (local.set $splat (f64x2.splat (f64.load offset=8 (local.get $o))))
      (local.set $acc (v128.const f64x2 0 0))
      (local.set $p (local.get $zp))
      (loop $exps
        ${expVec('(f64x2.sub (v128.load (local.get $p)) (local.get $splat))')}
        (v128.store (local.get $p) (local.get $e))
        (local.set $acc (f64x2.add (local.get $acc) (local.get $e)))
        (br_if $exps (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
      (f64.store offset=8 (local.get $o) (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))`)}
    ;; the residuals s (p - e_y); a row of weight 0: zeros, and its sum 1
    ${rows('residuals', `
      ${weight}
      (if (f64.eq (local.get $s) (f64.const 0))
        (then
          (local.set $p (local.get $zp))
          (loop $zeros
            (v128.store (local.get $p) (v128.const f64x2 0 0))
            (br_if $zeros (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
          (f64.store offset=8 (local.get $o) (f64.const 1)))
        (else
          ${label}
          (local.set $splat (f64x2.splat (f64.div (local.get $s) (f64.load offset=8 (local.get $o)))))
          (local.set $p (local.get $zp))
          (loop $scale
            (v128.store (local.get $p) (f64x2.mul (v128.load (local.get $p)) (local.get $splat)))
            (br_if $scale (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))
          (local.set $p (i32.add (local.get $zp) (i32.shl (local.get $yi) (i32.const 3))))
          (f64.store (local.get $p) (f64.sub (f64.load (local.get $p)) (local.get $s)))))`)})`;
}

/**
 * The scaler's and the standardization's kernels (src/core/data/preprocessSimd.ts), over rows given by
 * their indices (rows: m i32 row indices; row r starts at x + r·8d):
 *
 *   colsums(x, rows, m, d, sum)                  sum[j] += Σ_t x_tj; returns 0 when a group's block sum is NaN, else 1
 *   colsquares(x, rows, m, d, center, sum, sq)   sum[j] += Σ_t (x_tj - c_j),  sq[j] += Σ_t (x_tj - c_j)²
 *   scale(x, rows, m, d, prm, dst)               dst row t = (impute(x_t) - mean) / scale, checked
 *
 * colsums and colsquares run as preprocess.ts blockedColumnSums, bit for bit: blocks of 64 rows (m a
 * multiple of 64 but in the last call), in each block every group of four columns summed from 0 in row
 * order (two f64x2 vectors, a lane per column), the block's sums then added to the totals; colsums
 * tests ((a0 + a1) + a2) + a3 of each group and block for NaN. A last group of fewer than four columns
 * repeats its first column in the missing places (as blockedColumnSums does), in scalar.
 * scale: prm holds imputeMean, mean and scale (d values each) and the largest magnitude accepted; NaN
 * takes the imputation mean, then (v - mean) / scale, two columns at a time (a last odd column in
 * scalar); a value beyond ±max (or NaN) stops the kernel before it is stored: returns t·d + j of the
 * pair (or last column) where it lies, else -1. Row t goes to dst + t·8d.
 */
function preprocessKernels() {
  const rowAddr = '(i32.add (local.get $x) (i32.mul (i32.load (local.get $rp)) (local.get $rs)))';
  const blockLoop = (name, vecBody, tailBody) => `
    (local.set $r0 (i32.const 0))
    (block $${name}Done
      (loop $${name}Blocks
        (br_if $${name}Done (i32.ge_u (local.get $r0) (local.get $m)))
        (local.set $bm (i32.sub (local.get $m) (local.get $r0)))
        (if (i32.gt_u (local.get $bm) (i32.const 64)) (then (local.set $bm (i32.const 64))))
        (local.set $j (i32.const 0))
        (block $${name}GroupsDone
          (loop $${name}Groups
            (br_if $${name}GroupsDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $d)))
            (local.set $jo (i32.shl (local.get $j) (i32.const 3)))
            ${vecBody}
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $${name}Groups)))
        (if (i32.lt_u (local.get $j) (local.get $d)) (then
          ;; the last group: columns j, then j+1, j+2, j+3 where they exist, else j again
          (local.set $jo (i32.shl (local.get $j) (i32.const 3)))
          (local.set $o1 (select (i32.add (local.get $jo) (i32.const 8)) (local.get $jo) (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $d))))
          (local.set $o2 (select (i32.add (local.get $jo) (i32.const 16)) (local.get $jo) (i32.lt_u (i32.add (local.get $j) (i32.const 2)) (local.get $d))))
          (local.set $o3 (select (i32.add (local.get $jo) (i32.const 24)) (local.get $jo) (i32.lt_u (i32.add (local.get $j) (i32.const 3)) (local.get $d))))
          ${tailBody}))
        (local.set $r0 (i32.add (local.get $r0) (i32.const 64)))
        (br $${name}Blocks)))`;
  const rowLoop = (label, body) => `
            (local.set $rp (i32.add (local.get $rows) (i32.shl (local.get $r0) (i32.const 2))))
            (local.set $t (local.get $bm))
            (loop $${label}
              (local.set $xp ${rowAddr})
${body}
              (local.set $rp (i32.add (local.get $rp) (i32.const 4)))
              (br_if $${label} (local.tee $t (i32.sub (local.get $t) (i32.const 1)))))`;
  const addTo = (ptr, off, v) => `(v128.store offset=${off} (i32.add (local.get ${ptr}) (local.get $jo)) (f64x2.add (v128.load offset=${off} (i32.add (local.get ${ptr}) (local.get $jo))) ${v}))`;
  const addScalar = (ptr, o, v) => `(f64.store (i32.add (local.get ${ptr}) ${o}) (f64.add (f64.load (i32.add (local.get ${ptr}) ${o})) ${v}))`;
  const tailStores = (ptr, acc) => `
          ${addScalar(ptr, '(local.get $jo)', `(local.get ${acc}0)`)}
          (if (i32.ne (local.get $o1) (local.get $jo)) (then ${addScalar(ptr, '(local.get $o1)', `(local.get ${acc}1)`)}))
          (if (i32.ne (local.get $o2) (local.get $jo)) (then ${addScalar(ptr, '(local.get $o2)', `(local.get ${acc}2)`)}))
          (if (i32.ne (local.get $o3) (local.get $jo)) (then ${addScalar(ptr, '(local.get $o3)', `(local.get ${acc}3)`)}))`;
  const tailLoad = (k) => `(f64.load (i32.add (local.get $xp) ${k === 0 ? '(local.get $jo)' : `(local.get $o${k})`}))`;
  const nanTest = (a0, a1, a2, a3) => `(local.set $total (f64.add (f64.add (f64.add ${a0} ${a1}) ${a2}) ${a3}))
            (if (f64.ne (local.get $total) (local.get $total)) (then (return (i32.const 0))))`;
  const locals = `(local $r0 i32) (local $bm i32) (local $t i32) (local $j i32) (local $jo i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $rp i32) (local $xp i32) (local $rs i32) (local $total f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $q0 f64) (local $q1 f64) (local $q2 f64) (local $q3 f64)
    (local $e0 f64) (local $e1 f64) (local $e2 f64) (local $e3 f64)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $c0 v128) (local $c1 v128) (local $v0 v128) (local $v1 v128)`;
  const sumsVec = `
            (local.set $a0 (v128.const f64x2 0 0))
            (local.set $a1 (v128.const f64x2 0 0))
${rowLoop('sumRows', `              (local.set $a0 (f64x2.add (local.get $a0) (v128.load (i32.add (local.get $xp) (local.get $jo)))))
              (local.set $a1 (f64x2.add (local.get $a1) (v128.load offset=16 (i32.add (local.get $xp) (local.get $jo)))))`)}
            ${nanTest('(f64x2.extract_lane 0 (local.get $a0))', '(f64x2.extract_lane 1 (local.get $a0))', '(f64x2.extract_lane 0 (local.get $a1))', '(f64x2.extract_lane 1 (local.get $a1))')}
            ${addTo('$sum', 0, '(local.get $a0)')}
            ${addTo('$sum', 16, '(local.get $a1)')}`;
  const sumsTail = `
          ${each(4, (k) => `(local.set $s${k} (f64.const 0))`)}
${rowLoop('sumTail', each(4, (k) => `              (local.set $s${k} (f64.add (local.get $s${k}) ${tailLoad(k)}))`))}
          ${nanTest('(local.get $s0)', '(local.get $s1)', '(local.get $s2)', '(local.get $s3)')}
          ${tailStores('$sum', '$s')}`;
  const squaresVec = `
            (local.set $a0 (v128.const f64x2 0 0))
            (local.set $a1 (v128.const f64x2 0 0))
            (local.set $b0 (v128.const f64x2 0 0))
            (local.set $b1 (v128.const f64x2 0 0))
            (local.set $c0 (v128.load (i32.add (local.get $center) (local.get $jo))))
            (local.set $c1 (v128.load offset=16 (i32.add (local.get $center) (local.get $jo))))
${rowLoop('squareRows', `              (local.set $v0 (f64x2.sub (v128.load (i32.add (local.get $xp) (local.get $jo))) (local.get $c0)))
              (local.set $v1 (f64x2.sub (v128.load offset=16 (i32.add (local.get $xp) (local.get $jo))) (local.get $c1)))
              (local.set $a0 (f64x2.add (local.get $a0) (local.get $v0)))
              (local.set $a1 (f64x2.add (local.get $a1) (local.get $v1)))
              (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $v0) (local.get $v0))))
              (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $v1) (local.get $v1))))`)}
            ${addTo('$sq', 0, '(local.get $b0)')}
            ${addTo('$sq', 16, '(local.get $b1)')}
            ${addTo('$sum', 0, '(local.get $a0)')}
            ${addTo('$sum', 16, '(local.get $a1)')}`;
  const centerOf = (k) => `(f64.load (i32.add (local.get $center) ${k === 0 ? '(local.get $jo)' : `(local.get $o${k})`}))`;
  const squaresTail = `
          ${each(4, (k) => `(local.set $s${k} (f64.const 0)) (local.set $q${k} (f64.const 0)) (local.set $e${k} ${centerOf(k)})`)}
${rowLoop('squareTail', each(4, (k) => `              (local.set $total (f64.sub ${tailLoad(k)} (local.get $e${k})))
              (local.set $s${k} (f64.add (local.get $s${k}) (local.get $total)))
              (local.set $q${k} (f64.add (local.get $q${k}) (f64.mul (local.get $total) (local.get $total))))`))}
          ${tailStores('$sq', '$q')}
          ${tailStores('$sum', '$s')}`;
  return `
  (func (export "colsums") (param $x i32) (param $rows i32) (param $m i32) (param $d i32) (param $sum i32) (result i32)
    ${locals}
    (local.set $rs (i32.shl (local.get $d) (i32.const 3)))
    ${blockLoop('sums', sumsVec, sumsTail)}
    (i32.const 1))

  (func (export "colsquares") (param $x i32) (param $rows i32) (param $m i32) (param $d i32) (param $center i32) (param $sum i32) (param $sq i32)
    ${locals}
    (local.set $rs (i32.shl (local.get $d) (i32.const 3)))
    ${blockLoop('squares', squaresVec, squaresTail)})

${scaleKernel(rowAddr)}`;
}

/** The `scale` kernel of preprocessKernels (see there); `rowAddr` is the address of row rows[t]. */
function scaleKernel(rowAddr) {
  return `
  (func (export "scale") (param $x i32) (param $rows i32) (param $m i32) (param $d i32) (param $prm i32) (param $dst i32) (result i32)
    (local $t i32) (local $j i32) (local $jo i32) (local $rs i32) (local $rp i32) (local $xp i32) (local $op i32)
    (local $imp i32) (local $mean i32) (local $scl i32) (local $limit f64) (local $v f64)
    (local $v2 v128) (local $hi v128) (local $lo v128)
    (local.set $rs (i32.shl (local.get $d) (i32.const 3)))
    (local.set $imp (local.get $prm))
    (local.set $mean (i32.add (local.get $prm) (local.get $rs)))
    (local.set $scl (i32.add (local.get $mean) (local.get $rs)))
    (local.set $limit (f64.load (i32.add (local.get $scl) (local.get $rs))))
    (local.set $hi (f64x2.splat (local.get $limit)))
    (local.set $lo (f64x2.neg (local.get $hi)))
    (local.set $rp (local.get $rows))
    (local.set $op (local.get $dst))
    (local.set $t (i32.const 0))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $t) (local.get $m)))
        (local.set $xp ${rowAddr})
        (local.set $j (i32.const 0))
        (local.set $jo (i32.const 0))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $d)))
            (local.set $v2 (v128.load (i32.add (local.get $xp) (local.get $jo))))
            (local.set $v2 (v128.bitselect (v128.load (i32.add (local.get $imp) (local.get $jo))) (local.get $v2) (f64x2.ne (local.get $v2) (local.get $v2))))
            (local.set $v2 (f64x2.div (f64x2.sub (local.get $v2) (v128.load (i32.add (local.get $mean) (local.get $jo)))) (v128.load (i32.add (local.get $scl) (local.get $jo)))))
            (if (i32.eqz (i64x2.all_true (v128.and (f64x2.le (local.get $v2) (local.get $hi)) (f64x2.ge (local.get $v2) (local.get $lo)))))
              (then (return (i32.add (i32.mul (local.get $t) (local.get $d)) (local.get $j)))))
            (v128.store (i32.add (local.get $op) (local.get $jo)) (local.get $v2))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (local.set $jo (i32.add (local.get $jo) (i32.const 16)))
            (br $pairs)))
        (if (i32.lt_u (local.get $j) (local.get $d)) (then
          (local.set $v (f64.load (i32.add (local.get $xp) (local.get $jo))))
          (if (f64.ne (local.get $v) (local.get $v)) (then (local.set $v (f64.load (i32.add (local.get $imp) (local.get $jo))))))
          (local.set $v (f64.div (f64.sub (local.get $v) (f64.load (i32.add (local.get $mean) (local.get $jo)))) (f64.load (i32.add (local.get $scl) (local.get $jo)))))
          (if (i32.eqz (i32.and (f64.le (local.get $v) (local.get $limit)) (f64.ge (local.get $v) (f64.neg (local.get $limit)))))
            (then (return (i32.add (i32.mul (local.get $t) (local.get $d)) (local.get $j)))))
          (f64.store (i32.add (local.get $op) (local.get $jo)) (local.get $v))))
        (local.set $rp (i32.add (local.get $rp) (i32.const 4)))
        (local.set $op (i32.add (local.get $op) (local.get $rs)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $rowLoop)))
    (i32.const -1))`;
}

/** Assembles kernelsWat(shared) with wabt (a devDependency); resolves to the module's bytes. */
export async function kernelsWasm(shared = false) {
  // wabt.js's validator refuses shared memories even with threads on: V8 validates that variant.
  return assemble('kernels.wat', kernelsWat(shared), { simd: true, threads: true }, { validate: !shared });
}

/** The TypeScript module that carries both assembled modules (src/core/wasm/kernels.generated.ts). */
export function generatedSource(own, shared) {
  return `// Generated by scripts/wasm/build.mjs from scripts/wasm/kernels.mjs: do not edit.
/** The WebAssembly SIMD kernels of the loss with a memory of their own, ${own.length} bytes, base64. */
export const KERNELS_WASM_BASE64 =
${base64Constant(own)};
/** The same kernels over an imported shared memory (env.memory), ${shared.length} bytes, base64. */
export const KERNELS_SHARED_WASM_BASE64 =
${base64Constant(shared)};
`;
}
