/**
 * The run history (src/host/runStore.ts): written SAVE_DELAY_MS after a run (issue 20: not while the
 * report is on its way to the webview), whole or not at all (a part file renamed over the history),
 * and written at once by `flush` when the extension is deactivated.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunRecord } from '../../../src/protocol/panel';

vi.mock('vscode', () => {
  const uri = (fsPath: string) => ({ scheme: 'file', fsPath, toString: () => `file://${fsPath}` });
  return {
    Uri: {
      file: uri,
      joinPath: (base: { fsPath: string }, ...parts: string[]) => uri(join(base.fsPath, ...parts)),
    },
    workspace: { fs: {} },
  };
});

const { RunStore, SAVE_DELAY_MS } = await import('../../../src/host/runStore');
const vscode = await import('vscode');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'logit-lab-runstore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (id: number) => ({ id, label: `#${id}`, report: { note: `run ${id}` } }) as unknown as RunRecord;
const savedFiles = () => {
  try {
    return readdirSync(join(dir, 'runs'));
  } catch {
    return [];
  }
};

describe('RunStore', () => {
  it('writes the history after SAVE_DELAY_MS, whole (no part file left), with every run', async () => {
    vi.useFakeTimers();
    try {
      const store = new RunStore(vscode.Uri.file(dir) as never);
      const data = vscode.Uri.file(join(dir, 'data.csv')) as never;
      await store.add(data, run(1));
      await store.add(data, run(2));
      expect(savedFiles()).toEqual([]);
      await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS + 10);
    } finally {
      vi.useRealTimers();
    }
    // The write itself is real I/O: wait for it.
    for (let i = 0; i < 100 && savedFiles().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    const files = savedFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{24}\.json$/);
    const saved = JSON.parse(readFileSync(join(dir, 'runs', files[0]), 'utf8'));
    expect(saved.v).toBe(1);
    expect(saved.runs.map((r: RunRecord) => r.id)).toEqual([1, 2]);
    // A second store reads it back.
    const again = new RunStore(vscode.Uri.file(dir) as never);
    expect((await again.get(vscode.Uri.file(join(dir, 'data.csv')) as never)).map((r) => r.id)).toEqual([1, 2]);
  });

  it('flush writes what is still due at once, and nothing is written twice after it', async () => {
    const store = new RunStore(vscode.Uri.file(dir) as never);
    const data = vscode.Uri.file(join(dir, 'data.csv')) as never;
    await store.add(data, run(7));
    expect(savedFiles()).toEqual([]);
    store.flush();
    const files = savedFiles();
    expect(files).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, 'runs', files[0]), 'utf8')).runs.map((r: RunRecord) => r.id)).toEqual([7]);
  });
});
