import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';

/**
 * A real search on real data: 1,600 MNIST digits (800 train the weights, 800 train α), four
 * epochs of first-order DARTS on wasm, about a minute on 2 cores when alone (measured 34 s for
 * three epochs, 110 s for four under load). The supernet's valid accuracy (eval mode, over
 * the whole valid split) must end well above chance (10 %): measured 45 % to 57 %.
 */
describe('runtime: a search on MNIST', () => {
  it('ends with a supernet valid accuracy well above chance', { timeout: 180_000 }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dartsc-mnist-')), 'run');
    let stderr = '';
    const code = await main(['run', 'test/fixtures/specs/mnist_small.darts', '--out', out], {
      stdout: () => {},
      stderr: (t) => (stderr += t),
      cwd: join(import.meta.dirname, '..', '..'),
      color: false,
      env: {},
    });
    expect(code, stderr).toBe(0);
    const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(epochs).toHaveLength(4);
    const last = epochs[3] as { valid: { accuracy: number }; train: { loss: number } };
    expect(last.valid.accuracy).toBeGreaterThan(0.35);
    expect(last.train.loss).toBeLessThan(epochs[0].train.loss);
  });
});
