import { afterAll, describe, expect, it } from 'vitest';

import { kernels, type Kernel } from '../../../src/backends/tfjs/kernels.js';
import { selectBackend, tf } from '../../../src/numerics/tf.js';
import type { Attrs, IntrinsicName } from '../../../src/intrinsics/registry.js';
import { intrinsicNames } from '../../../src/intrinsics/registry.js';
import type { TensorShape } from '../../../src/intrinsics/tensorType.js';
import { evaluate, lossAt, makeCase, opNode, type Case } from '../../helpers/kernels.js';

/**
 * Every intrinsic, with every attribute combination the standard library uses (strides 1
 * and 2, dilations 1 and 2, kernels 1/3/5/7, 1-D and 2-D): the analytic gradient against
 * central finite differences on `cpu` in float32, and `wasm` against `cpu`.
 *
 * Tolerance of the finite differences: step h = 1e-2. The losses are sums of at most a few
 * hundred float32 products of size about 1, so each evaluation is off by about 1e-5, which
 * the division by 2h turns into 5e-4; the truncation error h²·f'''/6 is below 1e-4 for
 * these (piecewise polynomial, or batch-norm) ops, and inputs are spaced 0.037 apart and
 * 0.0185 from 0 so no ReLU kink or max-pool argmax is crossed. Hence |g − fd| ≤ 3e-3 +
 * 1e-2·|fd|. wasm against cpu, single ops: ≤ 1e-4 relative to the largest value (wasm sums
 * in float32 sequentially; at these sizes that stays near 1e-6).
 */

const img = (h: number, w: number, c: number): TensorShape => ({ layout: 'Img', dims: [h, w, c] });
const seq = (l: number, c: number): TensorShape => ({ layout: 'Seq', dims: [l, c] });
const vec = (c: number): TensorShape => ({ layout: 'Vec', dims: [c] });

let seed = 1;
function c(
  op: IntrinsicName,
  input: TensorShape,
  attrs: Attrs = {},
  extra: { affine?: boolean; count?: number; ids?: number; batch?: number } = {},
): Case {
  const node = opNode(op, input, attrs as Attrs, extra.affine ?? true);
  const label = `${op} ${input.layout}[${input.dims}] ${JSON.stringify(attrs)}${extra.affine === false ? ' non-affine' : ''}`;
  const batch = extra.batch ?? 2;
  return makeCase(label, node, [batch, ...input.dims], seed++, extra.ids, extra.count);
}

const cases: Case[] = [
  // dense convolutions: the stem (3x3), the aux head (1x1 and 2x2), P3B5's conv1d and convblock_7
  c('conv2d', img(6, 6, 3), { out: 4, kernel: 3, padding: 1 }),
  c('conv2d', img(6, 6, 3), { out: 4, kernel: 3, stride: 2, padding: 1 }),
  c('conv2d', img(5, 5, 3), { out: 4, kernel: 1 }),
  c('conv2d', img(2, 2, 3), { out: 4, kernel: 2 }),
  c('conv2d', img(6, 6, 2), { out: 3, kernel: 3, padding: 2, dilation: 2, bias: true }),
  c('conv1d', seq(8, 3), { out: 4, kernel: 3, padding: 1 }),
  c('conv1d', seq(8, 3), { out: 4, kernel: 7, padding: 3 }),
  c('conv1d', seq(8, 3), { out: 4, kernel: 3, stride: 2, padding: 1, bias: true }),
  // depthwise convolutions of sep_conv 3/5/7 and dil_conv 3/5, at stride 1 and 2
  ...(
    [
      { kernel: 3, padding: 1 },
      { kernel: 5, padding: 2 },
      { kernel: 7, padding: 3 },
      { kernel: 3, padding: 2, dilation: 2 },
      { kernel: 5, padding: 4, dilation: 2 },
    ] as Record<string, number>[]
  ).flatMap((a) =>
    [1, 2].flatMap((stride) => [
      c('depthwise_conv2d', img(6, 6, 3), { ...a, stride }),
      c('depthwise_conv1d', seq(8, 3), { ...a, stride }),
    ]),
  ),
  c('pointwise_conv', img(4, 4, 3), { out: 5 }),
  c('pointwise_conv', seq(6, 3), { out: 2 }),
  // pools of the DARTS candidates (padding 1, stride 1 and 2) and of the aux head (5, stride 3)
  ...[1, 2].flatMap((stride) => [
    c('max_pool', img(6, 6, 3), { kernel: 3, stride, padding: 1 }),
    c('max_pool', seq(8, 3), { kernel: 3, stride, padding: 1 }),
    c('avg_pool', img(6, 6, 3), { kernel: 3, stride, padding: 1 }),
    c('avg_pool', seq(8, 3), { kernel: 3, stride, padding: 1 }),
  ]),
  c('avg_pool', img(6, 6, 3), { kernel: 3, padding: 1, count_include_pad: true }),
  c('avg_pool', img(8, 8, 2), { kernel: 5, stride: 3 }),
  // batch norm: affine (derived networks, stems) and not (search cells), on every layout
  c('batch_norm', img(4, 4, 3), {}, { affine: true }),
  c('batch_norm', img(4, 4, 3), {}, { affine: false }),
  c('batch_norm', seq(6, 3), { affine: true }),
  // A batch of 2 would leave two values per channel, which normalise to ±1: degenerate.
  c('batch_norm', vec(5), {}, { affine: false, batch: 8 }),
  c('relu', img(4, 4, 3)),
  c('dense', vec(5), { out: 3 }),
  c('dense', vec(5), { out: 3, bias: false }),
  c('dropout', vec(20), { rate: 0.5 }),
  c('identity', seq(6, 3)),
  c('factorized_reduce', img(6, 6, 3), { out: 4 }, { affine: true }),
  c('factorized_reduce', img(6, 6, 3), { out: 4 }, { affine: false }),
  c('factorized_reduce', seq(8, 3), { out: 4 }, { affine: true }),
  c('concat', img(3, 3, 2), {}, { count: 3 }),
  c('add', seq(4, 3), {}, { count: 2 }),
  c('global_avg_pool', img(4, 4, 3)),
  c('global_avg_pool', seq(6, 3)),
  c('embedding', { layout: 'Tokens', dims: [5] }, { vocab: 7, dim: 4 }, { ids: 7 }),
  c('flatten', img(3, 3, 2)),
  c('channel_slice', img(3, 3, 8), { start: 2, size: 4 }),
  c('channel_slice', seq(4, 6), { start: 0, size: 3 }),
  c('channel_shuffle', img(3, 3, 8), { groups: 4 }),
  c('channel_shuffle', seq(4, 6), { groups: 2 }),
];

const h = 1e-2;

describe('backends/tfjs: kernel gradients', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it('has a case for every intrinsic', () => {
    const covered = new Set([...cases.map((k) => k.node.op), 'zero']);
    expect(intrinsicNames.filter((n) => !covered.has(n))).toEqual([]);
  });

  // `zero` does not depend on its input, so there is no gradient to check: only its value.
  it('zero gives zeros of the strided shape on both backends', async () => {
    const node = opNode('zero', img(5, 5, 3), { stride: 2 });
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend);
      const x = tf.ones([2, 5, 5, 3]);
      const zero: Kernel = kernels.zero;
      const y = zero([x], [], node, { training: true, seed: () => 0 });
      expect(y.shape).toEqual([2, 3, 3, 3]);
      expect(Array.from(y.dataSync()).every((v) => v === 0)).toBe(true);
      tf.dispose([x, y]);
    }
  });

  for (const k of cases) {
    it(`${k.name}: gradient equals central finite differences on cpu`, async () => {
      const exact = await evaluate(k, 'cpu');
      exact.targets.forEach((values, t) => {
        const picks = Array.from({ length: Math.min(8, values.length) }, (_, i) =>
          Math.floor((i * values.length) / Math.min(8, values.length)),
        );
        for (const index of picks) {
          const at = (delta: number) => {
            const arrays = exact.targets.map((v) => Float32Array.from(v));
            arrays[t]![index]! += delta;
            return lossAt(k, arrays);
          };
          const fd = (at(h) - at(-h)) / (2 * h);
          const g = exact.grads[t]![index]!;
          expect(
            Math.abs(g - fd),
            `target ${t}[${index}]: analytic ${g}, finite difference ${fd}`,
          ).toBeLessThanOrEqual(3e-3 + 1e-2 * Math.abs(fd));
        }
      });
    });

    it(`${k.name}: wasm agrees with cpu (output and gradients)`, async () => {
      const cpu = await evaluate(k, 'cpu');
      const wasm = await evaluate(k, 'wasm');
      const close = (a: Float32Array, b: Float32Array, what: string) => {
        const scale = Math.max(1, ...Array.from(b, Math.abs));
        const worst = Math.max(0, ...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
        expect(worst / scale, what).toBeLessThanOrEqual(1e-4);
      };
      close(wasm.output, cpu.output, 'output');
      wasm.grads.forEach((g, i) => close(g, cpu.grads[i]!, `gradient ${i}`));
    });
  }
});

describe('backends/tfjs: the PC-DARTS channel shuffle', () => {
  it('is the permutation of the reference (view, transpose(1, 2), view on NCHW)', async () => {
    await selectBackend('cpu');
    // Channel c of 12 holds the value c: after the shuffle with 4 groups of 3, position
    // i·4 + g holds channel g·3 + i.
    const x = tf.tensor(
      Array.from({ length: 2 * 12 }, (_, k) => k % 12),
      [1, 2, 12],
    );
    const node = opNode('channel_shuffle', seq(2, 12), { groups: 4 } as Attrs);
    const out = Array.from(kernels.channel_shuffle([x], [], node).dataSync());
    const expected = Array.from({ length: 12 }, (_, p) => (p % 4) * 3 + Math.floor(p / 4));
    expect(out.slice(0, 12)).toEqual(expected);
    expect([...expected].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, k) => k));
  });
});
