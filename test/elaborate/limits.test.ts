import { describe, expect, it } from 'vitest';

import { elaborationLimits } from '../../src/elaborate/limits.js';
import { checkSource } from '../helpers/host.js';

/**
 * Hostile networks found by a tester (issue 13): `stack` of 1e9 layers and `nodes 2000` hung
 * while memory grew past gigabytes, primitives that double 20 times overflowed the stack, and
 * `C = 1e8` printed a parameter count beyond 2^53 without a word. Each is now one diagnostic,
 * within a time limit.
 */

interface Net {
  readonly nodes?: string;
  readonly stack?: string;
  readonly C?: string;
  readonly ops?: string;
  readonly before?: string;
  readonly cellExtra?: string;
}

const network = (n: Net = {}) => `import std.ops2d
${n.before ?? ''}
cell Tiny(C: int) {
  ops    ${n.ops ?? '[none, max_pool_3x3, skip_connect, sep_conv_3x3]'}
  nodes  ${n.nodes ?? '2'}
${n.cellExtra ?? ''}}

space TinyNet(C: int = ${n.C ?? '4'}) : Img[8, 8, 3] -> Logits[2] {
  stem  conv2d(2 * C, 3, padding: 1) >> batch_norm(affine: true)
  cells stack(${n.stack ?? '2'}, normal: Tiny)
  head  global_avg_pool >> dense(2)
}
`;

const diagnostics = (text: string) =>
  checkSource(text).diagnostics.map((d) => ({ code: d.code, message: d.message }));
const codes = (text: string) => diagnostics(text).map((d) => d.code);

/** p0 = relu, p_i = p_{i-1} >> p_{i-1}: p_n is 2^n ops. */
const doubling = (n: number) =>
  'primitive p0(C: int) : Img[h, w, C] -> Img[h, w, C] = relu\n' +
  Array.from(
    { length: n },
    (_, i) => `primitive p${i + 1}(C: int) : Img[h, w, C] -> Img[h, w, C] = p${i}(C) >> p${i}(C)\n`,
  ).join('');

describe('elaborate: limits on hostile networks (issue 13)', () => {
  const fast = { timeout: 10_000 };

  it('refuses a stack of 1e9 cells at its count (E0415)', fast, () => {
    expect(diagnostics(network({ stack: '1000000000' }))).toEqual([
      { code: 'E0415', message: '`stack` of 1000000000 cells, more than the limit of 1000' },
    ]);
  });

  it('refuses `nodes 2000`, and 65 `node` declarations (E0414)', fast, () => {
    expect(codes(network({ nodes: '2000' }))).toEqual(['E0414']);
    const declared = Array.from({ length: 65 }, (_, i) => `  node m${i} from s0, s1\n`).join('');
    expect(codes(network({ nodes: '0 + 1', cellExtra: declared }))).toEqual(['E0414']);
  });

  it('refuses primitives that double 20 times, without a stack overflow (E0416)', fast, () => {
    const started = performance.now();
    const text = network({ before: doubling(20), ops: '[none, p20]' });
    expect(diagnostics(text)).toEqual([
      { code: 'E0416', message: 'the network expands to more than 100,000 intrinsic ops' },
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses C = 1e8, whose parameter count is beyond 2^53 (E0417)', fast, () => {
    expect(diagnostics(network({ C: '100000000' }))).toEqual([
      {
        code: 'E0417',
        message:
          'space `TinyNet` has about 2.8e+17 trainable parameters, more than the limit of 10,000,000,000',
      },
    ]);
  });

  it('refuses chains of 3,000 lets and 2,000 primitives (E0418)', fast, () => {
    const lets =
      'let A0 = 1\n' +
      Array.from({ length: 3000 }, (_, i) => `let A${i + 1} = A${i} + 1\n`).join('');
    expect(codes(network({ before: lets, C: 'A3000' }))).toEqual(['E0418']);
    const prims =
      'primitive q0(C: int) : Img[h, w, C] -> Img[h, w, C] = relu\n' +
      Array.from(
        { length: 2000 },
        (_, i) => `primitive q${i + 1}(C: int) : Img[h, w, C] -> Img[h, w, C] = q${i}(C)\n`,
      ).join('');
    expect(codes(network({ before: prims, ops: '[none, q2000]' }))).toEqual(['E0418']);
  });
});

describe('elaborate: networks at the limits still compile', () => {
  it(`elaborates a cell of ${elaborationLimits.nodes} nodes`, () => {
    expect(codes(network({ nodes: String(elaborationLimits.nodes) }))).toEqual([]);
  });

  it('elaborates primitives that double 12 times (4,096 ops on each of 10 edges)', () => {
    expect(codes(network({ before: doubling(12), ops: '[none, p12]' }))).toEqual([]);
  });

  it('elaborates chains of 90 lets and 90 primitives', () => {
    const lets =
      'let A0 = 1\n' + Array.from({ length: 90 }, (_, i) => `let A${i + 1} = A${i} + 1\n`).join('');
    const prims =
      'primitive q0(C: int) : Img[h, w, C] -> Img[h, w, C] = relu\n' +
      Array.from(
        { length: 90 },
        (_, i) => `primitive q${i + 1}(C: int) : Img[h, w, C] -> Img[h, w, C] = q${i}(C)\n`,
      ).join('');
    expect(codes(network({ before: lets + prims, C: 'A90 - 86', ops: '[none, q90]' }))).toEqual([]);
  });
});
