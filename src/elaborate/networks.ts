import type { GenotypeNode, SearchNode, SettingNode, SpaceNode } from '../ast/nodes.js';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/Diagnostic.js';
import { invariant } from '../util/invariant.js';
import type { SourceFile, Span } from '../source/SourceFile.js';
import { suggest } from '../util/suggest.js';
import type { CellChoice } from './cellParts.js';
import { elaborateNetwork } from './elaborateNetwork.js';
import { Evaluator } from './evaluate.js';
import type { Module } from '../check/loadProgram.js';
import type { NetworkModel } from './model.js';
import { builtinDatasets, type DatasetFacts } from '../intrinsics/settings.js';
import { formatShape } from '../intrinsics/tensorType.js';
import { declarations, type DeclSymbol, type ModuleScope } from '../check/scope.js';
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
  /** A genotype by name: builds the derived network instead of the search supernet. */
  readonly genotype?: string;
  /** A genotype read from a file (`genotypeFromJson`), instead of one by name. */
  readonly genotypeChoices?: ReadonlyMap<string, CellChoice>;
  /** Derived networks: include the auxiliary head. */
  readonly aux?: boolean;
  /** `--set NAME=VALUE` overrides of space parameters. */
  readonly overrides?: ReadonlyMap<string, number>;
}

const setting = (items: readonly { kind: string }[], key: string): SettingNode | undefined =>
  items.find((i): i is SettingNode => i.kind === 'Setting' && (i as SettingNode).key.value === key);

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
    aux: options.aux ?? false,
  });
  invariant(value || hasErrors(diagnostics), 'a network failed to build without a diagnostic');
  if (!value) return { diagnostics };
  return genotype
    ? { value, diagnostics, genotype: choicesJson(genotype) }
    : { value, diagnostics };
}

/** Genotype choices as JSON: `{ normal: [[op, input], ...], normal_concat: [...], ... }`. */
function choicesJson(choices: ReadonlyMap<string, CellChoice>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [role, choice] of choices) {
    out[role] = choice.pairs.map((p) => [p.op, p.input]);
    if (choice.concat) out[`${role}_concat`] = [...choice.concat];
  }
  return out;
}

/** Elaborates every network the entry file names, reporting type errors: each search block's space, and each space whose parameters all have defaults. */
export function checkNetworks(source: NetworkSource, report: (d: Diagnostic) => void): void {
  const evaluator = new Evaluator(source.scopes, report, source.entry.file);
  const done = new Set<SpaceNode>();
  for (const item of source.entry.ast.items) {
    if (item.kind !== 'Search') continue;
    const space = searchSpace(evaluator, source, item);
    if (!space) continue;
    done.add(space.symbol.decl as SpaceNode);
    const model = elaborateNetwork({ evaluator, space, mode: 'search' });
    if (model) checkBuiltinData(evaluator, source, item, model);
  }
  for (const item of source.entry.ast.items) {
    if (item.kind !== 'Space' || done.has(item) || (item.params ?? []).some((p) => !p.default))
      continue;
    const symbol: DeclSymbol = { decl: item, module: source.entry };
    elaborateNetwork({
      evaluator,
      space: { kind: 'decl', symbol, args: noArgs, span: item.name.span },
      mode: 'search',
    });
  }
  for (const item of source.entry.ast.items) {
    if (item.kind === 'Genotype')
      genotypeChoice(evaluator, {
        kind: 'decl',
        symbol: { decl: item, module: source.entry },
        args: noArgs,
        span: item.name.span,
      });
  }
}

/** A built-in dataset must give what the space takes (file datasets are checked when loaded). */
function checkBuiltinData(
  evaluator: Evaluator,
  source: NetworkSource,
  search: SearchNode,
  model: NetworkModel,
) {
  const s = setting(search.body.items, 'data');
  if (!s) return;
  const v = evaluator.evaluate(s.value, source.entry, new Map());
  const facts = v.kind === 'call' ? builtinDatasets[v.name] : undefined;
  if (!facts) return;
  const problem = dataMismatch(v.kind === 'call' ? v.name : '', facts, model);
  if (problem) evaluator.report(problem(s.value.span));
}

/** The E0413 for data that does not fit a network, if it does not; `span` is the `data` setting. */
export function dataMismatch(
  name: string,
  data: DatasetFacts,
  model: Pick<NetworkModel, 'input' | 'output' | 'space' | 'stem'>,
): ((span: Span) => Diagnostic) | undefined {
  const misfit = (what: string, expected: string, hint: string) => (span: Span) =>
    diagnostic(
      'E0413',
      span,
      { data: name, what, space: model.space, expected },
      { help: { hint } },
    );
  const sample = formatShape({ layout: data.layout, dims: data.dims });
  if (data.layout !== model.input.layout || data.dims.join() !== model.input.dims.join())
    return misfit(
      `samples of type \`${sample}\``,
      `\`${formatShape(model.input)}\``,
      `declare the space's input as \`${sample}\`, or use data of the space's input type`,
    );
  const outputs = model.output.dims[0]!;
  if (data.task === 'regression') {
    if (outputs !== 1)
      return misfit(
        'one regression target per sample',
        `${outputs} outputs`,
        'end the head with `dense(1)` and declare the output `Vec[1]`',
      );
  } else if (data.classes > outputs)
    return misfit(
      `${data.classes} classes`,
      `${outputs} outputs`,
      `end the head with \`dense(${data.classes})\` and declare \`Logits[${data.classes}]\``,
    );
  // Token ids index the embedding's table: an id past its end would read no row at all.
  const embedding = model.stem.find((use) => use.op === 'embedding');
  const vocab = embedding ? Number(embedding.attrs.vocab) : undefined;
  if (data.vocab !== undefined && vocab !== undefined && data.vocab > vocab)
    return misfit(
      `token ids up to ${data.vocab - 1}`,
      `ids below ${vocab} (its embedding's \`vocab\`)`,
      `give the embedding \`vocab: ${data.vocab}\` or more`,
    );
  return undefined;
}

function searchSpace(
  evaluator: Evaluator,
  source: NetworkSource,
  search: SearchNode,
): (Value & { kind: 'decl' }) | undefined {
  const s = setting(search.body.items, 'space');
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

/**
 * Reads a genotype saved as JSON: `{ "normal": [["sep_conv_3x3", 0], ...], "normal_concat":
 * [2, 3, 4, 5], "reduce": [...], "reduce_concat": [...] }`, or the four-element array form
 * `[normal, normal_concat, reduce, reduce_concat]` that the CANDLE library stores.
 */
export function genotypeFromJson(file: SourceFile): {
  value?: Map<string, CellChoice>;
  diagnostics: Diagnostic[];
} {
  const whole = file.span(0, file.text.length);
  const fail = (problem: string) => ({
    diagnostics: [
      diagnostic(
        'E0404',
        whole,
        { problem },
        {
          help: {
            hint: 'write `{ "normal": [["sep_conv_3x3", 0], ...], "normal_concat": [2, 3, 4, 5], "reduce": [...], "reduce_concat": [...] }`',
          },
        },
      ),
    ],
  });
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (error) {
    return fail(`${file.name} is not JSON (${(error as Error).message})`);
  }
  if (Array.isArray(data) && data.length === 4) {
    data = { normal: data[0], normal_concat: data[1], reduce: data[2], reduce_concat: data[3] };
  }
  if (typeof data !== 'object' || data === null)
    return fail(`${file.name} holds no genotype object`);
  const record = data as Record<string, unknown>;
  const out = new Map<string, CellChoice>();
  for (const role of ['normal', 'reduce']) {
    const pairs = record[role];
    if (pairs === undefined) continue;
    const ok =
      Array.isArray(pairs) &&
      pairs.every(
        (p) =>
          Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && Number.isInteger(p[1]),
      );
    if (!ok) return fail(`\`${role}\` in ${file.name} must be a list of [op, input] pairs`);
    const concat = record[`${role}_concat`];
    if (
      concat !== undefined &&
      !(Array.isArray(concat) && concat.every((c) => Number.isInteger(c)))
    ) {
      return fail(`\`${role}_concat\` in ${file.name} must be a list of state indices`);
    }
    out.set(role, {
      pairs: (pairs as [string, number][]).map(([op, input]) => ({ op, input, span: whole })),
      ...(concat ? { concat: concat as number[] } : {}),
      span: whole,
    });
  }
  if (out.size === 0) return fail(`${file.name} has neither \`normal\` nor \`reduce\``);
  return { value: out, diagnostics: [] };
}

/** Reads a genotype literal into the choice per cell role (`normal`, `reduce`). */
export function genotypeChoice(
  evaluator: Evaluator,
  value: Value & { kind: 'decl' },
): Map<string, CellChoice> | undefined {
  const decl = value.symbol.decl as GenotypeNode;
  const module = value.symbol.module;
  const out = new Map<string, CellChoice>();
  for (const role of ['normal', 'reduce']) {
    const pairsSetting = setting(decl.body.items, role);
    if (!pairsSetting) continue;
    const list = evaluator.evaluate(pairsSetting.value, module, new Map());
    const spans =
      pairsSetting.value.kind === 'List' ? pairsSetting.value.elements.map((e) => e.span) : [];
    if (list.kind !== 'list')
      return void evaluator.mismatch(list, 'a list of (op, input) pairs', pairsSetting.value.span);
    const pairs: CellChoice['pairs'][number][] = [];
    for (const [i, item] of list.items.entries()) {
      const span = spans[i] ?? pairsSetting.value.span;
      const [op, input] = item.kind === 'tuple' ? item.items : [];
      if (
        item.kind !== 'tuple' ||
        item.items.length !== 2 ||
        op?.kind !== 'op' ||
        op.op.kind === 'compose' ||
        input?.kind !== 'int'
      ) {
        return void evaluator.mismatch(
          item,
          'an (op, input) pair such as `(sep_conv_3x3, 0)`',
          span,
        );
      }
      pairs.push({
        op: op.op.kind === 'primitive' ? op.op.symbol.decl.name.value : op.op.name,
        input: input.value,
        span,
      });
    }
    const concatSetting = setting(decl.body.items, `${role}_concat`);
    let concat: number[] | undefined;
    if (concatSetting) {
      const c = evaluator.evaluate(concatSetting.value, module, new Map());
      if (c.kind !== 'list' || c.items.some((x) => x.kind !== 'int'))
        return void evaluator.mismatch(c, 'a list of state indices', concatSetting.value.span);
      concat = c.items.map((x) => (x as { value: number }).value);
    }
    out.set(role, { pairs, ...(concat ? { concat } : {}), span: pairsSetting.value.span });
  }
  return out;
}
