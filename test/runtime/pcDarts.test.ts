import { beforeAll, describe, expect, it } from 'vitest';

import { compile } from '../../src/api/compile.js';
import { Network } from '../../src/backends/tfjs/network.js';
import type { IrGraph } from '../../src/ir/graph.js';
import { deriveGenotype, softmax, tableWeights } from '../../src/ir/genotype.js';
import { selectBackend, tf } from '../../src/numerics/tf.js';
import { freshState, searchStep } from '../../src/runtime/search.js';
import { Random } from '../../src/util/random.js';
import { exampleText } from '../helpers/derived.js';
import { graphOf } from '../helpers/host.js';
import { dartsCells, searchSetup } from '../helpers/searchSetup.js';

/**
 * PC-DARTS' defining ideas, each against what it must be: the mixed op of an edge sees 1/K
 * of its channels (so its activations and weights are about 1/K of a DARTS edge's), the rest
 * bypass it and the two are shuffled; a node sums its edges by softmax(β); derivation ranks
 * softmax(α)·softmax(β); α and β stay frozen for the warm-up.
 */
const cellSpace = dartsCells(8);

beforeAll(async () => {
  await selectBackend('cpu');
});

const size = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Per edge of cell 0: the floats its candidates output, and those of the whole edge. */
function edgeFloats(graph: IrGraph) {
  const nodes = graph.nodes.filter((n) => n.site.part === 'edge' && n.site.cell === 0);
  const candidates = nodes.filter((n) => n.site.part === 'edge' && n.site.candidate);
  return {
    candidates: candidates.reduce((s, n) => s + size(n.type.dims), 0),
    all: nodes.reduce((s, n) => s + size(n.type.dims), 0),
    params: candidates.reduce((s, n) => s + ('params' in n ? n.params : 0), 0),
  };
}

describe('PC-DARTS: partial channels', () => {
  it('gives the candidates 1/K of the activations, and the edge about 1/K of the memory', () => {
    const whole = edgeFloats(graphOf(cellSpace));
    const part = edgeFloats(graphOf(cellSpace, { partial: 4 }));
    expect(part.candidates / whole.candidates).toBe(1 / 4);
    // The bypass, the concatenation and the shuffle cost 2.75 C per edge besides: 0.35 here.
    expect(part.all / whole.all).toBeLessThan(0.4);
    // A separable conv of C/4 channels: (C/4)² against C² in its pointwise convolutions.
    expect(part.params / whole.params).toBeLessThan(0.2);
  });

  it('slices C/K channels into the mixed op, bypasses the rest, and shuffles in K groups', () => {
    const graph = graphOf(cellSpace, { partial: 4 });
    for (const mixed of graph.nodes.filter((n) => n.op === 'mixed')) {
      const site = mixed.site;
      const edge = graph.nodes.filter(
        (n) => n.site.part === 'edge' && n.site.cell === site.cell && n.site.edge === site.edge,
      );
      const slices = edge.filter((n) => n.op === 'channel_slice');
      const c = graph.nodes[slices[0]!.inputs[0]!]!.type.dims.at(-1)!;
      expect(slices.map((n) => ('attrs' in n ? n.attrs : {}))).toEqual([
        { start: 0, size: c / 4 },
        { start: c / 4, size: (3 * c) / 4 },
      ]);
      expect(mixed.type.dims.at(-1)).toBe(c / 4);
      const shuffle = edge.find((n) => n.op === 'channel_shuffle')!;
      expect(shuffle.op === 'channel_shuffle' && shuffle.attrs).toEqual({ groups: 4 });
      const strided = edge.some((n) => n.op === 'max_pool' && n.name.includes('/bypass/'));
      expect(strided).toBe(
        mixed.type.dims[0] === graph.nodes[slices[0]!.inputs[0]!]!.type.dims[0]! / 2,
      );
    }
  });

  it('refuses a k that does not divide the channels (E0424)', () => {
    const text = `${cellSpace}\nsearch {\n  space  S\n  data   synthetic(samples: 8)\n  method pc_darts(k: 5)\n}\n`;
    const result = compile({ text, path: '/mem/pc.darts' });
    expect(result.diagnostics.map((d) => d.code)).toContain('E0424');
  });
});

describe('PC-DARTS: edge normalisation', () => {
  it('sums each node by softmax(β) over its edges', () => {
    const graph = graphOf(cellSpace, { partial: 2 });
    const beta = graph.tables.findIndex((t) => t.edgesOf === 'normal');
    expect(graph.tables[beta]!.name).toBe('normal.edges');
    const net = new Network(graph, 5);
    const x = tf.tensor(new Random(2).normal(2 * 8 * 8 * 3), [2, 8, 8, 3]);
    const values = net.values(x, { training: false });
    const node = graph.nodes.find(
      (n) => n.op === 'add' && n.site.part === 'node' && n.site.cell === 0 && n.site.node === 1,
    )!;
    // Node 1 of cell 0 has three edges, rows 2 to 4 of β.
    const b = (net.alphas[beta]!.arraySync() as number[][]).slice(2, 5).map((r) => r[0]!);
    const w = softmax(b);
    const expected = node.inputs.reduce(
      (s, id, j) => tf.add(s, tf.mul(values[id]!, w[j]!)),
      tf.scalar(0),
    );
    expect(tf.max(tf.abs(tf.sub(values[node.id]!, expected))).dataSync()[0]).toBeLessThan(1e-5);
    net.dispose();
  });

  it('derives from softmax(α)·softmax(β), which can overturn the ranking of α alone', () => {
    // One node with two edges: α prefers edge 0 (0.6 against 0.55), β prefers edge 1.
    const layout = {
      name: 'normal',
      columns: ['a', 'b'],
      excluded: [false, false],
      nodeEdges: [[0, 1]],
      keep: 1,
      concat: [2],
    };
    const edges = { ...layout, name: 'normal.edges', columns: ['β'], edgesOf: 'normal' };
    const alpha = [
      [Math.log(0.6), Math.log(0.4)],
      [Math.log(0.55), Math.log(0.45)],
    ];
    const beta = [[0], [Math.log(2)]];
    const weights = tableWeights([layout, edges], { normal: alpha, 'normal.edges': beta });
    expect(weights.normal![0]![0]).toBeCloseTo(0.6 / 3, 12);
    expect(weights.normal![1]![0]).toBeCloseTo((0.55 * 2) / 3, 12);
    expect(deriveGenotype([layout], { normal: alpha }).normal!.pairs).toEqual([['a', 0]]);
    const both = deriveGenotype([layout, edges], { normal: alpha, 'normal.edges': beta });
    expect(both.normal!.pairs).toEqual([['a', 1]]);
    expect(Object.keys(both)).toEqual(['normal']);
  });
});

describe('PC-DARTS: warm-up', () => {
  it('keeps α and β still for the first `warmup` epochs while the weights train', () => {
    const text = exampleText('tiny.darts').replace(
      /^(\s*)epochs /m,
      '$1method pc_darts(k: 2, warmup: 1)\n$1epochs ',
    );
    const { graph, config, data, splits } = searchSetup(text);
    expect(graph.tables.map((t) => t.name)).toEqual(['normal', 'normal.edges']);
    const state = freshState(graph, config);
    const alphas = () => state.net.alphas.map((a) => Array.from(a.dataSync()));
    const weights = () => Array.from(state.net.weights[0]!.dataSync());
    const step = (epoch: number) =>
      searchStep(state, data, config, {
        trainIdx: splits.train.slice(0, 16),
        validIdx: splits.valid.slice(0, 16),
        lr: 0.025,
        seed: 3,
        weightSeed: 4,
        epoch,
      });
    const [a0, w0] = [alphas(), weights()];
    step(0);
    expect(alphas()).toEqual(a0);
    expect(weights()).not.toEqual(w0);
    step(1);
    expect(alphas()[0]).not.toEqual(a0[0]);
    expect(alphas()[1]).not.toEqual(a0[1]);
    state.net.dispose();
  });
});
