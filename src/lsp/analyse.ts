import { dirname } from 'node:path';

import { compile, type Program } from '../api/compile.js';
import { check } from '../check/check.js';
import type { CompilerHost, Module } from '../check/loadProgram.js';
import type { ModuleScope } from '../check/scope.js';
import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import { invariant } from '../util/invariant.js';

/** What the server knows about one open document. */
export interface Analysis {
  readonly path: string;
  /** The document's module and every module it reaches, with their scopes. */
  readonly entry: Module;
  readonly modules: readonly Module[];
  readonly scopes: ReadonlyMap<Module, ModuleScope>;
  /** Every diagnostic `dartsc check` reports for the document (and the files it imports). */
  readonly diagnostics: readonly Diagnostic[];
  /** The compiled program, when it has no errors: shapes, parameter counts, α tables. */
  readonly program?: Program;
  readonly host: CompilerHost;
}

/**
 * Checks and compiles a document as `dartsc check` does. The checked modules and scopes are
 * kept even when there are errors, so names resolve in a file that does not compile yet.
 */
export function analyse(path: string, text: string, host: CompilerHost): Analysis {
  const checked = check(path, text, host);
  const compiled = compile({ path, text }, { cwd: dirname(path), host });
  const { entry, modules } = checked.value.program;
  return {
    path,
    entry,
    modules,
    scopes: checked.value.scopes,
    diagnostics: compiled.diagnostics,
    ...(compiled.value ? { program: compiled.value } : {}),
    host,
  };
}

/** The scope of a module of an analysis. */
export function scopeOf(analysis: Analysis, module: Module): ModuleScope {
  const scope = analysis.scopes.get(module);
  invariant(scope, `no scope for ${module.path}`);
  return scope;
}
