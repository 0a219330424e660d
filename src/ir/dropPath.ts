import { intrinsic } from '../intrinsics/registry.js';
import type { IrGraph } from './graph.js';

/**
 * The nodes after which drop-path applies (darts-semantics §8.2): the output of every cell
 * edge whose ops are not all identity (a stride-1 skip is exempt, a factorized reduce is
 * not). Edges are read from the nodes' sites, identity from the registry.
 */
export function dropPathNodes(graph: IrGraph): Set<number> {
  const edges = new Map<string, { last: number; identity: boolean }>();
  for (const node of graph.nodes) {
    if (node.site.part !== 'edge' || node.op === 'mixed' || node.op === 'input') continue;
    const key = `${node.site.cell}:${node.site.edge}`;
    const seen = edges.get(key);
    const identity = intrinsic(node.op).identity === true;
    edges.set(key, { last: node.id, identity: (seen?.identity ?? true) && identity });
  }
  return new Set([...edges.values()].filter((e) => !e.identity).map((e) => e.last));
}
