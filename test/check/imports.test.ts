import { describe, expect, it } from 'vitest';

import { expectDiagnostics } from '../helpers/host.js';

describe('check: imports', () => {
  it('loads relative files and reports their own errors under their own name', () => {
    const d = expectDiagnostics('import "./lib.darts"\nlet x = [mine]', {
      '/mem/lib.darts': 'primitive mine = relu\nlet broken = [nope]',
    });
    expect(d).toEqual([
      { code: 'E0201', message: 'cannot find name `nope` in this scope', line: 2, column: 15 },
    ]);
  });

  it('reports a missing file and an unknown standard module', () => {
    expect(expectDiagnostics('import "./missing.darts"').map((d) => d.code)).toEqual(['E0204']);
    expect(expectDiagnostics('import std.ops3d')).toEqual([
      { code: 'E0203', message: 'unknown standard library module `std.ops3d`', line: 1, column: 8 },
    ]);
  });

  it('reports an import cycle once', () => {
    const d = expectDiagnostics('import "./a.darts"', {
      '/mem/a.darts': 'import "./b.darts"\nprimitive pa = relu',
      '/mem/b.darts': 'import "./a.darts"\nprimitive pb = relu',
    });
    expect(d.filter((x) => x.code === 'E0210').map((x) => x.message)).toEqual([
      'import cycle: a.darts -> b.darts -> a.darts',
    ]);
  });
});
