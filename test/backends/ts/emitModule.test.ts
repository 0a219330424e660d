import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { loadModelDir, saveModelDir } from '../../../src/backends/tfjs/modelFiles.js';
import { copyWeights } from '../../../src/backends/ts/layersModel.js';
import { layerPlan } from '../../../src/backends/ts/layerPlan.js';
import { selectBackend, tf } from '../../../src/numerics/tf.js';
import type { IrGraph } from '../../../src/ir/graph.js';
import { exampleText, randomDerivedGraph } from '../../helpers/derived.js';
import { runCli } from '../../helpers/cli.js';
import { EmitDir } from '../../helpers/emitted.js';
import { graphOf } from '../../helpers/host.js';
import { networkWithStats, sampleInput } from '../../helpers/layers.js';

/**
 * Emitted modules for every example (a genotype drawn from random α) and for DARTS_V2 on the
 * CIFAR space (C = 36, 20 cells, auxiliary head), compiled by `tsc --strict` once for all
 * tests, then imported.
 */
const examples = ['tiny', 'mnist', 'advanced', 'uno', 'p3b5', 'p3b5_tokens'];
const emitted = new EmitDir();
const graphs = new Map<string, IrGraph>();
let diagnostics: string[] = [];

const cifar = (C: number, layers: number) =>
  graphOf(exampleText('darts_cifar10.darts'), {
    genotype: 'DARTS_V2',
    aux: true,
    overrides: new Map([
      ['C', C],
      ['layers', layers],
    ]),
  });

beforeAll(async () => {
  await selectBackend('cpu');
  for (const name of examples)
    graphs.set(name, randomDerivedGraph(exampleText(`${name}.darts`), 7).graph);
  graphs.set('darts_v2', cifar(36, 20));
  graphs.set('darts_v2_small', cifar(8, 5));
  for (const [name, graph] of graphs) await emitted.add(name, graph);
  diagnostics = emitted.compile();
}, 120_000);

describe('emitted modules', () => {
  it('compile under tsc --strict (every example, DARTS_V2 on the CIFAR space)', () => {
    expect(diagnostics).toEqual([]);
  });

  for (const [name, kind] of [
    ['mnist', '2-D'],
    ['p3b5', '1-D'],
    ['uno', 'fully connected'],
    ['p3b5_tokens', 'token'],
  ] as const) {
    it(`${name} (${kind}): outputs equal the runtime's derived network within 1e-5 on cpu`, async () => {
      const graph = graphs.get(name)!;
      const network = networkWithStats(graph, 3);
      const model = (await emitted.load(name)).createModel();
      copyWeights(model, layerPlan(graph), network.namedTensors());
      const x = sampleInput(graph, 4, 5);
      const expected = network.forward(x, { training: false }).logits;
      expect(maxDiff(model.predict(x) as tf.Tensor, expected)).toBeLessThan(1e-5);
    });
  }

  it('DARTS_V2 with its auxiliary head: both outputs equal the runtime within 1e-5', async () => {
    const graph = graphs.get('darts_v2_small')!;
    const network = networkWithStats(graph, 3);
    const model = (await emitted.load('darts_v2_small')).createModel({ auxiliary: true });
    copyWeights(model, layerPlan(graph), network.namedTensors());
    const x = sampleInput(graph, 2, 5);
    const { logits, aux } = network.forward(x, { training: false });
    const [out, auxOut] = model.predict(x) as tf.Tensor[];
    expect(maxDiff(out!, logits)).toBeLessThan(1e-5);
    expect(maxDiff(auxOut!, aux!)).toBeLessThan(1e-5);
  });

  it('DARTS_V2 at C = 36, 20 cells has the reference parameter counts', async () => {
    const mod = await emitted.load('darts_v2');
    const trainable = (m: tf.LayersModel) =>
      m.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    const plain = mod.createModel();
    const withAux = mod.createModel({ auxiliary: true });
    expect(trainable(plain)).toBe(3_349_342);
    expect(trainable(withAux) - trainable(plain)).toBe(476_426);
    // …which is what `dartsc inspect --genotype DARTS_V2 --retrain` reports.
    const inspected = await runCli([
      'inspect',
      'examples/darts_cifar10.darts',
      '--genotype',
      'DARTS_V2',
      '--retrain',
      '--set',
      'C=36',
      '--set',
      'layers=20',
      '--json',
    ]);
    const { params, aux_params } = JSON.parse(inspected.stdout);
    expect([params, aux_params]).toEqual([trainable(plain), trainable(withAux) - trainable(plain)]);
    expect(mod.INPUT_SHAPE).toEqual([32, 32, 3]);
    expect(mod.NUM_CLASSES).toBe(10);
  }, 60_000);

  it('saves, loads back with tf.loadLayersModel, and predicts the same', async () => {
    const mod = await emitted.load('mnist');
    const model = mod.createModel({ dropPath: 0.2 });
    const dir = join(mkdtempSync(join(tmpdir(), 'dartsc-save-')), 'model');
    await saveModelDir(model, dir);
    const loaded = await loadModelDir(dir);
    const x = sampleInput(graphs.get('mnist')!, 3, 9);
    expect(maxDiff(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor)).toBe(0);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(
      model.layers.map((l) => l.getClassName()),
    );
  });

  for (const name of ['p3b5', 'mnist']) {
    it(`${name}: trains with model.fit on cpu, the loss falls and every trainable weight moves`, async () => {
      const graph = graphs.get(name)!;
      const model = (await emitted.load(name)).createModel({ dropPath: 0.1 });
      const kinds = new Set(model.layers.map((l) => l.getClassName()));
      for (const custom of ['DartsDepthwiseConv', 'DartsDropPath'])
        expect(kinds.has(custom)).toBe(true);
      const x = sampleInput(graph, 8, 21);
      const y = tf.tensor1d(
        Array.from({ length: 8 }, (_, i) => i % 10),
        'float32',
      );
      const before = model.trainableWeights.map((w) => w.read().clone());
      // The model ends in logits; a softmax on top gives the probabilities the loss expects.
      const probs = tf.model({
        inputs: model.inputs,
        outputs: tf.layers.softmax().apply(model.outputs[0]!) as tf.SymbolicTensor,
      });
      probs.compile({ optimizer: tf.train.sgd(0.05), loss: 'sparseCategoricalCrossentropy' });
      const history = await probs.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0 });
      const losses = history.history.loss as number[];
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
      const moved = model.trainableWeights.map((w, i) => maxDiff(w.read(), before[i]!) > 0);
      expect(moved.every(Boolean)).toBe(true);
    });
  }

  it('drop-path is off in inference, and in training zeroes whole examples', async () => {
    const mod = await emitted.load('uno');
    const model = mod.createModel({ dropPath: 0.5 });
    const dropLayer = model.layers.find((l) => l.getClassName() === 'DartsDropPath')!;
    const x = tf.ones([64, 4]);
    const y = dropLayer.apply(x, { training: true }) as tf.Tensor;
    const rows = (tf.sum(y, 1).arraySync() as number[]).map((v) => v / 4);
    expect(new Set(rows.map((v) => Math.round(v)))).toEqual(new Set([0, 2]));
    expect(Math.abs(tf.mean(y).dataSync()[0]! - 1)).toBeLessThan(0.3);
    expect(maxDiff(dropLayer.apply(x) as tf.Tensor, x)).toBe(0);
    mod.setDropPath(model, 0);
    expect(maxDiff(dropLayer.apply(x, { training: true }) as tf.Tensor, x)).toBe(0);
  });
});

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
}
