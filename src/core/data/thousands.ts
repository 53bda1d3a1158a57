/**
 * Numbers written with thousands separators (`4.824,14`, `1,234.5`, `12 345`): Logit Lab does not read
 * them as numbers (a `.` or `,` is ambiguous between grouping and decimals), so a column of them would be
 * typed as text and dropped as an identifier with no word of why. This recognizes the format so the
 * message can name it.
 */

/** Digits grouped by threes with one separator, then optionally a decimal part with the other mark. */
const GROUPED = /^[+-]?\d{1,3}(?:([.,' \u00a0])\d{3})+(?:([.,])\d+)?$/;

/** True when v is a number with thousands separators (the decimal mark, if any, differs from the separator). */
export function isThousandsSeparated(v: string): boolean {
  const m = GROUPED.exec(v.trim());
  return m !== null && (m[2] === undefined || m[2] !== m[1]);
}

/** `4.824,14` → `4824.14`, `1,234.5` → `1234.5`: the plain number the cell means. */
export function withoutSeparators(v: string): string {
  const m = GROUPED.exec(v.trim())!;
  const grouped = m[1];
  const decimal = m[2];
  let s = v.trim().split(grouped).join('');
  if (decimal) s = s.replace(decimal, '.');
  return s;
}

/**
 * The reason clause for a text column most of whose values (by count) are thousands-separated numbers,
 * or undefined. `first` is the first such value and its line.
 */
export function thousandsReason(counts: Iterable<readonly [string, number]>, nonMissing: number, first: { text: string; line: number }): string | undefined {
  let grouped = 0;
  let example: string | undefined;
  for (const [cell, k] of counts) {
    if (isThousandsSeparated(cell)) {
      grouped += k;
      example ??= cell.trim();
    }
  }
  if (example === undefined || 2 * grouped < nonMissing) return undefined;
  const shown = isThousandsSeparated(first.text) ? first.text.trim() : example;
  const where = shown === first.text.trim() ? ` at line ${first.line}` : '';
  return `it holds numbers with thousands separators ('${shown}'${where}), which are read as text; save the column without them (${withoutSeparators(shown)})`;
}
