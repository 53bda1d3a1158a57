/**
 * The layers are enforced, not a convention: a file in src/core (or webview/) with a forbidden import
 * or a Node-only global fails `npm run lint` — the eslint rules in eslint.config.mjs and the core's
 * own tsconfig (no Node or DOM types). Each case writes a temporary file into the real folder (so the
 * real config applies), checks it, and removes it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');

async function lintTemporary(folder: string, source: string): Promise<string[]> {
  const file = join(ROOT, folder, `layersProbe_${randomBytes(6).toString('hex')}.ts`);
  writeFileSync(file, source);
  try {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintFiles([file]);
    return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  } finally {
    rmSync(file, { force: true });
  }
}

/** Type-checks one temporary core file with the options of src/core/tsconfig.json. */
function typecheckCore(source: string): string[] {
  const configPath = join(ROOT, 'src/core/tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  if (!parsed) throw new Error('src/core/tsconfig.json did not parse');
  const file = join(ROOT, 'src/core', `layersProbe_${randomBytes(6).toString('hex')}.ts`);
  writeFileSync(file, source);
  try {
    const options = { ...parsed.options, noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false, incremental: false };
    const program = ts.createProgram([file, join(ROOT, 'src/core/platform.d.ts')], options);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(file, { force: true });
  }
}

describe('layer rules', () => {
  it('lets a pure core file through', async () => {
    expect(await lintTemporary('src/core', "import { Rng } from './random';\nexport const r = new Rng(1);\n")).toEqual([]);
  });

  it('fails core files that import Node, the host, the Node helpers, a worker or the CLI', async () => {
    for (const spec of ['node:fs', 'fs', '../node/streamCsv', '../host/modelPanel', '../worker/trainWorker', '../cli/main', 'vscode']) {
      const messages = await lintTemporary('src/core', `import * as m from '${spec}';\nexport const x = m;\n`);
      expect(messages.some((m) => m.startsWith('no-restricted-imports')), spec).toBe(true);
    }
  });

  it('lets core import protocol types only', async () => {
    expect(await lintTemporary('src/core', "import type { WebviewToHost } from '../protocol/panel';\nexport type S = WebviewToHost;\n")).toEqual([]);
    const messages = await lintTemporary('src/core', "import { WebviewToHost } from '../protocol/panel';\nexport type S = WebviewToHost;\n");
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('fails core files that use Buffer, process, __dirname or require', async () => {
    for (const name of ['Buffer', 'process', '__dirname', 'require']) {
      const messages = await lintTemporary('src/core', `export const x = typeof ${name};\n`);
      expect(messages.some((m) => m.startsWith('no-restricted-globals')), name).toBe(true);
    }
  });

  it('fails webview files that import the host, src/node or vscode', async () => {
    for (const spec of ['../../src/host/modelPanel', '../../src/node/streamCsv', 'vscode', 'node:path']) {
      const messages = await lintTemporary('webview/panel', `import * as m from '${spec}';\nexport const x = m;\n`);
      expect(messages.some((m) => m.startsWith('no-restricted-imports')), spec).toBe(true);
    }
  });

  it('type-checks core without Node or DOM types', () => {
    expect(typecheckCore('export const n: number = performance ? performance.now() : 0;\n')).toEqual([]);
    expect(typecheckCore('export const b = Buffer.from("x");\n').join('\n')).toMatch(/Cannot find name 'Buffer'/);
    expect(typecheckCore('export const t = document.title;\n').join('\n')).toMatch(/Cannot find name 'document'/);
    expect(typecheckCore("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n").join('\n')).toMatch(/node:fs/);
  });
});
