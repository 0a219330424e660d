import type {
  AstNode,
  CallNode,
  CellNode,
  DeclarationNode,
  NameNode,
  ParamNode,
  SpaceNode,
} from '../ast/nodes.js';
import type { Module } from '../check/loadProgram.js';
import { blockKindOf, resolveReference, type DeclSymbol, type Resolution } from '../check/scope.js';
import type { BlockKind } from '../intrinsics/settings.js';
import { scopeOf, type Analysis } from './analyse.js';
import { pathAt } from './pathAt.js';

/** What a name in a document stands for. */
export type Target =
  | { readonly kind: 'decl'; readonly symbol: DeclSymbol }
  | { readonly kind: 'param'; readonly param: ParamNode; readonly owner: DeclSymbol }
  | {
      readonly kind: 'state';
      readonly name: string;
      readonly cell: CellNode;
      readonly module: Module;
    }
  /** `input` or a stem of a space, read in a `from` clause. */
  | {
      readonly kind: 'spaceState';
      readonly name: string;
      readonly space: SpaceNode;
      readonly module: Module;
    }
  | { readonly kind: 'module'; readonly module: Module }
  | { readonly kind: 'setting'; readonly block: BlockKind; readonly key: string }
  | { readonly kind: 'intrinsic' | 'settingFunction' | 'word'; readonly name: string }
  | { readonly kind: 'argument'; readonly callee: Resolution; readonly name: string };

/** The name under a cursor, and what it stands for when that is known. */
export interface NameAt {
  readonly name: NameNode;
  readonly target?: Target;
  /** The nodes around the name, outermost first (the name excluded). */
  readonly ancestors: readonly AstNode[];
  readonly module: Module;
}

const declKinds = new Set(['Primitive', 'Cell', 'Space', 'Genotype', 'Search', 'Let']);

/** The innermost declaration among `ancestors`. */
function enclosingDecl(ancestors: readonly AstNode[]): DeclarationNode | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    if (declKinds.has(ancestors[i]!.kind)) return ancestors[i] as DeclarationNode;
  }
  return undefined;
}

/** The name at `offset` in a module of the analysis (the document by default). */
export function nameAt(
  analysis: Analysis,
  offset: number,
  module = analysis.entry,
): NameAt | undefined {
  const path = pathAt(module.ast, offset);
  const name = path[path.length - 1];
  if (name?.kind !== 'Name') return undefined;
  const ancestors = path.slice(0, -1);
  const target = targetOf(analysis, module, name, ancestors);
  return { name, ancestors, module, ...(target ? { target } : {}) };
}

/** What `name` (with its ancestors) stands for in `module`. */
export function targetOf(
  analysis: Analysis,
  module: Module,
  name: NameNode,
  ancestors: readonly AstNode[],
): Target | undefined {
  const parent = ancestors[ancestors.length - 1];
  const scope = scopeOf(analysis, module);
  switch (parent?.kind) {
    case 'Reference': {
      if (parent.parts.length > 1 && parent.parts[0] === name) {
        const qualified = scope.qualified.get(name.value);
        return qualified && { kind: 'module', module: qualified };
      }
      return fromResolution(
        resolveReference(scope, parent, ancestors.slice(0, -1)),
        module,
        ancestors,
      );
    }
    case 'Param': {
      const owner = enclosingDecl(ancestors);
      if (parent.name !== name || !owner || !('name' in owner) || !owner.name) return undefined;
      return { kind: 'param', param: parent, owner: { decl: owner as DeclSymbol['decl'], module } };
    }
    case 'Argument':
      return parent.name === name ? argumentTarget(analysis, module, name, ancestors) : undefined;
    case 'Setting': {
      const block = blockKindOf(enclosingDecl(ancestors));
      return block && parent.key === name ? { kind: 'setting', block, key: name.value } : undefined;
    }
    case 'NodeDecl': {
      const cell = enclosingDecl(ancestors);
      return cell?.kind === 'Cell' ? { kind: 'state', name: name.value, cell, module } : undefined;
    }
    case 'Import': {
      const imported = module.imports.find((i) => i.node === parent)?.module;
      return imported && { kind: 'module', module: imported };
    }
    default:
      return parent && declKinds.has(parent.kind) && (parent as { name?: NameNode }).name === name
        ? { kind: 'decl', symbol: { decl: parent as DeclSymbol['decl'], module } }
        : undefined;
  }
}

function fromResolution(
  resolution: ReturnType<typeof resolveReference>,
  module: Module,
  ancestors: readonly AstNode[],
): Target | undefined {
  switch (resolution.kind) {
    case 'decl':
      return { kind: 'decl', symbol: resolution.symbol };
    case 'param': {
      const owner = enclosingDecl(ancestors) as DeclSymbol['decl'];
      return { kind: 'param', param: resolution.param, owner: { decl: owner, module } };
    }
    case 'state': {
      const decl = enclosingDecl(ancestors);
      if (decl?.kind === 'Space')
        return { kind: 'spaceState', name: resolution.name, space: decl, module };
      return decl?.kind === 'Cell'
        ? { kind: 'state', name: resolution.name, cell: decl, module }
        : undefined;
    }
    case 'intrinsic':
    case 'settingFunction':
    case 'word':
      return { kind: resolution.kind, name: resolution.name };
    default:
      return undefined;
  }
}

/** A named argument `stride: 2`: the parameter of the callee it binds. */
function argumentTarget(
  analysis: Analysis,
  module: Module,
  name: NameNode,
  ancestors: readonly AstNode[],
): Target | undefined {
  // The argument's parent: a call, or an annotation (whose arguments name no parameters).
  const callAt = ancestors.length - 2;
  const call = ancestors[callAt];
  if (call?.kind !== 'Call') return undefined;
  const callee = resolveReference(
    scopeOf(analysis, module),
    (call as CallNode).callee,
    ancestors.slice(0, callAt + 1),
  );
  if (callee.kind === 'decl' && 'params' in callee.symbol.decl) {
    const param = callee.symbol.decl.params?.find((p) => p.name.value === name.value);
    if (param) return { kind: 'param', param, owner: callee.symbol };
  }
  return callee.kind === 'unresolved' ? undefined : { kind: 'argument', callee, name: name.value };
}
