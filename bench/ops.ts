import { join } from 'node:path';

import { compile } from '../src/api/compile.js';
import { kernels, type KernelContext } from '../src/backends/tfjs/kernels.js';
import { formatDiagnostics } from '../src/diagnostics/render.js';
import { buildNetwork } from '../src/elaborate/buildNetwork.js';
import { nodeWeights, type IrGraph, type OpNode } from '../src/ir/graph.js';
import { lower } from '../src/ir/lower.js';
import { tf, type Tensor } from '../src/numerics/tf.js';
import { Random } from '../src/util/random.js';
import { batch, opChannels, opSize, repoRoot, type OpCase } from './cases.js';

/**
 * One DARTS candidate alone on dartsc's kernels: the op nodes of one edge of a one-op cell,
 * lifted out of the compiled supernet (no preprocessor, no head), forward then backward of
 * sum(out * probe) to the input and the op's weights.
 */

function opSource({ dims, op, stride }: OpCase): string {
  const [module, type, sig] =
    dims === 2
      ? ['ops2d', `Img[${opSize[2].join(', ')}, ${opChannels}]`, 'Img[h, w, c]) -> Img[h, w, C]']
      : ['ops1d', `Seq[${opSize[1][0]}, ${opChannels}]`, 'Seq[l, c]) -> Seq[l, C]'];
  return `import std.${module}
cell One(C: int) : (x: ${sig} { ops [${op}] nodes chain(1) }
cell OneReduce(C: int) = One(C) reducing
space S(C: int = ${stride === 2 ? opChannels / 2 : opChannels}) : ${type} -> Logits[3] {
  cells stack(1, normal: One, reduce: OneReduce, at: [${stride === 2 ? '0' : ''}])
  head  global_avg_pool >> dense(3)
}
`;
}

function graphOf(c: OpCase): IrGraph {
  const path = join(repoRoot(), 'bench', 'op.darts');
  const program = compile({ text: opSource(c), path }, { cwd: repoRoot() });
  const built =
    program.value && buildNetwork({ entry: program.value.entry, scopes: program.value.scopes });
  if (!built?.value)
    throw new Error(
      formatDiagnostics(built?.diagnostics ?? program.diagnostics, {
        format: 'short',
        color: false,
      }),
    );
  return lower(built.value);
}

export interface OpRunner {
  readonly params: number;
  /** The op's input shape, channels first as PyTorch has it (C, then the spatial sizes). */
  readonly torchInput: { readonly C: number; readonly size: readonly number[] };
  /** One forward and backward; `none` (never computed in a supernet) has forward only. */
  run(): void;
  dispose(): void;
}

export function opRunner(c: OpCase): OpRunner {
  const graph = graphOf(c);
  const nodes = graph.nodes.filter(
    (n): n is OpNode => n.op !== 'mixed' && n.site.part === 'edge' && n.site.candidate === c.op,
  );
  const first = nodes[0]!;
  const input = graph.nodes[first.inputs[0]!]!.type.dims;
  const rng = new Random(7);
  const specs = nodes.map((n) => nodeWeights(graph, n));
  const own = specs.map((list) =>
    list.map((s) =>
      tf.tensor(
        rng.normal(
          s.shape.reduce((a, b) => a * b, 1),
          0.1,
        ),
        [...s.shape],
      ),
    ),
  );
  const trainable = specs.flatMap((list, i) =>
    list.flatMap((s, j) => (s.trainable ? [own[i]![j]!] : [])),
  );
  const x = tf.tensor(rng.normal(batch * input.reduce((a, b) => a * b, 1)), [batch, ...input]);
  const ctx: KernelContext = { training: true, seed: () => 1 };
  const forward = (xs: Tensor, ws: readonly Tensor[]) => {
    const values = new Map<number, Tensor>();
    let k = 0;
    const weights = own.map((list, i) =>
      list.map((t, j) => (specs[i]![j]!.trainable ? ws[k++]! : t)),
    );
    nodes.forEach((n, i) => {
      const inputs = n.inputs.map((id) => values.get(id) ?? xs);
      values.set(n.id, kernels[n.op](inputs, weights[i]!, n, ctx));
    });
    return values.get(nodes[nodes.length - 1]!.id)!;
  };
  const shape = tf.tidy(() => forward(x, trainable).shape);
  const probe = tf.tensor(rng.normal(shape.reduce((a, b) => a * b, 1)), shape);
  const loss = (xs: Tensor, ...ws: Tensor[]) => tf.sum(tf.mul(forward(xs, ws), probe));
  return {
    params: trainable.reduce((s, t) => s + t.size, 0),
    torchInput: { C: input[input.length - 1]!, size: input.slice(0, -1) },
    run: () =>
      tf.tidy(() => {
        if (c.op === 'none') return void loss(x).dataSync();
        const grads = tf.grads(loss)([x, ...trainable]);
        grads[0]!.dataSync();
      }),
    dispose: () => tf.dispose([x, probe, ...own.flat()]),
  };
}
