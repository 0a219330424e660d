import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/numerics/tf.js';
import {
  epochOrder,
  freshState,
  localEngine,
  type SearchEngine,
  type SearchState,
} from '../../src/runtime/search.js';
import { takeSnapshot, type Snapshot } from '../../src/runtime/snapshot.js';
import { shares, workerEngine } from '../../src/runtime/workerEngine.js';
import { exampleText } from '../helpers/derived.js';
import { searchSetup } from '../helpers/searchSetup.js';

// The tiny example (batch 16, second order by its spec) and a first-order copy.
const tiny = exampleText('tiny.darts');
const firstOrder = tiny.replace('order   second', 'order   first');

const setup = searchSetup;

/** Runs `steps` steps and an evaluation, returning the final state as arrays. */
async function run(
  text: string,
  steps: number,
  engineOf: (state: SearchState, s: ReturnType<typeof setup>) => Promise<SearchEngine>,
  batchOf: (idx: number[]) => number[] = (idx) => idx,
) {
  const s = setup(text);
  const state = freshState(s.graph, s.config);
  const engine = await engineOf(state, s);
  try {
    const { rng, order } = epochOrder(s.config, 0, s.splits.train);
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      const trainIdx = order.slice(step * 16, step * 16 + 16);
      const validIdx = rng
        .permutation(s.splits.valid.length)
        .slice(0, 16)
        .map((i) => s.splits.valid[i]!);
      const r = await engine.step({
        trainIdx: batchOf(trainIdx),
        validIdx: batchOf(validIdx),
        lr: 0.025,
        seed: rng.fork(),
        weightSeed: rng.fork(),
        epoch: 0,
      });
      losses.push(r.loss);
    }
    const valid = await engine.evaluate(s.splits.valid, 16);
    await engine.sync();
    return { losses, valid, snapshot: takeSnapshot(state) };
  } finally {
    await engine.close();
    state.net.dispose();
  }
}

function expectSame(a: Snapshot, b: Snapshot) {
  expect(a.tensors.map((t) => t.name)).toEqual(b.tensors.map((t) => t.name));
  a.tensors.forEach((t, i) => {
    expect(Buffer.from(t.data.buffer).equals(Buffer.from(b.tensors[i]!.data.buffer)), t.name).toBe(
      true,
    );
  });
}

describe('worker engine', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(async () => {
    await selectBackend('wasm');
  });

  it('cuts a batch into contiguous shares differing by at most one', () => {
    expect(shares([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(shares([1], 3)).toEqual([[1], [], []]);
  });

  it('with one worker, computes bitwise what the search does on this thread (cpu, second order)', async () => {
    const local = await run(tiny, 2, async (state, s) => localEngine(state, s.data, s.config));
    const one = await run(tiny, 2, (state, s) =>
      workerEngine(state, s.data, s.config, { workers: 1, backend: 'cpu' }),
    );
    expect(one.losses).toEqual(local.losses);
    expect(one.valid).toEqual(local.valid);
    expectSame(one.snapshot, local.snapshot);
  }, 60_000);

  it('with two workers, is bitwise reproducible (cpu)', async () => {
    const two = () =>
      run(firstOrder, 3, (state, s) =>
        workerEngine(state, s.data, s.config, { workers: 2, backend: 'cpu' }),
      );
    const [a, b] = [await two(), await two()];
    expect(a.losses).toEqual(b.losses);
    expectSame(a.snapshot, b.snapshot);
  }, 90_000);

  it('with two workers on a batch of two equal halves, takes the one-thread step (cpu, second order)', async () => {
    // Each half holds the same samples, so its batch statistics are the whole batch's: the
    // weighted sum of the halves' gradients must be the whole batch's gradient.
    const doubled = (idx: number[]) => [...idx.slice(0, 8), ...idx.slice(0, 8)];
    const two = await run(
      tiny,
      2,
      (state, s) => workerEngine(state, s.data, s.config, { workers: 2, backend: 'cpu' }),
      doubled,
    );
    const one = await run(
      tiny,
      2,
      async (state, s) => localEngine(state, s.data, s.config),
      doubled,
    );
    two.losses.forEach((l, i) => expect(l).toBeCloseTo(one.losses[i]!, 5));
    two.snapshot.tensors.forEach((t, i) => {
      const reference = one.snapshot.tensors[i]!.data;
      // Running variances differ by the unbiased factor n/(n-1) of 8 against 16 samples.
      const tolerance = t.name.startsWith('s:') ? 2e-3 : 1e-4;
      expect(
        maxAbs(t.data, reference) / (1e-3 + maxAbs(reference, new Float32Array(reference.length))),
        t.name,
      ).toBeLessThan(tolerance);
    });
  }, 90_000);

  it('rejects when a worker cannot start (its backend is missing)', async () => {
    const s = setup(firstOrder);
    const state = freshState(s.graph, s.config);
    const started = workerEngine(state, s.data, s.config, { workers: 2, backend: 'tensorflow' });
    await expect(started).rejects.toThrow(/tensorflow backend needs/);
    state.net.dispose();
  }, 60_000);
});

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
