/**
 * CSV cells for files a spreadsheet may open. A text cell that starts with = + - @ tab or carriage
 * return is a formula to Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`),
 * so it is neutralized as OWASP advises for CSV exports: a leading single quote, which spreadsheets
 * show as text. Numbers (`-0.5`, `+1`, `-1e-7`) are not formulas and are left alone.
 */

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell with a leading ' when a spreadsheet would run it as a formula; numbers unchanged. */
export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

/** A text cell for a CSV export: neutralized (unless `raw`), then quoted when it needs it. */
export function csvTextCell(cell: string, raw = false): string {
  return csvField(raw ? cell : neutralizeFormula(cell));
}
