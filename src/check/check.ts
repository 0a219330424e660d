import type { AstNode } from '../ast/nodes.js';
import { children } from '../ast/visit.js';
import { finalDiagnostics, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { CheckContext, Rule, Visitor } from './CheckContext.js';
import { loadProgram, type CompilerHost, type Module, type Program } from './loadProgram.js';
import { AnnotationsRule } from './rules/AnnotationsRule.js';
import { ArgumentsRule } from './rules/ArgumentsRule.js';
import { CellStatesRule } from './rules/CellStatesRule.js';
import { KnownNamesRule } from './rules/KnownNamesRule.js';
import { KnownTypesRule } from './rules/KnownTypesRule.js';
import { SettingsRule } from './rules/SettingsRule.js';
import { UniqueNamesRule } from './rules/UniqueNamesRule.js';
import { UnusedImportsRule } from './rules/UnusedImportsRule.js';
import { ShadowingRule } from './rules/ShadowingRule.js';
import { UnusedDeclarationsRule } from './rules/UnusedDeclarationsRule.js';
import { ModuleScope } from './scope.js';

/** Every rule, run together in one traversal of each module. */
const allRules: readonly Rule[] = [
  UniqueNamesRule,
  KnownNamesRule,
  KnownTypesRule,
  AnnotationsRule,
  ArgumentsRule,
  SettingsRule,
  CellStatesRule,
  ShadowingRule,
  UnusedImportsRule,
  UnusedDeclarationsRule,
];

/** A program that passed (or partly passed) checking, with the scope of every module. */
export interface CheckedProgram {
  readonly program: Program;
  readonly scopes: ReadonlyMap<Module, ModuleScope>;
}

/**
 * Loads the entry file with everything it imports, and checks every module. Runs on partial
 * ASTs too, so syntax and semantic errors are reported in the same run. Never throws for
 * user input.
 */
export function check(
  entryPath: string,
  entryText: string,
  host: CompilerHost,
  rules: readonly Rule[] = allRules,
): { value: CheckedProgram; diagnostics: Diagnostic[] } {
  const loaded = loadProgram(entryPath, entryText, host);
  const diagnostics = [...loaded.diagnostics];
  const scopes = new Map<Module, ModuleScope>();
  for (const module of loaded.value.modules) {
    const scope = new ModuleScope(module);
    scopes.set(module, scope);
    let errors = 0;
    const ctx: CheckContext = {
      module,
      scope,
      isEntry: module === loaded.value.entry,
      report: (d) => {
        if (inBroken(module, d)) return;
        if (d.severity === 'error') errors++;
        diagnostics.push(d);
      },
      errorCount: () => errors,
    };
    runRules(
      module.ast,
      rules.map((rule) => rule(ctx)),
    );
  }
  return { value: { program: loaded.value, scopes }, diagnostics: finalDiagnostics(diagnostics) };
}

/** True for a diagnostic inside a declaration that already has a syntax error. */
function inBroken(module: Module, d: Diagnostic): boolean {
  return (
    d.span.file === module.file &&
    module.broken.some(([s, e]) => d.span.start >= s && d.span.start < e)
  );
}

function runRules(root: AstNode, visitors: readonly Visitor[]): void {
  const ancestors: AstNode[] = [];
  const visit = (node: AstNode) => {
    for (const visitor of visitors) {
      const callback = visitor[node.kind] as
        ((n: AstNode, a: readonly AstNode[]) => void) | undefined;
      callback?.(node, ancestors);
    }
    ancestors.push(node);
    for (const child of children(node)) visit(child);
    ancestors.pop();
  };
  visit(root);
  for (const visitor of visitors) visitor.leave?.();
}
