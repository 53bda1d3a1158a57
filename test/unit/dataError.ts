import { expect } from 'vitest';
import { DataError } from '../../src/core/diagnostics';

/** The DataError thrown by fn (fails the test when nothing or something else is thrown). */
export function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}
