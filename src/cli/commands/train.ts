import { writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { checkWasmMemory } from '../../backends/tfjs/memory.js';
import { saveModelDir } from '../../backends/tfjs/modelFiles.js';
import type { Network } from '../../backends/tfjs/network.js';
import { BackendUnavailable, selectBackend } from '../../numerics/tf.js';
import { emitModule } from '../../backends/ts/emitModule.js';
import { buildLayersModel, copyWeights } from '../../backends/ts/layersModel.js';
import { layerPlan, type LayerPlan } from '../../backends/ts/layerPlan.js';
import { resolveSearch, type SearchConfig } from '../../elaborate/searchConfig.js';
import type { Diagnostic } from '../../diagnostics/Diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/render.js';
import { graphParams } from '../../ir/graph.js';
import { lower } from '../../ir/lower.js';
import { DataError } from '../../runtime/data.js';
import {
  freshRetrain,
  retrain,
  retrainDefaults,
  type RetrainConfig,
  type RetrainEvent,
} from '../../runtime/retrain.js';
import { loadCheckpoint, RunDir, RunDirError } from '../../runtime/runDir.js';
import { brief, evaluate, headline } from '../../runtime/search.js';
import { defaultOut, UsageError, type CliIo } from '../io.js';
import { backendFlag } from '../backendFlag.js';
import { stepBar } from '../progress.js';
import { buildRequested, networkOptions } from './networkRequest.js';
import { loadSearchData } from '../../runtime/searchData.js';

export const trainUsage = `usage: dartsc train SPEC --genotype NAME|FILE [--epochs N] [--batch N] [--lr X] [--seed N]
                    [--drop-path P] [--auxiliary] [--steps N] [--set NAME=VALUE ...]
                    [--backend wasm|cpu|tensorflow] [--out DIR] [--resume DIR] [--json]

Retrains the network derived from a genotype from scratch on the data of SPEC's search
block: its train and valid splits train it, its held-out test split gives the final figure.
Defaults follow the reference retrain (cnn/train.py): SGD lr 0.025 cosine to 0, momentum
0.9, decay 3e-4, clip 5, drop-path ramped to 0.2; epochs, batch and seed come from the
search block. --auxiliary adds the space's auxiliary head (loss weight 0.4).
The output directory (--out, default runs/<spec>-train-<timestamp>; never an existing one)
receives config.json, result.json (the test accuracy), metrics.jsonl, model/ (TensorFlow.js
format, loadable with tf.loadLayersModel), model.ts (its module, from dartsc emit) and the
latest epoch's checkpoint in checkpoints/. --resume DIR continues an interrupted retrain
from that checkpoint with the settings it was started with (--epochs may extend it).`;

/** `dartsc train SPEC --genotype G ...` */
export async function trainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...networkOptions,
      epochs: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      'drop-path': { type: 'string' },
      auxiliary: { type: 'boolean', default: false },
      backend: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('train needs exactly one SPEC file');
  if (!values.genotype) throw new UsageError('train needs --genotype NAME|FILE');
  const backend = backendFlag(values.backend, io);
  const color = io.color && !values['no-color'];
  const report = (d: readonly Diagnostic[]) =>
    io.stderr(formatDiagnostics(d, { format: 'pretty', color }));
  const spec = positionals[0]!;
  const built = buildRequested({ spec, ...values, aux: values.auxiliary ?? false, color }, io);
  if (!built) return 1;
  if (values.auxiliary && !built.model.aux)
    io.stderr(`warning: space ${built.model.space} has no auxiliary head; --auxiliary ignored\n`);
  const resolved = resolveSearch(built.source, values.search);
  if (!resolved.value) return (report(resolved.diagnostics), 1);
  const search = resolved.value;
  const graph = lower(built.model);
  const dataSpan = search.spans.data ?? built.source.entry.file.span(0, 0);
  const meta = {
    spec: basename(spec),
    genotype: built.genotype!.label,
    genotypeJson: built.genotype!.json,
  };
  try {
    // A resumed retrain keeps the settings it was started with (--epochs may extend it).
    const resumed = values.resume ? RunDir.open(resolve(io.cwd, values.resume)) : undefined;
    const config = resumed ? resumedConfig(resumed, values, io) : trainConfig(values, search);
    const active = await selectBackend(backend, (m) => io.stderr(m + '\n'));
    if (active === 'wasm') {
      const tooBig = checkWasmMemory(graph, config.batch, search.spans.batch ?? dataSpan);
      if (tooBig) return (report([tooBig]), 1);
    }
    const loaded = loadSearchData(search, built.model, resolve(io.cwd, spec), dataSpan);
    if ('misfit' in loaded) return (report([loaded.misfit]), 1);
    const { data, splits } = loaded;
    const trainSet = [...splits.train, ...splits.valid];

    const plan = layerPlan(graph);
    const dir =
      resumed ??
      RunDir.create(resolve(io.cwd, values.out ?? defaultOut(meta.spec, 'train-')), {
        spec: meta.spec,
        genotype: meta.genotype,
        train: config,
      });
    if (!resumed) writeFileSync(join(dir.path, 'model.ts'), await emitModule(plan, meta));
    const state = freshRetrain(graph, config);
    const checkpoint = resumed?.latestCheckpoint();
    const startEpoch = checkpoint ? loadCheckpoint(checkpoint, state) : 0;
    const params = graphParams(graph);
    if (!values.json)
      io.stderr(
        `training ${built.model.space} (genotype ${meta.genotype}) from ${meta.spec}: ${params.toLocaleString('en-US')} parameters\n` +
          `  data ${data.name}: ${trainSet.length} train, ${splits.test.length} test; batch ${config.batch}, epochs ${startEpoch + 1} to ${config.epochs}, backend ${active}; writing ${dir.path}\n`,
      );
    const started = Date.now();
    const epochs = await retrain(
      { ...state, startEpoch },
      data,
      trainSet,
      config,
      eventPrinter(io, values.json ?? false),
      (epoch, next) => {
        dir.appendMetrics(epoch);
        dir.checkpoint(epoch.epoch, next, true);
      },
    );
    await saveLayers(plan, state.net, join(dir.path, 'model'));
    const testResult =
      splits.test.length > 0 ? evaluate(state.net, data, splits.test, config.batch) : null;
    const result = {
      spec: meta.spec,
      space: built.model.space,
      genotype: meta.genotype,
      params,
      data: { name: data.name, train: trainSet.length, test: splits.test.length },
      config,
      backend: active,
      train: epochs[epochs.length - 1]?.train ?? null,
      test: testResult,
      seconds: (Date.now() - started) / 1000,
    };
    writeFileSync(join(dir.path, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    state.net.dispose();
    state.sgd.dispose();
    const figure = testResult
      ? `test ${headline(testResult)} on ${splits.test.length} held-out samples`
      : 'no held-out test split (the data keeps none)';
    if (values.json) io.stdout(JSON.stringify({ kind: 'done', ...result, out: dir.path }) + '\n');
    else io.stdout(`${figure}; wrote ${dir.path}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BackendUnavailable || error instanceof RunDirError)
      return (io.stderr(`error: ${error.message}\n`), 2);
    if (error instanceof DataError) return (io.stderr(`error: ${error.message}\n`), 1);
    throw error;
  }
}

type Flags = Record<string, string | boolean | string[] | undefined>;

/** The reference retrain settings, with the search block's epochs, batch and seed, and the flags over them. */
function trainConfig(values: Flags, search: SearchConfig): RetrainConfig {
  const text = (name: string) => values[name] as string | undefined;
  return {
    ...retrainDefaults,
    epochs: flag(text('epochs'), 'epochs', 1) ?? search.epochs,
    batch: flag(text('batch'), 'batch', 1) ?? search.batch,
    seed: flag(text('seed'), 'seed', 0) ?? search.seed,
    ...(text('lr') !== undefined
      ? { lr: { kind: 'cosine', max: rate(text('lr')!, 'lr'), min: 0 } }
      : {}),
    ...(text('drop-path') !== undefined ? { dropPath: rate(text('drop-path')!, 'drop-path') } : {}),
    ...(text('steps') !== undefined ? { maxSteps: flag(text('steps'), 'steps', 1)! } : {}),
  };
}

/** The settings a retrain was started with; only --epochs may change them. */
function resumedConfig(dir: RunDir, values: Flags, io: CliIo): RetrainConfig {
  const saved = (dir.config() as { train?: RetrainConfig }).train;
  if (!saved) throw new RunDirError(`\`${dir.path}\` is not a dartsc train directory`);
  const ignored = ['batch', 'lr', 'seed', 'steps', 'drop-path'].filter(
    (f) => values[f] !== undefined,
  );
  if (ignored.length)
    io.stderr(`warning: --${ignored.join(', --')} ignored: a resumed retrain keeps its settings\n`);
  const epochs = flag(values.epochs as string | undefined, 'epochs', 1);
  return epochs === undefined ? saved : { ...saved, epochs };
}

/** Copies the runtime weights into the layers model and saves it in the TensorFlow.js format. */
async function saveLayers(plan: LayerPlan, net: Network, dir: string): Promise<void> {
  const model = buildLayersModel(plan, { auxiliary: net.graph.aux !== undefined });
  copyWeights(model, plan, net.namedTensors());
  await saveModelDir(model, dir);
  model.dispose();
}

function eventPrinter(io: CliIo, json: boolean) {
  let epochStart = Date.now();
  return (e: RetrainEvent) => {
    if (json) return io.stdout(JSON.stringify(e) + '\n');
    if (e.kind === 'step') {
      if (e.step === 1) epochStart = Date.now();
      return stepBar(io, e, epochStart);
    }
    io.stderr(
      `${io.interactive ? '\r' : ''}epoch ${e.epoch + 1}/${e.epochs}  lr ${e.lr.toFixed(4)}  drop-path ${e.dropPath.toFixed(2)}  train ${brief(e.train)}  ${e.seconds.toFixed(1)}s\n`,
    );
  };
}

function flag(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(
      `--${name} takes ${min === 0 ? 'a non-negative' : 'a positive'} integer, found \`${value}\``,
    );
  return Number(value);
}

function rate(value: string, name: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v < 0 || (name === 'drop-path' && v >= 1))
    throw new UsageError(
      `--${name} takes a number${name === 'drop-path' ? ' in [0, 1)' : ' ≥ 0'}, found \`${value}\``,
    );
  return v;
}
