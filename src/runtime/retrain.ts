import { Network } from '../backends/tfjs/network.js';
import { tf } from '../numerics/tf.js';
import type { Schedule } from '../elaborate/searchConfig.js';
import type { IrGraph } from '../ir/graph.js';
import type { Dataset } from './data.js';
import { gradientsOrZeros, learningRate, Sgd } from './optim.js';
import {
  betweenSteps,
  batchHits,
  batchLoss,
  epochOrder,
  metrics,
  toBatch,
  type Metrics,
  type Progress,
  type StepEvent,
} from './search.js';
import { guardFinite, guardWeights } from './diverged.js';

/**
 * Retraining a derived network from scratch (darts-semantics §8.4): SGD with momentum,
 * coupled decay and clipping, a cosine schedule to 0, drop-path ramped linearly from 0 to
 * `dropPath` over the epochs, and the auxiliary loss when the network has that head.
 */
export interface RetrainConfig {
  readonly epochs: number;
  readonly batch: number;
  readonly seed: number;
  readonly lr: Schedule;
  readonly momentum: number;
  readonly decay: number;
  readonly clip: number;
  readonly dropPath: number;
  /** Weight of the auxiliary head's loss (used when the network has one). */
  readonly auxWeight: number;
  /** Stop each epoch after this many steps (tests, quick looks). */
  readonly maxSteps?: number;
}

export interface RetrainEpoch {
  readonly epoch: number;
  readonly epochs: number;
  readonly lr: number;
  readonly dropPath: number;
  readonly train: Metrics;
  readonly seconds: number;
}

export type RetrainEvent = StepEvent | ({ readonly kind: 'epoch' } & RetrainEpoch);

/** Where a retrain starts: fresh, or from a checkpoint's state. */
export interface RetrainState {
  readonly net: Network;
  readonly sgd: Sgd;
  /** The first epoch to run. */
  readonly startEpoch: number;
}

/** A fresh retrain: weights initialised from the seed, no momentum yet. */
export function freshRetrain(graph: IrGraph, config: RetrainConfig): RetrainState {
  return { net: new Network(graph, config.seed), sgd: new Sgd(config), startEpoch: 0 };
}

/** One retrain step's inputs: its samples, learning rate, drop-path rate and mask seed. */
interface RetrainStep {
  readonly idx: readonly number[];
  readonly lr: number;
  readonly dropPath: number;
  readonly seed: number;
}

/**
 * What runs a retrain's arithmetic: on this thread (`localRetrain`), or in a PyTorch program;
 * `sync` brings the state up to date before it is read (reports, checkpoints, the model).
 */
export interface RetrainEngine {
  step(input: RetrainStep): Promise<{ loss: number; hits: number }>;
  sync(): Promise<void>;
}

/** The retrain engine that steps on this thread, on the active backend. */
function localRetrain(
  { net, sgd }: RetrainState,
  data: Dataset,
  config: RetrainConfig,
): RetrainEngine {
  return {
    step: async ({ idx, lr, dropPath, seed }) =>
      tf.tidy(() => {
        const batch = toBatch(data, idx);
        let hits = 0;
        const f = () => {
          const out = net.forward(batch.x, { training: true, seed, updateStats: true, dropPath });
          hits = batchHits(out.logits, batch);
          const main = batchLoss(out.logits, batch);
          return out.aux ? tf.add(main, tf.mul(batchLoss(out.aux, batch), config.auxWeight)) : main;
        };
        const { value, grads } = tf.variableGrads(f as () => tf.Scalar, net.weights);
        const g = gradientsOrZeros(
          net.weights,
          net.weights.map((w) => grads[w.name]),
        );
        sgd.step(net.weights, g, lr);
        return { loss: value.dataSync()[0]!, hits };
      }),
    sync: async () => {},
  };
}

/**
 * Trains on the `train` samples from `state.startEpoch`; `onEpoch` gets each report and the
 * state to resume after it. Returns the reports of the epochs it ran.
 */
export async function retrain(
  state: RetrainState,
  data: Dataset,
  train: readonly number[],
  config: RetrainConfig,
  progress: Progress<RetrainEvent>,
  onEpoch: (report: RetrainEpoch, next: RetrainState) => Promise<void> | void,
  engine: RetrainEngine = localRetrain(state, data, config),
): Promise<RetrainEpoch[]> {
  const reports: RetrainEpoch[] = [];
  for (let epoch = state.startEpoch; epoch < config.epochs; epoch++) {
    const started = Date.now();
    const lr = learningRate(config.lr, epoch, config.epochs);
    const dropPath = (config.dropPath * epoch) / config.epochs;
    const result = await trainEpoch(engine, data, train, config, { epoch, lr, dropPath }, progress);
    await engine.sync();
    guardWeights(state.net, epoch);
    const seconds = (Date.now() - started) / 1000;
    const report = { epoch, epochs: config.epochs, lr, dropPath, train: result, seconds };
    progress.onEvent({ kind: 'epoch', ...report });
    await onEpoch(report, { ...state, startEpoch: epoch + 1 });
    reports.push(report);
  }
  return reports;
}

async function trainEpoch(
  engine: RetrainEngine,
  data: Dataset,
  train: readonly number[],
  config: RetrainConfig,
  { epoch, lr, dropPath }: { epoch: number; lr: number; dropPath: number },
  { onEvent, signal }: Progress<RetrainEvent>,
) {
  const { rng, order, steps } = epochOrder(config, epoch, train);
  let loss = 0;
  let correct = 0;
  let seen = 0;
  for (let step = 0; step < steps; step++) {
    const idx = order.slice(step * config.batch, (step + 1) * config.batch);
    const seed = rng.fork();
    const result = await engine.step({ idx, lr, dropPath, seed });
    guardFinite('the train loss', result.loss, epoch, step + 1);
    loss += result.loss * idx.length;
    correct += result.hits;
    seen += idx.length;
    onEvent({ kind: 'step', epoch, step: step + 1, steps, loss: result.loss });
    await betweenSteps(signal);
  }
  return metrics(loss, correct, seen, data.task === 'regression');
}
