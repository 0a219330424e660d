import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compile, emit, OptionError, train } from '../../src/index.js';

/**
 * `emit` and `train` need a genotype. TypeScript says so; a JavaScript caller that leaves it
 * out gets an `OptionError`, not an internal error from deep inside.
 */
describe('api: a genotype is required', () => {
  const program = compile(join(import.meta.dirname, '..', '..', 'examples', 'tiny.darts')).value!;

  it('by emit', async () => {
    await expect(emit(program, {} as never)).rejects.toThrow(OptionError);
  });

  it('by train', async () => {
    await expect(train(program, {} as never).result).rejects.toThrow(OptionError);
  });
});
