import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  programConfig,
  torchSearchEngine,
  TorchSession,
} from '../../../src/runtime/torch/torchEngine.js';
import { selectBackend } from '../../../src/numerics/tf.js';
import {
  epochOrder,
  freshState,
  localEngine,
  type SearchEngine,
  type SearchState,
} from '../../../src/runtime/search.js';
import { takeSnapshot, type Snapshot } from '../../../src/runtime/snapshot.js';
import { root } from '../../helpers/cli.js';
import { dedent } from '../../helpers/host.js';
import { searchSetup } from '../../helpers/searchSetup.js';

// The test files share two cores: one PyTorch thread per process (the program's default is
// cores / processes, which oversubscribes a machine that also runs another test file).
process.env.OMP_NUM_THREADS ??= '1';

/**
 * The PyTorch engine against the exact `cpu` backend: from the same initial weights and α
 * (dartsc writes them, the program loads them) and the same batches, 5 search steps of first
 * and of second order give the same weights, running statistics and α (relative 1e-4 of each
 * tensor's largest value; the momentum buffers 1e-3), on a 2-D space with whole DARTS cells (every DARTS candidate, a
 * reduction cell, factorized reduces) and a 1-D one (the 1-D candidates, strided).
 */
const twoD = (order: string) => dedent`
  import std.darts
  space S(C: int = 2) : Img[4, 4, 3] -> Logits[3] {
    stem  conv2d(3 * C, 3, padding: 1) >> batch_norm(affine: true)
    cells stack(2, normal: DartsNormal, reduce: DartsReduce, at: [1])
    head  global_avg_pool >> dense(3)
  }
  search {
    space S(C: 2)
    data  synthetic(samples: 176, classes: 3, seed: 4, noise: 1)
    batch 8
    seed  3
    order ${order}
    arch  adam(lr: 6e-3)
  }
`;

const oneD = (order: string, batch = 8) => dedent`
  import std.ops1d
  cell Conv1dCell(C: int) {
    ops    P3B5_OPS
    nodes  2
    keep   2
    output concat(nodes)
  }
  cell Conv1dReduce(C: int) = Conv1dCell(C) reducing
  space P(C: int = 4) : Seq[12, 5] -> Logits[3] {
    stem  conv1d(2 * C, 3, padding: 1) >> batch_norm(affine: true)
    cells stack(3, normal: Conv1dCell, reduce: Conv1dReduce, at: [1])
    head  global_avg_pool >> dense(3)
  }
  search {
    space P(C: 4)
    data  synthetic(samples: 176, classes: 3, seed: 5, noise: 1)
    batch ${batch}
    seed  2
    order ${order}
    arch  adam(lr: 6e-3)
  }
`;

// Ops outside DARTS cells: embedding, a biased conv, pools padded past half their window
// (PyTorch's own pools refuse that padding), a pool counting its padding, flatten.
const tokens = (order: string) => dedent`
  import std.ops1d
  cell Conv1dCell(C: int) {
    ops    P3B5_OPS
    nodes  1
    keep   2
    output concat(nodes)
  }
  space T(C: int = 4) : Tokens[100] -> Logits[10] {
    stem  embedding(8, C) >> conv1d(C, 3, padding: 1, bias: true)
      >> avg_pool(3, padding: 2, count_include_pad: true) >> max_pool(3, stride: 2, padding: 2)
      >> avg_pool(3, padding: 2) >> batch_norm(affine: true)
    cells stack(1, normal: Conv1dCell)
    head  flatten >> dense(10)
  }
  search {
    space T(C: 4)
    data  jsonl(path: ${JSON.stringify(join(root, 'examples', 'data', 'digits.tokens.jsonl'))}, length: 100, test: 0.9)
    batch 8
    seed  2
    order ${order}
    arch  adam(lr: 6e-3)
  }
`;

async function run(
  text: string,
  engineOf: (state: SearchState, s: ReturnType<typeof searchSetup>) => Promise<SearchEngine>,
  batchOf: (idx: number[]) => number[] = (idx) => idx,
) {
  const s = searchSetup(text);
  const state = freshState(s.graph, s.config);
  const engine = await engineOf(state, s);
  try {
    const { rng, order } = epochOrder(s.config, 0, s.splits.train);
    const losses: number[] = [];
    const b = s.config.batch;
    for (let step = 0; step < 5; step++) {
      const validIdx = rng.permutation(s.splits.valid.length).slice(0, b);
      const r = await engine.step({
        trainIdx: batchOf(order.slice(step * b, step * b + b)),
        validIdx: batchOf(validIdx.map((i) => s.splits.valid[i]!)),
        lr: 0.025,
        seed: rng.fork(),
        weightSeed: rng.fork(),
        epoch: 0,
      });
      losses.push(r.loss);
    }
    const valid = await engine.evaluate(s.splits.valid, b);
    await engine.sync();
    return { losses, valid, snapshot: takeSnapshot(state) };
  } finally {
    await engine.close();
    state.net.dispose();
  }
}

const dirs: string[] = [];
async function torchEngine(state: SearchState, s: ReturnType<typeof searchSetup>, nproc = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'dartsc-torch-test-'));
  dirs.push(dir);
  const settings = { config: programConfig(s.config), origin: 'test', splits: s.splits };
  const session = await TorchSession.start(s.graph, s.data, state, settings, {
    dir,
    nproc,
    device: 'cpu',
  });
  return torchSearchEngine(session, state, false);
}

/**
 * The largest difference of each tensor relative to its largest value (at least 1e-3: a
 * running mean after a batch norm stays at zero up to rounding), by tensor name.
 */
function relativeErrors(a: Snapshot, b: Snapshot): Map<string, number> {
  expect(a.tensors.map((t) => t.name)).toEqual(b.tensors.map((t) => t.name));
  const out = new Map<string, number>();
  a.tensors.forEach((t, i) => {
    const u = b.tensors[i]!.data;
    let diff = 0;
    let scale = 0;
    t.data.forEach((x, j) => {
      diff = Math.max(diff, Math.abs(x - u[j]!));
      scale = Math.max(scale, Math.abs(u[j]!));
    });
    out.set(t.name, diff / Math.max(scale, 1e-3));
  });
  return out;
}

describe('pytorch engine vs the cpu backend', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await selectBackend('wasm');
  });

  for (const [space, text, orders] of [
    ['2-D', twoD, ['first', 'second']],
    ['1-D', oneD, ['first', 'second']],
    ['token', tokens, ['first']],
  ] as const) {
    for (const order of orders) {
      it(`agrees over 5 ${order}-order steps on a ${space} space`, async () => {
        const spec = text(order);
        const torch = await run(spec, torchEngine);
        const native = await run(spec, async (state, s) => localEngine(state, s.data, s.config));
        const errors = relativeErrors(torch.snapshot, native.snapshot);
        // The momentum buffers are sums of raw gradients, whose float32 rounding shows more.
        for (const [name, e] of errors)
          expect(e, name).toBeLessThan(name.startsWith('sgd:') ? 1e-3 : 1e-4);
        torch.losses.forEach((l, i) => expect(l).toBeCloseTo(native.losses[i]!, 4));
        expect(torch.valid.loss).toBeCloseTo(native.valid.loss, 4);
      }, 120_000);
    }
  }
});

describe('pytorch engine over two processes (gloo)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await selectBackend('wasm');
  });

  it('computes the step of one process when both shares hold the same samples', async () => {
    // Each rank's share is the whole batch: its batch statistics are the batch's, so the
    // weighted all-reduce must give exactly one process's step (up to rounding).
    const spec = oneD('first');
    const one = await run(spec, (state, s) => torchEngine(state, s, 1));
    const two = await run(
      spec,
      (state, s) => torchEngine(state, s, 2),
      (idx) => [...idx, ...idx],
    );
    for (const [name, e] of relativeErrors(two.snapshot, one.snapshot))
      expect(e, name).toBeLessThan(name.startsWith('sgd:') ? 1e-3 : 1e-4);
    two.losses.forEach((l, i) => expect(l).toBeCloseTo(one.losses[i]!, 5));
  }, 120_000);

  it('gives α close to one process on the same global batch', async () => {
    // Distinct halves: each rank normalises with its half's statistics (as DDP without
    // SyncBatchNorm), so the steps differ. Measured (docs/engines.md): cosine 0.88 between the
    // moves of α after 5 steps, their difference 49 % of their size (batch 16 as 8 + 8).
    const spec = oneD('first', 16);
    const one = await run(spec, (state, s) => torchEngine(state, s, 1));
    const two = await run(spec, (state, s) => torchEngine(state, s, 2));
    const s = searchSetup(spec);
    const start = freshState(s.graph, s.config);
    const init = { snapshot: takeSnapshot(start) };
    start.net.dispose();
    const moved = (r: typeof one) => alphaMoves(r.snapshot, init.snapshot);
    expect(cosine(moved(one), moved(two))).toBeGreaterThan(0.75);
    expect(relNorm(moved(two), moved(one))).toBeLessThan(0.7);
  }, 120_000);
});

/** How far α moved from `start`, every table's entries in one list. */
function alphaMoves(a: Snapshot, start: Snapshot): number[] {
  return a.tensors.flatMap((t, i) =>
    t.name.startsWith('alpha:') ? [...t.data].map((x, j) => x - start.tensors[i]!.data[j]!) : [],
  );
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const cosine = (a: number[], b: number[]) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
function relNorm(a: number[], b: number[]) {
  const d = a.map((x, i) => x - b[i]!);
  return Math.sqrt(dot(d, d) / dot(b, b));
}
