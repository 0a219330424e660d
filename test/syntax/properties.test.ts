import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type * as A from '../../src/ast/nodes.js';
import { printProgram } from '../../src/ast/print.js';
import { walk } from '../../src/ast/visit.js';
import { finalDiagnostics, hasErrors } from '../../src/diagnostics/Diagnostic.js';
import { elaborateProgram } from '../../src/elaborate/elaborateProgram.js';
import { check } from '../../src/check/check.js';
import type { CompilerHost } from '../../src/check/loadProgram.js';
import type { Diagnostic } from '../../src/diagnostics/Diagnostic.js';
import { codes } from '../../src/diagnostics/codes.js';
import { diagnosticFormats, formatDiagnostics } from '../../src/diagnostics/render.js';
import { SourceFile, type Span } from '../../src/source/SourceFile.js';
import { tokenize } from '../../src/syntax/lexer.js';
import { parse } from '../../src/syntax/parse.js';
import { keywordTokens } from '../../src/syntax/tokens.js';
import { memoryHost } from '../helpers/host.js';
import { expressionArb, programArb, span } from '../helpers/programArb.js';

/**
 * Property-based tests of the front end: the checker never throws and always reports
 * well-formed diagnostics, whatever the input; and printing an AST and parsing it back gives
 * the same tree. Every run is seeded, so a failure reproduces; fast-check prints the shrunk
 * counterexample together with the seed and path to replay it.
 */

const seed = 42;
const root = join(import.meta.dirname, '..', '..');

/** Every valid program shipped with the compiler: the examples and the standard library. */
const corpus: readonly { name: string; text: string }[] = ['examples', 'stdlib'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.darts'))
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') })),
);

const keywords: ReadonlySet<string> = new Set(
  keywordTokens.map((t) => (t.PATTERN as RegExp).source.replace(/\\b$/, '')),
);

// ---- robustness --------------------------------------------------------------------------

/**
 * The host of `checkSource` (`/mem` in front of the real standard library), except that it
 * reads nothing else from the real file system, whatever path a random import names.
 */
const memory = memoryHost();
const host: CompilerHost = {
  ...memory,
  readFile: (path) => (path.startsWith(memory.stdlibDir + sep) ? memory.readFile(path) : undefined),
};

/**
 * Checks `text` as `checkSource` does (as `/mem/main.darts`), but keeps the loaded program so
 * spans can be checked against its files.
 */
function checkText(text: string) {
  const path = join('/mem', 'main.darts');
  const checked = check(path, text, host);
  if (hasErrors(checked.diagnostics)) return checked;
  // As `compile` does, on the same loaded files (so spans can be checked against them).
  const { entry } = checked.value.program;
  const elaborated = elaborateProgram({ entry, scopes: checked.value.scopes });
  const diagnostics = finalDiagnostics([...checked.diagnostics, ...elaborated.diagnostics]);
  return { value: checked.value, diagnostics };
}

/** Why `span` is not a valid span of one of `files`, or undefined when it is. */
function spanProblem(span: Span, files: ReadonlySet<SourceFile>): string | undefined {
  if (!files.has(span.file)) return `span in ${JSON.stringify(span.file.name)}, not a loaded file`;
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end))
    return `non-integer span ${start}..${end}`;
  if (!(0 <= start && start <= end && end <= span.file.text.length)) {
    return `span ${start}..${end} outside 0..${span.file.text.length}`;
  }
  return undefined;
}

/** Throws (with a readable message) when `problem` is not undefined; cheaper than `expect`. */
function failIf(problem: string | undefined, what: string): void {
  if (problem !== undefined) throw new Error(`${what}: ${problem}`);
}

function checkDiagnostic(d: Diagnostic, files: ReadonlySet<SourceFile>): void {
  const what = `${d.code} ${JSON.stringify(d.message)}`;
  failIf(Object.hasOwn(codes, d.code) ? undefined : 'unknown code', what);
  failIf(typeof d.message === 'string' && d.message.length > 0 ? undefined : 'empty message', what);
  failIf(spanProblem(d.span, files), what);
  for (const label of d.labels) failIf(spanProblem(label.span, files), `${what} (label)`);
}

/** The whole checker never throws, and its diagnostics are well formed and renderable. */
function checkRobustly(text: string): void {
  const result = checkText(text);
  const files = new Set(result.value.program.modules.map((m) => m.file));
  failIf(files.has(result.value.program.entry.file) ? undefined : 'not loaded', 'entry file');
  for (const d of result.diagnostics) checkDiagnostic(d, files);
  // The (possibly partial) tree of the input has spans inside the input, too.
  const entry = result.value.program.entry;
  const own = new Set([entry.file]);
  walk(entry.ast, (node) => failIf(spanProblem(node.span, own), `${node.kind} span`));
  for (const format of diagnosticFormats) formatDiagnostics(result.diagnostics, { format });
  formatDiagnostics(result.diagnostics, { format: 'pretty', color: true });
}

/** Pieces of `.darts` source, as single characters and whole words, for random sources. */
const interestingUnits = [
  ...'()[]{},:.=@>-+*/%"\n\\!<_ \t',
  ...'aCxs01289e',
  '//',
  '/*',
  '*/',
  '->',
  '>>',
  '==',
  '1.5',
  '3e-4',
  '99999999999999999999',
  ...[...keywords].map((k) => `${k} `),
  'std.ops2d',
  'Img',
];

/** Token texts to splice into real programs. */
const insertable = [
  ...keywords,
  ...'()[]{},:.=@>-+*/%<'.split(''),
  '->',
  '>>',
  '==',
  '!=',
  '<=',
  '>=',
  '"',
  '"unterminated',
  '"bad \\q escape"',
  '/*',
  '//',
  '!',
  '#',
  'x',
  'C',
  'space',
  '0',
  '3e-4',
  '1.',
  '99999999999999999999',
  'std.ops2d',
  '"./missing.darts"',
  'Img[h, w]',
  '(a,)',
  '@excluded',
];

type Mutation =
  | { readonly kind: 'delete'; readonly i: number }
  | { readonly kind: 'swap'; readonly i: number; readonly j: number }
  | { readonly kind: 'duplicate'; readonly i: number; readonly glue: boolean }
  | { readonly kind: 'insert'; readonly i: number; readonly text: string; readonly glue: boolean }
  | { readonly kind: 'truncate'; readonly at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), i: fc.nat(), glue: fc.boolean() }),
  fc.record({
    kind: fc.constant('insert' as const),
    i: fc.nat(),
    text: fc.constantFrom(...insertable),
    glue: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Applies one mutation at the token level (offsets from the real lexer). */
function mutate(text: string, m: Mutation): string {
  if (m.kind === 'truncate') return text.slice(0, m.at % (text.length + 1));
  const tokens = tokenize(new SourceFile('mutated.darts', text)).tokens.map((t) => ({
    start: t.startOffset,
    end: t.endOffset! + 1,
    image: t.image,
  }));
  if (m.kind === 'insert') {
    // Before token i, or at the very end when i points one past the last token.
    const at = tokens[m.i % (tokens.length + 1)]?.start ?? text.length;
    const piece = m.glue ? m.text : ` ${m.text} `;
    return text.slice(0, at) + piece + text.slice(at);
  }
  if (tokens.length === 0) return text;
  const t = tokens[m.i % tokens.length]!;
  switch (m.kind) {
    case 'delete':
      return text.slice(0, t.start) + text.slice(t.end);
    case 'duplicate':
      return text.slice(0, t.end) + (m.glue ? '' : ' ') + t.image + text.slice(t.end);
    case 'swap': {
      const u = tokens[m.j % tokens.length]!;
      const [a, b] = t.start <= u.start ? [t, u] : [u, t];
      if (a === b) return text;
      return (
        text.slice(0, a.start) + b.image + text.slice(a.end, b.start) + a.image + text.slice(b.end)
      );
    }
  }
}

describe('the checker never throws and reports well-formed diagnostics', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkRobustly), { seed, numRuns: 300 });
  });

  it('on arbitrary code points (including control characters and astral ones)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), checkRobustly), {
      seed,
      numRuns: 150,
    });
  });

  it('on strings over the characters and words of the language', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...interestingUnits), maxLength: 80 }),
        checkRobustly,
      ),
      { seed, numRuns: 400 },
    );
  });

  it('on token-level mutations of the examples and the standard library', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...corpus),
        fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        (file, mutations) => checkRobustly(mutations.reduce(mutate, file.text)),
      ),
      { seed, numRuns: 400 },
    );
  });

  // Inputs that once crashed `parse`: recovery leaves CST nodes without their names.
  describe.each([
    '@',
    'let',
    'cell',
    'space',
    'primitive',
    'genotype',
    'cell }',
    'cell c(C: int,) {}',
    'cell c : (T[1],) -> T[1] {}',
  ])('regression (cstToAst crash): %j', (source) => {
    it('does not throw', () => {
      expect(() => checkText(source)).not.toThrow();
    });
  });

  it('on token-level mutations of generated programs', () => {
    fc.assert(
      fc.property(
        programArb,
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        (program, mutations) => checkRobustly(mutations.reduce(mutate, printProgram(program))),
      ),
      { seed, numRuns: 200 },
    );
  });
});

// ---- round trip --------------------------------------------------------------------------

/** A tree as plain data without any `span`, for comparing trees from different texts. */
function withoutSpans(node: unknown): unknown {
  return JSON.parse(
    JSON.stringify(node, (key, value: unknown) => (key === 'span' ? undefined : value)),
  );
}

function parseText(text: string, name = 'printed.darts') {
  return parse(new SourceFile(name, text));
}

/** Short, readable syntax errors for assertion messages. */
function syntaxErrors(result: { diagnostics: readonly Diagnostic[] }): string[] {
  return result.diagnostics.map((d) => {
    const { line, column } = d.span.file.getLocation(d.span.start);
    return `${line}:${column} ${d.code} ${d.message}`;
  });
}

describe('printing and parsing round-trip', () => {
  it.each(corpus)('parse(print(parse($name))) is parse($name), modulo spans', ({ name, text }) => {
    const first = parseText(text, name);
    expect(syntaxErrors(first)).toEqual([]);
    const printed = printProgram(first.value);
    const second = parseText(printed);
    expect(syntaxErrors(second), printed).toEqual([]);
    expect(withoutSpans(second.value)).toEqual(withoutSpans(first.value));
    expect(printProgram(second.value)).toBe(printed);
  });
});

describe('generated programs round-trip through the printer and the parser', () => {
  it('parse(print(ast)) has no diagnostics, is ast modulo spans, and prints the same', () => {
    fc.assert(
      fc.property(programArb, (program) => {
        const printed = printProgram(program);
        const parsed = parseText(printed);
        expect(syntaxErrors(parsed), printed).toEqual([]);
        expect(withoutSpans(parsed.value), printed).toEqual(withoutSpans(program));
        expect(printProgram(parsed.value)).toBe(printed);
      }),
      { seed, numRuns: 300 },
    );
  });

  it('expressions alone round-trip (deeper nesting, more runs)', () => {
    fc.assert(
      fc.property(expressionArb(5), (value) => {
        const program: A.ProgramNode = {
          kind: 'Program',
          span,
          items: [
            { kind: 'Let', span, annotations: [], name: { kind: 'Name', span, value: 'x' }, value },
          ],
        };
        const printed = printProgram(program);
        const parsed = parseText(printed);
        expect(syntaxErrors(parsed), printed).toEqual([]);
        expect(withoutSpans(parsed.value), printed).toEqual(withoutSpans(program));
        expect(printProgram(parsed.value)).toBe(printed);
      }),
      { seed, numRuns: 500 },
    );
  });

  // Sources whose printed form once did not parse: `>>` and `if` where the grammar wants
  // `additive` (tensor dimensions, comparison operands) need parentheses.
  describe.each([
    ['a `>>` tensor dimension', 'primitive p : T[(a >> b)] -> T[1] = x\n'],
    ['an `if` tensor dimension', 'primitive p : T[(if a == b then 1 else 2)] -> T[1] = x\n'],
    ['a `>>` left comparison operand', 'let x = if (a >> b) == c then 1 else 2\n'],
    ['a `>>` right comparison operand', 'let x = if a == (b >> c) then 1 else 2\n'],
  ])('regression (printer parentheses): %s', (_, source) => {
    it('is valid source', () => {
      expect(syntaxErrors(parseText(source, 'source.darts'))).toEqual([]);
    });
    it('prints to text that parses', () => {
      const printed = printProgram(parseText(source, 'source.darts').value);
      expect(syntaxErrors(parseText(printed)), printed).toEqual([]);
    });
  });
});
