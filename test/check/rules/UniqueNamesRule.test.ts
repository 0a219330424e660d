import { describe, expect, it } from 'vitest';

import { dedent, expectDiagnostics } from '../../helpers/host.js';

describe('check: UniqueNamesRule', () => {
  it('accepts distinct declaration and parameter names', () => {
    expect(expectDiagnostics('let a = 1\nlet b = 2\nprimitive p(C: int, k: int) = relu')).toEqual(
      [],
    );
  });

  it('reports a declaration declared twice, at the second one', () => {
    expect(expectDiagnostics('let a = 1\nprimitive a = relu')).toEqual([
      { code: 'E0202', message: '`a` is declared more than once', line: 2, column: 11 },
    ]);
  });

  it('reports a duplicate parameter', () => {
    expect(expectDiagnostics('primitive p(C: int, C: int) = relu')).toEqual([
      { code: 'E0205', message: 'parameter `C` is declared more than once', line: 1, column: 21 },
    ]);
  });

  it('does not count unnamed search blocks as duplicates', () => {
    const text = dedent`
      space S(C: int = 4) : Img[8, 8, 3] -> Logits[2] { cells stack(1, normal: A) head global_avg_pool >> dense(2) }
      cell A(C: int) { ops [relu] nodes 1 }
      search { space S data synthetic() }
      search { space S data synthetic() }
    `;
    expect(expectDiagnostics(text)).toEqual([]);
  });
});
