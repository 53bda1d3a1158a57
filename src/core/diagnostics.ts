/**
 * Every problem Logit Lab reports about a user's input is a Diagnostic: one readable sentence plus
 * where it applies (file, 1-based line and column), so the CLI, the panel and the editor can all
 * point at the same place.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. "csv.ragged-row", "target.continuous". */
  code: string;
  /** One plain sentence, without the location prefix. */
  message: string;
  file?: string;
  /** 1-based line in the source file. */
  line?: number;
  /** 1-based column (character position in the line, or the CSV field number where stated). */
  column?: number;
}

/** An input error the user can fix; the CLI maps it to exit code 2 and prints no stack trace. */
export class DataError extends Error {
  readonly diagnostic: Diagnostic;
  constructor(diagnostic: Omit<Diagnostic, 'severity'> & { severity?: Severity }) {
    const d: Diagnostic = { severity: 'error', ...diagnostic };
    super(formatDiagnostic(d));
    this.name = 'DataError';
    this.diagnostic = d;
  }
}

/** "data.csv:12:3: error: message" — the compiler-style form editors and terminals link. */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.file ?? '';
  if (d.line !== undefined) where += `${where ? ':' : 'line '}${d.line}`;
  if (d.column !== undefined) where += `:${d.column}`;
  return `${where ? where + ': ' : ''}${d.severity}: ${d.message}`;
}

export function warning(code: string, message: string, at: Partial<Pick<Diagnostic, 'file' | 'line' | 'column'>> = {}): Diagnostic {
  return { severity: 'warning', code, message, ...at };
}
