import { tf } from '../tfjs/tf.js';

/*
 * The custom layers of emitted models, for what the TensorFlow.js layers API lacks: PyTorch's
 * padded pooling, 1-D depthwise and trainable dilated depthwise convolutions, zero padding of
 * sequences, the `none` op, subsampling, and drop-path. `dartsc emit` copies this file's code
 * below the marker into every emitted module (with `tf` imported from @tensorflow/tfjs), so
 * there is one source of truth; `dartsc train` uses the classes directly to save its model.
 * Each class registers its `className`, so saved models load again with `tf.loadLayersModel`.
 */

// --- emitted below ---

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

/** Runs `f` on a 4-D view of `x`: a sequence [B, L, C] as [B, 1, L, C]. */
function asImage(x: tf.Tensor, f: (x4: tf.Tensor4D) => tf.Tensor4D): tf.Tensor {
  if (x.rank === 4) return f(x as tf.Tensor4D);
  return tf.squeeze(f(tf.expandDims(x, 1) as tf.Tensor4D), [1]);
}

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

/**
 * x[:, oh::sh, ow::sw, :][:, :size[0], :size[1], :] of a 4-D tensor, with slices, padding and
 * reshapes only: tfjs has no gradient for `stridedSlice`.
 */
function strided(
  x: tf.Tensor4D,
  [oh, ow]: [number, number],
  [sh, sw]: [number, number],
  [hh, ww]: [number, number],
): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  // Take what the windows reach, pad it to whole strides, and keep the first of each stride.
  const rows = Math.min(hh * sh, h - oh);
  const cols = Math.min(ww * sw, w - ow);
  const taken = tf.slice(x, [0, oh, ow, 0], [b, rows, cols, c]);
  const whole = tf.pad(taken, [
    [0, 0],
    [0, hh * sh - rows],
    [0, ww * sw - cols],
    [0, 0],
  ]);
  if (sh === 1 && sw === 1) return whole;
  const byRow = tf.slice(
    tf.reshape(whole, [b * hh, sh, ww * sw, c]),
    [0, 0, 0, 0],
    [-1, 1, -1, -1],
  );
  const byCol = tf.slice(tf.reshape(byRow, [b * hh, ww, sw, c]), [0, 0, 0, 0], [-1, -1, 1, -1]);
  return tf.reshape(byCol, [b, hh, ww, c]);
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
    const x = single(inputs);
    const p = this.padding;
    return tf.pad(
      x,
      x.shape.map((_, i) => (i === 0 || i === x.rank - 1 ? [0, 0] : [p, p])),
    );
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
      const image = x.rank === 4;
      const { kernel: k, stride: s, padding: p } = this;
      const size: [number, number] = image ? [k, k] : [1, k];
      const strides: [number, number] = image ? [s, s] : [1, s];
      const pads: [number, number][] = [[0, 0], image ? [p, p] : [0, 0], [p, p], [0, 0]];
      return asImage(x, (x4) => {
        if (this.kind === 'max')
          return tf.maxPool(tf.pad(x4, pads, -3.4028234663852886e38), size, strides, 'valid');
        const mean = tf.avgPool(tf.pad(x4, pads), size, strides, 'valid');
        if (this.countIncludePad || p === 0) return mean;
        const ones = tf.onesLike(tf.slice(x4, [0, 0, 0, 0], [1, -1, -1, 1]));
        return tf.div(mean, tf.avgPool(tf.pad(ones, pads), size, strides, 'valid'));
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { kind, kernel, stride, padding, countIncludePad } = this;
    return { ...super.getConfig(), kind, kernel, stride, padding, countIncludePad };
  }
}
tf.serialization.registerClass(DartsPool);

/**
 * A depthwise convolution (one filter per channel, no bias, symmetric zero padding) as a sum
 * of shifted slices times filter taps: it covers 1-D inputs, and dilation with any stride,
 * and trains on every backend (the stock dilated convolutions have no gradient).
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
      const filter = this.depthwiseKernel!.read();
      const [kh, kw] = filter.shape as [number, number, number, number];
      const { stride, padding: p, dilation: d } = this;
      const image = x.rank === 4;
      const sh = image ? stride : 1;
      const ph = image ? p : 0;
      return asImage(x, (x4) => {
        const padded = tf.pad(x4, [
          [0, 0],
          [ph, ph],
          [p, p],
          [0, 0],
        ]);
        const [, h, w] = padded.shape;
        const ho = Math.floor((h - d * (kh - 1) - 1) / sh) + 1;
        const wo = Math.floor((w - d * (kw - 1) - 1) / stride) + 1;
        const taps: tf.Tensor4D[] = [];
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const window = strided(padded, [i * d, j * d], [sh, stride], [ho, wo]);
            taps.push(
              tf.mul(window, tf.reshape(tf.slice(filter, [i, j, 0, 0], [1, 1, -1, 1]), [-1])),
            );
          }
        return tf.addN(taps);
      });
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
      const y = asImage(x, (x4) => {
        const [, h, w] = x4.shape;
        const [oh, sh] = x.rank === 4 ? [o, s] : [0, 1];
        return strided(x4, [oh, o], [sh, s], [Math.ceil((h - oh) / sh), Math.ceil((w - o) / s)]);
      });
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
      const keep = 1 - this.rate;
      const draw = tf.randomUniform([x.shape[0]!, ...x.shape.slice(1).map(() => 1)]);
      return tf.mul(x, tf.div(tf.floor(tf.add(draw, keep)), keep));
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
