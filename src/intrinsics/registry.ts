import { channels, spatialDims, withDims, type Layout, type TensorShape } from './tensorType.js';

/**
 * The intrinsic ops: the one place that declares every built-in operation of the language,
 * with its parameters and defaults, the layouts it accepts, its shape rule and its number of
 * trainable parameters. Primitives in the standard library and in user files are pipelines
 * of these; backends supply a kernel for every name (`Record<IntrinsicName, …>`), so an op
 * cannot exist in one place and be missing in another.
 */

/** The kinds of value a parameter takes. */
export type ValueKind = 'int' | 'float' | 'bool' | 'string' | 'any';

/** One parameter of a callable: intrinsic, setting function, or user declaration. */
export interface ParamSpec {
  readonly name: string;
  readonly kind: ValueKind;
  /** Absent when the parameter is required; null when optional without a value. */
  readonly default?: number | boolean | string | null;
  readonly doc?: string;
}

/** Resolved attribute values of one use of an intrinsic. */
export type Attrs = Readonly<Record<string, number | boolean | null>>;

/** Why a shape rule rejected its input; the checker turns this into a diagnostic. */
export type ShapeFailure =
  | { readonly reason: 'layout'; readonly expected: readonly Layout[] }
  | { readonly reason: 'too-small'; readonly size: number; readonly window: number }
  | { readonly reason: 'odd-size'; readonly size: number }
  | { readonly reason: 'odd-channels'; readonly channels: number }
  | { readonly reason: 'bad-attribute'; readonly attribute: string; readonly value: number };

/** What a use of an intrinsic needs to know besides its attributes. */
export interface OpContext {
  /** Whether a `batch_norm` without an explicit `affine` is affine (false in search, true in the derived network). */
  readonly affineDefault: boolean;
}

/**
 * A weight tensor of one use of an op, with PyTorch's default initialisation: the one place
 * that says what an op holds. The runtime allocates these, emitted layers take initialisers of
 * the same distributions, and an op's parameter count is the size of its trainable ones.
 */
export interface WeightSpec {
  /** Suffix of the weight's name (`weight`, `bias`, `gamma`, `running_mean`, ...). */
  readonly name: string;
  readonly shape: readonly number[];
  /**
   * `uniform`: U(-bound, bound), bound = 1/sqrt(fanIn) (PyTorch's kaiming_uniform with
   * a = sqrt(5), and its bias init); `normal`: N(0, 1).
   */
  readonly init: 'uniform' | 'normal' | 'ones' | 'zeros';
  readonly fanIn?: number;
  /** Running batch-norm statistics are state, not parameters. */
  readonly trainable: boolean;
  /** The learnable scale or shift of an affine batch norm. */
  readonly affine?: true;
}

export interface IntrinsicSpec {
  readonly params: readonly ParamSpec[];
  /** Layouts of the input tensor the op accepts. */
  readonly layouts: readonly Layout[];
  readonly doc: string;
  /** The output type, or why the input does not fit. Called only with an accepted layout. */
  readonly shape: (input: TensorShape, attrs: Attrs) => TensorShape | ShapeFailure;
  /** The weights of one use, in the order kernels and layers take them. */
  readonly weights: (input: TensorShape, attrs: Attrs, ctx: OpContext) => WeightSpec[];
  /** The zero op: contributes nothing, so backends skip computing it inside a sum. */
  readonly zero?: true;
  /** Returns its input unchanged (exempt from drop-path). */
  readonly identity?: true;
  /** Built by the compiler for a search supernet only (PC-DARTS), never written in a spec. */
  readonly supernetOnly?: true;
}

const p = (name: string, kind: ValueKind, def?: ParamSpec['default'], doc?: string): ParamSpec => ({
  name,
  kind,
  ...(def !== undefined ? { default: def } : {}),
  ...(doc ? { doc } : {}),
});

const spatial: readonly Layout[] = ['Seq', 'Img'];
const all: readonly Layout[] = ['Vec', 'Seq', 'Img'];
const int = (attrs: Attrs, name: string) => attrs[name] as number;
const none = (): WeightSpec[] => [];
const uniform = (name: string, shape: number[], fanIn: number): WeightSpec => ({
  name,
  shape,
  init: 'uniform',
  fanIn,
  trainable: true,
});

/** A batch norm's weights over `c` channels: scale and shift when affine, then the statistics. */
function batchNormWeights(c: number, affine: boolean): WeightSpec[] {
  const stats: WeightSpec[] = [
    { name: 'running_mean', shape: [c], init: 'zeros', trainable: false },
    { name: 'running_var', shape: [c], init: 'ones', trainable: false },
  ];
  if (!affine) return stats;
  return [
    { name: 'gamma', shape: [c], init: 'ones', trainable: true, affine: true },
    { name: 'beta', shape: [c], init: 'zeros', trainable: true, affine: true },
    ...stats,
  ];
}

/** A linear map over the last axis (1x1 convolution, dense): [in, out], and a bias if asked. */
const linear = (input: TensorShape, attrs: Attrs) => [
  uniform('weight', [channels(input), int(attrs, 'out')], channels(input)),
  ...(attrs.bias ? [uniform('bias', [int(attrs, 'out')], channels(input))] : []),
];
const same = (input: TensorShape) => input;

/** Output size of a window op: floor((n + 2p - d(k - 1) - 1) / s) + 1. */
function windowed(input: TensorShape, attrs: Attrs, out: number): TensorShape | ShapeFailure {
  const k = int(attrs, 'kernel');
  const s = int(attrs, 'stride');
  const pad = int(attrs, 'padding');
  const d = (attrs.dilation as number | undefined) ?? 1;
  for (const [attribute, value, min] of [
    ['kernel', k, 1],
    ['stride', s, 1],
    ['padding', pad, 0],
    ['dilation', d, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < min)
      return { reason: 'bad-attribute', attribute, value };
  }
  const sizes: number[] = [];
  for (const n of spatialDims(input)) {
    const reach = d * (k - 1) + 1;
    if (n + 2 * pad < reach) return { reason: 'too-small', size: n + 2 * pad, window: reach };
    sizes.push(Math.floor((n + 2 * pad - reach) / s) + 1);
  }
  return withDims(input, sizes, out);
}

const positive = (attrs: Attrs, name: string): ShapeFailure | undefined => {
  const v = int(attrs, name);
  return Number.isInteger(v) && v >= 1
    ? undefined
    : { reason: 'bad-attribute', attribute: name, value: v };
};

const kernelArea = (input: TensorShape, k: number) => k ** spatialDims(input).length;
/** A kernel's leading axes: k x k on an image, 1 x k along a sequence (run as [B, 1, L, C]). */
const kernelAxes = (input: TensorShape, k: number) => (input.layout === 'Img' ? [k, k] : [1, k]);

const conv = (layout: Layout) => ({
  params: [
    p('out', 'int'),
    p('kernel', 'int'),
    p('stride', 'int', 1),
    p('padding', 'int', 0),
    p('dilation', 'int', 1),
    p('bias', 'bool', false),
  ],
  layouts: [layout],
  shape: (input: TensorShape, attrs: Attrs) =>
    positive(attrs, 'out') ?? windowed(input, attrs, int(attrs, 'out')),
  weights: (input: TensorShape, attrs: Attrs) => {
    const [k, out, cin] = [int(attrs, 'kernel'), int(attrs, 'out'), channels(input)];
    const fanIn = cin * kernelArea(input, k);
    return [
      uniform('weight', [...kernelAxes(input, k), cin, out], fanIn),
      ...(attrs.bias ? [uniform('bias', [out], fanIn)] : []),
    ];
  },
});

const depthwise = (layout: Layout) => ({
  params: [
    p('kernel', 'int'),
    p('stride', 'int', 1),
    p('padding', 'int', 0),
    p('dilation', 'int', 1),
  ],
  layouts: [layout],
  shape: (input: TensorShape, attrs: Attrs) => windowed(input, attrs, channels(input)),
  weights: (input: TensorShape, attrs: Attrs) => {
    const k = int(attrs, 'kernel');
    return [uniform('weight', [...kernelAxes(input, k), channels(input), 1], kernelArea(input, k))];
  },
});

const pool = {
  layouts: spatial,
  shape: (input: TensorShape, attrs: Attrs) =>
    windowed(input, { ...attrs, dilation: 1 }, channels(input)),
  weights: none,
};

/** Every intrinsic op, by name. */
export const intrinsics = {
  conv1d: {
    ...conv('Seq'),
    doc: 'dense 1-D convolution over a `Seq[L, C]`, symmetric zero padding, no bias by default',
  },
  conv2d: {
    ...conv('Img'),
    doc: 'dense 2-D convolution over an `Img[H, W, C]`, square kernel, symmetric zero padding, no bias by default',
  },
  depthwise_conv1d: {
    ...depthwise('Seq'),
    doc: 'one 1-D filter per channel (groups = channels), no bias',
  },
  depthwise_conv2d: {
    ...depthwise('Img'),
    doc: 'one 2-D filter per channel (groups = channels), no bias',
  },
  pointwise_conv: {
    params: [p('out', 'int'), p('bias', 'bool', false)],
    layouts: spatial,
    doc: '1x1 convolution: a matrix product over channels',
    shape: (input: TensorShape, attrs: Attrs) =>
      positive(attrs, 'out') ?? withDims(input, spatialDims(input), int(attrs, 'out')),
    weights: linear,
  },
  max_pool: {
    ...pool,
    params: [p('kernel', 'int'), p('stride', 'int', 1), p('padding', 'int', 0)],
    doc: 'max pooling; padding never wins the maximum',
  },
  avg_pool: {
    ...pool,
    params: [
      p('kernel', 'int'),
      p('stride', 'int', 1),
      p('padding', 'int', 0),
      p('count_include_pad', 'bool', false),
    ],
    doc: 'average pooling; by default padded cells are not counted in the divisor',
  },
  batch_norm: {
    params: [
      p(
        'affine',
        'bool',
        null,
        '`true`, `false`, or absent: false in the search supernet, true in the derived network',
      ),
    ],
    layouts: all,
    doc: 'batch normalisation over the channel axis, eps 1e-5, momentum 0.1; learnable scale and shift when affine',
    shape: same,
    weights: (input: TensorShape, attrs: Attrs, ctx: OpContext) =>
      batchNormWeights(channels(input), (attrs.affine as boolean | null) ?? ctx.affineDefault),
  },
  relu: { params: [], layouts: all, doc: 'max(x, 0)', shape: same, weights: none },
  dense: {
    params: [p('out', 'int'), p('bias', 'bool', true)],
    layouts: ['Vec'],
    doc: 'fully connected layer `Vec[C] -> Vec[out]`, with a bias by default',
    shape: (input: TensorShape, attrs: Attrs) =>
      positive(attrs, 'out') ?? { layout: 'Vec', dims: [int(attrs, 'out')] },
    weights: linear,
  },
  dropout: {
    params: [p('rate', 'float', 0.5)],
    layouts: all,
    doc: 'inverted dropout, active in training only',
    shape: same,
    weights: none,
  },
  zero: {
    params: [p('stride', 'int', 1)],
    layouts: all,
    doc: 'zeros with the shape of the input subsampled by `stride` (size ceil(n / stride)): the `none` op',
    shape: (input: TensorShape, attrs: Attrs) => {
      const s = int(attrs, 'stride');
      if (!Number.isInteger(s) || s < 1 || (input.layout === 'Vec' && s !== 1))
        return { reason: 'bad-attribute', attribute: 'stride', value: s };
      return withDims(
        input,
        spatialDims(input).map((n) => Math.ceil(n / s)),
        channels(input),
      );
    },
    weights: none,
    zero: true,
  },
  identity: {
    params: [],
    layouts: all,
    doc: 'returns its input',
    shape: same,
    weights: none,
    identity: true,
  },
  factorized_reduce: {
    params: [p('out', 'int')],
    layouts: spatial,
    doc: 'ReLU, two stride-2 1x1 convs to out/2 channels (the second reading the input shifted by one), concat, batch norm; halves an even size',
    shape: (input: TensorShape, attrs: Attrs) => {
      const out = int(attrs, 'out');
      if (!Number.isInteger(out) || out < 2 || out % 2 !== 0)
        return { reason: 'odd-channels', channels: out };
      const odd = spatialDims(input).find((n) => n % 2 !== 0);
      if (odd !== undefined) return { reason: 'odd-size', size: odd };
      return withDims(
        input,
        spatialDims(input).map((n) => n / 2),
        out,
      );
    },
    weights: (input: TensorShape, attrs: Attrs, ctx: OpContext) => {
      const [c, out] = [channels(input), int(attrs, 'out')];
      return [
        uniform('path1', [c, out / 2], c),
        uniform('path2', [c, out / 2], c),
        ...batchNormWeights(out, ctx.affineDefault),
      ];
    },
  },
  concat: {
    params: [],
    layouts: all,
    doc: "concatenation over channels (of a cell's states)",
    shape: same,
    weights: none,
  },
  add: {
    params: [],
    layouts: all,
    doc: "element-wise sum (of a node's edges)",
    shape: same,
    weights: none,
  },
  global_avg_pool: {
    params: [],
    layouts: spatial,
    doc: 'mean over the spatial axes: `Img[H, W, C]` or `Seq[L, C]` to `Vec[C]`',
    shape: (input: TensorShape) => ({ layout: 'Vec', dims: [channels(input)] }),
    weights: none,
  },
  embedding: {
    params: [p('vocab', 'int'), p('dim', 'int')],
    layouts: ['Tokens'],
    doc: 'token ids `Tokens[L]` to vectors `Seq[L, dim]`',
    shape: (input: TensorShape, attrs: Attrs) =>
      positive(attrs, 'vocab') ??
      positive(attrs, 'dim') ?? { layout: 'Seq', dims: [input.dims[0]!, int(attrs, 'dim')] },
    // U(-1/sqrt(3), 1/sqrt(3)) (PyTorch draws N(0, 1)): smaller token vectors, kept since the
    // first version because the token examples are tuned to it.
    weights: (_input: TensorShape, attrs: Attrs) => [
      uniform('weight', [int(attrs, 'vocab'), int(attrs, 'dim')], 3),
    ],
  },
  flatten: {
    params: [],
    layouts: spatial,
    doc: 'flattens `Img[H, W, C]` or `Seq[L, C]` to `Vec[H * W * C]` (channels last)',
    shape: (input: TensorShape) => ({
      layout: 'Vec',
      dims: [input.dims.reduce((a, b) => a * b, 1)],
    }),
    weights: none,
  },
  channel_slice: {
    params: [p('start', 'int'), p('size', 'int')],
    layouts: spatial,
    doc: 'channels `start` to `start + size` (PC-DARTS: the part of an edge the mixed op sees)',
    shape: (input: TensorShape, attrs: Attrs) => {
      const [start, size] = [int(attrs, 'start'), int(attrs, 'size')];
      if (!Number.isInteger(size) || size < 1)
        return { reason: 'bad-attribute', attribute: 'size', value: size };
      if (!Number.isInteger(start) || start < 0 || start + size > channels(input))
        return { reason: 'bad-attribute', attribute: 'start', value: start };
      return withDims(input, spatialDims(input), size);
    },
    weights: none,
    supernetOnly: true,
  },
  channel_shuffle: {
    params: [p('groups', 'int')],
    layouts: spatial,
    doc: 'interleaves `groups` equal groups of channels (PC-DARTS, after the partial mixed op)',
    shape: (input: TensorShape, attrs: Attrs) => {
      const g = int(attrs, 'groups');
      if (!Number.isInteger(g) || g < 1 || channels(input) % g !== 0)
        return { reason: 'bad-attribute', attribute: 'groups', value: g };
      return input;
    },
    weights: none,
    supernetOnly: true,
  },
} as const satisfies Record<string, IntrinsicSpec>;

/** The name of an intrinsic op. */
export type IntrinsicName = keyof typeof intrinsics;

/** All intrinsic names in declaration order. */
export const intrinsicNames = Object.keys(intrinsics) as IntrinsicName[];

/** True when `name` is an intrinsic. */
export function isIntrinsic(name: string): name is IntrinsicName {
  return Object.hasOwn(intrinsics, name);
}

/** True when `name` is an intrinsic a spec may call (not one the compiler builds alone). */
export function isUserIntrinsic(name: string): name is IntrinsicName {
  return isIntrinsic(name) && !(intrinsics[name] as IntrinsicSpec).supernetOnly;
}

/** The intrinsics a spec may call, in declaration order. */
export const userIntrinsicNames = intrinsicNames.filter(isUserIntrinsic);

/** Trainable parameters of one use: the sizes of its trainable weights. */
export function paramCount(
  name: IntrinsicName,
  input: TensorShape,
  attrs: Attrs,
  ctx: OpContext,
): number {
  return intrinsic(name)
    .weights(input, attrs, ctx)
    .filter((w) => w.trainable)
    .reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}

/** The spec of an intrinsic, typed as the general interface. */
export function intrinsic(name: IntrinsicName): IntrinsicSpec {
  return intrinsics[name];
}
