import { Network, type ForwardOptions } from '../backends/tfjs/network.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import type { IrGraph } from '../ir/graph.js';
import type { Genotype } from '../ir/genotype.js';
import { tf } from '../numerics/tf.js';
import { Random } from '../util/random.js';
import { batchHits, batchLoss, metrics, toBatch, type Batch, type Metrics } from './batches.js';
import { alphaGradient, type GradientReduce } from './bilevel.js';
import type { SearchMethod } from './methods/method.js';
import type { Dataset, Splits } from './data.js';
import { guardAlphas, guardFinite, guardWeights } from './diverged.js';
import { Adam, gradientsOrZeros, learningRate, Sgd } from './optim.js';
import {
  alphaTables,
  chooseGenotype,
  currentGenotype,
  methodOf,
  networkModel,
  rawAlphas,
} from './searchModel.js';

export { batchHits, batchLoss, metrics, toBatch, type Batch, type Metrics } from './batches.js';

/**
 * The DARTS search loop (darts-semantics §6.2): per minibatch, an α step on a random valid
 * batch (first or second order), then a weight step on the train batch. Per epoch: train
 * and valid loss and accuracy (reset every epoch), the learning rate, the genotype and α.
 * Progress is a stream of events; the CLI formats them.
 */

/** What an epoch reports. */
export interface EpochReport {
  readonly epoch: number;
  readonly epochs: number;
  readonly lr: number;
  readonly train: Metrics;
  readonly valid: Metrics;
  readonly genotype: Genotype;
  /** softmax(α) per table, rows of probabilities. */
  readonly alphas: Readonly<Record<string, number[][]>>;
  readonly seconds: number;
  /** The method's reason to stop after this epoch (DARTS+), when it stopped the search. */
  readonly stopped?: string;
}

/** One training step done: its batch loss. */
export interface StepEvent {
  readonly kind: 'step';
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
}

export type SearchEvent = StepEvent | ({ readonly kind: 'epoch' } & EpochReport);

/** Where a search starts: fresh, or from a checkpoint's state after `epoch`. */
export interface SearchState {
  readonly net: Network;
  readonly sgd: Sgd;
  readonly adam: Adam;
  /** The first epoch to run. */
  readonly startEpoch: number;
  /** Where an interrupted `startEpoch` stopped: its steps done and their sums. */
  readonly partial?: PartialEpoch;
}

/** The steps of an epoch done before an interrupt, and the sums of their train metrics. */
export interface PartialEpoch {
  readonly step: number;
  readonly loss: number;
  readonly correct: number;
  readonly seen: number;
}

/** A fresh search state: weights and α initialised from the seed. */
export function freshState(graph: IrGraph, config: SearchConfig): SearchState {
  return {
    net: new Network(graph, config.seed, config.init),
    sgd: new Sgd(config.weights),
    adam: new Adam(config.arch),
    startEpoch: 0,
  };
}

/** How a loop reports and can be stopped. */
export interface Progress<E> {
  readonly onEvent: (event: E) => void;
  /** Checked after every step: an aborted signal stops the loop with its reason. */
  readonly signal?: AbortSignal;
}

/**
 * Lets other work run (event consumers, an abort) between steps, and stops with the signal's
 * reason once it is aborted, after `beforeStop` (which saves where to resume).
 */
export async function betweenSteps(
  signal: AbortSignal | undefined,
  beforeStop?: () => Promise<void>,
): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted) await beforeStop?.();
  signal?.throwIfAborted();
}

/** One search step's inputs: its train and valid samples, the learning rate and its seeds. */
export interface StepInput {
  readonly trainIdx: readonly number[];
  readonly validIdx: readonly number[];
  readonly lr: number;
  /** Seed of the α step's masks. */
  readonly seed: number;
  /** Seed of the weight step's masks. */
  readonly weightSeed: number;
  /** The epoch (from 0): what a method's schedules read. */
  readonly epoch: number;
}

/** A step's train-batch loss (mean) and correct predictions. */
export interface StepResult {
  readonly loss: number;
  readonly correct: number;
}

/**
 * What runs the search's arithmetic: on this thread (`localEngine`), or split over worker
 * threads. The loop around it (order, seeds, reports, checkpoints) is the same for both.
 */
export interface SearchEngine {
  /** One α step then one weight step. */
  step(input: StepInput): Promise<StepResult>;
  /** Loss and accuracy in eval mode over `indices`, in batches of `batch`. */
  evaluate(indices: readonly number[], batch: number, epoch?: number): Promise<Metrics>;
  /** Brings `state` (the one the engine was made from) up to date, before it is read. */
  sync(): Promise<void>;
  /** Releases what the engine holds beyond `state`. */
  close(): Promise<void>;
  /** Each worker's wasm heap in bytes (empty on one thread, null entries off wasm). */
  heaps(): Promise<(number | null)[]>;
}

/** The engine that runs every step on this thread, on the active backend. */
export function localEngine(state: SearchState, data: Dataset, config: SearchConfig): SearchEngine {
  return {
    step: async (input) => searchStep(state, data, config, input),
    evaluate: async (indices, batch, epoch) =>
      evaluate(state.net, data, indices, batch, evalForward(config, epoch)),
    sync: async () => {},
    close: async () => {},
    heaps: async () => [],
  };
}

/**
 * Runs the epochs from `state.startEpoch` (from `state.partial`'s step when it was
 * interrupted), reporting as it goes and calling `onEpoch` after each epoch. On an interrupt
 * between steps, `onInterrupt` gets the state to resume from before the abort is rethrown.
 */
export async function search(
  state: SearchState,
  engine: SearchEngine,
  data: Dataset,
  splits: Splits,
  config: SearchConfig,
  progress: Progress<SearchEvent>,
  onEpoch: (report: EpochReport, state: SearchState) => Promise<void> | void,
  onInterrupt?: (state: SearchState) => void,
): Promise<EpochReport | undefined> {
  let last: EpochReport | undefined;
  for (let epoch = state.startEpoch; epoch < config.epochs; epoch++) {
    const started = Date.now();
    const lr = learningRate(config.weights.lr, epoch, config.epochs);
    const from = epoch === state.startEpoch ? state.partial : undefined;
    const interrupted = async (partial: PartialEpoch) => {
      await engine.sync();
      onInterrupt?.({ ...state, startEpoch: epoch, partial });
    };
    const epochRun = { epoch, lr, from, interrupted };
    const train = await runEpoch(engine, data, splits, config, epochRun, progress);
    if (methodOf(config).choose) {
      await engine.sync();
      const scored = splits.valid.slice(0, 512);
      const score = (f: Partial<ForwardOptions>) =>
        evaluate(state.net, data, scored, config.batch, f);
      chooseGenotype(state.net, methodOf(config), score, config.seed * 1_000_003 + epoch);
    }
    const valid = await engine.evaluate(splits.valid, config.batch, epoch);
    await engine.sync();
    guardFinite('the valid loss', valid.loss, epoch);
    guardWeights(state.net, epoch);
    guardAlphas(rawAlphas(state.net), epoch);
    const genotype = currentGenotype(state.net, methodOf(config));
    const report: EpochReport = {
      epoch,
      epochs: config.epochs,
      lr,
      train,
      valid,
      genotype,
      alphas: alphaTables(state.net, methodOf(config)),
      seconds: (Date.now() - started) / 1000,
      ...stopReason(state.net, methodOf(config), genotype),
    };
    progress.onEvent({ kind: 'epoch', ...report });
    await onEpoch(report, { ...state, startEpoch: epoch + 1 });
    last = report;
    if (report.stopped) break;
  }
  return last;
}

/**
 * An epoch's random stream, its shuffled samples and its number of steps. One stream per
 * epoch, so a resumed run draws exactly what an uninterrupted one would.
 */
export function epochOrder(
  config: { readonly seed: number; readonly batch: number; readonly maxSteps?: number },
  epoch: number,
  indices: readonly number[],
) {
  const rng = new Random(config.seed * 1_000_003 + epoch);
  const order = rng.permutation(indices.length).map((i) => indices[i]!);
  const steps = Math.min(Math.ceil(order.length / config.batch), config.maxSteps ?? Infinity);
  return { rng, order, steps };
}

interface EpochRun {
  readonly epoch: number;
  readonly lr: number;
  /** The steps already done (a resumed interrupt): skipped, their draws replayed. */
  readonly from: PartialEpoch | undefined;
  readonly interrupted: (partial: PartialEpoch) => Promise<void>;
}

async function runEpoch(
  engine: SearchEngine,
  data: Dataset,
  splits: Splits,
  config: SearchConfig,
  { epoch, lr, from, interrupted }: EpochRun,
  { onEvent, signal }: Progress<SearchEvent>,
) {
  const { rng, order, steps } = epochOrder(config, epoch, splits.train);
  let { loss, correct, seen } = from ?? { loss: 0, correct: 0, seen: 0 };
  const validCount = Math.min(config.batch, splits.valid.length);
  for (let step = 0; step < steps; step++) {
    const trainIdx = order.slice(step * config.batch, (step + 1) * config.batch);
    const validIdx = sample(rng, splits.valid, validCount);
    const seed = rng.fork();
    const weightSeed = rng.fork();
    // A step done before the interrupt: its random draws are replayed, not its work.
    if (from && step < from.step) continue;
    const result = await engine.step({ trainIdx, validIdx, lr, seed, weightSeed, epoch });
    guardFinite('the train loss', result.loss, epoch, step + 1);
    loss += result.loss * trainIdx.length;
    correct += result.correct;
    seen += trainIdx.length;
    onEvent({ kind: 'step', epoch, step: step + 1, steps, loss: result.loss });
    const done = { step: step + 1, loss, correct, seen };
    await betweenSteps(signal, () => interrupted(done));
  }
  return metrics(loss, correct, seen, data.task === 'regression');
}

/**
 * How a step combines its share of the work with other workers' shares: gradients, and the
 * running statistics after the weight step. Identity on one thread.
 */
export interface StepReduce extends GradientReduce {
  readonly stats: (net: Network) => void;
}

const alone: StepReduce = { train: (g) => g, valid: (g) => g, stats: () => {} };

/**
 * One search step: the α step on the valid batch, then the weight step on the train batch
 * (with a `reduce`, on this worker's share of both). Returns the share's mean loss and hits.
 */
export function searchStep(
  state: SearchState,
  data: Dataset,
  config: SearchConfig,
  { trainIdx, validIdx, lr, seed, weightSeed, epoch }: StepInput,
  reduce: StepReduce = alone,
): StepResult {
  const method = methodOf(config);
  const moment = { epoch, epochs: config.epochs };
  const model = networkModel(state.net, method, moment);
  let result: StepResult = { loss: NaN, correct: 0 };
  tf.tidy(() => {
    const train = toBatch(data, trainIdx);
    const valid = toBatch(data, validIdx);
    if (!method.frozen?.(moment)) {
      const gAlpha = alphaGradient(model, train, valid, {
        order: config.order,
        xi: lr,
        sgd: state.sgd,
        seed,
        reduce,
      });
      state.adam.step(state.net.alphas, gAlpha);
    }
    const forward = method.forward(moment, weightSeed);
    result = weightStep(state, train, { lr, seed: weightSeed, forward }, reduce);
  });
  return result;
}

/** The weight step on the train batch, with the updated α; returns the batch loss and hits. */
function weightStep(
  state: SearchState,
  train: Batch,
  { lr, seed, forward }: { lr: number; seed: number; forward: Partial<ForwardOptions> },
  reduce: StepReduce,
): StepResult {
  let correct = 0;
  const f = () => {
    const options = { training: true, seed, updateStats: true, ...forward };
    const logits = state.net.forward(train.x, options).logits;
    // Counted here: variableGrads disposes the logits once it returns.
    correct = batchHits(logits, train);
    return batchLoss(logits, train);
  };
  const { value, grads } = tf.variableGrads(f, state.net.weights);
  const found = state.net.weights.map((w) => grads[w.name]);
  const g = reduce.train(gradientsOrZeros(state.net.weights, found));
  state.sgd.step(state.net.weights, g, lr);
  reduce.stats(state.net);
  return { loss: value.dataSync()[0]!, correct };
}

/** Loss and accuracy in eval mode (running batch-norm statistics), in batches. */
export function evaluate(
  net: Network,
  data: Dataset,
  indices: readonly number[],
  batch: number,
  forward: Partial<ForwardOptions> = {},
): Metrics {
  const sums = evaluateBatches(net, data, batchesOf(indices, batch), forward);
  return metrics(sums.loss, sums.correct, indices.length, data.task === 'regression');
}

/** `indices` in consecutive batches of `batch`. */
export function batchesOf(indices: readonly number[], batch: number): number[][] {
  const batches: number[][] = [];
  for (let i = 0; i < indices.length; i += batch) batches.push(indices.slice(i, i + batch));
  return batches;
}

/** Summed loss and correct predictions over some batches, in eval mode. */
export function evaluateBatches(
  net: Network,
  data: Dataset,
  batches: readonly (readonly number[])[],
  forward: Partial<ForwardOptions> = {},
): { loss: number; correct: number } {
  let loss = 0;
  let correct = 0;
  for (const idx of batches) {
    tf.tidy(() => {
      const b = toBatch(data, idx);
      const logits = net.forward(b.x, { ...forward, training: false }).logits;
      loss += batchLoss(logits, b).dataSync()[0]! * idx.length;
      correct += batchHits(logits, b);
    });
  }
  return { loss, correct };
}

/** `count` distinct indices drawn at random (a fresh draw every step, as the reference does). */
function sample(rng: Random, from: readonly number[], count: number): number[] {
  return rng
    .permutation(from.length)
    .slice(0, count)
    .map((i) => from[i]!);
}

/**
 * How the supernet is evaluated at the end of an epoch: under the method's mixing at that
 * epoch (a sigmoid for FairDARTS, a sampled path for GDAS, the skip term for DARTS-).
 */
export function evalForward(config: SearchConfig, epoch = 0): Partial<ForwardOptions> {
  const method = methodOf(config);
  if (method.evaluation) return method.evaluation();
  return method.forward({ epoch, epochs: config.epochs }, config.seed * 1_000_003 + epoch);
}

/** `{ stopped }` when the method's rule stops the search after this genotype. */
function stopReason(net: Network, method: SearchMethod, genotype: Genotype) {
  const skips = (role: string) => {
    const table = net.graph.tables.find((t) => t.name === role);
    const column = table && net.skipColumn(role);
    if (!table || column === undefined) return 0;
    return (genotype[role]?.pairs ?? []).filter(([op]) => op === table.columns[column]).length;
  };
  const stopped = method.stop?.({ genotype, skips });
  return stopped ? { stopped } : {};
}
