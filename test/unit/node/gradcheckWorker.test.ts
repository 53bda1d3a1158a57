import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GradcheckWorkerClient } from '../../../src/node/gradcheckWorkerClient';

// The worker is the bundled dist/gradcheckWorker.js (npm test builds first).
const script = join(__dirname, '../../../dist/gradcheckWorker.js');

describe.skipIf(!existsSync(script))('the gradient-check worker', () => {
  it('checks a block with NAME.m files from the folder, off the caller thread', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gradcheck-'));
    writeFileSync(join(folder, 'quad.m'), 'function [J, g] = quad(w)\nJ = sum(w .^ 2);\ng = 2 * w;\nend\n');
    const client = new GradcheckWorkerClient(script);
    try {
      const report = await client.check({ line: 3, source: 'check_gradient(@quad, [1; 2])', language: 'markdown' }, { seed: 0 }, folder);
      expect(report.verdict).toBe('pass');
      expect(report.params[0].what).toBe('quad');
    } finally {
      client.dispose();
    }
  });
  it('reports a check stopped by its time limit, and serves the next check', async () => {
    const client = new GradcheckWorkerClient(script);
    try {
      // The engine stops itself at its limit; the client terminates the worker only if it did not (limit + GRACE_MS).
      const stopped = await client.check({ line: 1, source: 'function [J, g] = f(w)\nwhile true\nend\nend\ncheck_gradient(@f, 1)', language: 'plain' }, { timeLimitMs: 50 });
      expect(stopped.verdict).toBe('error');
      expect(stopped.error!.message).toMatch(/time limit of 50 ms/);
      const ok = await client.check({ line: 1, source: 'w = 1\nloss(w) = w^2\ngrad(w) = 2*w', language: 'plain' }, {});
      expect(ok.verdict).toBe('pass');
    } finally {
      client.dispose();
    }
  });
});
