/**
 * Streaming training (src/core/run/streaming.ts through src/node/streamCsv.ts) on generated files:
 * standardization statistics against the in-memory preprocessor, the hold-out never trained on,
 * block boundaries that do not change the result, late classes / text values as DataErrors at their
 * line and column, cancellation between mini-batches, and validation loss close to in-memory SGD.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/core/data/csv';
import { inferColumns } from '../../../src/core/data/dataset';
import { buildDataset } from '../../../src/core/data/dataPlan';
import { DataError } from '../../../src/core/diagnostics';
import { fitPreprocessor } from '../../../src/core/data/preprocess';
import { Rng } from '../../../src/core/random';
import { takeRows } from '../../../src/core/data/split';
import { streamSplitOf } from '../../../src/core/run/streaming';
import { TrainingCancelled, trainFromBytes } from '../../../src/core/run/train';
import { countLines, lastRecordEnd, trainStreamFromFile } from '../../../src/node/streamCsv';

const dir = mkdtempSync(join(tmpdir(), 'logit-lab-stream-'));

interface GenOptions {
  n: number;
  seed?: number;
  classes?: number;
  /** Flip the label of every row the hold-out hash puts in validation (seed 0, val 0.1, test 0.2). */
  flipValidation?: boolean;
  missingEvery?: number;
  crlf?: boolean;
  quotedColour?: boolean;
}

/** A CSV with features x1, x2, x3 (numbers), colour (3 levels) and label (a logistic model of them). */
function generate(o: GenOptions): string {
  const rng = new Rng(o.seed ?? 1);
  const K = o.classes ?? 2;
  const eol = o.crlf ? '\r\n' : '\n';
  const colours = o.quotedColour ? ['red', '"blue, dark"', '"green\nish"'] : ['red', 'blue', 'green'];
  const lines = ['x1,x2,x3,colour,label'];
  for (let i = 0; i < o.n; i++) {
    const x = [rng.normal() * 2 + 1, rng.normal() * 0.5 - 3, rng.normal() * 10];
    const c = rng.int(3);
    let label: number;
    if (K === 2) {
      const z = 1.5 * x[0] - 2 * x[1] + 0.05 * x[2] + (c === 1 ? 1 : 0) - 7.5;
      label = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    } else {
      const z = [x[0], -x[1] - 3, 0.1 * x[2] + (c === 2 ? 1 : 0)];
      let best = 0;
      for (let k = 1; k < K; k++) if (z[k] + rng.normal() * 0.3 > z[best]) best = k;
      label = best;
    }
    if (o.flipValidation && streamSplitOf(i, 0, 0.1, 0.2) === 1) label = K === 2 ? 1 - label : (label + 1) % K;
    const cells = x.map((v) => v.toFixed(6));
    if (o.missingEvery && i % o.missingEvery === 3) cells[1] = '';
    lines.push([...cells, colours[c], K === 2 ? (label ? 'yes' : 'no') : `c${label}`].join(','));
  }
  return lines.join(eol) + eol;
}

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('block cutting', () => {
  it('cuts after the last record break outside quotes, never inside a CRLF', () => {
    const b = new TextEncoder().encode('a,b\n1,"x\ny"\n2,');
    expect(lastRecordEnd(b, b.length, false)).toBe(12);
    expect(lastRecordEnd(b, 9, false)).toBe(4); // the LF at 8 is inside quotes
    const crlf = new TextEncoder().encode('a\r\n1\r');
    expect(lastRecordEnd(crlf, crlf.length, false)).toBe(3);
    expect(lastRecordEnd(crlf, crlf.length, true)).toBe(5);
    expect(countLines(new TextEncoder().encode('a\r\nb\rc\nd'), 0, 8)).toBe(3);
  });
});

describe('streaming training', () => {
  const text = generate({ n: 20000, missingEvery: 17 });
  const path = write('binary.csv', text);

  it('standardizes with the in-memory statistics of the training rows (1e-12 relative)', async () => {
    const report = await trainStreamFromFile(path, { epochs: 1 }, { fileName: 'binary.csv' });
    const table = parseCsv(new TextEncoder().encode(text));
    const ds = buildDataset(table, inferColumns(table), { target: 'label' });
    const train = Int32Array.from({ length: ds.n }, (_, i) => i).filter((i) => streamSplitOf(i, 0, 0.1, 0.2) === 0);
    const prep = fitPreprocessor(takeRows(ds.X, ds.d, train), train.length, ds.d, true);
    const pre = report.model.preprocessor;
    expect(report.model.featureNames).toEqual(ds.featureNames);
    expect(report.data.nTrain).toBe(train.length);
    for (let j = 0; j < ds.d; j++) {
      expect(Math.abs(pre.imputeMean[j] - prep.imputeMean[j])).toBeLessThanOrEqual(1e-12 * Math.abs(prep.imputeMean[j]) + 1e-15);
      expect(Math.abs(pre.mean[j] - prep.mean[j])).toBeLessThanOrEqual(1e-12 * Math.abs(prep.mean[j]) + 1e-15);
      expect(Math.abs(pre.scale[j] - prep.scale[j])).toBeLessThanOrEqual(1e-12 * prep.scale[j]);
    }
    expect(report.data.missingCounts.x2).toBe(Math.floor((20000 - 4) / 17) + 1);
  });

  it('reaches a validation log-loss close to in-memory mini-batch SGD and to the optimum', async () => {
    const settings = { solver: 'minibatch' as const, optimizer: 'adam' as const, epochs: 5, maxIter: 5, batchSize: 64, learningRate: 0.01 };
    const streamed = await trainStreamFromFile(path, settings, { fileName: 'binary.csv' });
    const inMemory = trainFromBytes(new TextEncoder().encode(text), settings, { fileName: 'binary.csv' });
    const optimum = trainFromBytes(new TextEncoder().encode(text), { solver: 'lbfgs' }, { fileName: 'binary.csv' });
    const vs = streamed.evaluation.validation!.metrics!.logLoss;
    const vm = inMemory.evaluation.validation!.metrics!.logLoss;
    const vo = optimum.evaluation.validation!.metrics!.logLoss;
    expect(streamed.stream!.finalValidationLoss).toBeCloseTo(vs, 12);
    // Different hold-out rows (hash vs stratified split): agree within sampling noise of ~2000 rows.
    expect(Math.abs(vs - vm)).toBeLessThan(0.03);
    expect(Math.abs(vs - vo)).toBeLessThan(0.03);
    expect(vs).toBeLessThan(0.45);
    // The training objective of the streamed fit is within 1% of the optimum's.
    const trainLoss = streamed.evaluation.train!.metrics!.logLoss;
    expect(trainLoss).toBeLessThan(optimum.evaluation.train!.metrics!.logLoss * 1.02 + 0.01);
    expect(streamed.lossHistory.train.length).toBe(streamed.lossHistory.validation.length);
    expect(streamed.lossHistory.train.length).toBeGreaterThanOrEqual(5 * 40);
    expect(streamed.stream!.epochValidationLoss).toHaveLength(5);
    expect(streamed.evaluation.validation!.metrics!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(streamed.data.nValidation);
  });

  it('never trains on the hold-out rows (their labels flipped: validation accuracy collapses)', async () => {
    const flipped = write('flipped.csv', generate({ n: 20000, flipValidation: true }));
    const r = await trainStreamFromFile(flipped, { epochs: 3 }, { fileName: 'flipped.csv' });
    const train = r.evaluation.train!.metrics!.accuracy;
    const validation = r.evaluation.validation!.metrics!.accuracy;
    expect(train).toBeGreaterThan(0.8);
    expect(validation).toBeLessThan(0.2);
    expect(validation).toBeCloseTo(1 - train, 1);
  });

  it('gives the same model whatever the block and read sizes (cuts inside lines, quoted newlines, CRLF)', async () => {
    const tricky = write('tricky.csv', generate({ n: 3000, crlf: true, quotedColour: true, missingEvery: 11 }));
    const base = await trainStreamFromFile(tricky, { epochs: 2 }, { fileName: 'tricky.csv', sampleBytes: 1 << 20 });
    const small = await trainStreamFromFile(tricky, { epochs: 2 }, { fileName: 'tricky.csv', sampleBytes: 1 << 20, blockBytes: 1001, chunkBytes: 77 });
    expect(small.model.coefStandardized).toEqual(base.model.coefStandardized);
    expect(small.model.interceptStandardized).toEqual(base.model.interceptStandardized);
    expect(small.model.preprocessor).toEqual(base.model.preprocessor);
    expect(small.lossHistory).toEqual(base.lossHistory);
    expect(small.evaluation.test!.metrics!.confusion).toEqual(base.evaluation.test!.metrics!.confusion);
    expect(base.model.featureNames).toEqual(['x1', 'x2', 'x3', 'colour=blue, dark', 'colour=green\nish', 'colour=red']);
    expect(base.data.nRows).toBe(3000);
  });

  it('trains a multinomial model', async () => {
    const multi = write('multi.csv', generate({ n: 6000, classes: 3 }));
    const r = await trainStreamFromFile(multi, { epochs: 3 }, { fileName: 'multi.csv' });
    expect(r.model.kind).toBe('multinomial');
    expect(r.model.classes).toEqual(['c0', 'c1', 'c2']);
    expect(r.model.coefStandardized).toHaveLength(3);
    expect(r.evaluation.validation!.metrics!.accuracy).toBeGreaterThan(0.7);
    expect(r.evaluation.validation!.perClassCurves).toHaveLength(3);
  });

  it('reports a class first seen after the sample as a DataError at its line and column', async () => {
    const lines = generate({ n: 3000 }).split('\n');
    lines[2500] = lines[2500].replace(/,(yes|no)$/, ',maybe');
    const late = write('late-class.csv', lines.join('\n'));
    const err = await trainStreamFromFile(late, {}, { fileName: 'late-class.csv', sampleBytes: 20000, blockBytes: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    const d = (err as DataError).diagnostic;
    expect([d.code, d.file, d.line, d.column]).toEqual(['stream.late-class', 'late-class.csv', 2501, 5]);
    expect(d.message).toContain("'maybe'");
  });

  it('reports text in a numeric column first seen after the sample at its line and column', async () => {
    const lines = generate({ n: 3000 }).split('\n');
    lines[2000] = lines[2000].replace(/^([^,]*),([^,]*),/, '$1,oops,');
    const late = write('late-text.csv', lines.join('\n'));
    const err = await trainStreamFromFile(late, {}, { fileName: 'late-text.csv', sampleBytes: 20000, blockBytes: 7000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    const d = (err as DataError).diagnostic;
    expect([d.code, d.line, d.column]).toEqual(['stream.late-text', 2001, 2]);
    expect(d.message).toContain("'oops'");
  });

  it('reports the first error of a block in file order: a new level before a later new class and a later text', async () => {
    const lines = generate({ n: 3000 }).split('\n');
    // One block (blockBytes 200000 holds them all): the class at line 2501, a text at 2401, a level at 2301.
    lines[2500] = lines[2500].replace(/,(yes|no)$/, ',maybe');
    lines[2400] = lines[2400].replace(/^([^,]*),([^,]*),/, '$1,oops,');
    lines[2300] = lines[2300].replace(/,(red|blue|green),/, ',mauve,');
    const file = write('late-order.csv', lines.join('\n'));
    const first = async () => {
      const err = await trainStreamFromFile(file, {}, { fileName: 'late-order.csv', sampleBytes: 20000, blockBytes: 200000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      return (err as DataError).diagnostic;
    };
    let d = await first();
    expect([d.code, d.line, d.column]).toEqual(['stream.late-level', 2301, 4]);
    expect(d.message).toContain("'mauve'");
    // Without the level: the text (line 2401) comes before the class (line 2501).
    lines[2300] = lines[2300].replace(',mauve,', ',red,');
    writeFileSync(file, lines.join('\n'));
    d = await first();
    expect([d.code, d.line, d.column]).toEqual(['stream.late-text', 2401, 2]);
    // Without the text: the class.
    lines[2400] = lines[2400].replace(',oops,', ',-3.0,');
    writeFileSync(file, lines.join('\n'));
    d = await first();
    expect([d.code, d.line, d.column]).toEqual(['stream.late-class', 2501, 5]);
  });

  it('stops between mini-batches when cancelled', async () => {
    let polls = 0;
    const err = await trainStreamFromFile(path, { epochs: 5, batchSize: 32 }, { fileName: 'binary.csv', shouldStop: () => ++polls >= 40 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingCancelled);
    expect(polls).toBe(40);
  });
});
