import { describe, expect, it } from 'vitest';

import { format } from '../../src/format/format.js';

/** `lines` joined as a file (a trailing newline). */
const file = (...lines: string[]) => lines.join('\n') + '\n';
const formatted = (text: string) => {
  const result = format({ text });
  expect(result.diagnostics).toEqual([]);
  return result.value;
};

describe('format: layout', () => {
  it('normalizes blanks and indentation, and aligns the values of a block', () => {
    const source = file(
      'cell   A(C:int){ops [none,skip_connect]',
      'nodes 2',
      'output concat(nodes)}',
    );
    expect(formatted(source)).toBe(
      file(
        'cell A(C: int) {',
        '  ops    [none, skip_connect]',
        '  nodes  2',
        '  output concat(nodes)',
        '}',
      ),
    );
  });

  it('aligns search settings at least after `weights`', () => {
    expect(formatted('search { space A(C: 4) epochs 3 }')).toBe(
      file('search {', '  space   A(C: 4)', '  epochs  3', '}'),
    );
  });

  it('keeps comments: leading, trailing, inside a list and at the end', () => {
    const expected = file(
      '// header',
      'import std.ops2d',
      '',
      '// the cell',
      'cell A(C: int) {',
      '  ops   [none, // nothing',
      '         skip_connect]',
      '  nodes 2 /* two */',
      '  // last',
      '}',
      '// the end',
    );
    // The same without indentation or alignment: formatting puts them back.
    const flattened = expected.replace(/^ +/gm, '').replace(/ {2,}/g, ' ');
    expect(flattened).not.toBe(expected);
    expect(formatted(flattened)).toBe(expected);
  });

  it('keeps at most one blank line between items', () => {
    expect(formatted('let a = 1\n\n\n\nlet b = 2\nlet c = 3\n')).toBe(
      'let a = 1\n\nlet b = 2\nlet c = 3\n',
    );
  });

  it('breaks a long `>>` chain before `>>`, and keeps the breaks the source has', () => {
    const long =
      'primitive p(C: int) : Img[h, w, C] -> Img[h, w, C] = relu >> conv2d(C, 3, padding: 1) >> batch_norm >> relu >> conv2d(C, 3, padding: 1) >> batch_norm >> relu';
    expect(formatted(long)).toBe(
      file(
        'primitive p(C: int) : Img[h, w, C] -> Img[h, w, C] =',
        '  relu >> conv2d(C, 3, padding: 1) >> batch_norm >> relu >> conv2d(C, 3, padding: 1) >> batch_norm',
        '    >> relu',
      ),
    );
    // A chain over several lines starts on a line of its own.
    expect(formatted('let x = a\n  >> b >> c\n')).toBe('let x =\n  a\n    >> b >> c\n');
    expect(formatted('let x =\n  a\n    >> b >> c\n')).toBe('let x =\n  a\n    >> b >> c\n');
  });

  it('fills a long list aligned after `[`, or one block when the source breaks after `[`', () => {
    const items = Array.from({ length: 12 }, (_, i) => `sep_conv_${i}x${i}`);
    const aligned = formatted(`genotype G { normal [${items.join(', ')}] }`)!;
    expect(aligned.split('\n')[2]).toMatch(/^ {10}sep_conv_/);
    expect(formatted(`let ops = [\n  a, b,\n  c,\n]\n`)).toBe('let ops = [\n  a, b,\n  c,\n]\n');
  });

  it('prints the fewest parentheses, like the printer', () => {
    expect(formatted('let x = ((a + b)) * (c)\n')).toBe('let x = (a + b) * c\n');
  });

  it('is the identity on formatted text, and gives an empty file for an empty one', () => {
    const text = file('search {', '  epochs  3', '}');
    expect(formatted(text)).toBe(text);
    expect(formatted('')).toBe('');
    expect(formatted('// only a comment')).toBe('// only a comment\n');
  });

  it('gives no text and the syntax errors for a file that does not parse', () => {
    const result = format({ text: 'search {\n  epochs [\n}\n', path: 'bad.darts' });
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E0104']);
    expect(result.diagnostics[0]!.span.file.name).toBe('bad.darts');
  });

  it('formats a file with semantic errors: only the syntax matters', () => {
    expect(formatted('let x = no_such_name(1)\n')).toBe('let x = no_such_name(1)\n');
  });
});
