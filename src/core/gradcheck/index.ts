/**
 * The gradient checker: students' hand-derived gradients, written in course/Octave notation inside
 * ```gradcheck blocks, compared with finite differences and diagnosed in one plain sentence.
 */
import { extractBlocks } from './blocks';
import { checkBlock } from './check';
import type { BlockReport, GradcheckOptions } from './types';

export type {
  Band,
  BlockReport,
  CheckReport,
  ComponentRow,
  Diagnosis,
  DiagnosisKind,
  GradcheckOptions,
  ParamReport,
  SourceBlock,
} from './types';
export { extractBlocks } from './blocks';
export { checkBlock } from './check';
export { toTex } from './tex';
export { splitStatements } from './notation';
export { isOctaveBlock } from './octave/check';
export { parseProgram } from './octave/parser';
export { programTex } from './octave/tex';
export { gallery, type GalleryExample } from './gallery';

/** Checks every block of a document (Markdown fences and LaTeX comment blocks). */
export function checkDocument(text: string, options?: GradcheckOptions): BlockReport[] {
  return extractBlocks(text).map((block) => checkBlock(block, options));
}
