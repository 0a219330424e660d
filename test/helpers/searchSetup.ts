import { compile } from '../../src/api/compile.js';
import { findSearch } from '../../src/elaborate/elaborateProgram.js';
import { lower } from '../../src/ir/lower.js';
import { loadSearchData } from '../../src/runtime/searchData.js';
import { dedent } from './host.js';

/** A spec's first search block, ready to step: its supernet graph, config, data and splits. */
export function searchSetup(text: string) {
  const program = compile({ text, path: '/mem/tiny.darts' }).value!;
  const block = findSearch(program, program.entry.file).value!;
  const graph = lower(block.network);
  const span = program.entry.file.span(0, 0);
  const loaded = loadSearchData(block.config, block.network, program.path, span);
  if ('misfit' in loaded) throw new Error('misfit');
  return { graph, config: block.config, ...loaded };
}

/** Whole DARTS cells (4 nodes, 14 edges, the 8 DARTS candidates) on 8x8 images, one reducing. */
export const dartsCells = (C: number) => dedent`
  import std.darts
  space S(C: int = ${C}) : Img[8, 8, 3] -> Logits[3] {
    stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
    cells stack(3, normal: DartsNormal, reduce: DartsReduce, at: [1])
    head  global_avg_pool >> dense(3)
  }
`;
