import { describe, expect, it } from 'vitest';

import { expectDiagnostics } from '../../helpers/host.js';

const codes = (text: string) =>
  expectDiagnostics(text).map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);

describe('check: ShadowingRule', () => {
  it('accepts distinct names', () => {
    expect(codes('primitive my_relu(C: int) = relu\nlet width = 4')).toEqual([]);
  });

  it('warns when a declaration hides an intrinsic op', () => {
    expect(codes('primitive relu = identity')).toEqual([
      '1:11 W0202 `relu` shadows the intrinsic op `relu`',
    ]);
  });

  it('warns when a declaration hides an imported one', () => {
    expect(
      codes('import std.ops2d\nprimitive none = identity\nlet x = [none, skip_connect]'),
    ).toEqual(['2:11 W0202 `none` shadows the declaration imported from `std.ops2d`']);
  });

  it('warns when a parameter hides a declaration of the file', () => {
    expect(codes('let width = 4\nprimitive p(width: int) = relu')).toEqual([
      '2:13 W0202 `width` shadows the declaration `width` of this file',
    ]);
  });
});
