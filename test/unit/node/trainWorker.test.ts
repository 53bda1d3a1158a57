/**
 * The training worker as the extension host drives it: the real src/worker/trainWorker.ts, bundled
 * by esbuild into a temporary file and started in a worker_thread, answering preview and train
 * messages (in-memory and streaming) with progress snapshots, a report, and cancellation through the
 * shared flag.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostToWorker, WorkerToHost } from '../../../src/protocol/worker';
import { DEFAULT_SETTINGS, type TrainSettings } from '../../../src/core/run/settings';
import { Rng } from '../../../src/core/random';

let dir: string;
let workerFile: string;
let csv: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logit-lab-worker-'));
  workerFile = join(dir, 'trainWorker.js');
  await build({ entryPoints: [join(__dirname, '../../../src/worker/trainWorker.ts')], outfile: workerFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', mainFields: ['module', 'main'] });
  // 60,000 rows, two informative features and one noise feature: y ~ Bernoulli(σ(2 x1 - x2)).
  const rng = new Rng(7);
  const lines = ['x1,x2,noise,label'];
  for (let i = 0; i < 60_000; i++) {
    const x1 = rng.normal();
    const x2 = rng.normal();
    const p = 1 / (1 + Math.exp(-(2 * x1 - x2)));
    lines.push(`${x1.toFixed(5)},${x2.toFixed(5)},${rng.normal().toFixed(5)},${rng.next() < p ? 'yes' : 'no'}`);
  }
  csv = join(dir, 'data.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Posts one message and collects the answers until a final one (didPreview, didFinish, didCancel, didFail). */
function request(message: HostToWorker, onMessage?: (m: WorkerToHost) => void): Promise<WorkerToHost[]> {
  const worker = new Worker(workerFile);
  const seen: WorkerToHost[] = [];
  return new Promise<WorkerToHost[]>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m: WorkerToHost) => {
      seen.push(m);
      onMessage?.(m);
      if (m.type !== 'didUpdateProgress') resolve(seen);
    });
    worker.postMessage(message);
  }).finally(() => void worker.terminate());
}

const train = (settings: Partial<TrainSettings>, cancelFlag = new SharedArrayBuffer(4)): HostToWorker => ({
  type: 'train', requestId: 1, filePath: csv, fileName: 'data.csv', settings: { ...DEFAULT_SETTINGS, ...settings }, cancelFlag,
});

describe('training worker', () => {
  it('previews the file: typed columns and the guessed target with its class balance', async () => {
    const [answer] = await request({ type: 'preview', requestId: 3, filePath: csv, fileName: 'data.csv' });
    expect(answer.type).toBe('didPreview');
    if (answer.type !== 'didPreview') return;
    expect(answer.requestId).toBe(3);
    expect(answer.preview.nRows).toBe(60_000);
    expect(answer.preview.guessedTarget).toBe('label');
    expect(answer.preview.classBalance.map((c) => c.label)).toEqual(['no', 'yes']);
    expect(answer.preview.classBalance.reduce((s, c) => s + c.count, 0)).toBe(60_000);
  });

  it.each([
    ['in memory (lbfgs)', { solver: 'lbfgs' as const }],
    ['streaming from disk (mini-batch SGD)', { stream: true, epochs: 2 }],
  ])('trains %s, reports progress and a model that separates the classes', async (_name, settings) => {
    const answers = await request(train(settings));
    const last = answers.at(-1)!;
    expect(last.type, JSON.stringify(last).slice(0, 400)).toBe('didFinish');
    if (last.type !== 'didFinish') return;
    const { report } = last;
    expect(report.model.classes).toEqual(['no', 'yes']);
    expect(report.model.featureNames).toEqual(['x1', 'x2', 'noise']);
    // The generating weights are (2, -1, 0) on unit-variance features.
    const [w1, w2, w3] = report.model.coef[0];
    expect(w1).toBeGreaterThan(1.6);
    expect(w2).toBeLessThan(-0.7);
    expect(Math.abs(w3)).toBeLessThan(0.15);
    expect(report.evaluation.test ?? report.evaluation.validation).toBeDefined();
    const acc = (report.evaluation.test ?? report.evaluation.validation)!.metrics?.accuracy ?? NaN;
    expect(acc).toBeGreaterThan(0.76); // the Bayes rate of this model is about 0.79
    expect(answers.filter((m) => m.type === 'didUpdateProgress').length).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('stops a streaming run when the host raises the cancel flag after the first progress', async () => {
    const flag = new SharedArrayBuffer(4);
    const answers = await request(train({ stream: true, epochs: 50 }, flag), (m) => {
      if (m.type === 'didUpdateProgress') Atomics.store(new Int32Array(flag), 0, 1);
    });
    expect(answers.at(-1)!.type).toBe('didCancel');
  }, 120_000);

  it('answers a missing file with a diagnostic naming it, not a crash', async () => {
    const [answer] = await request({ ...train({}), filePath: join(dir, 'missing.csv'), fileName: 'missing.csv' });
    expect(answer.type).toBe('didFail');
    if (answer.type !== 'didFail') return;
    expect(answer.diagnostics[0]).toMatchObject({ file: 'missing.csv', code: 'file.unreadable' });
    expect(answer.diagnostics[0].message).toContain('does not exist');
    expect(answer.internal).toBeUndefined();
  });

  it("answers a device file and an identifier-like target with the CLI's messages", async () => {
    const [device] = await request({ ...train({}), filePath: '/dev/zero', fileName: 'zero' });
    expect(device.type === 'didFail' && device.diagnostics[0].message).toBe('is a device, not a regular file');
    const ids = join(dir, 'ids.csv');
    writeFileSync(ids, 'x,id\n' + Array.from({ length: 2000 }, (_, i) => `${i % 7},c${i % 1000}`).join('\n') + '\n');
    for (const stream of [false, true]) {
      const [answer] = await request({ ...train({ target: ['id'], stream }), filePath: ids, fileName: 'ids.csv' });
      expect(answer.type).toBe('didFail');
      if (answer.type !== 'didFail') return;
      expect(answer.diagnostics[0]).toMatchObject({ file: 'ids.csv', code: 'target.too-many-classes' });
      expect(answer.diagnostics[0].message).toBe("'id' has 1,000 distinct values in 2,000 rows: is it an identifier? A target with more than 50 classes needs at least 10 rows per class on average; choose another target column");
    }
  });
});
