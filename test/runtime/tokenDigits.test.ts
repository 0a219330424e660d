import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { loadJsonl } from '../../src/runtime/loaders/jsonl.js';
import { LEVELS, TOKEN_LENGTH, tokenDigits } from '../../scripts/tokenDigits.js';

const shipped = join(import.meta.dirname, '..', '..', 'examples', 'data', 'digits.tokens.jsonl');

describe('examples/data/digits.tokens.jsonl', () => {
  it('is what `npm run gen:data` derives from the MNIST digits (not edited by hand)', () => {
    expect(readFileSync(shipped, 'utf8') === tokenDigits(2000)).toBe(true);
  });

  it('holds 2,000 sequences of 100 ids below 8, with all ten digits', () => {
    const data = loadJsonl(shipped, { length: TOKEN_LENGTH });
    expect(data).toMatchObject({ size: 2000, classes: 10, vocab: LEVELS, shape: [100] });
    const counts = new Array(10).fill(0);
    for (const label of data.y) counts[label]++;
    expect(Math.min(...counts)).toBeGreaterThan(150);
  });
});
