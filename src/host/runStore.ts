import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { RunRecord } from '../protocol/panel';

/** Runs kept per data file (the oldest are dropped). */
export const MAX_RUNS = 10;

/**
 * The run history per data file: in memory for this session, and saved under the extension's
 * storage folder so a reloaded window's panel gets its history back on `ready`.
 */
export class RunStore {
  private readonly runs = new Map<string, RunRecord[]>();

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
    void this.save(fileUri.toString(), list);
    return list;
  }

  /** Saves the runs of `fileUri` again after one of them changed (a comparison was added to its report). */
  async update(fileUri: vscode.Uri): Promise<void> {
    const key = fileUri.toString();
    await this.save(key, await this.get(fileUri));
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
      await writeBytes(file, Buffer.from(JSON.stringify({ v: 1, fileUri: key, runs }), 'utf8'));
    } catch (error) {
      this.warn(`could not save the run history: ${(error as Error).message}`);
    }
  }
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

async function writeBytes(file: vscode.Uri, bytes: Uint8Array): Promise<void> {
  if (file.scheme === 'file') await writeFile(file.fsPath, bytes);
  else await vscode.workspace.fs.writeFile(file, bytes);
}
