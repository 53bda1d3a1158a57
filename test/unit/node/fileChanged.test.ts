/** Issue 18 item 11: a file that changes between or during streamed passes is an error, not silently different counts. */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/core/diagnostics';
import { fileStreamSource } from '../../../src/node/streamCsv';

const dir = mkdtempSync(join(tmpdir(), 'logit-lab-grow-'));
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => `${from + i},${(from + i) % 3},${(from + i) % 2}`).join('\n') + '\n';

async function drain(pass: AsyncIterable<unknown> | AsyncIterator<unknown>): Promise<number> {
  let blocks = 0;
  const it = Symbol.asyncIterator in pass ? pass[Symbol.asyncIterator]() : pass;
  while (!(await it.next()).done) blocks++;
  return blocks;
}

describe('streaming a file that changes', () => {
  it('refuses a pass after the file grew, naming the file and both sizes', async () => {
    const path = join(dir, 'grow.csv');
    writeFileSync(path, 'a,b,y\n' + rows(0, 2000));
    const source = fileStreamSource(path, 'grow.csv', { blockBytes: 4096, chunkBytes: 1024 });
    expect(await drain(source.pass())).toBeGreaterThan(3);
    const before = source.totalBytes;
    appendFileSync(path, rows(2000, 500));
    const err = await drain(source.pass()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).diagnostic.code).toBe('stream.file-changed');
    expect((err as DataError).message).toMatch(new RegExp(`^grow\\.csv: error: the file changed while it was being streamed \\(${before.toLocaleString('en-US')} bytes at the start`));
  });

  it('refuses a pass during which the file grows', async () => {
    const path = join(dir, 'during.csv');
    writeFileSync(path, 'a,b,y\n' + rows(0, 2000));
    const source = fileStreamSource(path, 'during.csv', { blockBytes: 4096, chunkBytes: 1024 });
    const pass = source.pass()[Symbol.asyncIterator]();
    await pass.next();
    appendFileSync(path, rows(2000, 3000));
    await expect(drain(pass)).rejects.toThrow(/the file changed while it was being streamed/);
  });
});
