import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, Hover } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { positionOf, startLsp, type LspClient } from '../helpers/lspClient.js';

/** The server on what an editor sends mid-typing: broken files, broken imports, junk. */
let lsp: LspClient;
let dir: string;
beforeAll(async () => {
  lsp = await startLsp();
  dir = mkdtempSync(join(tmpdir(), 'dartsc-lsp-'));
});
afterAll(async () => {
  expect(await lsp.close()).toBe(0);
  expect(lsp.stderr()).not.toMatch(/internal error/);
  expect(lsp.errors()).toEqual([]);
});

describe('lsp: text being typed', () => {
  it('reports a syntax error and still completes the settings of the block being written', async () => {
    const text = 'import std.ops2d\n\ncell Half(C: int) {\n  ops [none, skip_connect]\n  no\n';
    const uri = pathToFileURL(join(dir, 'half.darts')).href;
    const next = lsp.diagnostics(uri);
    lsp.open(join(dir, 'half.darts'), text);
    const diagnostics = await next;
    expect(diagnostics.map((d) => d.code)).toEqual(['E0105']);
    const items = await lsp.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, '  no\n', 4),
    });
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['nodes', 'keep', 'output', 'node']));
    expect(labels).not.toContain('ops');
    expect(labels).not.toContain('epochs');
  });

  it('completes the arguments of a setting function in an unfinished line', async () => {
    const text = 'search {\n  data mnist(limit: 100, \n';
    const uri = lsp.open(join(dir, 'data.darts'), text);
    const items = await lsp.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, '100, ', 5),
    });
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['test:', 'normalize:']));
    expect(labels).not.toContain('limit:');
  });

  it('answers hover and definition on any position of a broken file without failing', async () => {
    const text =
      'cell X(C: int) {\n  ops [none, \n}\nspace S : Img[8, 8, 3] -> Logits[2] {\n  cells stack(2, normal: X\n';
    const uri = lsp.open(join(dir, 'broken.darts'), text);
    for (let line = 0; line < text.split('\n').length; line++) {
      for (let character = 0; character < 40; character += 3) {
        const position = { line, character };
        await lsp.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
        await lsp.request('textDocument/definition', { textDocument: { uri }, position });
        await lsp.request('textDocument/completion', { textDocument: { uri }, position });
      }
    }
    const hover = await lsp.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: positionOf(text, 'normal: X', 8),
    });
    expect((hover?.contents as { value: string }).value).toContain('cell X(C: int)');
  });
});

describe('lsp: modules', () => {
  it("completes a module's declarations after its name and a dot", async () => {
    const text = 'import std.ops2d\n\nlet mine = [ops2d.\n';
    const uri = lsp.open(join(dir, 'members.darts'), text);
    const items = await lsp.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: positionOf(text, 'ops2d.\n', 6),
    });
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['sep_conv_3x3', 'skip_connect', 'none']));
    expect(labels).not.toContain('conv2d');
  });

  it('offers the known module for a misspelled stdlib import', async () => {
    const text = 'import std.ops2x\n';
    const uri = pathToFileURL(join(dir, 'module.darts')).href;
    const next = lsp.diagnostics(uri);
    lsp.open(join(dir, 'module.darts'), text);
    const diagnostics = await next;
    expect(diagnostics.map((d) => d.code)).toEqual(['E0203']);
    const actions = await lsp.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics },
    });
    expect(actions.map((a) => a.edit?.changes?.[uri])).toEqual([
      [
        {
          range: { start: { line: 0, character: 7 }, end: { line: 0, character: 16 } },
          newText: 'std.ops2d',
        },
      ],
    ]);
  });
});

describe('lsp: imports', () => {
  it('shows a mistake of an imported file at the import, naming the file and line', async () => {
    writeFileSync(join(dir, 'ops.darts'), 'import std.ops2d\n\nlet mine = [none, skip_conect]\n');
    const text = 'import "./ops.darts"\n\nlet all = mine\n';
    const uri = pathToFileURL(join(dir, 'user.darts')).href;
    const next = lsp.diagnostics(uri);
    lsp.open(join(dir, 'user.darts'), text);
    const diagnostics = await next;
    const imported = diagnostics.find((d) => d.code === 'E0201');
    expect(imported?.message).toContain(`in ${join(dir, 'ops.darts')}:3:`);
    expect(imported?.range).toEqual({
      start: { line: 0, character: 0 },
      end: { line: 0, character: 'import "./ops.darts"'.length },
    });
    expect(imported?.relatedInformation?.[0]?.location.uri).toBe(
      pathToFileURL(join(dir, 'ops.darts')).href,
    );
    // The file is not open: no quick fix would edit it through this document.
    expect(imported?.data).toBeUndefined();
  });

  it('rechecks an open document when a file it imports changes in the editor', async () => {
    const opsUri = lsp.open(join(dir, 'ops.darts'), 'import std.ops2d\n\nlet mine = [none]\n');
    const uri = pathToFileURL(join(dir, 'user.darts')).href;
    const next = lsp.diagnostics(uri, (d) => !d.some((x) => x.code === 'E0201'));
    lsp.change(opsUri, 'import std.ops2d\n\nlet mine = [none, skip_connect]\n');
    expect((await next).filter((d) => d.severity === 1)).toEqual([]);
  });
});
