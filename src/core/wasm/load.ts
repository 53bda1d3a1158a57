/**
 * Compiling the project's generated WebAssembly modules (base64 in *.generated.ts). Pure ECMAScript:
 * WebAssembly is a standard global in Node and in browsers, typed here because the core's lib is
 * plain ES2022. Each module is compiled once per thread; null where it cannot be (no WebAssembly, or a
 * feature it needs, such as SIMD or shared memory, is missing): callers then keep their JavaScript.
 */

/** A WebAssembly.Memory, as far as it is used here. */
export interface WasmMemory {
  buffer: ArrayBufferLike;
  grow(pages: number): number;
}

/** The part of the WebAssembly JavaScript API used here. */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

export const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** 64 KiB. */
export const WASM_PAGE = 65536;

const compiled = new Map<string, object | null>();

/** The module whose bytes are `base64`, compiled on first use; null where it cannot be compiled. */
export function compileModule(base64: string): object | null {
  if (!compiled.has(base64)) {
    compiled.set(base64, null);
    try {
      const text = atob(base64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      const api = wasmApi();
      if (api) compiled.set(base64, new api.Module(bytes));
    } catch {
      // Not supported here: the caller keeps its JavaScript path.
    }
  }
  return compiled.get(base64) ?? null;
}
