import { describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';

/**
 * Parameter counts against the reference DARTS implementation, computed here by hand from the
 * per-op formulas of darts-semantics §8.6 and the channel bookkeeping of §4, independently of
 * the code under test: if an op definition, an affine flag, a preprocessor or a reduction
 * position is wrong, the totals differ.
 */

const bn = (c: number, affine: boolean) => (affine ? 2 * c : 0);
const sep = (c: number, k: number, affine: boolean) =>
  2 * (c * k * k + c * c) + bn(c, affine) + bn(c, affine);
const dil = (c: number, k: number, affine: boolean) => c * k * k + c * c + bn(c, affine);
const fr = (cin: number, cout: number, affine: boolean) => 2 * cin * (cout / 2) + bn(cout, affine);
const reluConvBn = (cin: number, cout: number, affine: boolean) => cin * cout + bn(cout, affine);

type Op = 'none' | 'max' | 'avg' | 'skip' | 'sep3' | 'sep5' | 'dil3' | 'dil5';
const all: Op[] = ['none', 'max', 'avg', 'skip', 'sep3', 'sep5', 'dil3', 'dil5'];

function op(name: Op, c: number, stride: number, affine: boolean): number {
  switch (name) {
    case 'none':
    case 'max':
    case 'avg':
      return 0; // pools: no weights; their search-time BN is not affine
    case 'skip':
      return stride === 1 ? 0 : fr(c, c, affine);
    case 'sep3':
      return sep(c, 3, affine);
    case 'sep5':
      return sep(c, 5, affine);
    case 'dil3':
      return dil(c, 3, affine);
    case 'dil5':
      return dil(c, 5, affine);
  }
}

/** A cell: edges as (input state, ops on the edge). */
type Edges = { from: number; ops: Op[] }[];

const searchEdges: Edges = [0, 1, 2, 3].flatMap((i) =>
  Array.from({ length: i + 2 }, (_, j) => ({ from: j, ops: all })),
);

function network(opts: {
  C: number;
  layers: number;
  classes: number;
  affine: boolean;
  normal: Edges;
  reduce: Edges;
  multiplier: number;
  /** NetworkImageNet's two stems and auxiliary head instead of NetworkCIFAR's. */
  imagenet?: boolean;
}): { total: number; aux: number } {
  const { C, layers, classes, affine } = opts;
  const imagenet = opts.imagenet ?? false;
  let total = imagenet ? imagenetStems(C) : 3 * (3 * C) * 9 + bn(3 * C, true); // conv 3x3 + BN
  let [cpp, cp, cur] = imagenet ? [C, C, C] : [3 * C, 3 * C, C];
  // ImageNet: cell 0 reads stem0 (56x56) and stem1 (28x28), as after a reduction.
  let reductionPrev = imagenet;
  let aux = 0;
  for (let i = 0; i < layers; i++) {
    const reduction = i === Math.floor(layers / 3) || i === Math.floor((2 * layers) / 3);
    if (reduction) cur *= 2;
    total += reductionPrev ? fr(cpp, cur, affine) : reluConvBn(cpp, cur, affine);
    total += reluConvBn(cp, cur, affine);
    for (const edge of reduction ? opts.reduce : opts.normal) {
      const stride = reduction && edge.from < 2 ? 2 : 1;
      for (const o of edge.ops) total += op(o, cur, stride, affine);
    }
    [cpp, cp] = [cp, opts.multiplier * cur];
    reductionPrev = reduction;
    if (i === Math.floor((2 * layers) / 3)) {
      // AuxiliaryHeadImageNet has no BN after its 2x2 conv (commented out in the reference).
      const bn768 = imagenet ? 0 : bn(768, true);
      aux = cp * 128 + bn(128, true) + 128 * 768 * 4 + bn768 + 768 * classes + classes;
    }
  }
  total += cp * classes + classes; // classifier
  return { total, aux };
}

/**
 * stem0: conv 3x3 s2 (3 -> C/2) -> BN -> ReLU -> conv 3x3 s2 (C/2 -> C) -> BN; stem1: ReLU ->
 * conv 3x3 s2 (C -> C) -> BN. Convolutions without bias, BNs affine.
 */
const imagenetStems = (C: number) =>
  3 * (C / 2) * 9 + bn(C / 2, true) + (C / 2) * C * 9 + bn(C, true) + C * C * 9 + bn(C, true);

const pairs = (list: [Op, number][]): Edges => list.map(([o, from]) => ({ from, ops: [o] }));
const DARTS_V2 = {
  normal: pairs([
    ['sep3', 0],
    ['sep3', 1],
    ['sep3', 0],
    ['sep3', 1],
    ['sep3', 1],
    ['skip', 0],
    ['skip', 0],
    ['dil3', 2],
  ]),
  reduce: pairs([
    ['max', 0],
    ['max', 1],
    ['skip', 2],
    ['max', 1],
    ['max', 0],
    ['skip', 2],
    ['skip', 2],
    ['max', 1],
  ]),
};
const DARTS_V1 = {
  normal: pairs([
    ['sep3', 1],
    ['sep3', 0],
    ['skip', 0],
    ['sep3', 1],
    ['skip', 0],
    ['sep3', 1],
    ['sep3', 0],
    ['skip', 2],
  ]),
  reduce: pairs([
    ['max', 0],
    ['max', 1],
    ['skip', 2],
    ['max', 0],
    ['max', 0],
    ['skip', 2],
    ['skip', 2],
    ['avg', 0],
  ]),
};

async function inspect(...args: string[]) {
  return JSON.parse(await inspectText('examples/darts_cifar10.darts', '--json', ...args)) as {
    params: number;
    aux_params: number;
    alphas: number;
    stems: { name: string; input: string; output: string }[];
    cells: { inputs: string[]; output: string; reducing: boolean }[];
  };
}

async function inspectText(spec: string, ...args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await main(['inspect', spec, ...args], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    cwd: new URL('../..', import.meta.url).pathname,
    color: false,
  });
  expect(err).toBe('');
  expect(code).toBe(0);
  return out;
}

describe('check: parameter counts against the reference formulas', () => {
  it('counts the CIFAR search supernet (C = 16, 8 layers) exactly', async () => {
    const expected = network({
      C: 16,
      layers: 8,
      classes: 10,
      affine: false,
      normal: searchEdges,
      reduce: searchEdges,
      multiplier: 4,
    });
    expect(expected.total).toBe(1_930_618); // the reference logs "param size = 1.930618MB"
    const j = await inspect();
    expect(j.params).toBe(expected.total);
    expect(j.alphas).toBe(2 * 14 * 8);
    expect(j.cells).toHaveLength(8);
  });

  it('counts a smaller search supernet (C = 8, 5 layers) exactly', async () => {
    const expected = network({
      C: 8,
      layers: 5,
      classes: 10,
      affine: false,
      normal: searchEdges,
      reduce: searchEdges,
      multiplier: 4,
    });
    expect((await inspect('--set', 'C=8', '--set', 'layers=5')).params).toBe(expected.total);
  });

  it('counts the DARTS_V2 retrain network (C = 36, 20 layers) exactly, auxiliary head apart', async () => {
    const expected = network({
      C: 36,
      layers: 20,
      classes: 10,
      affine: true,
      ...DARTS_V2,
      multiplier: 4,
    });
    expect(expected.total).toBe(3_349_342); // the paper's 3.3M; the reference logs 3.349342MB
    const j = await inspect(
      '--genotype',
      'DARTS_V2',
      '--retrain',
      '--set',
      'C=36',
      '--set',
      'layers=20',
    );
    expect(j.params).toBe(expected.total);
    expect(j.aux_params).toBe(expected.aux);
    expect(j.alphas).toBe(0);
  });

  it('counts the DARTS_V1 retrain network exactly', async () => {
    const expected = network({
      C: 36,
      layers: 20,
      classes: 10,
      affine: true,
      ...DARTS_V1,
      multiplier: 4,
    });
    const j = await inspect(
      '--genotype',
      'DARTS_V1',
      '--retrain',
      '--set',
      'C=36',
      '--set',
      'layers=20',
    );
    expect(j.params).toBe(expected.total);
    expect(j.aux_params).toBe(expected.aux);
  });

  it('gives the reference shapes (darts-semantics T5), channels last', async () => {
    const search = await inspect();
    expect(search.stems[0]!.output).toBe('Img[32, 32, 48]');
    expect(search.cells.map((c) => c.output)).toEqual([
      ...Array(2).fill('Img[32, 32, 64]'),
      ...Array(3).fill('Img[16, 16, 128]'),
      ...Array(3).fill('Img[8, 8, 256]'),
    ]);
    expect(search.cells.map((c) => c.reducing)).toEqual([
      false,
      false,
      true,
      false,
      false,
      true,
      false,
      false,
    ]);
    const derived = await inspect(
      '--genotype',
      'DARTS_V2',
      '--retrain',
      '--set',
      'C=36',
      '--set',
      'layers=20',
    );
    expect(derived.stems[0]!.output).toBe('Img[32, 32, 108]');
    expect(derived.cells.map((c) => c.output)).toEqual([
      ...Array(6).fill('Img[32, 32, 144]'),
      ...Array(7).fill('Img[16, 16, 288]'),
      ...Array(7).fill('Img[8, 8, 576]'),
    ]);
  });

  it('counts the DARTS_V2 ImageNet network (C = 48, 14 cells) exactly, with its two stems', async () => {
    const expected = network({
      C: 48,
      layers: 14,
      classes: 1000,
      affine: true,
      ...DARTS_V2,
      multiplier: 4,
      imagenet: true,
    });
    // The paper's 4.7M; NetworkImageNet of the reference, rebuilt in PyTorch, counts the same.
    expect(expected.total).toBe(4_718_752);
    expect(expected.aux).toBe(1_260_776);
    const args = ['--space', 'DartsImageNet', '--genotype', 'DARTS_V2', '--retrain'];
    const table = await inspectText('stdlib/darts.darts', ...args);
    expect(table).toContain(`parameters: ${expected.total.toLocaleString('en-US')}`);
    expect(table).toMatch(/^ 0 +DartsNormal +normal +48 +Img\[56, 56, 48\], Img\[28, 28, 48\] /m);
    const j = JSON.parse(await inspectText('stdlib/darts.darts', '--json', ...args)) as Awaited<
      ReturnType<typeof inspect>
    >;
    expect(j.params).toBe(expected.total);
    expect(j.aux_params).toBe(expected.aux);
    expect(j.stems.map((s) => [s.name, s.input, s.output])).toEqual([
      ['stem0', 'Img[224, 224, 3]', 'Img[56, 56, 48]'],
      ['stem1', 'Img[56, 56, 48]', 'Img[28, 28, 48]'],
    ]);
    expect(j.cells[0]!.inputs).toEqual(['Img[56, 56, 48]', 'Img[28, 28, 48]']);
    expect(j.cells.map((c) => c.output)).toEqual([
      ...Array(4).fill('Img[28, 28, 192]'),
      ...Array(5).fill('Img[14, 14, 384]'),
      ...Array(5).fill('Img[7, 7, 768]'),
    ]);
  });

  it('gives the ImageNet search supernet its two stems and the reference reductions', async () => {
    const expected = network({
      C: 48,
      layers: 14,
      classes: 1000,
      affine: false,
      normal: searchEdges,
      reduce: searchEdges,
      multiplier: 4,
      imagenet: true,
    });
    const args = ['--space', 'DartsImageNet', '--json'];
    const j = JSON.parse(await inspectText('stdlib/darts.darts', ...args)) as Awaited<
      ReturnType<typeof inspect>
    >;
    expect(j.params).toBe(expected.total);
    expect(j.cells.map((c) => c.reducing).flatMap((r, i) => (r ? [i] : []))).toEqual([4, 9]);
  });
});
