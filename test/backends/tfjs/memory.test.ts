import { describe, expect, it } from 'vitest';

import {
  checkWasmMemory,
  estimateStepBytes,
  largestBatch,
  wasmHeapLimit,
} from '../../../src/backends/tfjs/memory.js';
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
    expect(estimateStepBytes(graph, 1)).toBeGreaterThan(estimateStepBytes(withoutConv, 1));
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
