/**
 * The error every stage of the gradient checker throws for problems in a user's block. `offset` is a
 * 0-based character offset into the block source; the block checker turns it into line and column.
 */
export class GradcheckError extends Error {
  constructor(
    message: string,
    public offset?: number,
    /** 'shape' marks shape mismatches: inside a grad formula they are a wrong gradient, not bad input. */
    readonly category: 'shape' | 'limit' | 'input' = 'input',
    /** The NAME.m file the offset is in, when it is not the block (Octave front end). */
    public file?: { name: string; source: string },
  ) {
    super(message);
    this.name = 'GradcheckError';
  }
}

/** 1-based line and column of an offset, counting lines from `firstLine`. */
export function lineColumn(source: string, offset: number, firstLine: number): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = 0; i < Math.min(offset, source.length); i++) {
    if (source[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
