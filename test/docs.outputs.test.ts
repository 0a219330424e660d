import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { comparable, documents, markedBlocks, produce } from '../scripts/docOutputs.js';
import { root } from './helpers/cli.js';

/**
 * Every command output the docs show under a `<!-- dartsc-output: ... -->` marker is what the
 * tool prints now, times aside (`npm run docs:outputs` rewrites them; the slow ones, a full
 * MNIST search or retrain, are checked by `npm run docs:outputs -- --check`).
 */
describe('docs: shown outputs', () => {
  const blocks = documents(root).flatMap((doc) =>
    markedBlocks(doc, readFileSync(join(root, doc), 'utf8')),
  );

  it('marks the outputs of README.md and the docs', () => {
    expect(blocks.filter((b) => b.file === 'README.md').length).toBeGreaterThanOrEqual(5);
    expect(blocks.filter((b) => b.file === 'docs/search.md').length).toBeGreaterThanOrEqual(1);
  });

  for (const block of blocks.filter((b) => !b.slow))
    it(`${block.file}:${block.line + 1} shows what \`dartsc ${block.args.join(' ')}\` prints`, async () => {
      const output = await produce(root, block);
      expect(comparable(block.shown)).toBe(comparable(output));
    }, 60_000);

  it('compares times as times: a slower machine gives the same comparable text', () => {
    expect(comparable('epoch 1/3 ... 2.0s eta 0:45, runs/x-20261206-225034')).toBe(
      comparable('epoch 1/3 ... 12.7s eta 10:05, runs/x-20270101-000000'),
    );
    expect(comparable('acc 93.8%')).not.toBe(comparable('acc 93.9%'));
  });
});
