import { beforeAll, describe, expect, it } from 'vitest';

import { buildLayersModel, copyWeights } from '../../src/backends/ts/layersModel.js';
import { layerPlan } from '../../src/backends/ts/layerPlan.js';
import type { IrGraph, IrNode } from '../../src/ir/graph.js';
import { selectBackend, tf } from '../../src/numerics/tf.js';
import { randomDerivedGraph } from '../helpers/derived.js';
import { dedent, graphOf } from '../helpers/host.js';
import { networkWithStats, sampleInput } from '../helpers/layers.js';

/**
 * NetworkImageNet's wiring, small: two stems (the second reads the first), the first cell
 * reading both, an auxiliary head placed by `from`. The graph must carry that wiring, and the
 * runtime network and the emitted layers model must compute the same function from it.
 */
const twoStems = dedent`
  import std.darts
  space Small(C: int = 4) : Img[64, 64, 3] -> Logits[3] {
    stem0 conv2d(C, 3, stride: 2, padding: 1) >> batch_norm(affine: true) >> relu
            >> conv2d(C, 3, stride: 2, padding: 1) >> batch_norm(affine: true)
    stem1 relu >> conv2d(C, 3, stride: 2, padding: 1) >> batch_norm(affine: true) from stem0
    cells stack(5, normal: DartsNormal, reduce: DartsReduce, at: [1, 3]) from stem0, stem1
    head  global_avg_pool >> dense(3)
    aux   global_avg_pool >> dense(3) from 2
  }
  search {
    space Small
    data  synthetic(samples: 8)
  }
`;

/** The last node of a site's chain (the output of a stem, a preprocessor). */
function lastOf(graph: IrGraph, match: (n: IrNode) => boolean): IrNode {
  const nodes = graph.nodes.filter(match);
  return nodes[nodes.length - 1]!;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('a space with two stems, wired by `from`', () => {
  it('lowers the reference wiring: stem1 reads stem0, cell 0 reads both', () => {
    const graph = graphOf(twoStems);
    const stem0 = lastOf(graph, (n) => n.name.startsWith('stem0/'));
    const stem1 = graph.nodes.filter((n) => n.name.startsWith('stem1/'));
    expect(stem1[0]!.inputs).toEqual([stem0.id]);
    const pre = (input: number) =>
      graph.nodes.filter(
        (n) => n.site.part === 'preprocess' && n.site.cell === 0 && n.site.input === input,
      );
    // Cell 0's first input is 16x16 against 8x8: a factorized reduce, as reduction_prev is.
    expect(pre(0)[0]!.inputs).toEqual([stem0.id]);
    expect(pre(0).map((n) => n.op)).toContain('factorized_reduce');
    expect(pre(1)[0]!.inputs).toEqual([stem1[stem1.length - 1]!.id]);
    expect(pre(1).map((n) => n.op)).not.toContain('factorized_reduce');
  });

  it('puts the auxiliary head after the cell its `from` names', () => {
    const { graph } = randomDerivedGraph(twoStems, 5);
    const aux = graph.nodes.filter((n) => n.site.part === 'aux');
    const cell2 = lastOf(graph, (n) => n.site.part === 'concat' && n.site.cell === 2);
    expect(aux[0]!.inputs).toEqual([cell2.id]);
    expect(graph.aux).toBe(aux[aux.length - 1]!.id);
  });

  it('computes the same logits in the runtime network and the emitted layers model', () => {
    const { graph } = randomDerivedGraph(twoStems, 5);
    const network = networkWithStats(graph, 3);
    const plan = layerPlan(graph);
    const model = buildLayersModel(plan);
    copyWeights(model, plan, network.namedTensors());
    const x = sampleInput(graph, 3, 2);
    const expected = network.forward(x, { training: false }).logits;
    const diff = tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, expected))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-5);
  });

  it('gives every stem weight a gradient through the cells (the loss reaches both stems)', () => {
    const graph = graphOf(twoStems);
    const network = networkWithStats(graph, 0);
    const x = sampleInput(graph, 2, 2);
    const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    const f = () =>
      tf.losses.softmaxCrossEntropy(
        labels,
        network.forward(x, { training: true }).logits,
      ) as tf.Scalar;
    const { grads } = tf.variableGrads(f, network.weights);
    const stemGrads = network.weights.flatMap((w, i) =>
      network.weightNames[i]!.startsWith('stem') ? [grads[w.name]!] : [],
    );
    expect(stemGrads.length).toBeGreaterThanOrEqual(6);
    for (const g of stemGrads) expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
  });

  it('lets each cell read states further back with `reads:`', () => {
    const text = twoStems.replace('at: [1, 3])', 'at: [1, 3], reads: [3, 1])');
    expect(text).toContain('reads: [3, 1]');
    const graph = graphOf(text);
    const output = (cell: number) =>
      lastOf(graph, (n) => n.site.part === 'concat' && n.site.cell === cell).id;
    const readBy = (cell: number, input: number) =>
      graph.nodes.find(
        (n) => n.site.part === 'preprocess' && n.site.cell === cell && n.site.input === input,
      )!.inputs[0];
    // Cell 4 reads cell 1 (three back) and cell 3; cell 2 reads stem1 (the first cell's
    // second input, three back) and cell 1.
    expect([readBy(4, 0), readBy(4, 1)]).toEqual([output(1), output(3)]);
    const stem1 = lastOf(graph, (n) => n.name.startsWith('stem1/')).id;
    expect([readBy(2, 0), readBy(2, 1)]).toEqual([stem1, output(1)]);
  });
});
