/**
 * checkHeaderLine reads the file's first 64 KiB and, only when the header line does not end in them,
 * up to MAX_HEADER_BYTES: the same verdicts either way (a long header accepted, too many fields or no
 * line break within MAX_HEADER_BYTES refused, naming the file and line 1).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../../src/core/diagnostics';
import { checkHeaderLine, MAX_HEADER_BYTES } from '../../../src/node/headerCheck';

const dir = mkdtempSync(join(tmpdir(), 'logit-lab-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(name: string, text: string): DataError | undefined {
  const path = join(dir, name);
  writeFileSync(path, text);
  try {
    checkHeaderLine(path, name, Buffer.byteLength(text));
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  return undefined;
}

describe('checkHeaderLine', () => {
  it('accepts a header line that ends past the first 64 KiB (1,000 columns of 100-byte names)', () => {
    const header = Array.from({ length: 1000 }, (_, j) => `c${j}`.padEnd(100, 'x')).join(',');
    expect(header.length).toBeGreaterThan(1 << 16);
    expect(check('long.csv', `${header}\n${Array.from({ length: 1000 }, () => 1).join(',')}\n`)).toBeUndefined();
  });

  it('counts the fields of a header past the first 64 KiB', () => {
    const header = Array.from({ length: 100_001 }, (_, j) => `c${j}`).join(',');
    const e = check('wide.csv', `${header}\r\n1\r\n`);
    expect(e?.diagnostic.code).toBe('csv.too-many-columns');
    expect(e?.message).toContain('100,001 columns');
    expect(e?.diagnostic.line).toBe(1);
  });

  it('refuses a first line without a break within MAX_HEADER_BYTES, and accepts a short file without one', () => {
    expect(check('huge.csv', 'a'.repeat(MAX_HEADER_BYTES + 10))?.diagnostic.code).toBe('csv.header-too-long');
    expect(check('short.csv', 'a,b,c')).toBeUndefined();
  });
});
