import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { checkWasmMemory } from '../../backends/tfjs/memory.js';
import { saveModelDir } from '../../backends/tfjs/modelFiles.js';
import { Network } from '../../backends/tfjs/network.js';
import { BackendUnavailable, selectBackend } from '../../backends/tfjs/tf.js';
import { emitModule } from '../../backends/ts/emitModule.js';
import { buildLayersModel, copyWeights } from '../../backends/ts/layersModel.js';
import { layerPlan, type LayerPlan } from '../../backends/ts/layerPlan.js';
import { dataMismatch } from '../../check/networks.js';
import { resolveSearch } from '../../check/searchConfig.js';
import { formatDiagnostics } from '../../diagnostics/render.js';
import { graphParams } from '../../ir/graph.js';
import { lower } from '../../ir/lower.js';
import { DataError, loadDataset, splitDataset } from '../../runtime/data.js';
import {
  retrain,
  retrainDefaults,
  test,
  type RetrainConfig,
  type RetrainEvent,
} from '../../runtime/retrain.js';
import { defaultOut, UsageError, type CliIo } from '../io.js';
import { backendFlag } from '../backendFlag.js';
import { stepBar } from '../progress.js';
import { buildRequested, networkOptions } from './networkRequest.js';

export const trainUsage = `usage: dartsc train SPEC --genotype NAME|FILE [--epochs N] [--batch N] [--lr X] [--seed N]
                    [--drop-path P] [--auxiliary] [--steps N] [--set NAME=VALUE ...]
                    [--backend wasm|cpu|tensorflow] [--out DIR] [--json]

Retrains the network derived from a genotype from scratch on the data of SPEC's search
block: its train and valid splits train it, its held-out test split gives the final figure.
Defaults follow the reference retrain (cnn/train.py): SGD lr 0.025 cosine to 0, momentum
0.9, decay 3e-4, clip 5, drop-path ramped to 0.2; epochs, batch and seed come from the
search block. --auxiliary adds the space's auxiliary head (loss weight 0.4).
The output directory (--out, default runs/<spec>-train-<timestamp>; never an existing one)
receives result.json (the test accuracy), metrics.jsonl, model/ (TensorFlow.js format,
loadable with tf.loadLayersModel), model.ts (its module, from dartsc emit) and a
checkpoint per epoch in checkpoints/.`;

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
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('train needs exactly one SPEC file');
  if (!values.genotype) throw new UsageError('train needs --genotype NAME|FILE');
  const backend = backendFlag(values.backend, io);
  const color = io.color && !values['no-color'];
  const spec = positionals[0]!;
  const built = buildRequested({ spec, ...values, aux: values.auxiliary ?? false, color }, io);
  if (!built) return 1;
  if (values.auxiliary && !built.model.aux)
    io.stderr(`warning: space ${built.model.space} has no auxiliary head; --auxiliary ignored\n`);
  const resolved = resolveSearch(built.source, values.search);
  if (!resolved.value)
    return (io.stderr(formatDiagnostics(resolved.diagnostics, { format: 'pretty', color })), 1);
  const search = resolved.value;
  const config: RetrainConfig = {
    ...retrainDefaults,
    epochs: flag(values.epochs, 'epochs', 1) ?? search.epochs,
    batch: flag(values.batch, 'batch', 1) ?? search.batch,
    seed: flag(values.seed, 'seed', 0) ?? search.seed,
    ...(values.lr !== undefined
      ? { lr: { kind: 'cosine', max: rate(values.lr, 'lr'), min: 0 } }
      : {}),
    ...(values['drop-path'] !== undefined
      ? { dropPath: rate(values['drop-path'], 'drop-path') }
      : {}),
    ...(values.steps !== undefined ? { maxSteps: flag(values.steps, 'steps', 1)! } : {}),
  };
  const graph = lower(built.model);
  const dataSpan = search.spans.data ?? built.source.entry.file.span(0, 0);
  try {
    const out = resolve(io.cwd, values.out ?? defaultOut(basename(spec), 'train-'));
    if (existsSync(out)) throw new UsageError(`${values.out ?? out} exists; name a new --out DIR`);
    const active = await selectBackend(backend, (m) => io.stderr(m + '\n'));
    if (active === 'wasm') {
      const tooBig = checkWasmMemory(graph, config.batch, search.spans.batch ?? dataSpan);
      if (tooBig) return (io.stderr(formatDiagnostics([tooBig], { format: 'pretty', color })), 1);
    }
    const data = loadDataset(
      search.data,
      built.model.input,
      built.model.output.dims[0]!,
      dirname(resolve(io.cwd, spec)),
    );
    const misfit = dataMismatch(
      search.data.kind,
      { layout: data.layout, dims: data.shape, classes: data.classes, vocab: data.vocab },
      built.model,
    );
    if (misfit)
      return (io.stderr(formatDiagnostics([misfit(dataSpan)], { format: 'pretty', color })), 1);
    const splits = splitDataset(
      data,
      search.split,
      Number(search.data.args.test ?? (search.data.kind === 'synthetic' ? 0 : 0.1)),
    );
    const trainSet = [...splits.train, ...splits.valid];

    const plan = layerPlan(graph);
    mkdirSync(join(out, 'checkpoints'), { recursive: true });
    const meta = {
      spec: basename(spec),
      genotype: built.genotype!.label,
      genotypeJson: built.genotype!.json,
    };
    writeFileSync(join(out, 'model.ts'), await emitModule(plan, meta));
    const net = new Network(graph, config.seed);
    const params = graphParams(graph);
    const say = (line: string) => (values.json ? undefined : io.stderr(line + '\n'));
    say(
      `training ${built.model.space} (genotype ${meta.genotype}) from ${meta.spec}: ${params.toLocaleString('en-US')} parameters\n` +
        `  data ${data.name}: ${trainSet.length} train, ${splits.test.length} test; batch ${config.batch}, ${config.epochs} epochs, backend ${active}; writing ${out}`,
    );
    const started = Date.now();
    const epochs = await retrain(
      net,
      data,
      trainSet,
      config,
      eventPrinter(io, values.json ?? false),
      async (report) => {
        appendFileSync(join(out, 'metrics.jsonl'), JSON.stringify(report) + '\n');
        await saveLayers(
          plan,
          net,
          join(out, 'checkpoints', `epoch-${String(report.epoch + 1).padStart(3, '0')}`),
        );
      },
    );
    await saveLayers(plan, net, join(out, 'model'));
    const testResult = splits.test.length > 0 ? test(net, data, splits.test, config.batch) : null;
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
    writeFileSync(join(out, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    net.dispose();
    const figure = testResult
      ? `test accuracy ${(testResult.accuracy * 100).toFixed(1)}% on ${splits.test.length} held-out samples`
      : 'no held-out test split (the data keeps none)';
    if (values.json) io.stdout(JSON.stringify({ kind: 'done', ...result, out }) + '\n');
    else io.stdout(`${figure}; wrote ${out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BackendUnavailable) return (io.stderr(`error: ${error.message}\n`), 2);
    if (error instanceof DataError) return (io.stderr(`error: ${error.message}\n`), 1);
    throw error;
  }
}

/** Copies the runtime weights into the layers model and saves it in the TensorFlow.js format. */
async function saveLayers(plan: LayerPlan, net: Network, dir: string): Promise<void> {
  const model = buildLayersModel(plan, { auxiliary: net.graph.aux !== undefined });
  copyWeights(model, plan, net);
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
    const pct = (e.train.accuracy * 100).toFixed(1);
    io.stderr(
      `${io.interactive ? '\r' : ''}epoch ${e.epoch + 1}/${e.epochs}  lr ${e.lr.toFixed(4)}  drop-path ${e.dropPath.toFixed(2)}  train loss ${e.train.loss.toFixed(3)} acc ${pct}%  ${e.seconds.toFixed(1)}s\n`,
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
