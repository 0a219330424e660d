import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compile } from '../../src/index.js';
import { requestNetwork, type GenotypeInput } from '../../src/api/network.js';
import { cellDot } from '../../src/report/cellDot.js';
import { cellText, drawnCell, drawnCells, type DrawnCell } from '../../src/report/drawnCell.js';
import { renderSvg } from '../../src/report/renderSvg.js';
import { root } from '../helpers/cli.js';
import { dartsV2 } from '../helpers/darts.js';

const update = process.env.UPDATE_GOLDENS === '1';

/** The first cell of each role of the network a spec's genotype derives. */
function cellsOf(spec: string, genotype: GenotypeInput): DrawnCell[] {
  const program = compile(join(root, 'examples', spec), { cwd: root });
  expect(program.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const built = requestNetwork(program.value!, { genotype });
  expect(built.value).toBeDefined();
  return drawnCells(built.value!.model.cells);
}

/** Compares with `test/fixtures/report/cells/NAME`; `UPDATE_GOLDENS=1 npm test` rewrites it. */
function golden(name: string, text: string): void {
  const path = join(root, 'test', 'fixtures', 'report', 'cells', name);
  if (update || !existsSync(path)) {
    if (!update) throw new Error(`missing golden ${name}; run UPDATE_GOLDENS=1 npm test`);
    writeFileSync(path, text);
  }
  expect(text).toBe(readFileSync(path, 'utf8'));
}

const cases = [
  // 2-D DARTS cells: the paper's genotype on the CIFAR-10 space.
  {
    name: 'darts_v2',
    spec: 'darts_cifar10.darts',
    genotype: 'DARTS_V2',
    roles: ['normal', 'reduce'],
  },
  // 1-D cells (CANDLE P3B5).
  { name: 'p3b5_found', spec: 'p3b5.darts', genotype: 'Found', roles: ['normal', 'reduce'] },
  // The layers of a linear space (CANDLE Uno): one input, one edge per node.
  {
    name: 'uno_layers',
    spec: 'uno.darts',
    genotype: {
      normal: [
        ['linear_block', 0],
        ['linear_conv', 1],
      ],
      normal_concat: [2],
    },
    roles: ['normal'],
  },
] as const;

describe('report: cell diagrams', () => {
  for (const c of cases)
    it(`draws ${c.name} as golden DOT and SVG`, async () => {
      const cells = cellsOf(c.spec, c.genotype as GenotypeInput);
      expect(cells.map((cell) => cell.role)).toEqual(c.roles);
      for (const cell of cells) {
        const dot = cellDot(cell);
        golden(`${c.name}.${cell.role}.dot`, dot);
        golden(`${c.name}.${cell.role}.svg`, await renderSvg(dot));
      }
    });

  it('names the states of DARTS_V2 as the reference draws them, independently of the model', () => {
    const [normal] = cellsOf('darts_cifar10.darts', 'DARTS_V2');
    // The genotype by hand (stdlib/darts.darts): node i keeps pairs 2i and 2i+1.
    const byHand = drawnCell(
      {
        pairs: dartsV2.normal,
        concat: [2, 3, 4, 5],
      },
      { role: 'normal', cell: 'DartsNormal', inputs: 2, keep: 2 },
    );
    expect(normal).toEqual(byHand);
    expect(byHand.nodes[3]!.edges).toEqual([
      { op: 'skip_connect', from: 'c_{k-2}' },
      { op: 'dil_conv_3x3', from: '0' },
    ]);
    expect(cellText(byHand)).toBe(
      [
        'normal cell (DartsNormal)',
        '  0 <- sep_conv_3x3(c_{k-2}) + sep_conv_3x3(c_{k-1})',
        '  1 <- sep_conv_3x3(c_{k-2}) + sep_conv_3x3(c_{k-1})',
        '  2 <- sep_conv_3x3(c_{k-1}) + skip_connect(c_{k-2})',
        '  3 <- skip_connect(c_{k-2}) + dil_conv_3x3(0)',
        '  c_{k} = concat(0, 1, 2, 3)',
        '',
      ].join('\n'),
    );
  });

  it('lays out every state and edge: one SVG node per state, one edge per pair and per concatenated state', async () => {
    const [normal] = cellsOf('darts_cifar10.darts', 'DARTS_V2');
    const svg = await renderSvg(cellDot(normal!));
    const titles = [
      ...svg.matchAll(/<g id="cell_normal_node\d+" class="node">\s*<title>([^<]*)<\/title>/g),
    ].map((m) => m[1]);
    expect(titles.sort()).toEqual(
      ['0', '1', '2', '3', 'c_{k&#45;1}', 'c_{k&#45;2}', 'c_{k}'].sort(),
    );
    expect(svg.match(/class="edge"/g)).toHaveLength(8 + 4);
    expect(svg.match(/>sep_conv_3x3</g)).toHaveLength(5);
    expect(svg).toContain('<title>c_{k&#45;2}&#45;&gt;3</title>');
  });

  it('a one-input chain: c_{k-1} -> 0 -> 1 -> c_{k}', () => {
    const [layers] = cellsOf('uno.darts', cases[2].genotype as GenotypeInput);
    expect(cellText(layers!)).toBe(
      'normal cell (Layers)\n  0 <- linear_block(c_{k-1})\n  1 <- linear_conv(0)\n  c_{k} = 1\n',
    );
  });

  it('escapes what Graphviz would read: quotes and backslashes in names', () => {
    const cell = drawnCell(
      { pairs: [['a"b\\n', 0]], concat: [1] },
      { role: 'normal', inputs: 1, keep: 1 },
    );
    const dot = cellDot(cell);
    expect(dot).toContain('[label="a\\"b\\\\n"');
    expect(dot).not.toContain('"a"b');
  });
});
