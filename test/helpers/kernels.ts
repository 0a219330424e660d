import { kernels, type KernelContext } from '../../src/backends/tfjs/kernels.js';
import { selectBackend, tf, type Tensor } from '../../src/numerics/tf.js';
import {
  intrinsic,
  paramCount,
  type Attrs,
  type IntrinsicName,
} from '../../src/intrinsics/registry.js';
import type { TensorShape } from '../../src/intrinsics/tensorType.js';
import type { OpNode } from '../../src/ir/graph.js';
import { Random } from '../../src/util/random.js';

/** An IR node for one use of an intrinsic on `input`, its attributes completed with defaults. */
export function opNode(
  op: IntrinsicName,
  input: TensorShape,
  given: Attrs = {},
  affine = true,
): OpNode {
  const spec = intrinsic(op);
  const attrs: Record<string, number | boolean | null> = {};
  spec.params.forEach((p, i) => {
    const positional = Object.values(given)[i];
    attrs[p.name] =
      given[p.name] ??
      (p.default === undefined ? (positional as number) : (p.default as number | boolean | null));
  });
  const type = spec.shape(input, attrs);
  if ('reason' in type) throw new Error(`bad test case ${op}: ${type.reason}`);
  const params = paramCount(op, input, attrs, { affineDefault: affine });
  return {
    id: 1,
    op,
    inputs: [0],
    attrs,
    type,
    params,
    affine,
    name: `test/${op}`,
    site: { part: 'stem' },
  };
}

/** Arrays for the inputs and the trainable weights of one op use. */
export interface Case {
  readonly name: string;
  readonly node: OpNode;
  readonly inputs: { shape: number[]; data: Float32Array }[];
  readonly weights: { shape: number[]; data: Float32Array; trainable: boolean }[];
  /** Only the inputs that are differentiable (token ids are not). */
  readonly differentiable: boolean[];
}

/**
 * Distinct values at least 0.037 apart and at least 0.0185 from 0, shuffled: under a finite
 * difference step of 0.01 no value crosses a ReLU kink or changes a max-pool argmax.
 */
export function kinkSafe(count: number, rng: Random): Float32Array {
  const values = rng.permutation(count).map((k) => (k - count / 2) * 0.037 + 0.0185);
  return Float32Array.from(values);
}

/** Builds a case for `op` on inputs of `shape` (batch first; `count` inputs for add and concat). */
export function makeCase(
  name: string,
  node: OpNode,
  inputShape: number[],
  seed: number,
  ids?: number,
  count = 1,
): Case {
  const rng = new Random(seed);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const inputs = Array.from({ length: count }, () => ({
    shape: inputShape,
    data: ids ? Float32Array.from({ length: size }, () => rng.int(ids)) : kinkSafe(size, rng),
  }));
  const input: TensorShape = {
    layout: node.op === 'embedding' ? 'Tokens' : layoutOfRank(inputShape.length),
    dims: inputShape.slice(1),
  };
  const weights = intrinsic(node.op)
    .weights(input, node.attrs, { affineDefault: node.affine })
    .map((spec) => {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const values = spec.trainable
        ? rng.uniform(count, 0.5).map((v) => v + (spec.name === 'gamma' ? 1 : 0))
        : Float32Array.from({ length: count }, () =>
            spec.name === 'running_var' ? 1 + rng.next() : rng.next() - 0.5,
          );
      return { shape: [...spec.shape], data: values, trainable: spec.trainable };
    });
  return { name, node, inputs, weights, differentiable: inputs.map(() => !ids) };
}

function layoutOfRank(rank: number): TensorShape['layout'] {
  return rank === 4 ? 'Img' : rank === 3 ? 'Seq' : 'Vec';
}

const ctx = (training: boolean): KernelContext => ({ training, seed: () => 1234 });

/** Output, loss and gradients (inputs, then trainable weights) of a case on one backend. */
export async function evaluate(c: Case, backend: 'cpu' | 'wasm', training = true) {
  await selectBackend(backend);
  return tf.tidy(() => {
    const inputs = c.inputs.map((i) => tf.tensor(i.data, i.shape));
    const weights = c.weights.map((w) => tf.tensor(w.data, w.shape));
    const probe = probeFor(c, inputs, weights, training);
    const targets = [
      ...inputs.filter((_, i) => c.differentiable[i]),
      ...weights.filter((_, i) => c.weights[i]!.trainable),
    ];
    const loss = (...vars: Tensor[]) => {
      const all = substitute(c, inputs, weights, vars);
      return tf.sum(tf.mul(run(c, all.inputs, all.weights, training), probe));
    };
    const { value, grads } = tf.valueAndGrads(loss)(targets);
    return {
      output: run(c, inputs, weights, training).dataSync().slice() as Float32Array,
      loss: value.dataSync()[0]!,
      grads: grads.map((g) => g.dataSync().slice() as Float32Array),
      targets: targets.map((t) => t.dataSync().slice() as Float32Array),
    };
  });
}

/** The scalar loss at perturbed arrays (for finite differences), on the cpu backend. */
export function lossAt(c: Case, arrays: Float32Array[], training = true): number {
  return tf.tidy(() => {
    const inputs = c.inputs.map((i) => tf.tensor(i.data, i.shape));
    const weights = c.weights.map((w) => tf.tensor(w.data, w.shape));
    const probe = probeFor(c, inputs, weights, training);
    const shapes = [
      ...c.inputs.filter((_, i) => c.differentiable[i]),
      ...c.weights.filter((w) => w.trainable),
    ].map((x) => x.shape);
    const vars = arrays.map((a, i) => tf.tensor(a, shapes[i]));
    const all = substitute(c, inputs, weights, vars);
    return tf.sum(tf.mul(run(c, all.inputs, all.weights, training), probe)).dataSync()[0]!;
  });
}

function run(c: Case, inputs: Tensor[], weights: Tensor[], training: boolean): Tensor {
  return kernels[c.node.op](inputs, weights, c.node, ctx(training));
}

/** A fixed random tensor the output is weighted with, so every output element matters. */
function probeFor(c: Case, inputs: Tensor[], weights: Tensor[], training: boolean): Tensor {
  const shape = run(c, inputs, weights, training).shape;
  const rng = new Random(99);
  return tf.tensor(
    rng.uniform(
      shape.reduce((a, b) => a * b, 1),
      1,
    ),
    shape,
  );
}

function substitute(c: Case, inputs: Tensor[], weights: Tensor[], vars: Tensor[]) {
  let k = 0;
  const ins = inputs.map((t, i) => (c.differentiable[i] ? vars[k++]! : t));
  const ws = weights.map((t, i) => (c.weights[i]!.trainable ? vars[k++]! : t));
  return { inputs: ins, weights: ws };
}
