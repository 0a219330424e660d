import { describe, expect, it } from 'vitest';

import { dedent, expectDiagnostics } from '../../helpers/host.js';

describe('check: KnownNamesRule', () => {
  it('resolves intrinsics, parameters, imports, qualified names and setting words', () => {
    const text = dedent`
      import std.ops2d
      import std.ops1d as one
      primitive p(C: int) : Img[h, w, C] -> Img[h, w, C] = relu >> conv2d(C, 3, padding: 1)
      let ops = [sep_conv_3x3, p]
      genotype G { normal [(one.sep_conv_3, 0)] }
      search { space S data mnist() order second weights sgd(lr: cosine(0.1)) }
      space S(C: int = 4) : Img[28, 28, 1] -> Logits[10] { cells stack(1, normal: A) head global_avg_pool >> dense(10) }
      cell A(C: int) { ops ops nodes 2 output concat(nodes) }
    `;
    expect(expectDiagnostics(text)).toEqual([]);
  });

  it('suggests the closest name for a typo', () => {
    const diagnostics = expectDiagnostics('import std.ops2d\nlet ops = [sep_conv_3x4]');
    expect(diagnostics).toEqual([
      {
        code: 'E0201',
        message: 'cannot find name `sep_conv_3x4` in this scope',
        line: 2,
        column: 12,
      },
    ]);
  });

  it('does not let a setting word leak into other settings', () => {
    const text = 'search { space second data mnist() }';
    expect(expectDiagnostics(text).map((d) => d.code)).toEqual(['E0201']);
  });

  it('reports a name imported from two modules as ambiguous', () => {
    const text = 'import std.ops1d\nimport std.ops2d\nlet x = [none]';
    expect(expectDiagnostics(text)).toEqual([
      {
        code: 'E0209',
        message: '`none` is ambiguous: both `std.ops1d` and `std.ops2d` declare it',
        line: 3,
        column: 10,
      },
    ]);
    expect(
      expectDiagnostics('import std.ops1d\nimport std.ops2d\nlet x = [ops2d.none, ops1d.none]'),
    ).toEqual([]);
  });

  it('reports an unknown member of a qualified name', () => {
    expect(
      expectDiagnostics('import std.ops2d\nlet x = ops2d.sep_conv_9x9').map((d) => d.code),
    ).toEqual(['E0201']);
  });

  it('binds unknown names inside tensor types as dimension variables', () => {
    expect(
      expectDiagnostics('primitive p : Img[height, width, c] -> Img[height, width, c] = relu'),
    ).toEqual([]);
  });
});
