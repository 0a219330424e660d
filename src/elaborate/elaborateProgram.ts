import { partialChannels } from '../intrinsics/methods.js';
import type { SearchNode, SpaceNode } from '../ast/nodes.js';
import { diagnostic, type Diagnostic } from '../diagnostics/Diagnostic.js';
import { builtinDatasets, type DatasetFacts } from '../intrinsics/settings.js';
import type { SourceFile, Span } from '../source/SourceFile.js';
import { searchSpace, type NetworkSource } from './buildNetwork.js';
import { dataMismatch } from './dataFit.js';
import { stageSpan } from './dataPipeline.js';
import { elaborateNetwork } from './elaborateNetwork.js';
import { Evaluator } from './evaluate.js';
import { genotypeChoice } from './genotypes.js';
import type { NetworkModel } from './model.js';
import { resolveSearch, type ResolvedSearch } from './searchConfig.js';
import { checkPipeline, sourceFacts, type TableFacts } from './pipelineCheck.js';
import { noArgs } from './values.js';

/** A search block of the entry file, resolved, with the supernet of its space. */
export interface ElaboratedSearch extends ResolvedSearch {
  /** The block, for diagnostics that point at it. */
  readonly node: SearchNode;
  readonly network: NetworkModel;
}

/**
 * The columns and rows of a table source known before loading (the vega tables, which ship
 * with the package), given by the API layer, which may read them: this phase reads no files.
 */
export type TableLookup = (spec: ElaboratedSearch['config']['data']) => TableFacts | undefined;

/** What elaborating a checked program gives: its search blocks, ready to lower and run. */
export interface Elaboration {
  readonly searches: readonly ElaboratedSearch[];
}

/**
 * Elaborates every network the entry file names, once, reporting type errors: each search
 * block (its settings resolved, its space's supernet built, a built-in dataset held to the
 * space), each other space whose parameters all have defaults, and each genotype literal.
 * Runs only on a program whose names all resolve. Later phases take the result; they never
 * elaborate these networks again.
 */
export function elaborateProgram(
  source: NetworkSource,
  tables?: TableLookup,
): {
  value: Elaboration;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const evaluator = new Evaluator(source.scopes, (d) => diagnostics.push(d), source.entry.file);
  const searches: ElaboratedSearch[] = [];
  const done = new Set<SpaceNode>();
  for (const node of source.entry.ast.items) {
    if (node.kind !== 'Search') continue;
    const resolved = resolveSearch(evaluator, node, source.entry);
    const space = searchSpace(evaluator, source, node);
    if (!space) continue;
    done.add(space.symbol.decl as SpaceNode);
    const partial = partialChannels(resolved.config.method);
    const network = elaborateNetwork({
      evaluator,
      space,
      mode: 'search',
      ...(partial ? { partial } : {}),
    });
    if (!network) continue;
    const problems = [
      ...dataProblems(resolved, network, node.span, tables),
      ...methodProblems(resolved, network, node.span),
    ];
    problems.forEach(evaluator.report);
    if (problems.length === 0) searches.push({ ...resolved, node, network });
  }
  for (const item of source.entry.ast.items) {
    if (item.kind === 'Space' && !done.has(item) && (item.params ?? []).every((p) => p.default)) {
      const symbol = { decl: item, module: source.entry };
      const span = item.name.span;
      elaborateNetwork({
        evaluator,
        space: { kind: 'decl', symbol, args: noArgs, span },
        mode: 'search',
      });
    }
    if (item.kind === 'Genotype') {
      const symbol = { decl: item, module: source.entry };
      genotypeChoice(evaluator, { kind: 'decl', symbol, args: noArgs, span: item.name.span });
    }
  }
  return { value: { searches }, diagnostics };
}

/**
 * The data of a search, as far as it is known before loading: its pipeline's problems, then
 * whether it gives what the space takes (E0413): the built-in datasets, `synthetic` data with
 * more `classes` than outputs, and vega tables with their transforms. Files are held to the
 * same checks when loaded.
 */
function dataProblems(
  search: ResolvedSearch,
  network: NetworkModel,
  block: Span,
  tables?: TableLookup,
): Diagnostic[] {
  const spec = search.config.data;
  const span = search.spans.data ?? block;
  if (!search.dataSites) return [];
  const table = spec.kind === 'vega' ? tables?.(spec) : undefined;
  const pipeline = checkPipeline(sourceFacts(spec, table), spec.transforms ?? []);
  if (pipeline.problems.length > 0)
    return pipeline.problems.map((p) => p.at(stageSpan(search.dataSites, p) ?? span));
  const synthetic =
    spec.kind === 'synthetic' && typeof spec.args.classes === 'number'
      ? { layout: network.input.layout, dims: network.input.dims, classes: spec.args.classes }
      : undefined;
  const { shape, classes } = pipeline;
  const facts: DatasetFacts | undefined =
    shape && classes !== undefined
      ? { ...shape, classes }
      : (builtinDatasets[spec.kind] ?? synthetic);
  const misfit = facts && dataMismatch(spec.kind, facts, network, !!spec.transforms);
  return misfit ? [misfit(span)] : [];
}

/**
 * E0424: DARTS- adds each edge's skip candidate (the one that is `identity` on a stride-1
 * edge) outside the mixing, so every cell searched must have one.
 */
function methodProblems(search: ResolvedSearch, network: NetworkModel, block: Span): Diagnostic[] {
  if (search.config.method.name !== 'darts_minus') return [];
  const span = search.spans.method ?? block;
  return network.tables.flatMap((table) => {
    const cell = network.cells.find((c) => c.role === table.role)!;
    const edge = cell.nodes.flatMap((n) => n.edges).find((e) => e.stride === 1);
    const skip = edge?.candidates.some((c) => c.uses.length === 1 && c.uses[0]!.op === 'identity');
    if (skip) return [];
    const problem = { method: 'darts_minus', cell: table.cell, what: 'a skip candidate' };
    return [
      diagnostic('E0424', span, problem, { help: { hint: 'add `skip_connect` to its `ops`' } }),
    ];
  });
}

/**
 * The search block a request names (`name`, or the first); E0201 at the file's start when
 * there is none.
 */
export function findSearch(
  elaboration: Elaboration,
  file: SourceFile,
  name?: string,
): { value?: ElaboratedSearch; diagnostics: Diagnostic[] } {
  const { searches } = elaboration;
  const found = name === undefined ? searches[0] : searches.find((s) => s.config.name === name);
  if (found) return { value: found, diagnostics: [] };
  const names = searches.flatMap((s) => (s.config.name ? [s.config.name] : []));
  const problem = diagnostic(
    'E0201',
    file.span(0, 0),
    { name: name ?? 'search', what: 'search block' },
    { help: { suggestions: names, hint: 'add a `search { ... }` block to the file' } },
  );
  return { diagnostics: [problem] };
}
