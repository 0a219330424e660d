import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import type { BackendName } from '../numerics/tf.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import { reduceBuffers } from './allReduce.js';
import type { Dataset } from './dataset.js';
import {
  batchesOf,
  metrics,
  type SearchEngine,
  type SearchState,
  type StepInput,
} from './search.js';
import type { ShareInput, WorkerReply, WorkerRequest, WorkerSetup } from './searchWorker.js';
import { restoreSnapshot, takeSnapshot } from './snapshot.js';

/**
 * Data-parallel search over worker threads (docs/performance.md): every batch is split into
 * `workers` contiguous shares, each worker computes the gradients of its share's mean loss,
 * and the shares' gradients are summed weighted by share size. Batch-norm statistics are
 * those of each share (as in PyTorch's DistributedDataParallel without SyncBatchNorm), so
 * results depend on the worker count but are reproducible for a given count.
 */

/** A worker thread and its one outstanding request. */
class SearchWorker {
  #pending: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | undefined;
  #failure: Error | undefined;

  constructor(readonly thread: Worker) {
    thread.on('message', (reply: WorkerReply) => this.#settle(reply));
    thread.on('error', (error) => this.#fail(error));
    thread.on('exit', (code) => this.#fail(new Error(`search worker exited with code ${code}`)));
  }

  #settle(reply: WorkerReply) {
    const pending = this.#pending;
    this.#pending = undefined;
    if (reply.kind === 'error') {
      const error = new Error(`search worker: ${reply.message}`);
      if (reply.stack) error.stack = reply.stack;
      pending?.reject(error);
    } else pending?.resolve(reply);
  }

  #fail(error: Error) {
    this.#failure ??= error;
    this.#pending?.reject(error);
    this.#pending = undefined;
  }

  /** The next reply (the first one is `ready`). */
  next(): Promise<WorkerReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => (this.#pending = { resolve, reject }));
  }

  request<K extends WorkerRequest['kind']>(req: WorkerRequest & { kind: K }) {
    const reply = this.next();
    this.thread.postMessage(req);
    return reply as Promise<WorkerReply & { kind: K }>;
  }
}

/**
 * Starts a worker thread: the compiled `searchWorker.js` next to this module or, when dartsc
 * runs from its TypeScript sources (the tests), `searchWorker.ts` through the `tsx` loader
 * (a development dependency).
 */
function startWorker(workerData: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./searchWorker.js', import.meta.url), { workerData });
  const script = new URL('./searchWorker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** Copies the dataset's arrays into shared memory once, so every worker reads the same bytes. */
function sharedData(data: Dataset): Dataset {
  const share = <T extends Float32Array | Int32Array>(a: T, make: (b: SharedArrayBuffer) => T) => {
    const out = make(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  const y =
    data.y instanceof Int32Array
      ? share(data.y, (b) => new Int32Array(b))
      : share(data.y, (b) => new Float32Array(b));
  return { ...data, x: share(data.x, (b) => new Float32Array(b)), y };
}

/** `indices` cut into `parts` contiguous shares whose sizes differ by at most one. */
export function shares(indices: readonly number[], parts: number): number[][] {
  const out: number[][] = [];
  let at = 0;
  for (let r = 0; r < parts; r++) {
    const size = Math.floor(indices.length / parts) + (r < indices.length % parts ? 1 : 0);
    out.push(indices.slice(at, at + size));
    at += size;
  }
  return out;
}

/** Each worker's part of a step; an empty share becomes one filler sample weighing 0. */
function stepShares(input: StepInput, workers: number): ShareInput[] {
  const train = shares(input.trainIdx, workers);
  const valid = shares(input.validIdx, workers);
  return train.map((t, r) => ({
    ...input,
    trainIdx: t.length ? t : input.trainIdx.slice(0, 1),
    validIdx: valid[r]!.length ? valid[r]! : input.validIdx.slice(0, 1),
    trainWeight: t.length / input.trainIdx.length,
    validWeight: valid[r]!.length / input.validIdx.length,
    // Distinct masks per share; rank 0 draws what a single thread would.
    seed: input.seed + r * 7919,
    weightSeed: input.weightSeed + r * 7919,
  }));
}

/** One worker per core, each with at least 16 samples of the batch. */
export function defaultWorkers(batch: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(batch / 16)));
}

/** What a worker engine needs besides the state, data and configuration. */
export interface WorkerOptions {
  readonly workers: number;
  readonly backend: BackendName;
}

/** Starts `workers` search workers holding copies of `state`; resolves once all are ready. */
export async function workerEngine(
  state: SearchState,
  data: Dataset,
  config: SearchConfig,
  { workers, backend }: WorkerOptions,
): Promise<SearchEngine> {
  const snapshot = takeSnapshot(state);
  const size = (ts: readonly { size: number }[]) => ts.reduce((n, t) => n + t.size, 0);
  const { weights, alphas, state: stats } = state.net;
  // The largest vector summed: weights and α together (second order), or the statistics.
  const buffers = reduceBuffers(workers, Math.max(size(weights) + size(alphas), size(stats)));
  const shared = sharedData(data);
  const pool = Array.from({ length: workers }, (_, rank) => {
    const setup: WorkerSetup = {
      graph: state.net.graph,
      config,
      backend,
      data: shared,
      snapshot,
      buffers,
      rank,
    };
    return new SearchWorker(startWorker(setup));
  });
  const close = async () => void (await Promise.all(pool.map((w) => w.thread.terminate())));
  try {
    await Promise.all(pool.map((w) => w.next()));
  } catch (error) {
    await close();
    throw error;
  }
  return engineOver(pool, state, data, close);
}

function engineOver(
  pool: SearchWorker[],
  state: SearchState,
  data: Dataset,
  close: () => Promise<void>,
): SearchEngine {
  // A failed worker leaves the others waiting at a barrier: stop them all.
  const all = async <T>(work: Promise<T>[]): Promise<T[]> => {
    try {
      return await Promise.all(work);
    } catch (error) {
      await close();
      throw error;
    }
  };
  return {
    step: async (input) => {
      const parts = stepShares(input, pool.length);
      const replies = await all(pool.map((w, r) => w.request({ kind: 'step', share: parts[r]! })));
      let loss = 0;
      let correct = 0;
      replies.forEach((reply, r) => {
        loss += reply.loss * parts[r]!.trainWeight;
        if (parts[r]!.trainWeight > 0) correct += reply.correct;
      });
      return { loss, correct };
    },
    evaluate: async (indices, batch, epoch) => {
      const batches = batchesOf(indices, batch);
      const mine = (r: number) => batches.filter((_, k) => k % pool.length === r);
      const replies = await all(
        pool.map((w, r) => w.request({ kind: 'evaluate', batches: mine(r), epoch })),
      );
      const loss = replies.reduce((s, r) => s + r.loss, 0);
      const correct = replies.reduce((s, r) => s + r.correct, 0);
      return metrics(loss, correct, indices.length, data.task === 'regression');
    },
    sync: async () => {
      const reply = await all([pool[0]!.request({ kind: 'snapshot' })]);
      restoreSnapshot(state, reply[0]!.snapshot);
    },
    close,
    heaps: async () =>
      (await all(pool.map((w) => w.request({ kind: 'memory' })))).map((r) => r.memory.heap),
  };
}
