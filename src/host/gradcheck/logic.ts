/**
 * The gradient checker's editor integration as plain data, free of the vscode API so it can be unit
 * tested: which block is under the cursor, where a block's CodeLens goes, what the lens says after a
 * check, and which diagnostics a report produces. Lines are 1-based (as the engine reports them)
 * unless a name says `zeroBased`.
 */
import type { BlockReport, ParamReport, SourceBlock } from '../../core/gradcheck/types';
import { fraction } from '../../core/gradcheck/diagnose';
import { localize } from '../localize';

/** The number of content lines of a block (a trailing newline does not start another line). */
export function blockLineCount(block: Pick<SourceBlock, 'source'>): number {
  const source = block.source.endsWith('\n') ? block.source.slice(0, -1) : block.source;
  return source.split('\n').length;
}

/** The last content line of a block (1-based). */
export function blockLastLine(block: Pick<SourceBlock, 'line' | 'source'>): number {
  return block.line + blockLineCount(block) - 1;
}

/**
 * The 1-based lines a block occupies in its document, its delimiters included: the opening fence
 * (```gradcheck or `% gradcheck`) and the closing one (``` or `% end`). A plain .gradcheck file has
 * no delimiters; its one block spans the whole file.
 */
export function blockSpan(block: Pick<SourceBlock, 'line' | 'source' | 'language'>): { first: number; last: number } {
  if (block.language === 'plain') return { first: block.line, last: Math.max(block.line, blockLastLine(block)) };
  return { first: Math.max(1, block.line - 1), last: blockLastLine(block) + 1 };
}

/** The block whose span contains `line` (1-based), if any. */
export function blockAtLine<B extends Pick<SourceBlock, 'line' | 'source' | 'language'>>(blocks: readonly B[], line: number): B | undefined {
  return blocks.find((b) => {
    const span = blockSpan(b);
    return line >= span.first && line <= span.last;
  });
}

/**
 * The block a lens click refers to: the block whose first content line is `line`; failing that (the
 * document changed between the lens and the click), the block whose span contains it.
 */
export function blockForLens<B extends Pick<SourceBlock, 'line' | 'source' | 'language'>>(blocks: readonly B[], line: number): B | undefined {
  return blocks.find((b) => b.line === line) ?? blockAtLine(blocks, line);
}

/** The 0-based line of a block's CodeLens: its opening delimiter, or the first line of a plain file. */
export function lensLineZeroBased(block: Pick<SourceBlock, 'line' | 'language'>): number {
  return Math.max(0, block.language === 'plain' ? block.line - 1 : block.line - 2);
}

/** What blocks the palette command checks: the one under the cursor, else all of them. */
export function blocksToCheck<B extends Pick<SourceBlock, 'line' | 'source' | 'language'>>(blocks: readonly B[], cursorLine: number | undefined): B[] {
  if (cursorLine !== undefined) {
    const here = blockAtLine(blocks, cursorLine);
    if (here) return [here];
  }
  return [...blocks];
}

/** The lens title before a check (English; lensTitle() returns it localized). */
export const LENS_TITLE_UNCHECKED = 'Check gradient';

/** A short name for a diagnosis, for lens titles: "sign error", "off by a factor of 2"... */
export function diagnosisLabel(param: Pick<ParamReport, 'verdict' | 'diagnosis' | 'name'>): string {
  const d = param.diagnosis;
  if (param.verdict === 'error') return d.message ? shorten(d.message, 60) : localize('could not evaluate');
  switch (d.kind) {
    case 'sign':
      return localize('sign error');
    case 'scale':
      // The same words as the checker's diagnosis ("a factor 1/3 is missing").
      if (d.factor === undefined || !Number.isFinite(d.factor)) return localize('wrong scale');
      return d.factor < 0 ? localize('wrong sign, missing factor {0}', formatFactor(-d.factor)) : localize('missing factor {0}', formatFactor(d.factor));
    case 'transpose':
      return localize('transposed');
    case 'shape':
      return localize('wrong shape');
    case 'components': {
      const list = d.components ?? [];
      if (list.length === 0) return localize('some components wrong');
      const shown = list.slice(0, 3).join(', ');
      return localize('wrong at {0}', `${shown}${list.length > 3 ? ', …' : ''}`);
    }
    default:
      return localize('does not match finite differences');
  }
}

/** A factor for display as the diagnosis writes it: 2, 1/2, 3/2, 1/3; 4 significant digits otherwise. */
export function formatFactor(f: number): string {
  return f < 0 ? `-${fraction(-f)}` : fraction(f);
}

function shorten(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** The first failing parameter of a report (gradients first, then the Hessian). */
export function firstFailure(report: Pick<BlockReport, 'params' | 'hessian'>): { param: ParamReport; hessian: boolean } | undefined {
  const grad = report.params.find((p) => p.verdict !== 'pass');
  if (grad) return { param: grad, hessian: false };
  const hess = (report.hessian ?? []).find((p) => p.verdict !== 'pass');
  return hess ? { param: hess, hessian: true } : undefined;
}

/**
 * The lens title after a check: "✓ gradient correct", "✗ gradient wrong: sign error",
 * "✗ Hessian wrong: transposed", "✗ identity does not hold", "⚠ error: …". Without a report, the
 * plain "Check gradient".
 */
export function lensTitle(report: BlockReport | undefined): string {
  if (!report) return localize('Check gradient');
  if (report.verdict === 'error' && report.error) return localize('⚠ error: {0}', shorten(report.error.message, 60));
  const failure = firstFailure(report);
  if (failure) {
    const several = report.params.length + (report.hessian?.length ?? 0) > 1;
    const name = failure.param.name;
    const label = diagnosisLabel(failure.param);
    if (failure.param.verdict === 'error') {
      if (failure.hessian) return several ? localize('⚠ Hessian ({0}): {1}', name, label) : localize('⚠ Hessian: {0}', label);
      return several ? localize('⚠ gradient ({0}): {1}', name, label) : localize('⚠ gradient: {0}', label);
    }
    if (failure.hessian) return several ? localize('✗ Hessian wrong ({0}): {1}', name, label) : localize('✗ Hessian wrong: {0}', label);
    return several ? localize('✗ gradient wrong ({0}): {1}', name, label) : localize('✗ gradient wrong: {0}', label);
  }
  const failedCheck = report.checks.find((c) => !c.holds);
  if (failedCheck) return report.checks.length > 1 ? localize('✗ identity does not hold (line {0})', failedCheck.line) : localize('✗ identity does not hold');
  if (report.verdict === 'error') return localize('⚠ error: {0}', shorten(report.error?.message ?? localize('the check could not run'), 60));
  if (report.verdict === 'fail') return localize('✗ gradient wrong');
  if (report.params.length === 0 && report.checks.length > 0) return report.checks.length > 1 ? localize('✓ identities hold') : localize('✓ identity holds');
  if (report.hessian && report.hessian.length > 0) return localize('✓ gradient and Hessian correct');
  return localize('✓ gradient correct');
}

/** A diagnostic as plain data; the host turns it into a vscode.Diagnostic on `line`'s text. */
export interface DiagnosticData {
  /** 1-based document line. */
  line: number;
  /** 1-based column where the range starts (undefined: the line's first non-blank character). */
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** A message as a sentence: trimmed, first letter capitalized. */
export function sentence(text: string): string {
  const t = text.trim();
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

/** The diagnosis sentence for a failing parameter (never empty). */
export function paramMessage(param: ParamReport, hessian = false): string {
  const message = sentence(param.diagnosis.message);
  if (message) return message;
  const error = param.maxRelError.toExponential(1);
  if (param.verdict === 'error') {
    return hessian ? localize('The Hessian block {0} could not be evaluated.', param.name) : localize('The gradient with respect to {0} could not be evaluated.', param.name);
  }
  return hessian
    ? localize('The Hessian block {0} does not match finite differences (max relative error {1}).', param.name, error)
    : localize('The gradient with respect to {0} does not match finite differences (max relative error {1}).', param.name, error);
}

/**
 * The diagnostics of one block's report: one per failing (or erroring) parameter on its grad line,
 * one per identity that does not hold, one for a block error at its position. `shift` moves every
 * line (a block that moved since it was checked). A passing report gives none.
 */
export function diagnosticsFor(report: BlockReport, shift = 0): DiagnosticData[] {
  const out: DiagnosticData[] = [];
  const seen = new Set<string>();
  const push = (d: DiagnosticData): void => {
    const key = `${d.line}:${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  if (report.error) {
    push({ line: report.error.line + shift, column: report.error.column, message: sentence(report.error.message), severity: 'error' });
  }
  for (const p of report.params) {
    if (p.verdict !== 'pass') push({ line: p.line + shift, message: paramMessage(p), severity: 'error' });
  }
  for (const p of report.hessian ?? []) {
    if (p.verdict !== 'pass') push({ line: p.line + shift, message: paramMessage(p, true), severity: 'error' });
  }
  for (const c of report.checks) {
    if (!c.holds) {
      const detail = c.message?.trim() || localize('the two sides differ by up to {0}', c.maxError.toExponential(1));
      push({ line: c.line + shift, message: localize('Identity does not hold: {0}', detail), severity: 'error' });
    }
  }
  return out;
}

/** Character range of a diagnostic on its line: from `column` (or the first non-blank) to the end of the text. */
export function diagnosticColumns(lineText: string, column?: number): { start: number; end: number } {
  const trimmedEnd = lineText.replace(/\s+$/, '').length;
  const firstNonBlank = lineText.length - lineText.replace(/^\s+/, '').length;
  let start = column !== undefined ? Math.max(0, column - 1) : firstNonBlank;
  if (start > trimmedEnd) start = firstNonBlank;
  const end = Math.max(trimmedEnd, start);
  return { start, end: end === start && lineText.length > start ? lineText.length : end };
}

/**
 * Whether a document may hold gradcheck blocks, before loading the engine: a ```gradcheck fence
 * (or ~~~gradcheck), a `% gradcheck` comment, or the document is a .gradcheck file.
 */
export function mayContainBlocks(text: string, languageId: string): boolean {
  if (languageId === 'gradcheck') return true;
  if (languageId === 'latex' || languageId === 'tex') return /^[ \t]*%+[ \t]*gradcheck\b/im.test(text);
  return /^[ \t]*(```|~~~)[ \t]*\{?\.?gradcheck\b/im.test(text);
}

/** The engine's language of a document: markdown and latex hold fenced blocks; anything else is one plain block. */
export function blockLanguageOf(languageId: string): 'markdown' | 'latex' | 'plain' {
  if (languageId === 'markdown') return 'markdown';
  if (languageId === 'latex' || languageId === 'tex') return 'latex';
  return 'plain';
}

/**
 * Reports remembered per document, keyed by block source: a block whose text is unchanged keeps its
 * verdict wherever it moves (the check is deterministic for a fixed seed); an edited block goes back
 * to "Check gradient".
 */
export class ReportCache {
  private readonly byDoc = new Map<string, Map<string, BlockReport>>();

  get(doc: string, source: string): BlockReport | undefined {
    return this.byDoc.get(doc)?.get(source);
  }

  set(doc: string, source: string, report: BlockReport): void {
    let m = this.byDoc.get(doc);
    if (!m) this.byDoc.set(doc, (m = new Map()));
    m.set(source, report);
  }

  has(doc: string): boolean {
    return (this.byDoc.get(doc)?.size ?? 0) > 0;
  }

  delete(doc: string): void {
    this.byDoc.delete(doc);
  }

  /** Drops reports of blocks that are no longer in the document. */
  retain(doc: string, sources: Iterable<string>): void {
    const m = this.byDoc.get(doc);
    if (!m) return;
    const keep = new Set(sources);
    for (const key of [...m.keys()]) if (!keep.has(key)) m.delete(key);
    if (m.size === 0) this.byDoc.delete(doc);
  }

  /** The diagnostics of a document's current blocks, from the reports of those still unchanged. */
  diagnostics(doc: string, blocks: readonly Pick<SourceBlock, 'line' | 'source'>[]): DiagnosticData[] {
    const out: DiagnosticData[] = [];
    for (const b of blocks) {
      const report = this.get(doc, b.source);
      if (report) out.push(...diagnosticsFor(report, b.line - report.line));
    }
    return out;
  }
}

/**
 * A report with every line moved by `shift`: a block checked where it stands in a document, shown in
 * the panel's editor where it starts at line 1.
 */
export function rebaseReport(report: BlockReport, shift: number): BlockReport {
  if (shift === 0) return report;
  return {
    ...report,
    line: report.line + shift,
    params: report.params.map((p) => ({ ...p, line: p.line + shift })),
    ...(report.hessian ? { hessian: report.hessian.map((p) => ({ ...p, line: p.line + shift })) } : {}),
    checks: report.checks.map((c) => ({ ...c, line: c.line + shift })),
    ...(report.error ? { error: { ...report.error, line: report.error.line + shift } } : {}),
  };
}

/** One line summing up several checked blocks: "3 blocks checked: 2 correct, 1 wrong". */
export function summary(reports: readonly Pick<BlockReport, 'verdict'>[]): string {
  const pass = reports.filter((r) => r.verdict === 'pass').length;
  const fail = reports.filter((r) => r.verdict === 'fail').length;
  const error = reports.filter((r) => r.verdict === 'error').length;
  const parts = [localize('{0} correct', pass)];
  if (fail) parts.push(localize('{0} wrong', fail));
  if (error) parts.push(localize('{0} with errors', error));
  return reports.length === 1
    ? localize('{0} gradcheck block checked: {1}', reports.length, parts.join(', '))
    : localize('{0} gradcheck blocks checked: {1}', reports.length, parts.join(', '));
}
