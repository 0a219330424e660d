import { parentPort, workerData } from 'node:worker_threads';

import { selectBackend, tf, wasmHeapBytes, type BackendName, type Tensor } from '../numerics/tf.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import type { IrGraph } from '../ir/graph.js';
import { AllReduce, type ReduceBuffers } from './allReduce.js';
import type { Dataset } from './dataset.js';
import {
  evaluateBatches,
  evalForward,
  freshState,
  searchStep,
  type SearchState,
  type StepInput,
  type StepReduce,
} from './search.js';
import { restoreSnapshot, takeSnapshot, type Snapshot } from './snapshot.js';

/**
 * A search worker: one replica of the search state on its own backend instance (its own wasm
 * heap), computing on its share of every batch. Replicas apply the same summed gradients, so
 * they stay identical without sending weights; the main thread asks rank 0 for a snapshot
 * when it needs the state (reports, checkpoints).
 */
export interface WorkerSetup {
  readonly graph: IrGraph;
  readonly config: SearchConfig;
  readonly backend: BackendName;
  readonly data: Dataset;
  readonly snapshot: Snapshot;
  readonly buffers: ReduceBuffers;
  readonly rank: number;
}

/** A worker's memory: its wasm heap (null on other backends). */
export interface WorkerMemory {
  readonly heap: number | null;
}

/** A share of a step: its samples and the fraction of the batch they weigh (0 for a filler). */
export interface ShareInput extends StepInput {
  readonly trainWeight: number;
  readonly validWeight: number;
}

export type WorkerRequest =
  | { readonly kind: 'step'; readonly share: ShareInput }
  | { readonly kind: 'evaluate'; readonly batches: number[][]; readonly epoch?: number }
  | { readonly kind: 'snapshot' }
  | { readonly kind: 'memory' };

export type WorkerReply =
  | { readonly kind: 'ready'; readonly backend: BackendName }
  | { readonly kind: 'step'; readonly loss: number; readonly correct: number }
  | { readonly kind: 'evaluate'; readonly loss: number; readonly correct: number }
  | { readonly kind: 'snapshot'; readonly snapshot: Snapshot }
  | { readonly kind: 'memory'; readonly memory: WorkerMemory }
  | { readonly kind: 'error'; readonly message: string; readonly stack?: string };

/** Scaled by `weight`, summed over workers, back as tensors of the same shapes. */
function reduceTensors(group: AllReduce, tensors: Tensor[], weight: number): Tensor[] {
  const parts = tensors.map((t) => scaled(t.dataSync() as Float32Array, weight));
  const sum = group.sum(parts);
  let at = 0;
  return tensors.map((t) => {
    const out = tf.tensor(sum.subarray(at, at + t.size), t.shape);
    at += t.size;
    return out;
  });
}

function scaled(data: Float32Array, weight: number): Float32Array {
  if (weight === 1) return data;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! * weight;
  return out;
}

function stepReduce(group: AllReduce, share: ShareInput): StepReduce {
  return {
    train: (g) => reduceTensors(group, g, share.trainWeight),
    valid: (g) => reduceTensors(group, g, share.validWeight),
    // Running statistics are linear in the batch statistics: the weighted sum of the
    // replicas' is the update with the shares' statistics averaged.
    stats: (net) => {
      const summed = reduceTensors(group, net.state, share.trainWeight);
      net.state.forEach((v, i) => v.assign(summed[i]!));
      tf.dispose(summed);
    },
  };
}

function handle(state: SearchState, setup: WorkerSetup, group: AllReduce, req: WorkerRequest) {
  switch (req.kind) {
    case 'step': {
      const r = searchStep(
        state,
        setup.data,
        setup.config,
        req.share,
        stepReduce(group, req.share),
      );
      return { kind: 'step' as const, ...r };
    }
    case 'evaluate':
      return {
        kind: 'evaluate' as const,
        ...evaluateBatches(
          state.net,
          setup.data,
          req.batches,
          evalForward(setup.config, req.epoch),
        ),
      };
    case 'snapshot':
      return { kind: 'snapshot' as const, snapshot: takeSnapshot(state) };
    case 'memory':
      return { kind: 'memory' as const, memory: { heap: wasmHeapBytes() ?? null } };
  }
}

async function main() {
  const port = parentPort!;
  const setup = workerData as WorkerSetup;
  const backend = await selectBackend(setup.backend);
  const state = freshState(setup.graph, setup.config);
  restoreSnapshot(state, setup.snapshot);
  const group = new AllReduce(setup.buffers, setup.rank);
  port.on('message', (req: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      reply = handle(state, setup, group, req);
    } catch (error) {
      const e = error as Error;
      reply = { kind: 'error', message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ kind: 'ready', backend } satisfies WorkerReply);
}

if (parentPort) void main();
