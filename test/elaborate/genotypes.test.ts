import { describe, expect, it } from 'vitest';

import { requestNetwork } from '../../src/api/network.js';
import { genotypeLiteral } from '../../src/elaborate/genotypes.js';
import { genotypeJson } from '../../src/ir/genotype.js';
import { compile } from '../../src/api/compile.js';
import { dedent, memoryHost } from '../helpers/host.js';

const genotype = {
  normal: {
    pairs: [
      ['sep_conv_3x3', 0],
      ['skip_connect', 1],
    ] as const,
    concat: [2],
  },
  reduce: {
    pairs: [
      ['max_pool_3x3', 0],
      ['max_pool_3x3', 1],
    ] as const,
    concat: [2],
  },
};

describe('elaborate: genotype literals', () => {
  it('prints the declaration a person would write, under its comment', () => {
    expect(genotypeLiteral(genotype, 'Derived by hand.')).toBe(dedent`
      // Derived by hand.
      genotype Searched {
        normal        [(sep_conv_3x3, 0), (skip_connect, 1)]
        normal_concat [2]
        reduce        [(max_pool_3x3, 0), (max_pool_3x3, 1)]
        reduce_concat [2]
      }
    `);
  });

  it('compiles in a spec to the same genotype as its JSON', () => {
    const spec = dedent`
      import std.ops2d
      cell N(C: int) {
        ops   [none, max_pool_3x3, skip_connect, sep_conv_3x3]
        nodes 1
        keep  2
      }
      cell R(C: int) = N(C) reducing
      space S(C: int = 4) : Img[8, 8, 3] -> Logits[2] {
        stem  conv2d(C, 3, padding: 1)
        cells stack(2, normal: N, reduce: R, at: [1])
        head  global_avg_pool >> dense(2)
      }
    `;
    const literal = genotypeLiteral(genotype, 'round trip');
    const compiled = compile(
      { path: '/mem/main.darts', text: spec + literal },
      { host: memoryHost(), cwd: '/mem' },
    );
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const built = requestNetwork(compiled.value!, { genotype: 'Searched' });
    expect(built.value?.genotype?.json).toEqual(genotypeJson(genotype));
  });
});
