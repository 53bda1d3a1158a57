/**
 * The WebAssembly kernels of a binary evaluation's class sorts (src/core/evaluate/sortedScores.ts
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

/** Key v's bucket: min(top, floor((v - lo) · scale)) (inlined: V8 does not inline WebAssembly calls here). */
const bucket = (v) => `(i32.trunc_f64_s (f64.min (local.get $top) (f64.floor (f64.mul (f64.sub ${v} (local.get $lo)) (local.get $scale)))))`;

/** x before y in Float64Array.prototype.sort's order (no NaN): x < y, or x = -0 and y = +0. */
const before = (x, y) => `(i32.or (f64.lt ${x} ${y})
        (i32.and (i32.and (f64.eq ${x} (f64.const 0)) (f64.eq ${y} (f64.const 0)))
          (i64.lt_s (i64.reinterpret_f64 ${x}) (i64.reinterpret_f64 ${y}))))`;

export function evaluateWat() {
  return `(module
  (memory (export "memory") 1 65536)
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
  const wabt = await (await import('wabt')).default();
  const module = wabt.parseWat('evaluate.wat', evaluateWat(), {});
  module.validate();
  const { buffer } = module.toBinary({ log: false, write_debug_names: false });
  module.destroy();
  new WebAssembly.Module(buffer);
  return buffer;
}

/** The TypeScript module that carries the assembled module (src/core/wasm/evaluate.generated.ts). */
export function evaluateGeneratedSource(bytes) {
  const constant = Buffer.from(bytes).toString('base64').match(/.{1,100}/g).map((l) => `  '${l}'`).join(' +\n');
  return `// Generated by scripts/wasm/build.mjs from scripts/wasm/evaluate.mjs: do not edit.
/** The WebAssembly kernels of the binary evaluation's class sorts, ${bytes.length} bytes, base64. */
export const EVALUATE_WASM_BASE64 =
${constant};
`;
}
