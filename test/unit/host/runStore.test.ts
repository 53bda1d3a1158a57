/**
 * The run history (src/host/runStore.ts): one file per run plus an index (issue 20: a new run writes
 * its own file (V8 serialization) and the index, not the whole history), written SAVE_DELAY_MS after a run, each file
 * whole or not at all (a part file renamed over it), written at once by `flush` when the extension is
 * deactivated; the old single-file history is migrated on load; an unreadable run file loses only
 * that run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as OutputPaths from '../../../src/node/outputPaths';
import type { RunRecord } from '../../../src/protocol/panel';
import { packReport, unpackNumbers } from '../../../src/protocol/packNumbers';

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

/** Every atomic write of the store, by file name; `failOn` makes the write of that file name throw. */
const io = vi.hoisted(() => ({ writes: [] as string[], failOn: undefined as string | undefined }));
vi.mock('../../../src/node/outputPaths', async (importOriginal) => {
  const actual = await importOriginal<typeof OutputPaths>();
  return {
    ...actual,
    writeFileAtomic: (path: string, data: string | Uint8Array) => {
      const name = path.split('/').pop()!;
      if (io.failOn === name) throw new Error(`disk full writing ${name}`);
      io.writes.push(name);
      actual.writeFileAtomic(path, data);
    },
  };
});

const { RunStore, SAVE_DELAY_MS, MAX_RUNS } = await import('../../../src/host/runStore');
const vscode = await import('vscode');

let dir: string;
let warnings: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'logit-lab-runstore-'));
  io.writes = [];
  io.failOn = undefined;
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (id: number) => ({ id, label: `#${id}`, report: { note: `run ${id}` } }) as unknown as RunRecord;
const dataUri = () => vscode.Uri.file(join(dir, 'data.csv')) as never;
const key = () => `file://${join(dir, 'data.csv')}`;
const hash = () => createHash('sha256').update(key()).digest('hex').slice(0, 24);
/** The history's folder, and the old single file. */
const historyDir = () => join(dir, 'runs', hash());
const legacyFile = () => join(dir, 'runs', `${hash()}.json`);
const newStore = () => new RunStore(vscode.Uri.file(dir) as never, (m) => warnings.push(m));
const filesIn = (d: string) => (existsSync(d) ? readdirSync(d).sort() : []);
const readJson = (name: string) => JSON.parse(readFileSync(join(historyDir(), name), 'utf8'));
/** A run file: the run as v8.serialize wrote it. */
const readRun = (name: string) => deserialize(readFileSync(join(historyDir(), name)));
const ids = (runs: RunRecord[]) => runs.map((r) => r.id);

/** A store with runs `from..to` saved (flushed), and the writes counter reset. */
async function savedStore(from: number, to: number) {
  const store = newStore();
  for (let id = from; id <= to; id++) await store.add(dataUri(), run(id));
  store.flush();
  io.writes = [];
  return store;
}

describe('RunStore', () => {
  it('writes each run in its own file and the index after SAVE_DELAY_MS (no part file left); a second store reads them back', async () => {
    vi.useFakeTimers();
    const store = newStore();
    try {
      await store.add(dataUri(), run(1));
      await store.add(dataUri(), run(2));
      expect(filesIn(join(dir, 'runs'))).toEqual([]);
      await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS + 10);
    } finally {
      vi.useRealTimers();
    }
    // The write itself waits for real I/O (the folder is made first): wait for it.
    for (let i = 0; i < 100 && !existsSync(join(historyDir(), 'index.json')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(filesIn(join(dir, 'runs'))).toEqual([hash()]);
    expect(filesIn(historyDir())).toEqual(['1.v8', '2.v8', 'index.json']);
    expect(io.writes).toEqual(['1.v8', '2.v8', 'index.json']);
    expect(readJson('index.json')).toEqual({ v: 2, fileUri: key(), runs: [1, 2] });
    expect(readRun('2.v8')).toEqual({ v: 2, run: run(2) });
    expect(ids(await newStore().get(dataUri()))).toEqual([1, 2]);
    expect(warnings).toEqual([]);
  });

  it("saves a report's packed numbers as they are, and reads them back packed: the same numbers, -0 and NaN included", async () => {
    const curve = Array.from({ length: 40 }, (_, i) => (i === 3 ? -0 : i / 7));
    const report = { note: 'packed', accuracy: NaN, evaluation: { curve, counts: Array.from({ length: 40 }, (_, i) => i) } };
    const packed = packReport(report);
    const packedCurve = (packed.evaluation as unknown as { curve: Float64Array }).curve;
    expect(packedCurve).toBeInstanceOf(Float64Array);
    const store = newStore();
    await store.add(dataUri(), { id: 1, label: '#1', report: packed } as unknown as RunRecord);
    store.flush();
    const saved = readRun('1.v8') as { v: number; run: RunRecord };
    expect(saved.v).toBe(2);
    expect(saved.run.report).toEqual(packed);
    const back = (await newStore().get(dataUri()))[0].report as unknown as typeof packed;
    const backCurve = (back.evaluation as unknown as { curve: Float64Array }).curve;
    expect(backCurve).toBeInstanceOf(Float64Array);
    // Kept in a buffer of its own (not a view into the file's bytes: ownBuffers).
    expect([backCurve.byteOffset, backCurve.byteLength]).toEqual([0, backCurve.buffer.byteLength]);
    expect(Buffer.from(backCurve.buffer, backCurve.byteOffset, backCurve.byteLength)).toEqual(Buffer.from(packedCurve.buffer));
    expect(Number.isNaN(back.accuracy)).toBe(true);
    // Unpacked (as the webview and the HTML report get it), the numbers the run had (JSON turns -0 into 0, as posting does).
    expect(unpackNumbers(back)).toEqual(unpackNumbers(packed));
    expect((unpackNumbers(back).evaluation as { curve: number[] }).curve).toEqual(curve.map((x) => x + 0));
  });

  it('adding the 10th run writes its file and the index only; the 11th also deletes the dropped run\'s file', async () => {
    const store = await savedStore(1, MAX_RUNS - 1);
    expect(filesIn(historyDir())).toHaveLength(MAX_RUNS);
    await store.add(dataUri(), run(MAX_RUNS));
    store.flush();
    expect(io.writes).toEqual([`${MAX_RUNS}.v8`, 'index.json']);
    io.writes = [];
    const runs = await store.add(dataUri(), run(MAX_RUNS + 1));
    expect(ids(runs)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    store.flush();
    expect(io.writes).toEqual(['11.v8', 'index.json']);
    expect(filesIn(historyDir())).toEqual([...ids(runs).map((id) => `${id}.v8`), 'index.json'].sort());
    expect(readJson('index.json').runs).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Nothing left to write: a second flush writes nothing.
    io.writes = [];
    store.flush();
    expect(io.writes).toEqual([]);
    // A data file without runs gets no folder.
    await store.get(vscode.Uri.file(join(dir, 'other.csv')) as never);
    store.flush();
    expect(filesIn(join(dir, 'runs'))).toEqual([hash()]);
  });

  it('update rewrites only the run that changed', async () => {
    const store = await savedStore(1, 3);
    const runs = await store.get(dataUri());
    (runs[1].report as unknown as { comparison: unknown }).comparison = { traces: ['lbfgs'] };
    await store.update(dataUri(), 2);
    expect(io.writes).toEqual(['2.v8']);
    expect(readRun('2.v8').run.report.comparison).toEqual({ traces: ['lbfgs'] });
    expect(readRun('1.v8').run.report.comparison).toBeUndefined();
  });

  it('flush writes what is still due at once, and nothing is written twice after it', async () => {
    vi.useFakeTimers();
    try {
      const store = newStore();
      await store.add(dataUri(), run(7));
      expect(filesIn(join(dir, 'runs'))).toEqual([]);
      store.flush();
      expect(io.writes).toEqual(['7.v8', 'index.json']);
      expect(readJson('index.json').runs).toEqual([7]);
      await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 2);
    } finally {
      vi.useRealTimers();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(io.writes).toEqual(['7.v8', 'index.json']);
  });

  it('migrates the old single-file history: read at once, written as run files, the old file deleted only after the index', async () => {
    mkdirSync(join(dir, 'runs'), { recursive: true });
    const curve = Array.from({ length: 40 }, (_, i) => i / 7);
    const withCurve = { ...run(4), report: { note: 'run 4', evaluation: { curve } } } as unknown as RunRecord;
    writeFileSync(legacyFile(), JSON.stringify({ v: 1, fileUri: key(), runs: [run(3), withCurve] }));
    const store = newStore();
    const migrated = await store.get(dataUri());
    expect(ids(migrated)).toEqual([3, 4]);
    // Its curves packed as a run of this session has them: the same numbers.
    const packedCurve = (migrated[1].report as unknown as { evaluation: { curve: Float64Array } }).evaluation.curve;
    expect(packedCurve).toBeInstanceOf(Float64Array);
    expect(unpackNumbers(migrated[1])).toEqual(withCurve);
    // The index fails to be written: the old file stays (the run files written are not listed anywhere).
    io.failOn = 'index.json';
    store.flush();
    expect(existsSync(legacyFile())).toBe(true);
    expect(warnings).toEqual([expect.stringContaining('disk full writing index.json')]);
    expect(ids(await newStore().get(dataUri()))).toEqual([3, 4]);
    // Then it succeeds: the new format holds both runs, and the old file is gone.
    io.failOn = undefined;
    io.writes = [];
    store.flush();
    expect(io.writes).toEqual(['index.json']);
    expect(existsSync(legacyFile())).toBe(false);
    expect(filesIn(historyDir())).toEqual(['3.v8', '4.v8', 'index.json']);
    expect(readJson('index.json')).toEqual({ v: 2, fileUri: key(), runs: [3, 4] });
    expect(unpackNumbers(readRun('4.v8').run)).toEqual(withCurve);
    expect(ids(await newStore().get(dataUri()))).toEqual([3, 4]);
  });

  it('a migrated store keeps working: its next run writes one run file and the index', async () => {
    mkdirSync(join(dir, 'runs'), { recursive: true });
    writeFileSync(legacyFile(), JSON.stringify({ v: 1, fileUri: key(), runs: [run(1), run(2)] }));
    const store = newStore();
    await store.add(dataUri(), run(3));
    store.flush();
    expect(io.writes).toEqual(['1.v8', '2.v8', '3.v8', 'index.json']);
    io.writes = [];
    await store.add(dataUri(), run(4));
    store.flush();
    expect(io.writes).toEqual(['4.v8', 'index.json']);
    expect(ids(await newStore().get(dataUri()))).toEqual([1, 2, 3, 4]);
  });

  it('a corrupt or missing run file loses only that run, with a warning; the next save drops it from the index', async () => {
    await savedStore(1, 4);
    // Run 2 cut short (a file truncated by a full disk outside the store), run 3 gone.
    const whole = readFileSync(join(historyDir(), '2.v8'));
    writeFileSync(join(historyDir(), '2.v8'), whole.subarray(0, whole.length - 8));
    unlinkSync(join(historyDir(), '3.v8'));
    const store = newStore();
    expect(ids(await store.get(dataUri()))).toEqual([1, 4]);
    expect(warnings).toEqual([expect.stringMatching(/^run #3 .*missing/), expect.stringMatching(/^run #2 .*unreadable/)]);
    store.flush();
    expect(io.writes).toEqual(['index.json']);
    expect(readJson('index.json').runs).toEqual([1, 4]);
    expect(filesIn(historyDir())).toEqual(['1.v8', '4.v8', 'index.json']);
  });

  it('an unreadable index: the run files found are kept, oldest first, and the index is written again', async () => {
    await savedStore(1, 3);
    writeFileSync(join(historyDir(), 'index.json'), 'not json');
    const store = newStore();
    expect(ids(await store.get(dataUri()))).toEqual([1, 2, 3]);
    expect(warnings).toEqual([expect.stringContaining('run index')]);
    store.flush();
    expect(readJson('index.json').runs).toEqual([1, 2, 3]);
  });

  it('a failed run file write stops the save: the index does not list the run, which stays due and is written by the next save', async () => {
    const store = await savedStore(1, 1);
    await store.add(dataUri(), run(2));
    io.failOn = '2.v8';
    store.flush();
    expect(io.writes).toEqual([]);
    expect(readJson('index.json').runs).toEqual([1]);
    expect(filesIn(historyDir()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    io.failOn = undefined;
    store.flush();
    expect(io.writes).toEqual(['2.v8', 'index.json']);
    expect(readJson('index.json').runs).toEqual([1, 2]);
  });
});

/** A 3-class run's report as a run of this session has it (packReport): per-class curves on two splits, one curve set of a binary output. */
function classesRun(id: number): RunRecord {
  const curves = (k: number) => ({
    roc: { fpr: Array.from({ length: 40 }, (_, i) => i / 39), tpr: Array.from({ length: 40 }, (_, i) => Math.sqrt(i / 39) - k / 1e3), thresholds: Array.from({ length: 40 }, (_, i) => 1 - i / 40 + id), auc: 0.9 - k / 100 },
    pr: { precision: Array.from({ length: 40 }, (_, i) => 1 - i / 80), recall: Array.from({ length: 40 }, (_, i) => i / 39), thresholds: Array.from({ length: 40 }, (_, i) => 1 - i / 40), averagePrecision: 0.8 },
    sweep: { thresholds: Array.from({ length: 40 }, (_, i) => 1 - i / 40), tp: Array.from({ length: 40 }, (_, i) => i * (k + 1)), fp: Array.from({ length: 40 }, (_, i) => 2 * i), positives: 40 * (k + 1), negatives: 80 },
  });
  const split = (name: string, n: number) => ({ split: name, n, metrics: { accuracy: 0.7 + id / 100 }, perClassCurves: [0, 1, 2].map((k) => curves(k + n)) });
  const report = { note: `run ${id}`, model: { classes: ['a', 'b', 'c'] }, evaluation: { train: split('train', 1), test: split('test', 2) } };
  return { id, label: `#${id}`, report: packReport(report) } as unknown as RunRecord;
}
/** The report's per-class curves of a split, as JSON would give them (unpacked). */
const curvesOf = (r: RunRecord, split: 'train' | 'test') => unpackNumbers(r.report).evaluation[split]?.perClassCurves;

describe('RunStore: older runs keep their per-class curves in their file only (issue 20, host memory)', () => {
  it('once saved, a run other than the newest drops its curves from memory; complete reads back exactly the original', async () => {
    const original = unpackNumbers(classesRun(1).report);
    const store = newStore();
    const runs = await store.add(dataUri(), classesRun(1));
    const first = runs[0];
    store.flush();
    // The newest run keeps its curves after its save.
    expect(curvesOf(first, 'test')).toHaveLength(3);
    expect(first.curvesOmitted).toBeUndefined();
    await store.add(dataUri(), classesRun(2));
    // Not before run 2 exists, and then at once (its file is saved).
    expect(first.curvesOmitted).toEqual({ train: 3, test: 3 });
    expect(first.report.evaluation.train!.perClassCurves).toBeUndefined();
    expect(first.report.evaluation.test!.perClassCurves).toBeUndefined();
    // Everything else of the report stays.
    const { evaluation: _e, ...rest } = original;
    const { evaluation: _k, ...keptRest } = unpackNumbers(first.report);
    expect(keptRest).toEqual(rest);
    expect(unpackNumbers(first.report).evaluation.test!.metrics).toEqual(original.evaluation.test!.metrics);
    // Its file has the whole run.
    expect(unpackNumbers((readRun('1.v8') as { run: RunRecord }).run.report)).toEqual(original);

    const whole = await store.complete(dataUri(), first);
    expect(whole.curvesOmitted).toBeUndefined();
    expect(unpackNumbers(whole.report)).toEqual(original);
    const wholeTest = whole.report.evaluation.test!.perClassCurves![0].roc.tpr as unknown as Float64Array;
    expect(wholeTest).toBeInstanceOf(Float64Array);
    // Each array read back in a buffer of its own (what the webview messaging needs), its bits the original's.
    expect([wholeTest.byteOffset, wholeTest.byteLength]).toEqual([0, wholeTest.buffer.byteLength]);
    expect(Buffer.from(wholeTest.buffer)).toEqual(Buffer.from((classesRun(1).report.evaluation.test!.perClassCurves![0].roc.tpr as unknown as Float64Array).buffer));
    // The run in memory is not changed by it; the newest run is given as it is.
    expect(first.report.evaluation.test!.perClassCurves).toBeUndefined();
    const newest = (await store.get(dataUri()))[1];
    expect(await store.complete(dataUri(), newest)).toBe(newest);
    expect(warnings).toEqual([]);
  });

  it('an older run keeps its curves until its file is written (a failed write loses nothing)', async () => {
    const store = newStore();
    const runs = await store.add(dataUri(), classesRun(1));
    await store.add(dataUri(), classesRun(2));
    expect(curvesOf(runs[0], 'train')).toHaveLength(3);
    io.failOn = '1.v8';
    store.flush();
    expect(curvesOf(runs[0], 'train')).toHaveLength(3);
    io.failOn = undefined;
    store.flush();
    expect(runs[0].curvesOmitted).toEqual({ train: 3, test: 3 });
    expect(curvesOf(runs[1], 'train')).toHaveLength(3);
  });

  it('a run without per-class curves to leave out (no evaluation, or one set) is kept as it is', async () => {
    const store = newStore();
    const single = classesRun(1);
    single.report.evaluation.test!.perClassCurves = single.report.evaluation.test!.perClassCurves!.slice(0, 1);
    delete single.report.evaluation.train;
    const runs = await store.add(dataUri(), single);
    await store.add(dataUri(), run(2));
    await store.add(dataUri(), run(3));
    store.flush();
    expect(runs[0].curvesOmitted).toBeUndefined();
    expect(runs[0].report.evaluation.test!.perClassCurves).toHaveLength(1);
    expect(runs[1]).toEqual(run(2));
  });

  it('a reloaded history keeps the curves of its newest run only; complete reads the others from their files', async () => {
    const store = newStore();
    for (let id = 1; id <= 3; id++) await store.add(dataUri(), classesRun(id));
    store.flush();
    const runs = await newStore().get(dataUri());
    expect(runs.map((r) => r.curvesOmitted)).toEqual([{ train: 3, test: 3 }, { train: 3, test: 3 }, undefined]);
    expect(curvesOf(runs[2], 'test')).toEqual(curvesOf(classesRun(3), 'test'));
    for (const r of runs) expect(unpackNumbers((await store.complete(dataUri(), r)).report)).toEqual(unpackNumbers(classesRun(r.id).report));
  });

  it('update of an older run writes its file whole (curves and the change), then drops its curves again', async () => {
    const store = newStore();
    const runs = await store.add(dataUri(), classesRun(1));
    await store.add(dataUri(), classesRun(2));
    store.flush();
    const older = runs[0];
    expect(older.curvesOmitted).toBeDefined();
    older.report.comparison = { note: 'compared' } as never;
    io.writes = [];
    await store.update(dataUri(), 1);
    expect(io.writes).toEqual(['1.v8']);
    const saved = (readRun('1.v8') as { run: RunRecord }).run;
    expect(saved.curvesOmitted).toBeUndefined();
    expect(unpackNumbers(saved.report)).toEqual({ ...unpackNumbers(classesRun(1).report), comparison: { note: 'compared' } });
    expect(older.curvesOmitted).toEqual({ train: 3, test: 3 });
    expect(older.report.evaluation.test!.perClassCurves).toBeUndefined();
    expect(older.report.comparison).toEqual({ note: 'compared' });
    expect(curvesOf(await store.complete(dataUri(), older), 'test')).toEqual(curvesOf(classesRun(1), 'test'));
  });

  it('a missing or corrupt run file: complete rejects with a readable message (nothing thrown elsewhere)', async () => {
    const store = newStore();
    const runs = await store.add(dataUri(), classesRun(1));
    await store.add(dataUri(), classesRun(2));
    await store.add(dataUri(), classesRun(3));
    store.flush();
    unlinkSync(join(historyDir(), '1.v8'));
    await expect(store.complete(dataUri(), runs[0])).rejects.toThrow(/^the saved file of run #1 could not be read \(.*ENOENT/);
    writeFileSync(join(historyDir(), '2.v8'), 'not a run');
    await expect(store.complete(dataUri(), runs[1])).rejects.toThrow(/^the saved file of run #2 /);
    // The run stays as it was; an update saves it as it is, with a warning.
    expect(runs[0].curvesOmitted).toEqual({ train: 3, test: 3 });
    await store.update(dataUri(), 1);
    expect(warnings).toEqual([expect.stringMatching(/^run #1 .*without its per-class curves: the saved file of run #1 could not be read/)]);
    expect(existsSync(join(historyDir(), '1.v8'))).toBe(true);
  });
});
