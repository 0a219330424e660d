import type { Location } from 'vscode-languageserver';

import type { CellNode, NameNode } from '../ast/nodes.js';
import { spaceStems } from '../ast/spaceStems.js';
import { locationOf, pathToUri } from './positions.js';
import type { Target } from './target.js';

/** Where a target is declared: a declaration, a parameter, a cell's node, a module. */
export function definitionOf(target: Target): Location | undefined {
  switch (target.kind) {
    case 'decl':
      return locationOf(target.symbol.module.path, target.symbol.decl.name.span);
    case 'param':
      return locationOf(target.owner.module.path, target.param.name.span);
    case 'state': {
      const name = stateName(target.cell, target.name);
      return name && locationOf(target.module.path, name.span);
    }
    case 'spaceState': {
      const stem = spaceStems(target.space).find((s) => s.key.value === target.name);
      return stem && locationOf(target.module.path, stem.key.span);
    }
    case 'module': {
      const start = { line: 0, character: 0 };
      return { uri: pathToUri(target.module.path), range: { start, end: start } };
    }
    default:
      return undefined;
  }
}

/**
 * The name that declares a state of a cell: its `node` line, or the label of its input in
 * the signature. Undefined for the implicit ones (`s0`, `n1` of a `nodes N` cell).
 */
function stateName(cell: CellNode, state: string): NameNode | undefined {
  if (cell.body.kind === 'Block') {
    for (const item of cell.body.items) {
      if (item.kind === 'NodeDecl' && item.name.value === state) return item.name;
    }
  }
  const input = cell.signature?.input;
  if (input?.kind !== 'TupleType') return undefined;
  return input.elements.find((e) => e.label?.value === state)?.label;
}
