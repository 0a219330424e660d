import type { AstKind, AstNode } from '../ast/nodes.js';
import type { Diagnostic } from '../diagnostics/Diagnostic.js';
import type { Module } from './loadProgram.js';
import type { ModuleScope } from './scope.js';

type NodeOf<K extends AstKind> = Extract<AstNode, { kind: K }>;

/** A rule's callbacks, by node kind; each gets the node and its ancestors (outermost first). */
export type Visitor = {
  readonly [K in AstKind]?: (node: NodeOf<K>, ancestors: readonly AstNode[]) => void;
} & {
  /** Called once after the traversal of the module. */
  readonly leave?: () => void;
};

/** A check rule: given the context, the callbacks it wants during the one traversal. */
export type Rule = (ctx: CheckContext) => Visitor;

/** What every rule sees while one module is checked. */
export interface CheckContext {
  readonly module: Module;
  readonly scope: ModuleScope;
  /** True for the file being checked (the others are its imports). */
  readonly isEntry: boolean;
  report(diagnostic: Diagnostic): void;
  /** How many errors the rules have reported in this module so far. */
  errorCount(): number;
}
