import { findSetting } from '../ast/findSetting.js';
import type { SearchNode, SpaceNode } from '../ast/nodes.js';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/Diagnostic.js';
import type { Module } from '../check/loadProgram.js';
import { declarations, type ModuleScope } from '../check/scope.js';
import type { Span } from '../source/SourceFile.js';
import { invariant } from '../util/invariant.js';
import { suggest } from '../util/suggest.js';
import type { CellChoice } from './cellParts.js';
import { elaborateNetwork } from './elaborateNetwork.js';
import { Evaluator } from './evaluate.js';
import { choicesJson, genotypeChoice } from './genotypes.js';
import type { NetworkModel } from './model.js';
import { noArgs, type Value } from './values.js';

/** What `buildNetwork` needs from a checked program. */
export interface NetworkSource {
  readonly entry: Module;
  readonly scopes: ReadonlyMap<Module, ModuleScope>;
}

/** Which network to build. */
export interface NetworkOptions {
  /** A space by name; default: the space of the (first or named) search block, else the entry file's only space. */
  readonly space?: string;
  /** A search block by name (for its `space` arguments). */
  readonly search?: string;
  /** A PC-DARTS supernet: its mixed ops see 1/`partial` of each edge's channels. */
  readonly partial?: number;
  /** A genotype by name: builds the derived network instead of the search supernet. */
  readonly genotype?: string;
  /** A genotype read from a file (`genotypeFromJson`), instead of one by name. */
  readonly genotypeChoices?: ReadonlyMap<string, CellChoice>;
  /** Derived networks: include the auxiliary head. */
  readonly aux?: boolean;
  /** `--set NAME=VALUE` overrides of space parameters. */
  readonly overrides?: ReadonlyMap<string, number>;
}

/**
 * Builds the network a user asks for: the search supernet of a space, or the derived
 * network of a genotype. Problems are diagnostics; the location of a request that names
 * nothing is the entry file's start.
 */
export function buildNetwork(
  source: NetworkSource,
  options: NetworkOptions = {},
): {
  value?: NetworkModel;
  diagnostics: Diagnostic[];
  /** The genotype a derived network was built from, in its JSON form (`genotypeJson`'s). */
  genotype?: Record<string, unknown>;
} {
  const diagnostics: Diagnostic[] = [];
  const evaluator = new Evaluator(source.scopes, (d) => diagnostics.push(d), source.entry.file);
  const space = spaceValue(source, options, evaluator);
  if (!space) return { diagnostics };
  let genotype: ReadonlyMap<string, CellChoice> | undefined = options.genotypeChoices;
  if (options.genotype !== undefined) {
    const g = findDecl(source, options.genotype, 'Genotype', evaluator);
    if (!g) return { diagnostics };
    genotype = genotypeChoice(evaluator, g);
    if (!genotype) return { diagnostics };
  }
  const overrides = new Map<string, Value>(
    [...(options.overrides ?? [])].map(([k, v]) => [k, { kind: 'int', value: v }]),
  );
  const known = (space.symbol.decl as SpaceNode).params?.map((p) => p.name.value) ?? [];
  for (const name of overrides.keys()) {
    if (!known.includes(name)) {
      diagnostics.push(
        diagnostic(
          'E0215',
          space.symbol.decl.name.span,
          { name, callee: space.symbol.decl.name.value },
          {
            help: { suggestions: suggest(name, known), params: known },
          },
        ),
      );
      return { diagnostics };
    }
  }
  const value = elaborateNetwork({
    evaluator,
    space,
    overrides,
    mode: genotype ? 'derived' : 'search',
    ...(genotype ? { genotype } : {}),
    ...(!genotype && options.partial ? { partial: options.partial } : {}),
    aux: options.aux ?? false,
  });
  invariant(value || hasErrors(diagnostics), 'a network failed to build without a diagnostic');
  if (!value) return { diagnostics };
  return genotype
    ? { value, diagnostics, genotype: choicesJson(genotype) }
    : { value, diagnostics };
}

/** The space a search block names, with its arguments; reports what else it names. */
export function searchSpace(
  evaluator: Evaluator,
  source: NetworkSource,
  search: SearchNode,
): (Value & { kind: 'decl' }) | undefined {
  const s = findSetting(search.body, 'space');
  if (!s) return undefined;
  const v = evaluator.evaluate(s.value, source.entry, new Map());
  if (v.kind === 'decl' && v.symbol.decl.kind === 'Space') return v;
  if (v.kind === 'decl')
    evaluator.report(
      diagnostic('E0410', s.value.span, {
        name: v.symbol.decl.name.value,
        what: `a ${v.symbol.decl.kind.toLowerCase()}`,
      }),
    );
  else evaluator.mismatch(v, 'a space', s.value.span);
  return undefined;
}

function spaceValue(
  source: NetworkSource,
  options: NetworkOptions,
  evaluator: Evaluator,
): (Value & { kind: 'decl' }) | undefined {
  if (options.space !== undefined) {
    const decl = findDecl(source, options.space, 'Space', evaluator);
    return decl && { ...decl, args: noArgs };
  }
  const searches = source.entry.ast.items.filter((i): i is SearchNode => i.kind === 'Search');
  const search =
    options.search === undefined
      ? searches[0]
      : searches.find((s) => s.name?.value === options.search);
  if (options.search !== undefined && !search) {
    evaluator.report(
      requestError(
        source,
        'E0201',
        options.search,
        'search block',
        searches.flatMap((s) => (s.name ? [s.name.value] : [])),
      ),
    );
    return undefined;
  }
  if (search) return searchSpace(evaluator, source, search);
  const spaces = declarations(source.entry).filter((d) => d.kind === 'Space');
  if (spaces.length === 1)
    return {
      kind: 'decl',
      symbol: { decl: spaces[0]!, module: source.entry },
      args: noArgs,
      span: spaces[0]!.name.span,
    };
  evaluator.report(
    requestError(
      source,
      'E0201',
      '',
      'space',
      spaces.map((s) => s.name.value),
    ),
  );
  return undefined;
}

function findDecl(
  source: NetworkSource,
  name: string,
  kind: 'Space' | 'Genotype',
  evaluator: Evaluator,
): (Value & { kind: 'decl' }) | undefined {
  const scope = source.scopes.get(source.entry)!;
  const found = scope.lookupGlobal(name);
  if (found?.kind === 'decl' && found.symbol.decl.kind === kind) {
    return { kind: 'decl', symbol: found.symbol, args: noArgs, span: found.symbol.decl.name.span };
  }
  const candidates = [...source.scopes.values()]
    .flatMap((s) => [...s.own.values(), ...[...s.imported.values()].flat()])
    .filter((s) => s.decl.kind === kind)
    .map((s) => s.decl.name.value);
  evaluator.report(requestError(source, 'E0201', name, kind.toLowerCase(), candidates));
  return undefined;
}

function requestError(
  source: NetworkSource,
  code: 'E0201',
  name: string,
  what: string,
  candidates: string[],
): Diagnostic {
  const span: Span = source.entry.file.span(0, 0);
  return diagnostic(
    code,
    span,
    { name, what },
    {
      help: {
        suggestions: suggest(name, candidates),
        hint: candidates.length
          ? `the ${what}s in scope are ${[...new Set(candidates)].map((c) => `\`${c}\``).join(', ')}`
          : `no ${what} is in scope`,
      },
    },
  );
}
