import { basename, resolve } from 'node:path';

import { check } from '../check/check.js';
import type { CompilerHost, Module } from '../check/loadProgram.js';
import type { ModuleScope } from '../check/scope.js';
import { finalDiagnostics, hasErrors } from '../diagnostics/Diagnostic.js';
import { elaborateProgram, type ElaboratedSearch } from '../elaborate/elaborateProgram.js';
import { vegaTableFacts } from '../runtime/loaders/vega.js';
import { nodeHost } from './host.js';
import { OptionError, type Result } from './result.js';

/** A spec given as text (`path` names it in diagnostics and anchors its relative paths). */
export interface SourceText {
  readonly text: string;
  /** Default: `spec.darts` in the working directory. */
  readonly path?: string;
}

export interface CompileOptions {
  /** Where relative paths start (default: the process's working directory). */
  readonly cwd?: string;
  /** How files are read (default: the file system, names shown relative to `cwd`). */
  readonly host?: CompilerHost;
}

/**
 * A checked and elaborated spec: its modules and scopes, and its search blocks with their
 * resolved settings and supernets. Every other API function takes one; none of them checks or
 * elaborates the spec again.
 */
export interface Program {
  /** The spec's absolute path. */
  readonly path: string;
  /** Its file name, as runs and emitted modules name it. */
  readonly spec: string;
  readonly cwd: string;
  readonly entry: Module;
  readonly scopes: ReadonlyMap<Module, ModuleScope>;
  /** The search blocks of the spec, in order. */
  readonly searches: readonly ElaboratedSearch[];
}

/**
 * Parses, checks and elaborates a spec and everything it imports: `input` is a path, or the
 * text itself. The value is present when there are no errors (warnings may come with it).
 * A path that cannot be read is an `OptionError`.
 */
export function compile(input: string | SourceText, options: CompileOptions = {}): Result<Program> {
  const cwd = options.cwd ?? process.cwd();
  const host = options.host ?? nodeHost(cwd);
  const path = resolve(cwd, typeof input === 'string' ? input : (input.path ?? 'spec.darts'));
  const text = typeof input === 'string' ? host.readFile(path) : input.text;
  if (text === undefined) throw new OptionError(`cannot read \`${input as string}\``);
  const checked = check(path, text, host);
  if (hasErrors(checked.diagnostics)) return { diagnostics: checked.diagnostics };
  // Shapes are checked only on a program whose names all resolve, so one typo does not
  // become ten shape errors.
  const { entry } = checked.value.program;
  const { scopes } = checked.value;
  // The vega tables ship with the package, so their columns are checked before a run.
  const elaborated = elaborateProgram({ entry, scopes }, (data) =>
    vegaTableFacts(String(data.args.name)),
  );
  const diagnostics = finalDiagnostics([...checked.diagnostics, ...elaborated.diagnostics]);
  if (hasErrors(diagnostics)) return { diagnostics };
  const { searches } = elaborated.value;
  return { value: { path, spec: basename(path), cwd, entry, scopes, searches }, diagnostics };
}
