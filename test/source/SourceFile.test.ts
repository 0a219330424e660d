import { describe, expect, it } from 'vitest';

import { SourceFile } from '../../src/source/SourceFile.js';

describe('source: SourceFile', () => {
  const file = new SourceFile('a.darts', 'ab\ncd\r\n\nlast');

  it('computes 1-based line and column of an offset', () => {
    expect(file.getLocation(0)).toEqual({ line: 1, column: 1 });
    expect(file.getLocation(2)).toEqual({ line: 1, column: 3 });
    expect(file.getLocation(3)).toEqual({ line: 2, column: 1 });
    expect(file.getLocation(7)).toEqual({ line: 3, column: 1 });
    expect(file.getLocation(8)).toEqual({ line: 4, column: 1 });
    expect(file.getLocation(file.text.length)).toEqual({ line: 4, column: 5 });
  });

  it('returns line text without the line break or carriage return', () => {
    expect(file.lineText(2)).toBe('cd');
    expect(file.lineText(3)).toBe('');
    expect(file.lineText(4)).toBe('last');
  });
});
