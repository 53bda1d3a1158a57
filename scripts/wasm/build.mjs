/**
 * Writes src/core/wasm/kernels.generated.ts: the WebAssembly kernels of scripts/wasm/kernels.mjs,
 * assembled by wabt, as base64. Run after changing the generator: node scripts/wasm/build.mjs
 */
import { writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelsWasm, generatedSource } from './kernels.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'src', 'core', 'wasm', 'kernels.generated.ts');
const source = generatedSource(await kernelsWasm(false), await kernelsWasm(true));
writeFileSync(`${out}.tmp`, source);
renameSync(`${out}.tmp`, out);
console.log(`wrote ${out} (${source.length} bytes)`);
