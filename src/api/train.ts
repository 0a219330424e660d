import { join, resolve } from 'node:path';

import { saveModelDir } from '../backends/tfjs/modelFiles.js';
import { emitModule } from '../backends/ts/emitModule.js';
import { buildLayersModel, copyWeights } from '../backends/ts/layersModel.js';
import { layerPlan, type LayerPlan } from '../backends/ts/layerPlan.js';
import { findSearch } from '../elaborate/elaborateProgram.js';
import type { SearchConfig } from '../elaborate/searchConfig.js';
import type { Preprocessing } from '../intrinsics/preprocessing.js';
import { retrainDefaults } from '../intrinsics/settings.js';
import { graphParams, type IrGraph } from '../ir/graph.js';
import type { BackendName, tf } from '../numerics/tf.js';
import type { Dataset, Splits } from '../runtime/data.js';
import {
  freshRetrain,
  retrain,
  type RetrainConfig,
  type RetrainEvent,
  type RetrainState,
} from '../runtime/retrain.js';
import { RunDir, RunDirError } from '../runtime/runDir.js';
import { writeFileDurable } from '../util/durableFile.js';
import { unlessDiverged } from './diverged.js';
import { resumedRun } from './resume.js';
import { floorWarning } from './floorWarning.js';
import { refreshReport } from './report.js';
import type { KnownLayout } from '../report/buildReport.js';
import { drawnCells } from '../report/drawnCell.js';
import { evaluate, type Metrics } from '../runtime/search.js';
import type { Program } from './compile.js';
import { startJob, type Job } from './job.js';
import { prepare } from './prepare.js';
import type { GenotypeInput } from './genotypeInput.js';
import { requestNetwork, type NetworkRequest } from './network.js';
import { checkCounts, checkInteger, OptionError, type Result } from './result.js';
import type { WarningEvent } from './search.js';
import {
  pytorchProblems,
  startTorchRetrain,
  torchRequest,
  type EngineName,
  type TorchRequest,
} from './torchSearch.js';

export interface TrainOptions extends Omit<NetworkRequest, 'genotype'> {
  /** The genotype whose network to train (required). */
  readonly genotype: GenotypeInput;
  /** Default: the search block's epochs, batch and seed. */
  readonly epochs?: number;
  readonly batch?: number;
  readonly seed?: number;
  /** The initial learning rate of the cosine schedule to 0 (default 0.025). */
  readonly lr?: number;
  /** The drop-path rate reached at the last epoch (default 0.2). */
  readonly dropPath?: number;
  /** At most this many steps per epoch. */
  readonly steps?: number;
  readonly backend?: BackendName;
  /**
   * A new directory to write: config.json, metrics.jsonl, the latest checkpoint, model.ts,
   * and at the end model/ (TensorFlow.js format) and result.json. Without it nothing is written.
   */
  readonly out?: string;
  /** A train directory to continue from its checkpoint, with its settings (`epochs` may extend it). */
  readonly resume?: string;
  readonly signal?: AbortSignal;
  /** `pytorch`: train in a generated PyTorch program (docs/engines.md); a resumed retrain keeps its engine. */
  readonly engine?: EngineName;
  readonly nproc?: number;
  readonly device?: 'cpu' | 'cuda';
}

/** The first event of a retrain. */
export interface TrainStart {
  readonly kind: 'start';
  readonly spec: string;
  readonly space: string;
  readonly genotype: string;
  readonly params: number;
  readonly data: string;
  readonly train: number;
  readonly test: number;
  readonly config: RetrainConfig;
  readonly backend: BackendName;
  /** The PyTorch engine's processes and device, when the retrain runs there. */
  readonly engine?: TorchRequest;
  readonly startEpoch: number;
  readonly runDir?: string;
}

export type TrainEvent = TrainStart | WarningEvent | RetrainEvent;

/** What a retrain gives (`result.json` holds the same, less the model). */
export interface TrainResult {
  readonly spec: string;
  readonly space: string;
  readonly genotype: string;
  readonly params: number;
  readonly data: { readonly name: string; readonly train: number; readonly test: number };
  readonly config: RetrainConfig;
  readonly backend: BackendName;
  readonly train: Metrics | null;
  /** On the held-out split (null when the data keeps none). */
  readonly test: Metrics | null;
  /** How raw samples become the network's inputs (also in `model/model.json`'s metadata). */
  readonly preprocessing: Preprocessing;
  readonly seconds: number;
  readonly runDir?: string;
  /** The trained network as a TensorFlow.js layers model (the caller disposes it). */
  readonly model: tf.LayersModel;
}

/**
 * Retrains the network derived from a genotype from scratch, with the reference's retrain
 * schedule (darts-semantics §8.4), on the search block's train and valid splits, and tests it
 * on the held-out split. Problems as for `search`.
 */
export function train(
  program: Program,
  options: TrainOptions,
): Job<TrainEvent, Result<TrainResult>> {
  return startJob(
    (emit, signal) => trainOne(program, { ...options, signal }, emit),
    options.signal,
  );
}

async function trainOne(
  program: Program,
  options: TrainOptions,
  emit: (e: TrainEvent) => void,
): Promise<Result<TrainResult>> {
  if (options.genotype === undefined) throw new OptionError('train needs a genotype');
  const warn = (message: string) => emit({ kind: 'warning', message });
  const built = requestNetwork(program, options);
  if (!built.value) return { diagnostics: built.diagnostics };
  const block = findSearch(program, program.entry.file, options.search);
  if (!block.value) return { diagnostics: block.diagnostics };
  const { model, graph } = built.value;
  if (options.auxiliary && !model.aux)
    warn(`warning: space ${model.space} has no auxiliary head; --auxiliary ignored`);
  const resumed = resumedRun(program, options.resume);
  const config = resumed
    ? resumedConfig(resumed, options, warn)
    : trainConfig(options, block.value.config, warn);
  const torch = torchRequest(options, resumed, warn);
  const refused = torch ? pytorchProblems(block.value, graph, undefined, program) : [];
  if (refused.length) return { diagnostics: refused };
  // With the PyTorch engine dartsc only holds the state between epochs: on the exact cpu backend.
  const backend = torch
    ? 'cpu'
    : resumed
      ? resumed.backend(options.backend, warn)
      : options.backend;
  const request = { backend, batch: config.batch, data: block.value.config };
  const prepared = await prepare(program, block.value, built.value, request, warn);
  if (!prepared.value) return { diagnostics: prepared.diagnostics };
  const label = built.value.genotype!.label;
  const plan = layerPlan(graph);
  const runDir =
    resumed ??
    (await createDir(
      program,
      options,
      {
        label,
        backend: prepared.value.backend,
        preprocessing: prepared.value.data.preprocessing,
        torch,
      },
      config,
      plan,
      built.value.genotype!.json,
    ));
  const layout = { cells: drawnCells(model.cells), space: model.space };
  const setup = { ...prepared.value, runDir, label, plan, layout, torch };
  return unlessDiverged(program, block.value, runDir, () =>
    loop(program, graph, config, setup, options, emit),
  );
}

/** The reference retrain settings, with the search block's epochs, batch and seed, and the options over them. */
function trainConfig(
  options: TrainOptions,
  search: SearchConfig,
  warn: (message: string) => void,
): RetrainConfig {
  checkCounts(options);
  checkRate('--lr', options.lr, Infinity, { positive: true });
  checkRate('--drop-path', options.dropPath, 1);
  const config: RetrainConfig = {
    ...retrainDefaults,
    epochs: options.epochs ?? search.epochs,
    batch: options.batch ?? search.batch,
    seed: options.seed ?? search.seed,
    ...(options.lr !== undefined ? { lr: { kind: 'cosine', max: options.lr, min: 0 } } : {}),
    ...(options.dropPath !== undefined ? { dropPath: options.dropPath } : {}),
    ...(options.steps !== undefined ? { maxSteps: options.steps } : {}),
  };
  const advice = 'the weights never change; use 2 or more epochs';
  const floor = floorWarning(config.lr, config.epochs, options.epochs !== undefined, advice);
  if (floor) warn(floor);
  return config;
}

/** A rate option: finite, below `below`, and at least 0 (or above 0 when `positive`). */
function checkRate(
  name: string,
  value: number | undefined,
  below: number,
  { positive = false } = {},
): void {
  if (value === undefined) return;
  if (Number.isFinite(value) && (positive ? value > 0 : value >= 0) && value < below) return;
  const range = below === 1 ? ' in [0, 1)' : positive ? ' > 0' : ' ≥ 0';
  throw new OptionError(`${name} takes a number${range}, found \`${value}\``);
}

/** The settings a retrain was started with; only `epochs` may change them. */
function resumedConfig(
  dir: RunDir,
  options: TrainOptions,
  warn: (m: string) => void,
): RetrainConfig {
  const saved = (dir.config() as { train?: RetrainConfig }).train;
  if (!saved) throw new RunDirError(`\`${dir.path}\` is not a dartsc train directory`);
  const ignored = (['out', 'batch', 'lr', 'seed', 'steps', 'dropPath'] as const).filter(
    (f) => options[f] !== undefined,
  );
  const flag = (f: string) => (f === 'dropPath' ? 'drop-path' : f);
  if (ignored.length)
    warn(
      `warning: --${ignored.map(flag).join(', --')} ignored: a resumed retrain keeps its settings`,
    );
  checkInteger('--epochs', options.epochs, 1);
  return options.epochs === undefined ? saved : { ...saved, epochs: options.epochs };
}

async function createDir(
  program: Program,
  options: TrainOptions,
  {
    label: genotype,
    backend,
    preprocessing,
    torch,
  }: {
    label: string;
    backend: BackendName;
    preprocessing: Preprocessing;
    torch: TorchRequest | undefined;
  },
  config: RetrainConfig,
  plan: LayerPlan,
  genotypeJson: unknown,
): Promise<RunDir | undefined> {
  if (!options.out) return undefined;
  const dir = RunDir.create(
    resolve(program.cwd, options.out),
    {
      spec: program.spec,
      genotype,
      backend,
      ...(torch ? { engine: torch } : {}),
      train: config,
    },
    { path: program.path, text: program.entry.file.text },
  );
  const text = await emitModule(plan, {
    spec: program.spec,
    genotype,
    genotypeJson,
    preprocessing,
  });
  writeFileDurable(join(dir.path, 'model.ts'), text);
  // The genotype trained, whatever named it: `dartsc report` draws the network from it.
  writeFileDurable(join(dir.path, 'genotype.json'), JSON.stringify(genotypeJson, null, 2) + '\n');
  return dir;
}

interface Setup {
  readonly data: Dataset;
  readonly splits: Splits;
  readonly runDir?: RunDir;
  readonly backend: BackendName;
  readonly label: string;
  readonly plan: LayerPlan;
  /** The trained network's cells, for the report. */
  readonly layout: KnownLayout;
  readonly torch: TorchRequest | undefined;
}

async function loop(
  program: Program,
  graph: IrGraph,
  config: RetrainConfig,
  setup: Setup,
  options: TrainOptions,
  emit: (e: TrainEvent) => void,
): Promise<TrainResult> {
  const { data, splits, runDir, backend, label, plan, layout, torch } = setup;
  const trainSet = [...splits.train, ...splits.valid];
  const state = freshRetrain(graph, config);
  try {
    const warn = (message: string) => emit({ kind: 'warning', message });
    const startEpoch = runDir ? runDir.resume(state, warn).startEpoch : 0;
    const report = () => refreshReport(runDir?.path, layout, warn);
    const params = graphParams(graph);
    const common = { spec: program.spec, space: graph.space, genotype: label, params };
    emit({ kind: 'start', ...common, ...startOf(setup, trainSet.length), config, startEpoch });
    const started = Date.now();
    const engine =
      torch && (await startTorchRetrain(graph, data, state, config, torch, runDir, program.spec));
    const epochs = await retrain(
      { ...state, startEpoch },
      data,
      trainSet,
      config,
      { onEvent: emit, ...(options.signal ? { signal: options.signal } : {}) },
      async (epoch, next) => {
        runDir?.appendMetrics(epoch);
        runDir?.checkpoint(epoch.epoch, next, true);
        await report();
      },
      engine || undefined,
    ).finally(async () => {
      if (engine) await engine.close();
      if (options.signal?.aborted) await report();
    });
    const model = layersModel(plan, state, data.preprocessing);
    if (runDir) await saveModelDir(model, join(runDir.path, 'model'));
    const test =
      splits.test.length > 0 ? evaluate(state.net, data, splits.test, config.batch) : null;
    const result = {
      ...common,
      data: { name: data.name, train: trainSet.length, test: splits.test.length },
      config,
      backend,
      train: epochs[epochs.length - 1]?.train ?? null,
      test,
      preprocessing: data.preprocessing,
      seconds: (Date.now() - started) / 1000,
    };
    if (runDir)
      writeFileDurable(join(runDir.path, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    await report();
    return { ...result, ...(runDir ? { runDir: runDir.path } : {}), model };
  } finally {
    state.net.dispose();
    state.sgd.dispose();
  }
}

/** The data, backend and directory of a retrain, as its start event tells them. */
function startOf({ data, splits, backend, runDir, torch }: Setup, train: number) {
  return {
    data: data.name,
    train,
    test: splits.test.length,
    backend,
    ...(torch ? { engine: torch } : {}),
    ...(runDir ? { runDir: runDir.path } : {}),
  };
}

/**
 * The trained weights in the layers model of the plan (with the auxiliary head when trained
 * with it), carrying the data's preprocessing as metadata: `model.json` saves it, and
 * `loadModel` and `tf.loadLayersModel` give it back (`getUserDefinedMetadata()`).
 */
function layersModel(
  plan: LayerPlan,
  { net }: RetrainState,
  preprocessing: Preprocessing,
): tf.LayersModel {
  const model = buildLayersModel(plan, { auxiliary: net.graph.aux !== undefined });
  copyWeights(model, plan, net.namedTensors());
  model.setUserDefinedMetadata({ preprocessing });
  return model;
}
