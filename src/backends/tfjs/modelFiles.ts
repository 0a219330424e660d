import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { tf } from '../../numerics/tf.js';

/**
 * Layers models in the TensorFlow.js format on disk (`model.json` + `weights.bin`), the
 * format `tf.loadLayersModel('http://…/model.json')` and the converters read. Plain tfjs has
 * no `file://` handler in Node (that is tfjs-node's), so these two write and read it.
 */
export async function saveModelDir(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
      const manifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(weights));
      const json = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: manifest,
        // What `model.setUserDefinedMetadata` set (dartsc: the preprocessing of raw samples).
        ...(artifacts.userDefinedMetadata
          ? { userDefinedMetadata: artifacts.userDefinedMetadata }
          : {}),
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Loads what `saveModelDir` wrote (any `model.json` with its weight files beside it). */
export async function loadModelDir(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const buffers = manifest.flatMap((group) =>
      group.paths.map((p) => new Uint8Array(readFileSync(join(dir, p))).buffer),
    );
    return [manifest.flatMap((g) => g.weights), tf.io.CompositeArrayBuffer.join(buffers)];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
