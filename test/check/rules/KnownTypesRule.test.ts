import { describe, expect, it } from 'vitest';

import { expectDiagnostics } from '../../helpers/host.js';

describe('check: KnownTypesRule', () => {
  it('accepts every tensor type and parameter type', () => {
    const text =
      'primitive p(a: int, b: float, c: bool, d: string) : (Vec[a], Seq[a, a], Img[a, a, a], Tokens[a]) -> Logits[a] = relu';
    expect(expectDiagnostics(text)).toEqual([]);
  });

  it('suggests a tensor type for a typo', () => {
    expect(expectDiagnostics('primitive p : Imgg[1, 1, 1] -> Img[1, 1, 1] = relu')).toEqual([
      { code: 'E0211', message: 'unknown tensor type `Imgg`', line: 1, column: 15 },
    ]);
  });

  it('reports an unknown parameter type', () => {
    expect(expectDiagnostics('primitive p(C: integer) = relu')).toEqual([
      { code: 'E0212', message: 'unknown parameter type `integer`', line: 1, column: 16 },
    ]);
  });
});

describe('check: KnownTypesRule dimension counts', () => {
  it('reports a tensor type with the wrong number of dimensions', () => {
    expect(expectDiagnostics('primitive p : Img[28, 28] -> Img[28, 28, 1] = relu')).toEqual([
      { code: 'E0301', message: '`Img` takes 3 dimensions, found 2', line: 1, column: 15 },
    ]);
    expect(
      expectDiagnostics('primitive p : Seq[28, 28, 1] -> Seq[1, 1] = relu').map((d) => d.code),
    ).toEqual(['E0301']);
  });
});
