import type { AstNode, CellNode, DeclarationNode, ParamNode, ReferenceNode } from '../ast/nodes.js';
import { spaceStateNames } from '../ast/spaceStems.js';
import {
  intrinsics,
  isUserIntrinsic,
  userIntrinsicNames,
  type ParamSpec,
} from '../intrinsics/registry.js';
import type { Module } from './loadProgram.js';
import {
  blockSettings,
  settingFunctions,
  settingWords,
  variadicFunctions,
  type BlockKind,
} from '../intrinsics/settings.js';

/** A named declaration and the module it lives in. */
export interface DeclSymbol {
  readonly decl: DeclarationNode & { name: { value: string } };
  readonly module: Module;
}

/** What a reference resolved to. */
export type Resolution =
  | { readonly kind: 'decl'; readonly symbol: DeclSymbol }
  | { readonly kind: 'intrinsic'; readonly name: string }
  | { readonly kind: 'param'; readonly param: ParamNode }
  | { readonly kind: 'state'; readonly name: string }
  | { readonly kind: 'dimension'; readonly name: string }
  | { readonly kind: 'settingFunction'; readonly name: string }
  | { readonly kind: 'word'; readonly name: string };

/** A failed lookup, with what was in scope (for did-you-mean). */
export interface Unresolved {
  readonly kind: 'unresolved';
  readonly candidates: readonly string[];
  /** Set when an unqualified name is declared in several imported modules. */
  readonly ambiguous?: readonly DeclSymbol[];
  /** The enclosing setting when it has a closed vocabulary (`order first|second`). */
  readonly setting?: { readonly key: string; readonly vocabulary: readonly string[] };
}

/** The top-level names visible in one module. */
export class ModuleScope {
  /** Declarations of the module itself. */
  readonly own = new Map<string, DeclSymbol>();
  /** Unqualified names brought in by imports; several entries mean ambiguity. */
  readonly imported = new Map<string, DeclSymbol[]>();
  /** Qualifier (`ops2d`, an alias) to module. */
  readonly qualified = new Map<string, Module>();
  /** Modules whose names were used, for the unused-import warning. */
  readonly used = new Set<Module>();

  constructor(readonly module: Module) {
    for (const decl of declarations(module)) {
      if (!this.own.has(decl.name.value)) this.own.set(decl.name.value, { decl, module });
    }
    for (const imp of module.imports) {
      if (!imp.module) continue;
      this.qualified.set(imp.qualifier, imp.module);
      for (const decl of declarations(imp.module)) {
        const list = this.imported.get(decl.name.value) ?? [];
        if (!list.some((s) => s.module === imp.module)) list.push({ decl, module: imp.module });
        this.imported.set(decl.name.value, list);
      }
    }
  }

  /** Resolves a top-level name: own declarations, then imports, then intrinsics. */
  lookupGlobal(name: string): Resolution | Unresolved | undefined {
    const own = this.own.get(name);
    if (own) return { kind: 'decl', symbol: own };
    const imported = this.imported.get(name);
    if (imported?.length === 1) {
      this.used.add(imported[0]!.module);
      return { kind: 'decl', symbol: imported[0]! };
    }
    if (imported && imported.length > 1) {
      return { kind: 'unresolved', candidates: [], ambiguous: imported };
    }
    if (isUserIntrinsic(name)) return { kind: 'intrinsic', name };
    return undefined;
  }

  /** All top-level names, for suggestions. */
  globalNames(): string[] {
    return [...this.own.keys(), ...this.imported.keys(), ...userIntrinsicNames];
  }
}

/** The named declarations of a module, in source order. */
export function declarations(module: Module): DeclSymbol['decl'][] {
  return module.ast.items.flatMap((item) =>
    item.kind !== 'Import' && item.kind !== 'Search' ? [item] : [],
  );
}

/** The names of a cell's inputs: the signature's labels, else `s0`, `s1`, ... (two by default). */
export function cellInputs(cell: CellNode): string[] {
  const input = cell.signature?.input;
  if (input?.kind === 'TupleType') return input.elements.map((e, i) => e.label?.value ?? `s${i}`);
  return input ? ['s0'] : ['s0', 's1'];
}

/** The names of a cell's states: its inputs, then its explicit nodes. */
function cellStates(cell: CellNode): string[] {
  const inputs = cellInputs(cell);
  if (cell.body.kind !== 'Block') return inputs;
  const explicit = cell.body.items.flatMap((i) => (i.kind === 'NodeDecl' ? [i.name.value] : []));
  return [...inputs, ...explicit];
}

/** True for the implicit node names `n0`, `n1`, ... of a cell with a `nodes` setting. */
function isImplicitNode(cell: CellNode, name: string): boolean {
  return (
    /^n\d+$/.test(name) &&
    cell.body.kind === 'Block' &&
    cell.body.items.some((i) => i.kind === 'Setting' && i.key.value === 'nodes')
  );
}

/**
 * Resolves a reference from the innermost scope out: dimension variables inside tensor
 * types, the enclosing setting's words and functions, the enclosing cell's states, the
 * enclosing declaration's parameters, then the module scope.
 */
export function resolveReference(
  scope: ModuleScope,
  ref: ReferenceNode,
  ancestors: readonly AstNode[],
): Resolution | Unresolved {
  const [head, ...rest] = ref.parts;
  if (rest.length > 0) return resolveQualified(scope, ref);
  const name = head!.value;
  const candidates: string[] = [];
  const inType = ancestors.some((a) => a.kind === 'TensorType');
  const decl = enclosingDeclaration(ancestors);
  const params = decl && 'params' in decl ? (decl.params ?? []) : [];

  const param = params.find((p) => p.name.value === name);
  if (param) return { kind: 'param', param };
  candidates.push(...params.map((p) => p.name.value));
  if (inType) return { kind: 'dimension', name };

  const setting = enclosingSetting(ancestors);
  if (setting) {
    const spec = blockSettings[setting.block]?.[setting.key];
    const vocabulary = spec?.vocabulary ?? [];
    if (vocabulary.includes(name)) {
      return settingWords.includes(name)
        ? { kind: 'word', name }
        : { kind: 'settingFunction', name };
    }
    candidates.push(...vocabulary);
  }
  const closed = setting && vocabulary(setting);
  if (decl?.kind === 'Cell') {
    const states = cellStates(decl);
    if (states.includes(name) || isImplicitNode(decl, name)) return { kind: 'state', name };
    candidates.push(...states);
  }
  // Outside a space, `from` is E0224 whatever it names.
  if (decl?.kind !== 'Space' && inFromClause(ancestors, ref)) return { kind: 'state', name };
  if (decl?.kind === 'Space' && inFromClause(ancestors, ref)) {
    const states = spaceStateNames(decl);
    if (states.includes(name)) return { kind: 'state', name };
    candidates.push(...states);
  }
  const global = scope.lookupGlobal(name);
  if (global) return global;
  return {
    kind: 'unresolved',
    candidates: [...candidates, ...scope.globalNames()],
    ...(closed?.length ? { setting: { key: setting!.key, vocabulary: closed } } : {}),
  };
}

function vocabulary(setting: { block: BlockKind; key: string }): readonly string[] | undefined {
  return blockSettings[setting.block]?.[setting.key]?.vocabulary;
}

function resolveQualified(scope: ModuleScope, ref: ReferenceNode): Resolution | Unresolved {
  const [head, member, ...more] = ref.parts.map((p) => p.value);
  const module = scope.qualified.get(head!);
  if (!module || more.length > 0) {
    return { kind: 'unresolved', candidates: [...scope.qualified.keys()] };
  }
  const decl = declarations(module).find((d) => d.name.value === member);
  if (!decl) {
    return {
      kind: 'unresolved',
      candidates: declarations(module).map((d) => `${head}.${d.name.value}`),
    };
  }
  scope.used.add(module);
  return { kind: 'decl', symbol: { decl, module } };
}

/** The innermost declaration among the ancestors. */
function enclosingDeclaration(ancestors: readonly AstNode[]): DeclarationNode | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (['Primitive', 'Cell', 'Space', 'Genotype', 'Search', 'Let'].includes(a.kind)) {
      return a as DeclarationNode;
    }
  }
  return undefined;
}

/** The block kind of a declaration that has a settings block. */
export function blockKindOf(decl: DeclarationNode | undefined): BlockKind | undefined {
  switch (decl?.kind) {
    case 'Cell':
      return 'cell';
    case 'Space':
      return 'space';
    case 'Search':
      return 'search';
    case 'Genotype':
      return 'genotype';
    default:
      return undefined;
  }
}

/** The innermost setting among the ancestors, with its block kind. */
/** Whether a reference is one of its setting's `from` states (`stem1 ... from stem0`). */
function inFromClause(ancestors: readonly AstNode[], ref: ReferenceNode): boolean {
  const parent = ancestors[ancestors.length - 1];
  return parent?.kind === 'Setting' && (parent.from?.includes(ref) ?? false);
}

function enclosingSetting(
  ancestors: readonly AstNode[],
): { block: BlockKind; key: string } | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (a.kind === 'Setting') {
      const block = blockKindOf(enclosingDeclaration(ancestors.slice(0, i)));
      return block && { block, key: a.key.value };
    }
  }
  return undefined;
}

/** The parameters of whatever a call's callee resolved to, when known. */
export function calleeParams(resolution: Resolution): readonly ParamSpec[] | undefined {
  switch (resolution.kind) {
    case 'intrinsic':
      return intrinsics[resolution.name as keyof typeof intrinsics].params;
    case 'settingFunction':
      return variadicFunctions.includes(resolution.name)
        ? undefined
        : settingFunctions[resolution.name];
    case 'decl': {
      const decl = resolution.symbol.decl;
      if (!('params' in decl)) return undefined;
      return (decl.params ?? []).map((p) => ({
        name: p.name.value,
        kind: 'any' as const,
        ...(p.default ? { default: null } : {}),
      }));
    }
    default:
      return undefined;
  }
}
