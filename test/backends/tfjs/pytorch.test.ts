import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { Network } from '../../../src/backends/tfjs/network.js';
import { selectBackend, tf } from '../../../src/numerics/tf.js';
import { Random } from '../../../src/util/random.js';
import { dartsOps } from '../../helpers/darts.js';
import { graphOf } from '../../helpers/host.js';

/**
 * dartsc's kernels against PyTorch (float64), with the same weights and inputs: every 2-D and
 * 1-D DARTS op at stride 1 and 2, and one whole cell of each. The reference network is
 * rebuilt independently in bench/reference/darts_reference.py from the reference semantics.
 * Runs where /usr/bin/python3 has torch (CI installs python3-torch); skipped otherwise.
 */
const python = '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!hasTorch)
  console.warn(
    'skipping the PyTorch cross-check: /usr/bin/python3 has no torch (apt-get install python3-torch)',
  );

const ops2d = dartsOps;
const ops1d = [
  'none',
  'max_pool_3',
  'avg_pool_3',
  'skip_connect',
  'sep_conv_3',
  'sep_conv_5',
  'dil_conv_3',
  'dil_conv_5',
];

function opSource(dims: 1 | 2, op: string, stride: number): string {
  const [module, type] = dims === 2 ? ['ops2d', 'Img[6, 6, 3]'] : ['ops1d', 'Seq[8, 3]'];
  return `import std.${module}
cell One(C: int) : (x: ${dims === 2 ? 'Img[h, w, c]' : 'Seq[l, c]'}) -> ${dims === 2 ? 'Img[h, w, C]' : 'Seq[l, C]'} { ops [${op}] nodes chain(1) }
cell OneReduce(C: int) = One(C) reducing
space S(C: int = 4) : ${type} -> Logits[3] {
  cells stack(1, normal: One, reduce: OneReduce, at: [${stride === 2 ? '0' : ''}])
  head  global_avg_pool >> dense(3)
}`;
}

function cellSource(dims: 1 | 2): string {
  const [module, ops, type] =
    dims === 2 ? ['ops2d', 'DARTS_OPS', 'Img[6, 6, 3]'] : ['ops1d', 'P3B5_OPS', 'Seq[8, 3]'];
  return `import std.${module}
cell Full(C: int) { ops ${ops} nodes 4 }
space S(C: int = 4) : ${type} -> Logits[3] {
  cells stack(1, normal: Full)
  head  global_avg_pool >> dense(3)
}`;
}

/** How the reference script must lay out a weight, from the op it belongs to. */
function role(name: string): string {
  if (name.includes('depthwise_conv')) return 'depthwise';
  if (name.includes('pointwise_conv')) return 'pointwise';
  if (/\/path[12]$/.test(name)) return 'path';
  return 'plain';
}

const flat = (t: tf.Tensor) => ({ shape: t.shape, data: Array.from(t.dataSync()) });

function makeCase(name: string, source: string, meta: Record<string, unknown>) {
  const graph = graphOf(source);
  const net = new Network(graph, 11);
  const rng = new Random(5);
  const [d0, d1, d2] = graph.nodes[0]!.type.dims;
  const shape = graph.nodes[0]!.type.layout === 'Img' ? [4, d0!, d1!, d2!] : [4, d0!, d1!];
  const out = tf.tidy(() => {
    const x = tf.tensor(rng.normal(shape.reduce((a, b) => a * b, 1)), shape);
    const probe = tf.tensor(rng.uniform(12, 1), [4, 3]);
    const f = (input: tf.Tensor, ...vars: tf.Tensor[]) => {
      const weights = vars.slice(0, net.weights.length);
      const alphas = vars.slice(net.weights.length);
      return tf.sum(tf.mul(net.forward(input, { training: true, weights, alphas }).logits, probe));
    };
    const grads = tf.grads(f)([x, ...net.weights, ...net.alphas]);
    const logits = net.forward(x, { training: true }).logits;
    return {
      name,
      ...meta,
      input: flat(x),
      probe: flat(probe),
      logits: flat(logits),
      weights: net.weights.map((w, i) => ({
        name: net.weightNames[i]!,
        role: role(net.weightNames[i]!),
        ...flat(w),
      })),
      alphas: net.alphas.map((a, i) => ({ name: graph.tables[i]!.name, ...flat(a) })),
      grads: {
        input: flat(grads[0]!),
        weights: grads.slice(1, 1 + net.weights.length).map(flat),
        alphas: grads.slice(1 + net.weights.length).map(flat),
      },
    };
  });
  net.dispose();
  return out;
}

describe('backends/tfjs: cross-check against PyTorch (float64)', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it.skipIf(!hasTorch)(
    'every DARTS op (2-D and 1-D, stride 1 and 2) and one cell of each agree with PyTorch',
    async () => {
      await selectBackend('cpu');
      const cases = [
        ...([2, 1] as const).flatMap((dims) =>
          // `none` alone would cut the input off the loss (no gradient to compare); it is
          // compared inside the cells, where it takes part in every edge's softmax.
          (dims === 2 ? ops2d : ops1d).slice(1).flatMap((op) =>
            [1, 2].map((stride) =>
              makeCase(`${dims}-D ${op} stride ${stride}`, opSource(dims, op, stride), {
                kind: 'op',
                op,
                stride,
                dims,
              }),
            ),
          ),
        ),
        makeCase('2-D DARTS cell', cellSource(2), { kind: 'cell', steps: 4, ops: ops2d, dims: 2 }),
        makeCase('1-D DARTS cell', cellSource(1), { kind: 'cell', steps: 4, ops: ops1d, dims: 1 }),
      ];
      const file = join(mkdtempSync(join(tmpdir(), 'dartsc-torch-')), 'cases.json');
      writeFileSync(file, JSON.stringify(cases));
      const script = join(
        import.meta.dirname,
        '..',
        '..',
        '..',
        'bench',
        'reference',
        'darts_reference.py',
      );
      const result = spawnSync(python, [script, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(result.stderr).toBe('');
      const errors = JSON.parse(result.stdout) as Record<string, Record<string, number>>;
      expect(Object.keys(errors)).toHaveLength(cases.length);
      // cpu float32 against float64: measured 1.2e-7 to 2.0e-6 (docs/backends.md); 1e-4 leaves room.
      for (const [name, perTensor] of Object.entries(errors)) {
        for (const [tensor, error] of Object.entries(perTensor))
          expect(error, `${name}: ${tensor}`).toBeLessThan(1e-4);
      }
    },
  );
});
