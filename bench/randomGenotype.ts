import type { IrTable } from '../src/ir/graph.js';
import { Random } from '../src/util/random.js';

/**
 * A genotype drawn uniformly from a search space, the baseline a searched genotype must beat:
 * per cell role and node, `keep` distinct edges among the node's, each with an op drawn from
 * the candidates a genotype may hold (`none` is excluded). In the JSON form `train` takes.
 */
export function randomGenotype(tables: readonly IrTable[], seed: number): Record<string, unknown> {
  const random = new Random(seed);
  const out: Record<string, unknown> = {};
  for (const t of tables) {
    const ops = t.columns.filter((_, c) => !t.excluded[c]);
    out[t.name] = t.nodeEdges.flatMap((inputs) =>
      random
        .permutation(inputs.length)
        .slice(0, t.keep)
        .map((k) => [ops[random.int(ops.length)]!, inputs[k]!]),
    );
    out[`${t.name}_concat`] = [...t.concat];
  }
  return out;
}
