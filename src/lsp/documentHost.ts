import type { CompilerHost } from '../check/loadProgram.js';

/**
 * The compiler host of the editor: the text of open documents as the editor has it (saved or
 * not), every other file from `base` (the file system). Names are absolute paths, so every
 * diagnostic's file maps back to a URI.
 */
export function documentHost(base: CompilerHost, open: ReadonlyMap<string, string>): CompilerHost {
  return {
    stdlibDir: base.stdlibDir,
    stdlibModules: base.stdlibModules,
    readFile: (path) => open.get(path) ?? base.readFile(path),
    stat: (path) => {
      const text = open.get(path);
      return text !== undefined ? { size: text.length } : base.stat?.(path);
    },
    displayName: (path) => path,
  };
}
