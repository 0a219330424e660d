import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { comparable, documents, markedBlocks, produce, rewritten } from './docOutputs.js';

/**
 * `npm run docs:outputs`: runs every marked command of the docs and writes its output into
 * the block (`-- --check`: compares instead, times aside, and exits 1 on a difference).
 * `npm test` checks the fast ones (test/docs.outputs.test.ts); this one runs the slow too.
 */
const root = join(import.meta.dirname, '..', '..');
const check = process.argv.includes('--check');
let differ = 0;
for (const doc of documents(root)) {
  const path = join(root, doc);
  let text = readFileSync(path, 'utf8');
  // From the last block up, so that the earlier blocks' lines stay where they were.
  for (const block of markedBlocks(doc, text).reverse()) {
    const output = await produce(root, block);
    const where = `${doc}:${block.line + 1} dartsc ${block.args.join(' ')}`;
    if (comparable(output) === comparable(block.shown)) {
      process.stdout.write(`same  ${where}\n`);
    } else if (check) {
      differ++;
      process.stdout.write(`DIFF  ${where}\n${output}\n`);
    } else {
      text = rewritten(text, block, output);
      process.stdout.write(`wrote ${where}\n`);
    }
  }
  if (!check) writeFileSync(path, text);
}
process.exitCode = differ ? 1 : 0;
