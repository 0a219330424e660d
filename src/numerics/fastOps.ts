import {
  avgPool,
  batchNormTrain as batchNormTrainDefinition,
  bnEpsilon,
  denseConv as denseConvDefinition,
  depthwiseConv as depthwiseConvDefinition,
  factorizedPaths as factorizedPathsDefinition,
  matmulLast as matmulLastDefinition,
  maxPool,
  type Window,
} from './ops.js';
import { registerOwnKernels } from './ownKernels.js';
import { tf, type Tensor } from './tf.js';

/**
 * The runtime's fast variants of seven ops of ops.ts on the `wasm` backend, each one or two
 * launches of dartsc's own kernels (ownKernels.ts) forward and one backward, instead of the
 * composites' pads, slices, concats and forward-only convolutions. They compute the same
 * functions as `denseConv`, `depthwiseConv`, `matmulLast` (its gradients), `factorizedPaths`,
 * `maxPool`, `avgPool` and `batchNormTrain` (ops.ts is the definition; test/numerics/fastOps.test.ts
 * holds them to it on `cpu`). Emitted models never use them.
 */
export interface FastOps {
  readonly denseConv: (x: Tensor, filter: Tensor, win: Window) => Tensor;
  readonly depthwiseConv: (x: Tensor, filter: Tensor, win: Window) => Tensor;
  readonly matmulLast: (x: Tensor, w: Tensor) => Tensor;
  readonly factorizedPaths: (x4: Tensor, path1: Tensor, path2: Tensor, seq: boolean) => Tensor;
  readonly maxPool: (x: Tensor, win: Window) => Tensor;
  readonly avgPool: (x: Tensor, win: Window, countIncludePad: boolean) => Tensor;
  readonly batchNormTrain: (
    x: Tensor,
    gamma?: Tensor,
    beta?: Tensor,
  ) => { y: Tensor; mean: Tensor; variance: Tensor };
}

type Grad = Parameters<typeof tf.customGrad>[0];
const customGrad = (f: (...args: never[]) => unknown) => tf.customGrad(f as unknown as Grad);

type Attrs = Record<string, number | boolean>;
const run = (name: string, inputs: Record<string, Tensor>, attrs: Attrs = {}) =>
  tf.engine().runKernel(name, inputs, attrs) as Tensor | Tensor[];
const one = (name: string, inputs: Record<string, Tensor>, attrs: Attrs = {}) =>
  run(name, inputs, attrs) as Tensor;
const windowAttrs = (w: Window): Attrs => ({ ...w });

/**
 * A window the pool kernels take: every window keeps at least one real cell (PyTorch's
 * rule, padding at most half the kernel); other windows run the composite.
 */
const poolable = (w: Window) => 2 * w.ph <= w.kh && 2 * w.pw <= w.kw;

/**
 * A convolution kernel (`DartsConv`: dense, filter [kh, kw, Cin, Cout]; `DartsDepthwiseConv`:
 * filter [kh, kw, C, 1]) with its one-pass gradient kernel; the backward pass keeps only the
 * input and the filter.
 */
function convolution(name: string, x: Tensor, filter: Tensor, win: Window): Tensor {
  const attrs = windowAttrs(win);
  const op = customGrad((input: Tensor, f: Tensor, save: (t: Tensor[]) => void) => {
    save([input, f]);
    return {
      value: one(name, { x: input, filter: f }, attrs),
      gradFunc: (dy: Tensor, [xs, fs]: Tensor[]) =>
        run(`${name}Grad`, { x: xs!, filter: fs!, dy }, attrs),
    };
  });
  return op(x, filter) as Tensor;
}

/**
 * x [..., Cin] times w [Cin, Cout]: XNNPACK's untransposed matMul forward, both gradients in
 * one launch of the own kernel (no transposes; the composite's transposed products miss
 * XNNPACK's cached operators).
 */
function matmulLast(x: Tensor, w: Tensor): Tensor {
  const op = customGrad((input: Tensor, weight: Tensor, save: (t: Tensor[]) => void) => {
    const flat = tf.reshape(input, [-1, weight.shape[0]!]);
    save([flat, weight]);
    const y = tf.matMul(flat as tf.Tensor2D, weight as tf.Tensor2D);
    return {
      value: tf.reshape(y, [...input.shape.slice(0, -1), weight.shape[1]!]),
      gradFunc: (dy: Tensor, [xs, ws]: Tensor[]) => {
        const dy2 = tf.reshape(dy, [-1, ws!.shape[1]!]);
        const [dx, dw] = run('DartsMatMulGrad', { x: xs!, w: ws!, dy: dy2 }) as Tensor[];
        return [tf.reshape(dx!, input.shape), dw!];
      },
    };
  });
  // The kernel reads float32 (an embedding's one-hot rows are int32; tf.matMul upcasts them).
  return op(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), w) as Tensor;
}

/**
 * Both paths of a factorized reduce as one own dense convolution with a 2 x 2 window (1 x 2
 * on a sequence) at stride 2, whose filter holds path1 at the first tap and path2 at the
 * last, in their halves of the output channels, and zeros elsewhere: the same sums as the
 * two strided products and their concat (the zeros add nothing), one launch each way instead
 * of slices, pads, a concat and a split. Odd sizes (where the paths differ) take the composite.
 */
function factorizedPaths(x4: Tensor, path1: Tensor, path2: Tensor, seq: boolean): Tensor {
  const [, h, w, c] = x4.shape as [number, number, number, number];
  if ((!seq && h % 2) || w % 2) return factorizedPathsDefinition(x4, path1, path2, seq, matmulLast);
  const [o1, o2] = [path1.shape[1]!, path2.shape[1]!];
  const kh = seq ? 1 : 2;
  const tap = (p: Tensor, first: boolean) =>
    tf.pad(tf.reshape(p, [1, 1, c, p.shape[1]!]), [
      first ? [0, kh - 1] : [kh - 1, 0],
      first ? [0, 1] : [1, 0],
      [0, 0],
      first ? [0, o2] : [o1, 0],
    ]);
  const filter = tf.add(tap(path1, true), tap(path2, false));
  const win = { kh, kw: 2, sh: kh, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
  return convolution('DartsConv', x4, filter, win);
}

function pool(kind: 'Max' | 'Avg', x: Tensor, win: Window, countIncludePad: boolean): Tensor {
  const attrs = { ...windowAttrs(win), countIncludePad };
  const op = customGrad((input: Tensor, save: (t: Tensor[]) => void) => {
    save([input]);
    return {
      value: one(`Darts${kind}Pool`, { x: input }, attrs),
      gradFunc: (dy: Tensor, [xs]: Tensor[]) => one(`Darts${kind}PoolGrad`, { x: xs!, dy }, attrs),
    };
  });
  return op(x) as Tensor;
}

/**
 * Batch norm in training mode: the statistics in one launch (outside the custom gradient, as
 * in ops.ts: the closed-form gradient accounts for them), normalisation and affine in one,
 * and all three gradients in one.
 */
function batchNormTrain(x: Tensor, gamma?: Tensor, beta?: Tensor) {
  const [mean, variance] = run('DartsBatchNormMoments', { x }) as [Tensor, Tensor];
  const attrs = { epsilon: bnEpsilon };
  const affine = gamma !== undefined && beta !== undefined;
  const op = customGrad((...args: (Tensor | ((t: Tensor[]) => void))[]) => {
    const [input, g, b] = args.slice(0, -1) as Tensor[];
    (args[args.length - 1] as (t: Tensor[]) => void)([input!, mean, variance, ...(g ? [g] : [])]);
    const inputs = { x: input!, mean, variance, ...(g && b ? { gamma: g, beta: b } : {}) };
    return {
      value: one('DartsBatchNorm', inputs, attrs),
      gradFunc: (dy: Tensor, [xs, m, v, gs]: Tensor[]) =>
        run(
          'DartsBatchNormGrad',
          { x: xs!, mean: m!, variance: v!, dy, ...(gs ? { gamma: gs } : {}) },
          attrs,
        ),
    };
  });
  const y = (affine ? op(x, gamma, beta) : op(x)) as Tensor;
  return { y, mean, variance };
}

const ops: FastOps = {
  denseConv: (x, filter, win) => convolution('DartsConv', x, filter, win),
  depthwiseConv: (x, filter, win) => convolution('DartsDepthwiseConv', x, filter, win),
  matmulLast,
  factorizedPaths,
  maxPool: (x, win) => (poolable(win) ? pool('Max', x, win, false) : maxPool(x, win)),
  avgPool: (x, win, countIncludePad) =>
    poolable(win) ? pool('Avg', x, win, countIncludePad) : avgPool(x, win, countIncludePad),
  batchNormTrain,
};

/** The definitions in ops.ts, for ops whose own kernels are turned off one by one. */
const definitions: FastOps = {
  denseConv: denseConvDefinition,
  depthwiseConv: depthwiseConvDefinition,
  matmulLast: matmulLastDefinition,
  // The composite, with the own kernels' matrix product (as before the convolution form).
  factorizedPaths: (x4, path1, path2, seq) =>
    factorizedPathsDefinition(x4, path1, path2, seq, matmulLast),
  maxPool,
  avgPool,
  batchNormTrain: batchNormTrainDefinition,
};

let enabled = process.env.DARTSC_OWN_KERNELS !== '0';
let active = ops;

/**
 * Turns the own kernels on or off (benchmarks compare both; `DARTSC_OWN_KERNELS=0` starts
 * off); `except` keeps the definitions of ops.ts for some ops while the others are on.
 */
export function setOwnKernels(on: boolean, except: readonly (keyof FastOps)[] = []): void {
  enabled = on;
  active = { ...ops, ...Object.fromEntries(except.map((k) => [k, definitions[k]])) };
}

/**
 * The fast ops when the active backend is `wasm` and the own kernels loaded, else null (the
 * caller then runs the composite definitions of ops.ts).
 */
export function fastOps(): FastOps | null {
  if (!enabled || tf.getBackend() !== 'wasm') return null;
  return registerOwnKernels() ? active : null;
}
