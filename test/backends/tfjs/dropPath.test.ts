import { describe, expect, it } from 'vitest';

import { dropPath } from '../../../src/numerics/ops.js';
import { selectBackend, tf } from '../../../src/numerics/tf.js';
import { Random } from '../../../src/util/random.js';

/**
 * Drop-path: whole examples kept or zeroed, kept ones scaled by 1 / keep, the same mask for
 * the same seed; its gradient (a constant mask) against finite differences on cpu and wasm.
 */
describe('dropPath', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`keeps or zeroes whole examples, with an exact gradient (${backend})`, async () => {
      await selectBackend(backend);
      const rng = new Random(4);
      const x = tf.tensor(rng.normal(64 * 3 * 2), [64, 3, 2]);
      const w = tf.tensor(rng.normal(64 * 3 * 2), [64, 3, 2]);
      const y = dropPath(x, 0.25, 17);
      const ratio = tf.div(y, x).arraySync() as number[][][];
      const perExample = ratio.map((e) => [...new Set(e.flat().map((v) => v.toFixed(4)))]);
      expect(perExample.every((s) => s.length === 1)).toBe(true);
      const kept = perExample.filter((s) => s[0] === (1 / 0.75).toFixed(4)).length;
      const dropped = perExample.filter((s) => s[0] === '0.0000').length;
      expect(kept + dropped).toBe(64);
      expect(dropped).toBeGreaterThan(5);
      expect(dropped).toBeLessThan(30);
      expect(Array.from(dropPath(x, 0.25, 17).dataSync())).toEqual(Array.from(y.dataSync()));

      const f = (v: tf.Tensor) => tf.sum(tf.mul(dropPath(v, 0.25, 17), w));
      const grad = tf.grad(f)(x).dataSync();
      const xs = x.dataSync();
      for (const i of [0, 7, 100, 383]) {
        const at = (d: number) => {
          const shifted = Float32Array.from(xs);
          shifted[i] = shifted[i]! + d;
          return f(tf.tensor(shifted, x.shape)).dataSync()[0]!;
        };
        expect(grad[i]!).toBeCloseTo((at(1e-2) - at(-1e-2)) / 2e-2, 2);
      }
    });
  }
});
