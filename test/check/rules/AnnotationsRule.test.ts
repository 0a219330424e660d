import { describe, expect, it } from 'vitest';

import { expectDiagnostics } from '../../helpers/host.js';

describe('check: AnnotationsRule', () => {
  it('accepts the declared annotations on primitives', () => {
    expect(
      expectDiagnostics('@excluded_from_genotype\n@bn_after_in_search\nprimitive p = zero'),
    ).toEqual([]);
  });

  it('reports an unknown annotation with a suggestion', () => {
    expect(expectDiagnostics('@excluded\nprimitive p = zero')).toEqual([
      { code: 'E0213', message: 'unknown annotation `@excluded`', line: 1, column: 1 },
    ]);
  });

  it('reports an annotation on anything but a primitive', () => {
    expect(expectDiagnostics('@excluded_from_genotype\nlet x = 1')).toEqual([
      {
        code: 'E0217',
        message: 'annotation `@excluded_from_genotype` cannot be applied to a `let` declaration',
        line: 1,
        column: 1,
      },
    ]);
  });
});
