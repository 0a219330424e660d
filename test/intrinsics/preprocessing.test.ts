import { describe, expect, it } from 'vitest';

import {
  classesOf,
  identityPreprocessing,
  isPreprocessing,
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

describe('preprocessing: categories and windows', () => {
  const encoded: Preprocessing = {
    input: { kind: 'table', columns: ['x', 'kind', 'n'] },
    steps: [
      { kind: 'encode', column: 'kind', as: 'onehot', categories: ['rain', 'sun', 'fog'] },
      { kind: 'encode', column: 'n', as: 'index', categories: [4, 6, 8] },
      { kind: 'scale', mean: [1, 0, 0, 0, 1], std: [2, 1, 1, 1, 0.5] },
    ],
  };

  it('one-hot encodes in place and indexes by category, numbers by value, before scaling', () => {
    // x: (5 - 1) / 2 = 2; kind "sun" → 0 1 0; n 8 is category 2: (2 - 1) / 0.5 = 2.
    expect(Array.from(preprocessSample(encoded, { n: 8, kind: ' sun ', x: 5 }))).toEqual([
      2, 0, 1, 0, 2,
    ]);
    expect(Array.from(preprocessSample(encoded, [1, 'fog', '4.0']))).toEqual([0, 0, 0, 1, -2]);
  });

  it('names the column and its categories for a value it has not seen', () => {
    expect(() => preprocessBatch(encoded, [{ x: 1, kind: 'snow', n: 4 }], [5])).toThrow(
      'sample 0: column "kind": "snow" is not one of its categories (rain, sun, fog)',
    );
  });

  it('takes a window as rows, oldest first, each encoded and scaled', () => {
    const window: Preprocessing = { ...encoded, input: { ...encoded.input, rows: 2 } as never };
    const rows = [
      { x: 1, kind: 'rain', n: 4 },
      { x: 3, kind: 'sun', n: 6 },
    ];
    expect(Array.from(preprocessBatch(window, [rows], [2, 5]))).toEqual([
      0, 1, 0, 0, -2, 1, 0, 1, 0, 0,
    ]);
    // Flat: every value of every row, one sample after another (numbers only).
    const numeric: Preprocessing = {
      input: { kind: 'table', columns: ['x', 'n'], rows: 2 },
      steps: [{ kind: 'encode', column: 'n', as: 'index', categories: [4, 6, 8] }],
    };
    expect(
      Array.from(preprocessBatch(numeric, Float64Array.from([1, 4, 3, 8, 5, 6, 7, 4]), [2, 2])),
    ).toEqual([1, 0, 3, 2, 5, 1, 7, 0]);
    expect(() => preprocessBatch(window, [rows.slice(0, 1)], [2, 5])).toThrow(
      'sample 0: expected an array of 2 rows (a window), oldest first',
    );
    expect(() => preprocessBatch(window, [[rows[0]!, { x: 1 }]], [2, 5])).toThrow(
      'sample 0: row 1: no column "kind"',
    );
  });
});

describe('preprocessing: read back and labels', () => {
  it('accepts what it can apply, with labels, and refuses unknown steps, inputs and labels', () => {
    const p = { input: { kind: 'table', columns: ['a'], rows: 3 }, steps: [], labels: ['x'] };
    expect(isPreprocessing(p)).toBe(true);
    const encode = { kind: 'encode', column: 'a', as: 'onehot', categories: ['u', 2] };
    expect(isPreprocessing({ ...p, steps: [encode] })).toBe(true);
    expect(isPreprocessing({ ...p, steps: [{ ...encode, as: 'hash' }] })).toBe(false);
    expect(isPreprocessing({ ...p, steps: [{ ...encode, categories: [null] }] })).toBe(false);
    expect(isPreprocessing({ ...p, labels: [1, 2] })).toBe(false);
    expect(isPreprocessing({ ...p, input: { ...p.input, rows: 0 } })).toBe(false);
    expect(isPreprocessing({ ...p, steps: [{ kind: 'fft' }] })).toBe(false);
  });

  it('names the class of each row of logits by its label, or its index without labels', () => {
    const logits = [
      [0.1, 2, -1],
      [3, 2, 1],
      [0, 0, 5],
    ];
    expect(classesOf({ ...table, labels: ['a', 'b', 'c'] }, logits)).toEqual(['b', 'a', 'c']);
    expect(classesOf(table, logits)).toEqual(['1', '0', '2']);
  });
});
