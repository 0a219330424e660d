import type { Parser, Plugin, Printer, SupportLanguage } from 'prettier';

import { format } from './format.js';

/**
 * `.darts` for prettier (`prettier --plugin dartsc/prettier-plugin`): the same layout as
 * `dartsc fmt`, byte for byte. The parser formats the whole file and the printer hands back
 * the text, so prettier's own options (`printWidth` and the like) do not apply: there is one
 * layout. A file that does not parse is a syntax error at its first problem.
 */

/** The whole file, formatted: what the parser gives the printer. */
interface DartsFile {
  readonly type: 'darts-file';
  readonly text: string;
  readonly formatted: string;
}

const languages: SupportLanguage[] = [
  { name: 'darts', parsers: ['darts'], extensions: ['.darts'], vscodeLanguageIds: ['darts'] },
];

const parser: Parser<DartsFile> = {
  astFormat: 'darts',
  locStart: () => 0,
  locEnd: (node) => node.text.length,
  parse: (text, options) => {
    const result = format({ text, path: options.filepath ?? 'spec.darts' });
    if (result.value === undefined) {
      const first = result.diagnostics.find((d) => d.severity === 'error')!;
      const { line, column } = first.span.file.getLocation(first.span.start);
      throw Object.assign(new SyntaxError(`${first.message} (${first.code})`), {
        loc: { start: { line, column } },
      });
    }
    return { type: 'darts-file', text, formatted: result.value };
  },
};

const printer: Printer<DartsFile> = {
  print: (path) => path.node.formatted,
};

/** The plugin: its language, parser and printer. */
const plugin: Plugin<DartsFile> = {
  languages,
  parsers: { darts: parser },
  printers: { darts: printer },
};

export default plugin;
