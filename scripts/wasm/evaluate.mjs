/**
 * The WebAssembly kernels of a binary evaluation's pass (src/core/evaluate/binaryPass.ts passRows,
 * passKernel below, with Math.exp and Math.log imported) and class sorts (sortedScores.ts
 * linearBucketSort's passes), written as WebAssembly text below and assembled by wabt
 * (`node scripts/wasm/build.mjs` writes src/core/wasm/evaluate.generated.ts; a unit test checks that
 * file against this generator). Scalar f64, the same operations in the same order as the JavaScript:
 *
 *   minmax(a, n, r)                    r[0] = min, r[1] = max of a[0..n) as `v < r[0]`, `v > r[1]`
 *   count(a, n, lo, scale, top, s)     s[b + 1]++ for b = min(top, floor((a[i] - lo) · scale))
 *   prefix(s, buckets)                 s[b + 1] += s[b]
 *   scatter(a, n, lo, scale, top, s, out)  out[s[b]++] = a[i] (s[b] then ends bucket b)
 *   buckets(out, s, b0, b1, long) -> k  insertion-sorts each bucket b in [b0, b1) of at most 48 keys
 *                                      (Float64Array.prototype.sort's order: -0 before +0); the k
 *                                      longer ones' [from, to) pairs go to long (i32) for a native sort
 *
 * Byte offsets into the module's own memory; each pass takes a range, so the caller runs a long pass
 * in chunks: V8 compiles a function with Liftoff first and has no on-stack replacement for WebAssembly,
 * so only the calls after its tier-up run TurboFan's code.
 */
import { assemble, base64Constant } from './assemble.mjs';

/** Key v's bucket: min(top, floor((v - lo) · scale)) (inlined: V8 does not inline WebAssembly calls here). */
const bucket = (v) => `(i32.trunc_f64_s (f64.min (local.get $top) (f64.floor (f64.mul (f64.sub ${v} (local.get $lo)) (local.get $scale)))))`;

/** x before y in Float64Array.prototype.sort's order (no NaN): x < y, or x = -0 and y = +0. */
const before = (x, y) => `(i32.or (f64.lt ${x} ${y})
        (i32.and (i32.and (f64.eq ${x} (f64.const 0)) (f64.eq ${y} (f64.const 0)))
          (i64.lt_s (i64.reinterpret_f64 ${x}) (i64.reinterpret_f64 ${y}))))`;

/**
 * binaryPass.ts passRows on c rows staged at z (f64) and y (i32 labels), Math.exp and Math.log imported
 * (the same functions, so the same bits). State at st: i32 a, b (the next front and back places of the
 * scores at keys), i32 tn, fp, fn, tp, f64 the Brier and log-loss sums; the reliability bins' count,
 * sumP and sumY (nb f64 each) at bins, their edges (nb + 1) at edges. p1: where each row's σ(z) goes
 * (0: not kept). 0 when a label is not 0/1 or a decision value is NaN (the caller then reports
 * through the general path), else 1.
 */
function passKernel() {
  const f = (name) => `(local.get $${name})`;
  const bin = (k) => `(i32.add ${f('bins')} (i32.shl ${k} (i32.const 3)))`;
  return `
  (func (export "pass") (param $z i32) (param $y i32) (param $p1 i32) (param $c i32) (param $keys i32) (param $st i32)
      (param $bins i32) (param $edges i32) (param $nb i32) (param $thr f64) (param $hasThr i32) (param $eps f64) (param $oneEps f64) (result i32)
    (local $end i32) (local $a i32) (local $b i32) (local $yi i32) (local $zi f64) (local $e f64) (local $small f64) (local $large f64)
    (local $q1 f64) (local $q0 f64) (local $c0 f64) (local $c1 f64) (local $d f64) (local $brier f64) (local $ll f64) (local $k i32) (local $p i32)
    (local $nbf f64) (local $topf f64) (local $top i32) (local $ok i32)
    (local.set $a (i32.load ${f('st')}))
    (local.set $b (i32.load offset=4 ${f('st')}))
    (local.set $brier (f64.load offset=24 ${f('st')}))
    (local.set $ll (f64.load offset=32 ${f('st')}))
    (local.set $top (i32.sub ${f('nb')} (i32.const 1)))
    (local.set $nbf (f64.convert_i32_s ${f('nb')}))
    (local.set $topf (f64.convert_i32_s ${f('top')}))
    (local.set $end (i32.add ${f('y')} (i32.shl ${f('c')} (i32.const 2))))
    (local.set $ok (i32.const 1))
    (block $done (loop $row
      (br_if $done (i32.ge_u ${f('y')} ${f('end')}))
      (local.set $yi (i32.load ${f('y')}))
      (local.set $zi (f64.load ${f('z')}))
      (if (i32.or (i32.gt_u ${f('yi')} (i32.const 1)) (f64.ne ${f('zi')} ${f('zi')})) (then (local.set $ok (i32.const 0)) (br $done)))
      (local.set $e (call $exp (f64.neg (f64.abs ${f('zi')}))))
      (local.set $small (f64.div ${f('e')} (f64.add (f64.const 1) ${f('e')})))
      (local.set $large (f64.div (f64.const 1) (f64.add (f64.const 1) ${f('e')})))
      (local.set $q1 (select ${f('large')} ${f('small')} (f64.ge ${f('zi')} (f64.const 0))))
      (local.set $q0 (select ${f('small')} ${f('large')} (f64.ge ${f('zi')} (f64.const 0))))
      (if ${f('p1')} (then
        (f64.store ${f('p1')} ${f('q1')})
        (local.set $p1 (i32.add ${f('p1')} (i32.const 8)))))
      (if ${f('yi')}
        (then
          (f64.store (i32.add ${f('keys')} (i32.shl ${f('a')} (i32.const 3))) ${f('q1')})
          (local.set $a (i32.add ${f('a')} (i32.const 1))))
        (else
          (f64.store (i32.add ${f('keys')} (i32.shl ${f('b')} (i32.const 3))) ${f('q1')})
          (local.set $b (i32.sub ${f('b')} (i32.const 1)))))
      ;; tn, fp, fn, tp at 2·label + predicted
      (local.set $p (i32.add ${f('st')} (i32.shl (i32.add (i32.shl ${f('yi')} (i32.const 1))
        (if (result i32) ${f('hasThr')} (then (f64.ge ${f('q1')} ${f('thr')})) (else (f64.gt ${f('q1')} ${f('q0')})))) (i32.const 2))))
      (i32.store offset=8 ${f('p')} (i32.add (i32.load offset=8 ${f('p')}) (i32.const 1)))
      (local.set $d (f64.sub ${f('q1')} (f64.convert_i32_s ${f('yi')})))
      (local.set $brier (f64.add ${f('brier')} (f64.mul ${f('d')} ${f('d')})))
      (local.set $c0 (f64.min ${f('oneEps')} (f64.max ${f('eps')} ${f('q0')})))
      (local.set $c1 (f64.min ${f('oneEps')} (f64.max ${f('eps')} ${f('q1')})))
      (local.set $ll (f64.add ${f('ll')} (f64.neg (call $log (f64.div (select ${f('c1')} ${f('c0')} ${f('yi')}) (f64.add ${f('c0')} ${f('c1')}))))))
      ;; calibration.ts reliabilityBin
      (local.set $k (i32.trunc_f64_s (f64.min ${f('topf')} (f64.floor (f64.mul ${f('q1')} ${f('nbf')})))))
      (block $down (loop $lower
        (br_if $down (i32.le_s ${f('k')} (i32.const 0)))
        (br_if $down (i32.eqz (f64.ge (f64.load (i32.add ${f('edges')} (i32.shl ${f('k')} (i32.const 3)))) ${f('q1')})))
        (local.set $k (i32.sub ${f('k')} (i32.const 1)))
        (br $lower)))
      (block $up (loop $higher
        (br_if $up (i32.ge_s ${f('k')} ${f('top')}))
        (br_if $up (i32.eqz (f64.lt (f64.load offset=8 (i32.add ${f('edges')} (i32.shl ${f('k')} (i32.const 3)))) ${f('q1')})))
        (local.set $k (i32.add ${f('k')} (i32.const 1)))
        (br $higher)))
      (local.set $p ${bin(f('k'))})
      (f64.store ${f('p')} (f64.add (f64.load ${f('p')}) (f64.const 1)))
      (local.set $p (i32.add ${f('p')} (i32.shl ${f('nb')} (i32.const 3))))
      (f64.store ${f('p')} (f64.add (f64.load ${f('p')}) ${f('q1')}))
      (local.set $p (i32.add ${f('p')} (i32.shl ${f('nb')} (i32.const 3))))
      (f64.store ${f('p')} (f64.add (f64.load ${f('p')}) (f64.convert_i32_s ${f('yi')})))
      (local.set $y (i32.add ${f('y')} (i32.const 4)))
      (local.set $z (i32.add ${f('z')} (i32.const 8)))
      (br $row)))
    (i32.store ${f('st')} ${f('a')})
    (i32.store offset=4 ${f('st')} ${f('b')})
    (f64.store offset=24 ${f('st')} ${f('brier')})
    (f64.store offset=32 ${f('st')} ${f('ll')})
    ${f('ok')})`;
}

/**
 * drawnSweep.ts sweepShape and sweepAreas, resumable (their state at st, so the caller runs them in
 * calls of at most `limit` thresholds):
 *   shape(pos, neg, tp, fp, st, limit) -> 1 when merged   st: i32 a, b, m (a = P - 1, b = N - 1, m = 0 first)
 *   areas(tp, fp, i, to, m, P, N, corner, st)             st: f64 AP, AREA, PX, PY, PREV_RECALL at 16..56,
 *                                                        i32 cumulative tp, fp and the next corner at 56..68
 */
function sweepKernels() {
  const f = (name) => `(local.get $${name})`;
  const at = (base, i, shift) => `(i32.add ${f(base)} (i32.shl ${i} (i32.const ${shift})))`;
  // One class's scores equal to the threshold $t, from its index $i down: each taken lowers $i and counts in $count.
  const takeTies = (b, arr, i, count) => `      (block $${b} (loop $${b}s
        (br_if $${b} (i32.lt_s ${f(i)} (i32.const 0)))
        (br_if $${b} (f64.ne (f64.load ${at(arr, f(i), 3)}) ${f('t')}))
        (local.set $${i} (i32.sub ${f(i)} (i32.const 1)))
        (local.set $${count} (i32.add ${f(count)} (i32.const 1)))
        (br $${b}s)))`;
  return `
  (func (export "shape") (param $pos i32) (param $neg i32) (param $tp i32) (param $fp i32) (param $st i32) (param $limit i32) (result i32)
    (local $a i32) (local $b i32) (local $m i32) (local $end i32) (local $t f64) (local $dTp i32) (local $dFp i32)
    (local.set $a (i32.load ${f('st')}))
    (local.set $b (i32.load offset=4 ${f('st')}))
    (local.set $m (i32.load offset=8 ${f('st')}))
    (local.set $end (i32.add ${f('m')} ${f('limit')}))
    (block $done (loop $next
      (br_if $done (i32.lt_s (i32.and ${f('a')} ${f('b')}) (i32.const 0)))
      (br_if $done (i32.ge_s ${f('m')} ${f('end')}))
      (local.set $t
        (if (result f64) (i32.lt_s ${f('b')} (i32.const 0))
          (then (f64.load ${at('pos', f('a'), 3)}))
          (else (if (result f64) (i32.lt_s ${f('a')} (i32.const 0))
            (then (f64.load ${at('neg', f('b'), 3)}))
            (else (if (result f64) (f64.ge (f64.load ${at('pos', f('a'), 3)}) (f64.load ${at('neg', f('b'), 3)}))
              (then (f64.load ${at('pos', f('a'), 3)}))
              (else (f64.load ${at('neg', f('b'), 3)}))))))))
      (local.set $dTp (i32.const 0))
      (local.set $dFp (i32.const 0))
${takeTies('p', 'pos', 'a', 'dTp')}
${takeTies('n', 'neg', 'b', 'dFp')}
      (i32.store ${at('tp', f('m'), 2)} ${f('dTp')})
      (i32.store ${at('fp', f('m'), 2)} ${f('dFp')})
      (local.set $m (i32.add ${f('m')} (i32.const 1)))
      (br $next)))
    (i32.store ${f('st')} ${f('a')})
    (i32.store offset=4 ${f('st')} ${f('b')})
    (i32.store offset=8 ${f('st')} ${f('m')})
    (i32.lt_s (i32.and ${f('a')} ${f('b')}) (i32.const 0)))
  (func (export "areas") (param $tps i32) (param $fps i32) (param $i i32) (param $to i32) (param $m i32) (param $P f64) (param $N f64) (param $corners i32) (param $st i32)
    (local $ap f64) (local $area f64) (local $px f64) (local $py f64) (local $prev f64) (local $tp i32) (local $fp i32) (local $corner i32)
    (local $dTp i32) (local $dFp i32) (local $x f64) (local $y f64) (local $recall f64)
    (local.set $ap (f64.load offset=16 ${f('st')}))
    (local.set $area (f64.load offset=24 ${f('st')}))
    (local.set $px (f64.load offset=32 ${f('st')}))
    (local.set $py (f64.load offset=40 ${f('st')}))
    (local.set $prev (f64.load offset=48 ${f('st')}))
    (local.set $tp (i32.load offset=56 ${f('st')}))
    (local.set $fp (i32.load offset=60 ${f('st')}))
    (local.set $corner (i32.load offset=64 ${f('st')}))
    (block $done (loop $next
      (br_if $done (i32.ge_s ${f('i')} ${f('to')}))
      (local.set $dTp (i32.load ${at('tps', f('i'), 2)}))
      (local.set $dFp (i32.load ${at('fps', f('i'), 2)}))
      (local.set $tp (i32.add ${f('tp')} ${f('dTp')}))
      (local.set $fp (i32.add ${f('fp')} ${f('dFp')}))
      (if (if (result i32) (i32.or (i32.eqz ${f('i')}) (i32.eq ${f('i')} (i32.sub ${f('m')} (i32.const 1))))
            (then (i32.const 1))
            (else (i32.or (i32.ne (i32.load offset=4 ${at('tps', f('i'), 2)}) ${f('dTp')}) (i32.ne (i32.load offset=4 ${at('fps', f('i'), 2)}) ${f('dFp')}))))
        (then
          (local.set $x (f64.div (f64.convert_i32_s ${f('fp')}) ${f('N')}))
          (local.set $y (f64.div (f64.convert_i32_s ${f('tp')}) ${f('P')}))
          (local.set $area (f64.add ${f('area')} (f64.div (f64.mul (f64.sub ${f('x')} ${f('px')}) (f64.add ${f('y')} ${f('py')})) (f64.const 2))))
          (local.set $px ${f('x')})
          (local.set $py ${f('y')})
          (i32.store ${f('corners')} ${f('corner')})
          (i32.store ${at('corners', f('corner'), 2)} ${f('i')})
          (local.set $corner (i32.add ${f('corner')} (i32.const 1)))))
      (local.set $recall (f64.div (f64.convert_i32_s ${f('tp')}) ${f('P')}))
      (local.set $ap (f64.add ${f('ap')} (f64.mul (f64.sub ${f('recall')} ${f('prev')})
        (f64.div (f64.convert_i32_s ${f('tp')}) (f64.convert_i32_s (i32.add ${f('tp')} ${f('fp')}))))))
      (local.set $prev ${f('recall')})
      (i32.store ${at('tps', f('i'), 2)} ${f('tp')})
      (i32.store ${at('fps', f('i'), 2)} ${f('fp')})
      (local.set $i (i32.add ${f('i')} (i32.const 1)))
      (br $next)))
    (f64.store offset=16 ${f('st')} ${f('ap')})
    (f64.store offset=24 ${f('st')} ${f('area')})
    (f64.store offset=32 ${f('st')} ${f('px')})
    (f64.store offset=40 ${f('st')} ${f('py')})
    (f64.store offset=48 ${f('st')} ${f('prev')})
    (i32.store offset=56 ${f('st')} ${f('tp')})
    (i32.store offset=60 ${f('st')} ${f('fp')})
    (i32.store offset=64 ${f('st')} ${f('corner')}))`;
}

export function evaluateWat() {
  return `(module
  (import "math" "exp" (func $exp (param f64) (result f64)))
  (import "math" "log" (func $log (param f64) (result f64)))
  (memory (export "memory") 1 65536)
${passKernel()}
${sweepKernels()}
  (func (export "minmax") (param $a i32) (param $n i32) (param $r i32)
    (local $end i32) (local $v f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $v (f64.load (local.get $a)))
      (if (f64.lt (local.get $v) (f64.load (local.get $r))) (then (f64.store (local.get $r) (local.get $v))))
      (if (f64.gt (local.get $v) (f64.load offset=8 (local.get $r))) (then (f64.store offset=8 (local.get $r) (local.get $v))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (br $next))))
  (func (export "count") (param $a i32) (param $n i32) (param $lo f64) (param $scale f64) (param $top f64) (param $s i32)
    (local $end i32) (local $p i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $p (i32.add (local.get $s) (i32.shl ${bucket('(f64.load (local.get $a))')} (i32.const 2))))
      (i32.store offset=4 (local.get $p) (i32.add (i32.load offset=4 (local.get $p)) (i32.const 1)))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (br $next))))
  (func (export "prefix") (param $s i32) (param $buckets i32)
    (local $end i32) (local $acc i32)
    (local.set $end (i32.add (local.get $s) (i32.shl (local.get $buckets) (i32.const 2))))
    (local.set $acc (i32.load (local.get $s)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $s) (local.get $end)))
      (local.set $acc (i32.add (local.get $acc) (i32.load offset=4 (local.get $s))))
      (i32.store offset=4 (local.get $s) (local.get $acc))
      (local.set $s (i32.add (local.get $s) (i32.const 4)))
      (br $next))))
  (func (export "scatter") (param $a i32) (param $n i32) (param $lo f64) (param $scale f64) (param $top f64) (param $s i32) (param $out i32)
    (local $end i32) (local $p i32) (local $v f64) (local $k i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $v (f64.load (local.get $a)))
      (local.set $p (i32.add (local.get $s) (i32.shl ${bucket('(local.get $v)')} (i32.const 2))))
      (local.set $k (i32.load (local.get $p)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))) (local.get $v))
      (i32.store (local.get $p) (i32.add (local.get $k) (i32.const 1)))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (br $next))))
  (func (export "buckets") (param $out i32) (param $s i32) (param $b i32) (param $b1 i32) (param $long i32) (result i32)
    (local $from i32) (local $to i32) (local $k i32) (local $i i32) (local $j i32) (local $v f64) (local $w f64)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $b) (local.get $b1)))
      (local.set $from (if (result i32) (local.get $b) (then (i32.load offset=0 (i32.add (local.get $s) (i32.shl (i32.sub (local.get $b) (i32.const 1)) (i32.const 2))))) (else (i32.const 0))))
      (local.set $to (i32.load (i32.add (local.get $s) (i32.shl (local.get $b) (i32.const 2)))))
      (if (i32.gt_s (i32.sub (local.get $to) (local.get $from)) (i32.const 48))
        (then
          (i32.store (i32.add (local.get $long) (i32.shl (local.get $k) (i32.const 3))) (local.get $from))
          (i32.store offset=4 (i32.add (local.get $long) (i32.shl (local.get $k) (i32.const 3))) (local.get $to))
          (local.set $k (i32.add (local.get $k) (i32.const 1))))
        (else
          (local.set $i (i32.add (local.get $from) (i32.const 1)))
          (block $sorted (loop $insert
            (br_if $sorted (i32.ge_s (local.get $i) (local.get $to)))
            (local.set $v (f64.load (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $j (i32.sub (local.get $i) (i32.const 1)))
            (block $placed (loop $shift
              (br_if $placed (i32.lt_s (local.get $j) (local.get $from)))
              (local.set $w (f64.load (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3)))))
              (br_if $placed (i32.eqz ${before('(local.get $v)', '(local.get $w)')}))
              (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))) (local.get $w))
              (local.set $j (i32.sub (local.get $j) (i32.const 1)))
              (br $shift)))
            (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))) (local.get $v))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $insert)))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $next)))
    (local.get $k))
)`;
}

/** Assembles evaluateWat() with wabt (a devDependency); resolves to the module's bytes. */
export async function evaluateWasm() {
  return assemble('evaluate.wat', evaluateWat(), {});
}

/** The TypeScript module that carries the assembled module (src/core/wasm/evaluate.generated.ts). */
export function evaluateGeneratedSource(bytes) {
  return `// Generated by scripts/wasm/build.mjs from scripts/wasm/evaluate.mjs: do not edit.
/** The WebAssembly kernels of the binary evaluation's pass and class sorts, ${bytes.length} bytes, base64. */
export const EVALUATE_WASM_BASE64 =
${base64Constant(bytes)};
`;
}
