import { beforeAll, describe, expect, it } from 'vitest';

import { buildLayersModel, copyWeights } from '../../../src/backends/ts/layersModel.js';
import { layerPlan } from '../../../src/backends/ts/layerPlan.js';
import { selectBackend, tf } from '../../../src/numerics/tf.js';
import { exampleText, randomDerivedGraph } from '../../helpers/derived.js';
import { networkWithStats, sampleInput } from '../../helpers/layers.js';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** The in-process model (what `dartsc train` saves) is the emitted one; check it the same way. */
describe('buildLayersModel', () => {
  for (const example of ['mnist.darts', 'advanced.darts', 'p3b5.darts', 'uno.darts']) {
    it(`${example}: equals the runtime's derived network within 1e-5 on cpu`, () => {
      const { graph } = randomDerivedGraph(exampleText(example), 11);
      const network = networkWithStats(graph, 3);
      const plan = layerPlan(graph);
      const model = buildLayersModel(plan);
      copyWeights(model, plan, network.namedTensors());
      const stats = network.state.reduce((s, v) => s + v.size, 0);
      expect(model.countParams() - stats).toBe(network.parameterCount());
      const x = sampleInput(graph, 3, 5);
      const expected = network.forward(x, { training: false }).logits;
      const diff = tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, expected))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-5);
    });
  }

  it('leaves the batch norms without scale and shift when not affine', () => {
    const { graph } = randomDerivedGraph(exampleText('mnist.darts'), 11);
    const model = buildLayersModel(layerPlan(graph), { affine: false });
    const norms = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    expect(norms.length).toBeGreaterThan(0);
    // The stem's batch norm says `affine: true` in the spec and keeps it.
    const open = norms.filter((l) => l.trainableWeights.length === 0);
    expect(open.length).toBe(norms.length - 1);
  });
});
