import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { loadModelDir } from '../backends/tfjs/modelFiles.js';
import {
  classesOf,
  identityPreprocessing,
  isPreprocessing,
  preprocessBatch,
  type Preprocessing,
  type RawBatch,
} from '../intrinsics/preprocessing.js';
// For its side effect too: it registers the custom layers that a saved model names.
import '../numerics/layers.js';
import { selectBackend, tf, type BackendName } from '../numerics/tf.js';
import { RunDirError } from '../runtime/runDir.js';

export interface LoadModelOptions {
  /** Where a relative `dir` starts (default: `process.cwd()`). */
  readonly cwd?: string;
  /** The backend to predict on (default `'wasm'`, as for `search` and `train`). */
  readonly backend?: BackendName;
}

/** A trained model ready to serve raw samples. */
export interface ServedModel {
  /** The network, on dartsc's TensorFlow.js; `dispose` frees it. */
  readonly model: tf.LayersModel;
  /** How raw samples become its inputs, as `dartsc train` saved it. */
  readonly preprocessing: Preprocessing;
  /** One input's shape, batch excluded. */
  readonly inputShape: readonly number[];
  /** Raw samples as the network's input batch (the caller disposes the tensor). */
  preprocess(samples: RawBatch): tf.Tensor;
  /** The logits of raw samples, one array per sample (the first output, as plain numbers). */
  predict(samples: RawBatch): number[][];
  /**
   * The class of each raw sample: its name where the training data named its classes
   * (`preprocessing.labels`: a table's label values, MNIST's digits), else its index as text.
   */
  classify(samples: RawBatch): string[];
  dispose(): void;
}

/**
 * Loads what `dartsc train` saved (`dir` is its run directory or the `model/` in it) with its
 * preprocessing, so that `predict` takes raw samples. A `model.json` without one (from an
 * older dartsc, or not from dartsc) is taken as wanting inputs as they are. A directory
 * without a readable model is a `RunDirError`.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<ServedModel> {
  const path = modelPath(resolve(options.cwd ?? process.cwd(), dir), dir);
  await selectBackend(options.backend ?? 'wasm');
  let model: tf.LayersModel;
  try {
    model = await loadModelDir(path);
  } catch (error) {
    throw new RunDirError(`cannot load the model in \`${dir}\`: ${(error as Error).message}`);
  }
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const saved = (model.getUserDefinedMetadata() as { preprocessing?: unknown } | undefined)
    ?.preprocessing;
  if (saved !== undefined && !isPreprocessing(saved)) {
    model.dispose();
    throw new RunDirError(`\`${dir}\`: model.json holds a preprocessing this dartsc cannot read`);
  }
  const preprocessing = saved ?? identityPreprocessing({ layout: 'Vec', dims: inputShape });
  const preprocess = (samples: RawBatch) => {
    const values = preprocessBatch(preprocessing, samples, inputShape);
    const size = inputShape.reduce((a, b) => a * b, 1);
    return tf.tensor(values, [values.length / size, ...inputShape]);
  };
  const predict = (samples: RawBatch) => {
    const logits = tf.tidy(() => {
      const output = model.predict(preprocess(samples));
      return Array.isArray(output) ? output[0]! : output;
    });
    try {
      return logits.arraySync() as number[][];
    } finally {
      logits.dispose();
    }
  };
  const classify = (samples: RawBatch) => classesOf(preprocessing, predict(samples));
  const dispose = () => model.dispose();
  return { model, preprocessing, inputShape, preprocess, predict, classify, dispose };
}

/** `dir/model.json`, or `dir/model/model.json` for a train run directory. */
function modelPath(dir: string, shown: string): string {
  if (existsSync(join(dir, 'model.json'))) return dir;
  if (existsSync(join(dir, 'model', 'model.json'))) return join(dir, 'model');
  throw new RunDirError(`\`${shown}\` holds no model.json (nor model/model.json)`);
}
