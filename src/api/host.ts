import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import type { CompilerHost } from '../check/loadProgram.js';
import { packageRoot } from '../util/packageRoot.js';

/**
 * The compiler host on the real file system: names relative to `cwd`, and the standard
 * library shown as `std/<module>.darts` wherever the package is installed.
 */
export function nodeHost(cwd: string): CompilerHost {
  const stdlibDir = join(packageRoot(), 'stdlib');
  const stdlibModules = readdirSync(stdlibDir)
    .filter((f) => f.endsWith('.darts'))
    .map((f) => f.slice(0, -'.darts'.length))
    .sort();
  return {
    stdlibDir,
    stdlibModules,
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    displayName: (path) => {
      const inStd = relative(stdlibDir, path);
      if (!inStd.startsWith('..') && !inStd.includes(sep)) return `std/${inStd}`;
      const rel = relative(cwd, path);
      return rel.startsWith('..') ? path : rel;
    },
  };
}
