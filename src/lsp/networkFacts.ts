import type { Program } from '../api/compile.js';
import { inspect, type NetworkSummary } from '../api/inspect.js';
import { formatShape } from '../intrinsics/tensorType.js';
import type { Span } from '../source/SourceFile.js';

const group = (n: number) => n.toLocaleString('en-US');

/**
 * The networks `dartsc inspect` would show for a program: the supernet of each search block,
 * then (when `space` is given and no search uses it) that space with its default arguments.
 */
export function networkSummaries(program: Program, space?: string): NetworkSummary[] {
  const summaries: NetworkSummary[] = [];
  program.searches.forEach((s, i) => {
    const name = s.config.name;
    if (name === undefined && i > 0) return;
    const summary = tryInspect(program, name === undefined ? {} : { search: name });
    if (summary) summaries.push(summary);
  });
  if (space !== undefined && !summaries.some((s) => s.space === space)) {
    const summary = tryInspect(program, { space });
    if (summary) summaries.push(summary);
  }
  return summaries;
}

function tryInspect(program: Program, request: Parameters<typeof inspect>[1]) {
  try {
    return inspect(program, request).value?.summary;
  } catch {
    // A request the program cannot answer (a space with required parameters): no facts.
    return undefined;
  }
}

function networkTitle(s: NetworkSummary): string {
  const args = Object.entries(s.args)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  return `space \`${s.space}\` (search supernet${args ? `, ${args}` : ''})`;
}

/** What the networks say about a cell: each use's types and parameters, and its α table. */
export function cellFacts(summaries: readonly NetworkSummary[], cell: string): string[] {
  return summaries.flatMap((s) => {
    const uses = s.cells.filter((c) => c.cell === cell);
    if (uses.length === 0) return [];
    const lines = uses.map((c) => {
      const input =
        c.inputs.length === 2 && c.inputs[0] === c.inputs[1]
          ? `${c.inputs[0]} x2`
          : c.inputs.join(', ');
      return `- cell ${c.index} (${c.role}${c.reducing ? ', reducing' : ''}, C = ${c.C}): ${input} -> ${c.output}, ${group(c.params)} parameters`;
    });
    const tables = s.tables
      .filter((t) => t.cell === cell)
      .map(
        (t) =>
          `- α table \`${t.role}\`: ${t.rows} x ${t.columns.length} = ${t.rows * t.columns.length} entries (${t.columns.join(', ')})`,
      );
    return [`In ${networkTitle(s)}:`, ...lines, ...tables];
  });
}

/** What the networks say about a space: its types, parameters and α. */
export function spaceFacts(summaries: readonly NetworkSummary[], space: string): string[] {
  return summaries
    .filter((s) => s.space === space)
    .map(
      (s) =>
        `In ${networkTitle(s)}: ${s.input} -> ${s.output}, ${group(s.params)} parameters, ${s.cells.length} cells, ${s.alphas} α entries`,
    );
}

interface Use {
  readonly op: string;
  readonly input: Parameters<typeof formatShape>[0];
  readonly output: Parameters<typeof formatShape>[0];
  readonly params: number;
  readonly span: Span;
}

/** Every op use of the program's search networks, each with the span of its call. */
function opUses(program: Program): Use[] {
  return program.searches.flatMap(({ network: n }) => [
    ...n.stems.flatMap((s) => s.uses),
    ...n.head,
    ...(n.aux?.uses ?? []),
    ...n.cells.flatMap((c) => [
      ...c.inputs.flatMap((i) => i.preprocess),
      ...c.nodes.flatMap((node) =>
        node.edges.flatMap((e) => e.candidates.flatMap((cand) => cand.uses)),
      ),
    ]),
  ]);
}

/**
 * The tensor types of the innermost op call at `offset` in the file at `path`, as the
 * elaborator computed them in the search networks (one line per distinct typing).
 */
export function tensorTypesAt(program: Program, path: string, offset: number): string[] {
  // Only calls written out: an op the compiler supplies (a cell's default preprocessing)
  // carries the span of the declaration it belongs to.
  const here = opUses(program).filter(
    (u) =>
      u.span.file.name === path &&
      u.span.start <= offset &&
      offset <= u.span.end &&
      u.span.file.text.startsWith(u.op, u.span.start),
  );
  if (here.length === 0) return [];
  const width = Math.min(...here.map((u) => u.span.end - u.span.start));
  const lines = here
    .filter((u) => u.span.end - u.span.start === width)
    .map(
      (u) =>
        `\`${u.op}\`: ${formatShape(u.input)} -> ${formatShape(u.output)} (${group(u.params)} parameters)`,
    );
  const distinct = [...new Set(lines)];
  return distinct.length > 6
    ? [...distinct.slice(0, 6), `… ${distinct.length - 6} more`]
    : distinct;
}
