import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { blockSettings, settingFunctions, settingWords } from '../src/intrinsics/settings.js';
import { allCodes, codes } from '../src/diagnostics/codes.js';
import type { Diagnostic } from '../src/diagnostics/Diagnostic.js';
import { explanation } from '../src/diagnostics/explanations.js';
import { intrinsicNames } from '../src/intrinsics/registry.js';
import { checkSource } from './helpers/host.js';
import { inCodeSpan } from './helpers/markdown.js';

/**
 * The language reference (`docs/language.md`) and the long explanations of `dartsc explain`
 * stay true: every ```darts block of the reference checks clean, every ```darts-error block
 * reports the codes it mentions, every code, intrinsic and setting is documented, and every
 * explanation's erroneous example reports its code while its corrected example checks clean.
 * Explanations live one file per code, `src/diagnostics/explanations/<CODE>.md`.
 *
 * Multi-file examples: a block (or part of an explanation example) whose first line is
 * `// file: NAME.darts` is that file. In the reference, such files can be imported from every
 * other block; in an explanation, `main.darts` is the entry and the others sit beside it.
 *
 * An erroneous example is checked only once the checker produces its code, that is once a
 * golden fixture (`test/fixtures/diagnostics`) expects it: catalogue entries are written
 * ahead of the rules that report them. Corrected examples are always checked.
 */
const docPath = join(import.meta.dirname, '..', 'docs', 'language.md');
const doc = readFileSync(docPath, 'utf8');

interface Block {
  readonly lang: string;
  readonly line: number;
  readonly text: string;
}

/** Fenced code blocks of a markdown text, with the line their content starts on. */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence!)) {
      body.push(lines[j]!.slice(indent!.length));
      j++;
    }
    blocks.push({ lang: lang!, line: i + 2, text: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

const fileMarker = /^\/\/ file: (\S+)\s*$/;

/** Splits example text at `// file: NAME` lines; text before the first marker is main.darts. */
function splitFiles(source: string): Map<string, string> {
  const files = new Map<string, string>();
  let name = 'main.darts';
  let current: string[] = [];
  const flush = () => {
    const text = current.join('\n').trim();
    if (text) files.set(name, text + '\n');
  };
  for (const line of source.split('\n')) {
    const marker = fileMarker.exec(line);
    if (marker) {
      flush();
      name = marker[1]!;
      current = [];
    } else current.push(line);
  }
  flush();
  return files;
}

const memFiles = (files: Map<string, string>, except?: string): Record<string, string> =>
  Object.fromEntries(
    [...files].filter(([name]) => name !== except).map(([name, text]) => [`/mem/${name}`, text]),
  );

const show = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.map((d) => {
    const { line, column } = d.span.file.getLocation(d.span.start);
    return `${d.span.file.name}:${line}:${column}: ${d.severity}[${d.code}]: ${d.message}`;
  });

const produced = producedCodes();
const blocks = fencedBlocks(doc);
const dartsBlocks = blocks.filter((b) => b.lang === 'darts');
const errorBlocks = blocks.filter((b) => b.lang === 'darts-error');

/** Files declared by ```darts blocks, importable from every block. */
const docFiles = new Map<string, string>();
for (const block of dartsBlocks) {
  const first = fileMarker.exec(block.text.split('\n')[0]!);
  if (first) docFiles.set(first[1]!, block.text);
}

describe('docs: language reference examples', () => {
  it('has examples of both kinds', () => {
    expect(dartsBlocks.length).toBeGreaterThanOrEqual(30);
    expect(errorBlocks.length).toBeGreaterThanOrEqual(3);
  });

  for (const block of dartsBlocks) {
    it(`checks the darts block at docs/language.md:${block.line} with no diagnostics`, () => {
      const result = checkSource(block.text, memFiles(docFiles));
      expect(show(result.diagnostics)).toEqual([]);
    });
  }

  for (const block of errorBlocks) {
    const named = [...new Set(block.text.match(/\b[EW]\d{4}\b/g) ?? [])];
    it.skipIf(named.some((code) => !produced.has(code)))(
      `reports the codes named by the darts-error block at docs/language.md:${block.line}`,
      () => {
        const result = checkSource(block.text, memFiles(docFiles));
        const reported = result.diagnostics.map((d) => d.code as string);
        expect(reported.length, 'a darts-error block must produce a diagnostic').toBeGreaterThan(0);
        for (const code of named) {
          expect(reported, show(result.diagnostics).join('\n')).toContain(code);
        }
      },
    );
  }
});

describe('docs: language reference coverage', () => {
  it('lists every diagnostic code with its slug', () => {
    const missing = allCodes.filter(
      (code) => !new RegExp(`${code}\\b[^\\n]*${codes[code].slug}`).test(doc),
    );
    expect(missing).toEqual([]);
  });

  it('documents every intrinsic op', () => {
    const missing = intrinsicNames.filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('documents every setting of every block', () => {
    const missing = Object.entries(blockSettings).flatMap(([block, settings]) =>
      Object.keys(settings)
        .filter((key) => !doc.includes(`\`${key}\``))
        .map((key) => `${block}.${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('documents every function and word of setting values, with their parameters', () => {
    const missing = [
      ...Object.entries(settingFunctions).flatMap(([name, params]) => [
        ...(doc.includes(`\`${name}(`) ? [] : [name]),
        ...params.filter((p) => !doc.includes(`\`${p.name}`)).map((p) => `${name}.${p.name}`),
      ]),
      ...settingWords.filter((word) => !doc.includes(`\`${word}\``)),
    ];
    expect(missing).toEqual([]);
  });

  it('links the grammar', () => {
    expect(doc).toContain('../grammar/darts.ebnf');
    expect(doc).toContain('../grammar/diagrams.html');
  });
});

/** Codes that some golden fixture expects (`//~ E0201`), i.e. that the checker produces. */
function producedCodes(): Set<string> {
  const root = join(import.meta.dirname, 'fixtures', 'diagnostics');
  const found = new Set<string>();
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.darts')) continue;
    const text = readFileSync(join(root, entry), 'utf8');
    for (const m of text.matchAll(/\/\/~\^*\s*((?:[EW]\d{4}\s*)+)/g)) {
      for (const code of m[1]!.trim().split(/\s+/)) found.add(code);
    }
  }
  return found;
}

/** The indented example after a header line such as `Erroneous example:`, unindented. */
function example(explanation: string, header: RegExp): string | undefined {
  const lines = explanation.split('\n');
  const start = lines.findIndex((l) => header.test(l));
  if (start < 0) return undefined;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() && !line.startsWith('    ')) break;
    body.push(line.slice(4));
  }
  return body.join('\n').trim() + '\n';
}

describe('docs: explanations', () => {
  it('has exactly one explanation file per code, and none without a code', () => {
    const dir = join(import.meta.dirname, '..', 'src', 'diagnostics', 'explanations');
    const files = readdirSync(dir);
    const expected = allCodes.map((code) => `${code}.md`);
    expect({
      filesWithoutCode: files.filter((f) => !expected.includes(f)).sort(),
      codesWithoutFile: expected.filter((f) => !files.includes(f)).sort(),
    }).toEqual({ filesWithoutCode: [], codesWithoutFile: [] });
  });

  for (const code of allCodes) {
    it(`explains ${code} at length, in the words of its slug, with both examples`, () => {
      const text = explanation(code);
      expect(text, 'trimmed, ending with one newline').toBe(text.trim() + '\n');
      expect(text.length).toBeGreaterThan(200);
      expect(example(text, /^Erroneous example/)).toBeDefined();
      expect(example(text, /^Corrected example/)).toBeDefined();
      // The slug's words (`unknown-tensor-type`), short ones (`of`, `bad`, `too`) aside.
      const words = codes[code].slug.split('-').filter((w) => w.length >= 4);
      const lower = text.toLowerCase();
      expect(words.filter((w) => !lower.includes(w))).toEqual([]);
    });

    it.skipIf(!produced.has(code))(
      `gives an erroneous ${code} example whose first diagnostic is ${code}`,
      () => {
        const source = example(explanation(code), /^Erroneous example/);
        expect(source, 'no `Erroneous example:` section').toBeDefined();
        const files = splitFiles(source!);
        const result = checkSource(files.get('main.darts')!, memFiles(files, 'main.darts'));
        // Follow-on diagnostics (the names of a missing import) may come after it.
        expect(result.diagnostics[0]?.code, show(result.diagnostics).join('\n')).toBe(code);
      },
    );

    it(`gives a corrected ${code} example that checks clean`, () => {
      const source = example(explanation(code), /^Corrected example/);
      expect(source, 'no `Corrected example:` section').toBeDefined();
      const files = splitFiles(source!);
      const result = checkSource(files.get('main.darts')!, memFiles(files, 'main.darts'));
      expect(show(result.diagnostics)).toEqual([]);
    });
  }
});

describe('docs/api.md', () => {
  const api = readFileSync(join(import.meta.dirname, '..', 'docs', 'api.md'), 'utf8');
  const indexPath = join(import.meta.dirname, '..', 'src', 'index.ts');
  const index = ts.createSourceFile(
    indexPath,
    readFileSync(indexPath, 'utf8'),
    ts.ScriptTarget.ES2022,
  );
  /** Every name src/index.ts exports, values and types. */
  const exported = index.statements.flatMap((s) =>
    ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)
      ? s.exportClause.elements.map((e) => e.name.text)
      : [],
  );

  it('documents every export of the package, as code', () => {
    expect(exported.length).toBeGreaterThan(40);
    expect(exported.filter((name) => !inCodeSpan(name, api))).toEqual([]);
  });

  it('is linked from the README', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain('(docs/api.md)');
  });
});

describe('README', () => {
  const root = join(import.meta.dirname, '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  /** Code lines without comments and blank lines, each trimmed at its end. */
  const code = (text: string) =>
    text
      .split('\n')
      .map((l) => l.replace(/\s*\/\/.*$/, '').trimEnd())
      .filter(Boolean);

  it('shows as its tour the spec of the main command, examples/mnist.darts (less its genotype)', () => {
    const tour = /## A short tour[\s\S]*?```darts\n([\s\S]*?)```/.exec(readme)![1]!;
    const example = readFileSync(join(root, 'examples', 'mnist.darts'), 'utf8');
    const spec = example.slice(0, example.indexOf('genotype Found'));
    expect(code(tour)).toEqual(code(spec));
    expect(readme).toContain('npx dartsc run examples/mnist.darts');
  });

  it('has no block quote made by a rewrap (`> > ...`)', () => {
    expect(readme).not.toMatch(/^> >/m);
  });
});
