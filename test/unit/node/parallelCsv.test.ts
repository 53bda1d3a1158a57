/**
 * The two-thread fast path through loadTrainingData: the real src/worker/parseWorker.ts, bundled by
 * esbuild into a temporary directory, parses the second half of files made small by a low size
 * threshold; the result (fast table, or general table and fallback reason) is the single pass's, and
 * a worker that fails or gives up leaves the calling thread to finish the single pass.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random';
import { loadTrainingData, type TrainingData } from '../../../src/node/loadDataset';
import { findCut, sampledLines, type ParallelParseOptions } from '../../../src/node/parallelCsv';

let dir: string;
let workerFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logit-lab-parse-'));
  workerFile = join(dir, 'parseWorker.js');
  await build({ entryPoints: [join(__dirname, '../../../src/worker/parseWorker.ts')], outfile: workerFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', mainFields: ['module', 'main'] });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The loaded data without its timing, typed arrays as plain arrays (values as bit patterns). */
function plain(data: TrainingData): unknown {
  const { parseMs: _p, fast, ...rest } = data;
  if (!fast) return rest;
  return {
    ...rest,
    fast: {
      ...fast,
      values: Array.from(new BigUint64Array(fast.values.slice().buffer)),
      rowLines: Array.from(fast.rowLines),
      columns: fast.columns.map((c) => (c.kind === 'dictionary' ? { ...c, codes: Array.from(c.codes) } : { ...c, infiniteTexts: [...c.infiniteTexts] })),
    },
  };
}

const parallel = (options: ParallelParseOptions = {}) => ({ parallel: { workerFile, minBytes: 0, threads: 2, ...options } });
const oneThread = { parallel: { workerFile: null } };

/** loadTrainingData on two threads gives the single pass's result; returns the two-thread result. */
function expectSameAsSingle(path: string, options = parallel()): TrainingData {
  const two = loadTrainingData(path, 'data.csv', undefined, options);
  const one = loadTrainingData(path, 'data.csv', undefined, oneThread);
  expect(plain(two)).toEqual(plain(one));
  return two;
}

/** Numeric columns with missing tokens and infinities, a categorical column with new levels in the second half, blank lines. */
function generated(options: { rows?: number; delimiter?: string; decimalComma?: boolean; eol?: string; cell?: (i: number) => string | undefined } = {}): string {
  const { rows = 6000, delimiter = ',', decimalComma = false, eol = '\n' } = options;
  const random = new Rng(5);
  const num = (v: number, digits: number) => (decimalComma ? v.toFixed(digits).replace('.', ',') : v.toFixed(digits));
  const lines = [['x1', 'x2', 'color', 'label'].join(delimiter)];
  for (let i = 0; i < rows; i++) {
    const x1 = i % 97 === 5 ? 'NA' : i % 89 === 7 ? '' : i % 83 === 3 ? '-inf' : num(random.normal() * 10, i % 6);
    const x2 = options.cell?.(i) ?? num(random.next(), 4);
    const colors = i < rows / 2 ? ['red', 'green'] : ['red', 'green', 'blue', `shade${i % 11}`];
    lines.push([x1, x2, colors[Math.floor(random.next() * colors.length)], random.next() < 0.5 ? 'yes' : 'no'].join(delimiter));
    if (i >= rows / 2 - 6 && i <= rows / 2 + 6 && i % 2 === 0) lines.push(i % 4 ? '  ' : '');
  }
  return lines.join(eol) + eol;
}

describe('loadTrainingData on two threads', () => {
  it('gives the single pass table: numbers, missing tokens, infinities, levels first seen in the second half, blank lines', () => {
    const path = write('mixed.csv', generated());
    const two = expectSameAsSingle(path);
    expect(two.fast).toBeDefined();
    // The two-thread path ran: its values are in the shared buffer both threads wrote.
    expect(two.fast!.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    const color = two.fast!.columns[2];
    expect(color.kind === 'dictionary' && [color.levels.slice(0, 2).sort(), color.levels.length]).toEqual([['green', 'red'], 14]);
  });

  it('estimates the first part\'s lines from spread windows: exact on a small span, within 2 % on a large one, CR-only files too', () => {
    const text = generated({ rows: 40000 });
    const path = write('lines.csv', text);
    const lines = (t: string) => t.split('\n').length - 1;
    expect(sampledLines(path, 0, 100_000)).toBe(lines(text.slice(0, 100_000)));
    const size = Buffer.byteLength(text);
    const estimate = sampledLines(path, 0, size)!;
    expect(Math.abs(estimate / lines(text) - 1)).toBeLessThan(0.02);
    const cr = write('cr.csv', text.replace(/\n/g, '\r'));
    expect(sampledLines(cr, 0, size)).toBe(estimate);
    expect(sampledLines(write('none.csv', 'a'.repeat(5000)), 0, 5000)).toBeNull();
  });

  it('handles CRLF line ends with blank lines at the cut', () => {
    const path = write('crlf.csv', generated({ eol: '\r\n' }));
    // The cut is after the LF of a CRLF, never between the CR and the LF.
    const bytes = readFileSync(path);
    const cut = findCut(path, bytes.length);
    expect(cut).toBeGreaterThan(bytes.length / 2);
    expect([bytes[cut - 2], bytes[cut - 1]]).toEqual([0x0d, 0x0a]);
    expect(expectSameAsSingle(path).fast!.values.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('handles decimal commas with a ";" delimiter', () => {
    const path = write('semicolon.csv', generated({ delimiter: ';', decimalComma: true }));
    const two = expectSameAsSingle(path);
    expect(two.fast!.decimalComma).toBe(true);
    expect(two.fast!.values.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('falls back like the single pass when a numeric column meets text only in the second half', () => {
    const path = write('late-text.csv', generated({ cell: (i) => (i === 5000 ? 'n/a?' : undefined) }));
    const two = expectSameAsSingle(path);
    expect(two.fallback).toMatch(/text 'n\/a\?' at line \d+ in column "x2"/);
    expect(two.table).toBeDefined();
  });

  it('finishes on the calling thread when the worker fails or gives up', () => {
    const path = write('protocol.csv', generated());
    // Hand-written workers following the protocol: one answers an error, one a fallback.
    for (const answer of [{ error: 'boom' }, { fallback: 'gave up' }]) {
      const file = write(`worker-${Object.keys(answer)[0]}.js`, `
        const { workerData, receiveMessageOnPort } = require('node:worker_threads');
        const { port, control } = workerData;
        Atomics.wait(control, 0, 0);
        if (Atomics.load(control, 0) === 1) {
          receiveMessageOnPort(port);
          port.postMessage(${JSON.stringify(answer)});
          Atomics.store(control, 1, 1);
          Atomics.notify(control, 1);
        }`);
      expectSameAsSingle(path, parallel({ workerFile: file }));
    }
  });

  it('stays on one thread below the size threshold, with one thread, or without the worker file', () => {
    const path = write('small.csv', generated({ rows: 3000 }));
    for (const options of [parallel({ minBytes: 1 << 30 }), parallel({ threads: 1 }), parallel({ workerFile: join(dir, 'absent.js') })]) {
      expect(expectSameAsSingle(path, options).fast!.values.buffer).toBeInstanceOf(ArrayBuffer);
    }
  });
});
