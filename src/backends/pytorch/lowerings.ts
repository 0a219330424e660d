import type { Attrs, IntrinsicName } from '../../intrinsics/registry.js';

/**
 * The PyTorch lowering of each intrinsic: the Python expression that applies one use of the
 * op, and how its weights (whose names, shapes and initialisation are the registry's, as for
 * every backend) are laid out in PyTorch. Tensors are NCHW; a sequence `Seq[L, C]` runs as
 * [B, C, 1, L] with 1 x k windows, as the TensorFlow.js kernels run it as [B, 1, L, C]. The
 * helpers called here are in `runtime.py`. An intrinsic without an entry cannot be lowered:
 * `check --engine pytorch` refuses a network that uses it (E0503).
 */
interface TorchUse {
  /** The Python variables of the inputs. */
  readonly inputs: readonly string[];
  /** Python expressions of the weights, in the registry's order (`P[3]`, `S[1]`). */
  readonly weights: readonly string[];
  readonly attrs: Attrs;
  /** The input is an image (else a sequence run as 1 x L, or a vector). */
  readonly image: boolean;
  /** Whether its batch norm is affine (from the registry's `affine` attribute or the network kind). */
  readonly affine: boolean;
  /** The output's shape without the batch, in PyTorch's layout. */
  readonly dims: readonly number[];
}

export interface TorchLowering {
  readonly call: (use: TorchUse) => string;
  /**
   * Per weight name, the axes of dartsc's layout in PyTorch's order (`np.transpose`); the
   * state files dartsc and the program exchange stay in dartsc's layout.
   */
  readonly layout?: Readonly<Record<string, readonly number[]>>;
}

const int = (attrs: Attrs, name: string, fallback = 0) =>
  (attrs[name] as number | undefined) ?? fallback;

/** Kernel, stride, padding and dilation as PyTorch tuples: k x k on an image, 1 x k on a sequence. */
function window({ attrs, image }: TorchUse) {
  const tuple = (name: string, fallback: number, one: number) => {
    const n = int(attrs, name, fallback);
    return `(${image ? n : one}, ${n})`;
  };
  return {
    k: tuple('kernel', 0, 1),
    s: tuple('stride', 1, 1),
    p: tuple('padding', 0, 0),
    d: tuple('dilation', 1, 1),
  };
}

const bias = (use: TorchUse) => use.weights[1] ?? 'None';

/** Batch norm over its weights: γ, β, mean, var when affine, else mean, var. */
function batchNorm(x: string, weights: readonly string[], affine: boolean): string {
  const [gamma, beta, mean, variance] = affine ? weights : ['None', 'None', ...weights];
  return `batch_norm(${x}, ctx, ${mean}, ${variance}, ${gamma}, ${beta})`;
}

const convLowering: TorchLowering = {
  call: (u) => {
    const { s, p, d } = window(u);
    return `F.conv2d(${u.inputs[0]}, ${u.weights[0]}, ${bias(u)}, ${s}, ${p}, ${d})`;
  },
  layout: { weight: [3, 2, 0, 1] },
};

const depthwiseLowering: TorchLowering = {
  call: (u) => {
    const { s, p, d } = window(u);
    return `F.conv2d(${u.inputs[0]}, ${u.weights[0]}, None, ${s}, ${p}, ${d}, ${u.dims[0]})`;
  },
  layout: { weight: [2, 3, 0, 1] },
};

const pool = (kind: 'max' | 'avg'): TorchLowering => ({
  call: (u) => {
    const { k, s, p } = window(u);
    const x = u.inputs[0]!;
    return kind === 'max'
      ? `max_pool(${x}, ${k}, ${s}, ${p})`
      : `avg_pool(${x}, ${k}, ${s}, ${p}, ${u.attrs.count_include_pad ? 'True' : 'False'})`;
  },
});

const transposed = { weight: [1, 0] } as const;

/** Every intrinsic PyTorch programs can run. */
export const torchLowerings: Partial<Record<IntrinsicName, TorchLowering>> = {
  conv1d: convLowering,
  conv2d: convLowering,
  depthwise_conv1d: depthwiseLowering,
  depthwise_conv2d: depthwiseLowering,
  pointwise_conv: {
    call: (u) => `F.conv2d(${u.inputs[0]}, ${u.weights[0]}[:, :, None, None], ${bias(u)})`,
    layout: transposed,
  },
  dense: {
    call: (u) => `F.linear(${u.inputs[0]}, ${u.weights[0]}, ${bias(u)})`,
    layout: transposed,
  },
  max_pool: pool('max'),
  avg_pool: pool('avg'),
  batch_norm: { call: (u) => batchNorm(u.inputs[0]!, u.weights, u.affine) },
  relu: { call: (u) => `F.relu(${u.inputs[0]})` },
  dropout: { call: (u) => `dropout(${u.inputs[0]}, ${Number(u.attrs.rate)}, ctx)` },
  zero: {
    call: (u) => `${u.inputs[0]}.new_zeros((${u.inputs[0]}.shape[0], ${u.dims.join(', ')}))`,
  },
  identity: { call: (u) => u.inputs[0]! },
  factorized_reduce: {
    call: (u) =>
      batchNorm(
        `factorized_paths(${u.inputs[0]}, ${u.weights[0]}, ${u.weights[1]}, ${u.image ? 'False' : 'True'})`,
        u.weights.slice(2),
        u.affine,
      ),
    layout: { path1: [1, 0], path2: [1, 0] },
  },
  concat: { call: (u) => `torch.cat([${u.inputs.join(', ')}], 1)` },
  add: { call: (u) => u.inputs.join(' + ') },
  global_avg_pool: { call: (u) => `${u.inputs[0]}.mean((2, 3))` },
  embedding: {
    call: (u) => `F.embedding(${u.inputs[0]}, ${u.weights[0]}).transpose(1, 2).unsqueeze(2)`,
  },
  flatten: { call: (u) => `flatten_last(${u.inputs[0]})` },
  channel_slice: {
    call: (u) =>
      `${u.inputs[0]}[:, ${int(u.attrs, 'start')}:${int(u.attrs, 'start') + int(u.attrs, 'size')}]`,
  },
  channel_shuffle: { call: (u) => `channel_shuffle(${u.inputs[0]}, ${int(u.attrs, 'groups')})` },
};
