/**
 * What the WebAssembly generators (kernels.mjs, csv.mjs, evaluate.mjs) share: assembling their text
 * with wabt (a devDependency) and the base64 constant their generated TypeScript modules carry.
 */

/**
 * Assembles `wat` (named `name` in wabt's messages) with wabt's `features`, validated by wabt unless
 * `validate` is false (wabt.js refuses shared memories even with threads on), and always compiled by
 * V8 once; resolves to the module's bytes.
 */
export async function assemble(name, wat, features, { validate = true } = {}) {
  const wabt = await (await import('wabt')).default();
  const module = wabt.parseWat(name, wat, features);
  if (validate) module.validate();
  const { buffer } = module.toBinary({ log: false, write_debug_names: false });
  module.destroy();
  new WebAssembly.Module(buffer);
  return buffer;
}

/** `bytes` as a TypeScript string expression: base64 in quoted lines of 100 characters joined by `+`. */
export function base64Constant(bytes) {
  return Buffer.from(bytes)
    .toString('base64')
    .match(/.{1,100}/g)
    .map((l) => `  '${l}'`)
    .join(' +\n');
}
