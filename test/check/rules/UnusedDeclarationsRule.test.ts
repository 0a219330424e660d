import { describe, expect, it } from 'vitest';

import { dedent, expectDiagnostics } from '../../helpers/host.js';

const network = dedent`
  import std.ops2d
  cell A(C: int) { ops [none, sep_conv_3x3] nodes 1 }
  space S(C: int = 4) : Img[8, 8, 3] -> Logits[2] {
    cells stack(1, normal: A)
    head  global_avg_pool >> dense(2)
  }
`;

describe('check: UnusedDeclarationsRule', () => {
  it('accepts a network whose declarations are all used', () => {
    expect(expectDiagnostics(network)).toEqual([]);
  });

  it('warns about a primitive, a cell and a let that nothing uses', () => {
    const text = `${network}primitive forgotten(C: int) = relu\ncell Spare(C: int) { ops [none] nodes 1 }\nlet unused = 3\n`;
    expect(expectDiagnostics(text).map((d) => `${d.code} ${d.message}`)).toEqual([
      'W0203 primitive `forgotten` is never used',
      'W0203 cell `Spare` is never used',
      'W0203 `let` `unused` is never used',
    ]);
  });

  it('does not warn in a library file, which only declares', () => {
    expect(expectDiagnostics('primitive lonely(C: int) = relu')).toEqual([]);
  });
});
