import { describe, expect, it } from 'vitest';

import { expectDiagnostics } from '../../helpers/host.js';

const codes = (text: string) => expectDiagnostics(text).map((d) => `${d.code} ${d.message}`);

describe('check: ArgumentsRule', () => {
  it('accepts positional then named arguments within the parameters', () => {
    expect(codes('let x = conv2d(8, 3, stride: 2, padding: 1)')).toEqual([]);
  });

  it('reports an unknown named argument with a suggestion', () => {
    expect(codes('let x = conv2d(8, 3, strides: 2)')).toEqual([
      'E0215 `conv2d` has no parameter named `strides`',
    ]);
  });

  it('reports a named argument given twice, or also given positionally', () => {
    expect(codes('let x = conv2d(8, 3, stride: 1, stride: 2)')).toEqual([
      'E0218 argument `stride` is given more than once',
    ]);
    expect(codes('let x = conv2d(8, 3, out: 4)')).toEqual([
      'E0218 argument `out` is given more than once',
    ]);
  });

  it('reports a positional argument after a named one', () => {
    expect(codes('let x = conv2d(out: 8, 3)')).toContain(
      'E0219 a positional argument cannot follow a named argument',
    );
  });

  it('reports too many arguments and missing required ones', () => {
    expect(codes('let x = relu(1)')).toEqual(['E0220 `relu` takes 0 arguments, found 1']);
    expect(codes('let x = conv2d(8)')).toEqual(['E0221 `conv2d` needs an argument for `kernel`']);
  });

  it('checks calls of user declarations against their parameters', () => {
    expect(codes('primitive p(C: int, k: int = 3) = relu\nlet x = p(k: 5)')).toEqual([
      'E0221 `p` needs an argument for `C`',
    ]);
  });

  it('accepts any number of states in concat', () => {
    expect(codes('cell A(C: int) { ops [relu] nodes 3 output concat(n0, n1, n2) }')).toEqual([]);
  });
});
