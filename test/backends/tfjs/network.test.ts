import { afterAll, describe, expect, it } from 'vitest';

import { Network } from '../../../src/backends/tfjs/network.js';
import { selectBackend, tf, type Tensor } from '../../../src/numerics/tf.js';
import { Random } from '../../../src/util/random.js';
import { dedent, graphOf } from '../../helpers/host.js';

/** One mixed edge: a one-input cell with one node (a layer-wise chain of length 1). */
const edgeSpace = dedent`
  import std.ops2d
  cell Edge(C: int) : (x: Img[h, w, c]) -> Img[h, w, C] {
    ops   DARTS_OPS
    nodes chain(1)
  }
  space S(C: int = 4) : Img[6, 6, 3] -> Logits[3] {
    stem  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)
    cells stack(1, normal: Edge)
    head  global_avg_pool >> dense(3)
  }
`;

/** Whole DARTS cells (4 nodes, 14 edges, the 8 DARTS candidates), one a reduction cell. */
const cellSpace = dedent`
  import std.darts
  space S(C: int = 4) : Img[8, 8, 3] -> Logits[3] {
    stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
    cells stack(3, normal: DartsNormal, reduce: DartsReduce, at: [1])
    head  global_avg_pool >> dense(3)
  }
`;

async function lossAndGrads(source: string, backend: 'cpu' | 'wasm', options = {}) {
  await selectBackend(backend);
  const graph = graphOf(source, options);
  const net = new Network(graph, 7);
  const [h, w, c] = graph.nodes[0]!.type.dims;
  const rng = new Random(3);
  const result = tf.tidy(() => {
    const x = tf.tensor(rng.normal(4 * h! * w! * c!), [4, h!, w!, c!]);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const f = () =>
      tf.losses.softmaxCrossEntropy(labels, net.forward(x, { training: true }).logits) as tf.Scalar;
    const variables = [...net.weights, ...net.alphas];
    const names = [...net.weightNames, ...graph.tables.map((t) => `alpha/${t.name}`)];
    const { value, grads } = tf.variableGrads(f, variables);
    const byName = variables.map((v, i) => [
      names[i]!,
      grads[v.name]!.dataSync().slice() as Float32Array,
    ]);
    return {
      loss: value.dataSync()[0]!,
      grads: Object.fromEntries(byName) as Record<string, Float32Array>,
    };
  });
  net.dispose();
  return result;
}

function relativeError(a: Float32Array, b: Float32Array): number {
  const scale = Math.max(1e-6, ...Array.from(b, Math.abs));
  return Math.max(0, ...Array.from(a, (v, i) => Math.abs(v - b[i]!))) / scale;
}

describe('backends/tfjs: network', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  // wasm sums in float32 sequentially; at these sizes the drift measured 4e-6, but it grows with
  // the reduction sizes (2.4e-3 on the stem of a 32x32 DARTS network), so cell-level
  // gradients are compared at 1e-3 of the largest (tfjs-notes §6.7 reports up to 1.8e-3).
  for (const [name, source] of [
    ['a whole mixed edge', edgeSpace],
    ['whole DARTS cells (normal and reduction)', cellSpace],
  ] as const) {
    it(`${name}: loss and every gradient (weights and α) agree on wasm and cpu`, async () => {
      const cpu = await lossAndGrads(source, 'cpu');
      const wasm = await lossAndGrads(source, 'wasm');
      expect(Math.abs(wasm.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(1e-4);
      expect(Object.keys(wasm.grads)).toEqual(Object.keys(cpu.grads));
      const alphaNames = Object.keys(cpu.grads).filter((k) => k.startsWith('alpha/'));
      expect(alphaNames.length).toBeGreaterThan(0);
      const errors = Object.keys(cpu.grads).map(
        (key) => [key, relativeError(wasm.grads[key]!, cpu.grads[key]!)] as const,
      );
      for (const [key, error] of errors) expect(error, key).toBeLessThan(1e-3);
    });
  }

  it('keeps α and weights in two disjoint lists with stable names', async () => {
    await selectBackend('cpu');
    const net = new Network(graphOf(cellSpace), 1);
    const names = net.weightNames;
    expect(names).toHaveLength(net.weights.length);
    expect(new Set(names).size).toBe(names.length);
    expect(names.some((n) => n.startsWith('alpha'))).toBe(false);
    expect(net.alphas.map((a) => a.name.replace(/^net\d+:/, ''))).toEqual([
      'alpha/normal',
      'alpha/reduce',
    ]);
    expect(net.alphas[0]!.shape).toEqual([14, 8]);
    expect(names).toContain('cell0/edge0/sep_conv_3x3/sep_conv/depthwise_conv2d.1/weight');
    net.dispose();
  });

  it('counts the same parameters as the checker', async () => {
    await selectBackend('cpu');
    const graph = graphOf(cellSpace);
    const net = new Network(graph, 1);
    const expected = graph.nodes.reduce((s, n) => s + ('params' in n ? n.params : 0), 0);
    expect(net.parameterCount()).toBe(expected);
    net.dispose();
  });

  it('leaks no tensors across repeated forward and backward passes', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend);
      const net = new Network(graphOf(edgeSpace), 2);
      const step = () =>
        tf.tidy(() => {
          const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1);
          const f = () =>
            tf.mean(net.forward(x, { training: true, updateStats: true }).logits) as tf.Scalar;
          const { grads } = tf.variableGrads(f, [...net.weights, ...net.alphas]);
          return Object.values(grads).length;
        });
      step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) step();
      expect(tf.memory().numTensors, backend).toBe(before);
      net.dispose();
    }
  });

  it('runs the zero candidate only through its α (nothing is computed for it)', async () => {
    await selectBackend('cpu');
    const net = new Network(graphOf(edgeSpace), 2);
    // With every α on `none`, the edge gives (almost) nothing: the output depends only on the stem.
    const noneFirst = tf.tensor2d([[50, 0, 0, 0, 0, 0, 0, 0]]);
    const out = tf.tidy(() => {
      const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 5);
      const logits = net.forward(x, { training: true, alphas: [noneFirst] }).logits;
      const bias = net.weights[net.weights.length - 1]!;
      return tf.sub(logits, tf.broadcastTo(bias, logits.shape as [number, number])) as Tensor;
    });
    expect(Math.max(...Array.from(out.dataSync(), Math.abs))).toBeLessThan(1e-6);
    tf.dispose([out, noneFirst]);
    net.dispose();
  });

  it('computes a repeated ReLU of an edge once (sep and dil candidates share it)', async () => {
    await selectBackend('cpu');
    const graph = graphOf(edgeSpace);
    const net = new Network(graph, 2);
    const relus = graph.nodes.filter((n) => n.op === 'relu').length;
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 5);
    const profile = await tf.profile(() => {
      tf.dispose(net.forward(x, { training: true }).logits);
    });
    const launched = profile.kernels.filter((k) => k.name === 'Relu').length;
    // Four candidates start with ReLU of the edge input (sep 3/5 and dil 3/5): three are repeats.
    expect(relus - launched).toBe(3);
    tf.dispose(x);
    net.dispose();
  });
});

describe('backends/tfjs: batch-norm running statistics', () => {
  it('follow PyTorch: momentum 0.1 towards the batch mean and the unbiased batch variance', async () => {
    await selectBackend('cpu');
    const graph = graphOf(edgeSpace);
    const net = new Network(graph, 5);
    const x = tf.randomNormal([4, 6, 6, 3], 0, 1, 'float32', 9);
    const steps = 30;
    for (let i = 0; i < steps; i++)
      tf.tidy(() => net.forward(x, { training: true, updateStats: true }));
    // The stem's batch norm reads the stem convolution (node 1): its statistics, by hand.
    const conv = tf.tidy(() => net.values(x, { training: true })[1]!.dataSync());
    const channels = 4;
    const n = conv.length / channels;
    const [runningMean, runningVar] = [net.state[0]!.dataSync(), net.state[1]!.dataSync()];
    const decay = 0.9 ** steps;
    for (let c = 0; c < channels; c++) {
      const values = Array.from(conv).filter((_, i) => i % channels === c);
      const mean = values.reduce((a, b) => a + b, 0) / n;
      const unbiased = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
      // Started at mean 0 and variance 1: after k updates, (1 − 0.9^k)·stat + 0.9^k·start.
      expect(runningMean[c]).toBeCloseTo((1 - decay) * mean, 4);
      expect(runningVar[c]).toBeCloseTo((1 - decay) * unbiased + decay, 4);
    }
    x.dispose();
    net.dispose();
  });
});
