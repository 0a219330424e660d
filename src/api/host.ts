import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
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
    // Stat before reading: `/dev/zero` or a pipe would be read forever.
    readFile: (path) => {
      try {
        return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    stat: (path) => {
      try {
        const stats = statSync(path);
        return { size: stats.size, ...(stats.isFile() ? {} : { notAFile: kindOf(stats) }) };
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

/** What a path that is not a regular file is, for E0222. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'something else';
}
