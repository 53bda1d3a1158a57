/** Items 7 and 8 of issue 18: only regular files are read; outputs never reach an input or each other. */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, sample, sha, tempDir } from './runCli';

const { dir, file } = tempDir('logit-lab-out-');
const csv = () => file(`data-${Math.random().toString(36).slice(2)}.csv`, 'a,b,y\n1,2,0\n2,1,1\n3,3,0\n4,1,1\n5,2,0\n6,1,1\n7,3,0\n8,1,1\n');
const noTemps = () => expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

describe('output paths are compared as real files', () => {
  it('refuses --out through a symlinked directory that reaches the input', async () => {
    const data = csv();
    symlinkSync('.', join(dir, 'dirlink'));
    const before = sha(data);
    for (const command of [['train', data], ['predict', join(dir, 'model.json'), data]]) {
      if (command[0] === 'predict') expect((await runCli('train', sample('binary.csv'), '--out', join(dir, 'model.json'))).code).toBe(0);
      const r = await runCli(...command, '--out', join(dir, 'dirlink', relative(dir, data)));
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/never overwrites its input/);
      expect(sha(data)).toBe(before);
    }
    noTemps();
  });

  it('refuses --out through /proc/self/cwd and through ../ spellings', async () => {
    const data = csv();
    const before = sha(data);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runCli('train', data, '--out', join('/proc/self/cwd', relative(dir, data)));
      expect(r.err).toMatch(/never overwrites its input/);
    } finally {
      process.chdir(cwd);
    }
    mkdirSync(join(dir, 'sub'), { recursive: true });
    expect((await runCli('train', data, '--out', join(dir, 'sub', '..', relative(dir, data)))).code).toBe(2);
    expect(sha(data)).toBe(before);
  });

  it('refuses --out X --report X, before training', async () => {
    const out = join(dir, 'same.out');
    const r = await runCli('train', sample('binary.csv'), '--out', out, '--report', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--report and --out name the same file/);
    expect(existsSync(out)).toBe(false);
    const viaLink = await runCli('train', sample('binary.csv'), '--out', out, '--report-json', join(dir, 'dirlink', 'same.out'));
    expect(viaLink.code).toBe(2);
  });

  it('exits 2 before training on a missing, unwritable or directory output', async () => {
    const r1 = await runCli('train', sample('binary.csv'), '--out', join(dir, 'no-such-dir', 'm.json'));
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/no-such-dir does not exist/);
    const r2 = await runCli('train', sample('binary.csv'), '--out', dir);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/is a directory/);
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const r3 = await runCli('train', sample('binary.csv'), '--out', join(locked, 'm.json'), '--json');
      // root can write anywhere; everyone else gets exit 2 before any training (no JSON on stdout).
      if (process.getuid?.() !== 0) {
        expect(r3.code).toBe(2);
        expect(r3.err).toMatch(/not writable \(permission denied\)/);
        expect(r3.out).toBe('');
      }
    } finally {
      chmodSync(locked, 0o700);
    }
    noTemps();
  });

  it('takes `--out --json` as a missing value, not a file named --json', async () => {
    const r = await runCli('train', sample('binary.csv'), '--out', '--json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out needs a value/);
    expect(existsSync('--json')).toBe(false);
  });

  it('writes through a symlink to the file it points at, atomically', async () => {
    const target = join(dir, 'real-model.json');
    symlinkSync(target, join(dir, 'model-link.json'));
    expect((await runCli('train', sample('binary.csv'), '--out', join(dir, 'model-link.json'))).code).toBe(0);
    expect(existsSync(target)).toBe(true);
    noTemps();
  });
});

describe('input files', () => {
  it('refuses a device, a directory and a named pipe without reading them', async () => {
    const r = await runCli('train', '/dev/zero');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('/dev/zero: error: is a device, not a regular file');
    expect((await runCli('train', dir)).err).toMatch(/is a directory/);
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    expect((await runCli('train', fifo)).err).toMatch(/pipe\.csv: error: is a named pipe/);
    expect((await runCli('predict', fifo, sample('binary.csv'))).err).toMatch(/is a named pipe/);
    expect((await runCli('train', fifo, '--stream')).code).toBe(2);
  });
});
