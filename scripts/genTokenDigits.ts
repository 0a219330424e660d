import { writeFileSync } from 'node:fs';

import { tokenDigits } from './tokenDigits.js';

/** Writes examples/data/digits.tokens.jsonl, the data of examples/p3b5_tokens.darts. */
const path = new URL('../../examples/data/digits.tokens.jsonl', import.meta.url);
writeFileSync(path, tokenDigits(2000));
process.stdout.write('wrote examples/data/digits.tokens.jsonl\n');
