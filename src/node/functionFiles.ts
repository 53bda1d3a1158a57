/**
 * Finding Octave function files for the gradient checker the way Octave's path does for a script
 * run from its folder: `name.m` in the document's folder. The core does no I/O; the CLI and the
 * editor give it this resolver. Only plain names are looked up (no separators, no `..`), files
 * larger than MAX_FUNCTION_FILE_BYTES are refused, and nothing is ever written.
 */
import { join } from 'node:path';
import { GradcheckError } from '../core/gradcheck/errors';

export const MAX_FUNCTION_FILE_BYTES = 1 << 20;

export type ReadBytes = (path: string) => Uint8Array;

export function folderResolver(folder: string, read: ReadBytes): (name: string) => { source: string; fileName: string } | undefined {
  const cache = new Map<string, { source: string; fileName: string } | undefined>();
  return (name) => {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name)) return undefined;
    if (cache.has(name)) return cache.get(name);
    const path = join(folder, `${name}.m`);
    let found: { source: string; fileName: string } | undefined;
    try {
      const bytes = read(path);
      if (bytes.length > MAX_FUNCTION_FILE_BYTES) {
        throw new GradcheckError(`${name}.m is larger than ${MAX_FUNCTION_FILE_BYTES >> 20} MB: not a homework function file`);
      }
      found = { source: new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), fileName: `${name}.m` };
    } catch (e) {
      if (e instanceof GradcheckError) throw e;
      found = undefined;
    }
    cache.set(name, found);
    return found;
  };
}
