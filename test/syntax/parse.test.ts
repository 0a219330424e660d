import { describe, expect, it } from 'vitest';

import { printProgram } from '../../src/ast/print.js';
import { SourceFile } from '../../src/source/SourceFile.js';
import { parse } from '../../src/syntax/parse.js';
import { dedent } from '../helpers/host.js';

const parseText = (text: string) => parse(new SourceFile('t.darts', text));
const short = (text: string) =>
  parseText(text).diagnostics.map((d) => {
    const { line, column } = d.span.file.getLocation(d.span.start);
    return `${line}:${column} ${d.code} ${d.message}`;
  });

describe('syntax: parse', () => {
  it('parses every kind of declaration', () => {
    const { value, diagnostics } = parseText(dedent`
      import std.ops2d as o
      let ops = [o.none, skip_connect]
      @excluded_from_genotype
      primitive z(C: int, stride: int = 1) : Img[h, w, C] -> Img[h / stride, w / stride, C] = zero(stride: stride)
      cell A(C: int) { ops ops nodes 2 node m from s0, s1 }
      cell B(C: int) = A(C) reducing
      space S : Img[8, 8, 3] -> Logits[2] { cells stack(2, normal: A) head dense(2) }
      genotype G { normal [(z, 0)] }
      search { space S data synthetic() }
    `);
    expect(diagnostics).toEqual([]);
    expect(value.items.map((i) => i.kind)).toEqual([
      'Import',
      'Let',
      'Primitive',
      'Cell',
      'Cell',
      'Space',
      'Genotype',
      'Search',
    ]);
  });

  it('gives operators their precedence and left associativity', () => {
    const { value } = parseText('let x = a >> b - c - d * e % f');
    expect(printProgram(value)).toBe('let x = a >> b - c - d * e % f\n');
    const let_ = value.items[0]!;
    expect(let_.kind === 'Let' && let_.value.kind === 'Binary' && let_.value.operator).toBe('>>');
    expect(printProgram(parseText('let x = a - (b - c)').value)).toBe('let x = a - (b - c)\n');
  });

  it('tells tuples, one-element tuples and groups apart', () => {
    const { value } = parseText('let a = (1, 2)\nlet b = (1,)\nlet c = (1)');
    const kinds = value.items.map((i) => (i.kind === 'Let' ? i.value.kind : ''));
    expect(kinds).toEqual(['Tuple', 'Tuple', 'IntLiteral']);
  });

  it('reports the first syntax error of each declaration, for several declarations in one run', () => {
    expect(
      short(dedent`
        cell A(C: int {
          ops [a, b
        }
        space S { stem conv2d(3,
        }
        let x = 1
        let = 2
      `),
    ).toEqual([
      '1:15 E0104 expected `,` or `)`, found `{`',
      '4:25 E0104 expected `,` or `)`, found `}`',
      '7:5 E0104 expected a name, found `=`',
    ]);
  });

  it('anchors a missing token at the end of the previous line, not at the next token', () => {
    const { diagnostics } = parseText('let x = f(1\n\nlet y = 2');
    const d = diagnostics[0]!;
    expect(d.span.start).toBe(d.span.end);
    expect(d.span.file.getLocation(d.span.start)).toEqual({ line: 1, column: 12 });
    expect(d.label).toBe('expected `,` or `)` here');
  });

  it('keeps the declarations after a broken one', () => {
    const { value } = parseText('cell A { ops [ }\nlet ok = 1');
    expect(value.items.some((i) => i.kind === 'Let' && i.name.value === 'ok')).toBe(true);
  });

  it('reports the lexer errors: stray characters, unterminated strings and comments', () => {
    expect(short('let a = 1 $ 2')).toContain('1:11 E0101 unexpected character `$`');
    expect(short('let a = "abc\nlet b = 1')[0]).toBe('1:9 E0102 unterminated string literal');
    expect(short('let a = 1 /* no end')).toContain('1:11 E0103 unterminated block comment');
  });

  it('checks literals: integer range and escapes', () => {
    expect(short('let a = 99999999999999999999')).toEqual([
      '1:9 E0106 number literal `99999999999999999999` is out of range',
    ]);
    expect(short('let a = "a\\qb"')).toEqual([
      '1:11 E0107 unknown escape sequence `\\q` in string',
    ]);
    const { value } = parseText('let a = "q\\"\\\\\\n\\t"');
    const item = value.items[0]!;
    expect(item.kind === 'Let' && item.value.kind === 'StringLiteral' && item.value.value).toBe(
      'q"\\\n\t',
    );
  });

  it('reads `cellular` as a name, not the keyword `cell`', () => {
    const { value, diagnostics } = parseText('let cellular = spaceship');
    expect(diagnostics).toEqual([]);
    expect(value.items[0]!.kind === 'Let' && value.items[0]!.name.value).toBe('cellular');
  });

  it('names a keyword found where a name belongs', () => {
    const d = parseText('let node = 1').diagnostics[0]!;
    expect(d.message).toBe('expected a name, found the keyword `node`');
    expect(d.notes[0]).toContain('is a keyword');
  });

  it('reports a `#` comment once and skips the rest of its line', () => {
    expect(short('let a = 1 # the answer\nlet b = 2')).toEqual([
      '1:11 E0108 `#` does not start a comment',
    ]);
  });

  it('reports stray words between declarations as a missing declaration', () => {
    expect(short('let a = 1\nfoo bar\nlet b = 2')).toEqual([
      '2:1 E0105 expected a declaration (`primitive`, `cell`, `space`, `genotype`, `search`, `let`) or `import`, found `foo`',
    ]);
  });

  it('parses an empty file', () => {
    expect(parseText('').value.items).toEqual([]);
    expect(parseText('// only a comment\n').diagnostics).toEqual([]);
  });
});
