import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { nodeIo, type CliIo } from '../../../src/cli/io';
import { VERSION } from '../../../src/core/version';

const root = join(__dirname, '..', '..', '..');
const sample = (f: string) => join(root, 'samples', f);
const dir = mkdtempSync(join(tmpdir(), 'logit-lab-cli-'));
afterAll(() => undefined);

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') };
  const code = main(argv, io) as number;
  return { code, out, err };
}

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('logit-lab train', () => {
  it('prints one JSON object with the documented fields', () => {
    const r = run('train', sample('iris.csv'), '--json', '--seed', '1');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(j.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(j.coef).toHaveLength(3);
    expect(j.coef[0]).toHaveLength(4);
    expect(j.intercept).toHaveLength(3);
    expect(j.coefStandardized).toHaveLength(3);
    expect(j.interceptStandardized).toHaveLength(3);
    expect(j.converged).toBe(true);
    expect(j.iterations).toBeGreaterThan(3);
    expect(j.gradientNorm).toBeLessThan(1e-6);
    expect(j.objective).toBeGreaterThan(0);
    for (const s of ['train', 'validation', 'test']) {
      expect(j.metrics[s].accuracy).toBeGreaterThan(0.8);
      expect(j.metrics[s].logLoss).toBeGreaterThan(0);
    }
    expect(j.lossHistory.train).toHaveLength(j.iterations);
    expect(Array.isArray(j.warnings)).toBe(true);
  });

  it('prints a readable summary with data, settings, convergence and metrics', () => {
    const r = run('train', sample('binary.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Data\s+binary\.csv: \d+ rows x 3 columns/);
    expect(r.out).toMatch(/Model\s+binary logistic \(sigmoid\), L2 penalty, C = 1\.0000/);
    expect(r.out).toMatch(/Fit\s+converged in \d+ iterations/);
    expect(r.out).toMatch(/test\s+\d+\s+0\.\d{4}/);
    expect(r.out).toContain('(intercept)');
  });

  it('--test-size 0 --val-size 0 trains on every row', () => {
    const j = JSON.parse(run('train', sample('iris.csv'), '--json', '--test-size', '0', '--val-size', '0').out);
    expect(j.data.train).toBe(150);
    expect(j.metrics.test).toBeUndefined();
  });

  it('writes the model to a new file, and predict applies it', () => {
    const model = join(dir, 'model.json');
    const preds = join(dir, 'preds.csv');
    const before = sha(sample('iris.csv'));
    expect(run('train', sample('iris.csv'), '--out', model, '--test-size', '0', '--val-size', '0').code).toBe(0);
    const m = JSON.parse(readFileSync(model, 'utf8'));
    expect(m.format).toBe('logit-lab-model');
    expect(m.version).toBe(1);
    const p = run('predict', model, sample('iris.csv'), '--out', preds);
    expect(p.code).toBe(0);
    const lines = readFileSync(preds, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('line,predicted,p_setosa,p_versicolor,p_virginica');
    expect(lines).toHaveLength(151);
    const truth = readFileSync(sample('iris.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').pop());
    const correct = lines.slice(1).filter((l, i) => l.split(',')[1] === truth[i]).length;
    expect(correct / 150).toBeCloseTo(m.metrics.train.accuracy, 12);
    expect(sha(sample('iris.csv'))).toBe(before);
  });

  it('refuses to write over its input', () => {
    const csv = file('own.csv', 'a,b,y\n1,2,0\n2,1,1\n3,3,0\n4,1,1\n');
    const before = sha(csv);
    const r = run('train', csv, '--out', csv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/never overwrites its input/);
    expect(sha(csv)).toBe(before);
  });

  const bad: [string, string | Uint8Array, RegExp][] = [
    ['empty.csv', '', /empty\.csv.*empty/],
    ['header-only.csv', 'a,b,label\n', /header-only\.csv.*no data rows/],
    ['ragged.csv', 'a,b,label\n1,2,x\n3,4,y\n5,6,x,9\n7,8,y\n', /ragged\.csv:4.*4 fields.*3/],
    ['garbage.csv', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0, 0xff, 0xfe, 0, 1, 2, 3]), /garbage\.csv:1:\d+.*not look like a text CSV/],
    ['continuous.csv', 'x,price\n' + Array.from({ length: 50 }, (_, i) => `${i},${(i * 1.37).toFixed(2)}`).join('\n'), /continuous/],
    ['oneclass.csv', 'x,label\n1,a\n2,a\n3,a\n', /one class/],
    ['wide.csv', Array.from({ length: 100_001 }, (_, j) => `c${j}`).join(',') + '\n' + Array.from({ length: 100_001 }, (_, j) => j).join(',') + '\n', /wide\.csv:1: error: the header has 100,001 columns, more than the limit of 100,000/],
  ];
  for (const [name, content, message] of bad) {
    it(`exits 2 with a one-line message on ${name} and writes nothing`, () => {
      const p = file(name, content);
      const out = join(dir, `${name}.model.json`);
      const before = sha(p);
      const r = run('train', p, '--out', out);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
      expect(existsSync(out)).toBe(false);
      expect(sha(p)).toBe(before);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }

  it('names unknown options, bad values and missing files', () => {
    expect(run('train', sample('iris.csv'), '--colour', 'red').err).toMatch(/unknown option --colour/);
    expect(run('train', sample('iris.csv'), '--C', '-1').err).toMatch(/--C must be a positive number/);
    expect(run('train', sample('iris.csv'), '--solver', 'adam').err).toMatch(/--solver must be one of auto, lbfgs, newton, newton-cholesky, gd, sgd, minibatch/);
    expect(run('train', join(dir, 'nope.csv')).err).toMatch(/nope\.csv: error: no such file/);
    expect(run('train', sample('iris.csv'), '--target', 'colour').err).toMatch(/no column named 'colour'/);
    expect(run('train', sample('iris.csv'), '--C', '1', '--lambda', '1').code).toBe(2);
  });
});

describe('logit-lab', () => {
  it('prints its version and usage', () => {
    expect(run('--version').out.trim()).toBe(VERSION);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version).toBe(VERSION);
    expect(run('--help').out).toContain('logit-lab train FILE');
    expect(run('frobnicate').code).toBe(2);
  });

  it('predict reports a model file that is not a model', () => {
    const notModel = file('not-model.json', '{"hello": 1}');
    const r = run('predict', notModel, sample('iris.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not-model\.json: error: is not a Logit Lab model/);
  });
});

describe('logit-lab train --stream', () => {
  async function runAsync(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { ...nodeIo, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') };
    const code = await main(argv, io);
    return { code, out, err };
  }

  it('writes a model that predict uses, and the report with the streamed validation loss', async () => {
    const lines = ['a,b,label'];
    for (let i = 0; i < 3000; i++) {
      const a = ((i * 37) % 101) / 10 - 5;
      const b = ((i * 53) % 97) / 10 - 5;
      lines.push(`${a},${b},${a + 0.5 * b + (((i * 7) % 13) - 6) / 4 > 0 ? 'up' : 'down'}`);
    }
    const data = file('stream.csv', lines.join('\n') + '\n');
    const model = join(dir, 'stream-model.json');
    const reportJson = join(dir, 'stream-report.json');
    const before = sha(data);
    const r = await runAsync('train', data, '--stream', '--epochs', '3', '--out', model, '--report-json', reportJson);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/epoch 3\/3 100\.0%/);
    expect(sha(data)).toBe(before);
    const report = JSON.parse(readFileSync(reportJson, 'utf8'));
    expect(report.stream.epochs).toBe(3);
    expect(report.stream.finalValidationLoss).toBeCloseTo(report.evaluation.validation.metrics.logLoss, 12);
    expect(report.evaluation.validation.metrics.accuracy).toBeGreaterThan(0.8);
    expect(JSON.parse(readFileSync(model, 'utf8')).settings.stream).toBe(true);
    const p = run('predict', model, data);
    expect(p.code).toBe(0);
    const out = p.out.trim().split('\n');
    expect(out[0]).toBe('line,predicted,p_down,p_up');
    expect(out).toHaveLength(3001);
    const hits = out.slice(1).filter((l, i) => l.split(',')[1] === lines[i + 1].split(',')[2]).length;
    expect(hits / 3000).toBeGreaterThan(0.8);
  });

  it('rejects a multilabel target with a clear message and writes nothing', async () => {
    const data = file('stream-ml.csv', 'x,a,b\n1,0,1\n2,1,0\n3,0,1\n4,1,1\n');
    const model = join(dir, 'stream-ml.json');
    const r = await runAsync('train', data, '--stream', '--target', 'a,b', '--out', model);
    expect(r.code).toBe(2);
    expect(r.err).toContain('streaming trains binary and multinomial models');
    expect(existsSync(model)).toBe(false);
  });
});

describe('trainingMode', () => {
  it('streams large files unless told otherwise or the settings need memory', async () => {
    const { trainingMode, LARGE_FILE_BYTES } = await import('../../../src/cli/train');
    const big = LARGE_FILE_BYTES + 1;
    expect(trainingMode(1000, 8e9, undefined, {})).toBe('memory');
    expect(trainingMode(big, 64e9, undefined, {})).toBe('stream');
    expect(trainingMode(big, 64e9, false, {})).toBe('memory');
    expect(trainingMode(1000, 8e9, true, {})).toBe('stream');
    expect(trainingMode(big, 64e9, undefined, { solver: 'lbfgs' })).toBe('memory-warn');
    expect(trainingMode(300e6, 1e9, undefined, {})).toBe('stream');
  });
});
