import type { IrGraph } from './graph.js';

/**
 * The nodes after which drop-path applies (darts-semantics §8.2): the output of every cell
 * edge whose ops are not all identity (a stride-1 skip is exempt, a factorized reduce is
 * not). Edges are read from the IR's stable node names, `cell3/edge5/...`.
 */
export function dropPathNodes(graph: IrGraph): Set<number> {
  const edges = new Map<string, { last: number; identity: boolean }>();
  for (const node of graph.nodes) {
    const edge = /^cell\d+\/edge\d+\//.exec(node.name)?.[0];
    if (!edge || node.op === 'input' || node.op === 'mixed') continue;
    const seen = edges.get(edge);
    edges.set(edge, {
      last: node.id,
      identity: (seen?.identity ?? true) && node.op === 'identity',
    });
  }
  return new Set([...edges.values()].filter((e) => !e.identity).map((e) => e.last));
}
