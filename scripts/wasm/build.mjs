/**
 * Writes the generated WebAssembly modules, assembled by wabt, as base64:
 * - src/core/wasm/kernels.generated.ts, the loss kernels of scripts/wasm/kernels.mjs;
 * - src/core/wasm/csv.generated.ts, the CSV row scanner of scripts/wasm/csv.mjs;
 * - src/core/wasm/evaluate.generated.ts, the evaluation's sort kernels of scripts/wasm/evaluate.mjs.
 * Run after changing a generator: npm run wasm
 */
import { writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelsWasm, generatedSource } from './kernels.mjs';
import { csvWasm, csvGeneratedSource } from './csv.mjs';
import { evaluateWasm, evaluateGeneratedSource } from './evaluate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const write = (name, source) => {
  const out = join(root, 'src', 'core', 'wasm', name);
  writeFileSync(`${out}.tmp`, source);
  renameSync(`${out}.tmp`, out);
  console.log(`wrote ${out} (${source.length} bytes)`);
};
write('kernels.generated.ts', generatedSource(await kernelsWasm(false), await kernelsWasm(true)));
write('csv.generated.ts', csvGeneratedSource(await csvWasm()));
write('evaluate.generated.ts', evaluateGeneratedSource(await evaluateWasm()));
