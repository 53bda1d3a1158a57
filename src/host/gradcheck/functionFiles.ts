/**
 * Octave function files beside a document, as plain data (no vscode API, unit tested): which
 * `function [J, grad...] = name(...)` lines of a .m file get a "Check gradient" CodeLens, and which
 * gradcheck block of a notes file in the same folder checks that function.
 */
import { extractBlocks } from '../../core/gradcheck/blocks';
import type { SourceBlock } from '../../core/gradcheck/types';

/** Functions with at least two outputs (loss and gradient), with their 0-based line. */
export function gradientFunctions(text: string): { name: string; line: number }[] {
  const out: { name: string; line: number }[] = [];
  text.split(/\r\n?|\n/).forEach((l, line) => {
    const m = /^\s*function\s*\[\s*[A-Za-z_]\w*\s*,\s*[A-Za-z_]\w*[^\]]*\]\s*=\s*([A-Za-z_]\w*)/.exec(l);
    if (m) out.push({ name: m[1], line });
  });
  return out;
}

/** The first gradcheck block of a document that calls check_gradient on `name` (by handle or in an anonymous function). */
export function blockCalling(text: string, fileName: string, name: string): SourceBlock | undefined {
  const call = new RegExp(`check_gradient\\s*\\(\\s*@(?:${name}\\b|\\([^)]*\\)[\\s(]*${name}\\s*\\()`);
  return extractBlocks(text, fileName).find((b) => call.test(b.source));
}

/** Documents that may hold gradcheck blocks (what the CodeLens provider serves besides .m files). */
export function isNotesFile(fileName: string): boolean {
  return /\.(md|markdown|tex|gradcheck)$/i.test(fileName);
}
