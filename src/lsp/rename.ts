import { ResponseError, ErrorCodes, type Range, type WorkspaceEdit } from 'vscode-languageserver';

import { keywordNames } from './keywords.js';
import type { Analysis } from './analyse.js';
import { pathToUri, rangeOf } from './positions.js';
import { inStdlib, occurrences, targetKey } from './references.js';
import { nameAt, type NameAt, type Target } from './target.js';
import { cellInputs } from '../check/scope.js';

/** The name at `offset` if it can be renamed, else an error saying why. */
function renameable(analysis: Analysis, offset: number): NameAt & { key: string } {
  const at = nameAt(analysis, offset);
  const target = at?.target;
  const key = target && targetKey(target);
  if (!at || !target || !key)
    throw refusal('only a declaration, a parameter or a cell node can be renamed');
  const module =
    target.kind === 'decl'
      ? target.symbol.module
      : target.kind === 'param'
        ? target.owner.module
        : undefined;
  if (module && inStdlib(analysis, module))
    throw refusal(`\`${at.name.value}\` is declared in the standard library`);
  return { ...at, key };
}

function refusal(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidRequest, message);
}

/** The range and text of the name to rename at `offset` (LSP prepareRename). */
export function prepareRename(
  analysis: Analysis,
  offset: number,
): { range: Range; placeholder: string } {
  const at = renameable(analysis, offset);
  return { range: rangeOf(at.name.span), placeholder: at.name.value };
}

/**
 * The edits that rename the declaration, parameter or node at `offset` and every occurrence
 * of it in the files the open documents reach.
 */
export function renameEdits(
  analyses: readonly Analysis[],
  analysis: Analysis,
  offset: number,
  newName: string,
): WorkspaceEdit {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName) || keywordNames.includes(newName))
    throw refusal(`\`${newName}\` is not a name`);
  const at = renameable(analysis, offset);
  if (taken(analysis, at.target!, newName))
    throw refusal(`\`${newName}\` is already declared there`);
  const changes: Record<string, { range: Range; newText: string }[]> = {};
  for (const o of occurrences([analysis, ...analyses], at.key)) {
    (changes[pathToUri(o.path)] ??= []).push({ range: rangeOf(o.span), newText: newName });
  }
  return { changes };
}

/** True when the new name is already one the renamed thing would clash with. */
function taken(analysis: Analysis, target: Target, name: string): boolean {
  switch (target.kind) {
    case 'decl': {
      const scope = analysis.scopes.get(target.symbol.module);
      return scope !== undefined && (scope.own.has(name) || scope.imported.has(name));
    }
    case 'param':
      return (
        'params' in target.owner.decl &&
        (target.owner.decl.params ?? []).some((p) => p.name.value === name)
      );
    case 'state':
      return cellInputs(target.cell).includes(name) || stateNames(target.cell).includes(name);
    default:
      return false;
  }
}

function stateNames(cell: Extract<Target, { kind: 'state' }>['cell']): string[] {
  if (cell.body.kind !== 'Block') return [];
  return cell.body.items.flatMap((i) => (i.kind === 'NodeDecl' ? [i.name.value] : []));
}
