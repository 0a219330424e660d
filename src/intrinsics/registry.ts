/**
 * The intrinsic ops: the one place that declares every built-in operation of the language,
 * with its parameters and defaults. Primitives in the standard library and in user files are
 * pipelines of these. Shape rules and parameter counts join each entry with the checker's
 * shape phase; backends will supply a kernel for every name (`Record<IntrinsicName, …>`).
 */

/** The kinds of value a parameter takes. */
export type ValueKind = 'int' | 'float' | 'bool' | 'string' | 'any';

/** One parameter of a callable: intrinsic, setting function, or user declaration. */
export interface ParamSpec {
  readonly name: string;
  readonly kind: ValueKind;
  /** Absent when the parameter is required. */
  readonly default?: number | boolean | string | null;
  readonly doc?: string;
}

/** The tensor layouts an intrinsic accepts. */
export type Layout = 'Vec' | 'Seq' | 'Img';

export interface IntrinsicSpec {
  readonly params: readonly ParamSpec[];
  /** Layouts of the input tensor the op accepts. */
  readonly layouts: readonly Layout[];
  readonly doc: string;
}

const p = (name: string, kind: ValueKind, def?: ParamSpec['default'], doc?: string): ParamSpec => ({
  name,
  kind,
  ...(def !== undefined ? { default: def } : {}),
  ...(doc ? { doc } : {}),
});

const spatial: readonly Layout[] = ['Seq', 'Img'];
const all: readonly Layout[] = ['Vec', 'Seq', 'Img'];

/** Every intrinsic op, by name. */
export const intrinsics = {
  conv1d: {
    params: [
      p('out', 'int'),
      p('kernel', 'int'),
      p('stride', 'int', 1),
      p('padding', 'int', 0),
      p('dilation', 'int', 1),
      p('bias', 'bool', false),
    ],
    layouts: ['Seq'],
    doc: 'dense 1-D convolution over a `Seq[L, C]`, symmetric zero padding',
  },
  conv2d: {
    params: [
      p('out', 'int'),
      p('kernel', 'int'),
      p('stride', 'int', 1),
      p('padding', 'int', 0),
      p('dilation', 'int', 1),
      p('bias', 'bool', false),
    ],
    layouts: ['Img'],
    doc: 'dense 2-D convolution over an `Img[H, W, C]`, square kernel, symmetric zero padding',
  },
  depthwise_conv1d: {
    params: [
      p('kernel', 'int'),
      p('stride', 'int', 1),
      p('padding', 'int', 0),
      p('dilation', 'int', 1),
    ],
    layouts: ['Seq'],
    doc: 'one 1-D filter per channel (groups = channels), no bias',
  },
  depthwise_conv2d: {
    params: [
      p('kernel', 'int'),
      p('stride', 'int', 1),
      p('padding', 'int', 0),
      p('dilation', 'int', 1),
    ],
    layouts: ['Img'],
    doc: 'one 2-D filter per channel (groups = channels), no bias',
  },
  pointwise_conv: {
    params: [p('out', 'int'), p('bias', 'bool', false)],
    layouts: spatial,
    doc: '1x1 convolution (a matrix product over channels)',
  },
  max_pool: {
    params: [p('kernel', 'int'), p('stride', 'int', 1), p('padding', 'int', 0)],
    layouts: spatial,
    doc: 'max pooling; padding never wins the maximum',
  },
  avg_pool: {
    params: [
      p('kernel', 'int'),
      p('stride', 'int', 1),
      p('padding', 'int', 0),
      p('count_include_pad', 'bool', false),
    ],
    layouts: spatial,
    doc: 'average pooling; by default padded cells are not counted in the divisor',
  },
  batch_norm: {
    params: [
      p(
        'affine',
        'any',
        null,
        '`true`, `false`, or absent: false in the search supernet, true in the derived network',
      ),
    ],
    layouts: all,
    doc: 'batch normalisation over the channel axis, eps 1e-5, momentum 0.1',
  },
  relu: { params: [], layouts: all, doc: 'max(x, 0)' },
  dense: {
    params: [p('out', 'int'), p('bias', 'bool', true)],
    layouts: ['Vec'],
    doc: 'fully connected layer `Vec[C] -> Vec[out]`',
  },
  dropout: {
    params: [p('rate', 'float', 0.5)],
    layouts: all,
    doc: 'inverted dropout, active in training only',
  },
  zero: {
    params: [p('stride', 'int', 1)],
    layouts: all,
    doc: 'zeros with the shape of the input subsampled by `stride` (the `none` op)',
  },
  identity: { params: [], layouts: all, doc: 'returns its input' },
  factorized_reduce: {
    params: [p('out', 'int')],
    layouts: spatial,
    doc: 'ReLU, two stride-2 1x1 convs (the second shifted by one), concat, BN; halves the spatial size',
  },
  concat: { params: [], layouts: all, doc: 'concatenation over channels' },
  add: { params: [], layouts: all, doc: 'element-wise sum' },
  global_avg_pool: {
    params: [],
    layouts: spatial,
    doc: 'mean over the spatial axes, giving `Vec[C]`',
  },
  embedding: {
    params: [p('vocab', 'int'), p('dim', 'int')],
    layouts: ['Seq'],
    doc: 'token ids `Tokens[L]` to vectors `Seq[L, dim]`',
  },
  flatten: { params: [], layouts: spatial, doc: 'flattens to `Vec[...]`' },
} as const satisfies Record<string, IntrinsicSpec>;

/** The name of an intrinsic op. */
export type IntrinsicName = keyof typeof intrinsics;

/** All intrinsic names in declaration order. */
export const intrinsicNames = Object.keys(intrinsics) as IntrinsicName[];

/** True when `name` is an intrinsic. */
export function isIntrinsic(name: string): name is IntrinsicName {
  return Object.hasOwn(intrinsics, name);
}
