import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compile, search, train, type Program } from '../../src/index.js';
import { tf } from '../../src/numerics/tf.js';

/**
 * A library runs many jobs in one process: a finished search or retrain leaves no tensors
 * behind (network, momentum buffers, Adam moments; the retrained model is the caller's to
 * dispose). The first job warms the caches up; the second must not grow the count.
 */
describe('api: memory', () => {
  const program = compile(join(import.meta.dirname, '..', '..', 'examples', 'tiny.darts')).value!;

  const steady = async (job: (p: Program) => Promise<void>) => {
    const once = async () => (await job(program), tf.memory().numTensors);
    const warm = await once();
    expect(await once()).toBe(warm);
  };

  it('a finished search keeps no tensors', async () => {
    await steady(async (p) => {
      const result = await search(p, { epochs: 1, steps: 2, backend: 'cpu' }).result;
      expect(result.value?.genotype).toBeDefined();
    });
  });

  it('a finished retrain keeps no tensors but its model', async () => {
    const searched = await search(program, { epochs: 1, steps: 1, backend: 'cpu' }).result;
    const genotype = searched.value!.genotypeJson!;
    await steady(async (p) => {
      const options = { genotype, epochs: 1, steps: 2, backend: 'cpu' } as const;
      const result = await train(p, options).result;
      expect(result.diagnostics).toEqual([]);
      result.value!.model.dispose();
    });
  });
});
