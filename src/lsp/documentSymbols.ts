import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';

import type { BlockNode, DeclarationNode, ParamNode, TopLevelNode } from '../ast/nodes.js';
import { rangeOf } from './positions.js';
import type { ProgramNode } from '../ast/nodes.js';

const kinds: Record<TopLevelNode['kind'], SymbolKind> = {
  Import: SymbolKind.Module,
  Primitive: SymbolKind.Function,
  Cell: SymbolKind.Class,
  Space: SymbolKind.Namespace,
  Genotype: SymbolKind.Struct,
  Search: SymbolKind.Event,
  Let: SymbolKind.Constant,
};

/**
 * The outline of a document: its imports and declarations, each declaration with its
 * parameters, settings and cell nodes.
 */
export function documentSymbols(program: ProgramNode): DocumentSymbol[] {
  return program.items.map((item) => {
    const name = item.kind === 'Import' ? importName(item) : (item.name?.value ?? 'search');
    const selection = item.kind === 'Import' || !item.name ? item.span : item.name.span;
    const children = item.kind === 'Import' ? [] : members(item);
    return {
      name,
      detail: item.kind === 'Import' ? 'import' : item.kind.toLowerCase(),
      kind: kinds[item.kind],
      range: rangeOf(item.span),
      selectionRange: rangeOf(selection),
      ...(children.length ? { children } : {}),
    };
  });
}

function importName(item: Extract<TopLevelNode, { kind: 'Import' }>): string {
  return item.module ? item.module.map((n) => n.value).join('.') : (item.file?.value ?? 'import');
}

function members(decl: DeclarationNode): DocumentSymbol[] {
  const params = 'params' in decl ? (decl.params ?? []).map(paramSymbol) : [];
  const body = 'body' in decl && decl.body.kind === 'Block' ? blockSymbols(decl.body) : [];
  return [...params, ...body];
}

function paramSymbol(p: ParamNode): DocumentSymbol {
  return {
    name: p.name.value,
    detail: p.type.value,
    kind: SymbolKind.TypeParameter,
    range: rangeOf(p.span),
    selectionRange: rangeOf(p.name.span),
  };
}

function blockSymbols(block: BlockNode): DocumentSymbol[] {
  return block.items.map((item) =>
    item.kind === 'Setting'
      ? {
          name: item.key.value,
          kind: SymbolKind.Property,
          range: rangeOf(item.span),
          selectionRange: rangeOf(item.key.span),
        }
      : {
          name: item.name.value,
          detail: `node from ${item.inputs.map((i) => i.value).join(', ')}`,
          kind: SymbolKind.Field,
          range: rangeOf(item.span),
          selectionRange: rangeOf(item.name.span),
        },
  );
}
