import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { emitUsage } from '../src/cli/commands/emit.js';
import { trainUsage } from '../src/cli/commands/train.js';

const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'emit.md'), 'utf8');

/** docs/emit.md keeps up with the two commands: every flag of their usage is documented. */
describe('docs/emit.md', () => {
  for (const [command, usage] of [
    ['emit', emitUsage],
    ['train', trainUsage],
  ] as const) {
    it(`documents every flag of dartsc ${command}`, () => {
      const flags = [...new Set(usage.match(/--[a-z][a-z-]*/g))];
      expect(flags.length).toBeGreaterThan(3);
      expect(flags.filter((f) => !doc.includes(f))).toEqual([]);
    });
  }

  it('names every createModel option the emitter writes', () => {
    for (const option of ['affine', 'dropPath', 'auxiliary'])
      expect(doc).toContain(`\`${option}\``);
  });
});
