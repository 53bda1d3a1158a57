import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { mkdirSync, unlinkSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic as writeLocalFileAtomic } from '../node/outputPaths';
import { writeFileAtomic } from './atomicWrite';
import type { BinaryCurves, SplitName, TrainReport } from '../core/report/report';
import { runForWebview, type RunRecord } from '../protocol/panel';
import { ownBuffers, packReport } from '../protocol/packNumbers';

/** Runs kept per data file (the oldest are dropped). */
export const MAX_RUNS = 10;
/**
 * A finished run is written this long after the run (issue 20): its JSON (megabytes: 8.6 MB a
 * 10-class run) took the extension host's thread while the run's report was on its way to the
 * webview (now its V8 serialization takes milliseconds). Runs finished meanwhile are written together;
 * `flush` writes what is still due when the extension is deactivated.
 */
export const SAVE_DELAY_MS = 2000;

/**
 * The saved format: `runs/<hash>/index.json` and one `runs/<hash>/<id>.v8` per run, the run as Node's
 * `v8.serialize` makes it (the format of the training process's IPC). A report's packed numbers
 * (packReport: Float64Arrays) are written and read back as bytes: a 10-class run in 3.8 ms and
 * 4.1 MB, where its JSON took 81 ms (unpacking first) and 8.6 MB, and parsing it 36 ms plus 26 ms to
 * pack it again for the webview. A run read back is as a run of this session: packed, its numbers
 * unchanged (JSON would turn NaN to null, -0 to 0, as the posted message does).
 */
const VERSION = 2;
const INDEX = 'index.json';
const RUN_FILE = /^([1-9][0-9]*)\.v8$/;

interface SavedIndex {
  v: number;
  fileUri: string;
  /** The runs' ids, oldest first. */
  runs: number[];
}

/**
 * One data file's history and what is left to write of it. The index lists only runs whose file is
 * written, so a crash between two writes never leaves an index naming a missing run.
 */
interface History {
  runs: RunRecord[];
  /** Runs whose file is to be (re)written, with a count bumped by each change (a write made meanwhile is kept due). */
  dirty: Map<number, number>;
  /** Ids that have a file in the folder (written, or found there on load). */
  onDisk: Set<number>;
  /** The ids the index on disk lists ([] when there is no index file; undefined when it is unreadable). */
  indexed: number[] | undefined;
  /** The old single-file history (v1, `runs/<hash>.json`) is still there: deleted once the new format holds every run. */
  legacy: boolean;
  timer: NodeJS.Timeout | undefined;
  /** The save under way (saves of one history run one after another). */
  saving: Promise<void>;
}

/** A step of a save: write a file whole (atomically), or delete one. */
type SaveStep = { write: vscode.Uri; data: () => string | Uint8Array } | { remove: vscode.Uri };

/**
 * The run history per data file: in memory for this session, and saved under the extension's
 * storage folder so a reloaded window's panel gets its history back on `ready`. Each run has its
 * own file (issue 20: a new run writes its file and the index, not the whole history; dropping a run
 * deletes its file; `update` rewrites the one run that changed).
 *
 * Issue 20 (host memory): a run other than the newest keeps in memory only what the webview gets of
 * it (`runForWebview`): once its file is saved, its per-class curves (3.7 MB of a 10-class run's
 * 4.7 MB) are dropped and `curvesOmitted` says so; `complete` reads them back from the file for
 * those that need them (loadCurves, the HTML report). A run to be written again (`update`) gets its
 * curves back first, so a file always holds the whole run.
 */
export class RunStore {
  private readonly histories = new Map<string, History>();
  private readonly loading = new Map<string, Promise<History>>();

  constructor(private readonly storageDir: vscode.Uri | undefined, private readonly warn: (m: string) => void = () => undefined) {}

  /** The runs of `fileUri` (loads the saved history on first use). */
  async get(fileUri: vscode.Uri): Promise<RunRecord[]> {
    return (await this.history(fileUri.toString())).runs;
  }

  async add(fileUri: vscode.Uri, run: RunRecord): Promise<RunRecord[]> {
    const key = fileUri.toString();
    const h = await this.history(key);
    h.runs.push(run);
    while (h.runs.length > MAX_RUNS) h.runs.shift();
    markDirty(h, run.id);
    dropSavedCurves(h);
    this.schedule(key, h);
    return h.runs;
  }

  /** Saves run `runId` of `fileUri` again (only its file) after it changed: a comparison was added to its report. */
  async update(fileUri: vscode.Uri, runId: number): Promise<void> {
    const key = fileUri.toString();
    const h = await this.history(key);
    const run = h.runs.find((r) => r.id === runId);
    if (run?.curvesOmitted) {
      // Its file is written whole again: its curves back in memory until it is saved.
      try {
        const saved = await this.savedCurves(key, runId, run.curvesOmitted);
        run.report = withCurves(run.report, saved);
        delete run.curvesOmitted;
      } catch (error) {
        this.warn(`run #${runId} of ${key} is saved without its per-class curves: ${(error as Error).message}`);
      }
    }
    if (h.runs.some((r) => r.id === runId)) markDirty(h, runId);
    clearTimeout(h.timer);
    h.timer = undefined;
    await this.save(key, h);
  }

  /**
   * `run` of `fileUri` whole: `run` itself, or, for an older run whose per-class curves are only in
   * its file (`curvesOmitted`), a copy with them read back from it (`run` is not changed). Rejects with
   * a readable message when the file cannot be read or lacks them.
   */
  async complete(fileUri: vscode.Uri, run: RunRecord): Promise<RunRecord> {
    const omitted = run.curvesOmitted;
    if (!omitted) return run;
    const curves = await this.savedCurves(fileUri.toString(), run.id, omitted);
    const { curvesOmitted: _omitted, ...whole } = run;
    return { ...whole, report: withCurves(run.report, curves) };
  }

  /** The splits of run `id` that have curves left out (`omitted`), with their per-class curves read from its file. */
  private async savedCurves(key: string, id: number, omitted: Partial<Record<SplitName, number>>): Promise<Partial<Record<SplitName, BinaryCurves[]>>> {
    const dir = this.dirFor(key);
    let saved: { v?: number; run?: RunRecord } | null;
    try {
      if (!dir) throw new Error('no storage folder');
      saved = deserialize(await readBytes(runFile(dir, id))) as { v?: number; run?: RunRecord } | null;
    } catch (error) {
      throw new Error(`the saved file of run #${id} could not be read (${(error as Error).message})`);
    }
    if (saved?.v !== VERSION || saved.run?.id !== id) throw new Error(`the saved file of run #${id} is not a saved run`);
    const out: Partial<Record<SplitName, BinaryCurves[]>> = {};
    for (const [split, count] of Object.entries(omitted) as [SplitName, number][]) {
      const curves = saved.run.report?.evaluation?.[split]?.perClassCurves;
      if (!Array.isArray(curves) || curves.length !== count) throw new Error(`the saved file of run #${id} lacks its per-class curves on the ${split} split`);
      // Views into the file's bytes: each array in a buffer of its own, the rest of the file is let go.
      out[split] = ownBuffers(curves);
    }
    return out;
  }

  /** Writes at once (synchronously, for deactivation) what is still due. */
  flush(): void {
    for (const [key, h] of this.histories) {
      clearTimeout(h.timer);
      h.timer = undefined;
      const dir = this.dirFor(key);
      if (!dir || dir.scheme !== 'file' || !needsSave(h)) continue;
      try {
        mkdirSync(dir.fsPath, { recursive: true });
        for (const step of this.saveSteps(key, h)) {
          if ('write' in step) writeLocalFileAtomic(step.write.fsPath, step.data());
          else removeLocalFile(step.remove.fsPath);
        }
      } catch (error) {
        this.warn(`could not save the run history: ${(error as Error).message}`);
      }
      dropSavedCurves(h);
    }
  }

  nextId(list: RunRecord[]): number {
    return list.reduce((m, r) => Math.max(m, r.id), 0) + 1;
  }

  private async history(key: string): Promise<History> {
    const known = this.histories.get(key);
    if (known) return known;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(key).then((h) => {
        this.histories.set(key, h);
        this.loading.delete(key);
        if (needsSave(h)) this.schedule(key, h);
        return h;
      });
      this.loading.set(key, pending);
    }
    return pending;
  }

  private schedule(key: string, h: History): void {
    clearTimeout(h.timer);
    h.timer = setTimeout(() => {
      h.timer = undefined;
      void this.save(key, h);
    }, SAVE_DELAY_MS);
  }

  private folderHash(key: string): string {
    return createHash('sha256').update(key).digest('hex').slice(0, 24);
  }

  /** The folder of a data file's history. */
  private dirFor(key: string): vscode.Uri | undefined {
    return this.storageDir && vscode.Uri.joinPath(this.storageDir, 'runs', this.folderHash(key));
  }

  /** The whole history in one file, as saved before issue 20 (read once, then replaced). */
  private legacyFileFor(key: string): vscode.Uri | undefined {
    return this.storageDir && vscode.Uri.joinPath(this.storageDir, 'runs', `${this.folderHash(key)}.json`);
  }

  private async load(key: string): Promise<History> {
    const h: History = { runs: [], dirty: new Map(), onDisk: new Set(), indexed: undefined, legacy: false, timer: undefined, saving: Promise.resolve() };
    const dir = this.dirFor(key);
    const legacyFile = this.legacyFileFor(key);
    if (!dir || !legacyFile) return h;
    const names = await listFolder(dir);
    for (const name of names) {
      const id = RUN_FILE.exec(name)?.[1];
      if (id) h.onDisk.add(Number(id));
    }
    const legacyText = await readText(legacyFile).catch(() => undefined);
    h.legacy = legacyText !== undefined;
    let ids: number[] | undefined;
    // No index file: none to write until there is a run (an unreadable one stays undefined: rewritten).
    if (!names.includes(INDEX)) h.indexed = [];
    else {
      try {
        const index = JSON.parse(await readText(vscode.Uri.joinPath(dir, INDEX))) as Partial<SavedIndex>;
        if (index.v !== VERSION || index.fileUri !== key || !Array.isArray(index.runs)) throw new Error('not a run index of this file');
        ids = index.runs.filter((id) => h.onDisk.has(id) || (this.warn(`run #${id} of ${key}: its file is missing; that run is lost`), false));
        h.indexed = index.runs;
      } catch (error) {
        this.warn(`the run index of ${key} is unreadable (${(error as Error).message}); the run files found are kept`);
      }
    }
    if (ids === undefined && legacyText !== undefined) {
      // Migration: the old file's runs, all to be written in the new format.
      try {
        const saved = JSON.parse(legacyText) as { v?: number; fileUri?: string; runs?: RunRecord[] };
        // Packed as a run of this session is (packReport: the same numbers, which came from JSON), so
        // they are saved as bytes and posted without a walk over their curves.
        if (saved.v === 1 && saved.fileUri === key && Array.isArray(saved.runs)) h.runs = saved.runs.slice(-MAX_RUNS).map((r) => ({ ...r, report: packReport(r.report) }));
      } catch (error) {
        this.warn(`the run history of ${key} is unreadable (${(error as Error).message}); it is dropped`);
      }
      for (const run of h.runs) markDirty(h, run.id);
      return h;
    }
    // Without a readable index: the run files there, oldest first.
    ids ??= [...h.onDisk].sort((a, b) => a - b).slice(-MAX_RUNS);
    const runs = await Promise.all(ids.map((id, i) => this.readRun(dir, id, key, i < ids.length - 1)));
    h.runs = runs.filter((r): r is RunRecord => r !== undefined);
    return h;
  }

  /**
   * Run `id`'s record, or undefined (with a warning) when its file is unreadable: only that run is lost.
   * `older`: not the newest run, kept without its per-class curves (they stay in the file).
   */
  private async readRun(dir: vscode.Uri, id: number, key: string, older: boolean): Promise<RunRecord | undefined> {
    try {
      const saved = deserialize(await readBytes(runFile(dir, id))) as { v?: number; run?: RunRecord } | null;
      if (saved?.v !== VERSION || saved.run?.id !== id) throw new Error('not a saved run');
      if (older) dropCurves(saved.run);
      // Its arrays are views into the file's bytes (or copies): kept, each in a buffer of its own.
      return ownBuffers(saved.run);
    } catch (error) {
      this.warn(`run #${id} of ${key} is unreadable (${(error as Error).message}); that run is lost`);
      return undefined;
    }
  }

  private save(key: string, h: History): Promise<void> {
    const next = h.saving.then(async () => {
      const dir = this.dirFor(key);
      if (!dir || !needsSave(h)) return;
      try {
        await makeFolder(dir);
        // Steps are taken from the history as it is when each is reached (a run added meanwhile waits for its own save).
        for (const step of this.saveSteps(key, h)) {
          if ('write' in step) await writeAtomic(step.write, step.data());
          else await removeFile(step.remove);
        }
      } catch (error) {
        this.warn(`could not save the run history: ${(error as Error).message}`);
      }
      dropSavedCurves(h);
    });
    h.saving = next;
    return next;
  }

  /**
   * What a save does, in an order that keeps the saved history whole after any step: the changed
   * runs' files, then the index (only runs with a file), then the files of runs no longer kept, then
   * the old single file once every run is in the new format. A failed step stops the save (what it
   * had left stays due); each step's bookkeeping is done only once the step succeeded.
   */
  private *saveSteps(key: string, h: History): Generator<SaveStep, void, void> {
    const dir = this.dirFor(key)!;
    for (const run of [...h.runs]) {
      const change = h.dirty.get(run.id);
      if (change === undefined) continue;
      yield { write: runFile(dir, run.id), data: () => serialize({ v: VERSION, run }) };
      h.onDisk.add(run.id);
      if (h.dirty.get(run.id) === change) h.dirty.delete(run.id);
    }
    for (const id of h.dirty.keys()) if (!h.runs.some((r) => r.id === id)) h.dirty.delete(id);
    const ids = savedRuns(h);
    if (!sameIds(ids, h.indexed)) {
      yield { write: vscode.Uri.joinPath(dir, INDEX), data: () => JSON.stringify({ v: VERSION, fileUri: key, runs: ids } satisfies SavedIndex) };
      h.indexed = ids;
    }
    for (const id of [...h.onDisk]) {
      if (ids.includes(id)) continue;
      yield { remove: runFile(dir, id) };
      h.onDisk.delete(id);
    }
    if (h.legacy && h.dirty.size === 0 && ids.length === h.runs.length) {
      yield { remove: this.legacyFileFor(key)! };
      h.legacy = false;
    }
  }
}

/**
 * Drops from memory the per-class curves of every run but the newest whose file holds them (saved,
 * nothing due): issue 20, the host back near its idle size after runs, not growing by 3.7 MB a run.
 */
function dropSavedCurves(h: History): void {
  for (let i = 0; i < h.runs.length - 1; i++) {
    const run = h.runs[i];
    if (h.onDisk.has(run.id) && !h.dirty.has(run.id)) dropCurves(run);
  }
}

/** Keeps of `run` what the webview gets of it (runForWebview: no per-class curves, counted in `curvesOmitted`), in place. */
function dropCurves(run: RunRecord): void {
  if (typeof run.report?.evaluation !== 'object' || run.report.evaluation === null) return;
  const slim = runForWebview(run);
  if (slim === run) return;
  run.report = slim.report;
  run.curvesOmitted = slim.curvesOmitted;
}

/** A copy of `report` whose splits named in `curves` have those per-class curves (`report` is not changed). */
function withCurves(report: TrainReport, curves: Partial<Record<SplitName, BinaryCurves[]>>): TrainReport {
  const evaluation = { ...report.evaluation };
  for (const [split, perClassCurves] of Object.entries(curves) as [SplitName, BinaryCurves[]][]) {
    const ev = evaluation[split];
    if (ev) evaluation[split] = { ...ev, perClassCurves };
  }
  return { ...report, evaluation };
}

function markDirty(h: History, id: number): void {
  h.dirty.set(id, (h.dirty.get(id) ?? 0) + 1);
}

/** The ids of the runs that have a file (what the index may list), oldest first. */
function savedRuns(h: History): number[] {
  return h.runs.filter((r) => h.onDisk.has(r.id)).map((r) => r.id);
}

function needsSave(h: History): boolean {
  const ids = savedRuns(h);
  return h.dirty.size > 0 || h.legacy || !sameIds(ids, h.indexed) || h.onDisk.size > ids.length;
}

function sameIds(a: number[], b: number[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((id, i) => id === b[i]);
}

function runFile(dir: vscode.Uri, id: number): vscode.Uri {
  return vscode.Uri.joinPath(dir, `${id}.v8`);
}

// The extension host's storage folder is on its own disk (a file: URI): read and written with node:fs
// directly. Through vscode.workspace.fs the first read of a panel's history took 0.6 s in code-server
// at load 7, and the first run waits for it (its number continues the history's): issue 20.
async function readBytes(file: vscode.Uri): Promise<Buffer> {
  const bytes = file.scheme === 'file' ? await readFile(file.fsPath) : await vscode.workspace.fs.readFile(file);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function readText(file: vscode.Uri): Promise<string> {
  return (await readBytes(file)).toString('utf8');
}

/** The names in a folder ([] when it does not exist). */
async function listFolder(dir: vscode.Uri): Promise<string[]> {
  try {
    if (dir.scheme === 'file') return await readdir(dir.fsPath);
    return (await vscode.workspace.fs.readDirectory(dir)).map(([name]) => name);
  } catch {
    return [];
  }
}

async function makeFolder(dir: vscode.Uri): Promise<void> {
  if (dir.scheme === 'file') await mkdir(dir.fsPath, { recursive: true });
  else await vscode.workspace.fs.createDirectory(dir);
}

/** A file is written whole or not at all (a temp file renamed over it). */
async function writeAtomic(file: vscode.Uri, data: string | Uint8Array): Promise<void> {
  if (file.scheme === 'file') writeLocalFileAtomic(file.fsPath, data);
  else await writeFileAtomic(file, data);
}

async function removeFile(file: vscode.Uri): Promise<void> {
  if (file.scheme === 'file') return removeLocalFile(file.fsPath);
  await vscode.workspace.fs.delete(file).then(undefined, (e: unknown) => {
    if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) throw e;
  });
}

function removeLocalFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
