import type { Program } from '../api/compile.js';
import { formatShape } from '../intrinsics/tensorType.js';

const group = (n: number) => n.toLocaleString('en-US');

/**
 * What the search networks make of one candidate op of a cell's `ops`: on the edges of each
 * use of the cell, by stride, its tensor types and parameter count (one line per distinct).
 */
export function candidateFacts(program: Program, cell: string, candidate: string): string[] {
  const lines = program.searches.flatMap(({ network }) =>
    network.cells
      .filter((c) => c.name === cell)
      .flatMap((c) =>
        c.nodes.flatMap((node) =>
          node.edges.flatMap((edge) =>
            edge.candidates
              .filter((x) => x.name === candidate)
              .map((x) => {
                const input = x.uses[0]?.input;
                const params = x.uses.reduce((sum, u) => sum + u.params, 0);
                const types = `${input ? `${formatShape(input)} -> ` : ''}${formatShape(x.output)}`;
                return `- cell ${c.index}, stride ${edge.stride}: ${types}, ${group(params)} parameters`;
              }),
          ),
        ),
      ),
  );
  return [...new Set(lines)];
}
