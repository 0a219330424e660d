import { search } from '../src/api/search.js';
import { train } from '../src/api/train.js';
import type { Program } from '../src/api/compile.js';
import { requestNetwork } from '../src/api/network.js';
import { compileSpec } from './darts.js';
import { genotypeJson } from '../src/ir/genotype.js';
import { randomGenotype } from '../src/ir/randomGenotype.js';
import { Random } from '../src/util/random.js';
import type { Row } from './report.js';

/**
 * Does the search find anything? For each example with held-out data: the genotype its search
 * finds, and three genotypes drawn at random from its space, each retrained from scratch with
 * the same budget (the search block's epochs, batch and seed; lr 0.1), scored on the held-out
 * split. A search worth running beats the random genotypes' mean.
 */
export const examples = [
  'tiny',
  'uno',
  'p3b5',
  'mnist',
  'advanced',
  'p3b5_tokens',
  'seattle_weather',
];

/** Random genotypes per example: their seeds. */
const seeds = [1, 2, 3];

export async function genotypeRows(quick: boolean, only: readonly string[] = []): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of examples.filter((e) => !only.length || only.includes(e))) {
    const program = compileSpec(`examples/${name}.darts`);
    const budget = quick ? { epochs: 1, steps: 2 } : {};
    const found = await searched(program, budget);
    const random = seeds.map((s) =>
      genotypeJson(randomGenotype(requestNetwork(program).value!.graph.tables, new Random(s))),
    );
    const searchedAcc = await retrained(program, found, budget);
    const randomAcc = [];
    for (const g of random) randomAcc.push(await retrained(program, g, budget));
    const mean = randomAcc.reduce((a, b) => a + b, 0) / randomAcc.length;
    rows.push({
      section: 'genotypes',
      case: name,
      searched: round(searchedAcc),
      random: randomAcc.map(round),
      randomMean: round(mean),
      beats: searchedAcc > mean,
    });
  }
  return rows;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

async function searched(program: Program, budget: object): Promise<Record<string, unknown>> {
  const { value, diagnostics } = await search(program, budget).result;
  if (!value?.genotypeJson) throw new Error(`search failed: ${JSON.stringify(diagnostics)}`);
  return value.genotypeJson;
}

/** Held-out accuracy of a genotype retrained from scratch. */
async function retrained(
  program: Program,
  genotype: Record<string, unknown>,
  budget: object,
): Promise<number> {
  const { value, diagnostics } = await train(program, { genotype, lr: 0.1, ...budget }).result;
  if (!value) throw new Error(`retrain failed: ${JSON.stringify(diagnostics)}`);
  value.model.dispose();
  return value.test?.accuracy ?? NaN;
}
