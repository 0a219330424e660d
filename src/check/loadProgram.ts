import { basename, dirname, extname, join, resolve } from 'node:path';

import type { ImportNode, ProgramNode } from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import { SourceFile } from '../source/SourceFile.js';
import { limits } from '../syntax/limits.js';
import { parse } from '../syntax/parse.js';
import { suggest } from '../util/suggest.js';

/** How the compiler reaches files; the CLI passes the real file system, tests a map. */
export interface CompilerHost {
  /**
   * The text of the file at an absolute path, or undefined when it cannot be read. Reads only
   * regular files: a device or a pipe may never end (`/dev/zero`, `/dev/stdin`).
   */
  readFile(path: string): string | undefined;
  /**
   * What is at a path, when the host can tell without reading it: `size` in bytes, and what it
   * is when not a regular file (`a directory`, `a character device`, ...), for E0222 and E0111.
   */
  stat?(path: string): { readonly size: number; readonly notAFile?: string } | undefined;
  /** The name to show for an absolute path (usually relative to the working directory). */
  displayName(path: string): string;
  /** The absolute directory of the standard library (`std.x` is `<stdlibDir>/x.darts`). */
  readonly stdlibDir: string;
  /** The standard library's module names, for suggestions. */
  readonly stdlibModules: readonly string[];
}

/** A parsed file and the modules its imports resolved to. */
export interface Module {
  /** Absolute path: the module's identity. */
  readonly path: string;
  readonly file: SourceFile;
  readonly ast: ProgramNode;
  readonly imports: readonly ResolvedImport[];
  /** Offset ranges of declarations with syntax errors, where later phases stay quiet. */
  readonly broken: readonly (readonly [number, number])[];
}

/** An import and the module it names (absent when it could not be loaded). */
export interface ResolvedImport {
  readonly node: ImportNode;
  /** The prefix of qualified names: the alias, else the last path segment or file stem. */
  readonly qualifier: string;
  readonly module?: Module;
}

/** The entry module and every module it reaches, dependencies first. */
export interface Program {
  readonly entry: Module;
  readonly modules: readonly Module[];
}

/**
 * Parses the entry file and, transitively, every file it imports. Unreadable imports
 * (E0203, E0204) and cycles (E0210) are diagnostics; each file is parsed once.
 */
export function loadProgram(
  entryPath: string,
  entryText: string,
  host: CompilerHost,
): { value: Program; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const loaded = new Map<string, Module>();
  const order: Module[] = [];
  const visiting: string[] = [];

  const load = (path: string, text: string): Module => {
    const file = new SourceFile(host.displayName(path), text);
    const parsed = parse(file);
    diagnostics.push(...parsed.diagnostics);
    visiting.push(path);
    const imports = parsed.value.items.flatMap((item) =>
      item.kind === 'Import' ? [resolveImport(item, path)] : [],
    );
    visiting.pop();
    const module: Module = { path, file, ast: parsed.value, imports, broken: parsed.broken };
    loaded.set(path, module);
    order.push(module);
    return module;
  };

  const resolveImport = (node: ImportNode, from: string): ResolvedImport => {
    const target = importTarget(node, from, host);
    const qualifier = node.alias?.value ?? target.qualifier;
    if ('error' in target) {
      diagnostics.push(target.error);
      return { node, qualifier };
    }
    const cycleStart = visiting.indexOf(target.path);
    if (cycleStart >= 0) {
      const cycle = [...visiting.slice(cycleStart), target.path].map((p) => host.displayName(p));
      diagnostics.push(diagnostic('E0210', node.span, { cycle }));
      return { node, qualifier };
    }
    const existing = loaded.get(target.path);
    if (existing) return { node, qualifier, module: existing };
    const refusal = refuseImport(node, target.path, host);
    if (refusal) {
      diagnostics.push(refusal);
      return { node, qualifier };
    }
    const text = host.readFile(target.path);
    if (text === undefined) {
      diagnostics.push(importError(node, host));
      return { node, qualifier };
    }
    return { node, qualifier, module: load(target.path, text) };
  };

  const entry = load(resolve(entryPath), entryText);
  return { value: { entry, modules: order }, diagnostics };
}

type Target = { path: string; qualifier: string } | { error: Diagnostic; qualifier: string };

function importTarget(node: ImportNode, from: string, host: CompilerHost): Target {
  if (node.file) {
    const path = resolve(dirname(from), node.file.value);
    return { path, qualifier: basename(path, extname(path)) };
  }
  const parts = node.module!.map((n) => n.value);
  const qualifier = parts[parts.length - 1]!;
  if (parts[0] !== 'std' || parts.length !== 2 || !host.stdlibModules.includes(qualifier)) {
    return { error: importError(node, host), qualifier };
  }
  return { path: join(host.stdlibDir, `${qualifier}.darts`), qualifier };
}

/**
 * E0222 for an import of something other than a regular file, E0111 for a file too large to
 * parse (UTF-8 takes at most 3 bytes per UTF-16 unit, so more bytes than three times the
 * character limit are certainly too many characters); checked before reading anything.
 */
function refuseImport(node: ImportNode, path: string, host: CompilerHost): Diagnostic | undefined {
  const stat = host.stat?.(path);
  if (!stat || !node.file) return undefined;
  const shown = host.displayName(path);
  if (stat.notAFile) {
    return diagnostic('E0222', node.file.span, { path: shown, what: stat.notAFile });
  }
  if (stat.size > 3 * limits.sourceLength) {
    return diagnostic('E0111', node.file.span, {
      file: shown,
      size: `${stat.size.toLocaleString('en-US')} bytes`,
      limit: `${limits.sourceLength.toLocaleString('en-US')} characters`,
    });
  }
  return undefined;
}

function importError(node: ImportNode, host: CompilerHost): Diagnostic {
  if (node.file) {
    return diagnostic('E0204', node.file.span, { path: node.file.value });
  }
  const name = node.module!.map((n) => n.value).join('.');
  const known = host.stdlibModules.map((m) => `std.${m}`);
  const span = { ...node.module![0]!.span, end: node.module![node.module!.length - 1]!.span.end };
  return diagnostic(
    'E0203',
    span,
    { module: name },
    {
      help: { suggestions: suggest(name, known), available: known },
    },
  );
}
