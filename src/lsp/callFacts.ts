import type { Program } from '../api/compile.js';
import { formatShape } from '../intrinsics/tensorType.js';

type Network = Program['searches'][number]['network'];
type Use = Network['head'][number];

const group = (n: number) => n.toLocaleString('en-US');

/** The op uses of one part of a network: a space's `stem`, `head` or `aux`, a cell's `preprocess`. */
function partUses(network: Network, part: string, cell: string | undefined): Use[][] {
  switch (part) {
    case 'head':
      return [[...network.head]];
    case 'aux':
      return network.aux ? [[...network.aux.uses]] : [];
    case 'preprocess':
      return network.cells
        .filter((c) => c.name === cell)
        .flatMap((c) => c.inputs.map((i) => [...i.preprocess]));
    default:
      return network.stems.filter((s) => s.name === part).map((s) => [...s.uses]);
  }
}

/**
 * The tensor types of a user primitive called in a pipeline (`stem my_block(C) >> ...`): in
 * every search network, the run of op uses reached through it in that part, from the input
 * of its first op to the output of its last, with their parameters.
 */
export function callFacts(
  program: Program,
  part: string,
  cell: string | undefined,
  primitive: string,
): string[] {
  const lines = program.searches.flatMap(({ network }) =>
    partUses(network, part, cell).flatMap((uses) => runs(uses, primitive)),
  );
  return [...new Set(lines)];
}

/** Each maximal run of uses reached through `primitive` (outermost), as one line. */
function runs(uses: readonly Use[], primitive: string): string[] {
  const lines: string[] = [];
  let run: Use[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const params = run.reduce((sum, u) => sum + u.params, 0);
    const types = `${formatShape(run[0]!.input)} -> ${formatShape(run[run.length - 1]!.output)}`;
    lines.push(`- \`${primitive}\`: ${types} (${group(params)} parameters)`);
    run = [];
  };
  for (const use of uses) {
    if (use.path[0] === primitive) run.push(use);
    else flush();
  }
  flush();
  return lines;
}
