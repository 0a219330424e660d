import { tf, type Tensor } from './tf.js';

/**
 * The numerics of every op that is differentiated: the one definition that the runtime's
 * kernels (backends/tfjs) and the custom layers of emitted models (`layers.ts`) both call.
 * Stock TensorFlow.js 4.22 lacks or gets wrong several gradients that DARTS needs (see
 * docs/backends.md): wasm has no backprop kernels for dense and depthwise convolutions, its
 * max-pool gradient drops negative windows, and tfjs-core refuses dilated gradients and
 * divides the `same` average pool gradient wrongly. Everything here is built from forward
 * kernels, with custom gradients where autodiff would reach a missing or wrong kernel. All
 * tensors are NHWC; 1-D ops run as 2-D ops on [B, 1, L, C] with 1 x k windows.
 *
 * `dartsc emit` copies the part between the two markers into every emitted module (without
 * `export`), so an emitted layer computes exactly what the runtime does; the part after the
 * second marker is the runtime's alone.
 *
 * This file is the definition. On `wasm` the runtime runs `denseConv`, `depthwiseConv`,
 * `maxPool`, `avgPool` and `batchNormTrain` on dartsc's own kernels (fastOps.ts,
 * native/kernels.c), an implementation of these functions that test/numerics/fastOps.test.ts
 * holds to them.
 */

// --- emitted below ---

/** A window over the two spatial axes: kernel, stride, padding (symmetric), dilation. */
export interface Window {
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
}

type Grad = Parameters<typeof tf.customGrad>[0];
/** The one place the custom-gradient cast lives (tfjs's type does not accept typed functions). */
const customGrad = (f: (...args: never[]) => unknown) => tf.customGrad(f as unknown as Grad);

const pad4 = (x: Tensor, ph: number, pw: number) =>
  ph || pw
    ? tf.pad(x, [
        [0, 0],
        [ph, ph],
        [pw, pw],
        [0, 0],
      ])
    : x;

/** The window of a spatial op: square on an image, 1 x k along a sequence (run as [B, 1, L, C]). */
export function windowOf(
  image: boolean,
  kernel: number,
  stride = 1,
  padding = 0,
  dilation = 1,
): Window {
  const [k, s, p, d] = [kernel, stride, padding, dilation];
  return image
    ? { kh: k, kw: k, sh: s, sw: s, ph: p, pw: p, dh: d, dw: d }
    : { kh: 1, kw: k, sh: 1, sw: s, ph: 0, pw: p, dh: 1, dw: d };
}

/** Runs a 4-D op on a sequence [B, L, C] as [B, 1, L, C]. */
export function spatial(x: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  if (x.rank === 4) return f(x);
  return tf.squeeze(f(tf.expandDims(x, 1)), [1]);
}

/** Symmetric zero padding of the spatial axes (a sequence's length, an image's height and width). */
export function padSpatial(x: Tensor, p: number): Tensor {
  return p === 0 ? x : spatial(x, (x4) => pad4(x4, x.rank === 4 ? p : 0, p));
}

/** x[:, oh::sh, ow::sw] of a 4-D tensor: from an offset, every s-th row and column. */
export function subsampleFrom(
  x: Tensor,
  [oh, ow]: [number, number],
  sh: number,
  sw: number,
): Tensor {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const from = oh || ow ? tf.slice(x, [0, oh, ow, 0], [b, h - oh, w - ow, c]) : x;
  return subsample(from, sh, sw);
}

/**
 * Every `s`-th row and column from the first: x[:, ::sh, ::sw] (differentiable). Written with
 * rank-4 reshapes and slices only: wasm runs slices of higher rank on a path about 100x slower.
 */
function subsample(x: Tensor, sh: number, sw: number): Tensor {
  if (sh === 1 && sw === 1) return x;
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const hh = Math.ceil(h / sh);
  const ww = Math.ceil(w / sw);
  const padded =
    hh * sh === h && ww * sw === w
      ? x
      : tf.pad(x, [
          [0, 0],
          [0, hh * sh - h],
          [0, ww * sw - w],
          [0, 0],
        ]);
  const rows = tf.slice(
    tf.reshape(padded, [b, hh, sh, ww * sw * c]),
    [0, 0, 0, 0],
    [b, hh, 1, ww * sw * c],
  );
  const cols = tf.slice(tf.reshape(rows, [b * hh, ww, sw, c]), [0, 0, 0, 0], [b * hh, ww, 1, c]);
  return tf.reshape(cols, [b, hh, ww, c]);
}

/** The inverse of `subsample` for gradients: dy spread to every `s`-th position of an [h, w] grid, zeros between. */
function spread(dy: Tensor, sh: number, sw: number, h: number, w: number): Tensor {
  if (sh === 1 && sw === 1) return dy;
  const [b, hh, ww, c] = dy.shape as [number, number, number, number];
  const cols = tf.reshape(
    tf.pad(tf.reshape(dy, [b * hh, ww, 1, c]), [
      [0, 0],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]),
    [b, hh, 1, ww * sw * c],
  );
  const rows = tf.reshape(
    tf.pad(cols, [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
    ]),
    [b, hh * sh, ww * sw, c],
  );
  return hh * sh === h && ww * sw === w ? rows : tf.slice(rows, [0, 0, 0, 0], [b, h, w, c]);
}

/**
 * Depthwise convolution (one filter per channel, filter [kh, kw, C, 1]) with a custom
 * gradient built from forward depthwise convolutions: the input gradient correlates the
 * (spread) output gradient with the flipped filter; the filter gradient is one depthwise
 * convolution over B·C channels with the output gradient as the filter, at stride = dilation.
 */
export function depthwiseConv(x: Tensor, filter: Tensor, win: Window): Tensor {
  const op = customGrad((input: Tensor, f: Tensor, save: (t: Tensor[]) => void) => {
    const xp = pad4(input, win.ph, win.pw);
    // tfjs takes a stride or a dilation, not both: a strided dilated conv is the stride-1 one, subsampled.
    const strided = win.dh === 1 && win.dw === 1;
    const full = tf.depthwiseConv2d(
      xp as tf.Tensor4D,
      f as tf.Tensor4D,
      strided ? [win.sh, win.sw] : 1,
      'valid',
      'NHWC',
      [win.dh, win.dw],
    );
    save([xp, f]);
    return {
      value: strided ? full : subsample(full, win.sh, win.sw),
      gradFunc: (dy: Tensor, saved: Tensor[]) => depthwiseGrads(dy, saved[0]!, saved[1]!, win),
    };
  });
  return op(x, filter) as Tensor;
}

function depthwiseGrads(dy: Tensor, xp: Tensor, f: Tensor, win: Window): Tensor[] {
  const [b, hp, wp, c] = xp.shape as [number, number, number, number];
  const h1 = hp - (win.kh - 1) * win.dh;
  const w1 = wp - (win.kw - 1) * win.dw;
  const dyFull = spread(dy, win.sh, win.sw, h1, w1);
  const flipped = tf.reverse(f, [0, 1]) as tf.Tensor4D;
  const reach = [(win.kh - 1) * win.dh, (win.kw - 1) * win.dw] as const;
  const dxp = tf.depthwiseConv2d(
    pad4(dyFull, reach[0], reach[1]) as tf.Tensor4D,
    flipped,
    1,
    'valid',
    'NHWC',
    [win.dh, win.dw],
  );
  const [, h, w] = [0, hp - 2 * win.ph, wp - 2 * win.pw];
  const dx = tf.slice(dxp, [0, win.ph, win.pw, 0], [b, h, w, c]);
  const images = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, hp, wp, b * c]) as tf.Tensor4D;
  const kernels = tf.reshape(tf.transpose(dyFull, [1, 2, 0, 3]), [h1, w1, b * c, 1]) as tf.Tensor4D;
  const taps = tf.depthwiseConv2d(images, kernels, [win.dh, win.dw], 'valid');
  const df = tf.reshape(tf.sum(tf.reshape(taps, [win.kh, win.kw, b, c]), 2), [
    win.kh,
    win.kw,
    c,
    1,
  ]);
  return [dx, df];
}

/**
 * Max pooling whose padding never wins: the input is shifted to at least 1, zero-padded,
 * pooled without padding and shifted back. The shift also keeps wasm's MaxPoolGrad, which
 * loses windows whose maximum is negative, on positive values.
 */
export function maxPool(x: Tensor, win: Window): Tensor {
  const shift = 1 - (tf.min(x).dataSync()[0] ?? 0);
  const shifted = tf.add(x, shift);
  const pooled = tf.maxPool(
    pad4(shifted, win.ph, win.pw) as tf.Tensor4D,
    [win.kh, win.kw],
    [win.sh, win.sw],
    'valid',
  );
  return tf.sub(pooled, shift);
}

/**
 * Average pooling. Padding is explicit zeros and the pool itself unpadded (whose gradient is
 * right); unless `countIncludePad`, each window is divided by its count of real cells.
 */
export function avgPool(x: Tensor, win: Window, countIncludePad: boolean): Tensor {
  const pool = (t: Tensor) =>
    tf.avgPool(pad4(t, win.ph, win.pw) as tf.Tensor4D, [win.kh, win.kw], [win.sh, win.sw], 'valid');
  const sum = pool(x);
  if (countIncludePad || (win.ph === 0 && win.pw === 0)) return sum;
  const [, h, w] = x.shape as [number, number, number, number];
  const fraction = pool(tf.ones([1, h, w, 1]));
  return tf.div(sum, fraction);
}

/**
 * Drop-path (darts-semantics §8.2): each example kept with probability 1 - rate and scaled by
 * 1 / (1 - rate), else zeroed; one draw per example, broadcast over the rest. Seeded, so
 * the same seed drops the same examples.
 */
export function dropPath(x: Tensor, rate: number, seed?: number): Tensor {
  const keep = 1 - rate;
  const shape = [x.shape[0]!, ...x.shape.slice(1).map(() => 1)];
  const mask = tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep));
  return tf.mul(x, tf.div(mask, keep));
}

// --- runtime only: the kernels of ops that emitted models take from stock layers ---

/**
 * x [..., Cin] times w [Cin, Cout]. Its gradient uses explicit transposes: on wasm only an
 * untransposed matMul reaches XNNPACK, a transposed one falls back to a slow loop.
 */
export function matmulLast(x: Tensor, w: Tensor): Tensor {
  const op = customGrad((input: Tensor, weight: Tensor, save: (t: Tensor[]) => void) => {
    const cin = weight.shape[0]!;
    const flat = tf.reshape(input, [-1, cin]) as tf.Tensor2D;
    save([flat, weight]);
    const y = tf.matMul(flat, weight as tf.Tensor2D);
    return {
      value: tf.reshape(y, [...input.shape.slice(0, -1), weight.shape[1]!]),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [x2, w2] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dy2 = tf.reshape(dy, [-1, w2.shape[1]]) as tf.Tensor2D;
        const dx = tf.matMul(dy2, tf.transpose(w2));
        const dw = tf.matMul(tf.transpose(x2), dy2);
        return [tf.reshape(dx, input.shape), dw];
      },
    };
  });
  return op(x, w) as Tensor;
}

/**
 * The two paths of a factorized reduce on x4 [B, H, W, C] (a sequence as [B, 1, L, C]):
 * `path1` [C, C1] on every second pixel from the first, `path2` [C, C2] on every second from
 * the second (shifted by one row and column; by one step on a sequence), concatenated on
 * channels. `product` is the matrix product (the runtime passes its fastest).
 */
export function factorizedPaths(
  x4: Tensor,
  path1: Tensor,
  path2: Tensor,
  seq: boolean,
  product: (x: Tensor, w: Tensor) => Tensor = matmulLast,
): Tensor {
  const [b, h, wd, c] = x4.shape as [number, number, number, number];
  const shifted = tf.slice(x4, [0, seq ? 0 : 1, 1, 0], [b, seq ? h : h - 1, wd - 1, c]);
  const a = product(subsample(x4, seq ? 1 : 2, 2), path1);
  const d = product(subsample(shifted, seq ? 1 : 2, 2), path2);
  return tf.concat([a, d], 3);
}

/**
 * Dense convolution (filter [kh, kw, Cin, Cout]) as im2col and one matrix product: the taps
 * are slices of the padded input, concatenated on channels. Autodiff through slice, concat
 * and `matmulLast` works on every backend, dilation included.
 */
export function denseConv(x: Tensor, filter: Tensor, win: Window): Tensor {
  const xp = pad4(x, win.ph, win.pw);
  const [b, hp, wp, c] = xp.shape as [number, number, number, number];
  const h1 = hp - (win.kh - 1) * win.dh;
  const w1 = wp - (win.kw - 1) * win.dw;
  const taps: Tensor[] = [];
  for (let i = 0; i < win.kh; i++) {
    for (let j = 0; j < win.kw; j++) {
      taps.push(tf.slice(xp, [0, i * win.dh, j * win.dw, 0], [b, h1, w1, c]));
    }
  }
  const patches = subsample(taps.length === 1 ? taps[0]! : tf.concat(taps, 3), win.sh, win.sw);
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  return matmulLast(patches, tf.reshape(filter, [kh * kw * cin, cout]));
}

/** Batch-norm epsilon (PyTorch's default; tfjs's own default is 1e-3). */
export const bnEpsilon = 1e-5;

/**
 * Batch norm with batch statistics (training mode), biased variance over every axis but the
 * last, and a closed-form gradient (far fewer kernels than autodiff through `moments`):
 * dx = r·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ and r = 1/sqrt(var + eps).
 * Returns the normalised output and the batch mean and variance (for running statistics).
 */
export function batchNormTrain(
  x: Tensor,
  gamma?: Tensor,
  beta?: Tensor,
): { y: Tensor; mean: Tensor; variance: Tensor } {
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  // The statistics enter the custom-gradient op only through its closure, so autodiff sees
  // no path through them: the closed-form gradient below already accounts for them.
  const stats = tf.moments(x, axes);
  const normalise = customGrad((input: Tensor, save: (t: Tensor[]) => void) => {
    const r = tf.rsqrt(tf.add(stats.variance, bnEpsilon));
    const xhat = tf.mul(tf.sub(input, stats.mean), r);
    save([xhat, r]);
    return {
      value: xhat,
      gradFunc: (g: Tensor, saved: Tensor[]) => {
        const [xh, rr] = saved as [Tensor, Tensor];
        const meanG = tf.mean(g, axes);
        const meanGx = tf.mean(tf.mul(g, xh), axes);
        return [tf.mul(rr, tf.sub(tf.sub(g, meanG), tf.mul(xh, meanGx)))];
      },
    };
  });
  const xhat = normalise(x) as Tensor;
  const y = gamma && beta ? tf.add(tf.mul(xhat, gamma), beta) : xhat;
  return { y, ...stats };
}

/** Batch norm in eval mode: running statistics, no gradient through them. */
export function batchNormEval(
  x: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
  gamma?: Tensor,
  beta?: Tensor,
): Tensor {
  const xhat = tf.mul(tf.sub(x, runningMean), tf.rsqrt(tf.add(runningVar, bnEpsilon)));
  return gamma && beta ? tf.add(tf.mul(xhat, gamma), beta) : xhat;
}

/** Channels `start` to `start + size` of the last axis (PC-DARTS' partial channels). */
export function channelSlice(x: Tensor, start: number, size: number): Tensor {
  const begin = x.shape.map((_, i) => (i === x.rank - 1 ? start : 0));
  const extent = x.shape.map((n, i) => (i === x.rank - 1 ? size : n!));
  return tf.slice(x, begin, extent);
}

/**
 * PC-DARTS' channel shuffle, channels last: channel g·(C/G) + i moves to i·G + g, as the
 * reference's view(B, G, C/G, H, W) → transpose(1, 2) → view(B, C, H, W) on NCHW.
 */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  const c = x.shape[x.rank - 1]!;
  const lead = x.shape.slice(0, -1) as number[];
  const split = tf.reshape(x, [...lead, groups, c / groups]);
  const axes = [...lead.map((_, i) => i), lead.length + 1, lead.length];
  return tf.reshape(tf.transpose(split, axes), [...lead, c]);
}
