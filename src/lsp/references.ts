import { relative, sep } from 'node:path';

import type { AstNode } from '../ast/nodes.js';
import { children } from '../ast/visit.js';
import type { Module } from '../check/loadProgram.js';
import type { Span } from '../source/SourceFile.js';
import type { Analysis } from './analyse.js';
import { targetOf, type Target } from './target.js';

/** A place where a name is written. */
export interface Occurrence {
  readonly path: string;
  readonly span: Span;
}

/**
 * What identifies a target across analyses (each analysis parses its files anew): the file
 * and offset of its declaring name. Undefined for what has no declaration in a file.
 */
export function targetKey(target: Target): string | undefined {
  switch (target.kind) {
    case 'decl':
      return `${target.symbol.module.path}:${target.symbol.decl.name.span.start}`;
    case 'param':
      return `${target.owner.module.path}:${target.param.name.span.start}`;
    case 'state':
      return `${target.module.path}:${target.cell.name.span.start}:${target.name}`;
    default:
      return undefined;
  }
}

/** True for a module of the standard library. */
export function inStdlib(analysis: Analysis, module: Module): boolean {
  const rel = relative(analysis.host.stdlibDir, module.path);
  return !rel.startsWith('..') && !rel.includes(sep);
}

/**
 * Every occurrence of the target with `key` in the user files the analyses reach (open
 * documents first): its declaration, references (plain or qualified), named arguments that
 * bind it. The standard library is left out: it is not the user's to edit.
 */
export function occurrences(analyses: readonly Analysis[], key: string): Occurrence[] {
  const seen = new Set<string>();
  const found: Occurrence[] = [];
  const pairs = [
    ...analyses.map((a) => [a, a.entry] as const),
    ...analyses.flatMap((a) => a.modules.map((m) => [a, m] as const)),
  ];
  for (const [analysis, module] of pairs) {
    if (seen.has(module.path) || inStdlib(analysis, module)) continue;
    seen.add(module.path);
    walkNames(module.ast, [], (name, ancestors) => {
      const target = targetOf(analysis, module, name, ancestors);
      if (target && targetKey(target) === key) found.push({ path: module.path, span: name.span });
    });
  }
  return found;
}

function walkNames(
  node: AstNode,
  ancestors: AstNode[],
  visit: (name: Extract<AstNode, { kind: 'Name' }>, ancestors: readonly AstNode[]) => void,
): void {
  if (node.kind === 'Name') return visit(node, ancestors);
  ancestors.push(node);
  for (const child of children(node)) walkNames(child, ancestors, visit);
  ancestors.pop();
}
