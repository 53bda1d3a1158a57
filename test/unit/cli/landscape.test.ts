/** `logit-lab train --landscape`: the loss landscape only on request (issue 19). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { nodeIo, type CliIo } from '../../../src/cli/io';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'logit-lab-cli-landscape-'));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { ...nodeIo, out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('logit-lab train --landscape', () => {
  it('puts the landscape in the report only when asked', async () => {
    const data = join(root, 'samples', 'binary.csv');
    const plain = join(dir, 'plain.json');
    const withIt = join(dir, 'landscape.json');
    expect((await run('train', data, '--report-json', plain)).code).toBe(0);
    expect(JSON.parse(readFileSync(plain, 'utf8')).landscape).toBeUndefined();
    expect((await run('train', data, '--landscape', '--report-json', withIt)).code).toBe(0);
    const report = JSON.parse(readFileSync(withIt, 'utf8'));
    expect(report.landscape.sampleRows).toBe(report.data.nTrain);
    expect(report.landscape.mode).toBe('eigen');
    const last = report.lossHistory.train[report.lossHistory.train.length - 1];
    expect(Math.abs(report.landscape.objectiveAtOptimum - last) / last).toBeLessThan(1e-13);
    expect(report.landscape.descent.gd.a).toHaveLength(41);
  });

  it('refuses it with --stream (the rows are not in memory)', async () => {
    const r = await run('train', join(root, 'samples', 'binary.csv'), '--landscape', '--stream');
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('--landscape needs the training rows in memory');
  });
});
