import { describe, expect, it } from 'vitest';

import {
  identityPreprocessing,
  preprocessBatch,
  preprocessSample,
  type Preprocessing,
} from '../../src/intrinsics/preprocessing.js';

const f32 = (values: number[]) => Array.from(Float32Array.from(values));

const table: Preprocessing = {
  input: { kind: 'table', columns: ['a', 'b c', 'd'] },
  steps: [{ kind: 'scale', mean: [1, -2, 5], std: [2, 0.5, 0] }],
};

describe('preprocessing: apply', () => {
  it('scales by one mean and std for all values (MNIST)', () => {
    const mnist: Preprocessing = {
      input: { kind: 'tensor', shape: [2, 2, 1] },
      steps: [{ kind: 'scale', mean: 0.1307, std: 0.3081 }],
    };
    expect(Array.from(preprocessSample(mnist, [0, 1, 0.5, 0.1307]))).toEqual(
      f32([-0.1307 / 0.3081, 0.8693 / 0.3081, 0.3693 / 0.3081, 0]),
    );
  });

  it('scales table columns by their own constants, a constant column (std 0) to 0', () => {
    // (3 - 1) / 2 = 1, (-1 - -2) / 0.5 = 2, std 0 gives 0 whatever the value.
    expect(Array.from(preprocessSample(table, [3, -1, 42]))).toEqual([1, 2, 0]);
    expect(Array.from(preprocessSample(table, { d: 7, 'b c': -2, a: 0, label: 'x' }))).toEqual([
      -0.5, 0, 0,
    ]);
  });

  it('cycles a list of constants over the values: one per channel, channels last', () => {
    const rgb: Preprocessing = {
      input: { kind: 'tensor', shape: [1, 2, 3] },
      steps: [{ kind: 'scale', mean: [0, 10, 100], std: [1, 2, 4] }],
    };
    expect(
      Array.from(
        preprocessSample(rgb, [
          [
            [1, 12, 104],
            [2, 14, 108],
          ],
        ]),
      ),
    ).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('pads token lists with the padding id, and cuts long ones', () => {
    const tokens: Preprocessing = {
      input: { kind: 'tokens' },
      steps: [{ kind: 'pad', length: 4, value: 0 }],
    };
    expect(Array.from(preprocessBatch(tokens, [[5, 6], [1, 2, 3, 4, 9], []], [4]))).toEqual([
      5, 6, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0,
    ]);
  });

  it('takes a batch as samples, nested arrays, or one flat typed array', () => {
    const id = identityPreprocessing({ layout: 'Img', dims: [2, 1, 1] });
    const expected = [1, 2, 3, 4];
    expect(
      Array.from(
        preprocessBatch(
          id,
          [
            [1, 2],
            [[[3]], [[4]]],
          ],
          [2, 1, 1],
        ),
      ),
    ).toEqual(expected);
    expect(Array.from(preprocessBatch(id, Uint8Array.from(expected), [2, 1, 1]))).toEqual(expected);
    expect(
      Array.from(preprocessBatch(table, Float64Array.from([3, -1, 0, 1, -2, 0]), [3])),
    ).toEqual([1, 2, 0, 0, 0, 0]);
  });

  it('names the sample and the column of a value it cannot take', () => {
    const fail = (p: Preprocessing, samples: unknown, shape: number[]) => {
      try {
        preprocessBatch(p, samples as never, shape);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    const id = identityPreprocessing({ layout: 'Vec', dims: [2] });
    expect(fail(table, [[1, 2, 3], { a: 1, d: 2 }], [3])).toBe('sample 1: no column "b c"');
    expect(fail(table, [{ a: 1, 'b c': '2', d: 3 }], [3])).toBe(
      'sample 0: column "b c": expected a finite number, found "2"',
    );
    expect(fail(id, [[1, NaN]], [2])).toBe(
      'sample 0: value 1: expected a finite number, found NaN',
    );
    expect(fail(id, [[1, 2, 3]], [2])).toBe('sample 0: expected 2 values, found 3');
    expect(fail(id, [1, 2], [2])).toBe('sample 0: expected an array of values');
    expect(fail(id, Float32Array.from([1, 2, 3]), [2])).toBe('3 values are not whole samples of 2');
  });
});
