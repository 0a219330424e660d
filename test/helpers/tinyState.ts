import { compile } from '../../src/api/compile.js';
import { findSearch } from '../../src/elaborate/elaborateProgram.js';
import { lower } from '../../src/ir/lower.js';
import { freshState } from '../../src/runtime/search.js';
import { takeSnapshot, type TrainState } from '../../src/runtime/snapshot.js';
import { exampleText } from './derived.js';

/** The tiny example's search network, lowered once: the subject of the checkpoint tests. */
const block = (() => {
  const program = compile({ text: exampleText('tiny.darts'), path: '/mem/tiny.darts' }).value!;
  return findSearch(program, program.entry.file).value!;
})();
const graph = lower(block.network);

/** A fresh search state of the tiny network, its weights drawn from `seed`. */
export const tinyState = (startEpoch: number, seed: number) => ({
  ...freshState(graph, { ...block.config, seed }),
  startEpoch,
});

/** Every tensor of a state as plain arrays (weights, statistics, α, optimizer state). */
export const stateValues = (s: TrainState) =>
  takeSnapshot(s).tensors.map((t) => Array.from(t.data));
