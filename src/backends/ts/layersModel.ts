import * as custom from '../../numerics/layers.js';
import { tf } from '../../numerics/tf.js';
import { isExpr, type ConfigValue, type LayerPlan } from './layerPlan.js';

/** The options of an emitted `createModel`, defaulted as there. */
export interface ModelOptions {
  /** Learnable scale and shift in the batch norms the spec leaves open (default true). */
  readonly affine?: boolean;
  /** Drop-path rate on the non-identity cell edges, in training (default 0). */
  readonly dropPath?: number;
  /** The auxiliary head as a second output, when the space has one (default false). */
  readonly auxiliary?: boolean;
}

type Factory = (config: Record<string, unknown>) => tf.layers.Layer;

/**
 * Instantiates a layer plan in this process: the same model an emitted module's
 * `createModel(options)` builds (`dartsc train` saves its trained weights through it).
 */
export function buildLayersModel(plan: LayerPlan, options: ModelOptions = {}): tf.LayersModel {
  const resolved = {
    affine: options.affine ?? true,
    dropPath: options.dropPath ?? 0,
    auxiliary: (options.auxiliary ?? false) && plan.aux !== undefined,
  };
  const input = tf.input({ shape: [...plan.input.dims], name: 'input' });
  const values = new Map<string, tf.SymbolicTensor>([['input', input]]);
  for (const step of plan.steps) {
    if (step.aux && !resolved.auxiliary) continue;
    const config = Object.fromEntries(
      Object.entries(step.config).map(([k, v]) => [k, resolveValue(v, resolved)]),
    );
    const factory = step.custom
      ? (c: Record<string, unknown>) =>
          new (custom as unknown as Record<string, new (c: unknown) => tf.layers.Layer>)[
            step.factory
          ]!(c)
      : (tf.layers as unknown as Record<string, Factory>)[step.factory]!;
    const inputs = step.inputs.map((i) => values.get(i)!);
    const layer = factory(config);
    values.set(
      step.id,
      layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor,
    );
  }
  const output = values.get(plan.output)!;
  const outputs = resolved.auxiliary ? [output, values.get(plan.aux!)!] : output;
  return tf.model({ inputs: input, outputs, name: plan.space });
}

function resolveValue(value: ConfigValue, options: { affine: boolean; dropPath: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, options));
  if (typeof value !== 'object' || value === null) return value;
  if (isExpr(value)) {
    if (value.expr === 'affine') return options.affine;
    if (value.expr === 'dropPath') return options.dropPath;
    if (value.expr === 'normal') return tf.initializers.randomNormal({ mean: 0, stddev: 1 });
    return tf.initializers.randomUniform({ minval: -value.bound!, maxval: value.bound! });
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, resolveValue(v as ConfigValue, options)]),
  );
}

/**
 * Copies a runtime network's weights and running statistics (by their stable names,
 * `Network.namedTensors()`) into a model built from the plan of the same graph (reshaped where
 * the layer keeps them in another shape, e.g. a 1-D kernel). A batch norm built non-affine
 * takes only the statistics.
 */
export function copyWeights(
  model: tf.LayersModel,
  plan: LayerPlan,
  byName: ReadonlyMap<string, tf.Tensor>,
): void {
  for (const step of plan.steps) {
    if (step.weights.length === 0) continue;
    const name = step.config.name as string;
    const layer = model.layers.find((l) => l.name === name);
    if (!layer) continue; // the auxiliary head, when the model was built without it
    const targets = layer.getWeights();
    const sources =
      targets.length < step.weights.length ? step.weights.filter((w) => !w.affine) : step.weights;
    if (sources.length !== targets.length)
      throw new Error(`layer ${name}: ${targets.length} weights, runtime has ${sources.length}`);
    const values = sources.map((s, i) => tf.reshape(byName.get(s.name)!, targets[i]!.shape));
    layer.setWeights(values);
    tf.dispose(values);
  }
}
