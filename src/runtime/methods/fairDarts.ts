import type { MethodConfig } from '../../intrinsics/methods.js';
import { tf } from '../../numerics/tf.js';
import type { NotedTable, SearchMethod, Weights } from './method.js';
import { weightsOf, type Genotype } from '../../ir/genotype.js';

/**
 * FairDARTS (xiaomi-automl/FairDARTS): an independent sigmoid per candidate, so candidates
 * do not compete, and the zero-one loss −w · mean((σ(α) − 0.5)²) over every table's entries,
 * which pushes each σ towards 0 or 1. The genotype ranks edges by their largest σ as DARTS
 * does (the reference then drops a kept edge whose σ is under the threshold, which can leave
 * a node without inputs; dartsc keeps the cell whole and reports the threshold instead).
 */
export function fairDarts(config: MethodConfig): SearchMethod {
  const weight = Number(config.args.zero_one);
  return {
    config,
    forward: () => ({ mixing: (alpha) => ({ weights: tf.sigmoid(alpha) }) }),
    alphaLoss: (alphas) => {
      const all = tf.concat(alphas.map((a) => tf.reshape(tf.sigmoid(a), [-1])));
      return tf.mul(tf.mean(tf.square(tf.sub(all, 0.5))), -weight) as tf.Scalar;
    },
    probabilities: weightsOf.sigmoid,
    notes: (tables, genotype, weights) => {
      const threshold = Number(config.args.threshold);
      const kept = keptWeights(tables, genotype, weights);
      const below = kept.filter((w) => w < threshold).length;
      if (below === 0) return [];
      return [
        `${below} of ${kept.length} kept ops have σ(α) under the threshold ${threshold}; FairDARTS would drop their edges (dartsc keeps every node's ${tables[0]?.keep ?? 2})`,
      ];
    },
  };
}

/** σ(α) of each kept (op, input) pair of a genotype, from its row in the table. */
function keptWeights(
  tables: readonly NotedTable[],
  genotype: Genotype,
  weights: Weights,
): number[] {
  const out: number[] = [];
  for (const t of tables) {
    const cell = genotype[t.role];
    if (!cell) continue;
    let row = 0;
    t.nodeEdges.forEach((inputs, node) => {
      for (const [op, input] of cell.pairs.slice(node * t.keep, (node + 1) * t.keep))
        out.push(weights[t.role]![row + inputs.indexOf(input)]![t.columns.indexOf(op)]!);
      row += inputs.length;
    });
  }
  return out;
}
