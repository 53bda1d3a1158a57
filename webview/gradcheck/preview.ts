/**
 * The live preview of a block: one TeX line per statement, from the engine's toTex (mathjs' parser,
 * pure and browser-safe), so typing needs no round trip to the host. Pure: no DOM.
 */
import { isOctaveBlock, parseProgram, programTex, splitStatements, toTex } from '../../src/core/gradcheck/index';

export type PreviewLine =
  | { kind: 'tex'; line: number; tex: string; role: 'loss' | 'grad' | 'hess' | 'check' | 'other' }
  | { kind: 'error'; line: number; text: string; message: string };

/** 1-based line of a character offset. */
function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source[i] === '\n') line++;
  return line;
}

function roleOf(text: string): 'loss' | 'grad' | 'hess' | 'check' | 'other' {
  const t = text.replace(/#.*$/gm, '').trim();
  if (/^check\b/.test(t)) return 'check';
  if (/^loss\s*\(/.test(t)) return 'loss';
  if (/^grad(_\w+)?\s*\(/.test(t)) return 'grad';
  if (/^hess(_\w+)?\s*\(/.test(t)) return 'hess';
  return 'other';
}

/** The preview of an Octave block: its statements typeset, or the parse error at its line. */
function octavePreview(source: string): PreviewLine[] {
  try {
    return programTex(parseProgram(source)).map((s) => ({ kind: 'tex', line: lineOf(source, s.offset), tex: s.tex, role: s.role }));
  } catch (e) {
    const offset = (e as { offset?: unknown }).offset;
    const line = typeof offset === 'number' ? lineOf(source, offset) : 1;
    const text = source.split('\n')[line - 1]?.trim() ?? '';
    return [{ kind: 'error', line, text, message: e instanceof Error ? e.message : String(e) }];
  }
}

/** The preview of a whole block; never throws (a line that does not parse becomes an 'error' line). */
export function blockPreview(source: string): PreviewLine[] {
  if (isOctaveBlock(source)) return octavePreview(source);
  let spans: { start: number; end: number }[];
  try {
    spans = splitStatements(source);
  } catch (e) {
    const offset = (e as { offset?: unknown }).offset;
    const line = typeof offset === 'number' ? lineOf(source, offset) : 1;
    return [{ kind: 'error', line, text: '', message: e instanceof Error ? e.message : String(e) }];
  }
  const out: PreviewLine[] = [];
  for (const span of spans) {
    const raw = source.slice(span.start, span.end);
    const text = raw.replace(/#.*$/gm, '').trim();
    if (!text) continue;
    const line = lineOf(source, span.start + (raw.length - raw.trimStart().length));
    try {
      out.push({ kind: 'tex', line, tex: toTex(raw), role: roleOf(raw) });
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\(char \d+\)\s*$/, '');
      out.push({ kind: 'error', line, text, message });
    }
  }
  return out;
}
