/**
 * The few web-platform globals the core uses. They exist in every runtime the core runs in (Node 20,
 * browsers, web workers), but the core is compiled with plain ES2022 and no Node or DOM types (see
 * src/core/tsconfig.json), so Node-only or DOM-only names fail to type-check here. Declare a global in
 * this file only when it is standard in both Node and browsers; anything else belongs in src/node or
 * behind an interface the caller provides.
 */

interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}

declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

declare const performance: { now(): number } | undefined;

declare function atob(data: string): string;
declare function btoa(data: string): string;

// eslint-disable-next-line no-var -- a global var is what makes it globalThis.crypto
declare var crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T };
