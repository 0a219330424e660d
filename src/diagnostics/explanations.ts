import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { packageRoot } from '../util/packageRoot.js';
import type { Code } from './codes.js';

const cache = new Map<Code, string>();

/**
 * The long explanation of a code, printed by `dartsc explain`: the text of
 * `src/diagnostics/explanations/<code>.md` (shipped with the package, read from the package root
 * so it works from `src/` and `dist/src/` alike). Each one says what the diagnostic means, shows
 * an erroneous and a corrected example (indented code after the lines `Erroneous example:` and
 * `Corrected example:`; `// file: NAME` starts another file of a multi-file example) and why the
 * rule exists. `test/docs.test.ts` checks the examples and that every code has exactly one file.
 */
export function explanation(code: Code): string {
  let text = cache.get(code);
  if (text === undefined) {
    text = readFileSync(
      join(packageRoot(), 'src', 'diagnostics', 'explanations', `${code}.md`),
      'utf8',
    );
    cache.set(code, text);
  }
  return text;
}
