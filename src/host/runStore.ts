import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic as writeLocalFileAtomic } from '../node/outputPaths';
import { writeFileAtomic } from './atomicWrite';
import type { RunRecord } from '../protocol/panel';
import { packedToJson } from '../protocol/packNumbers';

/** Runs kept per data file (the oldest are dropped). */
export const MAX_RUNS = 10;
/**
 * A finished run's history is written this long after the run (issue 20): its JSON (megabytes: 8.6 MB
 * a 10-class run, the history up to MAX_RUNS of them) took the extension host's thread while the run's
 * report was on its way to the webview. Runs finished meanwhile are written together; `flush` writes
 * what is still due when the extension is deactivated.
 */
export const SAVE_DELAY_MS = 2000;

/**
 * The run history per data file: in memory for this session, and saved under the extension's
 * storage folder so a reloaded window's panel gets its history back on `ready`.
 */
export class RunStore {
  private readonly runs = new Map<string, RunRecord[]>();
  /** Histories to write (SAVE_DELAY_MS after their last new run). */
  private readonly due = new Map<string, NodeJS.Timeout>();

  constructor(private readonly storageDir: vscode.Uri | undefined, private readonly warn: (m: string) => void = () => undefined) {}

  /** The runs of `fileUri` (loads the saved history on first use). */
  async get(fileUri: vscode.Uri): Promise<RunRecord[]> {
    const key = fileUri.toString();
    let list = this.runs.get(key);
    if (list) return list;
    list = await this.load(key);
    const raced = this.runs.get(key);
    if (raced) return raced;
    this.runs.set(key, list);
    return list;
  }

  async add(fileUri: vscode.Uri, run: RunRecord): Promise<RunRecord[]> {
    const list = await this.get(fileUri);
    list.push(run);
    while (list.length > MAX_RUNS) list.shift();
    const key = fileUri.toString();
    clearTimeout(this.due.get(key));
    this.due.set(
      key,
      setTimeout(() => {
        this.due.delete(key);
        void this.save(key, list);
      }, SAVE_DELAY_MS),
    );
    return list;
  }

  /** Saves the runs of `fileUri` again after one of them changed (a comparison was added to its report). */
  async update(fileUri: vscode.Uri): Promise<void> {
    const key = fileUri.toString();
    clearTimeout(this.due.get(key));
    this.due.delete(key);
    await this.save(key, await this.get(fileUri));
  }

  /** Writes at once (synchronously, for deactivation) the histories still due. */
  flush(): void {
    for (const [key, timer] of [...this.due]) {
      clearTimeout(timer);
      this.due.delete(key);
      const file = this.fileFor(key);
      const runs = this.runs.get(key);
      if (!file || !runs || file.scheme !== 'file') continue;
      try {
        mkdirSync(vscode.Uri.joinPath(file, '..').fsPath, { recursive: true });
        writeLocalFileAtomic(file.fsPath, historyJson(key, runs));
      } catch (error) {
        this.warn(`could not save the run history: ${(error as Error).message}`);
      }
    }
  }

  nextId(list: RunRecord[]): number {
    return list.reduce((m, r) => Math.max(m, r.id), 0) + 1;
  }

  private fileFor(key: string): vscode.Uri | undefined {
    if (!this.storageDir) return undefined;
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 24);
    return vscode.Uri.joinPath(this.storageDir, 'runs', `${hash}.json`);
  }

  private async load(key: string): Promise<RunRecord[]> {
    const file = this.fileFor(key);
    if (!file) return [];
    try {
      const saved = JSON.parse(Buffer.from(await readBytes(file)).toString('utf8')) as { v?: number; fileUri?: string; runs?: RunRecord[] };
      return saved.v === 1 && saved.fileUri === key && Array.isArray(saved.runs) ? saved.runs : [];
    } catch {
      return [];
    }
  }

  private async save(key: string, runs: RunRecord[]): Promise<void> {
    const file = this.fileFor(key);
    if (!file) return;
    try {
      // The folder first: the JSON of the runs (megabytes) is then made after the caller has posted the run.
      await makeFolder(file);
      await writeHistory(file, historyJson(key, runs));
    } catch (error) {
      this.warn(`could not save the run history: ${(error as Error).message}`);
    }
  }
}

/** The saved history: runs of this session have their reports' bulk packed (packReport), written as JSON arrays. */
function historyJson(key: string, runs: RunRecord[]): string {
  return packedToJson({ v: 1, fileUri: key, runs });
}

// The extension host's storage folder is on its own disk (a file: URI): read and written with node:fs
// directly. Through vscode.workspace.fs the first read of a panel's history took 0.6 s in code-server
// at load 7, and the first run waits for it (its number continues the history's): issue 20.
function readBytes(file: vscode.Uri): Promise<Uint8Array> {
  return file.scheme === 'file' ? readFile(file.fsPath) : Promise.resolve(vscode.workspace.fs.readFile(file));
}

async function makeFolder(file: vscode.Uri): Promise<void> {
  const dir = vscode.Uri.joinPath(file, '..');
  if (file.scheme === 'file') await mkdir(dir.fsPath, { recursive: true });
  else await vscode.workspace.fs.createDirectory(dir);
}

/** A history is written whole or not at all (a temp file renamed over it). */
async function writeHistory(file: vscode.Uri, text: string): Promise<void> {
  if (file.scheme === 'file') writeLocalFileAtomic(file.fsPath, text);
  else await writeFileAtomic(file, text);
}
