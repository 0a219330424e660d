import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { genotypeFromJson } from '../../src/elaborate/genotypes.js';
import { deriveGenotype, genotypeJson } from '../../src/ir/genotype.js';
import { SourceFile } from '../../src/source/SourceFile.js';
import { Random } from '../../src/util/random.js';
import { graphOf } from './host.js';

/** An example spec's text, with its imports resolved by `graphOf`'s host. */
export function exampleText(name: string): string {
  return readFileSync(join(import.meta.dirname, '..', '..', 'examples', name), 'utf8');
}

/**
 * The derived network of a genotype drawn from random α (seeded), so every table's choice
 * is exercised: the supernet's tables, α ~ N(0, 1), derivation, then the derived graph.
 */
export function randomDerivedGraph(text: string, seed: number, aux = true) {
  const supernet = graphOf(text);
  const rng = new Random(seed);
  const alphas = Object.fromEntries(
    supernet.tables.map((t) => {
      const values = rng.normal(t.rows * t.columns.length);
      return [
        t.name,
        Array.from({ length: t.rows }, (_, r) =>
          Array.from(values.subarray(r * t.columns.length, (r + 1) * t.columns.length)),
        ),
      ];
    }),
  );
  const json = JSON.stringify(genotypeJson(deriveGenotype(supernet.tables, alphas)));
  const choices = genotypeFromJson(new SourceFile('random.json', json)).value!;
  return { graph: graphOf(text, { genotypeChoices: choices, aux }), genotype: json };
}
