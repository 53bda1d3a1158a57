/**
 * Finding gradcheck blocks in documents: Markdown fences (```gradcheck ... ```, or ~~~) and LaTeX
 * comment blocks (`% gradcheck` ... `% end`). LaTeX content keeps its columns: the leading `%` of
 * each line becomes a space, so error columns match the document.
 */
import type { SourceBlock } from './types';

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})\s*gradcheck\b[^`]*$/;
const LATEX_OPEN = /^\s*%\s*gradcheck\s*$/;
const LATEX_END = /^\s*%\s*end\s*$/;

/**
 * Blocks of a document with the 1-based line of their first content line. A file named *.gradcheck
 * is a single plain block starting at line 1.
 */
export function extractBlocks(text: string, fileName?: string): SourceBlock[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  if (fileName?.toLowerCase().endsWith('.gradcheck')) return [{ line: 1, source: normalized, language: 'plain' }];
  const lines = normalized.split('\n');
  const blocks: SourceBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE_OPEN.exec(lines[i]);
    if (fence) {
      const marker = fence[1];
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j])) j++;
      blocks.push({ line: i + 2, source: lines.slice(i + 1, j).join('\n'), language: 'markdown' });
      i = j;
    } else if (LATEX_OPEN.test(lines[i])) {
      const content: string[] = [];
      let j = i + 1;
      while (j < lines.length && /^\s*%/.test(lines[j]) && !LATEX_END.test(lines[j])) {
        content.push(lines[j].replace('%', ' '));
        j++;
      }
      blocks.push({ line: i + 2, source: content.join('\n'), language: 'latex' });
      i = j;
    }
  }
  return blocks;
}
