import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { beforeAll, describe, expect, it } from 'vitest';

import { compile, inspect } from '../../src/index.js';
import { root } from '../helpers/cli.js';
import {
  hoverText,
  positionOf,
  serverWithMnist,
  type LspClient,
  exampleSpec,
} from '../helpers/lspClient.js';

/**
 * Hover from the real server (`dartsc lsp --stdio`, as in server.test.ts): signatures, a
 * cell's counts as `dartsc inspect` makes them, the tensor types the checker computed.
 */
const { path: mnistPath, text: mnist } = exampleSpec('mnist.darts');
const { path: tinyPath, text: tiny } = exampleSpec('tiny.darts');

// examples/mnist.darts is open in every test, as it checks clean.
const server = serverWithMnist();
const mnistUri = server.mnistUri;
let lsp: LspClient;
beforeAll(() => void (lsp = server.get()));

describe('lsp: hover', () => {
  const uri = mnistUri;
  const hover = (needle: string, delta = 1, nth = 0) =>
    lsp
      .request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: positionOf(mnist, needle, delta, nth),
      })
      .then(hoverText);

  it("shows a stdlib primitive's signature", async () => {
    expect(await hover('sep_conv_5x5')).toContain(
      'primitive sep_conv_5x5(C: int, stride: int = 1) : Img[h, w, C] -> Img[h / stride, w / stride, C]',
    );
    expect(await hover('sep_conv_5x5')).toContain('from `std/ops2d.darts`');
  });

  it("shows a cell's parameter counts and α table, as `dartsc inspect` counts them", async () => {
    const program = compile(mnistPath).value!;
    const summary = inspect(program).value!.summary;
    const normal = summary.cells.filter((c) => c.cell === 'Normal');
    expect(normal.length).toBe(2);
    const text = await hover('Normal', 1, 1);
    expect(text).toContain('cell Normal(C: int)');
    for (const c of normal) {
      expect(text).toContain(`cell ${c.index} (normal, C = ${c.C})`);
      expect(text).toContain(`${c.params.toLocaleString('en-US')} parameters`);
    }
    expect(text).toContain('α table `normal`: 5 x 8 = 40 entries');
    // At its declaration too, without the types of the preprocessing the compiler supplies.
    const declared = await hover('Normal');
    expect(declared).toContain('α table `normal`');
    expect(declared).not.toContain('Tensor types');
  });

  it("shows an op call's tensor types and an intrinsic's parameters", async () => {
    const text = await hover('conv2d(2');
    expect(text).toContain('conv2d(out: int, kernel: int, stride: int = 1');
    expect(text).toContain('`conv2d`: Img[28, 28, 1] -> Img[14, 14, 16]');
    const argument = await hover('stride: 2');
    expect(argument).toContain('stride: int = 1');
    expect(argument).toContain('parameter of `conv2d`');
    expect(argument).toContain('`conv2d`: Img[28, 28, 1] -> Img[14, 14, 16]');
  });

  it('shows what a candidate op is on the edges of the cell whose `ops` name it', async () => {
    const program = compile(tinyPath).value!;
    const cells = program.searches[0]!.network.cells;
    const edges = cells.flatMap((c) => c.nodes.flatMap((n) => n.edges));
    const sep = edges[0]!.candidates.find((c) => c.name === 'sep_conv_3x3')!;
    const params = sep.uses.reduce((s, u) => s + u.params, 0);
    const uri = pathToFileURL(tinyPath).href;
    lsp.open(tinyPath);
    const text = hoverText(
      await lsp.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: positionOf(tiny, 'sep_conv_3x3', 1),
      }),
    );
    expect(text).toContain('primitive sep_conv_3x3(C: int, stride: int = 1)');
    expect(text).toContain('On the edges of `Tiny`:');
    expect(text).toContain(
      `- cell 0, stride 1: Img[8, 8, 4] -> Img[8, 8, 4], ${params.toLocaleString('en-US')} parameters`,
    );
  });

  it("shows the tensor types of a user primitive called in a space's stem", async () => {
    const path = join(root, 'examples', 'unsaved-stem.darts');
    const block =
      'primitive stem_block(C: int) : Img[h, w, c] -> Img[h, w, C] =\n  conv2d(C, 3, padding: 1) >> batch_norm(affine: true)\n\n';
    const text = tiny
      .replace('space TinyNet', block + 'space TinyNet')
      .replace(
        'stem  conv2d(2 * C, 3, padding: 1) >> batch_norm(affine: true)',
        'stem  stem_block(2 * C)',
      );
    const stem = compile({ path, text }, { cwd: root }).value!.searches[0]!.network.stems[0]!.uses;
    const params = stem.reduce((s, u) => s + u.params, 0);
    expect(params).toBeGreaterThan(0);
    const uri = lsp.open(path, text);
    const shown = hoverText(
      await lsp.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: positionOf(text, 'stem_block(2', 1),
      }),
    );
    expect(shown).toContain('primitive stem_block(C: int) : Img[h, w, c] -> Img[h, w, C]');
    expect(shown).toContain(
      `- \`stem_block\`: Img[8, 8, 3] -> Img[8, 8, 8] (${params} parameters)`,
    );
  });

  it("shows a setting's meaning", async () => {
    const text = await hover('order   first');
    expect(text).toContain('search setting `order`');
    expect(text).toContain('order second');
  });

  it('shows nothing where there is nothing to say', async () => {
    expect(await hover('// DARTS cells', 3)).toBe('');
  });
});
