/**
 * The WebAssembly text of the CSV row scanner (src/core/data/csvScan.ts): FastCsvParser's hot loop
 * (fastCsv.ts parseRow) in WebAssembly, with the mantissa in an i64 instead of a double. A field of
 * at most 15 digits, a sign and a point, ending within 16 bytes, is read in one SIMD step; any other
 * numeric field by the scalar path (SWAR digit runs, eight bytes at a time).
 *
 * scan(p, end, out, width, maxRows, delimiter, tabPad, kinds, spans) -> rows
 *   Parses whole rows of bytes [p, end) (end - 1 is a line break) whose every field of a numeric
 *   column (kinds[j] = 1) is in the fast subset of parseRow: pads, [+-]? digits [. digits]
 *   ([eE] [+-]? 1-6 digits)?, pads, then the delimiter or a line break; at most 19 mantissa digits,
 *   a mantissa below 2^53, and a decimal exponent within +-22 unless the mantissa is 0 (Clinger's
 *   fast path: one correctly rounded multiplication or division of exact doubles, bit for bit what
 *   parseRow computes); an empty field is NaN. Values go row-major to f64 out[rows * width + j].
 *   A field of a dictionary column (kinds[j] = 0) is left to the caller: its offset after leading
 *   pads goes to i32 spans[2 * (rows * width + j)] (the same byte offset from spans as its value slot
 *   from out, which gets 0), unless it starts with a quote. It stops before the first row it cannot
 *   take whole (a blank line, a ragged row, a numeric field outside the subset, a quote, a CR as the
 *   last byte, or maxRows reached) and leaves that row's offset in the exported global `stop`: the
 *   caller parses that line itself and calls again. Row ends are LF, CRLF or a lone CR, as in parseRow.
 *   The delimiter must be none of the bytes of a number (digits, + - . e E) nor a quote.
 *
 * Memory: page 0 holds the 23 exact powers of ten at POW and 10^0..10^8 as i64 at POW10I; the rest
 * is the caller's, with 16 readable bytes after the input (the SIMD step and the SWAR runs read ahead).
 */
import { assemble, base64Constant } from './assemble.mjs';
export const POW = 0;
/** 10^0 .. 10^8 as i64, after the doubles. */
export const POW10I = 23 * 8;

export function csvWat() {
  const powers = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
  const hex = Buffer.from(new Float64Array(powers).buffer).toString('hex').replace(/../g, '\\$&');
  const hex10 = Buffer.from(new BigInt64Array(Array.from({ length: 9 }, (_, k) => 10n ** BigInt(k))).buffer).toString('hex').replace(/../g, '\\$&');
  // Reads byte p into $c.
  const next = '(local.set $c (i32.load8_u (local.tee $p (i32.add (local.get $p) (i32.const 1)))))';
  const isPad = '(i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.and (i32.eq (local.get $c) (i32.const 9)) (local.get $tabPad)))';
  // Reads the run of decimal digits from $p on, eight bytes at a time (SWAR: in x = word ^ '0'x8 a
  // digit byte is 0-9; (x | x + 0x76) has its high bit set in every other byte, a carry reaching only
  // later bytes; the leading digits are then converted by three multiplications), into
  // $m = $m * 10^n + digits; leaves
  // $p at the first non-digit and that byte in $c. Reads up to 7 bytes past the run (the caller's
  // memory has room after its bytes).
  const digitRun = (label) => `(block $done_${label}
              (loop $more_${label}
                (local.set $w (i64.load (local.get $p)))
                (local.set $x (i64.xor (local.get $w) (i64.const 0x3030303030303030)))
                (local.set $n (i32.wrap_i64 (i64.shr_u (i64.ctz (i64.and (i64.or (local.get $x) (i64.add (local.get $x) (i64.const 0x7676767676767676)))
                  (i64.const 0x8080808080808080))) (i64.const 3))))
                (br_if $done_${label} (i32.eqz (local.get $n)))
                (local.set $w (i64.shl (local.get $x) (i64.extend_i32_u (i32.sub (i32.const 64) (i32.shl (local.get $n) (i32.const 3))))))
                (local.set $w (i64.shr_u (i64.mul (local.get $w) (i64.const 2561)) (i64.const 8)))
                (local.set $w (i64.shr_u (i64.mul (i64.and (local.get $w) (i64.const 0x00FF00FF00FF00FF)) (i64.const 6553601)) (i64.const 16)))
                (local.set $w (i64.shr_u (i64.mul (i64.and (local.get $w) (i64.const 0x0000FFFF0000FFFF)) (i64.const 42949672960001)) (i64.const 32)))
                (local.set $m (i64.add (i64.mul (local.get $m) (i64.load offset=${POW10I} (i32.shl (local.get $n) (i32.const 3)))) (local.get $w)))
                (local.set $p (i32.add (local.get $p) (local.get $n)))
                (br_if $more_${label} (i32.eq (local.get $n) (i32.const 8)))))
              (local.set $c (i32.load8_u (local.get $p)))`;
  // Accumulates the exponent's decimal digits from byte $c on into $exponent.
  const exponentDigits = `(block $done_e
              (loop $more_e
                (br_if $done_e (i32.gt_u (local.tee $d (i32.sub (local.get $c) (i32.const 48))) (i32.const 9)))
                (local.set $exponent (i32.add (i32.mul (local.get $exponent) (i32.const 10)) (local.get $d)))
                ${next}
                (br $more_e)))`;
  // The common field in one SIMD step: [+-]? then at most 15 digits and at most one point, ending at
  // the delimiter or a line break within 16 bytes. Its digits are gathered right-aligned (a swizzle
  // that skips the sign and the point), then summed in pairs, fours and eights by dot products; the
  // mantissa (below 10^15 < 2^53, exact) is divided by 10^(fraction digits), as the scalar path and
  // parseRow do. Anything else (pads, an exponent, a longer field) goes on to the scalar path below.
  const shortNumber = `
              (local.set $vec (v128.load (local.get $p)))
              (local.set $len (i32.ctz (i8x16.bitmask (v128.or (i8x16.eq (local.get $vec) (local.get $vd))
                (v128.or (i8x16.eq (local.get $vec) (i8x16.splat (i32.const 10))) (i8x16.eq (local.get $vec) (i8x16.splat (i32.const 13))))))))
              (local.set $sign (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.eq (local.get $c) (i32.const 43))))
              (local.set $body (i32.xor (i32.sub (i32.shl (i32.const 1) (local.get $len)) (i32.const 1)) (local.get $sign)))
              (local.set $dig (i8x16.sub (local.get $vec) (i8x16.splat (i32.const 48))))
              (local.set $digits (i32.and (i8x16.bitmask (i8x16.lt_u (local.get $dig) (i8x16.splat (i32.const 10)))) (local.get $body)))
              (local.set $dots (i32.and (i8x16.bitmask (i8x16.eq (local.get $vec) (i8x16.splat (i32.const 46)))) (local.get $body)))
              (br_if $parsed (i32.ge_u (local.get $len) (i32.const 16)))
              (br_if $parsed (i32.ne (i32.or (local.get $digits) (local.get $dots)) (local.get $body)))
              (br_if $parsed (i32.or (i32.eqz (local.get $digits)) (i32.and (local.get $dots) (i32.sub (local.get $dots) (i32.const 1)))))
              (local.set $n (i32.popcnt (local.get $digits)))
              ;; t = digit index of each output byte (negative: a leading zero); source = sign + t, + 1 past the point.
              (local.set $idx (i8x16.sub (v128.const i8x16 ${Array.from({ length: 16 }, (_, i) => i).join(' ')}) (i8x16.splat (i32.sub (i32.const 16) (local.get $n)))))
              (local.set $k (select (i32.sub (i32.ctz (local.get $dots)) (local.get $sign)) (i32.const 100) (local.get $dots)))
              (local.set $idx (v128.or
                (i8x16.sub (i8x16.add (local.get $idx) (i8x16.splat (local.get $sign))) (i8x16.ge_s (local.get $idx) (i8x16.splat (local.get $k))))
                (i8x16.lt_s (local.get $idx) (v128.const i64x2 0 0))))
              (local.set $dig (i8x16.swizzle (local.get $dig) (local.get $idx)))
              (local.set $dig (i16x8.narrow_i32x4_u
                (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_u (local.get $dig)) (v128.const i16x8 10 1 10 1 10 1 10 1))
                (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_u (local.get $dig)) (v128.const i16x8 10 1 10 1 10 1 10 1))))
              (local.set $dig (i32x4.dot_i16x8_s (local.get $dig) (v128.const i16x8 100 1 100 1 100 1 100 1)))
              (local.set $dig (i32x4.dot_i16x8_s (i16x8.narrow_i32x4_u (local.get $dig) (local.get $dig)) (v128.const i16x8 10000 1 10000 1 10000 1 10000 1)))
              (local.set $m (i64.add (i64.mul (i64.extend_i32_u (i32x4.extract_lane 0 (local.get $dig))) (i64.const 100000000))
                (i64.extend_i32_u (i32x4.extract_lane 1 (local.get $dig)))))
              (local.set $v (f64.div (f64.convert_i64_u (local.get $m))
                (f64.load offset=${POW} (i32.shl (select (i32.sub (i32.sub (local.get $len) (i32.const 1)) (i32.ctz (local.get $dots))) (i32.const 0) (local.get $dots)) (i32.const 3)))))
              (if (i32.eq (local.get $c) (i32.const 45)) (then (local.set $v (f64.neg (local.get $v)))))
              (local.set $p (i32.add (local.get $p) (local.get $len)))
              (local.set $c (i32.load8_u (local.get $p)))
              (br $stored)`;
  return `(module
  (memory (export "memory") 1 65536)
  (data (i32.const ${POW}) "${hex}")
  (data (i32.const ${POW10I}) "${hex10}")
  (global $stop (export "stop") (mut i32) (i32.const 0))
  (func (export "scan") (param $p i32) (param $end i32) (param $out i32) (param $width i32) (param $maxRows i32)
      (param $delimiter i32) (param $tabPad i32) (param $kinds i32) (param $spans i32) (result i32)
    (local $rows i32) (local $row i32) (local $j i32) (local $c i32) (local $d i32) (local $start i32)
    (local $negative i32) (local $digitsAt i32) (local $count i32) (local $fractionAt i32) (local $e10 i32)
    (local $negativeExp i32) (local $exponent i32) (local $m i64) (local $v f64) (local $slot i32) (local $w i64) (local $n i32) (local $x i64) (local $len i32) (local $sign i32) (local $body i32) (local $digits i32) (local $dots i32) (local $k i32)
    (local $vec v128) (local $dig v128) (local $idx v128) (local $vd v128)
    (local.set $slot (local.get $out))
    (local.set $vd (i8x16.splat (local.get $delimiter)))
    (block $stopped
      (loop $rowLoop
        (local.set $row (local.get $p))
        (br_if $stopped (i32.ge_u (local.get $rows) (local.get $maxRows)))
        (br_if $stopped (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $j (i32.const 0))
        (loop $field
          (local.set $c (i32.load8_u (local.get $p)))
          (block $stored
          (block $parsed
            (if (i32.load8_u (i32.add (local.get $kinds) (local.get $j)))
              (then ${shortNumber})))
          (block $padded (loop $pad (br_if $padded (i32.eqz ${isPad})) ${next} (br $pad)))
          (if (i32.load8_u (i32.add (local.get $kinds) (local.get $j)))
            (then
              (local.set $start (local.get $p))
              (local.set $negative (i32.const 0))
              (if (i32.eq (local.get $c) (i32.const 45))
                (then (local.set $negative (i32.const 1)) ${next})
                (else (if (i32.eq (local.get $c) (i32.const 43)) (then ${next}))))
              (local.set $digitsAt (local.get $p))
              (local.set $m (i64.const 0))
              ${digitRun('i')}
              (local.set $count (i32.sub (local.get $p) (local.get $digitsAt)))
              (local.set $e10 (i32.const 0))
              (if (i32.eq (local.get $c) (i32.const 46))
                (then
                  ${next}
                  (local.set $fractionAt (local.get $p))
                  ${digitRun('f')}
                  (local.set $e10 (i32.sub (local.get $fractionAt) (local.get $p)))
                  (local.set $count (i32.sub (local.get $count) (local.get $e10)))))
              (if (i32.and (i32.eq (i32.or (local.get $c) (i32.const 32)) (i32.const 101)) (i32.gt_s (local.get $count) (i32.const 0)))
                (then
                  ${next}
                  (local.set $negativeExp (i32.eq (local.get $c) (i32.const 45)))
                  (if (i32.or (local.get $negativeExp) (i32.eq (local.get $c) (i32.const 43))) (then ${next}))
                  (local.set $digitsAt (local.get $p))
                  (local.set $exponent (i32.const 0))
                  ${exponentDigits}
                  (local.set $d (i32.sub (local.get $p) (local.get $digitsAt)))
                  (br_if $stopped (i32.or (i32.eqz (local.get $d)) (i32.gt_u (local.get $d) (i32.const 6))))
                  (local.set $e10 (i32.add (local.get $e10)
                    (select (i32.sub (i32.const 0) (local.get $exponent)) (local.get $exponent) (local.get $negativeExp))))))
              (block $trailed (loop $trail (br_if $trailed (i32.eqz ${isPad})) ${next} (br $trail)))
              (br_if $stopped (i32.eqz (i32.or (i32.eq (local.get $c) (local.get $delimiter))
                (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))))))
              (if (i32.eq (local.get $p) (local.get $start))
                (then
                  ;; An empty field is missing, but an empty first field ending the line is a blank line.
                  (br_if $stopped (i32.and (i32.eqz (local.get $j)) (i32.ne (local.get $c) (local.get $delimiter))))
                  (local.set $v (f64.const nan)))
                (else
                  (br_if $stopped (i32.or (i32.eqz (local.get $count)) (i32.gt_u (local.get $count) (i32.const 19))))
                  (br_if $stopped (i64.ge_u (local.get $m) (i64.const 0x20000000000000)))
                  (if (i64.eqz (local.get $m))
                    (then (local.set $v (f64.const 0)))
                    (else
                      (br_if $stopped (i32.gt_u (i32.add (local.get $e10) (i32.const 22)) (i32.const 44)))
                      (local.set $v (if (result f64) (i32.ge_s (local.get $e10) (i32.const 0))
                        (then (f64.mul (f64.convert_i64_u (local.get $m))
                          (f64.load offset=${POW} (i32.shl (local.get $e10) (i32.const 3)))))
                        (else (f64.div (f64.convert_i64_u (local.get $m))
                          (f64.load offset=${POW} (i32.shl (i32.sub (i32.const 0) (local.get $e10)) (i32.const 3)))))))))
                  (if (local.get $negative) (then (local.set $v (f64.neg (local.get $v)))))))
            )
            (else
              ;; A text field of a dictionary column: its start (after pads) goes to spans for the caller
              ;; (FastCsvParser.textField), which checks, trims, decodes and codes it; a quote is the caller's.
              (br_if $stopped (i32.eq (local.get $c) (i32.const 34)))
              (local.set $start (local.get $p))
              (block $ended
                (loop $text
                  (br_if $ended (i32.or (i32.eq (local.get $c) (local.get $delimiter))
                    (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13)))))
                  ${next}
                  (br $text)))
              (br_if $stopped (i32.and (i32.eq (local.get $p) (local.get $start))
                (i32.and (i32.eqz (local.get $j)) (i32.ne (local.get $c) (local.get $delimiter)))))
              (i32.store (i32.add (local.get $spans) (i32.sub (local.get $slot) (local.get $out))) (local.get $start))
              (local.set $v (f64.const 0)))))
          (f64.store (local.get $slot) (local.get $v))
          (local.set $slot (i32.add (local.get $slot) (i32.const 8)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (if (i32.eq (local.get $c) (local.get $delimiter))
            (then
              (br_if $stopped (i32.eq (local.get $j) (local.get $width)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $field))))
        (br_if $stopped (i32.ne (local.get $j) (local.get $width)))
        (if (i32.eq (local.get $c) (i32.const 13))
          (then
            ;; A CR as the last byte may be the first half of a CRLF split across pushes: the caller's.
            (br_if $stopped (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
            (if (i32.eq (i32.load8_u offset=1 (local.get $p)) (i32.const 10)) (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
        (br $rowLoop)))
    (global.set $stop (local.get $row))
    (local.get $rows)))`;
}

/** Assembles csvWat() with wabt (a devDependency); resolves to the module's bytes. */
export async function csvWasm() {
  return assemble('csv.wat', csvWat(), { simd: true });
}

/** The TypeScript module that carries the assembled scanner (src/core/wasm/csv.generated.ts). */
export function csvGeneratedSource(bytes) {
  return `// Generated by scripts/wasm/build.mjs from scripts/wasm/csv.mjs: do not edit.
/** The WebAssembly CSV row scanner (src/core/data/csvScan.ts), ${bytes.length} bytes, base64. */
export const CSV_SCAN_WASM_BASE64 =
${base64Constant(bytes)};
`;
}
