import { beforeAll, describe, expect, it } from 'vitest';

import { Network } from '../../src/backends/tfjs/network.js';
import { methodArgs } from '../../src/intrinsics/methods.js';
import { selectBackend, tf, type Tensor } from '../../src/numerics/tf.js';
import { skipWeight } from '../../src/runtime/methods/dartsMinus.js';
import { fairDarts } from '../../src/runtime/methods/fairDarts.js';
import { gumbelMixing, temperature } from '../../src/runtime/methods/gdas.js';
import { Random } from '../../src/util/random.js';
import { deriveCell, type Genotype } from '../../src/ir/genotype.js';
import { randomGenotype } from '../../src/ir/randomGenotype.js';
import { genotypeAlphas, genotypeMask } from '../../src/runtime/methods/randomSearch.js';
import { searchMethod } from '../../src/runtime/methods/searchMethod.js';
import { graphOf } from '../helpers/host.js';
import { dartsCells } from '../helpers/searchSetup.js';

/**
 * The defining idea of each method, checked against hand computations: without it each test
 * fails (a softmax instead of FairDARTS' sigmoid and zero-one loss, every candidate run
 * instead of GDAS' one, no decaying skip term in DARTS-).
 */
const cellSpace = dartsCells(4);

beforeAll(async () => {
  await selectBackend('cpu');
});

const input = (seed: number) => tf.tensor(new Random(seed).normal(2 * 8 * 8 * 3), [2, 8, 8, 3]);

describe('FairDARTS', () => {
  const method = fairDarts({ name: 'fair_darts', args: methodArgs('fair_darts') });

  it('mixes each candidate by its own sigmoid, not a softmax over the edge', () => {
    const net = new Network(graphOf(cellSpace), 3);
    const x = input(1);
    const values = net.values(x, {
      training: false,
      ...method.forward({ epoch: 0, epochs: 1 }, 0),
    });
    const alpha = net.alphas[0]!.arraySync() as number[][];
    const mixed = net.graph.nodes.find((n) => n.op === 'mixed' && n.table === 'normal')!;
    const row = alpha[mixed.op === 'mixed' ? mixed.row : 0]!;
    const expected = mixed.inputs.reduce<Tensor>(
      (sum, id, k) =>
        values[id] ? tf.add(sum, tf.mul(values[id], 1 / (1 + Math.exp(-row[k]!)))) : sum,
      tf.zeros(values[mixed.id]!.shape),
    );
    expect(tf.max(tf.abs(tf.sub(values[mixed.id]!, expected))).dataSync()[0]).toBeLessThan(1e-5);
    net.dispose();
  });

  it('adds −w · mean((σ(α) − 0.5)²) over every table, with its gradient', () => {
    const a = [
      [0.3, -1.2],
      [2.0, 0.1],
    ];
    const b = [[-0.4, 0.9]];
    const sigma = (v: number) => 1 / (1 + Math.exp(-v));
    const all = [...a.flat(), ...b.flat()];
    const expected = (-10 * all.reduce((s, v) => s + (sigma(v) - 0.5) ** 2, 0)) / all.length;
    const tensors = [tf.tensor2d(a), tf.tensor2d(b)];
    expect(method.alphaLoss!(tensors).dataSync()[0]).toBeCloseTo(expected, 6);
    const grads = tf.grads((x: Tensor, y: Tensor) => method.alphaLoss!([x, y]))(tensors);
    // d/dv of −w/n (σ(v) − 0.5)² = −2w/n (σ(v) − 0.5) σ(v)(1 − σ(v)).
    const hand = all.map(
      (v) => ((-2 * 10) / all.length) * (sigma(v) - 0.5) * sigma(v) * (1 - sigma(v)),
    );
    const got = [...grads[0]!.dataSync(), ...grads[1]!.dataSync()];
    got.forEach((g, i) => expect(g).toBeCloseTo(hand[i]!, 6));
  });

  it('notes the kept ops whose σ(α) is under its threshold (the reference drops their edges)', () => {
    const table = { role: 'normal', keep: 1, nodeEdges: [[0, 1]], columns: ['a', 'b'] };
    const genotype = { normal: { pairs: [['b', 1]] as [string, number][], concat: [2] } };
    const low = {
      normal: [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
    };
    expect(method.notes!([table], genotype, low)[0]).toMatch(
      /^1 of 1 kept ops have σ\(α\) under the threshold 0\.85/,
    );
    const high = {
      normal: [
        [0.9, 0.1],
        [0.2, 0.9],
      ],
    };
    expect(method.notes!([table], genotype, high)).toEqual([]);
  });

  it('derives from σ(α)', () => {
    const [a, b] = method.probabilities([0, Math.log(3)]);
    expect([a, b!]).toEqual([0.5, expect.closeTo(0.75, 12)]);
  });
});

describe('GDAS', () => {
  it('anneals τ linearly from tau_max at the first epoch to tau_min at the last', () => {
    expect(temperature(10, 0.1, { epoch: 0, epochs: 50 })).toBe(10);
    expect(temperature(10, 0.1, { epoch: 49, epochs: 50 })).toBeCloseTo(0.1, 12);
    expect(temperature(10, 0.1, { epoch: 1, epochs: 3 })).toBeCloseTo(5.05, 12);
  });

  it('selects the argmax of softmax((log_softmax(α) + g)/τ) and passes ∂p_s/∂α = p_s(δ − p)/τ', () => {
    const alpha = [[0.2, -0.5, 1.1, 0.3]];
    const tau = 2;
    const seed = 17;
    const c = [1.5, -2, 0.7, 3]; // what each candidate "outputs" (one number each)
    const mixing = gumbelMixing(tau, seed);
    const table = graphOf(cellSpace).tables[0]!;
    const f = (a: Tensor) => tf.sum(tf.mul(mixing(a, 0, table).weights, tf.tensor2d([c])));
    const a = tf.tensor2d(alpha);
    const { selected, weights } = mixing(a, 0, table);
    // The noise, redrawn by hand from the documented stream (seed · 7919 + table).
    const u = Array.from(new Random(seed * 7919).uniform(4, 0.5), (v) =>
      Math.min(1 - 1e-7, Math.max(1e-7, v + 0.5)),
    );
    const g = u.map((v) => -Math.log(-Math.log(v)));
    const logSoftmax = alpha[0]!.map(
      (v) => v - Math.log(alpha[0]!.reduce((s, w) => s + Math.exp(w), 0)),
    );
    const z = logSoftmax.map((v, i) => (v + g[i]!) / tau);
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    const p = e.map((v) => v / e.reduce((s, w) => s + w, 0));
    const s = p.indexOf(Math.max(...p));
    expect(selected).toEqual([s]);
    // Forward: exactly one-hot (1 on the sampled op).
    expect(Array.from(weights.dataSync())).toEqual(p.map((_, i) => (i === s ? 1 : 0)));
    // Backward: the sum's gradient is Σ_k c_k ∂w_k/∂α = Σ_k c_k p_k(δ_ki − p_i)/τ.
    const grad = Array.from(tf.grad(f)(a).dataSync());
    const hand = p.map((pi, i) =>
      c.reduce((sum, ck, k) => sum + (ck * p[k]! * ((k === i ? 1 : 0) - pi)) / tau, 0),
    );
    grad.forEach((v, i) => expect(v).toBeCloseTo(hand[i]!, 5));
  });

  it('computes one candidate per edge per step, and no other', () => {
    const graph = graphOf(cellSpace);
    const net = new Network(graph, 3);
    const values = net.values(input(2), { training: true, seed: 4, mixing: gumbelMixing(1, 9) });
    let edges = 0;
    for (const node of graph.nodes) {
      if (node.op !== 'mixed') continue;
      edges++;
      const computed = new Set(
        graph.nodes
          .filter((n) => n.site.part === 'edge' && n.site.candidate !== undefined && values[n.id])
          .filter(
            (n) =>
              n.site.part === 'edge' &&
              n.site.cell === node.site.cell &&
              n.site.edge === node.site.edge,
          )
          .map((n) => (n.site.part === 'edge' ? n.site.candidate : '')),
      );
      // `none` is never computed: a sampled `none` leaves the edge with no candidate run.
      expect(computed.size, `edge ${node.name}`).toBeLessThanOrEqual(1);
    }
    expect(edges).toBe(3 * 14);
    net.dispose();
  });
});

describe('DARTS-', () => {
  it('decays β as the reference DecayScheduler: linear (E − e)/E and cosine (1 + cos(πe/E))/2', () => {
    expect(skipWeight(1, false, { epoch: 0, epochs: 50 })).toBe(1);
    expect(skipWeight(1, false, { epoch: 49, epochs: 50 })).toBeCloseTo(0.02, 12);
    expect(skipWeight(2, true, { epoch: 25, epochs: 50 })).toBeCloseTo(1, 12);
    expect(skipWeight(1, true, { epoch: 0, epochs: 50 })).toBe(1);
  });

  it('adds β times the skip candidate to every mixed edge, outside the softmax', () => {
    const graph = graphOf(cellSpace);
    const net = new Network(graph, 3);
    expect(net.hasSkipCandidates()).toBe(true);
    const x = input(3);
    const plain = net.values(x, { training: false });
    const minus = net.values(x, { training: false, skipWeight: 0.25 });
    // The first mixed edge reads the stem through the preprocessor only: same input both ways.
    const first = graph.nodes.find((n) => n.op === 'mixed')!;
    const skip = graph.tables[0]!.columns.indexOf('skip_connect');
    const expected = tf.add(plain[first.id]!, tf.mul(plain[first.inputs[skip]!]!, 0.25));
    expect(tf.max(tf.abs(tf.sub(minus[first.id]!, expected))).dataSync()[0]).toBeLessThan(1e-6);
    net.dispose();
  });
});

describe('random search with weight sharing', () => {
  const method = searchMethod({ name: 'random', args: methodArgs('random', { samples: 12 }) });

  it('trains one uniformly drawn op per edge (never `none`), and never moves α', () => {
    const graph = graphOf(cellSpace);
    const table = graph.tables[0]!;
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 300; seed++) {
      const { mixing } = method.forward({ epoch: 0, epochs: 1 }, seed);
      const { selected, weights } = mixing!(tf.zeros([table.rows, table.columns.length]), 0, table);
      for (const k of selected!) counts.set(k, (counts.get(k) ?? 0) + 1);
      expect(tf.sum(weights).dataSync()[0]).toBe(table.rows);
    }
    const none = table.columns.indexOf('none');
    expect(counts.has(none)).toBe(false);
    // 300 × 14 draws over 7 ops: 600 each, within ±20 %.
    for (const [, n] of counts) expect(Math.abs(n - 600)).toBeLessThan(120);
    expect(counts.size).toBe(7);
    expect(method.frozen!({ epoch: 3, epochs: 4 })).toBe(true);
  });

  it('keeps the best-scoring sample, written into α so that α derives it', () => {
    const graph = graphOf(cellSpace);
    const sepConvs = (g: Genotype) =>
      Object.values(g)
        .flatMap((c) => c.pairs)
        .filter(([op]) => op === 'sep_conv_3x3').length;
    const seen: number[] = [];
    const chosen = method.choose!({
      tables: graph.tables,
      seed: 7,
      score: (g) => (seen.push(sepConvs(g)), sepConvs(g)),
    });
    expect(seen).toHaveLength(12);
    expect(sepConvs(chosen)).toBe(Math.max(...seen));
    for (const t of graph.tables) {
      const alpha = genotypeAlphas(t, chosen[t.name]!);
      expect(deriveCell(alpha, t).pairs).toEqual(chosen[t.name]!.pairs);
    }
  });

  it('evaluates the genotype α derives: each kept op alone, nothing on the other edges', () => {
    const graph = graphOf(cellSpace);
    const net = new Network(graph, 3);
    const chosen = randomGenotype(graph.tables, new Random(4));
    graph.tables.forEach((t, i) =>
      net.alphas[i]!.assign(tf.tensor2d(genotypeAlphas(t, chosen[t.name]!))),
    );
    const values = net.values(input(5), { training: false, mixing: genotypeMask });
    const cell0 = graph.nodes.filter(
      (n) => n.site.part === 'edge' && n.site.cell === 0 && n.site.candidate && values[n.id],
    );
    const kept = chosen.normal!.pairs.map(([op]) => op);
    expect(new Set(cell0.map((n) => (n.site.part === 'edge' ? n.site.candidate : '')))).toEqual(
      new Set(kept),
    );
    net.dispose();
  });
});
