import { Network } from '../../src/backends/tfjs/network.js';
import { tf } from '../../src/numerics/tf.js';
import type { IrGraph } from '../../src/ir/graph.js';
import { Random } from '../../src/util/random.js';

/** A runtime network with random running statistics (so eval-mode batch norm is exercised). */
export function networkWithStats(graph: IrGraph, seed: number): Network {
  const network = new Network(graph, seed);
  const rng = new Random(seed + 1);
  network.state.forEach((v, i) => {
    const values = rng.uniform(v.size, 0.5);
    // running_mean in (-0.5, 0.5), running_var in (0.5, 1.5)
    const isVar = network.stateNames[i]!.endsWith('var');
    v.assign(tf.tensor(isVar ? values.map((x) => x + 1) : values, v.shape));
  });
  return network;
}

/** A batch of the graph's input type: N(0, 1) values, or token ids 0..7. */
export function sampleInput(graph: IrGraph, batch: number, seed: number): tf.Tensor {
  const type = graph.nodes[0]!.type;
  const size = batch * type.dims.reduce((a, b) => a * b, 1);
  const rng = new Random(seed);
  const values =
    type.layout === 'Tokens'
      ? Float32Array.from(rng.uniform(size, 1), (v) => Math.floor((v + 1) * 3.99))
      : rng.normal(size);
  return tf.tensor(values, [batch, ...type.dims]);
}
