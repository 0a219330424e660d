import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The directory of the installed dartsc package (holding `stdlib/`), found by walking up from
 * this module, so it works from `src/` under the test runner and from `dist/src/` alike.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'dartsc') {
      return (cached = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('dartsc: cannot find the package root');
    dir = parent;
  }
}
