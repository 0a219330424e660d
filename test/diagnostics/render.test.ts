import { describe, expect, it } from 'vitest';

import { diagnostic } from '../../src/diagnostics/Diagnostic.js';
import {
  formatDiagnostics,
  formatPretty,
  formatShort,
  toJson,
} from '../../src/diagnostics/render.js';
import { SourceFile } from '../../src/source/SourceFile.js';

const file = new SourceFile(
  'net.darts',
  ['cell A(C: int) {', '  ops [sep_conv_3x4]', '  nodes 2', '}', 'cell A(C: int) = B(C)'].join(
    '\n',
  ),
);
const start = file.text.indexOf('sep_conv_3x4');
const unknown = diagnostic(
  'E0201',
  file.span(start, start + 12),
  { name: 'sep_conv_3x4', what: 'name' },
  {
    label: 'not found in this scope',
    help: { suggestions: ['sep_conv_3x3'] },
  },
);

describe('diagnostics: render', () => {
  it('renders the short form on one line', () => {
    expect(formatShort(unknown)).toBe(
      'net.darts:2:8: error[E0201]: cannot find name `sep_conv_3x4` in this scope',
    );
  });

  it('renders a code frame with carets under the primary span and the help line', () => {
    expect(formatPretty(unknown, false)).toBe(
      [
        'error[E0201]: cannot find name `sep_conv_3x4` in this scope',
        '  --> net.darts:2:8',
        '    |',
        '  2 |   ops [sep_conv_3x4]',
        '    |        ^^^^^^^^^^^^ not found in this scope',
        '   = help: did you mean `sep_conv_3x3`?',
      ].join('\n'),
    );
  });

  it('draws secondary labels with dashes and elides the lines between', () => {
    const first = file.span(5, 6);
    const second = file.text.lastIndexOf('A');
    const d = diagnostic(
      'E0202',
      file.span(second, second + 1),
      { name: 'A' },
      {
        labels: [{ span: first, message: 'first declared here' }],
      },
    );
    expect(formatPretty(d, false)).toBe(
      [
        'error[E0202]: `A` is declared more than once',
        '  --> net.darts:5:6',
        '    |',
        '  1 | cell A(C: int) {',
        '    |      - first declared here',
        '  ...',
        '  5 | cell A(C: int) = B(C)',
        '    |      ^',
        '   = help: rename one of the declarations',
      ].join('\n'),
    );
  });

  it('colours only when asked', () => {
    expect(formatPretty(unknown, true)).toContain('\u001b[');
    expect(formatDiagnostics([unknown], { format: 'pretty' })).not.toContain('\u001b[');
  });

  it('gives tools stable JSON with 1-based positions and offsets', () => {
    const json = toJson(unknown);
    expect(json).toMatchObject({
      code: 'E0201',
      severity: 'error',
      span: { file: 'net.darts', start: { line: 2, column: 8, offset: start } },
      help: 'did you mean `sep_conv_3x3`?',
    });
    expect(JSON.parse(formatDiagnostics([unknown], { format: 'json' }))).toEqual(json);
  });

  it('draws a zero-width span as one caret', () => {
    const end = file.text.indexOf(']') + 1;
    const d = diagnostic('E0104', file.span(end, end), { expected: '`)`', found: 'end of file' });
    expect(formatPretty(d, false).split('\n')[4]).toBe('    |' + ' '.repeat(21) + '^');
  });

  it('shows a window of a very long line around its mark, not the whole line', () => {
    // A generated spec can be one line of megabytes (issue 13).
    const long = new SourceFile('long.darts', 'let x = ' + '1 + '.repeat(250_000) + 'oops');
    const at = long.text.indexOf('oops');
    const d = diagnostic(
      'E0201',
      long.span(at, at + 4),
      { name: 'oops', what: 'name' },
      { help: { suggestions: [] } },
    );
    const lines = formatPretty(d, false).split('\n');
    expect(lines.join('\n').length).toBeLessThan(1000);
    const source = lines.find((l) => /^ *1 \|/.test(l))!;
    const caret = lines.find((l) => l.includes('^^^^'))!;
    expect(source).toMatch(/\| …1 \+ 1/);
    expect(caret.indexOf('^')).toBe(source.indexOf('oops'));
  });
});
