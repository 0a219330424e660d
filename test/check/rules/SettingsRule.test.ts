import { describe, expect, it } from 'vitest';

import { expectDiagnostics } from '../../helpers/host.js';

describe('check: SettingsRule', () => {
  it('accepts a search block with every setting', () => {
    const text = `space S(C: int = 4) : Img[8, 8, 3] -> Logits[2] { cells stack(1, normal: A) head global_avg_pool >> dense(2) }
cell A(C: int) { ops [relu] nodes 1 }
search {
  space S data synthetic() split 0.5 epochs 1 batch 8 seed 1
  weights sgd(lr: 0.1) arch adam() order first init zeros
}`;
    expect(expectDiagnostics(text)).toEqual([]);
  });

  it('reports an unknown setting with a suggestion', () => {
    const d = expectDiagnostics(
      'search { space S data synthetic() epoch 10 }\nspace S { cells 1 head 1 }',
    );
    expect(d).toContainEqual({
      code: 'E0206',
      message: 'unknown setting `epoch` in this search block',
      line: 1,
      column: 35,
    });
  });

  it('reports a setting given twice', () => {
    const d = expectDiagnostics('genotype G { normal [] normal [] }');
    expect(d).toEqual([
      { code: 'E0207', message: 'setting `normal` is given more than once', line: 1, column: 24 },
    ]);
  });

  it('reports missing required settings at the opening brace', () => {
    expect(expectDiagnostics('cell A(C: int) { keep 2 }')).toEqual([
      { code: 'E0208', message: 'cell `A` has no `ops` setting', line: 1, column: 16 },
      { code: 'E0208', message: 'cell `A` has no `nodes` setting', line: 1, column: 16 },
    ]);
  });

  it('accepts explicit node declarations instead of `nodes`', () => {
    expect(expectDiagnostics('cell A(C: int) { ops [relu] node a from s0, s1 }')).toEqual([]);
  });

  it('reports a node declaration outside a cell', () => {
    const d = expectDiagnostics('genotype G { node a from s0 }');
    expect(d.map((x) => x.code)).toEqual(['E0216']);
  });
});
