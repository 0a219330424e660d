import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  checkWasmMemory,
  estimateStepBytes,
  largestBatch,
  wasmHeapLimit,
} from '../../../src/backends/tfjs/memory.js';
import { join } from 'node:path';

import { compile } from '../../../src/api/compile.js';
import { findSearch } from '../../../src/elaborate/elaborateProgram.js';
import { lower } from '../../../src/ir/lower.js';
import { selectBackend } from '../../../src/numerics/tf.js';
import { freshState } from '../../../src/runtime/search.js';
import { loadSearchData } from '../../../src/runtime/searchData.js';
import { workerEngine } from '../../../src/runtime/workerEngine.js';
import { SourceFile } from '../../../src/source/SourceFile.js';
import { dedent, graphOf } from '../../helpers/host.js';

const space = (stem: string) => dedent`
  import std.ops2d
  primitive conv_3x3(C: int, stride: int = 1) : Img[h, w, C] -> Img[h / stride, w / stride, C] =
    relu >> conv2d(C, 3, stride: stride, padding: 1) >> batch_norm
  cell Cell(C: int) { ops [none, sep_conv_3x3, conv_3x3] nodes 2 }
  space S(C: int = 16) : Img[28, 28, 1] -> Logits[10] {
    stem  ${stem}
    cells stack(2, normal: Cell)
    head  global_avg_pool >> dense(10)
  }
`;

describe('backends/tfjs: wasm memory estimate', () => {
  const graph = graphOf(space('conv2d(C, 3, padding: 1) >> batch_norm(affine: true)'));
  const span = new SourceFile('spec.darts', 'batch 4096').span(6, 10);

  it('is linear in the batch', () => {
    const [e0, e1, e2] = [0, 1, 2].map((b) => estimateStepBytes(graph, b));
    expect(e2! - e1!).toBe(e1! - e0!);
    expect(e1! - e0!).toBeGreaterThan(0);
  });

  it('counts the im2col patches of dense convolutions', () => {
    const withoutConv = graphOf(
      space('batch_norm(affine: true) >> conv2d(C, 1) >> batch_norm(affine: true)'),
    );
    // Same activations but for the stem; the 3x3 candidates' patches dominate either way.
    expect(estimateStepBytes(graph, 1, false)).toBeGreaterThan(
      estimateStepBytes(withoutConv, 1, false),
    );
    // dartsc's own wasm kernels keep no patches, and about a third of the composites' tensors.
    expect(estimateStepBytes(graph, 1, true)).toBeLessThan(estimateStepBytes(graph, 1, false) / 3);
  });

  it('refuses a batch that does not fit, naming the largest that does', () => {
    const fits = largestBatch(graph);
    expect(estimateStepBytes(graph, fits)).toBeLessThanOrEqual(wasmHeapLimit);
    expect(estimateStepBytes(graph, fits + 1)).toBeGreaterThan(wasmHeapLimit);
    expect(checkWasmMemory(graph, fits, span)).toBeUndefined();
    const refused = checkWasmMemory(graph, 4096, span)!;
    expect(refused.code).toBe('E0501');
    expect(refused.help).toContain(`\`batch ${fits}\` fits`);
  });
});

describe('backends/tfjs: wasm memory estimate against the measured heap', () => {
  // A fresh wasm instance per case (a search worker): the heap only grows, so after two steps
  // its size bounds the steps' peak (by the allocator's slack of up to about 20 %).
  const cases = [
    ['mnist.darts', 32],
    ['p3b5.darts', 32],
  ] as const;
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(async () => {
    await selectBackend('wasm');
  });
  for (const [example, batch] of cases) {
    it(`is within 30 % of the heap a search step of ${example} at batch ${batch} grows to`, async () => {
      const program = compile(join(import.meta.dirname, '../../../examples', example)).value!;
      const block = findSearch(program, program.entry.file).value!;
      const graph = lower(block.network);
      const config = { ...block.config, batch };
      const span = program.entry.file.span(0, 0);
      const loaded = loadSearchData(config, block.network, program.path, span);
      if ('misfit' in loaded) throw new Error('misfit');
      const state = freshState(graph, config);
      const engine = await workerEngine(state, loaded.data, config, {
        workers: 1,
        backend: 'wasm',
      });
      try {
        const step = {
          trainIdx: loaded.splits.train.slice(0, batch),
          validIdx: loaded.splits.valid.slice(0, batch),
          lr: 0.01,
          seed: 1,
          weightSeed: 2,
          epoch: 0,
        };
        await engine.step(step);
        await engine.step(step);
        const [heap] = await engine.heaps();
        const estimate = estimateStepBytes(graph, batch, true);
        expect(estimate / heap!).toBeGreaterThan(0.7);
        expect(estimate / heap!).toBeLessThan(1.3);
      } finally {
        await engine.close();
        state.net.dispose();
      }
    }, 120_000);
  }
});
