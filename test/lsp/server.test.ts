import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  Position,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { beforeAll, describe, expect, it } from 'vitest';

import { compile, format } from '../../src/index.js';
import { root } from '../helpers/cli.js';
import {
  applyEdits,
  positionOf,
  serverWithMnist,
  type LspClient,
  exampleSpec,
} from '../helpers/lspClient.js';

/**
 * The language server as an editor drives it: `dartsc lsp --stdio` in a child process, spoken
 * to over JSON-RPC on its stdin and stdout, on the examples and on specs with mistakes.
 */
const { path: mnistPath, text: mnist } = exampleSpec('mnist.darts');
const { text: tiny } = exampleSpec('tiny.darts');

// examples/mnist.darts is open in every test, as it checks clean.
const server = serverWithMnist();
const mnistUri = server.mnistUri;
let lsp: LspClient;
beforeAll(() => void (lsp = server.get()));

/** The edit that renaming the name at `position` in `uri` to `newName` makes. */
const rename = (uri: string, position: Position, newName: string) =>
  lsp.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName });

describe('lsp: the session', () => {
  it('answers initialize with the capabilities it serves', () => {
    const c = lsp.initialized.capabilities;
    expect(lsp.initialized.serverInfo?.name).toBe('dartsc');
    expect(c).toMatchObject({
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      documentFormattingProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    });
    expect(c.completionProvider).toBeDefined();
  });
});

describe('lsp: diagnostics', () => {
  // A spec beside the examples, open in the editor but never saved: the server reads it
  // from the editor and its import of std.ops2d from stdlib/.
  const path = join(root, 'examples', 'unsaved-typo.darts');
  const broken = tiny.replace('skip_connect, sep_conv_3x3', 'skip_connect, sep_conv_3x4');
  let uri: string;
  let published: Diagnostic[];

  beforeAll(async () => {
    uri = pathToFileURL(path).href;
    const next = lsp.diagnostics(uri);
    lsp.open(path, broken);
    published = await next;
  });

  it('publishes the code, range, message and help of `dartsc check` on open', () => {
    expect(published).toHaveLength(1);
    const [d] = published;
    expect(d!.code).toBe('E0201');
    expect(d!.source).toBe('dartsc');
    expect(d!.severity).toBe(1);
    const start = positionOf(broken, 'sep_conv_3x4');
    expect(d!.range).toEqual({ start, end: { ...start, character: start.character + 12 } });
    expect(d!.message).toContain('cannot find name `sep_conv_3x4` in this scope');
    expect(d!.message.split('\n')).toEqual([
      'cannot find name `sep_conv_3x4` in this scope',
      'help: did you mean `sep_conv_3x3`?',
    ]);
    expect(d!.relatedInformation).toEqual([
      { location: { uri, range: d!.range }, message: 'not found in this scope' },
    ]);
  });

  it('offers the did-you-mean name as a quick fix that makes the spec check clean', async () => {
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: published[0]!.range,
      context: { diagnostics: published },
    });
    expect(actions.map((a) => a.title)).toEqual(['Replace with `sep_conv_3x3`']);
    expect(actions[0]!.kind).toBe('quickfix');
    const fixed = applyEdits(broken, actions[0]!.edit!.changes![uri]!);
    expect(fixed).toBe(tiny);
  });

  it('clears the diagnostics when a change fixes the mistake', async () => {
    // An incremental change: the one character that was wrong.
    const next = lsp.diagnostics(uri);
    const at = positionOf(broken, 'sep_conv_3x4', 11);
    lsp.change(uri, '3', { start: at, end: { ...at, character: at.character + 1 } });
    expect(await next).toEqual([]);
    // And reports again when the mistake comes back, now a setting typo (E0206).
    const again = lsp.diagnostics(uri);
    lsp.change(uri, tiny.replace(/epochs( {2}\d+)/, 'epoch $1'));
    expect((await again).map((d) => [d.code, d.message.split('\n')[1]])).toEqual([
      ['E0206', 'help: did you mean `epochs`?'],
    ]);
  });
});

describe('lsp: definition', () => {
  const uri = mnistUri;
  const definition = (needle: string, delta = 1, nth = 0) =>
    lsp.request<Location | null>('textDocument/definition', {
      textDocument: { uri },
      position: positionOf(mnist, needle, delta, nth),
    });

  it('goes from a stdlib op to its declaration in stdlib/', async () => {
    const ops2d = readFileSync(join(root, 'stdlib', 'ops2d.darts'), 'utf8');
    const location = await definition('sep_conv_5x5', 3);
    expect(location?.uri).toBe(pathToFileURL(join(root, 'stdlib', 'ops2d.darts')).href);
    expect(location?.range.start).toEqual(positionOf(ops2d, 'sep_conv_5x5(C: int'));
  });

  it('goes from an import to the module it loads', async () => {
    const location = await definition('ops2d', 1);
    expect(location?.uri).toBe(pathToFileURL(join(root, 'stdlib', 'ops2d.darts')).href);
  });

  it('goes from a cell used in the same file to its declaration', async () => {
    const location = await definition('Normal(C) reducing');
    expect(location?.range.start).toEqual(positionOf(mnist, 'Normal(C: int)'));
  });

  it('goes from a stem a `from` clause reads to that stem, and hovers it', async () => {
    const path = join(root, 'stdlib', 'darts.darts');
    const darts = readFileSync(path, 'utf8');
    const stdUri = lsp.open(path);
    const at = positionOf(darts, 'from stem0, stem1', 12);
    const location = await lsp.request<Location | null>('textDocument/definition', {
      textDocument: { uri: stdUri },
      position: at,
    });
    expect(location?.range.start).toEqual(positionOf(darts, 'stem1 relu'));
    const hover = await lsp.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: stdUri },
      position: at,
    });
    expect(JSON.stringify(hover?.contents)).toContain('stem `stem1` of space `DartsImageNet`');
  });

  it('goes to a declaration of an imported user file that is open but unsaved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dartsc-lsp-'));
    const ops =
      'import std.ops2d\n\nprimitive my_op(C: int, stride: int = 1) : Img[h, w, C] -> Img[h / stride, w / stride, C] =\n  sep_conv_3x3(C, stride: stride)\n';
    const main = tiny
      .replace('import std.ops2d', 'import std.ops2d\nimport "./ops.darts"')
      .replace('sep_conv_3x3]', 'my_op]');
    lsp.open(join(dir, 'ops.darts'), ops);
    const mainUri = lsp.open(join(dir, 'main.darts'), main);
    const location = await lsp.request<Location | null>('textDocument/definition', {
      textDocument: { uri: mainUri },
      position: positionOf(main, 'my_op]', 2),
    });
    expect(location).toEqual({
      uri: pathToFileURL(join(dir, 'ops.darts')).href,
      range: { start: positionOf(ops, 'my_op'), end: positionOf(ops, 'my_op', 5) },
    });
    // Renaming it there renames it here too, and the stdlib op it calls is left alone.
    const edit = await rename(mainUri, positionOf(main, 'my_op]', 2), 'their_op');
    const opsUri = pathToFileURL(join(dir, 'ops.darts')).href;
    expect(Object.keys(edit.changes!).sort()).toEqual([mainUri, opsUri].sort());
    expect(applyEdits(ops, edit.changes![opsUri]!)).toContain('primitive their_op(C: int');
    expect(applyEdits(main, edit.changes![mainUri]!)).toContain('skip_connect, their_op]');
  });
});

describe('lsp: completion', () => {
  it('completes the settings a search block does not give yet, on a new line', async () => {
    const path = join(root, 'examples', 'unsaved-completion.darts');
    const text = mnist.replace('  order   first\n', '  order   first\n  \n');
    const uri = lsp.open(path, text);
    const items = await lsp.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, 'order   first\n', 16),
    });
    const labels = items.map((i) => i.label);
    expect(labels).toContain('init');
    expect(labels).not.toContain('epochs');
    expect(labels).not.toContain('stem');
    expect(items.find((i) => i.label === 'init')?.documentation).toBeTruthy();
  });

  it("completes an op's argument names, and the names in scope", async () => {
    const uri = pathToFileURL(mnistPath).href;
    const items = await lsp.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(mnist, 'stride: 2', 0),
    });
    const labels = items.map((i) => i.label);
    expect(labels).toContain('padding:');
    expect(labels).toContain('dilation:');
    expect(labels).toContain('C');
    expect(labels).toContain('sep_conv_3x3');
    expect(labels).not.toContain('out:');
  });
});

describe('lsp: rename', () => {
  const path = join(root, 'examples', 'unsaved-rename.darts');
  let uri: string;
  beforeAll(() => {
    uri = lsp.open(path, tiny);
  });

  it('renames a cell at its declaration and every use', async () => {
    const edit = await rename(uri, positionOf(tiny, 'normal: Tiny', 9), 'Small');
    const edits = edit.changes![uri]!;
    expect(edits).toHaveLength(2);
    const renamed = applyEdits(tiny, edits);
    expect(renamed).toContain('cell Small(C: int)');
    expect(renamed).toContain('stack(2, normal: Small)');
    expect(compile({ path, text: renamed }, { cwd: root }).diagnostics).toEqual([]);
  });

  it('renames a parameter with its uses and the named arguments that bind it', async () => {
    const mnistCopy = join(root, 'examples', 'unsaved-rename-param.darts');
    const copyUri = lsp.open(mnistCopy, mnist);
    const edit = await rename(copyUri, positionOf(mnist, 'layers: int', 1), 'depth');
    const edits = edit.changes![copyUri]!;
    expect(edits).toHaveLength(4);
    const renamed = applyEdits(mnist, edits);
    expect(renamed).toContain('space Mnist(C: int = 8, depth: int = 3)');
    expect(renamed).toContain('stack(depth, normal: Normal, reduce: Reduce, at: [depth / 2])');
    expect(renamed).toContain('space   Mnist(C: 8, depth: 3)');
    expect(compile({ path: mnistCopy, text: renamed }, { cwd: root }).diagnostics).toEqual([]);
  });

  it('refuses a stdlib op, a keyword and a name already declared', async () => {
    await expect(
      lsp.request('textDocument/prepareRename', {
        textDocument: { uri },
        position: positionOf(tiny, 'sep_conv_3x3', 1),
      }),
    ).rejects.toThrow(/standard library/);
    await expect(
      lsp.request('textDocument/rename', {
        textDocument: { uri },
        position: positionOf(tiny, 'Tiny(C', 1),
        newName: 'cell',
      }),
    ).rejects.toThrow(/not a name/);
    await expect(
      lsp.request('textDocument/rename', {
        textDocument: { uri },
        position: positionOf(tiny, 'Tiny(C', 1),
        newName: 'TinyNet',
      }),
    ).rejects.toThrow(/`TinyNet` is already declared there/);
  });
});

describe('lsp: document symbols', () => {
  it('outlines the declarations with their parameters, settings and nodes', async () => {
    const symbols = await lsp.request<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: pathToFileURL(mnistPath).href },
    });
    expect(symbols.map((s) => s.name)).toEqual([
      'std.ops2d',
      'Normal',
      'Reduce',
      'Mnist',
      'search',
      'Found',
    ]);
    const normal = symbols[1]!;
    expect(normal.children?.map((c) => c.name)).toEqual(['C', 'ops', 'nodes', 'keep', 'output']);
    expect(normal.selectionRange.start).toEqual(positionOf(mnist, 'Normal'));
  });
});

describe('lsp: formatting', () => {
  it('formats a spec as dartsc fmt does, comments kept', async () => {
    const messy =
      'import std.ops2d\n// the cell\ncell Tiny(C:int){ops [none,skip_connect] // two\n nodes 2}\n';
    const uri = lsp.open(join(root, 'examples', 'unsaved-format.darts'), messy);
    const edits = await lsp.request<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    const expected =
      'import std.ops2d\n// the cell\ncell Tiny(C: int) {\n  ops   [none, skip_connect] // two\n  nodes 2\n}\n';
    expect(applyEdits(messy, edits)).toBe(expected);
    expect(format({ text: messy }).value).toBe(expected);
  });

  it('leaves a formatted spec, and one that does not parse, as they are', async () => {
    for (const [name, text] of [
      ['formatted', tiny],
      ['broken', 'cell Tiny(C: int) {\n'],
    ]) {
      const uri = lsp.open(join(root, 'examples', `unsaved-${name}.darts`), text);
      const edits = await lsp.request<TextEdit[]>('textDocument/formatting', {
        textDocument: { uri },
        options: { tabSize: 2, insertSpaces: true },
      });
      expect(edits, name).toEqual([]);
    }
  });
});
