import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { examples as benched } from '../bench/genotypes.js';
import { main } from '../src/cli/main.js';

/**
 * Every example searches: two short epochs (`--steps 4`) on its own data, and the mean train
 * loss of the second is below the first. `darts_cifar10.darts` needs CIFAR-10 files that are
 * not shipped (and a batch the wasm heap cannot hold): it is checked and inspected instead, by
 * test/check/paramCounts.test.ts.
 */
const root = join(import.meta.dirname, '..');
const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.darts') && f !== 'darts_cifar10.darts')
  .sort();

describe('examples', () => {
  it('are all here', () => {
    expect(examples).toEqual([
      'advanced.darts',
      'mnist.darts',
      'p3b5.darts',
      'p3b5_tokens.darts',
      'seattle_weather.darts',
      'tiny.darts',
      'uno.darts',
    ]);
  });

  it('are each compared with random genotypes by the bench, and the README and docs quote it', () => {
    const names = examples.map((e) => e.replace('.darts', ''));
    expect([...benched].sort()).toEqual(names);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const performance = readFileSync(join(root, 'docs', 'performance.md'), 'utf8');
    // A row per example: its name, (the held-out count,) then the searched accuracy.
    const row = (name: string) => new RegExp(`\\| \`${name}\` +(\\| \\d+ +)?\\| [\\d.]+ % +\\|`);
    expect(names.filter((n) => !row(n).test(readme))).toEqual([]);
    expect(names.filter((n) => !row(n).test(performance))).toEqual([]);
  });

  for (const example of examples) {
    it(`${example}: a few search steps lower the training loss`, { timeout: 120_000 }, async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'dartsc-example-')), 'run');
      let stderr = '';
      let stdout = '';
      const code = await main(
        ['run', join('examples', example), '--epochs', '2', '--steps', '4', '--json', '--out', out],
        {
          stdout: (t) => (stdout += t),
          stderr: (t) => (stderr += t),
          cwd: root,
          color: false,
          env: {},
        },
      );
      expect(code, stderr).toBe(0);
      const steps = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((e) => e.kind === 'step');
      expect(steps).toHaveLength(8);
      const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(epochs[1].train.loss).toBeLessThan(epochs[0].train.loss);
    });
  }
});
