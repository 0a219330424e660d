import { describe, expect, it } from 'vitest';

import { expectDiagnostics } from '../../helpers/host.js';

describe('check: UnusedImportsRule', () => {
  it('accepts an import whose names are used, directly or qualified', () => {
    expect(expectDiagnostics('import std.ops2d\nlet x = [none]')).toEqual([]);
    expect(expectDiagnostics('import std.ops2d as o\nlet x = [o.none]')).toEqual([]);
  });

  it('warns about an import that is never used', () => {
    expect(expectDiagnostics('import std.linear\nlet x = 1')).toEqual([
      { code: 'W0201', message: 'import `std.linear` is never used', line: 1, column: 1 },
    ]);
  });

  it('stays quiet when the module has errors, which may be meant for the import', () => {
    expect(
      expectDiagnostics('import std.linear\nlet x = [linear_blok]').map((d) => d.code),
    ).toEqual(['E0201']);
  });
});
