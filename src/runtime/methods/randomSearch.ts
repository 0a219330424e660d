import type { Mixing } from '../../backends/tfjs/network.js';
import { deriveCell, softmax, type DerivedCell, type Genotype } from '../../ir/genotype.js';
import type { IrTable } from '../../ir/graph.js';
import { randomGenotype } from '../../ir/randomGenotype.js';
import type { MethodConfig } from '../../intrinsics/methods.js';
import { tf } from '../../numerics/tf.js';
import { Random } from '../../util/random.js';
import type { SearchMethod } from './method.js';

/**
 * Random search with weight sharing (Li and Talwalkar, UAI 2019), the baseline with the same
 * budget as the gradient methods: every step trains one path of the supernet drawn uniformly
 * (an op per edge, `none` aside), α never learns; after each epoch `samples` genotypes drawn
 * uniformly are scored on the valid split with the shared weights, and the best becomes the
 * run's genotype, written into α (1 on each kept op, 0 elsewhere) so that α derives it.
 */
export function randomSearch(config: MethodConfig): SearchMethod {
  const samples = Number(config.args.samples);
  return {
    config,
    forward: (_moment, seed) => ({ mixing: uniformPaths(seed) }),
    evaluation: () => ({ mixing: genotypeMask }),
    frozen: () => true,
    probabilities: softmax,
    choose: ({ tables, score, seed }) => {
      const random = new Random(seed);
      let best: { genotype: Genotype; score: number } | undefined;
      for (let i = 0; i < samples; i++) {
        const genotype = randomGenotype(tables, random);
        const s = score(genotype);
        if (!best || s > best.score) best = { genotype, score: s };
      }
      return best!.genotype;
    },
  };
}

/** One op per edge drawn uniformly among those a genotype may hold, per step. */
function uniformPaths(seed: number): Mixing {
  return (alpha, index, table) => {
    const random = new Random(seed * 7919 + index);
    const allowed = table.columns.flatMap((_, c) => (table.excluded[c] ? [] : [c]));
    const selected = Array.from({ length: table.rows }, () => allowed[random.int(allowed.length)]!);
    return { weights: oneHot(selected, table.columns.length), selected };
  };
}

/** The genotype α derives, as a mixing: 1 on each kept op, nothing on the other edges. */
export const genotypeMask: Mixing = (alpha, _index, table) => {
  const cell = deriveCell(alpha.arraySync() as number[][], table);
  const selected = keptColumns(table, cell);
  return { weights: oneHot(selected, table.columns.length), selected };
};

/** Per α row, the column its edge keeps, or −1 for an edge the cell does not keep. */
function keptColumns(table: IrTable, cell: DerivedCell): number[] {
  const selected: number[] = [];
  table.nodeEdges.forEach((inputs, node) => {
    const pairs = cell.pairs.slice(node * table.keep, (node + 1) * table.keep);
    for (const input of inputs) {
      const pair = pairs.find(([, from]) => from === input);
      selected.push(pair ? table.columns.indexOf(pair[0]) : -1);
    }
  });
  return selected;
}

/** α that derives `genotype`: 1 on each kept op, 0 elsewhere (ties keep the input order). */
export function genotypeAlphas(table: IrTable, cell: DerivedCell): number[][] {
  return keptColumns(table, cell).map((k) => table.columns.map((_, c) => (c === k ? 1 : 0)));
}

function oneHot(selected: readonly number[], columns: number) {
  return tf.tensor2d(
    selected.map((k) => Array.from({ length: columns }, (_, c) => (c === k ? 1 : 0))),
  );
}
