import type { Random } from '../util/random.js';
import type { DerivedCell, Genotype } from './genotype.js';
import type { IrTable } from './graph.js';

/**
 * A genotype drawn uniformly from a search space: per cell role and node, `keep` distinct
 * edges among the node's, each with an op drawn from the candidates a genotype may hold
 * (`none` is excluded). Each node's pairs are in input order, as derivation orders ties. The
 * baseline a searched genotype must beat, and the candidates of random search.
 */
export function randomGenotype(tables: readonly IrTable[], random: Random): Genotype {
  const out: Record<string, DerivedCell> = {};
  for (const t of tables) {
    if (t.edgesOf) continue;
    const ops = t.columns.filter((_, c) => !t.excluded[c]);
    const pairs = t.nodeEdges.flatMap((inputs) =>
      random
        .permutation(inputs.length)
        .slice(0, t.keep)
        .map((k): [string, number] => [ops[random.int(ops.length)]!, inputs[k]!])
        .sort((a, b) => a[1] - b[1]),
    );
    out[t.name] = { pairs, concat: [...t.concat] };
  }
  return out;
}
