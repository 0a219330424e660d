import type { Attrs, IntrinsicName } from '../../intrinsics/registry.js';
import { channels, type TensorShape } from '../../intrinsics/tensorType.js';
import type { OpNode } from '../../ir/graph.js';
import {
  avgPool,
  batchNormEval,
  batchNormTrain,
  denseConv,
  depthwiseConv,
  matmulLast,
  maxPool,
  subsample,
  type Window,
} from './ops.js';
import { tf, type Tensor } from './tf.js';

/**
 * One kernel per intrinsic of the registry (a missing entry does not compile): the weights a
 * use of the op needs and how to apply it. Every op the runtime differentiates goes through
 * here and `ops.ts`; gradient tests cover each on cpu and wasm.
 */

/** A weight tensor of one op use, with PyTorch's default initialisation. */
export interface WeightSpec {
  /** Suffix of the weight's name (`weight`, `bias`, `gamma`, `running_mean`, ...). */
  readonly name: string;
  readonly shape: readonly number[];
  /**
   * `uniform`: U(-bound, bound), bound = 1/sqrt(fanIn) (PyTorch's kaiming_uniform with
   * a = sqrt(5), and its bias init); `normal`: N(0, 1) (PyTorch's embedding init).
   */
  readonly init: 'uniform' | 'normal' | 'ones' | 'zeros';
  readonly fanIn?: number;
  /** Running batch-norm statistics are state, not parameters. */
  readonly trainable: boolean;
}

/** What a kernel may need besides inputs and weights. */
export interface KernelContext {
  readonly training: boolean;
  /** A fresh seed for a random mask (dropout); the same sequence for the same step. */
  readonly seed: () => number;
  /** Called with the batch statistics of every batch norm in training mode, and their count. */
  readonly onBatchStats?: (node: OpNode, mean: Tensor, variance: Tensor, n: number) => void;
}

export interface Kernel {
  weights(node: OpNode, input: TensorShape): WeightSpec[];
  apply(inputs: Tensor[], weights: Tensor[], node: OpNode, ctx: KernelContext): Tensor;
}

const w = (name: string, shape: number[], fanIn: number): WeightSpec => ({
  name,
  shape,
  init: 'uniform',
  fanIn,
  trainable: true,
});
const int = (attrs: Attrs, name: string) => attrs[name] as number;
const none = (): WeightSpec[] => [];

/** The window of a spatial op: square on `Img`, 1 x k along the length of a `Seq`. */
function windowOf(input: TensorShape, attrs: Attrs): Window {
  const k = int(attrs, 'kernel');
  const s = (attrs.stride as number | undefined) ?? 1;
  const p = (attrs.padding as number | undefined) ?? 0;
  const d = (attrs.dilation as number | undefined) ?? 1;
  return input.layout === 'Img'
    ? { kh: k, kw: k, sh: s, sw: s, ph: p, pw: p, dh: d, dw: d }
    : { kh: 1, kw: k, sh: 1, sw: s, ph: 0, pw: p, dh: 1, dw: d };
}

/** Runs a 4-D op on a `Seq` [B, L, C] as [B, 1, L, C]. */
function spatial(x: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  if (x.rank === 4) return f(x);
  const y = f(tf.expandDims(x, 1));
  return tf.squeeze(y, [1]);
}

const area = (input: TensorShape, k: number) => (input.layout === 'Img' ? k * k : k);

function batchNormWeights(node: OpNode, input: TensorShape, affine: boolean): WeightSpec[] {
  const c = channels(input);
  const stats: WeightSpec[] = [
    { name: 'running_mean', shape: [c], init: 'zeros', trainable: false },
    { name: 'running_var', shape: [c], init: 'ones', trainable: false },
  ];
  if (!affine) return stats;
  return [
    { name: 'gamma', shape: [c], init: 'ones', trainable: true },
    { name: 'beta', shape: [c], init: 'zeros', trainable: true },
    ...stats,
  ];
}

function isAffine(node: OpNode): boolean {
  return (node.attrs.affine as boolean | null | undefined) ?? node.affine;
}

function applyBatchNorm(
  x: Tensor,
  weights: Tensor[],
  node: OpNode,
  ctx: KernelContext,
  affine: boolean,
): Tensor {
  const [gamma, beta, mean, variance] = affine ? weights : [undefined, undefined, ...weights];
  if (!ctx.training) return batchNormEval(x, mean!, variance!, gamma, beta);
  const out = batchNormTrain(x, gamma, beta);
  ctx.onBatchStats?.(node, out.mean, out.variance, x.size / x.shape[x.rank - 1]!);
  return out.y;
}

const conv: Kernel = {
  weights: (node, input) => {
    const k = int(node.attrs, 'kernel');
    const fanIn = channels(input) * area(input, k);
    const shape =
      input.layout === 'Img'
        ? [k, k, channels(input), int(node.attrs, 'out')]
        : [1, k, channels(input), int(node.attrs, 'out')];
    return [
      w('weight', shape, fanIn),
      ...(node.attrs.bias ? [w('bias', [int(node.attrs, 'out')], fanIn)] : []),
    ];
  },
  apply: ([x], [filter, bias], node) => {
    const input: TensorShape = { layout: x!.rank === 4 ? 'Img' : 'Seq', dims: x!.shape.slice(1) };
    const y = spatial(x!, (x4) => denseConv(x4, filter!, windowOf(input, node.attrs)));
    return bias ? tf.add(y, bias) : y;
  },
};

const depthwise: Kernel = {
  weights: (node, input) => {
    const k = int(node.attrs, 'kernel');
    const shape = input.layout === 'Img' ? [k, k, channels(input), 1] : [1, k, channels(input), 1];
    return [w('weight', shape, area(input, k))];
  },
  apply: ([x], [filter], node) => {
    const input: TensorShape = { layout: x!.rank === 4 ? 'Img' : 'Seq', dims: x!.shape.slice(1) };
    return spatial(x!, (x4) => depthwiseConv(x4, filter!, windowOf(input, node.attrs)));
  },
};

const linear: Kernel = {
  weights: (node, input) => [
    w('weight', [channels(input), int(node.attrs, 'out')], channels(input)),
    ...(node.attrs.bias ? [w('bias', [int(node.attrs, 'out')], channels(input))] : []),
  ],
  apply: ([x], [weight, bias]) => {
    const y = matmulLast(x!, weight!);
    return bias ? tf.add(y, bias) : y;
  },
};

const pool = (kind: 'max' | 'avg'): Kernel => ({
  weights: none,
  apply: ([x], _, node) => {
    const input: TensorShape = { layout: x!.rank === 4 ? 'Img' : 'Seq', dims: x!.shape.slice(1) };
    const win = windowOf(input, node.attrs);
    return spatial(x!, (x4) =>
      kind === 'max' ? maxPool(x4, win) : avgPool(x4, win, node.attrs.count_include_pad === true),
    );
  },
});

const passThrough: Kernel = { weights: none, apply: ([x]) => x! };

/** Every intrinsic's kernel. */
export const kernels = {
  conv1d: conv,
  conv2d: conv,
  depthwise_conv1d: depthwise,
  depthwise_conv2d: depthwise,
  pointwise_conv: linear,
  dense: linear,
  max_pool: pool('max'),
  avg_pool: pool('avg'),
  batch_norm: {
    weights: (node, input) => batchNormWeights(node, input, isAffine(node)),
    apply: ([x], weights, node, ctx) => applyBatchNorm(x!, weights, node, ctx, isAffine(node)),
  },
  relu: { weights: none, apply: ([x]) => tf.relu(x!) },
  dropout: {
    weights: none,
    apply: ([x], _, node, ctx) => {
      const rate = node.attrs.rate as number;
      if (!ctx.training || rate === 0) return x!;
      const keep = tf.cast(
        tf.greaterEqual(tf.randomUniform(x!.shape, 0, 1, 'float32', ctx.seed()), rate),
        'float32',
      );
      return tf.mul(x!, tf.mul(keep, 1 / (1 - rate)));
    },
  },
  zero: {
    weights: none,
    apply: ([x], _, node) => tf.zeros([x!.shape[0]!, ...node.type.dims]),
  },
  identity: passThrough,
  factorized_reduce: {
    weights: (node, input) => {
      const half = int(node.attrs, 'out') / 2;
      const c = channels(input);
      return [
        w('path1', [c, half], c),
        w('path2', [c, half], c),
        ...batchNormWeights(
          node,
          { layout: input.layout, dims: [...input.dims.slice(0, -1), 2 * half] },
          node.affine,
        ),
      ];
    },
    apply: ([x], [path1, path2, ...bn], node, ctx) => {
      const seq = x!.rank === 3;
      const y = spatial(tf.relu(x!), (x4) => {
        const [b, h, wd, c] = x4.shape as [number, number, number, number];
        // The second path reads the input shifted by one pixel (by one step on a Seq).
        const shifted = tf.slice(x4, [0, seq ? 0 : 1, 1, 0], [b, seq ? h : h - 1, wd - 1, c]);
        const a = matmulLast(subsample(x4, seq ? 1 : 2, 2), path1!);
        const d = matmulLast(subsample(shifted, seq ? 1 : 2, 2), path2!);
        return tf.concat([a, d], 3);
      });
      return applyBatchNorm(y, bn, node, ctx, node.affine);
    },
  },
  concat: { weights: none, apply: (inputs) => tf.concat(inputs, -1) },
  add: { weights: none, apply: (inputs) => tf.addN(inputs) },
  global_avg_pool: {
    weights: none,
    apply: ([x]) => tf.mean(x!, x!.rank === 4 ? [1, 2] : [1]),
  },
  embedding: {
    weights: (node) => [
      {
        name: 'weight',
        shape: [int(node.attrs, 'vocab'), int(node.attrs, 'dim')],
        init: 'uniform',
        fanIn: 3,
        trainable: true,
      },
    ],
    apply: ([ids], [table], node) => {
      // One-hot times the table: a matrix product, whose gradient every backend has.
      const onehot = tf.oneHot(tf.cast(ids!, 'int32'), int(node.attrs, 'vocab'));
      return matmulLast(onehot, table!);
    },
  },
  flatten: { weights: none, apply: ([x]) => tf.reshape(x!, [x!.shape[0]!, -1]) },
} satisfies Record<IntrinsicName, Kernel>;
