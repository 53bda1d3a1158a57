/**
 * The WebAssembly SIMD kernels of the softmax loss (src/core/wasmKernels.ts), written as WebAssembly
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

export function kernelsWat() {
  return `(module
  (memory (export "memory") 1 65536)

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

/** Assembles kernelsWat() with wabt (a devDependency); resolves to the module's bytes. */
export async function kernelsWasm() {
  const wabt = await (await import('wabt')).default();
  const module = wabt.parseWat('kernels.wat', kernelsWat(), { simd: true });
  module.validate();
  const { buffer } = module.toBinary({ log: false, write_debug_names: false });
  module.destroy();
  return buffer;
}

/** The TypeScript module that carries the assembled bytes (src/core/wasm/kernels.generated.ts). */
export function generatedSource(bytes) {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g).map((l) => `  '${l}'`).join(' +\n');
  return `// Generated by scripts/wasm/build.mjs from scripts/wasm/kernels.mjs: do not edit.
/** The WebAssembly SIMD kernels (scores, gradient) of the softmax loss, ${bytes.length} bytes, base64. */
export const KERNELS_WASM_BASE64 =
${lines};
`;
}
