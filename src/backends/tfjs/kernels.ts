import type { Attrs, IntrinsicName } from '../../intrinsics/registry.js';
import type { OpNode } from '../../ir/graph.js';
import {
  avgPool,
  batchNormEval,
  batchNormTrain,
  channelShuffle,
  channelSlice,
  denseConv,
  depthwiseConv,
  factorizedPaths,
  matmulLast,
  maxPool,
  spatial,
  windowOf,
  type Window,
} from '../../numerics/ops.js';
import { fastOps } from '../../numerics/fastOps.js';
import { tf, type Tensor } from '../../numerics/tf.js';

/**
 * One kernel per intrinsic of the registry (a missing entry does not compile): how to apply a
 * use of the op to its inputs and weights. The weights themselves (shapes, initialisation)
 * are the registry's; the numerics are `numerics/ops.ts`, which emitted layers share. On
 * `wasm`, dense and depthwise convolutions, pools, training batch norm and the gradients of
 * matrix products run dartsc's own kernels instead (`numerics/fastOps.ts`), which compute
 * the same functions.
 * Gradient tests cover each kernel on cpu and wasm.
 */

/** What a kernel may need besides inputs and weights. */
export interface KernelContext {
  readonly training: boolean;
  /** A fresh seed for a random mask (dropout); the same sequence for the same step. */
  readonly seed: () => number;
  /** Called with the batch statistics of every batch norm in training mode, and their count. */
  readonly onBatchStats?: (node: OpNode, mean: Tensor, variance: Tensor, n: number) => void;
}

/** Applies one op use to its inputs and its weights (in the registry's order). */
export type Kernel = (
  inputs: Tensor[],
  weights: Tensor[],
  node: OpNode,
  ctx: KernelContext,
) => Tensor;

const int = (attrs: Attrs, name: string) => attrs[name] as number;

/** The window of a spatial op on `x` (an image, or a sequence run as [B, 1, L, C]). */
function windowFor(x: Tensor, attrs: Attrs): Window {
  const [k, s, p, d] = ['kernel', 'stride', 'padding', 'dilation'].map(
    (a) => attrs[a] as number | undefined,
  );
  return windowOf(x.rank === 4, k!, s ?? 1, p ?? 0, d ?? 1);
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
  const out = (fastOps()?.batchNormTrain ?? batchNormTrain)(x, gamma, beta);
  ctx.onBatchStats?.(node, out.mean, out.variance, x.size / x.shape[x.rank - 1]!);
  return out.y;
}

const conv: Kernel = ([x], [filter, bias], node) => {
  const dense = fastOps()?.denseConv ?? denseConv;
  const y = spatial(x!, (x4) => dense(x4, filter!, windowFor(x!, node.attrs)));
  return bias ? tf.add(y, bias) : y;
};

const depthwise: Kernel = ([x], [filter], node) => {
  const conv = fastOps()?.depthwiseConv ?? depthwiseConv;
  return spatial(x!, (x4) => conv(x4, filter!, windowFor(x!, node.attrs)));
};

/** `matmulLast`, on `wasm` with the own kernels' gradient. */
const product = (x: Tensor, w: Tensor) => (fastOps()?.matmulLast ?? matmulLast)(x, w);

const linear: Kernel = ([x], [weight, bias]) => {
  const y = product(x!, weight!);
  return bias ? tf.add(y, bias) : y;
};

const pool =
  (kind: 'max' | 'avg'): Kernel =>
  ([x], _, node) => {
    const win = windowFor(x!, node.attrs);
    const fast = fastOps();
    return spatial(x!, (x4) =>
      kind === 'max'
        ? (fast?.maxPool ?? maxPool)(x4, win)
        : (fast?.avgPool ?? avgPool)(x4, win, node.attrs.count_include_pad === true),
    );
  };

const dropout: Kernel = ([x], _, node, ctx) => {
  const rate = node.attrs.rate as number;
  if (!ctx.training || rate === 0) return x!;
  const keep = tf.cast(
    tf.greaterEqual(tf.randomUniform(x!.shape, 0, 1, 'float32', ctx.seed()), rate),
    'float32',
  );
  return tf.mul(x!, tf.mul(keep, 1 / (1 - rate)));
};

const factorizedReduce: Kernel = ([x], [path1, path2, ...bn], node, ctx) => {
  const seq = x!.rank === 3;
  const fast = fastOps();
  const y = spatial(tf.relu(x!), (x4) =>
    fast ? fast.factorizedPaths(x4, path1!, path2!, seq) : factorizedPaths(x4, path1!, path2!, seq),
  );
  return applyBatchNorm(y, bn, node, ctx, node.affine);
};

// One-hot times the table: a matrix product, whose gradient every backend has.
const embedding: Kernel = ([ids], [table], node) =>
  product(tf.oneHot(tf.cast(ids!, 'int32'), int(node.attrs, 'vocab')), table!);

/**
 * Kernels that build im2col patches (the memory estimate counts them). On `wasm` with the own
 * kernels, `conv` builds none: its backward pass keeps only the input and the filter.
 */
export const im2colKernels: ReadonlySet<Kernel> = new Set([conv]);

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
  batch_norm: ([x], weights, node, ctx) => applyBatchNorm(x!, weights, node, ctx, isAffine(node)),
  relu: ([x]) => tf.relu(x!),
  dropout,
  zero: ([x], _, node) => tf.zeros([x!.shape[0]!, ...node.type.dims]),
  identity: ([x]) => x!,
  factorized_reduce: factorizedReduce,
  concat: (inputs) => tf.concat(inputs, -1),
  add: (inputs) => tf.addN(inputs),
  global_avg_pool: ([x]) => tf.mean(x!, x!.rank === 4 ? [1, 2] : [1]),
  embedding,
  flatten: ([x]) => tf.reshape(x!, [x!.shape[0]!, -1]),
  channel_slice: ([x], _, node) =>
    channelSlice(x!, int(node.attrs, 'start'), int(node.attrs, 'size')),
  channel_shuffle: ([x], _, node) => channelShuffle(x!, int(node.attrs, 'groups')),
} satisfies Record<IntrinsicName, Kernel>;
