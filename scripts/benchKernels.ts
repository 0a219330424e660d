import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { nodeHost } from '../src/api/host.js';
import { Network } from '../src/backends/tfjs/network.js';
import { check } from '../src/check/check.js';
import { buildNetwork } from '../src/elaborate/buildNetwork.js';
import { lower } from '../src/ir/lower.js';
import { setOwnKernels } from '../src/numerics/fastOps.js';
import { selectBackend, tf } from '../src/numerics/tf.js';

/**
 * Milliseconds per forward + backward on `wasm` with dartsc's own kernels off and on
 * (docs/backends.md, "Own kernels"): each DARTS candidate alone on a one-edge network (a
 * batch-norm stem, the op, global pooling and a dense head) and a whole supernet step. The
 * two configurations alternate, and each figure is the median of the repetitions.
 *
 * Run: `npx tsx scripts/benchKernels.ts [repetitions] [ops|supernet|all] [on,off]`.
 */
const reps = Number(process.argv[2] ?? 7);
const what = process.argv[3] ?? 'all';
const modes = (process.argv[4] ?? 'on,off').split(',') as ('on' | 'off')[];
const dir = mkdtempSync(join(tmpdir(), 'dartsc-bench-'));

function networkOf(source: string): Network {
  writeFileSync(join(dir, 'main.darts'), source);
  const checked = check(join(dir, 'main.darts'), source, nodeHost(dir));
  const built = buildNetwork({ entry: checked.value.program.entry, scopes: checked.value.scopes });
  if (!built.value) throw new Error(built.diagnostics.map((d) => d.message).join('\n'));
  return new Network(lower(built.value), 7);
}

const edge = (op: string, c: number, hw: number) => `
import std.ops2d
cell Edge(C: int) : (x: Img[h, w, c]) -> Img[h, w, C] {
  ops   [${op}]
  nodes chain(1)
}
space S(C: int = ${c}) : Img[${hw}, ${hw}, ${c}] -> Logits[10] {
  stem  batch_norm(affine: true)
  cells stack(1, normal: Edge)
  head  global_avg_pool >> dense(10)
}
`;

const supernet = (c: number, hw: number) => `
import std.darts
space S(C: int = ${c}) : Img[${hw}, ${hw}, 1] -> Logits[10] {
  stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
  cells stack(3, normal: DartsNormal, reduce: DartsReduce, at: [1, 2])
  head  global_avg_pool >> dense(10)
}
`;

/** One forward and backward (weights and α) on a batch, in ms. */
function step(net: Network, batch: number, shape: number[]): number {
  const x = tf.randomNormal([batch, ...shape]);
  const labels = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
  const start = performance.now();
  tf.tidy(() => {
    const loss = () =>
      tf.losses.softmaxCrossEntropy(labels, net.forward(x, { training: true }).logits) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, [...net.weights, ...net.alphas]);
    Object.values(grads).forEach((g) => g.dataSync());
  });
  const ms = performance.now() - start;
  tf.dispose([x, labels]);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(label: string, net: Network, batch: number, shape: number[]): void {
  const times: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let r = -1; r < reps; r++) {
    for (const mode of r % 2 ? [...modes].reverse() : modes) {
      setOwnKernels(mode === 'on');
      const ms = step(net, batch, shape);
      if (r >= 0) times[mode].push(ms); // the first round warms up
    }
  }
  const [off, on] = [median(times.off) ?? NaN, median(times.on) ?? NaN];
  const row = [label, off.toFixed(1), on.toFixed(1), (off / on).toFixed(2) + 'x'];
  process.stdout.write(`| ${row.join(' | ')} |\n`);
}

await selectBackend('wasm');
process.stdout.write('| batch 32, wasm | composite ms | own kernels ms | speed-up |\n');
process.stdout.write('| --- | --- | --- | --- |\n');
for (const [c, hw] of what === 'supernet'
  ? []
  : ([
      [8, 14],
      [16, 14],
      [16, 7],
    ] as const)) {
  for (const op of [
    'sep_conv_3x3',
    'sep_conv_5x5',
    'dil_conv_3x3',
    'dil_conv_5x5',
    'max_pool_3x3',
    'avg_pool_3x3',
  ]) {
    const net = networkOf(edge(op, c, hw));
    measure(`${op}, C ${c}, ${hw}x${hw}`, net, 32, [hw, hw, c]);
    net.dispose();
  }
}
if (what !== 'ops') {
  const net = networkOf(supernet(8, 16));
  measure('supernet step: C 8, 16x16, 3 cells (reductions at 1 and 2)', net, 32, [16, 16, 1]);
  net.dispose();
}
