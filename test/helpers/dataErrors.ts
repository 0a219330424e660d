import { expect } from 'vitest';

import { DataError } from '../../src/runtime/data.js';

/** The message of the DataError `load` throws (failing the test if it throws anything else or nothing). */
export function dataError(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('expected a DataError');
}

/** Values as float32 would store them, for exact comparisons. */
export const f32 = (values: number[]) => Array.from(Float32Array.from(values));
