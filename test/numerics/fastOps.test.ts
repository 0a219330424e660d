import { afterAll, describe, expect, it } from 'vitest';

import { fastOps, setOwnKernels, type FastOps } from '../../src/numerics/fastOps.js';
import {
  avgPool,
  batchNormTrain,
  denseConv,
  depthwiseConv,
  factorizedPaths,
  matmulLast,
  maxPool,
  windowOf,
  type Window,
} from '../../src/numerics/ops.js';
import { selectBackend, tf, type Tensor } from '../../src/numerics/tf.js';
import { Random } from '../../src/util/random.js';
import { kinkSafe } from '../helpers/kernels.js';

/**
 * dartsc's own wasm kernels (fastOps.ts over native/kernels.c) against their definitions,
 * the composites of ops.ts run on `cpu` (the exact reference): output and every gradient
 * within 1e-4 of the largest value (as test/backends/tfjs/kernels.test.ts holds wasm to cpu),
 * and the fast gradients against central finite differences on wasm itself, with the same
 * step and tolerance as kernels.test.ts (h = 1e-2, |g − fd| ≤ 3e-3 + 1e-2·|fd|; inputs are
 * kink-safe, so no max-pool argmax changes under the step). Shapes: kernels 1, 3 and 5,
 * strides 1 and 2, dilation 2, channel counts that are and are not multiples of 4, odd sizes,
 * 1-D (as [B, 1, L, C]) and 2-D.
 */

type Kind =
  'dense' | 'matmul' | 'reduce' | 'depthwise' | 'max' | 'avg' | 'avgIncl' | 'bn' | 'bnAffine';

interface Case {
  readonly name: string;
  readonly kind: Kind;
  readonly shape: number[];
  readonly win: Window;
  /** Output channels of a dense convolution or a matrix product (path1's of a reduce; path2 one more). */
  readonly cout?: number;
}

const image = (k: number, s: number, p: number, d = 1) => windowOf(true, k, s, p, d);
const line = (k: number, s: number, p: number, d = 1) => windowOf(false, k, s, p, d);

const cases: Case[] = [
  // Dense convolutions, [B, H, W, Cin] -> Cout: kernels 1, 3 and 5, strides 1 and 2, dilation
  // 1 and 2, padding 0 to 4, Cin 1 to 5, Cout 4, 6, 16 and 21 (16 + 4 + 1, every SIMD path).
  ...(
    [
      ['1x1', image(1, 1, 0), [2, 5, 7, 3], 6],
      ['1x1 stride 2', image(1, 2, 0), [2, 7, 5, 5], 4],
      ['3x3 stride 2 (the stem)', image(3, 2, 1), [2, 9, 9, 1], 16],
      ['3x3', image(3, 1, 1), [2, 7, 5, 3], 6],
      ['3x3 unpadded', image(3, 1, 0), [1, 7, 6, 5], 4],
      ['3x3 padding 2', image(3, 1, 2), [1, 5, 6, 1], 21],
      ['3x3 dilation 2', image(3, 1, 2, 2), [2, 7, 8, 3], 16],
      ['3x3 dilation 2 stride 2', image(3, 2, 2, 2), [1, 9, 7, 1], 6],
      ['5x5', image(5, 1, 2), [1, 7, 9, 5], 16],
      ['5x5 stride 2 padding 1', image(5, 2, 1), [2, 9, 8, 3], 4],
      ['1x3 (1-D)', line(3, 1, 1), [2, 1, 9, 5], 6],
      ['1x1 (1-D)', line(1, 1, 0), [2, 1, 7, 3], 16],
      ['1x5 dilation 2 stride 2 (1-D)', line(5, 2, 4, 2), [2, 1, 13, 3], 4],
    ] as const
  ).map(([label, win, shape, cout]) => ({
    name: `dense conv ${label} on [${shape}] to ${cout}`,
    kind: 'dense' as const,
    shape: [...shape],
    win,
    cout,
  })),
  // Matrix products x [..., K] w [K, N] (the gradients are own kernels): K and N that are and
  // are not multiples of 4 (every SIMD path), inputs of rank 2 to 4.
  ...(
    [
      [[2, 5, 7, 16], 16],
      [[2, 6, 5, 8], 8],
      [[3, 4, 7], 21],
      [[7, 5], 3],
      [[2, 3, 3, 6], 4],
      [[9, 13], 1],
      [[1, 2, 9, 3], 17],
    ] as const
  ).map(([shape, cout]) => ({
    name: `matmulLast [${shape}] x [${shape[shape.length - 1]}, ${cout}]`,
    kind: 'matmul' as const,
    shape: [...shape],
    win: image(1, 1, 0),
    cout,
  })),
  // Factorized reduce's two paths (one 2 x 2 or 1 x 2 own convolution at stride 2).
  ...(
    [
      [[2, 6, 6, 5], 3],
      [[2, 4, 8, 16], 8],
      [[1, 8, 6, 3], 1],
      [[2, 1, 8, 3], 2],
      [[2, 1, 10, 6], 7],
    ] as const
  ).map(([shape, cout]) => ({
    name: `factorized reduce paths on [${shape}] to ${cout} + ${cout + 1}${shape[1] === 1 ? ' (1-D)' : ''}`,
    kind: 'reduce' as const,
    shape: [...shape],
    win: image(1, 1, 0),
    cout,
  })),
  ...(
    [
      ['3x3', image(3, 1, 1)],
      ['3x3 stride 2', image(3, 2, 1)],
      ['5x5', image(5, 1, 2)],
      ['5x5 stride 2', image(5, 2, 2)],
      ['3x3 dilation 2', image(3, 1, 2, 2)],
      ['5x5 dilation 2 stride 2', image(5, 2, 4, 2)],
      ['1x3 (1-D)', line(3, 1, 1)],
      ['1x5 dilation 2 stride 2 (1-D)', line(5, 2, 4, 2)],
    ] as const
  ).flatMap(([label, win]) =>
    [
      [2, 7, 5, 3],
      [2, 6, 9, 8],
      [1, 5, 5, 6],
    ].map((shape) => ({
      name: `depthwise ${label} on [${shape}]`,
      kind: 'depthwise' as const,
      shape: win.kh === 1 ? [shape[0]!, 1, shape[2]!, shape[3]!] : shape,
      win,
    })),
  ),
  ...(['max', 'avg', 'avgIncl'] as const).flatMap((kind) =>
    (
      [
        ['3x3', image(3, 1, 1), [2, 7, 5, 3]],
        ['3x3 stride 2', image(3, 2, 1), [2, 7, 6, 8]],
        ['3x3 stride 2 unpadded', image(3, 2, 0), [2, 7, 7, 5]],
        ['5x5 stride 3', image(5, 3, 2), [1, 9, 8, 6]],
        ['1x3 (1-D)', line(3, 1, 1), [2, 1, 9, 5]],
        ['1x3 stride 2 (1-D)', line(3, 2, 1), [2, 1, 8, 4]],
      ] as const
    ).map(([label, win, shape]) => ({
      name: `${kind} pool ${label} on [${shape}]`,
      kind,
      shape: [...shape],
      win,
    })),
  ),
  ...(['bn', 'bnAffine'] as const).flatMap((kind) =>
    [
      [4, 5, 3, 6],
      [3, 4, 4, 8],
      [2, 1, 7, 5],
    ].map((shape) => ({ name: `${kind} on [${shape}]`, kind, shape, win: image(1, 1, 0) })),
  ),
];

interface Arrays {
  readonly inputs: { shape: number[]; data: Float32Array }[];
  readonly probe: Float32Array;
}

function arraysFor(c: Case, seed: number): Arrays {
  const rng = new Random(seed);
  const channels = c.shape[c.shape.length - 1]!;
  const size = c.shape.reduce((a, b) => a * b, 1);
  const inputs = [{ shape: c.shape, data: kinkSafe(size, rng) }];
  if (c.kind === 'dense') {
    const shape = [c.win.kh, c.win.kw, channels, c.cout!];
    inputs.push({
      shape,
      data: rng.uniform(
        shape.reduce((a, b) => a * b, 1),
        0.5,
      ),
    });
  }
  if (c.kind === 'reduce') {
    inputs.push({ shape: [channels, c.cout!], data: rng.uniform(channels * c.cout!, 0.5) });
    inputs.push({
      shape: [channels, c.cout! + 1],
      data: rng.uniform(channels * (c.cout! + 1), 0.5),
    });
  }
  if (c.kind === 'matmul') {
    inputs.push({ shape: [channels, c.cout!], data: rng.uniform(channels * c.cout!, 0.5) });
  }
  if (c.kind === 'depthwise') {
    const shape = [c.win.kh, c.win.kw, channels, 1];
    inputs.push({ shape, data: rng.uniform(c.win.kh * c.win.kw * channels, 0.5) });
  }
  if (c.kind === 'bnAffine') {
    inputs.push({ shape: [channels], data: rng.uniform(channels, 0.5).map((v) => v + 1) });
    inputs.push({ shape: [channels], data: rng.uniform(channels, 0.5) });
  }
  return { inputs, probe: rng.uniform(size * 4 * (c.cout ?? 1), 1) };
}

/** The op of a case: the fast one, or the definition in ops.ts. */
function opOf(c: Case, fast: FastOps | null): (...t: Tensor[]) => Tensor {
  const f = fast ?? {
    denseConv,
    depthwiseConv,
    matmulLast,
    factorizedPaths,
    maxPool,
    avgPool,
    batchNormTrain,
  };
  switch (c.kind) {
    case 'reduce':
      return (x, p, q) => f.factorizedPaths(x!, p!, q!, c.shape[1] === 1);
    case 'matmul':
      return (x, w) => f.matmulLast(x!, w!);
    case 'dense':
      return (x, w) => f.denseConv(x!, w!, c.win);
    case 'depthwise':
      return (x, w) => f.depthwiseConv(x!, w!, c.win);
    case 'max':
      return (x) => f.maxPool(x!, c.win);
    case 'avg':
    case 'avgIncl':
      return (x) => f.avgPool(x!, c.win, c.kind === 'avgIncl');
    default:
      return (x, g, b) => f.batchNormTrain(x!, g, b).y;
  }
}

/** The loss sum(op · probe) of a case on the active backend, as a function of its inputs. */
function lossOf(c: Case, a: Arrays, fast: FastOps | null) {
  const op = opOf(c, fast);
  return (...t: Tensor[]) => {
    const y = op(...t);
    return tf.sum(tf.mul(y, tf.tensor(a.probe.subarray(0, y.size), y.shape)));
  };
}

function evaluate(c: Case, a: Arrays, fast: FastOps | null) {
  return tf.tidy(() => {
    const inputs = a.inputs.map((i) => tf.tensor(i.data, i.shape));
    const output = opOf(c, fast)(...inputs);
    const { grads } = tf.valueAndGrads(lossOf(c, a, fast))(inputs);
    return {
      output: output.dataSync().slice() as Float32Array,
      grads: grads.map((g) => g.dataSync().slice() as Float32Array),
    };
  });
}

function closeTo(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  const worst = Math.max(0, ...Array.from(actual, (v, i) => Math.abs(v - expected[i]!)));
  expect(worst / scale, what).toBeLessThanOrEqual(1e-4);
}

async function fastOnWasm(): Promise<FastOps> {
  await selectBackend('wasm');
  const fast = fastOps();
  if (!fast) throw new Error('the own kernels did not load on wasm');
  return fast;
}

describe('numerics/fastOps: own wasm kernels against ops.ts', () => {
  afterAll(async () => {
    setOwnKernels(true);
    await selectBackend('cpu');
  });

  it('are used on wasm only', async () => {
    await selectBackend('cpu');
    expect(fastOps()).toBeNull();
    await fastOnWasm();
    setOwnKernels(false);
    expect(fastOps()).toBeNull();
    setOwnKernels(true);
  });

  // Ties: the gradient goes to the first maximum of a window (row-major), as in PyTorch and
  // in the cpu composite; kink-safe inputs above have no ties, these have many.
  it('max pool with tied values: the gradient goes to the same (first) maximum as on cpu', async () => {
    const c = cases.find((k) => k.kind === 'max')!;
    const rng = new Random(5);
    const size = c.shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: size }, () => rng.int(3) - 1);
    const a: Arrays = { inputs: [{ shape: c.shape, data }], probe: rng.uniform(size, 1) };
    await selectBackend('cpu');
    const exact = evaluate(c, a, null);
    const fast = evaluate(c, a, await fastOnWasm());
    expect(Array.from(fast.output)).toEqual(Array.from(exact.output));
    closeTo(fast.grads[0]!, exact.grads[0]!, 'gradient');
  });

  cases.forEach((c, i) => {
    it(`${c.name}: wasm kernels equal the definition on cpu (output and gradients)`, async () => {
      const a = arraysFor(c, 100 + i);
      await selectBackend('cpu');
      const exact = evaluate(c, a, null);
      const fast = evaluate(c, a, await fastOnWasm());
      closeTo(fast.output, exact.output, 'output');
      fast.grads.forEach((g, k) => closeTo(g, exact.grads[k]!, `gradient ${k}`));
    });

    it(`${c.name}: wasm kernel gradients equal central finite differences`, async () => {
      const a = arraysFor(c, 100 + i);
      const fast = await fastOnWasm();
      const { grads } = evaluate(c, a, fast);
      const loss = lossOf(c, a, fast);
      const h = 1e-2;
      a.inputs.forEach((input, t) => {
        const picks = Array.from({ length: 6 }, (_, k) => Math.floor((k * input.data.length) / 6));
        for (const index of picks) {
          const at = (delta: number) =>
            tf.tidy(() => {
              const args = a.inputs.map((x, u) => {
                const data = Float32Array.from(x.data);
                if (u === t) data[index]! += delta;
                return tf.tensor(data, x.shape);
              });
              return loss(...args).dataSync()[0]!;
            });
          const fd = (at(h) - at(-h)) / (2 * h);
          const g = grads[t]![index]!;
          expect(Math.abs(g - fd), `input ${t}[${index}]: ${g} vs ${fd}`).toBeLessThanOrEqual(
            3e-3 + 1e-2 * Math.abs(fd),
          );
        }
      });
    });
  });
});
