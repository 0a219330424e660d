import { describe, expect, it } from 'vitest';

import { expectDiagnostics } from '../../helpers/host.js';

const codes = (text: string) =>
  expectDiagnostics(text).map((d) => `${d.line}:${d.column} ${d.code}`);

describe('check: CellStatesRule', () => {
  it('accepts nodes that read inputs and earlier nodes', () => {
    expect(
      codes(
        'cell A(C: int) { ops [relu] node a from s0, s1 node b from a, s1 output concat(a, b) }',
      ),
    ).toEqual([]);
  });

  it('uses the signature labels as input names', () => {
    expect(
      codes('cell A(C: int) : (x: Vec[C]) -> Vec[C] { ops [relu] node a from x output a }'),
    ).toEqual([]);
  });

  it('reports a node that reads a later or unknown state', () => {
    expect(codes('cell A(C: int) { ops [relu] node a from b node b from s0 }')).toEqual([
      '1:41 E0201',
    ]);
  });

  it('reports a state defined twice', () => {
    expect(codes('cell A(C: int) { ops [relu] node a from s0 node a from s1 }')).toEqual([
      '1:49 E0214',
    ]);
    expect(codes('cell A(C: int) { ops [relu] node s0 from s1 }')).toEqual(['1:34 E0214']);
    expect(
      codes('cell A(C: int) : (x: Vec[C], x: Vec[C]) -> Vec[C] { ops [relu] node a from x }'),
    ).toEqual(['1:30 E0214']);
  });
});
