import {
  avgPool,
  depthwiseConv,
  dropPath,
  maxPool,
  padSpatial,
  spatial,
  subsampleFrom,
  windowOf,
} from './ops.js';
import { tf } from './tf.js';

/*
 * The custom layers of emitted models, for what the TensorFlow.js layers API lacks: PyTorch's
 * padded pooling, 1-D depthwise and trainable dilated depthwise convolutions, zero padding of
 * sequences, the `none` op, subsampling, and drop-path. Each computes through `ops.ts`, the
 * numerics the runtime differentiates, so the two cannot diverge. `dartsc emit` copies the
 * shared part of `ops.ts` and this file's code below the marker into every emitted module
 * (with `tf` imported from @tensorflow/tfjs); `dartsc train` uses the classes directly to save
 * its model. Each class registers its `className`, so saved models load again with
 * `tf.loadLayersModel`.
 */

// --- emitted below ---

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/** Output length of a window over `n`: floor((n + 2p - d(k - 1) - 1) / s) + 1. */
function windowed(n: number | null, k: number, s: number, p: number, d: number): number | null {
  return n === null ? null : Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** The spatial axes of a shape: [H, W] of [B, H, W, C], [L] of [B, L, C]. */
function spatialShape(shape: tf.Shape, f: (n: number | null) => number | null): tf.Shape {
  return [shape[0]!, ...shape.slice(1, -1).map(f), shape[shape.length - 1]!];
}

function shapeOf(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/** Zero padding of the spatial axes by `padding` on each side (any rank: 1-D and 2-D). */
export class DartsPad extends tf.layers.Layer {
  static className = 'DartsPad';
  readonly padding: number;

  constructor(config: LayerArgs & { padding: number }) {
    super(config);
    this.padding = config.padding;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return spatialShape(shapeOf(inputShape), (n) => (n === null ? null : n + 2 * this.padding));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => padSpatial(single(inputs), this.padding));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}
tf.serialization.registerClass(DartsPad);

/**
 * PyTorch's padded pooling: max pooling where padding never wins, and average pooling that
 * leaves padded cells out of the divisor unless `countIncludePad` (the layers API's `same`
 * pads asymmetrically and its average-pool gradient is wrong).
 */
export class DartsPool extends tf.layers.Layer {
  static className = 'DartsPool';
  readonly kind: 'max' | 'avg';
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly countIncludePad: boolean;

  constructor(
    config: LayerArgs & {
      kind: 'max' | 'avg';
      kernel: number;
      stride: number;
      padding: number;
      countIncludePad: boolean;
    },
  ) {
    super(config);
    this.kind = config.kind;
    this.kernel = config.kernel;
    this.stride = config.stride;
    this.padding = config.padding;
    this.countIncludePad = config.countIncludePad;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const { kernel: k, stride: s, padding: p } = this;
    return spatialShape(shapeOf(inputShape), (n) => windowed(n, k, s, p, 1));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const win = windowOf(x.rank === 4, this.kernel, this.stride, this.padding);
      return spatial(x, (x4) =>
        this.kind === 'max' ? maxPool(x4, win) : avgPool(x4, win, this.countIncludePad),
      );
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { kind, kernel, stride, padding, countIncludePad } = this;
    return { ...super.getConfig(), kind, kernel, stride, padding, countIncludePad };
  }
}
tf.serialization.registerClass(DartsPool);

/**
 * A depthwise convolution (one filter per channel, no bias, symmetric zero padding) through
 * the runtime's `depthwiseConv`: it covers 1-D inputs, and dilation with any stride, and trains
 * on every backend (the stock dilated convolutions have no gradient).
 */
export class DartsDepthwiseConv extends tf.layers.Layer {
  static className = 'DartsDepthwiseConv';
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  /** Initial weights are U(-bound, bound) (PyTorch: 1 / sqrt(kernel area)). */
  readonly bound: number;
  private depthwiseKernel?: tf.LayerVariable;

  constructor(
    config: LayerArgs & {
      kernelSize: number;
      stride: number;
      padding: number;
      dilation: number;
      bound: number;
    },
  ) {
    super(config);
    this.kernelSize = config.kernelSize;
    this.stride = config.stride;
    this.padding = config.padding;
    this.dilation = config.dilation;
    this.bound = config.bound;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = shapeOf(inputShape);
    const k = this.kernelSize;
    const channels = shape[shape.length - 1]!;
    this.depthwiseKernel = this.addWeight(
      'depthwise_kernel',
      shape.length === 4 ? [k, k, channels, 1] : [1, k, channels, 1],
      'float32',
      tf.initializers.randomUniform({ minval: -this.bound, maxval: this.bound }),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const { kernelSize: k, stride: s, padding: p, dilation: d } = this;
    return spatialShape(shapeOf(inputShape), (n) => windowed(n, k, s, p, d));
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const { kernelSize, stride, padding, dilation } = this;
      const win = windowOf(x.rank === 4, kernelSize, stride, padding, dilation);
      return spatial(x, (x4) => depthwiseConv(x4, this.depthwiseKernel!.read(), win));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { kernelSize, stride, padding, dilation, bound } = this;
    return { ...super.getConfig(), kernelSize, stride, padding, dilation, bound };
  }
}
tf.serialization.registerClass(DartsDepthwiseConv);

/**
 * Every `stride`-th position of the spatial axes from `offset` on (size ceil((n - offset) /
 * stride)); with `zero`, zeros of that shape (the `none` op).
 */
export class DartsSubsample extends tf.layers.Layer {
  static className = 'DartsSubsample';
  readonly stride: number;
  readonly offset: number;
  readonly zero: boolean;

  constructor(config: LayerArgs & { stride: number; offset?: number; zero: boolean }) {
    super(config);
    this.stride = config.stride;
    this.offset = config.offset ?? 0;
    this.zero = config.zero;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const { stride: s, offset } = this;
    return spatialShape(shapeOf(inputShape), (n) =>
      n === null ? null : Math.ceil((n - offset) / s),
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const { stride: s, offset: o } = this;
      // On a sequence [B, 1, L, C] only the length is offset and strided.
      const image = x.rank === 4;
      const y = spatial(x, (x4) => subsampleFrom(x4, [image ? o : 0, o], image ? s : 1, s));
      return this.zero ? tf.zerosLike(y) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { stride, offset, zero } = this;
    return { ...super.getConfig(), stride, offset, zero };
  }
}
tf.serialization.registerClass(DartsSubsample);

/**
 * Drop-path in training: each example's whole output is kept with probability 1 - rate and
 * scaled by 1 / (1 - rate), else zeroed. `rate` may change between epochs (the reference
 * ramps it linearly); `setDropPath` sets it on every such layer of a model.
 */
export class DartsDropPath extends tf.layers.Layer {
  static className = 'DartsDropPath';
  rate: number;

  constructor(config: LayerArgs & { rate: number }) {
    super(config);
    this.rate = config.rate;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return shapeOf(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      if (kwargs.training !== true || this.rate <= 0) return tf.clone(x);
      return dropPath(x, this.rate);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
tf.serialization.registerClass(DartsDropPath);

/** Sets the drop-path rate of every drop-path layer of `model`. */
export function setDropPath(model: tf.LayersModel, rate: number): void {
  for (const layer of model.layers) if (layer instanceof DartsDropPath) layer.rate = rate;
}
