import { describe, expect, it } from 'vitest';

import { Network } from '../../src/backends/tfjs/network.js';
import { selectBackend, tf, type Tensor } from '../../src/numerics/tf.js';
import { alphaGradient } from '../../src/runtime/bilevel.js';
import { Adam, clipScale, learningRate, Sgd } from '../../src/runtime/optim.js';
import type { Batch } from '../../src/runtime/search.js';
import { networkModel } from '../../src/runtime/searchModel.js';
import { Random } from '../../src/util/random.js';
import { dedent, graphOf } from '../helpers/host.js';

/** Invariants of the search (darts-semantics §5, §13 T6–T8), on the exact cpu backend. */
await selectBackend('cpu');

const space = dedent`
  import std.ops2d
  cell Cell(C: int) { ops DARTS_OPS nodes 2 }
  cell Reduce(C: int) = Cell(C) reducing
  space S(C: int = 4) : Img[8, 8, 3] -> Logits[3] {
    stem  conv2d(2 * C, 3, padding: 1) >> batch_norm(affine: true)
    cells stack(2, normal: Cell, reduce: Reduce, at: [1])
    head  global_avg_pool >> dense(3)
  }
`;

function batch(seed: number): Batch {
  const rng = new Random(seed);
  return {
    x: tf.tensor(rng.normal(4 * 8 * 8 * 3), [4, 8, 8, 3]),
    y: tf.tensor1d([0, 1, 2, 1], 'int32'),
    regression: false,
  };
}

const snapshot = (ts: readonly Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

describe('runtime: search invariants', () => {
  for (const order of ['first', 'second'] as const) {
    it(`an α step (${order} order) changes α and leaves every weight bit-identical`, () => {
      const net = new Network(graphOf(space), 1);
      const sgd = new Sgd({ momentum: 0.9, decay: 3e-4, clip: 5 });
      const adam = new Adam({ lr: 3e-4, betas: [0.5, 0.999], eps: 1e-8, decay: 1e-3 });
      const weights = snapshot(net.weights);
      const alphas = snapshot(net.alphas);
      tf.tidy(() => {
        const g = alphaGradient(networkModel(net), batch(1), batch(2), {
          order,
          xi: 0.025,
          sgd,
          seed: 3,
        });
        adam.step(net.alphas, g);
      });
      expect(snapshot(net.weights)).toEqual(weights);
      expect(snapshot(net.alphas)).not.toEqual(alphas);
      net.dispose();
      adam.dispose();
    });
  }

  it('a weight step leaves α bit-identical and changes the weights', () => {
    const net = new Network(graphOf(space), 1);
    const sgd = new Sgd({ momentum: 0.9, decay: 3e-4, clip: 5 });
    const alphas = snapshot(net.alphas);
    const weights = snapshot(net.weights);
    tf.tidy(() => {
      const b = batch(1);
      const model = networkModel(net);
      const { grads } = tf.variableGrads(
        () => model.loss(b, net.weights, net.alphas, 0),
        net.weights,
      );
      sgd.step(
        net.weights,
        net.weights.map((w) => grads[w.name]!),
        0.025,
      );
    });
    expect(snapshot(net.alphas)).toEqual(alphas);
    expect(snapshot(net.weights)).not.toEqual(weights);
    net.dispose();
    sgd.dispose();
  });

  it('gives every α row a gradient that sums to zero (softmax mixing, no α decay)', () => {
    const net = new Network(graphOf(space), 2);
    const sgd = new Sgd({ momentum: 0.9, decay: 3e-4, clip: 5 });
    for (const order of ['first', 'second'] as const) {
      const rows = tf.tidy(() =>
        alphaGradient(networkModel(net), batch(1), batch(2), {
          order,
          xi: 0.025,
          sgd,
          seed: 1,
        }).map((g) => g.arraySync() as number[][]),
      );
      for (const row of rows.flat()) {
        const scale = Math.max(...row.map(Math.abs));
        expect(Math.abs(row.reduce((a, b) => a + b, 0)), order).toBeLessThan(
          1e-5 * Math.max(scale, 1e-3) + 1e-9,
        );
      }
    }
    net.dispose();
  });

  it('makes a mixed edge equal its chosen op when α is one-hot', () => {
    const graph = graphOf(space);
    const net = new Network(graph, 3);
    const mixed = graph.nodes.filter((n) => n.op === 'mixed');
    for (const column of [1, 3, 4, 7]) {
      // softmax([0, …, 200, …, 0]) is exactly one-hot in float32.
      const oneHot = graph.tables.map((t) =>
        tf.tensor2d(
          Array.from({ length: t.rows }, () => t.columns.map((_, k) => (k === column ? 200 : 0))),
        ),
      );
      tf.tidy(() => {
        const values = net.values(batch(4).x, { training: true, alphas: oneHot });
        for (const node of mixed) {
          const chosen = values[node.inputs[column]!]!.dataSync();
          const edge = values[node.id]!.dataSync();
          expect(Math.max(...Array.from(edge, (v, i) => Math.abs(v - chosen[i]!)))).toBeLessThan(
            1e-6,
          );
        }
      });
      tf.dispose(oneHot);
    }
    net.dispose();
  });

  it('keeps the forward pass unchanged when a constant is added to an α row', () => {
    const net = new Network(graphOf(space), 4);
    const x = batch(5).x;
    const shifted = net.alphas.map((a) => tf.add(a, 7));
    const a = net.forward(x, { training: true }).logits.dataSync();
    const b = net.forward(x, { training: true, alphas: shifted }).logits.dataSync();
    expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5);
    net.dispose();
  });
});

describe('runtime: optimizer and schedule values (T7, T8)', () => {
  it('steps SGD as the reference: buf = g + λw from zero, then w − lr·buf', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const sgd = new Sgd({ momentum: 0.9, decay: 0.1, clip: 100 });
    sgd.step([w], [tf.tensor1d([0.5, 0.25])], 0.1);
    // buf = [0.5 + 0.1, 0.25 − 0.2] = [0.6, 0.05]; w = [1 − 0.06, −2 − 0.005]
    expect(Array.from(sgd.buffers![0]!.dataSync())).toEqual([
      0.6000000238418579, 0.04999999701976776,
    ]);
    expect(w.dataSync()[0]).toBeCloseTo(0.94, 6);
    expect(w.dataSync()[1]).toBeCloseTo(-2.005, 6);
    // A second step: buf = 0.9·buf + g + λw.
    sgd.step([w], [tf.tensor1d([0, 0])], 0.1);
    expect(sgd.buffers![0]!.dataSync()[0]).toBeCloseTo(0.9 * 0.6 + 0.1 * 0.94, 6);
    // The virtual step uses μ·buf + g + λw with the unclipped g.
    const buf = sgd.buffers![0]!.dataSync()[0]!;
    const virtual = sgd.virtual([w], [tf.tensor1d([50, 0])], 0.5)[0]!.dataSync()[0]!;
    expect(virtual).toBeCloseTo(
      w.dataSync()[0]! - 0.5 * (0.9 * buf + 50 + 0.1 * w.dataSync()[0]!),
      4,
    );
    w.dispose();
    sgd.dispose();
  });

  it('clips by the global norm over all weights, before the decay is added', () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor1d([0, 4])];
    expect(clipScale(grads, 6)).toBe(1);
    expect(clipScale(grads, 5)).toBeCloseTo(5 / (5 + 1e-6), 9); // at the norm itself, still scaled (by 1 − 2e-7)
    expect(clipScale(grads, 2.5)).toBeCloseTo(2.5 / (5 + 1e-6), 9);
    const w = tf.variable(tf.tensor1d([1]));
    const sgd = new Sgd({ momentum: 0, decay: 0.5, clip: 1 });
    sgd.step([w], [tf.tensor1d([10])], 1);
    // clipped g = 10·1/(10 + 1e-6) ≈ 1; d = 1 + 0.5·1 = 1.5; w = 1 − 1.5
    expect(w.dataSync()[0]).toBeCloseTo(-0.5, 5);
    w.dispose();
  });

  it('steps Adam with coupled L2, bias correction and eps 1e-8', () => {
    const a = tf.variable(tf.tensor1d([0.5]));
    const adam = new Adam({ lr: 3e-4, betas: [0.5, 0.999], eps: 1e-8, decay: 1e-3 });
    adam.step([a], [tf.tensor1d([0.2])]);
    const g = 0.2 + 1e-3 * 0.5;
    const m = (1 - 0.5) * g;
    const v = (1 - 0.999) * g * g;
    const expected = 0.5 - (3e-4 * (m / (1 - 0.5))) / (Math.sqrt(v / (1 - 0.999)) + 1e-8);
    expect(a.dataSync()[0]).toBeCloseTo(expected, 7);
    a.dispose();
    adam.dispose();
  });

  it('anneals the search rate like the reference (T = 50, η 0.025 → 0.001, t = e + 1)', () => {
    const schedule = { kind: 'cosine' as const, max: 0.025, min: 0.001 };
    expect(learningRate(schedule, 0, 50)).toBeCloseTo(0.024976, 6);
    expect(learningRate(schedule, 1, 50)).toBeCloseTo(0.024905, 6);
    expect(learningRate(schedule, 24, 50)).toBeCloseTo(0.013, 6);
    expect(learningRate(schedule, 48, 50)).toBeCloseTo(0.001024, 6);
    expect(learningRate(schedule, 49, 50)).toBeCloseTo(0.001, 9);
    const retrain = { kind: 'cosine' as const, max: 0.025, min: 0 };
    expect(learningRate(retrain, 0, 600)).toBeCloseTo(0.02499983, 8);
    expect(learningRate(retrain, 299, 600)).toBeCloseTo(0.0125, 8);
    expect(learningRate(retrain, 599, 600)).toBeCloseTo(0, 12);
  });
});

describe('runtime: the α gradient of a whole network against finite differences', () => {
  it('matches central differences of the cross-entropy through softmax mixing (cpu, float32)', () => {
    const net = new Network(graphOf(space), 6);
    const b = batch(7);
    const model = networkModel(net);
    const analytic = tf.tidy(() =>
      alphaGradient(model, b, b, {
        order: 'first',
        xi: 0,
        sgd: new Sgd({ momentum: 0, decay: 0, clip: 5 }),
        seed: 0,
      }).map((g) => g.arraySync() as number[][]),
    );
    const loss = (alphas: Tensor[]) =>
      tf.tidy(() => model.loss(b, net.weights, alphas, 0).dataSync()[0]!);
    // α enters only through a softmax, so the loss is smooth in α: h = 1e-2 keeps the float32
    // rounding of the loss (~1e-7) under 1e-5 after the division, and the truncation error small.
    const h = 1e-2;
    for (const [t, row, col] of [
      [0, 0, 4],
      [0, 3, 1],
      [1, 2, 7],
      [1, 4, 0],
    ] as const) {
      const base = net.alphas.map((a) => a.arraySync() as number[][]);
      const at = (delta: number) => {
        const shifted = base.map((table, i) =>
          tf.tensor2d(
            table.map((r, ri) =>
              r.map((v, ci) => (i === t && ri === row && ci === col ? v + delta : v)),
            ),
          ),
        );
        const value = loss(shifted);
        tf.dispose(shifted);
        return value;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(analytic[t]![row]![col]! - fd)).toBeLessThan(2e-4 + 2e-2 * Math.abs(fd));
    }
    net.dispose();
  });
});

describe('runtime: memory discipline', () => {
  for (const order of ['first', 'second'] as const) {
    it(`leaves the tensor count unchanged across search steps (${order} order)`, () => {
      const net = new Network(graphOf(space), 8);
      const sgd = new Sgd({ momentum: 0.9, decay: 3e-4, clip: 5 });
      const adam = new Adam({ lr: 3e-4, betas: [0.5, 0.999], eps: 1e-8, decay: 1e-3 });
      const model = networkModel(net);
      const step = (seed: number) =>
        tf.tidy(() => {
          const train = batch(seed);
          const valid = batch(seed + 100);
          adam.step(
            net.alphas,
            alphaGradient(model, train, valid, { order, xi: 0.025, sgd, seed }),
          );
          const { grads } = tf.variableGrads(() => {
            const logits = net.forward(train.x, { training: true, updateStats: true, seed }).logits;
            return tf.losses.softmaxCrossEntropy(tf.oneHot(train.y, 3), logits) as tf.Scalar;
          }, net.weights);
          sgd.step(
            net.weights,
            net.weights.map((w) => grads[w.name]!),
            0.025,
          );
        });
      step(1); // the optimizers allocate their buffers on the first step
      const before = tf.memory().numTensors;
      step(2);
      step(3);
      expect(tf.memory().numTensors).toBe(before);
      net.dispose();
      sgd.dispose();
      adam.dispose();
    });
  }
});
